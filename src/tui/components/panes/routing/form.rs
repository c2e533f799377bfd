//! A small form of labelled fields shared by the Routing pane's editors and tester: text
//! fields take typing, choice fields cycle through their options with the toggle key.

use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{DrawCtx, step};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Free text.
    Text(LineInput),
    /// One of a fixed list of options.
    Choice {
        /// The options, as shown.
        options: Vec<String>,
        /// The chosen one.
        index: usize,
    },
}

/// A labelled field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Shown before the value.
    pub label: String,
    /// The value.
    pub value: Value,
}

impl Field {
    /// A text field holding `text`.
    pub fn text(label: impl Into<String>, text: &str) -> Self {
        Field {
            label: label.into(),
            value: Value::Text(LineInput::with_text(text, false)),
        }
    }

    /// A choice among `options`, `index` chosen.
    pub fn choice(label: impl Into<String>, options: Vec<String>, index: usize) -> Self {
        let index = index.min(options.len().saturating_sub(1));
        Field {
            label: label.into(),
            value: Value::Choice { options, index },
        }
    }
}

/// Fields with one of them focused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// The focused field.
    pub focus: usize,
    /// The fields as they were opened, to tell whether there are edits to lose.
    pristine: Vec<Field>,
}

/// Whether two fields hold the same value (a text cursor's place does not count).
fn same(a: &Field, b: &Field) -> bool {
    a.label == b.label
        && match (&a.value, &b.value) {
            (Value::Text(x), Value::Text(y)) => x.text() == y.text(),
            (Value::Choice { index: x, .. }, Value::Choice { index: y, .. }) => x == y,
            _ => false,
        }
}

impl Form {
    /// A form of `fields`, the first focused, with no edits yet.
    pub fn new(fields: Vec<Field>) -> Self {
        Form {
            pristine: fields.clone(),
            fields,
            focus: 0,
        }
    }

    /// Takes the fields as they are now as the unedited state (for forms built in steps).
    pub fn mark_pristine(&mut self) {
        self.pristine = self.fields.clone();
    }

    /// Whether anything was changed since the form was opened.
    pub fn is_edited(&self) -> bool {
        self.fields.len() != self.pristine.len()
            || self
                .fields
                .iter()
                .zip(&self.pristine)
                .any(|(a, b)| !same(a, b))
    }

    /// Whether the focused field takes typed characters.
    pub fn captures_text(&self) -> bool {
        matches!(
            self.fields.get(self.focus).map(|f| &f.value),
            Some(Value::Text(_))
        )
    }

    /// Moves the focus by `delta` fields.
    pub fn move_focus(&mut self, delta: i64) {
        self.focus = step(self.focus, delta, self.fields.len());
    }

    /// Picks the next option of the focused choice; returns whether it was one.
    pub fn cycle(&mut self) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(Value::Choice { options, index }) if !options.is_empty() => {
                *index = (*index + 1) % options.len();
                true
            }
            _ => false,
        }
    }

    /// Gives an editing key to the focused text field; returns whether it used it.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(Value::Text(input)) => input.key(key),
            _ => false,
        }
    }

    /// Pastes into the focused text field; returns whether there is one.
    pub fn paste(&mut self, text: &str) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(Value::Text(input)) => {
                input.insert_str(text);
                true
            }
            _ => false,
        }
    }

    /// The text of field `i` ("" for a choice or a missing field), trimmed.
    pub fn text(&self, i: usize) -> &str {
        match self.fields.get(i).map(|f| &f.value) {
            Some(Value::Text(input)) => input.text().trim(),
            _ => "",
        }
    }

    /// The chosen index of field `i` (0 for text or a missing field).
    pub fn choice(&self, i: usize) -> usize {
        match self.fields.get(i).map(|f| &f.value) {
            Some(Value::Choice { index, .. }) => *index,
            _ => 0,
        }
    }

    /// Draws the fields into `area`, scrolled so the focused one shows; choices read
    /// `‹option›` so they look different from text.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
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
                match &f.value {
                    Value::Text(input) => {
                        let line = input.line(ctx.theme.input, focused);
                        spans.extend(scrolled(line, focused, room).spans);
                    }
                    Value::Choice { options, index } => {
                        let shown = options.get(*index).map_or("", String::as_str);
                        let style = if focused {
                            ctx.theme.selected
                        } else {
                            ctx.theme.base
                        };
                        spans.push(Span::styled(format!("‹{shown}›"), style));
                    }
                }
                Line::from(spans)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
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
