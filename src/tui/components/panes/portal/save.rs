//! Saving a section with `If-Match` through the outbox, settling conflicts, and holding the
//! user back once before leaving unsaved changes.

use super::{Message, Portal, fields, tasks};
use crate::client::{OutboxState, Resolution, View, Write, WriteId};
use crate::domain::portal::PortalPatch;
use crate::domain::text::strip_control;
use crate::tui::components::Outcome;
use crate::tui::msg::{Answer, Done, TaskId};

/// A settings write on its way: followed through the outbox until the server confirms it
/// (the write leaves the outbox and the view's portal version moves past `since`) or refuses
/// it.
#[derive(Debug, Clone)]
pub struct Saving {
    /// What is saved, e.g. `Tickets`.
    what: String,
    /// What to say once the server confirms it.
    done: String,
    /// The portal version the view had when the save started.
    since: i64,
    /// What the pane said when the save started; a confirmation replaces only that, never a
    /// newer message (a failure is always shown).
    announced: String,
    /// The task putting the write into the outbox, until it answers.
    task: Option<TaskId>,
    /// The write's outbox id once recorded, or why it was not; `None` while not known yet.
    recorded: Option<Result<WriteId, String>>,
}

impl Saving {
    /// Follows a save of `what` started over portal version `since`, announced with
    /// `announced`; says `done` when it lands.
    pub fn new(what: &str, done: String, since: i64, announced: String) -> Self {
        Saving {
            what: what.to_string(),
            done,
            since,
            announced,
            task: None,
            recorded: None,
        }
    }

    /// Takes the answer of the task recording this save; any other message is given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(Answer::Recorded(Ok(Some(id)))) => self.recorded = Some(Ok(id)),
            Ok(Answer::Recorded(Err(e))) => self.recorded = Some(Err(e)),
            Ok(other) => {
                tracing::warn!("a portal save answered {other:?}");
                self.recorded = Some(Err("no write was recorded".into()));
            }
            Err(done) => return Some(done),
        }
        self.task = None;
        None
    }

    /// What the pane says while the save is on its way.
    pub fn announced(&self) -> String {
        self.announced.clone()
    }

    /// What to say now: `None` while the server has not answered.
    fn outcome(&self, view: &View) -> Option<Message> {
        let failed = |why: String| {
            Some(Message {
                text: format!("{} not saved: {why}", self.what),
                error: true,
            })
        };
        let id = match self.recorded.as_ref()? {
            Ok(id) => *id,
            Err(e) => return failed(format!("{}.", strip_control(e))),
        };
        match view.outbox.iter().find(|e| e.id == id).map(|e| &e.state) {
            Some(OutboxState::Pending) => None,
            Some(OutboxState::Conflict(_)) => {
                failed("someone else changed the portal settings first.".into())
            }
            Some(OutboxState::Rejected { message, .. }) => failed(format!(
                "refused by the server: {}.",
                strip_control(message)
            )),
            None => Portal::settings(view)
                .is_some_and(|s| s.version > self.since)
                .then(|| Message {
                    text: self.done.clone(),
                    error: false,
                }),
        }
    }
}

impl Portal {
    /// The latest portal write the server refused or found in conflict.
    pub(super) fn trouble(view: &View) -> Option<(WriteId, OutboxState)> {
        view.outbox
            .iter()
            .rev()
            .find(|e| matches!(e.write, Write::PatchPortal { .. }) && !e.is_pending())
            .map(|e| (e.id, e.state.clone()))
    }

    /// Replaces the message with the server's answer to the save in flight, once it came.
    pub(super) fn settle(&mut self, view: &View) {
        let Some(saving) = &self.saving else {
            return;
        };
        let Some(message) = saving.outcome(view) else {
            return;
        };
        let overtaken = !message.error
            && self
                .message
                .as_ref()
                .is_some_and(|m| m.text != saving.announced);
        if !overtaken {
            self.message = Some(message);
        }
        self.saving = None;
    }

    /// Sends `patch` over `base_version`, following it as `saving`.
    pub(super) fn submit(&mut self, base_version: i64, patch: PortalPatch, mut saving: Saving) {
        let write = Write::PatchPortal {
            base_version,
            patch,
        };
        saving.task = Some(tasks::submit(&self.client, &self.tasks, write));
        self.saving = Some(saving);
        self.base = None;
        self.warned = false;
    }

    fn saved_text(&self) -> (&'static str, String) {
        let what = self.current().title();
        (what, format!("Saved {what}."))
    }

