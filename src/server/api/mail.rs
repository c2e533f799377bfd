//! Mail for admins: the queue (what was sent, what waits and what failed with the mail
//! server's answer, and a retry of a failed mail) and the quarantine of mail from unknown
//! senders (accept or reject). And for staff, the received mail a ticket or a message came
//! from, as it arrived.

use crate::domain::wire::{OriginalMail, QuarantineDecision, QuarantinedMail, QueuedMail};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Admin, Caller, Json, Path, Query};
use crate::server::mail_in::quarantine;
use crate::server::state::SharedState;
use crate::server::store::MailOf;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_queue))
        .routes(routes!(retry_mail))
        .routes(routes!(opening_original))
        .routes(routes!(message_original))
        .routes(routes!(list_quarantine))
        .routes(routes!(accept_mail))
        .routes(routes!(reject_mail))
}

/// Most mails one answer lists.
const MAX_LIMIT: usize = 1000;

/// Queue list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// How many of the newest mails, 1–1000 (default 100).
    pub limit: Option<usize>,
}

/// The newest mails of the queue, newest first: queued, being sent, sent, and failed with
/// the mail server's answer (admins).
#[utoipa::path(get, path = "/mail/queue", tag = "mail", params(QueueParams),
    responses((status = 200, body = Vec<QueuedMail>), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn list_queue(
    State(state): State<SharedState>,
    _: Admin,
    Query(p): Query<QueueParams>,
) -> ApiResult<Json<Vec<QueuedMail>>> {
    Ok(Json(state.store.mail_queue(p.checked()?).await?))
}

impl QueueParams {
    /// The limit asked for, or the default; out of range is a 400.
    fn checked(&self) -> ApiResult<usize> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid("limit", format!("must be 1–{MAX_LIMIT}")));
        }
        Ok(limit)
    }
}

/// Queues a failed mail again, to be tried now with its retries counted afresh (admins); a
/// mail already sent or being sent is refused (400).
#[utoipa::path(post, path = "/mail/queue/{id}/retry", tag = "mail", params(("id" = i64, Path, description = "the mail's queue id")),
    responses((status = 200, body = QueuedMail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn retry_mail(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<QueuedMail>> {
    let now = chrono::Utc::now().timestamp();
    let mail = state.store.retry_mail(id, now).await?;
    state.mail_retried.notify_one();
    Ok(Json(mail))
}

/// The mail that opened a ticket, whole as it arrived (staff). 404 for customers, whom the
/// headers and quoted history of a mail are not shown to, and for a ticket not opened by mail.
#[utoipa::path(get, path = "/tickets/{id}/original", tag = "mail", params(("id" = i64, Path, description = "the ticket")),
    responses((status = 200, body = OriginalMail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn opening_original(
    State(state): State<SharedState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<OriginalMail>> {
    original(&state, &caller, id, MailOf::Opening).await
}

/// The mail a message of a ticket's thread came in, whole as it arrived (staff). 404 for
/// customers and for a message that did not come by mail.
#[utoipa::path(get, path = "/tickets/{id}/messages/{message_id}/original", tag = "mail",
    params(("id" = i64, Path, description = "the ticket"), ("message_id" = i64, Path, description = "the thread message")),
    responses((status = 200, body = OriginalMail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn message_original(
    State(state): State<SharedState>,
    caller: Caller,
    Path((id, message_id)): Path<(i64, i64)>,
) -> ApiResult<Json<OriginalMail>> {
    original(&state, &caller, id, MailOf::Message(message_id)).await
}

async fn original(
    state: &SharedState,
    caller: &Caller,
    ticket_id: i64,
    which: MailOf,
) -> ApiResult<Json<OriginalMail>> {
    if !caller.viewer.is_staff() {
        return Err(ApiError::not_found());
    }
    match state.store.stored_mail(ticket_id, which).await? {
        Some(mail) => Ok(Json(mail)),
        None => Err(ApiError::not_found()),
    }
}

/// The mails from unknown senders waiting for an admin on an invite-only portal, oldest
/// first, with their text (admins).
#[utoipa::path(get, path = "/mail/quarantine", tag = "mail", params(QueueParams),
    responses((status = 200, body = Vec<QuarantinedMail>), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn list_quarantine(
    State(state): State<SharedState>,
    _: Admin,
    Query(p): Query<QueueParams>,
) -> ApiResult<Json<Vec<QuarantinedMail>>> {
    let rows = state.store.quarantine(p.checked()?).await?;
    Ok(Json(rows.into_iter().map(quarantine::describe).collect()))
}

/// Accepts a quarantined mail (admins): its sender becomes a contact and the mail opens a
/// ticket routed by the rules, as a known contact's mail would; 404 when no mail waits under
/// this id.
#[utoipa::path(post, path = "/mail/quarantine/{id}/accept", tag = "mail", params(("id" = i64, Path, description = "the quarantined mail's id")),
    responses((status = 200, body = QuarantineDecision), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn accept_mail(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<QuarantineDecision>> {
    Ok(Json(quarantine::accept(state.store.as_ref(), id).await?))
}

/// Rejects a quarantined mail (admins): it is dropped, no ticket is opened and no mail is
/// sent; 404 when no mail waits under this id.
#[utoipa::path(post, path = "/mail/quarantine/{id}/reject", tag = "mail", params(("id" = i64, Path, description = "the quarantined mail's id")),
    responses((status = 200, body = QuarantineDecision), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn reject_mail(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<QuarantineDecision>> {
    Ok(Json(quarantine::reject(state.store.as_ref(), id).await?))
}
