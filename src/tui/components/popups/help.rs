//! The `?` popup: every key of the context it was opened from, grouped by where it works,
//! generated from the same bindings as the hint bar.

use crate::domain::i18n::Arg;
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::text::keys_text;
use crate::tui::components::{Binding, Component, DrawCtx, Outcome, Request, centered, step};
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

/// A titled group of bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpGroup {
    /// Where these keys work ("Tickets", "Everywhere").
    pub title: String,
    /// The bindings.
    pub bindings: Vec<Binding>,
}

/// The help popup.
#[derive(Debug, Clone)]
pub struct Help {
    title: String,
    groups: Vec<HelpGroup>,
    scroll: usize,
    /// Rows visible at the last draw, for paging.
    page: usize,
}

impl Help {
    /// Help for the context called `title`.
    pub fn new(title: &str, groups: Vec<HelpGroup>) -> Self {
        Help {
            title: title.to_string(),
            groups,
            scroll: 0,
            page: 1,
        }
    }

    /// The groups it lists.
    pub fn groups(&self) -> &[HelpGroup] {
        &self.groups
    }

    fn lines(&self, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let width = self
            .groups
            .iter()
            .flat_map(|g| &g.bindings)
            .map(|b| keys_text(&b.keys).chars().count())
            .max()
            .unwrap_or(0);
        let mut lines = Vec::new();
        for group in &self.groups {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            lines.push(Line::styled(group.title.clone(), ctx.theme.title));
            for b in &group.bindings {
                let keys = keys_text(&b.keys);
                let pad = " ".repeat(width.saturating_sub(keys.chars().count()));
                let key_style = if b.keys.is_empty() {
                    ctx.theme.muted
                } else {
                    ctx.theme.key
                };
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(keys, key_style),
                    Span::raw(pad),
                    Span::raw("  "),
                    Span::styled(b.label.clone(), ctx.theme.popup),
                ]));
            }
        }
        lines
    }
}

impl Component for Help {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Help]
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::new(Action::Close),
            Command::worded(Action::Down, "help-scroll-down"),
            Command::worded(Action::Up, "help-scroll-up"),
            Command::new(Action::PageDown),
            Command::new(Action::PageUp),
        ]
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let rows = self
            .groups
            .iter()
            .map(|g| g.bindings.len() + 2)
            .sum::<usize>();
        let last = rows.saturating_sub(self.page);
        let page = i64::try_from(self.page).unwrap_or(1);
        self.scroll = match action {
            Action::Close => return Outcome::Request(Request::Close),
            Action::Down => step(self.scroll, 1, last + 1),
            Action::Up => step(self.scroll, -1, last + 1),
            Action::PageDown => step(self.scroll, page, last + 1),
            Action::PageUp => step(self.scroll, -page, last + 1),
            _ => return Outcome::Ignored,
        };
        Outcome::Changed
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        let action = if rows > 0 { Action::Down } else { Action::Up };
        (0..rows.unsigned_abs()).fold(Outcome::Ignored, |_, _| self.handle(action))
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let lines = self.lines(ctx);
        let want = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let popup = centered(
            area,
            area.width.saturating_sub(4).min(72),
            want.min(area.height.saturating_sub(2)),
        );
        self.page = usize::from(popup.height.saturating_sub(2)).max(1);
        self.scroll = self.scroll.min(lines.len().saturating_sub(self.page));
        let more = if self.scroll + self.page < lines.len() {
            format!(" {} ", t("help-more"))
        } else {
            String::new()
        };
        let block = Block::bordered()
            .padding(Padding::horizontal(1))
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(
                format!(
                    " {} ",
                    tf("help-title", &[("title", Arg::Text(&self.title))])
                ),
                ctx.theme.title,
            ))
            .title_bottom(Line::styled(more, ctx.theme.muted).right_aligned())
            .style(ctx.theme.popup);
        frame.render_widget(Clear, popup);
        let scroll = u16::try_from(self.scroll).unwrap_or(u16::MAX);
        frame.render_widget(
            Paragraph::new(lines).block(block).scroll((scroll, 0)),
            popup,
        );
    }
}
