//! The mail queue on PostgreSQL, with the SQLite store's semantics: each mail is written in
//! the transaction of the change it is about, then claimed, sent and settled by the sender
//! task of one of the servers (a claim skips rows another server holds).

use super::sql::{Db, execute, get, row, row_opt, rows};
use crate::domain::ValidationError;
use crate::domain::mail::MailEvent;
use crate::domain::wire::{MailState, QueuedMail};
use crate::server::store::mail_compose::{QUEUE_COLUMNS, Recipient, compose, recipients};
use crate::server::store::shared::{now_text, unix_now};
use crate::server::store::{MailOutcome, MessageRow, StoreError, StoreResult, TicketRow};
use tokio_postgres::Row;

fn queued_mail(r: &Row) -> StoreResult<QueuedMail> {
    let event: String = get(r, 2)?;
    let state: String = get(r, 11)?;
    let refs: String = get(r, 9)?;
    Ok(QueuedMail {
        id: get(r, 0)?,
        ticket_id: get(r, 1)?,
        event: MailEvent::parse(&event)
            .ok_or_else(|| StoreError::Database(format!("unknown mail event `{event}`")))?,
        recipient: get(r, 3)?,
        sender: get(r, 4)?,
        subject: get(r, 5)?,
        body: get(r, 6)?,
        message_id: get(r, 7)?,
        in_reply_to: get(r, 8)?,
        references: refs.split_whitespace().map(str::to_string).collect(),
        reply_domain: get(r, 10)?,
        state: MailState::parse(&state)
            .ok_or_else(|| StoreError::Database(format!("unknown mail state `{state}`")))?,
        attempts: get(r, 12)?,
        last_error: get(r, 13)?,
        created_at: get(r, 14)?,
        sent_at: get(r, 15)?,
        next_attempt_at: get(r, 16)?,
    })
}

