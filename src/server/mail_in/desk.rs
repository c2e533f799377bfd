//! What the portal does with a received mail: which ticket it belongs to (the reply token,
//! then `In-Reply-To`/`References`, then `[#n]` in the subject), whether its sender may add to
//! it, and otherwise which new ticket it opens; the store carries that out.

use super::parse::{ReadMail, read};
use super::smtp::{Desk, Reply};
use crate::domain::mail::inbound::{is_inbound_address, reply_address, subject_ticket};
use crate::domain::portal::AccessMode;
use crate::domain::{Contact, Priority, Source};
use crate::server::state::SharedState;
use crate::server::store::rate::Limit;
use crate::server::store::{
    Account, Credentials, InboundAction, InboundMail, NewTicket, Reader, Received, Requester,
    StoreError, StoreResult, TicketRow,
};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Mails one sender may send in an hour; more are deferred (`451`), so a loop with another
/// auto-responder or a flood cannot fill the help desk.
pub const SENDER_LIMIT: Limit = Limit {
    max: 30,
    window: Duration::from_secs(3600),
};

/// The server's desk: answers the SMTP session from the portal's settings and store.
pub struct PortalDesk {
    /// The server's state (store, reply-token key).
    pub state: SharedState,
}

#[async_trait::async_trait]
impl Desk for PortalDesk {
    async fn accepts(&self, recipient: &str) -> bool {
        match self.state.store.portal().await {
            Ok(portal) => {
                let domain = portal
                    .email
                    .inbound_domain
                    .clone()
                    .unwrap_or_else(|| portal.domain.clone());
                is_inbound_address(recipient, &domain)
            }
            Err(e) => {
                tracing::error!("cannot read the portal settings for inbound mail: {e}");
                false
            }
        }
    }

    async fn deliver(&self, sender: &str, recipients: &[String], message: Vec<u8>) -> Reply {
        match self.take(sender, recipients, message).await {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!("cannot take a mail from {sender}: {e}");
                Reply::new(451, "4.3.0 cannot take the mail now; try again later")
            }
        }
    }
}

