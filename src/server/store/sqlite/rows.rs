//! Turning rows into domain types, shared by every query module.

use crate::domain::ticket::AuthorKind;
use crate::domain::wire::Channel;
use crate::domain::{Message, Priority, Source, Stage, Ticket};
pub use crate::server::store::shared::{MESSAGE_SELECT, now_text, ticket_select, unix_now};
use crate::server::store::shared::{parse_addresses, parse_ccs};
use crate::server::store::{MessageRow, TicketRow};
use rusqlite::Row;
use rusqlite::types::Type;

fn bad(col: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, format!("unknown {what}").into())
}

/// A text column borrowed from the row (no `String` for values that are parsed anyway).
fn text<'r>(row: &'r Row<'_>, col: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(col)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

/// A nullable text column, borrowed.
fn nullable_text<'r>(row: &'r Row<'_>, col: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(col)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

/// Parses a JSON column.
pub fn json<T: serde::de::DeserializeOwned>(row: &Row<'_>, col: usize) -> rusqlite::Result<T> {
    serde_json::from_str(text(row, col)?)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

/// Reads a row selected with [`ticket_select`].
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
            ccs: parse_ccs(nullable_text(row, 24)?),
        },
        message_count: row.get(17)?,
        requester_name: row.get(18)?,
        requester_email: row.get(19)?,
        company_name: row.get(20)?,
        owner_name: row.get(21)?,
        inbox_name: row.get(22)?,
        updated_by: row.get(23)?,
        mail_cc: parse_addresses(nullable_text(row, 25)?),
    })
}

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
        channel: Channel::parse(text(row, 8)?),
        sender_address: row.get(9)?,
        cc: parse_addresses(nullable_text(row, 10)?),
        mail_failures: Vec::new(),
    })
}