/// Queues the mails `event` on ticket `ticket` causes (see the SQLite store's `enqueue`).
pub async fn enqueue(
    c: &Db,
    ticket: &TicketRow,
    event: MailEvent,
    reply: Option<&MessageRow>,
) -> StoreResult<()> {
    let ticket_id = ticket.ticket.id;
    let owner = match (event, ticket.ticket.owner_id) {
        (MailEvent::AssignedToYou, Some(owner)) => {
            let r = row(c, "SELECT email, name FROM users WHERE id = $1", &[&owner]).await?;
            Some((get(&r, 0)?, get(&r, 1)?))
        }
        _ => None,
    };
    let ccs = rows(
        c,
        "SELECT c.id, c.email, c.name FROM ticket_ccs x JOIN contacts c ON c.id = x.contact_id \
         WHERE x.ticket_id = $1 ORDER BY c.id",
        &[&ticket_id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Recipient {
            kind: "contact",
            id: get(r, 0)?,
            address: get(r, 1)?,
            name: get(r, 2)?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    let portal = super::config::portal(c).await?;
    let domains = super::config::domains(c).await?;
    let text = reply.map_or("", |m| m.message.body.as_str());
    let message_ref = reply.map(|m| m.message.id);
    for to in recipients(event, ticket, owner, ccs) {
        let previous = row_opt(
            c,
            "SELECT message_id, refs FROM mail_queue WHERE ticket_id = $1 AND recipient = $2 \
             ORDER BY id DESC LIMIT 1",
            &[&ticket_id, &to.address],
        )
        .await?
        .map(|r| Ok::<_, StoreError>((get(&r, 0)?, get(&r, 1)?)))
        .transpose()?;
        let mail = compose(event, ticket, to, &portal, &domains, text, previous);
        execute(
            c,
            "INSERT INTO mail_queue (ticket_id, event, recipient_kind, recipient_id, recipient, sender, \
             subject, body, message_id, in_reply_to, refs, reply_domain, state, next_attempt_at, created_at, message_ref) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'queued', $13, $14, $15)",
            &[
                &ticket_id,
                &event.as_str(),
                &mail.recipient.kind,
                &mail.recipient.id,
                &mail.recipient.address,
                &mail.sender,
                &mail.subject,
                &mail.body,
                &mail.message_id,
                &mail.in_reply_to,
                &mail.references,
                &mail.reply_domain,
                &unix_now(),
                &now_text(),
                &message_ref,
            ],
        )
        .await?;
    }
    Ok(())
}

/// The newest `limit` mails of the queue, newest first.
pub async fn list(c: &Db, limit: usize) -> StoreResult<Vec<QueuedMail>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let sql = format!("SELECT {QUEUE_COLUMNS} FROM mail_queue ORDER BY id DESC LIMIT $1");
    rows(c, &sql, &[&limit])
        .await?
        .iter()
        .map(queued_mail)
        .collect()
}

/// When the next queued mail is due (unix seconds), if any is queued.
pub async fn due_at(c: &Db) -> StoreResult<Option<i64>> {
    let r = row(
        c,
        "SELECT MIN(next_attempt_at) FROM mail_queue WHERE state = 'queued'",
        &[],
    )
    .await?;
    get(&r, 0)
}

/// Marks the next mail due at `now` as being sent and returns it; a row another server's
/// claim holds is skipped.
pub async fn claim(c: &Db, now: i64) -> StoreResult<Option<QueuedMail>> {
    let sql = format!(
        "UPDATE mail_queue SET state = 'sending', attempts = attempts + 1 WHERE id = \
         (SELECT id FROM mail_queue WHERE state = 'queued' AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {QUEUE_COLUMNS}"
    );
    row_opt(c, &sql, &[&now])
        .await?
        .as_ref()
        .map(queued_mail)
        .transpose()
}

/// Records how sending a claimed mail went.
pub async fn settle(c: &Db, id: i64, outcome: &MailOutcome) -> StoreResult<()> {
    let (state, error, sent_at, at): (&str, Option<&str>, Option<String>, Option<i64>) =
        match outcome {
            MailOutcome::Sent => ("sent", None, Some(now_text()), None),
            MailOutcome::Retry { error, at } => ("queued", Some(error), None, Some(*at)),
            MailOutcome::Failed { error } => ("failed", Some(error), None, None),
        };
    execute(
        c,
        "UPDATE mail_queue SET state = $2, last_error = $3, sent_at = $4, \
         next_attempt_at = COALESCE($5, next_attempt_at) WHERE id = $1 AND state = 'sending'",
        &[&id, &state, &error, &sent_at, &at],
    )
    .await?;
    Ok(())
}

/// At start: queues again what a stopped server was sending and makes every queued mail due
/// now; how many were interrupted.
pub async fn resume(c: &Db, now: i64) -> StoreResult<usize> {
    let interrupted = execute(
        c,
        "UPDATE mail_queue SET state = 'queued' WHERE state = 'sending'",
        &[],
    )
    .await?;
    execute(
        c,
        "UPDATE mail_queue SET next_attempt_at = $1 WHERE state = 'queued' AND next_attempt_at > $1",
        &[&now],
    )
    .await?;
    Ok(usize::try_from(interrupted).unwrap_or(usize::MAX))
}

/// Queues a failed (or waiting) mail for a try now, with its retries counted afresh.
pub async fn retry(c: &Db, id: i64, now: i64) -> StoreResult<QueuedMail> {
    let state: String = get(
        &row(c, "SELECT state FROM mail_queue WHERE id = $1", &[&id]).await?,
        0,
    )?;
    if state != "failed" && state != "queued" {
        return Err(ValidationError::new(
            "id",
            format!("only a failed or waiting mail can be retried; this one is {state}"),
        )
        .into());
    }
    let sql = format!(
        "UPDATE mail_queue SET state = 'queued', attempts = 0, next_attempt_at = $2 \
         WHERE id = $1 RETURNING {QUEUE_COLUMNS}"
    );
    queued_mail(&row(c, &sql, &[&id, &now]).await?)
}
