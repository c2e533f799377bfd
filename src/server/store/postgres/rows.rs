//! Turning PostgreSQL rows into domain types, shared by every query module.

use super::sql::{get, json};
use crate::domain::people::ConsentRecord;
use crate::domain::ticket::AuthorKind;
use crate::domain::wire::Channel;
use crate::domain::{Contact, Message, Priority, Registration, Role, Source, Stage, Ticket, User};
use crate::server::store::shared::{parse_addresses, parse_ccs};
use crate::server::store::{MessageRow, StoreError, StoreResult, TicketRow};
use tokio_postgres::Row;

fn parsed<T>(found: Option<T>, col: usize, what: &str) -> StoreResult<T> {
    found.ok_or_else(|| StoreError::Database(format!("column {col} holds an unknown {what}")))
}

/// Reads a row selected with [`crate::server::store::shared::ticket_select`].
pub fn ticket_row(row: &Row) -> StoreResult<TicketRow> {
    Ok(TicketRow {
        ticket: Ticket {
            id: get(row, 0)?,
            subject: get(row, 1)?,
            description: get(row, 2)?,
            stage: parsed(Stage::parse(get(row, 3)?), 3, "stage")?,
            priority: parsed(Priority::parse(get(row, 4)?), 4, "priority")?,
            category: get(row, 5)?,
            inbox_id: get(row, 6)?,
            owner_id: get(row, 7)?,
            contact_id: get(row, 8)?,
            company_id: get(row, 9)?,
            source: parsed(Source::parse(get(row, 10)?), 10, "source")?,
            form_fields: json(row, 11)?,
            tags: json(row, 12)?,
            created_at: get(row, 13)?,
            updated_at: get(row, 14)?,
            closed_at: get(row, 15)?,
            version: get(row, 16)?,
            ccs: parse_ccs(get(row, 24)?),
        },
        message_count: get(row, 17)?,
        requester_name: get(row, 18)?,
        requester_email: get(row, 19)?,
        company_name: get(row, 20)?,
        owner_name: get(row, 21)?,
        inbox_name: get(row, 22)?,
        updated_by: get(row, 23)?,
        mail_cc: parse_addresses(get(row, 25)?),
    })
}

/// Reads a row selected with [`crate::server::store::shared::MESSAGE_SELECT`].
pub fn message_row(row: &Row) -> StoreResult<MessageRow> {
    let kind: &str = get(row, 2)?;
    Ok(MessageRow {
        message: Message {
            id: get(row, 0)?,
            ticket_id: get(row, 1)?,
            author_kind: if kind == "user" {
                AuthorKind::User
            } else {
                AuthorKind::Contact
            },
            author_id: get(row, 3)?,
            body: get(row, 4)?,
            internal: get(row, 5)?,
            created_at: get(row, 6)?,
        },
        author_name: get(row, 7)?,
        channel: Channel::parse(get(row, 8)?),
        sender_address: get(row, 9)?,
        cc: parse_addresses(get(row, 10)?),
        mail_failures: Vec::new(),
    })
}

/// The columns [`user_row`] reads.
/// Staff users who were not removed: a removed user's row stays for the names on tickets,
/// but is no account (no sign-in, no session, in no list or picker).
pub const USER_SELECT: &str = "SELECT id, email, name, role FROM users WHERE removed_at IS NULL";

/// The columns [`contact_row`] reads.
pub const CONTACT_SELECT: &str = "SELECT id, email, name, company_id, properties, registration, consent_version, consent_at FROM contacts";

/// Reads a row selected with [`USER_SELECT`].
pub fn user_row(r: &Row) -> StoreResult<User> {
    user_at(r, 0)
}

/// Reads [`USER_SELECT`]'s columns from column `from` on.
pub fn user_at(r: &Row, from: usize) -> StoreResult<User> {
    let role: &str = get(r, from + 3)?;
    Ok(User {
        id: get(r, from)?,
        email: get(r, from + 1)?,
        name: get(r, from + 2)?,
        role: if role == "admin" {
            Role::Admin
        } else {
            Role::Agent
        },
    })
}

/// Reads a row selected with [`CONTACT_SELECT`].
pub fn contact_row(r: &Row) -> StoreResult<Contact> {
    contact_at(r, 0)
}

/// Reads [`CONTACT_SELECT`]'s columns from column `from` on.
pub fn contact_at(r: &Row, from: usize) -> StoreResult<Contact> {
    let version: Option<i64> = get(r, from + 6)?;
    let at: Option<String> = get(r, from + 7)?;
    Ok(Contact {
        id: get(r, from)?,
        email: get(r, from + 1)?,
        name: get(r, from + 2)?,
        company_id: get(r, from + 3)?,
        properties: json(r, from + 4)?,
        registration: Registration::parse(get(r, from + 5)?),
        consent: version.zip(at).map(|(version, accepted_at)| ConsentRecord {
            version,
            accepted_at,
        }),
    })
}
