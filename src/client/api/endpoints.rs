//! One typed method per API v1 endpoint.

use super::{ApiClient, Call, Tagged, transport_error};
use crate::client::error::ApiError;
use crate::domain::portal::PortalPatch;
use crate::domain::wire::{
    Audience, BulkRequest, BulkResponse, CodeRequest, ConsentRequest, EmailOutcome, InboxInput,
    InboxOut, InboxPatch, LoginRequest, LoginResponse, MeResponse, MessageInput, MessageOut,
    PasswordChange, PortalFor, QuarantineDecision, QuarantinedMail, QueuedMail, RegisterRequest,
    RegisterResponse, RouteDecision, RuleInput, RulePatch, RuleTestRequest, SshStatus,
    TicketDetail, TicketInput, TicketListQuery, TicketOut, TicketPage, TicketPatch, VerifyRequest,
};
use crate::domain::{Company, Contact, DomainInfo, Inbox, RoutingRule, User};
use reqwest::Method;

impl ApiClient {
    /// `POST /auth/login`.
    pub async fn login(&self, email: &str, password: &str) -> Result<LoginResponse, ApiError> {
        let body = LoginRequest {
            email: email.to_string(),
            password: password.to_string(),
        };
        self.json(Call::new(Method::POST, "/auth/login").json(&body)?)
            .await
    }

    /// `POST /auth/logout`.
    pub async fn logout(&self) -> Result<(), ApiError> {
        self.empty(Call::new(Method::POST, "/auth/logout")).await
    }

    /// `POST /auth/logout-all`: ends every session of the account, this one included.
    pub async fn logout_all(&self) -> Result<(), ApiError> {
        self.empty(Call::new(Method::POST, "/auth/logout-all"))
            .await
    }

    /// `POST /me/password`: changes the password; the server ends the account's other
    /// sessions and keeps this one.
    pub async fn change_password(&self, old: &str, new: &str) -> Result<(), ApiError> {
        let body = PasswordChange {
            old_password: old.to_string(),
            new_password: new.to_string(),
        };
        self.empty(Call::new(Method::POST, "/me/password").json(&body)?)
            .await
    }

    /// `POST /auth/code`: emails a password-less sign-in code.
    pub async fn request_code(&self, email: &str) -> Result<EmailOutcome, ApiError> {
        self.json(Call::new(Method::POST, "/auth/code").json(&CodeRequest {
            email: email.to_string(),
        })?)
        .await
    }

    /// `POST /auth/verify`: exchanges an emailed code for a session.
    pub async fn verify_code(&self, email: &str, code: &str) -> Result<LoginResponse, ApiError> {
        let body = VerifyRequest {
            email: email.to_string(),
            code: code.to_string(),
        };
        self.json(Call::new(Method::POST, "/auth/verify").json(&body)?)
            .await
    }

    /// `POST /auth/register`.
    pub async fn register(&self, req: &RegisterRequest) -> Result<RegisterResponse, ApiError> {
        self.json(Call::new(Method::POST, "/auth/register").json(req)?)
            .await
    }

    /// `GET /me`.
    pub async fn me(&self) -> Result<MeResponse, ApiError> {
        self.json(Call::new(Method::GET, "/me")).await
    }

    /// `POST /me/consent`.
    pub async fn accept_consent(&self, version: i64) -> Result<MeResponse, ApiError> {
        self.json(Call::new(Method::POST, "/me/consent").json(&ConsentRequest { version })?)
            .await
    }

    /// `GET /portal`, with its version.
    pub async fn portal(&self) -> Result<Tagged<PortalFor>, ApiError> {
        self.fetch(Call::new(Method::GET, "/portal")).await
    }

    /// `PATCH /portal` with `If-Match: "<version>"`.
    pub async fn patch_portal(
        &self,
        version: i64,
        patch: &PortalPatch,
        key: Option<&str>,
    ) -> Result<Tagged<PortalFor>, ApiError> {
        self.fetch(
            Call::new(Method::PATCH, "/portal")
                .json(patch)?
                .if_match(version)
                .idempotency_key(key),
        )
        .await
    }

    /// `GET /domains`.
    pub async fn domains(&self) -> Result<Vec<DomainInfo>, ApiError> {
        self.json(Call::new(Method::GET, "/domains")).await
    }

    /// `POST /domains`.
    pub async fn add_domain(&self, domain: &DomainInfo) -> Result<DomainInfo, ApiError> {
        self.json(Call::new(Method::POST, "/domains").json(domain)?)
            .await
    }

