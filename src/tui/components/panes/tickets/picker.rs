//! A small popup to choose a stage, a priority or an owner for the selected ticket or for the
//! marked ones. It opens on the current value; Enter chooses, Esc closes it.

use super::assign::Agent;
use crate::domain::wire::StaffTicketPatch;
use crate::domain::{Priority, Stage};
use crate::tui::action::Action;
use crate::tui::components::{DrawCtx, centered, step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// What the picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The pipeline stage.
    Stage,
    /// The priority.
    Priority,
    /// The owner (or nobody).
    Owner,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Stage => "Stage",
            Field::Priority => "Priority",
            Field::Owner => "Owner",
        }
    }
}

/// The tickets a choice applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One ticket, changed at once.
    One(i64),
    /// The marked tickets, changed in bulk after a confirmation.
    Many(Vec<i64>),
}

/// One option: what it says, an optional figure beside it, and the change it makes.
#[derive(Debug, Clone)]
struct Choice {
    label: String,
    detail: Option<String>,
    patch: StaffTicketPatch,
}

/// What became of an action given to the picker.
#[derive(Debug)]
pub enum Picked {
    /// Still choosing.
    Choosing,
    /// Closed without a choice.
    Cancelled,
    /// This change was chosen; the label names it ("Dana Smith", "waiting on us").
    Chosen {
        /// The change.
        patch: StaffTicketPatch,
        /// What was chosen, as the picker showed it.
        label: String,
    },
}

/// The open picker.
#[derive(Debug)]
pub struct Picker {
    field: Field,
    target: Target,
    choices: Vec<Choice>,
    selected: usize,
}

impl Picker {
    /// A stage picker for `target`, starting on `current`.
    pub fn stage(target: Target, current: Option<Stage>) -> Self {
        let choices = Stage::ALL
            .iter()
            .map(|s| Choice {
                label: s.as_str().replace('_', " "),
                detail: None,
                patch: StaffTicketPatch {
                    stage: Some(*s),
                    ..StaffTicketPatch::default()
                },
            })
            .collect();
        let at = current.and_then(|c| Stage::ALL.iter().position(|s| *s == c));
        Self::build(Field::Stage, target, choices, at)
    }

    /// A priority picker for `target`, starting on `current`.
    pub fn priority(target: Target, current: Option<Priority>) -> Self {
        let choices = Priority::ALL
            .iter()
            .map(|p| Choice {
                label: p.as_str().to_string(),
                detail: None,
                patch: StaffTicketPatch {
                    priority: Some(*p),
                    ..StaffTicketPatch::default()
                },
            })
            .collect();
        let at = current.and_then(|c| Priority::ALL.iter().position(|p| *p == c));
        Self::build(Field::Priority, target, choices, at)
    }

    /// An owner picker for `target` over `agents` (each with their open tickets) and
    /// "nobody", starting on `current` (`Some(None)`: nobody).
    pub fn owner(target: Target, agents: &[Agent], current: Option<Option<i64>>) -> Self {
        let mut choices: Vec<Choice> = agents
            .iter()
            .map(|a| Choice {
                label: if a.me {
                    format!("{} (me)", a.name)
                } else {
                    a.name.clone()
                },
                detail: Some(format!("{} open", a.open)),
                patch: StaffTicketPatch {
                    owner_id: Some(Some(a.id)),
                    ..StaffTicketPatch::default()
                },
            })
            .collect();
        choices.push(Choice {
            label: "nobody".into(),
            detail: Some("unassign".into()),
            patch: StaffTicketPatch {
                owner_id: Some(None),
                ..StaffTicketPatch::default()
            },
        });
        let at = current.and_then(|c| match c {
            Some(id) => agents.iter().position(|a| a.id == id),
            None => Some(agents.len()),
        });
        Self::build(Field::Owner, target, choices, at)
    }

    fn build(field: Field, target: Target, choices: Vec<Choice>, at: Option<usize>) -> Self {
        Picker {
            field,
            target,
            choices,
            selected: at.unwrap_or(0),
        }
    }

    /// What it chooses.
    pub fn field(&self) -> Field {
        self.field
    }

    /// The tickets it changes.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Moves, chooses or cancels.
    pub fn handle(&mut self, action: Action) -> Picked {
        let len = self.choices.len();
        match action {
            Action::Down => self.selected = step(self.selected, 1, len),
            Action::Up => self.selected = step(self.selected, -1, len),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = len.saturating_sub(1),
            Action::Close => return Picked::Cancelled,
            Action::Confirm => {
                if let Some(c) = self.choices.get(self.selected) {
                    return Picked::Chosen {
                        patch: c.patch.clone(),
                        label: c.label.clone(),
                    };
                }
                return Picked::Cancelled;
            }
            _ => {}
        }
        Picked::Choosing
    }