    pub(super) fn save(&mut self) -> Outcome {
        let view = self.client.view();
        if let Some((id, OutboxState::Conflict(_))) = Self::trouble(&view) {
            let since = Self::settings(&view).map_or(0, |s| s.version);
            drop(view);
            let (what, done) = self.saved_text();
            let mut saving = Saving::new(
                what,
                done,
                since,
                "Saving your version over the server's…".into(),
            );
            let task = tasks::resolve(&self.client, &self.tasks, id, Resolution::ApplyMine);
            saving.task = Some(task);
            let announced = saving.announced();
            self.saving = Some(saving);
            return self.say(announced, false);
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
            return self.say(format!("Not saved: {}", fields::explain(&e)), true);
        }
        let (what, done) = self.saved_text();
        let saving = Saving::new(what, done, base.version, format!("Saving {what}…"));
        let announced = saving.announced();
        self.submit(base.version, patch, saving);
        self.say(announced, false)
    }

    pub(super) fn revert(&mut self) -> Outcome {
        let trouble = Self::trouble(&self.client.view());
        if let Some((id, _)) = trouble {
            tasks::resolve(&self.client, &self.tasks, id, Resolution::KeepTheirs);
        }
        self.saving = None;
        self.base = None;
        self.warned = false;
        self.say("Changes discarded; showing the server's settings.", false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ConflictInfo, Marked, OutboxEntry};
    use crate::domain::Role;
    use crate::domain::portal::PortalSettings;
    use crate::domain::wire::{AccountOut, PortalFor, PortalOut};

    fn view(version: i64, outbox: Vec<OutboxEntry>) -> View {
        let mut settings = PortalSettings::unconfigured("help.example.com");
        settings.version = version;
        let mut view = View::new(
            AccountOut {
                id: 1,
                kind: "user".into(),
                role: Role::Admin,
                name: "Ada".into(),
                email: "ada@example.com".into(),
                company_id: None,
            },
            "http://localhost".into(),
        );
        view.portal = Some(Marked {
            item: PortalFor::Staff(Box::new(PortalOut {
                settings,
                portal_url: String::new(),
                language: "en".into(),
                system_domain: false,
            })),
            pending: false,
        });
        view.outbox = outbox;
        view
    }

    fn entry(state: OutboxState) -> OutboxEntry {
        OutboxEntry {
            id: WriteId(7),
            write: Write::PatchPortal {
                base_version: 3,
                patch: PortalPatch::default(),
            },
            state,
            idempotency_key: "k".into(),
            created_at: "2026-11-27T00:00:00Z".into(),
            attempts: 0,
        }
    }

    fn text(m: Option<Message>) -> Option<String> {
        m.map(|m| m.text)
    }

    #[test]
    fn a_save_is_confirmed_once_the_server_took_it() {
        let mut saving = Saving::new(
            "Tickets",
            "Saved Tickets.".into(),
            3,
            "Saving Tickets…".into(),
        );
        assert_eq!(saving.outcome(&view(3, vec![])), None, "not queued yet");
        saving.recorded = Some(Ok(WriteId(7)));
        let pending = view(3, vec![entry(OutboxState::Pending)]);
        assert_eq!(saving.outcome(&pending), None);
        assert_eq!(
            saving.outcome(&view(3, vec![])),
            None,
            "view not updated yet"
        );
        let saved = saving.outcome(&view(4, vec![])).expect("confirmed");
        assert_eq!(saved.text, "Saved Tickets.");
        assert!(!saved.error);
    }

    #[test]
    fn a_failed_save_says_why() {
        let mut saving = Saving::new(
            "Tickets",
            "Saved Tickets.".into(),
            3,
            "Saving Tickets…".into(),
        );
        saving.recorded = Some(Ok(WriteId(7)));
        let conflict = entry(OutboxState::Conflict(ConflictInfo {
            message: "changed".into(),
            server_version: Some(4),
        }));
        let m = saving.outcome(&view(4, vec![conflict])).expect("answered");
        assert!(m.error);
        assert_eq!(
            m.text,
            "Tickets not saved: someone else changed the portal settings first."
        );
        let refused = entry(OutboxState::Rejected {
            status: 422,
            message: "slug taken".into(),
        });
        assert_eq!(
            text(saving.outcome(&view(3, vec![refused]))).as_deref(),
            Some("Tickets not saved: refused by the server: slug taken.")
        );
        let mut unrecorded = Saving::new(
            "General",
            "Saved General.".into(),
            3,
            "Saving General…".into(),
        );
        unrecorded.recorded = Some(Err("disk full".into()));
        assert_eq!(
            text(unrecorded.outcome(&view(3, vec![]))).as_deref(),
            Some("General not saved: disk full.")
        );
    }
}
