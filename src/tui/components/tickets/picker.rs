//! A small popup to choose the selected ticket's stage or priority; Enter applies the choice
//! through the outbox, Esc closes it.

use crate::domain::wire::StaffTicketPatch;
use crate::domain::{Priority, Stage};
use crate::tui::action::Action;
use crate::tui::components::{DrawCtx, centered, step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

const STAGES: [Stage; 4] = [
    Stage::New,
    Stage::WaitingOnContact,
    Stage::WaitingOnUs,
    Stage::Closed,
];

/// What the picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The pipeline stage.
    Stage,
    /// The priority.
    Priority,
}

/// What became of an action given to the picker.
#[derive(Debug)]
pub enum Picked {
    /// Still choosing.
    Choosing,
    /// Closed without a choice.
    Cancelled,
    /// This change was chosen.
    Chosen(StaffTicketPatch),
}

/// The open picker.
#[derive(Debug)]
pub struct Picker {
    field: Field,
    ticket: i64,
    selected: usize,
}

impl Picker {
    /// A picker of `field` for ticket `ticket`.
    pub fn new(field: Field, ticket: i64) -> Self {
        Picker {
            field,
            ticket,
            selected: 0,
        }
    }

    /// The ticket it changes.
    pub fn ticket(&self) -> i64 {
        self.ticket
    }

    fn options(&self) -> Vec<&'static str> {
        match self.field {
            Field::Stage => STAGES.iter().map(|s| s.as_str()).collect(),
            Field::Priority => Priority::ALL.iter().map(|p| p.as_str()).collect(),
        }
    }

    /// Moves, chooses or cancels.
    pub fn handle(&mut self, action: Action) -> Picked {
        let len = self.options().len();
        match action {
            Action::Down => self.selected = step(self.selected, 1, len),
            Action::Up => self.selected = step(self.selected, -1, len),
            Action::Close => return Picked::Cancelled,
            Action::Confirm => {
                let mut patch = StaffTicketPatch::default();
                match self.field {
                    Field::Stage => patch.stage = STAGES.get(self.selected).copied(),
                    Field::Priority => patch.priority = Priority::ALL.get(self.selected).copied(),
                }
                return Picked::Chosen(patch);
            }
            _ => {}
        }
        Picked::Choosing
    }

    /// Draws the popup in the middle of `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let options = self.options();
        let height = u16::try_from(options.len()).unwrap_or(4) + 2;
        let popup = centered(area, 30, height);
        let title = match self.field {
            Field::Stage => format!(" Stage of #{} ", self.ticket),
            Field::Priority => format!(" Priority of #{} ", self.ticket),
        };
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(title, ctx.theme.title));
        let lines: Vec<Line> = options
            .iter()
            .enumerate()
            .map(|(n, o)| {
                let text = o.replace('_', " ");
                if n == self.selected {
                    Line::styled(format!("▶ {text}"), ctx.theme.selected)
                } else {
                    Line::raw(format!("  {text}"))
                }
            })
            .collect();
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choosing_gives_the_patch_and_escape_cancels() {
        let mut p = Picker::new(Field::Priority, 7);
        p.handle(Action::Down);
        p.handle(Action::Down);
        match p.handle(Action::Confirm) {
            Picked::Chosen(patch) => assert_eq!(patch.priority, Some(Priority::High)),
            other => panic!("{other:?}"),
        }
        let mut p = Picker::new(Field::Stage, 7);
        p.handle(Action::Up);
        match p.handle(Action::Confirm) {
            Picked::Chosen(patch) => assert_eq!(patch.stage, Some(Stage::New)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(p.handle(Action::Close), Picked::Cancelled));
    }
}
