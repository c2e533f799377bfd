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
            " \
 FROM tickets t JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = t.company_id \
 LEFT JOIN users u ON u.id = t.owner_id JOIN inboxes i ON i.id = t.inbox_id"
        )
    };
}

use crate::domain::mail::MailEvent;
use crate::domain::routing::RoutingInput;
use crate::domain::ticket::AuthorKind;
use crate::domain::{Contact, Stage, Ticket};
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

/// The columns a message row reads.
pub const MESSAGE_SELECT: &str = "SELECT m.id, m.ticket_id, m.author_kind, m.author_id, m.body, m.internal, \
 m.created_at, COALESCE(CASE m.author_kind WHEN 'user' THEN u.name ELSE c.name END, '?') \
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
    if let Some(stage) = change.stage {
        if stage != t.stage {
            t.closed_at = (stage == Stage::Closed).then(|| now.to_string());
        }
        t.stage = stage;
    }
    t
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