    /// `DELETE /domains/{host}`. A name that is not a host name cannot be a connected domain:
    /// [`ApiError::NotFound`] without asking (it could not go into the path as is either).
    pub async fn remove_domain(&self, host: &str) -> Result<(), ApiError> {
        if !crate::domain::text::is_valid_host(host) {
            return Err(ApiError::NotFound);
        }
        self.empty(Call::new(Method::DELETE, format!("/domains/{host}")))
            .await
    }

    /// `GET /inboxes` (with open and unassigned counts).
    pub async fn inboxes(&self) -> Result<Vec<InboxOut>, ApiError> {
        self.json(Call::new(Method::GET, "/inboxes")).await
    }

    /// `POST /inboxes`.
    pub async fn create_inbox(
        &self,
        input: &InboxInput,
        key: Option<&str>,
    ) -> Result<Inbox, ApiError> {
        self.json(
            Call::new(Method::POST, "/inboxes")
                .json(input)?
                .idempotency_key(key),
        )
        .await
    }

    /// `PATCH /inboxes/{id}`.
    pub async fn patch_inbox(
        &self,
        id: i64,
        patch: &InboxPatch,
        key: Option<&str>,
    ) -> Result<Inbox, ApiError> {
        self.json(
            Call::new(Method::PATCH, format!("/inboxes/{id}"))
                .json(patch)?
                .idempotency_key(key),
        )
        .await
    }

    /// `DELETE /inboxes/{id}`.
    pub async fn delete_inbox(&self, id: i64, key: Option<&str>) -> Result<(), ApiError> {
        self.empty(Call::new(Method::DELETE, format!("/inboxes/{id}")).idempotency_key(key))
            .await
    }

    /// `GET /routing-rules`, in order.
    pub async fn rules(&self) -> Result<Vec<RoutingRule>, ApiError> {
        self.json(Call::new(Method::GET, "/routing-rules")).await
    }

    /// `POST /routing-rules`.
    pub async fn create_rule(
        &self,
        input: &RuleInput,
        key: Option<&str>,
    ) -> Result<RoutingRule, ApiError> {
        self.json(
            Call::new(Method::POST, "/routing-rules")
                .json(input)?
                .idempotency_key(key),
        )
        .await
    }

    /// `PATCH /routing-rules/{id}`.
    pub async fn patch_rule(
        &self,
        id: i64,
        patch: &RulePatch,
        key: Option<&str>,
    ) -> Result<RoutingRule, ApiError> {
        self.json(
            Call::new(Method::PATCH, format!("/routing-rules/{id}"))
                .json(patch)?
                .idempotency_key(key),
        )
        .await
    }

    /// `DELETE /routing-rules/{id}`.
    pub async fn delete_rule(&self, id: i64, key: Option<&str>) -> Result<(), ApiError> {
        self.empty(Call::new(Method::DELETE, format!("/routing-rules/{id}")).idempotency_key(key))
            .await
    }

    /// `POST /routing-rules/test`: where a draft ticket would go.
    pub async fn test_rules(&self, req: &RuleTestRequest) -> Result<RouteDecision, ApiError> {
        self.json(Call::new(Method::POST, "/routing-rules/test").json(req)?)
            .await
    }

    /// `GET /tickets`.
    pub async fn tickets(&self, q: &TicketListQuery) -> Result<TicketPage, ApiError> {
        let mut call = Call::new(Method::GET, "/tickets");
        if let Some(v) = &q.q {
            call = call.query("q", v);
        }
        if let Some(v) = q.stage {
            call = call.query("stage", v.as_str());
        }
        if let Some(v) = &q.owner {
            call = call.query("owner", v);
        }
        if let Some(v) = q.inbox {
            call = call.query("inbox", v);
        }
        if let Some(v) = q.limit {
            call = call.query("limit", v);
        }
        if let Some(v) = &q.cursor {
            call = call.query("cursor", v);
        }
        self.json(call).await
    }

    /// `GET /tickets/{id}`: the ticket with its visible thread, and its version.
    pub async fn ticket(&self, id: i64) -> Result<Tagged<TicketDetail>, ApiError> {
        self.fetch(Call::new(Method::GET, format!("/tickets/{id}")))
            .await
    }

    /// `POST /tickets`.
    pub async fn create_ticket(
        &self,
        input: &TicketInput,
        key: Option<&str>,
    ) -> Result<TicketOut, ApiError> {
        self.json(
            Call::new(Method::POST, "/tickets")
                .json(input)?
                .idempotency_key(key),
        )
        .await
    }

    /// `PATCH /tickets/{id}` with `If-Match: "<version>"`.
    pub async fn patch_ticket(
        &self,
        id: i64,
        version: i64,
        patch: &TicketPatch,
        key: Option<&str>,
    ) -> Result<Tagged<TicketDetail>, ApiError> {
        self.fetch(
            Call::new(Method::PATCH, format!("/tickets/{id}"))
                .json(patch)?
                .if_match(version)
                .idempotency_key(key),
        )
        .await
    }

