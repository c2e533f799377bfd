//! The three ways a form is laid out: `aligned` (label and value on one line, labels padded
//! to one width, scrolled so the focus shows: the Routing pane's editors), `rows` (a
//! selectable row per field with the value in brackets: the Portal pane's settings) and
//! `stacked` (each value under its label, with the field's problems under it: the support
//! form).

use super::{Form, Value};
use crate::domain::text::{cut_to_width, strip_control};
use crate::tui::components::DrawCtx;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The label of a choice's chosen option, or `none` when it has no options.
fn chosen(options: &[(String, String)], at: usize) -> &str {
    options.get(at).map_or("none", |(_, label)| label.as_str())
}

impl<Id: Clone + PartialEq> Form<Id> {
    /// Draws the fields into `area` one a line, labels aligned, scrolled so the focused one
    /// shows; choices read `‹option›` so they look different from text.
    pub fn draw_aligned(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let width = self
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0);
        let height = usize::from(area.height).max(1);
        let room = usize::from(area.width).saturating_sub(width + 4);
        let skip = (self.focus + 1).saturating_sub(height);
        let lines: Vec<Line> = self
            .fields
            .iter()
            .enumerate()
            .skip(skip)
            .take(height)
            .map(|(i, f)| {
                let focused = i == self.focus;
                let marker = if focused { "▶ " } else { "  " };
                let mut spans = vec![
                    Span::raw(marker),
                    Span::styled(format!("{:<width$}  ", f.label), ctx.theme.muted),
                ];
                let style = if focused {
                    ctx.theme.selected
                } else {
                    ctx.theme.base
                };
                match &f.value {
                    Value::Text(input) => {
                        let line = input.line(ctx.theme.input, focused);
                        spans.extend(scrolled(line, focused, room).spans);
                    }
                    Value::Lines(text) => {
                        let first = text.split('\n').next().unwrap_or("");
                        spans.push(Span::styled(first.to_string(), ctx.theme.input));
                    }
                    Value::Choice { options, at } => {
                        spans.push(Span::styled(format!("‹{}›", chosen(options, *at)), style));
                    }
                    Value::Switch(_) => {
                        spans.push(Span::styled(format!("‹{}›", f.value.get()), style));
                    }
                }
                Line::from(spans)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }

    /// The fields as selectable rows `width` columns wide, labels aligned to at least 20
    /// columns; `editable` shows the choice arrows, and the field being edited its cursor. A
    /// value too long for its row is cut with `…` (scrolled to the cursor while edited), so
    /// it never wraps under the labels.
    pub fn rows(&self, editable: bool, width: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            .max(20);
        // The marker, the label and its space, and the brackets or quotes around the value.
        let room = width.saturating_sub(label_width + 5);
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let here = i == self.focus;
                let editing = here && self.edit.is_some();
                let mut spans = vec![
                    Span::raw(if here { "▶ " } else { "  " }),
                    Span::styled(format!("{:<label_width$} ", f.label), ctx.theme.muted),
                ];
                match &f.value {
                    Value::Text(input) => {
                        spans.push(Span::raw("["));
                        let line = input.line(ctx.theme.input, editing);
                        spans.extend(scrolled(line, editing, room).spans);
                        spans.push(Span::raw("]"));
                    }
                    Value::Lines(text) => {
                        let first = text.lines().next().unwrap_or("");
                        let more = text.lines().count().saturating_sub(1);
                        let tail = if editing {
                            " (editing below)".to_string()
                        } else if more > 0 {
                            format!(" (+{more} lines)")
                        } else {
                            String::new()
                        };
                        // The first line's start only when a few words of it fit.
                        let left = room.saturating_sub(tail.chars().count());
                        if left >= 12 || tail.is_empty() {
                            let first = cut_to_width(first, left);
                            spans.push(Span::styled(format!("\"{first}\""), ctx.theme.input));
                            spans.push(Span::styled(tail, ctx.theme.muted));
                        } else {
                            spans
                                .push(Span::styled(tail.trim_start().to_string(), ctx.theme.muted));
                        }
                    }
                    Value::Choice { options, at } => {
                        let arrows = if editable { " ◂▸" } else { "" };
                        spans.push(Span::raw(format!("‹ {} ›{arrows}", chosen(options, *at))));
                    }
                    Value::Switch(on) => {
                        spans.push(Span::raw(if *on { "[x] on" } else { "[ ] off" }));
                    }
                }
                let line = Line::from(spans);
                if here {
                    line.style(ctx.theme.selected)
                } else {
                    line
                }
            })
            .collect()
    }

    /// Each field's label (`*` when required, highlighted when focused), its value under
    /// it (a choice as `◀ option ▶`, text with `▏` at the cursor of the focused one) and its
    /// problems under that; with the index of the focused field's label line, to scroll to.
    pub fn stacked(&self, ctx: DrawCtx<'_>) -> (Vec<Line<'static>>, usize) {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        let mut focus_line = 0;
        for (n, f) in self.fields.iter().enumerate() {
            let focused = n == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let label = strip_control(&f.label);
            let mark = if f.required { " *" } else { "" };
            let style = if focused { theme.selected } else { theme.title };
            lines.push(Line::styled(format!("{label}{mark}"), style));
            let rows: Vec<String> = match &f.value {
                Value::Choice { options, at } => {
                    vec![format!("◀ {} ▶", strip_control(chosen(options, *at)))]
                }
                Value::Switch(_) => vec![format!("◀ {} ▶", f.value.get())],
                Value::Text(_) | Value::Lines(_) => {
                    let mut rows: Vec<Vec<char>> = f
                        .value
                        .get()
                        .split('\n')
                        .map(|row| row.chars().collect())
                        .collect();
                    if focused
                        && let Some((row, col)) = self.cursor()
                        && let Some(chars) = rows.get_mut(row)
                    {
                        chars.insert(col.min(chars.len()), '▏');
                    }
                    rows.iter()
                        .map(|chars| strip_control(&chars.iter().collect::<String>()))
                        .collect()
                }
            };
            for row in rows {
                lines.push(Line::from(vec![Span::raw("  "), Span::raw(row)]));
            }
            for message in self.errors_of(&f.id) {
                // A message that is only the predicate ("is required", Italian "è un campo
                // obbligatorio") follows the field's label.
                let predicate = ["is ", "must ", "è ", "deve ", "non "];
                let text = if predicate.iter().any(|p| message.starts_with(p)) {
                    format!("  ✗ {label} {message}")
                } else {
                    format!("  ✗ {message}")
                };
                lines.push(Line::styled(text, theme.error));
            }
        }
        (lines, focus_line)
    }
}

/// The part of a text field's `line` that fits in `width` columns: the start when it is not
/// `focused`, else scrolled so the cursor (the end of the first span) shows; `…` marks text
/// cut off on either side.
fn scrolled(line: Line<'static>, focused: bool, width: usize) -> Line<'static> {
    let cursor = line.spans.first().map_or(0, |s| s.content.chars().count());
    let total: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
    if total <= width || width < 2 {
        return line;
    }
    let start = if focused {
        (cursor + 1).saturating_sub(width)
    } else {
        0
    };
    let end = start + width;
    let mut at = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let chars: Vec<char> = span.content.chars().collect();
        let mut shown = String::new();
        for (i, c) in chars.into_iter().enumerate().map(|(i, c)| (at + i, c)) {
            if i < start || i >= end {
                continue;
            }
            let cut_left = i == start && start > 0;
            let cut_right = i == end - 1 && end < total && i != cursor;
            shown.push(if cut_left || cut_right { '…' } else { c });
        }
        at += span.content.chars().count();
        if !shown.is_empty() {
            spans.push(Span::styled(shown, span.style));
        }
    }
    Line::from(spans)
}
