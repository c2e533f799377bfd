//! The Portal pane's yes/no question (the app's one question widget): before leaving a
//! section, the tab or the app with changes not saved.

use super::Portal;
use crate::tui::action::Action;
use crate::tui::components::popups::confirm::{Answer, Question};
use crate::tui::components::{Outcome, Request};

impl Portal {
    /// Holds the user back when `leaving` (switching section or tab, quitting) would lose
    /// unsaved changes: asks first, and on a yes runs `leaving` again, which then goes through.
    pub(super) fn guard(&mut self, leaving: Action) -> Option<Outcome> {
        if self.dirty() && !self.warned {
            let question = Question::new("Unsaved changes", "Leave without saving your changes?");
            self.question = Some((question, leaving));
            return Some(Outcome::Changed);
        }
        self.warned = false;
        None
    }

    /// An action while the question is open: help and the palette still open, the same key
    /// that asked counts as a yes, any other key leaves the question open.
    pub(super) fn answer(&mut self, action: Action) -> Outcome {
        if matches!(action, Action::Help | Action::Palette) {
            return Outcome::Ignored;
        }
        let Some((_, leaving)) = &self.question else {
            return Outcome::Ignored;
        };
        let leaving = *leaving;
        let answer = if action == leaving {
            Answer::Yes
        } else {
            Question::answer(action)
        };
        match answer {
            Answer::Waiting => Outcome::Changed,
            Answer::No => {
                self.question = None;
                Outcome::Changed
            }
            Answer::Yes => {
                self.question = None;
                self.warned = true;
                Outcome::Request(Request::Run(leaving))
            }
        }
    }
}
