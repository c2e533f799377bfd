//! Saying where a ticket went when the agent's own change takes it out of the queue or
//! filter shown (`A` under Unassigned, say): the cursor then rests on another ticket, and the
//! status bar tells which one left and why, so the next `Enter` opens no surprise.

use super::Tickets;
use super::facts::{Facts, Texts};
use crate::client::ViewTicket;
use crate::domain::Stage;
use crate::domain::wire::StaffTicketPatch;
use crate::tui::components::widgets::status_bar::Notice;

impl Tickets {
    /// The notice for `patch` to ticket `t` when it takes the ticket out of what the list
    /// shows; `None` when the ticket stays (or the full view is open).
    pub(super) fn leaving_notice(
        &self,
        t: &ViewTicket,
        patch: &StaffTicketPatch,
    ) -> Option<Notice> {
        if self.open.is_some() {
            return None;
        }
        let before = Facts::of(t);
        let after = Facts {
            owner: patch.owner_id.unwrap_or(before.owner),
            stage: patch.stage.or(before.stage),
            closed: patch.stage.map_or(before.closed, |s| s == Stage::Closed),
            priority: patch.priority.unwrap_or(before.priority),
            ..before
        };
        let texts = Texts::of(std::iter::once(t), 1);
        let text = texts.get(0);
        let in_queue = self.queue.contains(&after, self.me);
        if in_queue && self.query.matches(&after, text, self.me) {
            return None;
        }
        let place = if in_queue {
            "no longer matches the filter".to_string()
        } else {
            format!("no longer in {}", self.queue.label())
        };
        Some(Notice {
            text: format!("#{} {} — {place}", t.id(), self.change_words(patch)),
            error: false,
        })
    }

    /// What `patch` does, in a few words.
    fn change_words(&self, patch: &StaffTicketPatch) -> String {
        match (patch.owner_id, patch.stage, patch.priority) {
            (Some(Some(owner)), _, _) if owner == self.me => "assigned to you".to_string(),
            (Some(Some(_)), _, _) => "assigned to someone else".to_string(),
            (Some(None), _, _) => "unassigned".to_string(),
            (None, Some(Stage::Closed), _) => "closed".to_string(),
            (None, Some(stage), _) => format!("moved to {}", stage.as_str().replace('_', " ")),
            (None, None, Some(priority)) => format!("set to {} priority", priority.as_str()),
            (None, None, None) => "changed".to_string(),
        }
    }
}
