//! The Routing pane's calls outside the sync model — inbox counts and the rule tester — and
//! its writes through the outbox. Each runs through the pane's [`Tasks`]; its answer comes
//! back as a message for [`Remote::receive`].

use crate::client::{Client, OutboxState, View, Write, WriteId};
use crate::domain::wire::{InboxOut, RouteDecision, RuleTestRequest};
use crate::tui::msg::{self, Answer, Done, TaskId, Tasks};
use std::collections::HashMap;

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
    tasks: Tasks,
    counts: HashMap<i64, InboxOut>,
    counts_error: Option<String>,
    /// The view revision the counts were last asked for.
    fetched: Option<u64>,
    /// The counts on their way, until they arrive.
    counting: Option<TaskId>,
    test: TestState,
    /// The test run on its way (an older run's answer is dropped).
    testing: Option<TaskId>,
    notice: Option<String>,
    /// Writes on their way into the outbox, with the job each is part of.
    submitting: Vec<(TaskId, Job)>,
    /// Refused writes being dropped from the outbox.
    dismissing: Vec<TaskId>,
    /// The last write sent from this pane, followed until the server answers it.
    watched: Option<(WriteId, Job)>,
}

impl Remote {
    /// Calls over `client`, answering through `tasks`.
    pub fn new(client: Client, tasks: Tasks) -> Self {
        Remote {
            client,
            tasks,
            counts: HashMap::new(),
            counts_error: None,
            fetched: None,
            counting: None,
            test: TestState::Idle,
            testing: None,
            notice: None,
            submitting: Vec::new(),
            dismissing: Vec::new(),
            watched: None,
        }
    }

    /// Takes the answer of one of this pane's calls; any other message is given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        let task = done.task;
        if self.counting == Some(task) {
            self.counting = None;
            match done.answer {
                Answer::Inboxes(Ok(list)) => {
                    self.counts = list.into_iter().map(|i| (i.inbox.id, i)).collect();
                    self.counts_error = None;
                }
                Answer::Inboxes(Err(e)) => {
                    self.counts_error = Some(format!("counts unavailable: {e}"));
                }
                other => tracing::warn!("the inbox counts answered {other:?}"),
            }
        } else if self.testing == Some(task) {
            self.testing = None;
            self.test = match done.answer {
                Answer::RouteTest(Ok(decision)) => TestState::Done(decision),
                Answer::RouteTest(Err(e)) => TestState::Failed(e),
                other => TestState::Failed(format!("unexpected answer {other:?}")),
            };
        } else if let Some(at) = self.submitting.iter().position(|(t, _)| *t == task) {
            let (_, job) = self.submitting.remove(at);
            match done.answer {
                Answer::Recorded(Ok(Some(id))) => self.watched = Some((id, job)),
                Answer::Recorded(Ok(None)) => {}
                Answer::Recorded(Err(e)) => {
                    self.notice = Some(format!("{} not saved: {e}", job.what));
                }
                other => tracing::warn!("a routing write answered {other:?}"),
            }
        } else if let Some(at) = self.dismissing.iter().position(|t| *t == task) {
            self.dismissing.remove(at);
            if let Answer::Recorded(Err(e)) = done.answer {
                self.notice = Some(format!("could not clear the refused write: {e}"));
            }
        } else {
            return Some(done);
        }
        None
    }

    /// Fetches the inboxes' open and unassigned counts when the view has changed since the
    /// last fetch (`revision` is the view's).
    pub fn refresh_counts(&mut self, revision: u64) {
        if self.fetched == Some(revision) {
            return;
        }
        self.fetched = Some(revision);
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            let list = client.api().inboxes().await;
            Answer::Inboxes(list.map_err(|e| e.to_string()))
        });
        self.counting = Some(task);
    }

    /// The last counts fetched, by inbox id.
    pub fn counts(&self) -> &HashMap<i64, InboxOut> {
        &self.counts
    }

    /// Why the counts could not be fetched, if they could not.
    pub fn counts_error(&self) -> Option<&str> {
        self.counts_error.as_deref()
    }

    /// Asks the server where `request`'s draft ticket would go.
    pub fn run_test(&mut self, request: RuleTestRequest) {
        self.test = TestState::Running;
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            let decision = client.api().test_rules(&request).await;
            Answer::RouteTest(decision.map_err(|e| e.to_string()))
        });
        self.testing = Some(task);
    }

    /// The tester's state.
    pub fn test(&self) -> &TestState {
        &self.test
    }

    /// Forgets the last test answer (and one still on its way).
    pub fn clear_test(&mut self) {
        self.test = TestState::Idle;
        self.testing = None;
    }

    /// Records `write` in the outbox and shows `job`'s progress as the notice; the server's
    /// answer replaces it (see [`Remote::settle`]).
    pub fn submit(&mut self, write: Write, job: Job) {
        self.submit_all(vec![write], job);
    }

    /// Records `writes` in the outbox in their order (the outbox sends them in that order)
    /// and follows the last one as `job`.
    pub fn submit_all(&mut self, writes: Vec<Write>, job: Job) {
        self.notice = Some(format!("{}…", job.what));
        let task = self.tasks.spawn(msg::record(self.client.clone(), writes));
        self.submitting.push((task, job));
    }

    /// Follows the write sent last from this pane: once the server has answered, the notice
    /// says how it went; returns a refused inbox deletion so the pane can offer a way out.
    pub fn settle(&mut self, view: &View) -> Option<Refusal> {
        let (id, job) = self.watched.as_ref()?;
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
        self.watched = None;
        self.notice = Some(text);
        refusal
    }

    /// Drops a refused write the pane has dealt with from the outbox.
    pub fn dismiss(&mut self, write: WriteId) {
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            let dismissed = client.dismiss(write).await;
            Answer::Recorded(dismissed.map(|()| None).map_err(|e| e.to_string()))
        });
        self.dismissing.push(task);
    }

    /// Shows `text` as the pane's notice.
    pub fn set_notice(&mut self, text: impl Into<String>) {
        self.notice = Some(text.into());
    }

    /// The notice to show, if any (shown until the next key).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Clears the notice (shown until the next key).
    pub fn clear_notice(&mut self) {
        self.notice = None;
    }
}
