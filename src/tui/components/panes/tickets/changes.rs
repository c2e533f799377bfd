//! Changes to the selected (or open) ticket, sent through the client's outbox: they show at
//! once, marked pending, and a failure to record one is shown in the pane.

use super::Tickets;
use super::layers::Then;
use super::popups::Popup;
use crate::client::Write;
use crate::domain::Stage;
use crate::domain::i18n::Arg;
use crate::domain::wire::StaffTicketPatch;
use crate::tui::components::popups::confirm::Question;
use crate::tui::components::{Outcome, Request};
use crate::tui::i18n::{self, tf};
use crate::tui::msg::{self, Answer, Done};

impl Tickets {
    pub(super) fn submit(&mut self, write: Write) {
        self.submit_all(vec![write]);
    }

    /// Records `writes` in the outbox, in order; a failure comes back as the pane's message.
    pub(super) fn submit_all(&mut self, writes: Vec<Write>) {
        self.message = None;
        let task = self.tasks.spawn(msg::record(self.client.clone(), writes));
        self.recording.push(task);
    }

    /// Takes the answer of a change this pane put into the outbox; any other is given back.
    pub(super) fn recorded(&mut self, done: Done) -> Option<Done> {
        let at = self.recording.iter().position(|t| *t == done.task);
        let Some(at) = at else {
            return Some(done);
        };
        self.recording.remove(at);
        if let Answer::Recorded(Err(e)) = done.answer {
            let why = e.to_string();
            self.message = Some(tf("tickets-not-recorded", &[("why", Arg::Text(&why))]));
        }
        None
    }

    /// The ticket the keys act on, when it exists on the server.
    pub(super) fn target(&self) -> Option<crate::client::ViewTicket> {
        let id = self.target_id().filter(|id| *id > 0)?;
        self.client.view().ticket(id).cloned()
    }

    pub(super) fn assign_me(&mut self) -> Outcome {
        match self.target() {
            Some(t) if self.staff => self.patch(
                t.id(),
                StaffTicketPatch {
                    owner_id: Some(Some(self.me)),
                    ..StaffTicketPatch::default()
                },
            ),
            _ => Outcome::Ignored,
        }
    }

    /// Sends `patch` for ticket `id` over the version shown; when the change takes the
    /// ticket out of the list shown, asks the app to say where it went.
    pub(super) fn patch(&mut self, id: i64, patch: StaffTicketPatch) -> Outcome {
        let (base_version, leaving) = match self.client.view().ticket(id) {
            Some(t) => (t.version(), self.leaving_notice(t, &patch)),
            None => return Outcome::Ignored,
        };
        self.submit(Write::PatchTicket {
            id,
            base_version,
            patch,
        });
        match leaving {
            Some(notice) => Outcome::Request(Request::Notice(notice)),
            None => Outcome::Changed,
        }
    }

    /// `x`: asks "Close #N?" before closing the target ticket; reopening a closed one needs
    /// no question (it loses nothing and is undone by closing again).
    pub(super) fn toggle_closed(&mut self) -> Outcome {
        let Some(t) = self.target() else {
            return Outcome::Ignored;
        };
        if t.is_closed() {
            return self.set_closed(t.id(), false);
        }
        let id = [("id", Arg::Number(t.id()))];
        let question = Question::new(
            i18n::t("tickets-close-title"),
            tf("tickets-close-question", &id),
        );
        self.open_popup(Popup::question(question, Then::Close(t.id())));
        Outcome::Changed
    }

    /// Closes (or reopens) ticket `id` over the version the view has now: staff set the
    /// stage, customers use the portal's close.
    pub(super) fn set_closed(&mut self, id: i64, closed: bool) -> Outcome {
        let Some(t) = self.client.view().ticket(id).cloned() else {
            return Outcome::Ignored;
        };
        if t.is_closed() == closed {
            return Outcome::Changed;
        }
        if self.staff {
            let stage = if closed {
                Stage::Closed
            } else {
                Stage::WaitingOnUs
            };
            let patch = StaffTicketPatch {
                stage: Some(stage),
                ..StaffTicketPatch::default()
            };
            return self.patch(id, patch);
        }
        self.submit(Write::SetClosed {
            id,
            base_version: t.version(),
            closed,
        });
        Outcome::Changed
    }
}
