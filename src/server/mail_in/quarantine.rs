//! The quarantine: mail from unknown senders on an invite-only portal waits here, kept whole
//! in `inbound_mail`, until an admin accepts it (the sender becomes a contact and the mail
//! opens a ticket, as a known contact's would) or rejects it (dropped, nobody is mailed).

use super::desk::{new_contact, open_ticket, text_of};
use super::parse::read;
use crate::domain::wire::{QuarantineDecision, QuarantinedMail};
use crate::server::store::{QuarantineRow, Received, Requester, Store, StoreResult, Verdict};

/// A quarantined mail as admins see it: its text read again from the message as received.
pub fn describe(row: QuarantineRow) -> QuarantinedMail {
    let mail = read(row.raw.as_bytes(), &row.sender);
    QuarantinedMail {
        body: text_of(&mail),
        name: mail.from_name,
        id: row.id,
        sender: row.sender,
        subject: row.subject,
        received_at: row.received_at,
    }
}

/// Accepts the quarantined mail `id`: creates its sender as a contact (unless one was added
/// meanwhile) and opens the ticket, routed by the rules, in one transaction. Its Cc
/// addresses are listed, not copied, as for any sender who just became a contact.
pub async fn accept(store: &dyn Store, id: i64) -> StoreResult<QuarantineDecision> {
    let row = store.quarantined(id).await?;
    let mail = read(row.raw.as_bytes(), &row.sender);
    let requester = match store.contact_by_email(row.sender.clone()).await? {
        Some(contact) => Requester::Known(contact.id),
        None => new_contact(&mail, &row.sender),
    };
    let received = store
        .decide_quarantined(
            id,
            Verdict::Accept(Box::new(open_ticket(&mail, requester, Vec::new()))),
        )
        .await?;
    tracing::info!(
        "an admin accepted the quarantined mail {id} from {}",
        row.sender
    );
    Ok(decision(id, &received))
}

/// Rejects the quarantined mail `id`: no ticket, no mail to anyone.
pub async fn reject(store: &dyn Store, id: i64) -> StoreResult<QuarantineDecision> {
    let received = store.decide_quarantined(id, Verdict::Reject).await?;
    tracing::info!("an admin rejected the quarantined mail {id}");
    Ok(decision(id, &received))
}

fn decision(id: i64, received: &Received) -> QuarantineDecision {
    QuarantineDecision {
        id,
        accepted: !matches!(received, Received::Rejected),
        ticket_id: received.ticket_id(),
    }
}
