//! Received mail: each is recorded in `inbound_mail` (whole, under its unique Message-ID)
//! in the transaction that carries out what threading decided (as `sqlite/inbound.rs`).

use super::people::create_contact;
use super::sql::{Db, execute, get, row, row_opt, rows};
use super::tickets;
use crate::domain::ticket::AuthorKind;
use crate::server::store::inbound::bounce_note;
use crate::server::store::shared::{addresses_text, now_text};
use crate::server::store::{
    InboundAction, InboundMail, MailOf, MailboxTurn, NewTicket, OriginalMail, QuarantineRow,
    Received, Requester, StoreResult, Verdict,
};
use tokio_postgres::Row;

/// The session advisory lock whose holder polls the mailbox (`serve --imap`).
const MAILBOX_LOCK: i64 = 0x6465_736b_0004;

/// Takes the mailbox lock on a connection of its own, taken out of the pool: the turn holds
/// it, and dropping the turn closes the connection, which releases the lock however the poll
/// ended (a pooled connection would go back to the pool still holding it).
pub async fn mailbox_turn(pool: &deadpool_postgres::Pool) -> StoreResult<Option<MailboxTurn>> {
    let client = deadpool_postgres::Object::take(pool.get().await?);
    let ours: bool = get(
        &row(&client, "SELECT pg_try_advisory_lock($1)", &[&MAILBOX_LOCK]).await?,
        0,
    )?;
    Ok(ours.then(|| MailboxTurn::holding(client)))
}

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
    let received = carry_out(c, &mail.sender, mail.action).await?;
    let note = match &received {
        Received::Refused { reason } => Some(reason.clone()),
        _ => None,
    };
    execute(
        c,
        "INSERT INTO inbound_mail (message_id, sender, subject, raw, outcome, ticket_id, thread_message_id, note, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &mail.message_id,
            &mail.sender,
            &mail.subject,
            &mail.raw,
            &received.as_str(),
            &received.ticket_id(),
            &received.thread_message_id(),
            &note,
            &now_text(),
        ],
    )
    .await?;
    Ok(received)
}

/// Carries out what threading decided for a mail from `sender`.
async fn carry_out(c: &Db, sender: &str, action: InboundAction) -> StoreResult<Received> {
    Ok(match action {
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
                &[&message.message.id, &sender, &addresses_text(&cc)?],
            )
            .await?;
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
                Requester::New { email, name } => create_contact(c, &email, &name).await?,
            };
            let (row, _) = tickets::create(
                c,
                NewTicket {
                    contact_id,
                    ..*ticket
                },
                &ccs,
            )
            .await?;
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
        InboundAction::Quarantine => Received::Quarantined,
    })
}

const QUARANTINE_COLUMNS: &str = "SELECT id, sender, subject, raw, received_at FROM inbound_mail \
     WHERE outcome = 'quarantined'";

fn quarantine_row(r: &Row) -> StoreResult<QuarantineRow> {
    Ok(QuarantineRow {
        id: get(r, 0)?,
        sender: get(r, 1)?,
        subject: get(r, 2)?,
        raw: get(r, 3)?,
        received_at: get(r, 4)?,
    })
}

/// The oldest `limit` mails waiting in the quarantine.
pub async fn quarantine(c: &Db, limit: usize) -> StoreResult<Vec<QuarantineRow>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let sql = format!("{QUARANTINE_COLUMNS} ORDER BY id LIMIT $1");
    rows(c, &sql, &[&limit])
        .await?
        .iter()
        .map(quarantine_row)
        .collect()
}

/// The quarantined mail `id`.
pub async fn quarantined(c: &Db, id: i64) -> StoreResult<QuarantineRow> {
    let sql = format!("{QUARANTINE_COLUMNS} AND id = $1");
    quarantine_row(&row(c, &sql, &[&id]).await?)
}

/// Carries out `verdict` on the quarantined mail `id` and records the outcome on it. The
/// transaction holds the write lock, so two admins cannot both decide on it.
pub async fn decide(c: &Db, id: i64, verdict: Verdict) -> StoreResult<Received> {
    let mail = quarantined(c, id).await?;
    let received = match verdict {
        Verdict::Accept(action) => carry_out(c, &mail.sender, *action).await?,
        Verdict::Reject => Received::Rejected,
    };
    execute(
        c,
        "UPDATE inbound_mail SET outcome = $2, ticket_id = $3 WHERE id = $1",
        &[&id, &received.as_str(), &received.ticket_id()],
    )
    .await?;
    Ok(received)
}

/// The stored mail of ticket `ticket_id` that `which` names, if it came by mail.
pub async fn stored_mail(
    c: &Db,
    ticket_id: i64,
    which: MailOf,
) -> StoreResult<Option<OriginalMail>> {
    const COLUMNS: &str = "SELECT message_id, sender, received_at, raw FROM inbound_mail";
    let found = match which {
        MailOf::Opening => {
            row_opt(
                c,
                &format!("{COLUMNS} WHERE ticket_id = $1 AND outcome = 'opened'"),
                &[&ticket_id],
            )
            .await?
        }
        MailOf::Message(id) => {
            row_opt(
                c,
                &format!("{COLUMNS} WHERE ticket_id = $1 AND thread_message_id = $2"),
                &[&ticket_id, &id],
            )
            .await?
        }
    };
    found
        .map(|r| -> StoreResult<OriginalMail> {
            Ok(OriginalMail {
                message_id: get(&r, 0)?,
                sender: get(&r, 1)?,
                received_at: get(&r, 2)?,
                raw: get(&r, 3)?,
            })
        })
        .transpose()
}
