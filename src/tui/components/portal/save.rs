//! Saving a section with `If-Match` through the outbox, settling conflicts, and holding the
//! user back once before leaving unsaved changes.

use super::{Portal, fields, tasks};
use crate::client::{OutboxState, Resolution, View, Write, WriteId};
use crate::domain::portal::PortalPatch;
use crate::tui::components::Outcome;

impl Portal {
    /// The latest portal write the server refused or found in conflict.
    pub(super) fn trouble(view: &View) -> Option<(WriteId, OutboxState)> {
        view.outbox
            .iter()
            .rev()
            .find(|e| matches!(e.write, Write::PatchPortal { .. }) && !e.is_pending())
            .map(|e| (e.id, e.state.clone()))
    }

    pub(super) fn submit(&mut self, base_version: i64, patch: PortalPatch) {
        tasks::submit(
            &self.client,
            Write::PatchPortal {
                base_version,
                patch,
            },
        );
        self.base = None;
        self.warned = false;
    }

    pub(super) fn save(&mut self) -> Outcome {
        let view = self.client.view();
        if let Some((id, OutboxState::Conflict(_))) = Self::trouble(&view) {
            drop(view);
            tasks::resolve(&self.client, id, Resolution::ApplyMine);
            return self.say("Saving your version over the server's…", false);
        }
        let (Some(base), Some(patch)) = (self.base.clone(), self.patch()) else {
            drop(view);
            return self.say("Nothing to save.", false);
        };
        let mut after = base.clone();
        fields::apply(&self.form, &mut after);
        let inbox_ids: Vec<i64> = view.inboxes.keys().copied().collect();
        let checked = after.validate(&view.domains, &inbox_ids);
        drop(view);
        if let Err(e) = checked {
            return self.say(
                format!("Not saved: {} {}.", fields::human(&e.field), e.message),
                true,
            );
        }
        self.submit(base.version, patch);
        self.say(format!("Saving {}…", self.current().title()), false)
    }

    pub(super) fn revert(&mut self) -> Outcome {
        let trouble = Self::trouble(&self.client.view());
        if let Some((id, _)) = trouble {
            tasks::resolve(&self.client, id, Resolution::KeepTheirs);
        }
        self.base = None;
        self.warned = false;
        self.say("Changes discarded; showing the server's settings.", false)
    }

    /// Holds the user back once when leaving unsaved changes.
    pub(super) fn guard(&mut self) -> Option<Outcome> {
        if self.dirty() && !self.warned {
            self.warned = true;
            return Some(self.say(
                "Unsaved changes: Ctrl-S saves, Ctrl-R discards; the same key again leaves without saving.",
                true,
            ));
        }
        self.warned = false;
        None
    }
}
