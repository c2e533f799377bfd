//! The Routing pane's calls outside the sync model — inbox counts and the rule tester — and
//! its writes through the outbox. Each runs on its own task and leaves its answer in a slot the
//! pane reads when it draws; the task then asks the event loop for a redraw.

use crate::client::{Client, ClientEvent, OutboxState, View, Write, WriteId};
use crate::domain::wire::{InboxOut, RouteDecision, RuleTestRequest};
use crate::tui::Msg;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

/// Where a background call leaves its answer.
type Slot<T> = Arc<Mutex<T>>;

/// The tester's state: nothing asked yet, waiting, or the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TestState {
    /// No test run yet.
    #[default]
    Idle,
    /// Waiting for the server.
    Running,
    /// The server's decision.
    Done(RouteDecision),
    /// The test failed, with the reason.
    Failed(String),
}

/// A change sent from the pane, named for its notices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// What is being done, e.g. `deleting inbox "Sales EU"`.
    pub what: String,
    /// What the notice says once the server has it, e.g. `deleted inbox "Sales EU"`.
    pub done: String,
    /// The inbox this job deletes, so a refusal because of its tickets can offer to move them.
    pub deletes_inbox: Option<i64>,
}

impl Job {
    /// A job that deletes no inbox.
    pub fn new(what: impl Into<String>, done: impl Into<String>) -> Self {
        Job {
            what: what.into(),
            done: done.into(),
            deletes_inbox: None,
        }
    }
}

/// The server refused to delete an inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The refused write, still in the outbox.
    pub write: WriteId,
    /// The inbox.
    pub inbox: i64,
    /// The server's reason.
    pub message: String,
}

/// Background calls of the Routing pane.
pub struct Remote {
    client: Client,
    poke: Option<UnboundedSender<Msg>>,
    counts: Slot<HashMap<i64, InboxOut>>,
    counts_error: Slot<Option<String>>,
    fetched: Option<u64>,
    test: Slot<TestState>,
    notice: Slot<Option<String>>,
    /// The last write sent from this pane, followed until the server answers it.
    watched: Slot<Option<(WriteId, Job)>>,
}

fn read<T: Clone>(slot: &Slot<T>) -> T {
    slot.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

fn put<T>(slot: &Slot<T>, value: T) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = value;
}

impl Remote {
    /// Calls over `client`; `poke` is told when an answer arrives.
    pub fn new(client: Client, poke: Option<UnboundedSender<Msg>>) -> Self {
        Remote {
            client,
            poke,
            counts: Slot::default(),
            counts_error: Slot::default(),
            fetched: None,
            test: Slot::default(),
            notice: Slot::default(),
            watched: Slot::default(),
        }
    }

    fn spawn<F>(&self, work: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("no async runtime: the routing pane cannot call the server");
            return;
        };
        let poke = self.poke.clone();
        runtime.spawn(async move {
            work.await;
            if let Some(poke) = poke {
                // The event loop may be gone (shutting down); then nobody needs a redraw.
                let _ = poke.send(Msg::Client(ClientEvent::ViewChanged { revision: 0 }));
            }
        });
    }

    /// Fetches the inboxes' open and unassigned counts when the view has changed since the
    /// last fetch (`revision` is the view's).
    pub fn refresh_counts(&mut self, revision: u64) {
        if self.fetched == Some(revision) {
            return;
        }
        self.fetched = Some(revision);
        let client = self.client.clone();
        let (counts, error) = (self.counts.clone(), self.counts_error.clone());
        self.spawn(async move {
            match client.api().inboxes().await {
                Ok(list) => {
                    put(&counts, list.into_iter().map(|i| (i.inbox.id, i)).collect());
                    put(&error, None);
                }
                Err(e) => put(&error, Some(format!("counts unavailable: {e}"))),
            }
        });
    }

    /// The last counts fetched, by inbox id.
    pub fn counts(&self) -> HashMap<i64, InboxOut> {
        read(&self.counts)
    }

    /// Why the counts could not be fetched, if they could not.
    pub fn counts_error(&self) -> Option<String> {
        read(&self.counts_error)
    }

    /// Asks the server where `request`'s draft ticket would go.
    pub fn run_test(&self, request: RuleTestRequest) {
        put(&self.test, TestState::Running);
        let client = self.client.clone();
        let slot = self.test.clone();
        self.spawn(async move {
            let state = match client.api().test_rules(&request).await {
                Ok(decision) => TestState::Done(decision),
                Err(e) => TestState::Failed(e.to_string()),
            };
            put(&slot, state);
        });
    }

    /// The tester's state.
    pub fn test(&self) -> TestState {
        read(&self.test)
    }

    /// Forgets the last test answer.
    pub fn clear_test(&self) {
        put(&self.test, TestState::Idle);
    }

    /// Records `write` in the outbox and shows `job`'s progress as the notice; the server's
    /// answer replaces it (see [`Remote::settle`]).
    pub fn submit(&self, write: Write, job: Job) {
        self.submit_all(vec![write], job);
    }

    /// Records `writes` in the outbox in their order (the outbox sends them in that order)
    /// and follows the last one as `job`.
    pub fn submit_all(&self, writes: Vec<Write>, job: Job) {
        let client = self.client.clone();
        let notice = self.notice.clone();
        let watched = self.watched.clone();
        put(&notice, Some(format!("{}…", job.what)));
        self.spawn(async move {
            let mut last = None;
            for write in writes {
                match client.submit(write).await {
                    Ok(id) => last = Some(id),
                    Err(e) => {
                        put(&notice, Some(format!("{} not saved: {e}", job.what)));
                        return;
                    }
                }
            }
            if let Some(id) = last {
                put(&watched, Some((id, job)));
            }
        });
    }

    /// Follows the write sent last from this pane: once the server has answered, the notice
    /// says how it went; returns a refused inbox deletion so the pane can offer a way out.
    pub fn settle(&self, view: &View) -> Option<Refusal> {
        let mut watched = self.watched.lock().unwrap_or_else(PoisonError::into_inner);
        let (id, job) = watched.as_ref()?;
        let (text, refusal) = match view.outbox.iter().find(|e| e.id == *id).map(|e| &e.state) {
            Some(OutboxState::Pending) => return None,
            None => (job.done.clone(), None),
            Some(OutboxState::Rejected { message, .. }) => (
                format!("{} refused: {message}", job.what),
                job.deletes_inbox.map(|inbox| Refusal {
                    write: *id,
                    inbox,
                    message: message.clone(),
                }),
            ),
            Some(OutboxState::Conflict(c)) => (format!("{}: {}", job.what, c.message), None),
        };
        *watched = None;
        drop(watched);
        put(&self.notice, Some(text));
        refusal
    }

    /// Drops a refused write the pane has dealt with from the outbox.
    pub fn dismiss(&self, write: WriteId) {
        let client = self.client.clone();
        let notice = self.notice.clone();
        self.spawn(async move {
            if let Err(e) = client.dismiss(write).await {
                put(
                    &notice,
                    Some(format!("could not clear the refused write: {e}")),
                );
            }
        });
    }

    /// Shows `text` as the pane's notice.
    pub fn set_notice(&self, text: impl Into<String>) {
        put(&self.notice, Some(text.into()));
    }

    /// Takes the notice to show, if any (shown until the next key).
    pub fn notice(&self) -> Option<String> {
        read(&self.notice)
    }

    /// Clears the notice (shown until the next key).
    pub fn clear_notice(&self) {
        put(&self.notice, None);
    }
}
