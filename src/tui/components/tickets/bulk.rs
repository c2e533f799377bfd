//! Bulk changes: the confirmation that says how many tickets a change will touch, and the
//! writes that carry it (`POST /tickets/bulk` takes at most 1000 ids, so bigger sets are split).

use crate::client::Write;
use crate::domain::wire::{BulkRequest, StaffTicketPatch};
use crate::tui::action::Action;
use crate::tui::components::{DrawCtx, centered};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

/// The most ids the server takes in one bulk request.
pub const MAX_IDS: usize = 1000;

/// The bulk writes for applying `patch` to `ids`, at most [`MAX_IDS`] ids each.
pub fn writes(ids: &[i64], patch: &StaffTicketPatch) -> Vec<Write> {
    ids.chunks(MAX_IDS)
        .map(|chunk| {
            Write::Bulk(BulkRequest {
                ids: chunk.to_vec(),
                patch: patch.clone(),
            })
        })
        .collect()
}

/// The question for applying a choice labelled `label` of `field` to `count` tickets.
pub fn question(field: super::picker::Field, label: &str, count: usize) -> String {
    use super::picker::Field;
    let tickets = if count == 1 { "ticket" } else { "tickets" };
    match field {
        Field::Owner if label == "nobody" => format!("Unassign {count} {tickets}?"),
        Field::Owner => format!(
            "Assign {count} {tickets} to {}?",
            label.trim_end_matches(" (me)")
        ),
        Field::Stage => format!("Set the stage of {count} {tickets} to {label}?"),
        Field::Priority => format!("Set the priority of {count} {tickets} to {label}?"),
    }
}

/// What became of a key given to the confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Not answered yet.
    Waiting,
    /// Declined: nothing is sent.
    No,
    /// Accepted: send the change.
    Yes,
}

/// An open confirmation of a bulk change.
#[derive(Debug, Clone)]
pub struct Confirm {
    question: String,
    ids: Vec<i64>,
    patch: StaffTicketPatch,
}

impl Confirm {
    /// Asks `question` before applying `patch` to `ids`.
    pub fn new(question: String, ids: Vec<i64>, patch: StaffTicketPatch) -> Self {
        Confirm {
            question,
            ids,
            patch,
        }
    }

    /// The writes to send once accepted.
    pub fn writes(&self) -> Vec<Write> {
        writes(&self.ids, &self.patch)
    }

    /// Enter accepts, Esc declines.
    pub fn handle(&self, action: Action) -> Answer {
        match action {
            Action::Confirm => Answer::Yes,
            Action::Close => Answer::No,
            _ => Answer::Waiting,
        }
    }

    /// `y` accepts, `n` declines.
    pub fn input(&self, key: &KeyEvent) -> Answer {
        match key.code {
            KeyCode::Char('y' | 'Y') => Answer::Yes,
            KeyCode::Char('n' | 'N') => Answer::No,
            _ => Answer::Waiting,
        }
    }

    /// Draws the question in the middle of `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let text = format!("{} y/n", self.question);
        let width = u16::try_from(text.chars().count() + 4)
            .unwrap_or(u16::MAX)
            .clamp(30, 70);
        let wraps = text.chars().count() + 2 > usize::from(width);
        let popup = centered(area, width, 4 + u16::from(wraps));
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(" Bulk change ", ctx.theme.title));
        let lines = vec![
            Line::from(vec![
                Span::raw(self.question.clone()),
                Span::styled(" y/n", ctx.theme.key),
            ]),
            Line::styled("Enter: yes · Esc: no", ctx.theme.muted),
        ];
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
            popup,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::picker::Field;
    use super::*;
    use crossterm::event::KeyModifiers;

    #[test]
    fn big_sets_are_split_into_requests_of_at_most_a_thousand() {
        let ids: Vec<i64> = (1..=2500).collect();
        let patch = StaffTicketPatch {
            owner_id: Some(Some(4)),
            ..StaffTicketPatch::default()
        };
        let sizes: Vec<usize> = writes(&ids, &patch)
            .iter()
            .map(|w| match w {
                Write::Bulk(b) => {
                    assert_eq!(b.patch.owner_id, Some(Some(4)));
                    b.ids.len()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(writes(&ids[..3], &patch).len(), 1);
    }

    #[test]
    fn the_question_says_how_many_and_what() {
        assert_eq!(
            question(Field::Owner, "Dana Smith", 12),
            "Assign 12 tickets to Dana Smith?"
        );
        assert_eq!(
            question(Field::Owner, "Sam Carter (me)", 1),
            "Assign 1 ticket to Sam Carter?"
        );
        assert_eq!(question(Field::Owner, "nobody", 3), "Unassign 3 tickets?");
        assert_eq!(
            question(Field::Priority, "high", 2),
            "Set the priority of 2 tickets to high?"
        );
    }

    #[test]
    fn y_and_enter_accept_n_and_escape_decline() {
        let c = Confirm::new("Go?".into(), vec![1], StaffTicketPatch::default());
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(c.input(&key('y')), Answer::Yes);
        assert_eq!(c.input(&key('n')), Answer::No);
        assert_eq!(c.input(&key('x')), Answer::Waiting);
        assert_eq!(c.handle(Action::Confirm), Answer::Yes);
        assert_eq!(c.handle(Action::Close), Answer::No);
    }
}
