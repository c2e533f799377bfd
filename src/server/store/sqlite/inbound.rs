//! Received mail: each is recorded in `inbound_mail` (whole, under its unique Message-ID)
//! in the transaction that carries out what threading decided.

use super::people::create_contact;
use super::rows::now_text;
use super::tickets;
use crate::domain::ticket::AuthorKind;
use crate::server::store::inbound::bounce_note;
use crate::server::store::shared::addresses_text;
use crate::server::store::{
    InboundAction, InboundMail, MailOf, NewTicket, OriginalMail, QuarantineRow, Received,
    Requester, StoreResult, Verdict,
};
use rusqlite::{Connection, OptionalExtension, params};

/// The ticket of the first queued mail among `message_ids` that exists.
pub fn ticket_of_mail(conn: &Connection, message_ids: &[String]) -> StoreResult<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT ticket_id FROM mail_queue WHERE message_id = ?1")?;
    for id in message_ids {
        if let Some(ticket) = stmt.query_row([id], |r| r.get(0)).optional()? {
            return Ok(Some(ticket));
        }
    }
    Ok(None)
}

/// Records `mail` and carries out its action, unless its Message-ID was received before.
pub fn receive(conn: &Connection, mail: InboundMail) -> StoreResult<Received> {
    let seen: Option<i64> = conn
        .prepare_cached("SELECT id FROM inbound_mail WHERE message_id = ?1")?
        .query_row([&mail.message_id], |r| r.get(0))
        .optional()?;
    if seen.is_some() {
        return Ok(Received::Duplicate);
    }
    let received = carry_out(conn, &mail.sender, mail.action)?;
    let note = match &received {
        Received::Refused { reason } => Some(reason.clone()),
        _ => None,
    };
    conn.prepare_cached(
        "INSERT INTO inbound_mail (message_id, sender, subject, raw, outcome, ticket_id, thread_message_id, note, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        mail.message_id,
        mail.sender,
        mail.subject,
        mail.raw,
        received.as_str(),
        received.ticket_id(),
        received.thread_message_id(),
        note,
        now_text()
    ])?;
    Ok(received)
}

/// Carries out what threading decided for a mail from `sender`.
fn carry_out(conn: &Connection, sender: &str, action: InboundAction) -> StoreResult<Received> {
    Ok(match action {
        InboundAction::Reply {
            ticket_id,
            contact_id,
            body,
            cc,
        } => {
            let message = tickets::add_message(
                conn,
                ticket_id,
                AuthorKind::Contact,
                contact_id,
                &body,
                false,
            )?;
            conn.prepare_cached(
                "UPDATE messages SET channel = 'email', sender_address = ?2, cc = ?3 WHERE id = ?1",
            )?
            .execute(params![message.message.id, sender, addresses_text(&cc)?])?;
            Received::Replied {
                ticket_id,
                message_id: message.message.id,
            }
        }
        InboundAction::Open {
            requester,
            ticket,
            confirm,
            ccs,
            cc,
        } => {
            let contact_id = match requester {
                Requester::Known(id) => id,
                Requester::New { email, name } => create_contact(conn, &email, &name)?,
            };
            let (row, _) = tickets::create(
                conn,
                NewTicket {
                    contact_id,
                    ..*ticket
                },
                &ccs,
            )?;
            conn.prepare_cached("UPDATE tickets SET mail_cc = ?2 WHERE id = ?1")?
                .execute(params![row.ticket.id, addresses_text(&cc)?])?;
            if !confirm {
                conn.prepare_cached(
                    "DELETE FROM mail_queue WHERE ticket_id = ?1 AND event = 'ticket_created'",
                )?
                .execute([row.ticket.id])?;
            }
            Received::Opened {
                ticket_id: row.ticket.id,
            }
        }
        InboundAction::Bounce {
            message_ids,
            report,
        } => {
            let mut mail_id = None;
            let mut stmt = conn.prepare_cached(
                "UPDATE mail_queue SET state = 'failed', last_error = ?2 WHERE message_id = ?1 RETURNING id",
            )?;
            for id in &message_ids {
                mail_id = stmt
                    .query_row(params![id, bounce_note(&report)], |r| r.get(0))
                    .optional()?
                    .or(mail_id);
            }
            Received::Bounced { mail_id }
        }
        InboundAction::Refuse { reason } => Received::Refused { reason },
        InboundAction::Quarantine => Received::Quarantined,
    })
}

const QUARANTINE_COLUMNS: &str = "SELECT id, sender, subject, raw, received_at FROM inbound_mail \
     WHERE outcome = 'quarantined'";

fn quarantine_row(r: &rusqlite::Row) -> rusqlite::Result<QuarantineRow> {
    Ok(QuarantineRow {
        id: r.get(0)?,
        sender: r.get(1)?,
        subject: r.get(2)?,
        raw: r.get(3)?,
        received_at: r.get(4)?,
    })
}

/// The oldest `limit` mails waiting in the quarantine.
pub fn quarantine(conn: &Connection, limit: usize) -> StoreResult<Vec<QuarantineRow>> {
    let mut stmt = conn.prepare_cached(&format!("{QUARANTINE_COLUMNS} ORDER BY id LIMIT ?1"))?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], quarantine_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The quarantined mail `id`.
pub fn quarantined(conn: &Connection, id: i64) -> StoreResult<QuarantineRow> {
    Ok(conn
        .prepare_cached(&format!("{QUARANTINE_COLUMNS} AND id = ?1"))?
        .query_row([id], quarantine_row)?)
}

/// Carries out `verdict` on the quarantined mail `id` and records the outcome on it.
pub fn decide(conn: &Connection, id: i64, verdict: Verdict) -> StoreResult<Received> {
    let row = quarantined(conn, id)?;
    let received = match verdict {
        Verdict::Accept(action) => carry_out(conn, &row.sender, *action)?,
        Verdict::Reject => Received::Rejected,
    };
    conn.prepare_cached("UPDATE inbound_mail SET outcome = ?2, ticket_id = ?3 WHERE id = ?1")?
        .execute(params![id, received.as_str(), received.ticket_id()])?;
    Ok(received)
}

/// The stored mail of ticket `ticket_id` that `which` names, if it came by mail.
pub fn stored_mail(
    conn: &Connection,
    ticket_id: i64,
    which: MailOf,
) -> StoreResult<Option<OriginalMail>> {
    let (condition, message) = match which {
        MailOf::Opening => ("outcome = 'opened'", None),
        MailOf::Message(id) => ("thread_message_id = ?2", Some(id)),
    };
    let sql = format!(
        "SELECT message_id, sender, received_at, raw FROM inbound_mail WHERE ticket_id = ?1 AND {condition}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let read = |r: &rusqlite::Row<'_>| {
        Ok(OriginalMail {
            message_id: r.get(0)?,
            sender: r.get(1)?,
            received_at: r.get(2)?,
            raw: r.get(3)?,
        })
    };
    Ok(match message {
        None => stmt.query_row([ticket_id], read).optional()?,
        Some(id) => stmt.query_row([ticket_id, id], read).optional()?,
    })
}
