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

/// Background calls of the Routing pane.
pub struct Remote {
    client: Client,
    poke: Option<UnboundedSender<Msg>>,
    counts: Slot<HashMap<i64, InboxOut>>,
    counts_error: Slot<Option<String>>,
    fetched: Option<u64>,
    test: Slot<TestState>,
    notice: Slot<Option<String>>,
    /// The last write sent, to report the server's refusal of it here.
    watched: Slot<Option<(WriteId, String)>>,
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

    /// Records `write` in the outbox; a refusal by the server arrives later as a notice from
    /// the app, a failure to record it as this pane's notice.
    pub fn submit(&self, write: Write) {
        let client = self.client.clone();
        let notice = self.notice.clone();
        let watched = self.watched.clone();
        self.spawn(async move {
            let what = write.describe();
            match client.submit(write).await {
                Ok(id) => put(&watched, Some((id, what))),
                Err(e) => put(&notice, Some(format!("{what} not saved: {e}"))),
            }
        });
    }

    /// Why the server refused the last write sent from this pane, if it did.
    pub fn refusal(&self, view: &View) -> Option<String> {
        let (id, what) = read(&self.watched)?;
        view.outbox
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| match &e.state {
                OutboxState::Rejected { message, .. } => Some(format!("{what} refused: {message}")),
                OutboxState::Conflict(c) => Some(format!("{what}: {}", c.message)),
                OutboxState::Pending => None,
            })
    }

    /// Shows `text` as the pane's notice.
    pub fn set_notice(&self, text: impl Into<String>) {
        put(&self.notice, Some(text.into()));
    }

    /// Takes the notice to show, if any (shown until the next key).
    pub fn notice(&self) -> Option<String> {
        read(&self.notice)
    }

    /// Clears the notice, and the watched write once the server has answered it.
    pub fn clear_notice(&self, view: &View) {
        put(&self.notice, None);
        let mut watched = self.watched.lock().unwrap_or_else(PoisonError::into_inner);
        let answered = watched.as_ref().is_some_and(|(id, _)| {
            view.outbox
                .iter()
                .find(|e| e.id == *id)
                .is_none_or(|e| !e.is_pending())
        });
        if answered {
            *watched = None;
        }
    }
}
