//! What the event loop feeds the app, and the one way a pane runs work in the background:
//! [`Tasks::spawn`] runs a future on tokio and sends its [`Answer`] back on the loop's channel
//! as a [`Msg::Done`] tagged with the [`TaskId`] the pane was given, so the answer reaches
//! the pane that asked as an ordinary message (and the app draws again because a message
//! came), with no shared slot to poll. A leaf module: it uses only `client` and `domain`, so
//! every part of the TUI can import it.

use crate::client::{Client, TicketThread, Write, WriteId};
use crate::domain::Consent;
use crate::domain::i18n::Language;
use crate::domain::portal::PermissionMode;
use crate::domain::wire::{
    Audience, CustomerTicket, InboxOut, OriginalMail, QuarantinedMail, QueuedMail, RouteDecision,
    SshKeyOut, SshStatus,
};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc::UnboundedSender;

/// What the event loop feeds the app: everything that can change what is on screen.
pub enum Msg {
    /// A key, mouse, paste or resize event from the terminal.
    Terminal(crossterm::event::Event),
    /// The terminal's event stream failed.
    TerminalFailed(String),
    /// A sign-in finished: the running client, or why not.
    SignedIn(Result<Client, String>),
    /// The server answered a request for a password-less sign-in code sent to `email`.
    CodeSent {
        /// Where the code went.
        email: String,
        /// Sent, or why not.
        sent: Result<(), String>,
    },
    /// The client reported a change.
    Client(crate::client::ClientEvent),
    /// A customer must accept the consent notice before going on.
    Consent(Box<ConsentGate>),
    /// Background work a pane started has finished.
    Done(Done),
}

/// A signed-in customer held at the consent notice: the running client, the notice to show
/// and, after a failed attempt, what went wrong.
#[derive(Debug)]
pub struct ConsentGate {
    /// The running client.
    pub client: Client,
    /// The notice (its text and the version accepting it records).
    pub notice: Consent,
    /// Why the last answer did not go through.
    pub error: Option<String>,
    /// The portal's language, which the notice is shown in.
    pub language: Language,
}

/// Names one piece of background work, so its answer goes to the pane that started it and an
/// answer to an older request (a thread loaded again, a test run twice) is told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskId(u64);

