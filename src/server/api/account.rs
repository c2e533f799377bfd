//! The caller's own sessions, password and language: sign out everywhere, change the
//! password, choose the app's language.

use super::auth::{count_failure, refuse_if_locked};
use crate::domain::i18n::Language;
use crate::domain::wire::{LanguageChoice, PasswordChange};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Caller, Json};
use crate::server::security::{check_password, hash_password_async, verify_login};
use crate::server::state::SharedState;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(logout_all))
        .routes(routes!(change_password))
        .routes(routes!(language, set_language))
}

/// The language the caller chose for the app (`null`: automatic). Kept on the server, so
/// the choice follows the person to every terminal and SSH session they sign in from.
#[utoipa::path(get, path = "/me/language", tag = "auth", responses((status = 200, body = LanguageChoice), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn language(
    State(state): State<SharedState>,
    caller: Caller,
) -> ApiResult<Json<LanguageChoice>> {
    let language = state.store.account_language(caller.account).await?;
    Ok(Json(LanguageChoice { language }))
}

/// Sets the caller's language: a shipped language's tag, or `null` for automatic. Any other
/// tag is refused (422), naming the languages there are.
#[utoipa::path(put, path = "/me/language", tag = "auth", request_body = LanguageChoice,
    responses((status = 200, body = LanguageChoice), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn set_language(
    State(state): State<SharedState>,
    caller: Caller,
    Json(req): Json<LanguageChoice>,
) -> ApiResult<Json<LanguageChoice>> {
    let language = match req.language.as_deref() {
        None => None,
        Some(tag) => Some(shipped(tag)?.tag().to_string()),
    };
    state
        .store
        .set_account_language(caller.account, language.clone())
        .await?;
    Ok(Json(LanguageChoice { language }))
}

/// The shipped language `tag` names exactly (`it`, not `it-IT`: the choice is kept as given).
fn shipped(tag: &str) -> ApiResult<Language> {
    Language::ALL
        .into_iter()
        .find(|l| l.tag() == tag)
        .ok_or_else(|| {
            let known: Vec<&str> = Language::ALL.iter().map(|l| l.tag()).collect();
            ApiError::unprocessable(
                "language",
                format!(
                    "deskport does not speak {:?}; the languages are: {} (or null for automatic)",
                    crate::domain::text::strip_control(tag),
                    known.join(", ")
                ),
            )
        })
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
    let email = caller.account.email().to_string();
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
