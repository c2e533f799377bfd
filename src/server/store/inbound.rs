//! What the SMTP listener hands the store for each mail it took: the mail as received (kept
//! whole, so it stays viewable and a repeat is recognised by its Message-ID) and what
//! threading decided to do with it, which the store carries out in one transaction.

use super::NewTicket;

/// A received mail and what to do with it.
#[derive(Debug, Clone)]
pub struct InboundMail {
    /// Its Message-ID in angle brackets (one made from its bytes when it had none): a mail
    /// already received under this id is not taken again.
    pub message_id: String,
    /// The sender's address (lower-case), or the envelope's when the mail had none.
    pub sender: String,
    /// Its subject.
    pub subject: String,
    /// The whole message as received (bytes that are not UTF-8, and NUL, replaced).
    pub raw: String,
    /// What threading decided.
    pub action: InboundAction,
}

/// What a received mail becomes.
#[derive(Debug, Clone)]
pub enum InboundAction {
    /// A message from the requester or a contact copied on the ticket (a closed ticket
    /// reopens, as on any customer reply).
    Reply {
        /// The ticket.
        ticket_id: i64,
        /// Who wrote: the requester or one of the ticket's CCs.
        contact_id: i64,
        /// What they wrote this time.
        body: String,
        /// The mail's `Cc` addresses, recorded on the message.
        cc: Vec<String>,
    },
    /// A new ticket, routed by the rules like one from the support form.
    Open {
        /// Who asks.
        requester: Requester,
        /// The ticket (its `contact_id` is set from `requester`).
        ticket: Box<NewTicket>,
        /// Send the requester and the CCs the "ticket created" mail (never to a machine).
        confirm: bool,
        /// The contacts to copy on the ticket: the mail's `Cc` addresses that are the
        /// requester's colleagues.
        ccs: Vec<i64>,
        /// The mail's `Cc` addresses, recorded on the ticket (those not copied are listed
        /// there, not added).
        cc: Vec<String>,
    },
    /// A delivery-status report about mails of the queue: recorded on them.
    Bounce {
        /// The Message-IDs it reports on.
        message_ids: Vec<String>,
        /// The report's text.
        report: String,
    },
    /// Not taken (mail from a staff address): only recorded.
    Refuse {
        /// Why, kept as the received mail's note for admins and logs.
        reason: String,
    },
    /// From an unknown sender on an invite-only portal: kept until an admin accepts it
    /// (then it opens a ticket, as [`InboundAction::Open`]) or rejects it.
    Quarantine,
}

/// The requester of a ticket opened by mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requester {
    /// A known contact.
    Known(i64),
    /// An address the portal does not know yet, on a portal open to self-registration: the
    /// contact is created (in the company whose domain the address has, if any).
    New {
        /// The address.
        email: String,
        /// The name from the mail's `From`.
        name: String,
    },
}

/// What the store did with a received mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Added to a ticket's thread.
    Replied {
        /// The ticket.
        ticket_id: i64,
        /// The thread message it became.
        message_id: i64,
    },
    /// A new ticket.
    Opened {
        /// The ticket.
        ticket_id: i64,
    },
    /// A bounce, recorded on the queued mail it reports on (when found).
    Bounced {
        /// The queued mail.
        mail_id: Option<i64>,
    },
    /// Recorded and not taken.
    Refused {
        /// Why, as the action gave it.
        reason: String,
    },
    /// Waiting in the quarantine for an admin.
    Quarantined,
    /// Taken out of the quarantine by an admin and dropped.
    Rejected,
    /// A mail with this Message-ID was already received: nothing was done.
    Duplicate,
}

impl Received {
    /// Storage name of the outcome, in the `inbound_mail` table.
    pub fn as_str(&self) -> &'static str {
        match self {
            Received::Replied { .. } => "replied",
            Received::Opened { .. } => "opened",
            Received::Bounced { .. } => "bounced",
            Received::Refused { .. } => "refused",
            Received::Quarantined => "quarantined",
            Received::Rejected => "rejected",
            Received::Duplicate => "duplicate",
        }
    }

    /// The ticket it went to, if any.
    pub fn ticket_id(&self) -> Option<i64> {
        match self {
            Received::Replied { ticket_id, .. } | Received::Opened { ticket_id } => {
                Some(*ticket_id)
            }
            _ => None,
        }
    }

    /// The thread message it became, if it was a reply.
    pub fn thread_message_id(&self) -> Option<i64> {
        match self {
            Received::Replied { message_id, .. } => Some(*message_id),
            _ => None,
        }
    }
}

/// Which received mail of a ticket is asked for: the one that opened it, or the one a
/// thread message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOf {
    /// The mail that opened the ticket.
    Opening,
    /// The mail that became this thread message.
    Message(i64),
}

/// A mail waiting in the quarantine, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRow {
    /// Its id in `inbound_mail`.
    pub id: i64,
    /// The sender's address.
    pub sender: String,
    /// Its subject.
    pub subject: String,
    /// The whole message as received, read again when it is shown or accepted.
    pub raw: String,
    /// When it arrived (RFC 3339).
    pub received_at: String,
}

/// What an admin decided about a quarantined mail: accepted, with the ticket it opens
/// ([`InboundAction::Open`]), or rejected.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Open the ticket.
    Accept(Box<InboundAction>),
    /// Drop it: no ticket, no mail.
    Reject,
}

/// The first line of a bounce report, as recorded on the bounced mail.
pub fn bounce_note(report: &str) -> String {
    let first = report
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no reason given");
    format!("bounced: {}", first.chars().take(300).collect::<String>())
}
