//! What is open over the Tickets pane: at most one layer (a popup, the composer or the
//! support form), which takes the keys, the hint bar and the drawing before the pane does.
//! Each layer is a [`Component`] of its own, so the pane hands every trait method to the
//! layer on top without knowing which kind it is; what a layer finished with (a reply to
//! send, a change to make, a yes to a question) comes back as one [`Step`] the pane carries
//! out in one place.

use super::Tickets;
use super::bulk;
use super::picker::Field;
use crate::client::Write;
use crate::domain::wire::StaffTicketPatch;
use crate::tui::action::Action;
use crate::tui::components::popups::confirm;
use crate::tui::components::{Component, Outcome};
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;

/// A layer over the Tickets pane: a component that, once done, leaves the pane a [`Step`].
pub trait Layer: Component + std::fmt::Debug {
    /// Takes what the last key or action finished with, if it finished the layer.
    fn take_step(&mut self) -> Option<Step>;
}

/// What a layer finished with; each closes the layer.
#[derive(Debug)]
pub enum Step {
    /// Nothing more to do (cancelled, discarded, closed).
    Close,
    /// Send this reply or note on the ticket it names, and show its thread.
    Reply(Box<Write>),
    /// Record this write (the customer's new ticket, a ticket's CCs).
    Submit(Box<Write>),
    /// Change ticket `id`.
    Patch {
        /// The ticket.
        id: i64,
        /// The change.
        patch: StaffTicketPatch,
    },
    /// Ask before setting `field` to the choice labelled `label` on the marked `ids`.
    AskBulk {
        /// What the change sets.
        field: Field,
        /// The choice, as shown.
        label: String,
        /// The marked tickets.
        ids: Vec<i64>,
        /// The change.
        patch: StaffTicketPatch,
    },
    /// The question was answered yes: do what it asked about.
    Confirmed(Then),
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

/// The keymap sections of a layer that edits text (the composer, the support form): the
/// question's while it asks whether to discard, else the composer's (`Ctrl-S` sends, `Esc`
/// closes, `Tab` moves on).
pub fn editor_contexts(asking: bool) -> &'static [Context] {
    if asking {
        confirm::CONTEXTS
    } else {
        &[Context::Composer]
    }
}

impl Tickets {
    /// Whether a yes/no question is open: the composer's or the form's "discard?", a bulk
    /// change or closing a ticket. Its keys are then the question's.
    pub(super) fn asking(&self) -> bool {
        self.layer.as_ref().is_some_and(|l| l.asking())
    }

    /// Opens `layer` over the pane.
    pub(super) fn open_layer(&mut self, layer: impl Layer + 'static) {
        self.layer = Some(Box::new(layer));
    }

    /// Gives `action` to the open layer and carries out what it finished with; `None` when
    /// no layer is open. Quit, help and the palette pass through to the app.
    pub(super) fn layer_handle(&mut self, action: Action) -> Option<Outcome> {
        let layer = self.layer.as_mut()?;
        if matches!(action, Action::Quit | Action::Help | Action::Palette) {
            return Some(Outcome::Ignored);
        }
        let outcome = layer.handle(action);
        Some(self.after_layer(outcome))
    }

    /// Gives a typed key to the open layer; `None` when no layer is open.
    pub(super) fn layer_input(&mut self, key: &KeyEvent) -> Option<Outcome> {
        let outcome = self.layer.as_mut()?.input(key);
        Some(self.after_layer(outcome))
    }

    /// Gives pasted text to the open layer; `None` when no layer is open.
    pub(super) fn layer_paste(&mut self, text: &str) -> Option<Outcome> {
        let outcome = self.layer.as_mut()?.paste(text);
        Some(self.after_layer(outcome))
    }

    /// Closes the layer and carries out its step when it finished; else passes `outcome` on.
    fn after_layer(&mut self, outcome: Outcome) -> Outcome {
        let Some(step) = self.layer.as_mut().and_then(|l| l.take_step()) else {
            return outcome;
        };
        self.layer = None;
        match step {
            Step::Close => {}
            Step::Reply(write) => self.reply(*write),
            Step::Submit(write) => self.submit(*write),
            Step::Patch { id, patch } => return self.patch(id, patch),
            Step::AskBulk {
                field,
                label,
                ids,
                patch,
            } => self.ask_bulk(field, &label, ids, patch),
            Step::Confirmed(Then::Bulk { ids, patch }) => {
                self.submit_all(bulk::writes(&ids, &patch));
                self.marks.clear();
            }
            Step::Confirmed(Then::Close(id)) => return self.set_closed(id, true),
        }
        Outcome::Changed
    }
}