impl TaskId {
    /// A new id, for work the event loop runs itself (the external editor) rather than
    /// through [`Tasks::spawn`].
    pub fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        TaskId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// The answer of one piece of background work.
#[derive(Debug)]
pub struct Done {
    /// Which work it was.
    pub task: TaskId,
    /// What it came to.
    pub answer: Answer,
}

impl Done {
    /// The answer when this is the work `task` (a pane's request still waiting), else the
    /// message back, for the next pane to look at.
    pub fn answer_to(self, task: Option<TaskId>) -> Result<Answer, Done> {
        if task == Some(self.task) {
            Ok(self.answer)
        } else {
            Err(self)
        }
    }
}

/// What background work came to, one variant per kind of work; errors are already words for
/// the user.
#[derive(Debug)]
pub enum Answer {
    /// A ticket's thread (from the cache when offline).
    Thread(Result<Box<TicketThread>, String>),
    /// Who can see a ticket, with the permission mode it was worked out under (`None` when
    /// the portal settings came back without it).
    Audience(Result<(Audience, Option<PermissionMode>), String>),
    /// Writes were recorded in the outbox: the id of the last, or why one was not.
    Recorded(Result<Option<WriteId>, String>),
    /// A message sent from the composer has left the outbox (or could not be recorded).
    Delivered(Result<(), String>),
    /// A conflict was settled, or why not.
    Settled(Result<(), String>),
    /// The inboxes with their open and unassigned counts.
    Inboxes(Result<Vec<InboxOut>, String>),
    /// Where the rule tester's draft ticket would go.
    RouteTest(Result<RouteDecision, String>),
    /// A call whose outcome is only reported: what to say and whether it is an error.
    Report {
        /// The sentence to show.
        text: String,
        /// Whether it says something failed.
        error: bool,
    },
    /// Every ticket listed for a contact ("view as contact").
    ContactTickets(Result<Vec<CustomerTicket>, String>),
    /// The password was changed, or why not.
    PasswordChanged(Result<(), PasswordRefusal>),
    /// The language the account chose (`None`: automatic), read or just set, or why not.
    AccountLanguage(Result<Option<Language>, String>),
    /// The account's SSH public keys after a read, an addition or a removal, or why not.
    SshKeys(Result<Vec<SshKeyOut>, String>),
    /// The external editor's text, or why there is none.
    Edited(Result<String, String>),
    /// The newest mails of the mail queue (admins).
    MailQueue(Result<Vec<QueuedMail>, String>),
    /// The mails waiting in the quarantine (admins).
    Quarantine(Result<Vec<QuarantinedMail>, String>),
    /// Where the app is served over SSH, with the host key's fingerprint (admins).
    Ssh(Result<SshStatus, String>),
    /// One of the mails a ticket came in, whole as received (staff).
    Original(Result<Box<Originals>, String>),
}

/// A mail a ticket came in, whole, and where it stands among the ticket's mails, so the
/// viewer can move to the next one without asking for the list again.
#[derive(Debug)]
pub struct Originals {
    /// Every mail of the ticket in thread order: `None` for the one that opened it, else the
    /// thread message a reply by mail became.
    pub mails: Vec<Option<i64>>,
    /// Which of them `mail` is.
    pub at: usize,
    /// That mail.
    pub mail: OriginalMail,
}

/// Why a password change was refused, and which form field is at fault when the server
/// names one (the current password, when it was wrong), so the form can focus it.
#[derive(Debug)]
pub struct PasswordRefusal {
    /// The sentence to show.
    pub why: String,
    /// The form field at fault, by position.
    pub field: Option<usize>,
}

/// Records `writes` in `client`'s outbox in their order (the outbox sends them in that
/// order): [`Answer::Recorded`] with the id of the last, or why one could not be recorded
/// (those after it are not tried). The one way panes put changes into the outbox.
pub async fn record(client: Client, writes: Vec<Write>) -> Answer {
    let mut last = None;
    for write in writes {
        match client.submit(write).await {
            Ok(id) => last = Some(id),
            Err(e) => return Answer::Recorded(Err(e.to_string())),
        }
    }
    Answer::Recorded(Ok(last))
}

/// How a pane starts background work: a handle on the event loop's channel.
#[derive(Debug, Clone)]
pub struct Tasks {
    tx: UnboundedSender<Msg>,
}

impl Tasks {
    /// Work started through this handle answers on `tx`.
    pub fn new(tx: UnboundedSender<Msg>) -> Self {
        Tasks { tx }
    }

    /// Runs `work` on the tokio runtime and sends its answer to the event loop; returns the
    /// id the answer will carry. Outside a runtime (unit tests of drawing) nothing runs and
    /// no answer comes.
    pub fn spawn<F>(&self, work: F) -> TaskId
    where
        F: Future<Output = Answer> + Send + 'static,
    {
        let task = TaskId::next();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::debug!("no async runtime: background work not started");
            return task;
        };
        let tx = self.tx.clone();
        runtime.spawn(async move {
            let answer = work.await;
            // The event loop may be gone (quitting); then nobody waits for the answer.
            let _ = tx.send(Msg::Done(Done { task, answer }));
        });
        task
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn spawned_work_answers_on_the_channel_with_its_task_id() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let tasks = Tasks::new(tx);
        let task = tasks.spawn(async { Answer::Settled(Ok(())) });
        let Some(Msg::Done(done)) = rx.recv().await else {
            panic!("no answer on the channel");
        };
        let done = done
            .answer_to(Some(TaskId::next()))
            .expect_err("another task's answer is given back");
        let done = done
            .answer_to(None)
            .expect_err("nobody waiting: given back");
        let answer = done.answer_to(Some(task)).expect("its own answer");
        assert!(matches!(answer, Answer::Settled(Ok(()))));
    }
}
