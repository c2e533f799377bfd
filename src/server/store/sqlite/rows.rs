//! Turning rows into domain types, shared by every query module.

use crate::domain::ticket::AuthorKind;
use crate::domain::{Message, Priority, Source, Stage, Ticket};
use crate::server::store::{MessageRow, Reader, TicketRow};
use rusqlite::Row;
use rusqlite::types::Type;

/// The columns [`ticket_row`] reads, with the joins that resolve names, reading the given
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

/// [`ticket_row`]'s select as staff read tickets.
const TICKET_SELECT: &str = ticket_select!("t.updated_at", "t.version", "t.updated_by");

/// [`ticket_row`]'s select as customers read tickets: the public version, update time and
/// author of the last change.
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

fn bad(col: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, format!("unknown {what}").into())
}

/// A text column borrowed from the row (no `String` for values that are parsed anyway).
fn text<'r>(row: &'r Row<'_>, col: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(col)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

/// Parses a JSON column.
pub fn json<T: serde::de::DeserializeOwned>(row: &Row<'_>, col: usize) -> rusqlite::Result<T> {
    serde_json::from_str(text(row, col)?)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

/// Reads a row selected with [`TICKET_SELECT`].
pub fn ticket_row(row: &Row<'_>) -> rusqlite::Result<TicketRow> {
    Ok(TicketRow {
        ticket: Ticket {
            id: row.get(0)?,
            subject: row.get(1)?,
            description: row.get(2)?,
            stage: Stage::parse(text(row, 3)?).ok_or_else(|| bad(3, "stage"))?,
            priority: Priority::parse(text(row, 4)?).ok_or_else(|| bad(4, "priority"))?,
            category: row.get(5)?,
            inbox_id: row.get(6)?,
            owner_id: row.get(7)?,
            contact_id: row.get(8)?,
            company_id: row.get(9)?,
            source: Source::parse(text(row, 10)?).ok_or_else(|| bad(10, "source"))?,
            form_fields: json(row, 11)?,
            tags: json(row, 12)?,
            created_at: row.get(13)?,
            updated_at: row.get(14)?,
            closed_at: row.get(15)?,
            version: row.get(16)?,
        },
        message_count: row.get(17)?,
        requester_name: row.get(18)?,
        requester_email: row.get(19)?,
        company_name: row.get(20)?,
        owner_name: row.get(21)?,
        inbox_name: row.get(22)?,
        updated_by: row.get(23)?,
    })
}

/// The columns [`message_row`] reads.
pub const MESSAGE_SELECT: &str = "SELECT m.id, m.ticket_id, m.author_kind, m.author_id, m.body, m.internal, \
 m.created_at, COALESCE(CASE m.author_kind WHEN 'user' THEN u.name ELSE c.name END, '?') \
 FROM messages m LEFT JOIN users u ON m.author_kind = 'user' AND u.id = m.author_id \
 LEFT JOIN contacts c ON m.author_kind = 'contact' AND c.id = m.author_id";

/// Reads a row selected with [`MESSAGE_SELECT`].
pub fn message_row(row: &Row<'_>) -> rusqlite::Result<MessageRow> {
    let kind: String = row.get(2)?;
    Ok(MessageRow {
        message: Message {
            id: row.get(0)?,
            ticket_id: row.get(1)?,
            author_kind: if kind == "user" {
                AuthorKind::User
            } else {
                AuthorKind::Contact
            },
            author_id: row.get(3)?,
            body: row.get(4)?,
            internal: row.get(5)?,
            created_at: row.get(6)?,
        },
        author_name: row.get(7)?,
    })
}

/// Now, as stored in text columns: RFC 3339 UTC with milliseconds (sorts as text).
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Now, in unix seconds.
pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}
