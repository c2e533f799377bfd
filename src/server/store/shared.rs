//! What both stores share: the ticket and message selects (the same text runs on SQLite and
//! PostgreSQL), the clock and enum names as stored, and the rules a ticket write follows
//! whatever the SQL (its routing draft, a change's effect, a message's effect).

/// The columns a ticket row reads, with the joins that resolve names, reading the given
/// version, update-time and last-changed-by columns.
macro_rules! ticket_select {
    ($updated:literal, $version:literal, $by:literal) => {
        concat!(
            "SELECT t.id, t.subject, t.description, t.stage, t.priority, t.category, \
 t.inbox_id, t.owner_id, t.contact_id, t.company_id, t.source, t.form_fields, t.tags, t.created_at, ",
            $updated,
            ", t.closed_at, ",
            $version,
            ", t.message_count, c.name, c.email, co.name, u.name, i.name, ",
            $by,
            ", (SELECT string_agg(CAST(x.contact_id AS TEXT), ',' ORDER BY x.contact_id) \
 FROM ticket_ccs x WHERE x.ticket_id = t.id), t.mail_cc \
 FROM tickets t JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = t.company_id \
 LEFT JOIN users u ON u.id = t.owner_id JOIN inboxes i ON i.id = t.inbox_id"
        )
    };
}

use crate::domain::mail::MailEvent;
use crate::domain::routing::RoutingInput;
use crate::domain::ticket::AuthorKind;
use crate::domain::wire::{MailFailure, MessageRow};
use crate::domain::{Contact, Stage, Ticket, ValidationError};
use crate::server::store::{NewTicket, Reader, StoreResult, TicketChange};

/// The ticket select as staff read tickets.
const TICKET_SELECT: &str = ticket_select!("t.updated_at", "t.version", "t.updated_by");

/// The ticket select as customers read tickets: the public version, update time and author
/// of the last change.
const CUSTOMER_TICKET_SELECT: &str = ticket_select!(
    "t.public_updated_at",
    "t.public_version",
    "t.public_updated_by"
);

/// The select of tickets as `reader` sees them.
pub fn ticket_select(reader: Reader) -> &'static str {
    match reader {
        Reader::Staff => TICKET_SELECT,
        Reader::Customer => CUSTOMER_TICKET_SELECT,
    }
}

