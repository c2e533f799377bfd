//! Received mail: each is recorded in `inbound_mail` (whole, under its unique Message-ID)
//! in the transaction that carries out what threading decided.

use super::people::create_contact;
use super::rows::now_text;
use super::tickets;
use crate::domain::ticket::AuthorKind;
use crate::server::store::inbound::bounce_note;
use crate::server::store::shared::addresses_text;
use crate::server::store::{
    InboundAction, InboundMail, NewTicket, Received, Requester, StoreResult,
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
    let received = match mail.action {
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
            .execute(params![
                message.message.id,
                mail.sender,
                addresses_text(&cc)?
            ])?;
            Received::Replied { ticket_id }
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
            )?;
            super::ccs::write_ccs(conn, row.ticket.id, &ccs)?;
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
    };
    let note = match &received {
        Received::Refused { reason } => Some(reason.clone()),
        _ => None,
    };
    conn.prepare_cached(
        "INSERT INTO inbound_mail (message_id, sender, subject, raw, outcome, ticket_id, note, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        mail.message_id,
        mail.sender,
        mail.subject,
        mail.raw,
        received.as_str(),
        received.ticket_id(),
        note,
        now_text()
    ])?;
    Ok(received)
}
