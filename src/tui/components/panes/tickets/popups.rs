//! The small popups over the Tickets pane and where their answers go: the stage, priority
//! and owner pickers, the category and tags prompt, the yes/no question before a bulk change
//! or closing a ticket, and who can see a ticket. A choice for one ticket is sent at once; a
//! choice for marked tickets asks first.

use super::Tickets;
use super::assign::agents;
use super::audience::{AudiencePopup, Handled};
use super::bulk;
use super::layers::{Layer, Step, Then};
use super::picker::{Field, Picked, Picker, Target};
use super::prompt::{self, Prompt, Prompted};
use crate::client::View;
use crate::domain::wire::StaffTicketPatch;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Answered, Ask, Question};
use crate::tui::components::{Component, DrawCtx, Outcome};
use crate::tui::keymap::Context;
use crate::tui::msg::Done;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::BTreeSet;

/// Categories listed as a hint in the category prompt, at most.
const KNOWN_CATEGORIES: usize = 6;

/// The popup open over the pane.
#[derive(Debug)]
pub enum Popup {
    /// Choosing a stage, priority or owner.
    Pick(Picker),
    /// Typing a category or tags.
    Prompt(Prompt),
    /// A yes/no question, and what a yes does.
    Ask(Ask<Then>),
    /// Who can see a ticket (staff).
    Audience(AudiencePopup),
}

impl Popup {
    /// The question `question`, doing `then` on a yes.
    pub fn question(question: Question, then: Then) -> Self {
        let mut ask = Ask::default();
        ask.ask(question, then);
        Popup::Ask(ask)
    }
}

/// A popup as the layer over the pane, with what it finished with.
#[derive(Debug)]
pub struct PopupLayer {
    popup: Popup,
    step: Option<Step>,
}

impl Layer for PopupLayer {
    fn take_step(&mut self) -> Option<Step> {
        self.step.take()
    }
}

impl Component for PopupLayer {
    /// A question reads the yes/no keys, the prompt the pane's own (so `Ctrl-U` reaches
    /// the line), the others the list's moves too.
    fn contexts(&self) -> &'static [Context] {
        match &self.popup {
            Popup::Ask(_) => confirm::CONTEXTS,
            Popup::Prompt(_) => &[Context::Tickets],
            Popup::Pick(_) | Popup::Audience(_) => &[Context::Tickets, Context::List],
        }
    }

    fn commands(&self) -> Vec<Command> {
        match &self.popup {
            Popup::Pick(_) => vec![
                Command::labelled(Action::Confirm, "apply"),
                Command::labelled(Action::Close, "cancel"),
                Command::new(Action::Down),
                Command::new(Action::Up),
            ],
            Popup::Prompt(_) => vec![
                Command::labelled(Action::Confirm, "apply"),
                Command::labelled(Action::Close, "cancel"),
            ],
            Popup::Ask(ask) => ask.commands(),
            Popup::Audience(_) => AudiencePopup::commands(),
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        self.step = match &mut self.popup {
            Popup::Pick(p) => match p.handle(action) {
                Picked::Choosing => None,
                Picked::Cancelled => Some(Step::Close),
                Picked::Chosen { patch, label } => Some(match p.target().clone() {
                    Target::One(id) => Step::Patch { id, patch },
                    Target::Many(ids) => Step::AskBulk {
                        field: p.field(),
                        label,
                        ids,
                        patch,
                    },
                }),
            },
            Popup::Prompt(p) => match p.handle(action) {
                Prompted::Editing => None,
                Prompted::Cancelled => Some(Step::Close),
                Prompted::Done(patch) => Some(Step::Patch {
                    id: p.ticket(),
                    patch,
                }),
            },
            Popup::Ask(ask) => match ask.answer(action) {
                Answered::PassedOn => return Outcome::Ignored,
                Answered::Waiting => None,
                Answered::No => Some(Step::Close),
                Answered::Yes(then) => Some(Step::Confirmed(then)),
            },
            Popup::Audience(a) => (a.handle(action) == Handled::Closed).then_some(Step::Close),
        };
        Outcome::Changed
    }

    fn captures_text(&self) -> bool {
        matches!(self.popup, Popup::Prompt(_))
    }

    fn asking(&self) -> bool {
        matches!(self.popup, Popup::Ask(_))
    }

    /// A typed key: text for the prompt; the other popups take none.
    fn input(&mut self, key: &KeyEvent) -> Outcome {
        match &mut self.popup {
            Popup::Prompt(p) => {
                p.input(key);
                Outcome::Changed
            }
            Popup::Pick(_) | Popup::Audience(_) | Popup::Ask(_) => Outcome::Ignored,
        }
    }

    /// Pasted text: for the prompt; the other popups take none.
    fn paste(&mut self, text: &str) -> Outcome {
        match &mut self.popup {
            Popup::Prompt(p) => {
                p.paste(text);
                Outcome::Changed
            }
            Popup::Pick(_) | Popup::Audience(_) | Popup::Ask(_) => Outcome::Ignored,
        }
    }

    /// Takes the answer of background work the popup waits for; others are given back.
    fn background(&mut self, done: Done) -> Option<Done> {
        match &mut self.popup {
            Popup::Audience(a) => a.receive(done),
            Popup::Pick(_) | Popup::Prompt(_) | Popup::Ask(_) => Some(done),
        }
    }

    /// Draws the popup over `area`.
    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        match &self.popup {
            Popup::Pick(p) => p.draw(frame, area, ctx),
            Popup::Prompt(p) => p.draw(frame, area, ctx),
            Popup::Ask(ask) => ask.draw(frame, area, ctx),
            Popup::Audience(a) => a.draw(frame, area, ctx),
        }
    }
}

