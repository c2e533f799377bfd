//! What both stores' SQL and rows share: the ticket and message selects (the same text runs
//! on SQLite and PostgreSQL), the clock as stored, and enum names as stored.

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

use crate::server::store::{Reader, StoreResult};

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
