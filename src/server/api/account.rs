//! The caller's own sessions and password: sign out everywhere, change the password.

use super::auth::{count_failure, refuse_if_locked};
use crate::domain::wire::PasswordChange;
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Caller, Json};
use crate::server::security::{check_password, hash_password_async, verify_login};
use crate::server::state::SharedState;
use crate::server::store::Account;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(logout_all))
        .routes(routes!(change_password))
}

/// Ends every session of the caller's account, this one included: the way out after a lost
/// device or a sign-in on a shared computer.
#[utoipa::path(post, path = "/auth/logout-all", tag = "auth", responses((status = 204), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn logout_all(State(state): State<SharedState>, caller: Caller) -> ApiResult<StatusCode> {
    state.store.delete_sessions_of(caller.account).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the caller's password. The current password is required, so a stolen session
/// alone cannot take the account over; a wrong one counts as a failed sign-in. Every other
/// session of the account ends (they were opened with the old password); this one stays.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
async fn change_password(
    State(state): State<SharedState>,
    caller: Caller,
    Json(req): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    check_password(&req.new_password)
        .map_err(|m| ApiError::invalid("new_password", format!("the new password {m}")))?;
    let email = match &caller.account {
        Account::User(u) => u.email.clone(),
        Account::Contact(c) => c.email.clone(),
    };
    refuse_if_locked(&state, &email).await?;
    let current = state
        .store
        .credentials(email.clone())
        .await?
        .and_then(|c| c.password_hash);
    if !verify_login(current, req.old_password).await {
        count_failure(&state, &email).await?;
        return Err(ApiError::invalid(
            "old_password",
            "the current password is wrong",
        ));
    }
    let hash = hash_password_async(req.new_password)
        .await
        .map_err(ApiError::internal)?;
    state
        .store
        .change_password(caller.account, hash, caller.token_hash)
        .await?;
    state.store.clear_failed_sign_ins(email).await?;
    Ok(StatusCode::NO_CONTENT)
}
