//! The composer's saved-reply picker (staff): the saved replies as the view holds them (so it
//! works offline), fuzzy matched on their titles as the agent types, with the chosen one's
//! text shown below the list. It takes the palette's keys (`Esc`, `Enter`, up and down).

use crate::domain::SavedReply;
use crate::domain::text::strip_control;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::palette::ranked;
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{DrawCtx, centered, step};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Clear, List, ListItem, ListState, Padding, Paragraph, Wrap,
};

/// What a key did to the picker.
#[derive(Debug, PartialEq, Eq)]
pub enum Picked {
    /// Still choosing.
    Open,
    /// Closed without a choice.
    Closed,
    /// This reply's body (placeholders not yet filled) goes in at the cursor.
    Chosen(String),
}

/// The open picker.
#[derive(Debug, Clone)]
pub struct ReplyPicker {
    replies: Vec<SavedReply>,
    query: LineInput,
    /// Indices into `replies` with the matched character positions of the title, best first.
    matches: Vec<(usize, Vec<usize>)>,
    selected: usize,
}

impl ReplyPicker {
    /// A picker over `replies` (in the order to list them when nothing is typed).
    pub fn new(replies: Vec<SavedReply>) -> Self {
        let mut picker = ReplyPicker {
            replies,
            query: LineInput::new(false),
            matches: Vec::new(),
            selected: 0,
        };
        picker.refilter();
        picker
    }

    fn refilter(&mut self) {
        let titles = self.replies.iter().map(|r| r.title.as_str());
        self.matches = ranked(self.query.text(), titles);
        self.selected = 0;
    }

    /// The titles listed now, best match first.
    #[cfg(test)]
    fn listed(&self) -> Vec<&str> {
        self.matches
            .iter()
            .map(|(i, _)| self.replies[*i].title.as_str())
            .collect()
    }

    fn chosen(&self) -> Option<&SavedReply> {
        self.matches
            .get(self.selected)
            .map(|(i, _)| &self.replies[*i])
    }

    /// What it offers, for the hint bar and help.
    pub fn commands() -> Vec<Command> {
        vec![
            Command::labelled(Action::Confirm, "insert the reply"),
            Command::new(Action::Close),
            Command::new(Action::Down),
            Command::new(Action::Up),
        ]
    }

    /// Takes an action of the palette's keys.
    pub fn act(&mut self, action: Action) -> Picked {
        match action {
            Action::Close => return Picked::Closed,
            Action::Confirm => {
                if let Some(reply) = self.chosen() {
                    return Picked::Chosen(reply.body.clone());
                }
            }
            Action::Down => self.selected = step(self.selected, 1, self.matches.len()),
            Action::Up => self.selected = step(self.selected, -1, self.matches.len()),
            _ => {}
        }
        Picked::Open
    }

    /// A typed key for the search line.
    pub fn input(&mut self, key: &KeyEvent) {
        if self.query.key(key) {
            self.refilter();
        }
    }

    /// Pasted text for the search line.
    pub fn paste(&mut self, text: &str) {
        self.query.insert_str(text);
        self.refilter();
    }

    /// Draws the picker over `area` (the composer).
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let popup = centered(
            area,
            area.width.saturating_sub(4).min(72),
            area.height.saturating_sub(2).min(18),
        );
        let block = Block::bordered()
            .padding(Padding::horizontal(1))
            .border_type(BorderType::Rounded)
            .border_style(theme.border_focused)
            .title(Line::styled(" Saved replies ", theme.title))
            .style(theme.popup);
        let inner = block.inner(popup);
        frame.render_widget(Clear, popup);
        frame.render_widget(block, popup);
        let [prompt, list_area, rule, preview] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(2),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let mut line = self.query.line(theme.input, true);
        line.spans.insert(0, Span::styled("/ ", theme.key));
        frame.render_widget(line, prompt);
        frame.render_widget(
            Line::styled("─".repeat(usize::from(rule.width)), theme.border),
            rule,
        );
        if self.matches.is_empty() {
            let none = if self.replies.is_empty() {
                "No saved replies yet: add one from the palette (:) or `deskport replies add`."
            } else {
                "No saved reply matches."
            };
            frame.render_widget(
                Paragraph::new(none)
                    .style(theme.muted)
                    .wrap(Wrap { trim: true }),
                list_area,
            );
            return;
        }
        let items: Vec<ListItem> = self
            .matches
            .iter()
            .map(|(i, positions)| {
                let reply = &self.replies[*i];
                let mut spans: Vec<Span> = strip_control(&reply.title)
                    .chars()
                    .enumerate()
                    .map(|(n, c)| {
                        let style = if positions.contains(&n) {
                            theme.matched
                        } else {
                            theme.popup
                        };
                        Span::styled(c.to_string(), style)
                    })
                    .collect();
                let scope = if reply.is_shared() {
                    "  shared"
                } else {
                    "  yours"
                };
                spans.push(Span::styled(scope, theme.muted));
                ListItem::new(Line::from(spans))
            })
            .collect();
        let list = List::new(items)
            .highlight_style(theme.selected)
            .highlight_symbol("▶ ");
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(list, list_area, &mut state);
        if let Some(reply) = self.chosen() {
            frame.render_widget(
                Paragraph::new(strip_control(&reply.body))
                    .style(theme.muted)
                    .wrap(Wrap { trim: false }),
                preview,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn reply(id: i64, title: &str) -> SavedReply {
        SavedReply {
            id,
            title: title.into(),
            body: format!("body of {title}"),
            owner_id: None,
        }
    }

    #[test]
    fn typing_narrows_by_title_and_enter_chooses_the_best_match() {
        let mut p = ReplyPicker::new(vec![
            reply(1, "Password reset"),
            reply(2, "Refund issued"),
            reply(3, "Shipping delay"),
        ]);
        assert_eq!(p.listed().len(), 3);
        for c in "rfnd".chars() {
            p.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(p.listed(), vec!["Refund issued"]);
        assert_eq!(
            p.act(Action::Confirm),
            Picked::Chosen("body of Refund issued".into())
        );
        assert_eq!(p.act(Action::Close), Picked::Closed);
    }

    #[test]
    fn nothing_to_choose_keeps_it_open() {
        let mut p = ReplyPicker::new(vec![reply(1, "Password reset")]);
        p.paste("zzz");
        assert!(p.listed().is_empty());
        assert_eq!(p.act(Action::Confirm), Picked::Open);
    }
}
