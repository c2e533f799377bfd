//! Saved replies: staff list the shared ones and their own; admins manage the shared ones,
//! each agent their own. Another agent's personal reply answers 404, as if it did not
//! exist; a shared one an agent may read but not change answers 403.

use crate::domain::SavedReply;
use crate::domain::saved_reply::{known_placeholders, unknown_placeholder};
use crate::domain::wire::{SavedReplyInput, SavedReplyPatch};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Caller, Json, Path, Staff};
use crate::server::state::SharedState;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_replies, create_reply))
        .routes(routes!(patch_reply, delete_reply))
}

/// 422 naming the unknown placeholder and the known ones, else the reply's own check (400).
fn check(reply: &SavedReply) -> ApiResult<()> {
    if let Some(name) = unknown_placeholder(&reply.body) {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_placeholder",
            format!(
                "unknown placeholder {{{name}}}; known placeholders: {}",
                known_placeholders()
            ),
        );
        e.field = Some("body".into());
        return Err(e);
    }
    reply
        .validate()
        .map_err(|v| ApiError::invalid(v.field, v.message))
}

/// The reply `id` if `caller` may change it: their own, or a shared one for an admin.
async fn changeable(state: &SharedState, caller: &Caller, id: i64) -> ApiResult<SavedReply> {
    let reply = state.store.saved_reply(id).await?;
    match reply.owner_id {
        Some(owner) if owner != caller.account_id() => Err(ApiError::not_found()),
        None if !caller.viewer.is_admin() => Err(ApiError::forbidden()),
        _ => Ok(reply),
    }
}

/// The shared saved replies and the caller's own, by title.
#[utoipa::path(get, path = "/saved-replies", tag = "saved replies",
    responses((status = 200, body = Vec<SavedReply>)), security(("bearer" = [])))]
async fn list_replies(
    State(state): State<SharedState>,
    Staff(caller): Staff,
) -> ApiResult<Json<Vec<SavedReply>>> {
    Ok(Json(state.store.saved_replies(caller.account_id()).await?))
}

/// Saves a reply: the caller's own, or (admins) shared with the team.
#[utoipa::path(post, path = "/saved-replies", tag = "saved replies", request_body = SavedReplyInput,
    responses((status = 201, body = SavedReply), (status = 400, body = ErrorBody),
        (status = 422, description = "An unknown placeholder; the message lists the known ones", body = ErrorBody)),
    security(("bearer" = [])))]
async fn create_reply(
    State(state): State<SharedState>,
    Staff(caller): Staff,
    Json(input): Json<SavedReplyInput>,
) -> ApiResult<(StatusCode, Json<SavedReply>)> {
    if input.shared && !caller.viewer.is_admin() {
        return Err(ApiError::forbidden());
    }
    let reply = SavedReply {
        id: 0,
        title: input.title,
        body: input.body,
        owner_id: (!input.shared).then(|| caller.account_id()),
    };
    check(&reply)?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_saved_reply(reply).await?),
    ))
}

/// Changes a reply; `shared` shares a personal reply or takes a shared one back as the
/// admin's own (admins only).
#[utoipa::path(patch, path = "/saved-replies/{id}", tag = "saved replies", request_body = SavedReplyPatch,
    params(("id" = i64, Path)),
    responses((status = 200, body = SavedReply), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "An unknown placeholder; the message lists the known ones", body = ErrorBody)),
    security(("bearer" = [])))]
async fn patch_reply(
    State(state): State<SharedState>,
    Staff(caller): Staff,
    Path(id): Path<i64>,
    Json(patch): Json<SavedReplyPatch>,
) -> ApiResult<Json<SavedReply>> {
    let mut reply = changeable(&state, &caller, id).await?;
    if let Some(title) = patch.title {
        reply.title = title;
    }
    if let Some(body) = patch.body {
        reply.body = body;
    }
    if let Some(shared) = patch.shared
        && shared != reply.is_shared()
    {
        if !caller.viewer.is_admin() {
            return Err(ApiError::forbidden());
        }
        reply.owner_id = (!shared).then(|| caller.account_id());
    }
    check(&reply)?;
    Ok(Json(state.store.update_saved_reply(reply).await?))
}

/// Deletes a reply.
#[utoipa::path(delete, path = "/saved-replies/{id}", tag = "saved replies", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_reply(
    State(state): State<SharedState>,
    Staff(caller): Staff,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    changeable(&state, &caller, id).await?;
    state.store.delete_saved_reply(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
