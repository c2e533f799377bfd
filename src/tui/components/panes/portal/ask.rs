//! The Portal pane's yes/no question (the app's one question widget): before leaving a
//! section, the tab or the app with changes not saved.

use super::Portal;
use crate::tui::action::Action;
use crate::tui::components::popups::confirm::{Answered, Question};
use crate::tui::components::{Outcome, Request};

impl Portal {
    /// Holds the user back when `leaving` (switching section or tab, quitting) would lose
    /// unsaved changes, or hide them behind another tab: asks first, and on a yes runs
    /// `leaving` again, which then goes through.
    /// The edits at stake are the Mail section's templates there, else the settings.
    pub(super) fn guard(&mut self, leaving: Action) -> Option<Outcome> {
        let (unsaved, leave) = if self.on_mail() {
            (
                self.mail.dirty(),
                "Leave without saving your template changes?",
            )
        } else {
            (self.dirty(), "Leave without saving your changes?")
        };
        if unsaved && !self.warned {
            // The pane keeps its edits while another tab is shown; leaving the section or
            // quitting drops them.
            let text = match leaving {
                Action::NextTab
                | Action::PrevTab
                | Action::Tab1
                | Action::Tab2
                | Action::Tab3
                | Action::Tab4 => {
                    "Your changes are not saved yet. Switch tab anyway? They stay here until you save or leave this section."
                }
                _ => leave,
            };
            let question = Question::new("Unsaved changes", text);
            self.question.ask_again(question, leaving, leaving);
            return Some(Outcome::Changed);
        }
        self.warned = false;
        None
    }

    /// An action while the question is open: help and the palette still open, the same key
    /// that asked counts as a yes, any other key leaves the question open.
    pub(super) fn answer(&mut self, action: Action) -> Outcome {
        match self.question.answer(action) {
            Answered::PassedOn => Outcome::Ignored,
            Answered::Waiting | Answered::No => Outcome::Changed,
            Answered::Yes(leaving) => {
                self.warned = true;
                Outcome::Request(Request::Run(leaving))
            }
        }
    }
}
