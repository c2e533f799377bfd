//! The small popups over the Tickets pane and where their answers go: the stage, priority
//! and owner pickers, the category and tags prompt, the yes/no question before a bulk change
//! or closing a ticket, and who can see a ticket. A choice for one ticket is sent at once; a
//! choice for marked tickets asks first.

use super::Layer;
use super::Tickets;
use super::assign::agents;
use super::audience::{AudiencePopup, Handled};
use super::bulk;
use super::picker::{Field, Picked, Picker, Target};
use super::prompt::{self, Prompt, Prompted};
use crate::client::View;
use crate::domain::wire::StaffTicketPatch;
use crate::tui::action::{Action, Command};
use crate::tui::components::DrawCtx;
use crate::tui::components::Outcome;
use crate::tui::components::popups::confirm::{Answer, Question};
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
    Ask(Question, Then),
    /// Who can see a ticket (staff).
    Audience(AudiencePopup),
}

impl Popup {
    /// Whether typed characters are text for the popup.
    pub fn captures_text(&self) -> bool {
        matches!(self, Popup::Prompt(_))
    }

    /// The keys the popup offers.
    pub fn commands(&self) -> Vec<Command> {
        match self {
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
            Popup::Ask(..) => Question::commands(),
            Popup::Audience(_) => AudiencePopup::commands(),
        }
    }

    /// Draws the popup over `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        match self {
            Popup::Pick(p) => p.draw(frame, area, ctx),
            Popup::Prompt(p) => p.draw(frame, area, ctx),
            Popup::Ask(q, _) => q.draw(frame, area, ctx),
            Popup::Audience(a) => a.draw(frame, area, ctx),
        }
    }

    /// Takes the answer of background work the popup waits for; others are given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match self {
            Popup::Audience(a) => a.receive(done),
            Popup::Pick(_) | Popup::Prompt(_) | Popup::Ask(..) => Some(done),
        }
    }

    /// A typed key: text for the prompt; the other popups take none.
    pub fn input(&mut self, key: &KeyEvent) -> Outcome {
        match self {
            Popup::Prompt(p) => {
                p.input(key);
                Outcome::Changed
            }
            Popup::Pick(_) | Popup::Audience(_) | Popup::Ask(..) => Outcome::Ignored,
        }
    }

    /// Pasted text: for the prompt; the other popups take none.
    pub fn paste(&mut self, text: &str) -> Outcome {
        match self {
            Popup::Prompt(p) => {
                p.paste(text);
                Outcome::Changed
            }
            Popup::Pick(_) | Popup::Audience(_) | Popup::Ask(..) => Outcome::Ignored,
        }
    }
}

/// What a yes to the pane's question does.
#[derive(Debug)]
pub enum Then {
    /// Apply `patch` to the marked tickets `ids` (and clear the marks).
    Bulk {
        /// The marked tickets.
        ids: Vec<i64>,
        /// The change.
        patch: StaffTicketPatch,
    },
    /// Close this ticket.
    Close(i64),
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
    /// Whether a yes/no question is open: the composer's or the form's "discard?", a bulk
    /// change or closing a ticket. Its keys are then the question's.
    pub(super) fn asking(&self) -> bool {
        self.layer.as_ref().is_some_and(Layer::asking)
    }

    /// Opens `popup` over the pane.
    pub(super) fn open_popup(&mut self, popup: Popup) {
        self.layer = Some(Layer::Popup(popup));
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
    fn ask_bulk(&mut self, field: Field, label: &str, ids: Vec<i64>, patch: StaffTicketPatch) {
        let question = Question::new("Bulk change", bulk::question(field, label, ids.len()));
        self.open_popup(Popup::Ask(question, Then::Bulk { ids, patch }));
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

    /// Gives `action` to the open popup and applies what it made of it.
    pub(super) fn popup_handle(&mut self, action: Action) -> Outcome {
        let Some(Layer::Popup(popup)) = self.layer.as_mut() else {
            return Outcome::Ignored;
        };
        match popup {
            Popup::Pick(p) => match p.handle(action) {
                Picked::Choosing => {}
                Picked::Cancelled => self.layer = None,
                Picked::Chosen { patch, label } => {
                    let (field, target) = (p.field(), p.target().clone());
                    self.layer = None;
                    match target {
                        Target::One(id) => return self.patch(id, patch),
                        Target::Many(ids) => {
                            self.ask_bulk(field, &label, ids, patch);
                        }
                    }
                }
            },
            Popup::Prompt(p) => match p.handle(action) {
                Prompted::Editing => {}
                Prompted::Cancelled => self.layer = None,
                Prompted::Done(patch) => {
                    let id = p.ticket();
                    self.layer = None;
                    return self.patch(id, patch);
                }
            },
            Popup::Ask(..) => return self.answered(Question::answer(action)),
            Popup::Audience(a) => {
                if a.handle(action) == Handled::Closed {
                    self.layer = None;
                }
            }
        }
        Outcome::Changed
    }

    /// Does what the question asked about on a yes (the bulk change, which clears the marks,
    /// or closing the ticket), drops it on a no, and keeps asking otherwise.
    fn answered(&mut self, answer: Answer) -> Outcome {
        match answer {
            Answer::Waiting => return Outcome::Changed,
            Answer::No => self.layer = None,
            Answer::Yes => match self.layer.take() {
                Some(Layer::Popup(Popup::Ask(_, Then::Bulk { ids, patch }))) => {
                    self.submit_all(bulk::writes(&ids, &patch));
                    self.marks.clear();
                }
                Some(Layer::Popup(Popup::Ask(_, Then::Close(id)))) => {
                    return self.set_closed(id, true);
                }
                other => self.layer = other,
            },
        }
        Outcome::Changed
    }
}
