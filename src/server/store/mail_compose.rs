//! What both stores do to turn a ticket event into a queued mail, apart from the SQL: whom it
//! goes to, its text in the portal's language, its Message-ID and its place in the
//! recipient's thread about the ticket.

use crate::domain::mail::{MailEvent, MailValues, render};
use crate::domain::wire::TicketRow;
use crate::domain::{DomainInfo, PortalSettings};

/// The queue's columns as both stores read them into a
/// [`QueuedMail`](crate::domain::wire::QueuedMail), in its field order.
pub const QUEUE_COLUMNS: &str = "id, ticket_id, event, recipient, sender, subject, body, message_id, \
 in_reply_to, refs, reply_domain, state, attempts, last_error, created_at, sent_at, next_attempt_at";

/// How many earlier Message-IDs a mail's `References` keeps (the newest ones).
const MAX_REFERENCES: usize = 20;

/// Who a mail goes to: the requester (a contact) or an agent (a user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// `contact` or `user`.
    pub kind: &'static str,
    /// Their id.
    pub id: i64,
    /// Their address.
    pub address: String,
    /// Their name.
    pub name: String,
}

/// The recipients of `event` on `row`: the assigned agent (`owner`: their address and name)
/// for "assigned to you" (nobody when there is no owner), else the requester and then the
/// contacts copied on the ticket (`ccs`), each of whom gets a mail of their own.
pub fn recipients(
    event: MailEvent,
    row: &TicketRow,
    owner: Option<(String, String)>,
    ccs: Vec<Recipient>,
) -> Vec<Recipient> {
    match event {
        MailEvent::AssignedToYou => owner
            .zip(row.ticket.owner_id)
            .map(|((address, name), id)| Recipient {
                kind: "user",
                id,
                address,
                name,
            })
            .into_iter()
            .collect(),
        _ => std::iter::once(Recipient {
            kind: "contact",
            id: row.ticket.contact_id,
            address: row.requester_email.clone(),
            name: row.requester_name.clone(),
        })
        .chain(ccs)
        .collect(),
    }
}

/// A mail ready to be inserted into the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// Whom it goes to.
    pub recipient: Recipient,
    /// `From`.
    pub sender: String,
    /// Subject, with `[#<ticket>]`.
    pub subject: String,
    pub body: String,
    /// Its new Message-ID.
    pub message_id: String,
    /// The recipient's previous mail about the ticket.
    pub in_reply_to: Option<String>,
    /// `References`, space-separated, oldest first.
    pub references: String,
    /// The domain of the reply address.
    pub reply_domain: String,
}

/// Writes the mail `event` on `row` sends `to`, in the portal's language (its domain's
/// primary language among `domains`). `message` is the staff reply; `previous` the
/// Message-ID and `References` of the recipient's last mail about this ticket.
pub fn compose(
    event: MailEvent,
    row: &TicketRow,
    to: Recipient,
    portal: &PortalSettings,
    domains: &[DomainInfo],
    message: &str,
    previous: Option<(String, String)>,
) -> NewMail {
    let language = domains
        .iter()
        .find(|d| d.host == portal.domain)
        .map_or("en", |d| d.primary_language.as_str());
    let values = MailValues {
        ticket_number: row.ticket.id,
        subject: row.ticket.subject.clone(),
        recipient_name: to.name.clone(),
        requester: row.requester_name.clone(),
        portal_url: portal.portal_url(),
        portal_name: portal.name.clone(),
        message: message.to_string(),
    };
    let mail = render(&portal.email.template(event, language), &values);
    let domain = portal
        .email
        .inbound_domain
        .clone()
        .unwrap_or_else(|| portal.domain.clone());
    let display: String = portal
        .name
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | '\r' | '\n'))
        .collect();
    let (in_reply_to, references) = match previous {
        Some((last, refs)) => {
            let mut chain: Vec<&str> = refs.split_whitespace().collect();
            chain.push(&last);
            let keep = chain.len().saturating_sub(MAX_REFERENCES);
            let references = chain[keep..].join(" ");
            (Some(last), references)
        }
        None => (None, String::new()),
    };
    NewMail {
        recipient: to,
        sender: format!("\"{display}\" <support@{domain}>"),
        subject: mail.subject,
        body: mail.body,
        message_id: format!("<{:032x}@{domain}>", rand::random::<u128>()),
        in_reply_to,
        references,
        reply_domain: domain,
    }
}