    /// Draws the popup in the middle of `area`, scrolled to keep the choice in sight.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let title = match &self.target {
            Target::One(id) => format!(" {} of #{id} ", self.field.name()),
            Target::Many(ids) => format!(" {} of {} marked ", self.field.name(), ids.len()),
        };
        let label_width = self.choices.iter().map(|c| c.label.chars().count());
        let detail_width = self
            .choices
            .iter()
            .filter_map(|c| c.detail.as_ref().map(|d| d.chars().count() + 2));
        let label_width = label_width.max().unwrap_or(0);
        let width = (label_width + detail_width.max().unwrap_or(0) + 6).max(title.len() + 4);
        let height = self.choices.len() + 2;
        let popup = centered(
            area,
            u16::try_from(width).unwrap_or(u16::MAX),
            u16::try_from(height).unwrap_or(u16::MAX),
        );
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(title, ctx.theme.title));
        let rows = usize::from(popup.height.saturating_sub(2)).max(1);
        let first = self.selected.saturating_sub(rows - 1);
        let lines: Vec<Line> = self
            .choices
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(n, c)| {
                let marker = if n == self.selected { "▶ " } else { "  " };
                let mut spans = vec![Span::raw(format!("{marker}{:<label_width$}", c.label))];
                if let Some(d) = &c.detail {
                    spans.push(Span::styled(format!("  {d}"), ctx.theme.muted));
                }
                let line = Line::from(spans);
                if n == self.selected {
                    line.style(ctx.theme.selected)
                } else {
                    line
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

    fn chosen(p: &mut Picker) -> (StaffTicketPatch, String) {
        match p.handle(Action::Confirm) {
            Picked::Chosen { patch, label } => (patch, label),
            other => panic!("{other:?}"),
        }
    }

    fn agents() -> Vec<Agent> {
        vec![
            Agent {
                id: 2,
                name: "Lin Park".into(),
                open: 4,
                me: false,
            },
            Agent {
                id: 3,
                name: "Sam Carter".into(),
                open: 7,
                me: true,
            },
        ]
    }

    #[test]
    fn choosing_gives_the_patch_and_escape_cancels() {
        let mut p = Picker::priority(Target::One(7), None);
        p.handle(Action::Down);
        p.handle(Action::Down);
        assert_eq!(chosen(&mut p).0.priority, Some(Priority::High));
        let mut p = Picker::stage(Target::One(7), None);
        p.handle(Action::Up);
        assert_eq!(chosen(&mut p).0.stage, Some(Stage::New));
        assert!(matches!(p.handle(Action::Close), Picked::Cancelled));
    }

    #[test]
    fn pickers_open_on_the_current_value() {
        let mut p = Picker::stage(Target::One(7), Some(Stage::WaitingOnUs));
        assert_eq!(chosen(&mut p).0.stage, Some(Stage::WaitingOnUs));
        let mut p = Picker::priority(Target::One(7), Some(Priority::Urgent));
        assert_eq!(chosen(&mut p).0.priority, Some(Priority::Urgent));
        let mut p = Picker::owner(Target::One(7), &agents(), Some(Some(3)));
        let (patch, label) = chosen(&mut p);
        assert_eq!(
            (patch.owner_id, label.as_str()),
            (Some(Some(3)), "Sam Carter (me)")
        );
        let mut p = Picker::owner(Target::One(7), &agents(), Some(None));
        let (patch, label) = chosen(&mut p);
        assert_eq!((patch.owner_id, label.as_str()), (Some(None), "nobody"));
    }

    #[test]
    fn the_owner_picker_lists_agents_then_nobody() {
        let mut p = Picker::owner(Target::Many(vec![1, 2]), &agents(), None);
        assert_eq!(chosen(&mut p).0.owner_id, Some(Some(2)));
        p.handle(Action::Bottom);
        assert_eq!(chosen(&mut p).0.owner_id, Some(None));
        p.handle(Action::Down);
        assert_eq!(chosen(&mut p).1, "nobody", "the last choice stays chosen");
        assert_eq!(p.target(), &Target::Many(vec![1, 2]));
        assert_eq!(p.field(), Field::Owner);
    }
}