/// The contacts a ticket is copied on, as `ticket_ccs` rows aggregate them and the change
/// log keeps them (`1,4,9`; `None` for none): the one text form both stores read and write.
pub fn ccs_text(ccs: &[i64]) -> Option<String> {
    (!ccs.is_empty()).then(|| ccs.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

/// Reads a nullable JSON list of addresses (`messages.cc`, `tickets.mail_cc`); `None` and
/// anything unreadable are no addresses.
pub fn parse_addresses(text: Option<&str>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

/// Writes a list of addresses for [`parse_addresses`] (`None` when empty).
pub fn addresses_text(addresses: &[String]) -> StoreResult<Option<String>> {
    Ok(if addresses.is_empty() {
        None
    } else {
        Some(serde_json::to_string(addresses)?)
    })
}

/// Reads [`ccs_text`] back (anything unreadable is left out: it can only come from a
/// hand-edited database, and a CC too few hides a ticket rather than showing one).
pub fn parse_ccs(text: Option<&str>) -> Vec<i64> {
    text.unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

/// Hangs each failed mail (`(message, recipient, answer)`, as the stores read the queue's
/// failed rows that carry a message) on its message.
pub fn attach_failures(messages: &mut [MessageRow], failed: Vec<(i64, String, String)>) {
    for (message, recipient, error) in failed {
        if let Some(m) = messages.iter_mut().find(|m| m.message.id == message) {
            m.mail_failures.push(MailFailure { recipient, error });
        }
    }
}

/// The columns a message row reads.
pub const MESSAGE_SELECT: &str = "SELECT m.id, m.ticket_id, m.author_kind, m.author_id, m.body, m.internal, \
 m.created_at, COALESCE(CASE m.author_kind WHEN 'user' THEN u.name ELSE c.name END, '?'), \
 m.channel, m.sender_address, m.cc \
 FROM messages m LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id \
 LEFT JOIN contacts c ON m.author_kind = 'contact' AND c.id = m.author_id";

/// Now, as stored in text columns: RFC 3339 UTC with milliseconds (sorts as text).
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Now, in unix seconds.
pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The wire name of a unit enum (e.g. `round_robin`), as stored in text columns.
pub fn enum_text<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    Ok(serde_json::to_value(v)?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// What routing reads of a new ticket from `requester` (of company `company`).
pub fn routing_draft(t: &NewTicket, requester: &Contact, company: Option<String>) -> RoutingInput {
    RoutingInput {
        subject: t.subject.clone(),
        description: t.description.clone(),
        category: t.category.clone(),
        priority: Some(t.priority),
        company: company.unwrap_or_default(),
        email: requester.email.clone(),
        source: Some(t.source),
        form_fields: t.form_fields.clone(),
    }
}

/// The ticket as `change` leaves it at `now` (a stage change sets or clears `closed_at`).
/// The owner and inbox it names are the caller's to check first.
pub fn changed_ticket(current: &Ticket, change: &TicketChange, now: &str) -> Ticket {
    let mut t = current.clone();
    if let Some(s) = &change.subject {
        t.subject = s.trim().to_string();
    }
    if let Some(p) = change.priority {
        t.priority = p;
    }
    if let Some(cat) = &change.category {
        t.category = cat.clone();
    }
    if let Some(owner) = change.owner_id {
        t.owner_id = owner;
    }
    if let Some(inbox) = change.inbox_id {
        t.inbox_id = inbox;
    }
    if let Some(tags) = &change.tags {
        t.tags = tags.clone();
    }
    if let Some(ccs) = &change.ccs {
        t.ccs = ccs.clone();
        t.ccs.sort_unstable();
        t.ccs.dedup();
    }
    if let Some(stage) = change.stage {
        if stage != t.stage {
            t.closed_at = (stage == Stage::Closed).then(|| now.to_string());
        }
        t.stage = stage;
    }
    t
}

/// Most contacts one ticket may be copied on.
pub const MAX_CCS: usize = 50;

/// Whether the contacts in `found` may be copied on `ticket`, each with their company
/// (`None`: there is no such contact): at most [`MAX_CCS`], and only the requester's
/// colleagues (the ticket's company's other contacts), so a CC never shows a company's ticket
/// to anyone outside it.
pub fn check_ccs(
    ticket: &Ticket,
    found: &[(i64, Option<Option<i64>>)],
) -> Result<(), ValidationError> {
    if found.len() > MAX_CCS {
        return Err(ValidationError::new(
            "contact_ids",
            format!("a ticket can have at most {MAX_CCS} CCs"),
        ));
    }
    for &(cc, company) in found {
        let why = match company {
            None => format!("there is no contact with id {cc}"),
            Some(_) if cc == ticket.contact_id => format!("contact {cc} is the requester"),
            Some(Some(c)) if ticket.company_id == Some(c) => continue,
            Some(_) => format!(
                "contact {cc} is not a contact of the requester's company; only the requester's colleagues can be copied"
            ),
        };
        return Err(ValidationError::new("contact_ids", why));
    }
    Ok(())
}

/// The mails a ticket change sends, in the order they are queued: the requester hears
/// when the ticket is closed, the new owner when it is assigned to them.
pub fn change_mails(before: &Ticket, after: &Ticket) -> Vec<MailEvent> {
    let mut mails = Vec::new();
    if after.stage == Stage::Closed && before.stage != Stage::Closed {
        mails.push(MailEvent::TicketClosed);
    }
    if after.owner_id.is_some() && after.owner_id != before.owner_id {
        mails.push(MailEvent::AssignedToYou);
    }
    mails
}

/// A ticket's stage, update time and close time after a message at `now`: a customer's
/// reply moves it to waiting on us, a staff reply to waiting on contact (a closed ticket
/// stays closed); an internal note leaves stage and update time alone.
pub fn after_message(
    current: &Ticket,
    author: AuthorKind,
    internal: bool,
    now: String,
) -> (Stage, String, Option<String>) {
    let stage = match (internal, author) {
        (true, _) => current.stage,
        (false, AuthorKind::Contact) => Stage::WaitingOnUs,
        (false, AuthorKind::User) if current.stage == Stage::Closed => Stage::Closed,
        (false, AuthorKind::User) => Stage::WaitingOnContact,
    };
    let updated_at = if internal {
        current.updated_at.clone()
    } else {
        now
    };
    let closed_at = if stage == Stage::Closed {
        current.closed_at.clone()
    } else {
        None
    };
    (stage, updated_at, closed_at)
}

/// Why a key is refused when another account (or this one) registered it already: the
/// fingerprint says who signs in, so one key cannot belong to two accounts.
pub fn ssh_key_taken_message() -> String {
    "this key is registered already; generate another with ssh-keygen".to_string()
}

/// Why a key is refused when the account holds `cap` keys already.
pub fn ssh_key_cap_message(cap: usize) -> String {
    format!("an account may register at most {cap} keys; delete one first")
}