/// The value every one of `values` has, if they agree.
fn common<T: PartialEq>(mut values: impl Iterator<Item = T>) -> Option<T> {
    let first = values.next()?;
    values.all(|v| v == first).then_some(first)
}

/// The categories in use, alphabetically, for the prompt's hint.
fn categories(view: &View) -> Vec<String> {
    let set: BTreeSet<&str> = view
        .tickets()
        .map(|t| t.category())
        .filter(|c| !c.is_empty())
        .collect();
    set.into_iter()
        .take(KNOWN_CATEGORIES)
        .map(str::to_string)
        .collect()
}

impl Tickets {
    /// Opens `popup` over the pane.
    pub(super) fn open_popup(&mut self, popup: Popup) {
        self.open_layer(PopupLayer { popup, step: None });
    }

    /// The tickets a change applies to: the marked ones in the list, else the target.
    fn change_target(&self) -> Option<Target> {
        if self.open.is_none() && !self.marks.is_empty() {
            return Some(Target::Many(self.marks.ids()));
        }
        self.target().map(|t| Target::One(t.id()))
    }

    /// Opens the picker of `field` for the marked tickets or the target ticket (staff).
    pub(super) fn pick(&mut self, field: Field) -> Outcome {
        let Some(target) = self.change_target().filter(|_| self.staff) else {
            return Outcome::Ignored;
        };
        let client = self.client.clone();
        let view = client.view();
        let ids = match &target {
            Target::One(id) => vec![*id],
            Target::Many(ids) => ids.clone(),
        };
        let shown = || ids.iter().filter_map(|id| view.ticket(*id));
        let picker = match field {
            Field::Stage => Picker::stage(target, common(shown().map(|t| t.stage())).flatten()),
            Field::Priority => Picker::priority(target, common(shown().map(|t| t.priority()))),
            Field::Owner => Picker::owner(
                target,
                &agents(&view, self.me),
                common(shown().map(|t| t.owner_id())),
            ),
        };
        self.open_popup(Popup::Pick(picker));
        Outcome::Changed
    }

    /// Opens the prompt of `field` for the target ticket (staff).
    pub(super) fn prompt(&mut self, field: prompt::Field) -> Outcome {
        let Some(t) = self.target().filter(|_| self.staff) else {
            return Outcome::Ignored;
        };
        let prompt = match field {
            prompt::Field::Category => {
                let known = categories(&self.client.view());
                Prompt::new(field, t.id(), t.category(), &known)
            }
            prompt::Field::Tags => {
                let tags: Vec<&str> = t.tags().collect();
                Prompt::new(field, t.id(), &tags.join(", "), &[])
            }
        };
        self.open_popup(Popup::Prompt(prompt));
        Outcome::Changed
    }

    /// Asks before assigning the marked tickets to the signed-in agent.
    pub(super) fn assign_marked_to_me(&mut self) -> Outcome {
        let ids = self.marks.ids();
        let name = self.client.view().account.name.clone();
        let patch = StaffTicketPatch {
            owner_id: Some(Some(self.me)),
            ..StaffTicketPatch::default()
        };
        self.ask_bulk(Field::Owner, &name, ids, patch);
        Outcome::Changed
    }

    /// Asks before setting `field` to the choice labelled `label` on the marked `ids`.
    pub(super) fn ask_bulk(
        &mut self,
        field: Field,
        label: &str,
        ids: Vec<i64>,
        patch: StaffTicketPatch,
    ) {
        let question = Question::new("Bulk change", bulk::question(field, label, ids.len()));
        self.open_popup(Popup::question(question, Then::Bulk { ids, patch }));
    }

    /// Opens "who can see this ticket?" on the target ticket (staff).
    pub(super) fn who_can_see(&mut self) -> Outcome {
        let Some(id) = self.target_id().filter(|_| self.staff) else {
            return Outcome::Ignored;
        };
        let popup = AudiencePopup::load(&self.client, id, &self.tasks);
        self.open_popup(Popup::Audience(popup));
        Outcome::Changed
    }
}
