//! The Routing pane's yes/no questions (the app's one question widget): before deleting an
//! inbox or a rule, before an editor's Esc drops its edits, and before quitting over them.

use super::lists::Target;
use super::{Mode, Routing};
use crate::tui::action::Action;
use crate::tui::components::popups::confirm::{Answered, Question};
use crate::tui::components::{Outcome, Request};

/// What a yes does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Then {
    /// Delete this inbox or rule.
    Delete(Target),
    /// Close the editor, dropping its edits.
    DropEdits,
    /// Quit the app, dropping the edits.
    Quit,
}

impl Routing {
    /// Opens the question `text` in a popup titled `title`; a yes does `then`.
    pub(super) fn ask(&mut self, title: &str, text: String, then: Then) -> Outcome {
        self.question.ask(Question::new(title, text), then);
        Outcome::Changed
    }

    /// Asks before the open editor's Esc drops its edits; closes at once without edits.
    pub(super) fn close_editor(&mut self) -> Outcome {
        let what = match &self.mode {
            Mode::Rule(e) if e.form.is_edited() => "rule",
            Mode::Inbox(e) if e.form.is_edited() => "inbox",
            _ => return self.leave_form(),
        };
        let title = format!("Edit {what}");
        self.ask(
            &title,
            format!("Drop your edits to this {what}?"),
            Then::DropEdits,
        )
    }

    /// An action while the question is open: help and the palette still open, `q` again
    /// over "Quit?" quits, any other key leaves the question open.
    pub(super) fn answer(&mut self, action: Action) -> Outcome {
        match self.question.answer(action) {
            Answered::PassedOn => Outcome::Ignored,
            Answered::Waiting | Answered::No => Outcome::Changed,
            Answered::Yes(Then::Quit) => Outcome::Request(Request::Quit),
            Answered::Yes(Then::DropEdits) => self.leave_form(),
            Answered::Yes(Then::Delete(target)) => {
                let client = self.client.clone();
                self.delete(target, &client.view(), true);
                Outcome::Changed
            }
        }
    }
}