/// `Ok(None)` for a ticket that does not exist.
fn found(result: StoreResult<TicketRow>) -> StoreResult<Option<TicketRow>> {
    match result {
        Ok(row) => Ok(Some(row)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

impl PortalDesk {
    async fn take(
        &self,
        envelope_from: &str,
        recipients: &[String],
        message: Vec<u8>,
    ) -> StoreResult<Reply> {
        let mail = read(&message, envelope_from);
        let Some(sender) = mail.from.clone() else {
            tracing::info!("refused a mail without a sender address");
            return Ok(Reply::new(550, "5.1.7 the mail names no sender address"));
        };
        let store = &self.state.store;
        if let Err(wait) = store
            .count_request(format!("mail-in:{sender}"), SENDER_LIMIT)
            .await?
        {
            tracing::warn!(
                "deferred a mail from {sender}: over {} an hour",
                SENDER_LIMIT.max
            );
            return Ok(Reply::new(
                451,
                format!("4.7.1 too many mails from you; try again in {wait} s"),
            ));
        }
        let message_id = mail
            .message_id
            .clone()
            .unwrap_or_else(|| format!("<{:x}@deskport.invalid>", Sha256::digest(&message)));
        let action = self.action(&mail, &sender, recipients).await?;
        let inbound = InboundMail {
            message_id,
            sender: sender.clone(),
            subject: mail.subject.clone(),
            // PostgreSQL text holds no NUL, and a mail may (never a valid one).
            raw: String::from_utf8_lossy(&message).replace('\0', "\u{fffd}"),
            action,
        };
        let received = store.receive_mail(inbound).await?;
        Ok(match received {
            Received::Refused { reason } => {
                tracing::warn!("refused a mail from {sender}: {reason}");
                Reply::new(550, format!("5.7.1 {reason}"))
            }
            Received::Quarantined => {
                tracing::info!("a mail from the unknown sender {sender} waits in the quarantine");
                Reply::new(250, "2.0.0 taken; it waits for the help desk to accept it")
            }
            Received::Duplicate => {
                tracing::info!("a mail from {sender} was received before; ignored");
                Reply::new(250, "2.0.0 already received")
            }
            other => {
                tracing::info!("mail from {sender}: {}", other.as_str());
                Reply::new(250, "2.0.0 taken")
            }
        })
    }

    /// What the mail becomes.
    async fn action(
        &self,
        mail: &ReadMail,
        sender: &str,
        recipients: &[String],
    ) -> StoreResult<InboundAction> {
        if let Some(message_ids) = &mail.bounced {
            return Ok(InboundAction::Bounce {
                message_ids: message_ids.clone(),
                report: mail.body.clone(),
            });
        }
        let body = text_of(mail);
        if let Some(ticket) = self.thread(mail, recipients).await?
            && let Some(writer) = self.writer_on(&ticket, sender).await?
        {
            return Ok(InboundAction::Reply {
                ticket_id: ticket.ticket.id,
                contact_id: writer,
                body,
                cc: mail.cc.clone(),
            });
        }
        let store = &self.state.store;
        if let Some(Credentials {
            account: Account::User(_),
            ..
        }) = store.credentials(sender.to_string()).await?
        {
            return Ok(InboundAction::Refuse {
                reason: "mail from staff addresses is not taken; answer in deskport".into(),
            });
        }
        // A new contact's company is decided when the store creates them: their Cc
        // addresses are recorded, not copied.
        let (requester, ccs) = match store.contact_by_email(sender.to_string()).await? {
            Some(contact) => (
                Requester::Known(contact.id),
                self.colleagues(&contact, &mail.cc).await?,
            ),
            None if store.portal().await?.access.mode == AccessMode::SelfRegistration => {
                (new_contact(mail, sender), Vec::new())
            }
            None => return Ok(InboundAction::Quarantine),
        };
        Ok(open_ticket(mail, requester, ccs))
    }

    /// Who `sender` is on `ticket` when they may add to it: the requester, or a contact
    /// copied on it (who writes as themselves; the requester stays).
    async fn writer_on(&self, ticket: &TicketRow, sender: &str) -> StoreResult<Option<i64>> {
        if ticket.requester_email == sender {
            return Ok(Some(ticket.ticket.contact_id));
        }
        if ticket.ticket.ccs.is_empty() {
            return Ok(None);
        }
        Ok(self
            .state
            .store
            .contact_by_email(sender.to_string())
            .await?
            .map(|c| c.id)
            .filter(|id| ticket.ticket.ccs.contains(id)))
    }

    /// The contacts among the `cc` addresses who are colleagues of `requester` (same
    /// company), each once: those a new ticket copies. Anyone else stays a listed address.
    async fn colleagues(&self, requester: &Contact, cc: &[String]) -> StoreResult<Vec<i64>> {
        let Some(company) = requester.company_id else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for address in cc {
            if let Some(contact) = self.state.store.contact_by_email(address.clone()).await?
                && contact.company_id == Some(company)
                && contact.id != requester.id
                && !ids.contains(&contact.id)
            {
                ids.push(contact.id);
            }
        }
        Ok(ids)
    }

    /// The ticket the mail answers: by a reply address whose token checks, else by its
    /// parents among the queued mails' Message-IDs, else by `[#n]` in its subject.
    async fn thread(
        &self,
        mail: &ReadMail,
        recipients: &[String],
    ) -> StoreResult<Option<TicketRow>> {
        let store = &self.state.store;
        for (ticket_id, token) in recipients.iter().filter_map(|r| reply_address(r)) {
            if self.state.code_key.check_reply_token(ticket_id, &token)
                && let Some(row) = found(store.ticket(ticket_id, Reader::Staff).await)?
            {
                return Ok(Some(row));
            }
        }
        if let Some(ticket_id) = store.ticket_of_mail(mail.parents.clone()).await?
            && let Some(row) = found(store.ticket(ticket_id, Reader::Staff).await)?
        {
            return Ok(Some(row));
        }
        match subject_ticket(&mail.subject) {
            Some(ticket_id) => found(store.ticket(ticket_id, Reader::Staff).await),
            None => Ok(None),
        }
    }
}

/// The contact a mail from an unknown `sender` creates, named as its `From` names them.
pub fn new_contact(mail: &ReadMail, sender: &str) -> Requester {
    Requester::New {
        email: sender.to_string(),
        name: mail
            .from_name
            .clone()
            .unwrap_or_else(|| sender.split('@').next().unwrap_or(sender).to_string()),
    }
}

/// The new ticket a mail opens for `requester`, copying the contacts `ccs`, routed by the
/// rules like one from the support form; the requester is told it exists unless the mail
/// came from a machine.
pub fn open_ticket(mail: &ReadMail, requester: Requester, ccs: Vec<i64>) -> InboundAction {
    let subject = if mail.subject.trim().is_empty() {
        "(no subject)".to_string()
    } else {
        mail.subject.clone()
    };
    InboundAction::Open {
        requester,
        ticket: Box::new(NewTicket {
            subject,
            description: text_of(mail),
            category: String::new(),
            priority: Priority::Medium,
            contact_id: 0,
            source: Source::Email,
            form_fields: Default::default(),
            tags: vec![],
            inbox_id: None,
            owner_id: None,
        }),
        confirm: !mail.automatic,
        ccs,
        cc: mail.cc.clone(),
    }
}

/// The mail's text as a ticket keeps it (a placeholder for a mail without text).
pub fn text_of(mail: &ReadMail) -> String {
    if mail.body.trim().is_empty() {
        "(no text)".to_string()
    } else {
        mail.body.clone()
    }
}