    /// `POST /tickets/{id}/messages`.
    pub async fn add_message(
        &self,
        id: i64,
        input: &MessageInput,
        key: Option<&str>,
    ) -> Result<MessageOut, ApiError> {
        self.json(
            Call::new(Method::POST, format!("/tickets/{id}/messages"))
                .json(input)?
                .idempotency_key(key),
        )
        .await
    }

    /// `POST /tickets/bulk`.
    pub async fn bulk(
        &self,
        req: &BulkRequest,
        key: Option<&str>,
    ) -> Result<BulkResponse, ApiError> {
        self.json(
            Call::new(Method::POST, "/tickets/bulk")
                .json(req)?
                .idempotency_key(key),
        )
        .await
    }

    /// `GET /contacts`.
    pub async fn contacts(&self) -> Result<Vec<Contact>, ApiError> {
        self.json(Call::new(Method::GET, "/contacts")).await
    }

    /// `GET /companies`.
    pub async fn companies(&self) -> Result<Vec<Company>, ApiError> {
        self.json(Call::new(Method::GET, "/companies")).await
    }

    /// `GET /users`.
    pub async fn users(&self) -> Result<Vec<User>, ApiError> {
        self.json(Call::new(Method::GET, "/users")).await
    }

    /// `GET /contacts/{id}/tickets`: one page of a contact's list as they see it (admins); the
    /// first page without `cursor`, the next with the previous page's `next_cursor`.
    pub async fn tickets_as_contact(
        &self,
        id: i64,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<TicketPage, ApiError> {
        let mut call =
            Call::new(Method::GET, format!("/contacts/{id}/tickets")).query("limit", limit);
        if let Some(c) = cursor.filter(|c| !c.is_empty()) {
            call = call.query("cursor", c);
        }
        self.json(call).await
    }

    /// `GET /tickets/{id}/audience`: the contacts who can see a ticket, and why (staff).
    pub async fn audience(&self, id: i64) -> Result<Audience, ApiError> {
        self.json(Call::new(Method::GET, format!("/tickets/{id}/audience")))
            .await
    }

    /// `POST /contacts/{id}/invite`.
    pub async fn invite(&self, id: i64) -> Result<EmailOutcome, ApiError> {
        self.json(Call::new(Method::POST, format!("/contacts/{id}/invite")))
            .await
    }

    /// `GET /ssh`: where the app is served over SSH, with the host key's fingerprint (admins).
    pub async fn ssh_status(&self) -> Result<SshStatus, ApiError> {
        self.json(Call::new(Method::GET, "/ssh")).await
    }

    /// `GET /mail/queue`: the newest mails of the queue (admins).
    pub async fn mail_queue(&self) -> Result<Vec<QueuedMail>, ApiError> {
        self.json(Call::new(Method::GET, "/mail/queue")).await
    }

    /// `POST /mail/queue/{id}/retry`: queues a failed mail again (admins).
    pub async fn retry_mail(&self, id: i64) -> Result<QueuedMail, ApiError> {
        self.json(Call::new(Method::POST, format!("/mail/queue/{id}/retry")))
            .await
    }

    /// `GET /mail/quarantine`: mail from unknown senders waiting for an admin.
    pub async fn quarantine(&self) -> Result<Vec<QuarantinedMail>, ApiError> {
        self.json(Call::new(Method::GET, "/mail/quarantine")).await
    }

    /// `POST /mail/quarantine/{id}/accept` (`accept`) or `.../reject`.
    pub async fn decide_quarantined(
        &self,
        id: i64,
        accept: bool,
    ) -> Result<QuarantineDecision, ApiError> {
        let verb = if accept { "accept" } else { "reject" };
        self.json(Call::new(
            Method::POST,
            format!("/mail/quarantine/{id}/{verb}"),
        ))
        .await
    }

    /// `GET /sync` as raw JSON bytes (decoded off the async threads by the sync engine).
    pub async fn sync_raw(&self, cursor: Option<&str>, limit: usize) -> Result<Vec<u8>, ApiError> {
        let mut call = Call::new(Method::GET, "/sync").query("limit", limit);
        if let Some(c) = cursor.filter(|c| !c.is_empty()) {
            call = call.query("cursor", c);
        }
        self.send(call)
            .await?
            .bytes()
            .await
            .map(Vec::from)
            .map_err(|e| transport_error(&e))
    }

    /// `GET /events`: the open event stream (see [`crate::client::events`]).
    pub async fn events(&self) -> Result<reqwest::Response, ApiError> {
        self.send(Call::new(Method::GET, "/events").without_timeout())
            .await
    }
}
