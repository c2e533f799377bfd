//! Received mail: each is recorded in `inbound_mail` (whole, under its unique Message-ID)
//! in the transaction that carries out what threading decided (as `sqlite/inbound.rs`).

use super::people::create_contact;
use super::sql::{Db, execute, get, row_opt};
use super::tickets;
use crate::domain::ticket::AuthorKind;
use crate::server::store::inbound::bounce_note;
use crate::server::store::shared::{addresses_text, now_text};
use crate::server::store::{
    InboundAction, InboundMail, NewTicket, Received, Requester, StoreResult,
};

/// The ticket of the first queued mail among `message_ids` that exists.
pub async fn ticket_of_mail(c: &Db, message_ids: &[String]) -> StoreResult<Option<i64>> {
    for id in message_ids {
        if let Some(found) = row_opt(
            c,
            "SELECT ticket_id FROM mail_queue WHERE message_id = $1",
            &[id],
        )
        .await?
        {
            return Ok(Some(get(&found, 0)?));
        }
    }
    Ok(None)
}

/// Records `mail` and carries out its action, unless its Message-ID was received before.
/// The transaction holds the write lock, so two deliveries of one mail cannot both pass the
/// check.
pub async fn receive(c: &Db, mail: InboundMail) -> StoreResult<Received> {
    if row_opt(
        c,
        "SELECT id FROM inbound_mail WHERE message_id = $1",
        &[&mail.message_id],
    )
    .await?
    .is_some()
    {
        return Ok(Received::Duplicate);
    }
    let received = match mail.action {
        InboundAction::Reply {
            ticket_id,
            contact_id,
            body,
            cc,
        } => {
            let message =
                tickets::add_message(c, ticket_id, AuthorKind::Contact, contact_id, &body, false)
                    .await?;
            execute(
                c,
                "UPDATE messages SET channel = 'email', sender_address = $2, cc = $3 WHERE id = $1",
                &[&message.message.id, &mail.sender, &addresses_text(&cc)?],
            )
            .await?;
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
                Requester::New { email, name } => create_contact(c, &email, &name).await?,
            };
            let (row, _) = tickets::create(
                c,
                NewTicket {
                    contact_id,
                    ..*ticket
                },
            )
            .await?;
            super::ccs::write_ccs(c, row.ticket.id, &ccs).await?;
            execute(
                c,
                "UPDATE tickets SET mail_cc = $2 WHERE id = $1",
                &[&row.ticket.id, &addresses_text(&cc)?],
            )
            .await?;
            if !confirm {
                execute(
                    c,
                    "DELETE FROM mail_queue WHERE ticket_id = $1 AND event = 'ticket_created'",
                    &[&row.ticket.id],
                )
                .await?;
            }
            Received::Opened {
                ticket_id: row.ticket.id,
            }
        }
        InboundAction::Bounce {
            message_ids,
            report,
        } => {
            let note = bounce_note(&report);
            let mut mail_id = None;
            for id in &message_ids {
                if let Some(found) = row_opt(
                    c,
                    "UPDATE mail_queue SET state = 'failed', last_error = $2 WHERE message_id = $1 RETURNING id",
                    &[id, &note],
                )
                .await?
                {
                    mail_id = Some(get::<i64>(&found, 0)?);
                }
            }
            Received::Bounced { mail_id }
        }
        InboundAction::Refuse { reason } => Received::Refused { reason },
    };
    let note = match &received {
        Received::Refused { reason } => Some(reason.clone()),
        _ => None,
    };
    execute(
        c,
        "INSERT INTO inbound_mail (message_id, sender, subject, raw, outcome, ticket_id, note, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &mail.message_id,
            &mail.sender,
            &mail.subject,
            &mail.raw,
            &received.as_str(),
            &received.ticket_id(),
            &note,
            &now_text(),
        ],
    )
    .await?;
    Ok(received)
}
