//! The endpoints of a ticket that lives by mail, kept apart from the ticket's own: who is
//! copied on it (`PUT /tickets/{id}/ccs`, a versioned write the outbox sends) and the mails
//! it came in, whole as received (staff only, read on demand, never cached).

use super::{ApiClient, Call};
use crate::client::error::ApiError;
use crate::domain::wire::{CcsInput, OriginalMail, TicketRow};
use reqwest::Method;

impl ApiClient {
    /// `PUT /tickets/{id}/ccs` with `If-Match: "<version>"`: the ticket's whole list of CCs.
    pub async fn set_ccs(
        &self,
        id: i64,
        version: i64,
        ccs: &CcsInput,
        key: Option<&str>,
    ) -> Result<TicketRow, ApiError> {
        self.json(
            Call::new(Method::PUT, format!("/tickets/{id}/ccs"))
                .json(ccs)?
                .if_match(version)
                .idempotency_key(key),
        )
        .await
    }

    /// `GET /tickets/{id}/original`: the mail that opened the ticket (staff).
    pub async fn original(&self, id: i64) -> Result<OriginalMail, ApiError> {
        self.json(Call::new(Method::GET, format!("/tickets/{id}/original")))
            .await
    }

    /// `GET /tickets/{id}/messages/{message_id}/original`: the mail a reply came in (staff).
    pub async fn message_original(
        &self,
        id: i64,
        message_id: i64,
    ) -> Result<OriginalMail, ApiError> {
        let path = format!("/tickets/{id}/messages/{message_id}/original");
        self.json(Call::new(Method::GET, path)).await
    }
}
