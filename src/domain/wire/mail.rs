//! The mail queue as admins see it (`GET /mail/queue`, `deskport mail queue --json`), and a
//! received mail as staff see it (`GET /tickets/{id}/original`).

use crate::domain::mail::MailEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a queued mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    /// Waiting to be sent (first try, or again after a failed try).
    Queued,
    /// Handed to the mail server now; found so after a crash, it is sent again (once).
    Sending,
    /// The mail server took it.
    Sent,
    /// Not sent: refused by the mail server, or still failing after every retry.
    Failed,
}

impl MailState {
    /// Storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Queued => "queued",
            MailState::Sending => "sending",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    /// The state a stored name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        [
            MailState::Queued,
            MailState::Sending,
            MailState::Sent,
            MailState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// How many of `mails` wait to be sent (queued or being sent) and how many failed: the
/// queue's summary wherever it is listed.
pub fn waiting_and_failed(mails: &[QueuedMail]) -> (usize, usize) {
    let waiting = mails
        .iter()
        .filter(|m| matches!(m.state, MailState::Queued | MailState::Sending))
        .count();
    let failed = mails
        .iter()
        .filter(|m| m.state == MailState::Failed)
        .count();
    (waiting, failed)
}

/// One mail of the queue, with everything needed to send it and to thread replies to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueuedMail {
    /// Queue id.
    pub id: i64,
    /// The ticket it is about.
    pub ticket_id: i64,
    /// What caused it.
    pub event: MailEvent,
    /// Recipient address.
    pub recipient: String,
    /// `From`, e.g. `Acme Support <support@help.acme.test>`.
    pub sender: String,
    /// Subject (with `[#<ticket>]`).
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Its `Message-ID`, kept so a reply quoting it finds the ticket.
    pub message_id: String,
    /// `In-Reply-To`: the recipient's previous mail about this ticket.
    pub in_reply_to: Option<String>,
    /// `References`: the earlier mails of the recipient's thread, oldest first.
    pub references: Vec<String>,
    /// The domain of the `Reply-To` address (`support+<ticket>.<token>@<domain>`).
    pub reply_domain: String,
    /// Where it stands.
    pub state: MailState,
    /// Tries so far.
    pub attempts: i64,
    /// The mail server's last answer to a failed try.
    pub last_error: Option<String>,
    /// When it was queued (RFC 3339).
    pub created_at: String,
    /// When the mail server took it (RFC 3339).
    pub sent_at: Option<String>,
    /// The next try, unix seconds (queued mails).
    pub next_attempt_at: i64,
}

/// A received mail exactly as it arrived (by SMTP or from the mailbox), so staff can see what
/// the customer really sent: every header, the HTML, the quoted history the thread leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OriginalMail {
    /// Its `Message-ID`, in angle brackets (one made from its bytes when it had none).
    pub message_id: String,
    /// The sender's address.
    pub sender: String,
    /// When deskport received it (RFC 3339).
    pub received_at: String,
    /// The whole message: headers and body, as received (bytes that are not UTF-8, and NUL,
    /// replaced).
    pub raw: String,
}

/// A mail from an unknown sender on an invite-only portal, waiting for an admin to accept it
/// (it then opens a ticket for a new contact) or reject it (`GET /mail/quarantine`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuarantinedMail {
    /// Its id among received mails.
    pub id: i64,
    /// The sender's address.
    pub sender: String,
    /// The sender's name from `From`, if the mail gave one.
    pub name: Option<String>,
    /// Its subject.
    pub subject: String,
    /// Its text as the ticket would get it (quoted history folded away).
    pub body: String,
    /// When it arrived (RFC 3339).
    pub received_at: String,
}

/// What became of a quarantined mail an admin decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuarantineDecision {
    /// The mail.
    pub id: i64,
    /// Whether it was accepted (else rejected and dropped).
    pub accepted: bool,
    /// The ticket it opened, when accepted.
    pub ticket_id: Option<i64>,
}
