//! The mail queue: each mail is rendered and written in the transaction of the change it is
//! about (so a change is never committed without its mails, nor a mail without its change),
//! then claimed, sent and settled by the sender task.

use super::rows::{now_text, unix_now};
use crate::domain::ValidationError;
use crate::domain::mail::MailEvent;
use crate::domain::wire::{MailState, QueuedMail};
use crate::server::store::mail_compose::{QUEUE_COLUMNS, Recipient, compose, recipients};
use crate::server::store::{MailOutcome, MessageRow, StoreError, StoreResult, TicketRow};
use rusqlite::{Connection, OptionalExtension, Row, params};

fn queued_mail(row: &Row<'_>) -> rusqlite::Result<QueuedMail> {
    let bad = |col: usize, what: &str, value: String| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            format!("unknown mail {what} `{value}`").into(),
        )
    };
    let event: String = row.get(2)?;
    let state: String = row.get(11)?;
    let refs: String = row.get(9)?;
    Ok(QueuedMail {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        event: MailEvent::parse(&event).ok_or_else(|| bad(2, "event", event.clone()))?,
        recipient: row.get(3)?,
        sender: row.get(4)?,
        subject: row.get(5)?,
        body: row.get(6)?,
        message_id: row.get(7)?,
        in_reply_to: row.get(8)?,
        references: refs.split_whitespace().map(str::to_string).collect(),
        reply_domain: row.get(10)?,
        state: MailState::parse(&state).ok_or_else(|| bad(11, "state", state.clone()))?,
        attempts: row.get(12)?,
        last_error: row.get(13)?,
        created_at: row.get(14)?,
        sent_at: row.get(15)?,
        next_attempt_at: row.get(16)?,
    })
}

/// Queues the mails `event` on ticket `row` (as staff read it, after the change) causes
/// (`reply`: the staff reply they carry), to the requester and the contacts copied on the
/// ticket, or to the assigned agent for [`MailEvent::AssignedToYou`] (none when the ticket has
/// no owner). Call it inside the write that makes the change.
pub fn enqueue(
    conn: &Connection,
    row: &TicketRow,
    event: MailEvent,
    reply: Option<&MessageRow>,
) -> StoreResult<()> {
    let ticket_id = row.ticket.id;
    let owner: Option<(String, String)> = match (event, row.ticket.owner_id) {
        (MailEvent::AssignedToYou, Some(owner)) => Some(
            conn.prepare_cached("SELECT email, name FROM users WHERE id = ?1")?
                .query_row([owner], |r| Ok((r.get(0)?, r.get(1)?)))?,
        ),
        _ => None,
    };
    let ccs = conn
        .prepare_cached(
            "SELECT c.id, c.email, c.name FROM ticket_ccs x JOIN contacts c ON c.id = x.contact_id \
             WHERE x.ticket_id = ?1 ORDER BY c.id",
        )?
        .query_map([ticket_id], |r| {
            Ok(Recipient {
                kind: "contact",
                id: r.get(0)?,
                address: r.get(1)?,
                name: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let portal = super::config::portal(conn)?;
    let domains = super::config::domains(conn)?;
    let text = reply.map_or("", |m| m.message.body.as_str());
    for to in recipients(event, row, owner, ccs) {
        let previous: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT message_id, refs FROM mail_queue WHERE ticket_id = ?1 AND recipient = ?2 \
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![ticket_id, to.address], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let mail = compose(event, row, to, &portal, &domains, text, previous);
        conn.prepare_cached(
            "INSERT INTO mail_queue (ticket_id, event, recipient_kind, recipient_id, recipient, sender, \
             subject, body, message_id, in_reply_to, refs, reply_domain, state, next_attempt_at, created_at, message_ref) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'queued', ?13, ?14, ?15)",
        )?
        .execute(params![
            ticket_id,
            event.as_str(),
            mail.recipient.kind,
            mail.recipient.id,
            mail.recipient.address,
            mail.sender,
            mail.subject,
            mail.body,
            mail.message_id,
            mail.in_reply_to,
            mail.references,
            mail.reply_domain,
            unix_now(),
            now_text(),
            reply.map(|m| m.message.id)
        ])?;
    }
    Ok(())
}

/// The newest `limit` mails of the queue, newest first.
pub fn list(conn: &Connection, limit: usize) -> StoreResult<Vec<QueuedMail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {QUEUE_COLUMNS} FROM mail_queue ORDER BY id DESC LIMIT ?1"
    ))?;
    Ok(stmt
        .query_map([limit as i64], queued_mail)?
        .collect::<Result<_, _>>()?)
}

/// When the next queued mail is due (unix seconds), if any is queued.
pub fn due_at(conn: &Connection) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT MIN(next_attempt_at) FROM mail_queue WHERE state = 'queued'")?
        .query_row([], |r| r.get(0))?)
}

/// Marks the next mail due at `now` as being sent and returns it.
pub fn claim(conn: &Connection, now: i64) -> StoreResult<Option<QueuedMail>> {
    Ok(conn
        .prepare_cached(&format!(
            "UPDATE mail_queue SET state = 'sending', attempts = attempts + 1 WHERE id = \
             (SELECT id FROM mail_queue WHERE state = 'queued' AND next_attempt_at <= ?1 \
             ORDER BY next_attempt_at, id LIMIT 1) RETURNING {QUEUE_COLUMNS}"
        ))?
        .query_row([now], queued_mail)
        .optional()?)
}

/// Records how sending a claimed mail went.
pub fn settle(conn: &Connection, id: i64, outcome: &MailOutcome) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE mail_queue SET state = ?2, last_error = ?3, sent_at = ?4, \
         next_attempt_at = COALESCE(?5, next_attempt_at) WHERE id = ?1 AND state = 'sending'",
    )?;
    match outcome {
        MailOutcome::Sent => {
            stmt.execute(params![id, "sent", None::<String>, now_text(), None::<i64>])
        }
        MailOutcome::Retry { error, at } => {
            stmt.execute(params![id, "queued", error, None::<String>, at])
        }
        MailOutcome::Failed { error } => {
            stmt.execute(params![id, "failed", error, None::<String>, None::<i64>])
        }
    }?;
    Ok(())
}

/// At start: a mail left `sending` by a server that stopped mid-send is queued again (it may
/// have reached the mail server, so it can arrive twice, never more for that one crash), and
/// every queued mail is due now. Returns how many were interrupted.
pub fn resume(conn: &Connection, now: i64) -> StoreResult<usize> {
    let interrupted = conn.execute(
        "UPDATE mail_queue SET state = 'queued' WHERE state = 'sending'",
        [],
    )?;
    conn.execute(
        "UPDATE mail_queue SET next_attempt_at = ?1 WHERE state = 'queued' AND next_attempt_at > ?1",
        [now],
    )?;
    Ok(interrupted)
}

/// Queues a failed (or waiting) mail for a try now, with its retries counted afresh.
pub fn retry(conn: &Connection, id: i64, now: i64) -> StoreResult<QueuedMail> {
    let state: String = conn
        .prepare_cached("SELECT state FROM mail_queue WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if state != "failed" && state != "queued" {
        return Err(ValidationError::new(
            "id",
            format!("only a failed or waiting mail can be retried; this one is {state}"),
        )
        .into());
    }
    conn.prepare_cached(
        "UPDATE mail_queue SET state = 'queued', attempts = 0, next_attempt_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    conn.prepare_cached(&format!(
        "SELECT {QUEUE_COLUMNS} FROM mail_queue WHERE id = ?1"
    ))?
    .query_row([id], queued_mail)
    .map_err(StoreError::from)
}
