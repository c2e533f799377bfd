//! Sign-in, sign-out, password-less codes and the caller's own account; the lockout that
//! guards every way in.

use crate::domain::Registration;
use crate::domain::text::normalize_email;
use crate::domain::wire::{
    CodeRequest, ConsentRequest, EmailOutcome, LoginRequest, LoginResponse, MeResponse,
    VerifyRequest,
};
use crate::server::error::{ApiError, ApiResult, SaidArg};
use crate::server::extract::{Caller, Json};
use crate::server::mail::Mail;
use crate::server::security::{new_code, new_token, verify_login};
use crate::server::state::SharedState;
use crate::server::store::{Account, CodePurpose};
use crate::server::wire::account_out;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Consecutive failed sign-ins (passwords and codes alike) that lock an address.
pub const MAX_FAILED_LOGINS: i64 = 10;
/// How long a locked address stays locked (`deskport staff unlock` ends it sooner).
pub const LOCK_SECONDS: i64 = 15 * 60;
/// Life of a password-less sign-in code.
pub const LOGIN_CODE_SECONDS: i64 = 15 * 60;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(accept_consent))
        .routes(routes!(request_code))
        .routes(routes!(verify_code))
}

fn locked_error(until: i64) -> ApiError {
    let wait = (until - chrono::Utc::now().timestamp()).max(1) as u64;
    let minutes = i64::try_from(wait.div_ceil(60)).unwrap_or(i64::MAX);
    let mut e = ApiError::said(
        StatusCode::TOO_MANY_REQUESTS,
        "account_locked",
        "error-account-locked",
        vec![("minutes", SaidArg::Number(minutes))],
    );
    e.retry_after = Some(wait);
    e
}

fn passwordless_disabled() -> ApiError {
    ApiError::said(
        StatusCode::FORBIDDEN,
        "passwordless_disabled",
        "error-passwordless-disabled",
        Vec::new(),
    )
}

/// Refuses with 429 while `email` is locked. Failures and locks are kept per address,
/// whether or not it is an account, so no answer tells an account from a stranger.
pub async fn refuse_if_locked(state: &SharedState, email: &str) -> ApiResult<()> {
    match state.store.sign_in_locked_until(email.to_string()).await? {
        Some(until) => Err(locked_error(until)),
        None => Ok(()),
    }
}

/// Counts a failed sign-in (password, code or registration code) to `email`.
pub async fn count_failure(state: &SharedState, email: &str) -> ApiResult<()> {
    Ok(state
        .store
        .record_failed_sign_in(email.to_string(), MAX_FAILED_LOGINS, LOCK_SECONDS)
        .await?)
}

pub(super) fn is_registered(account: &Account) -> bool {
    match account {
        Account::Contact(c) => c.registration == Registration::Registered,
        Account::User(_) => true,
    }
}

/// Issues a one-time code for `email`, stored as a keyed hash. An address that gets no code
/// (`lifetime` is `None`: no such account, locked, already registered) still gets one
/// written, dead on arrival, so every address costs the same work and the same time.
pub(super) async fn issue_code(
    state: &SharedState,
    email: String,
    purpose: CodePurpose,
    lifetime: Option<i64>,
) -> ApiResult<String> {
    let code = new_code();
    let expires = chrono::Utc::now().timestamp() + lifetime.unwrap_or(0);
    state
        .store
        .put_code(email, purpose, state.code_key.hash(&code), expires)
        .await?;
    Ok(code)
}

/// Sends `mail` in the background: an answer that waited for it would take longer exactly
/// for the addresses that get mail. A failure is logged.
pub(super) fn queue_mail(state: &SharedState, mail: Mail) {
    let mailer = state.mailer.clone();
    tokio::spawn(async move {
        if let Err(e) = mailer.send(mail).await {
            tracing::warn!("cannot send an email: {e}");
        }
    });
}

pub(super) async fn start_session(
    state: &SharedState,
    account: Account,
) -> ApiResult<LoginResponse> {
    let (token, hash) = new_token();
    state.store.create_session(hash, account.clone()).await?;
    Ok(LoginResponse {
        token,
        user: account_out(&account),
    })
}

/// Signs in with email and password.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::server::error::ErrorBody), (status = 429, body = crate::server::error::ErrorBody)))]
async fn login(
    State(state): State<SharedState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let refused = || ApiError::refused("error-wrong-login");
    let Some(email) = normalize_email(&req.email) else {
        verify_login(None, req.password).await;
        return Err(refused());
    };
    refuse_if_locked(&state, &email).await?;
    let creds = state.store.credentials(email.clone()).await?;
    let hash = creds
        .as_ref()
        .filter(|c| is_registered(&c.account))
        .and_then(|c| c.password_hash.clone());
    let signed_in = verify_login(hash, req.password).await;
    let Some(creds) = creds.filter(|_| signed_in) else {
        count_failure(&state, &email).await?;
        return Err(refused());
    };
    state.store.clear_failed_sign_ins(email).await?;
    Ok(Json(start_session(&state, creds.account).await?))
}

/// Ends the caller's session.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)), security(("bearer" = [])))]
async fn logout(State(state): State<SharedState>, caller: Caller) -> ApiResult<StatusCode> {
    state.store.delete_session(caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = MeResponse)), security(("bearer" = [])))]
async fn me(State(state): State<SharedState>, caller: Caller) -> ApiResult<Json<MeResponse>> {
    let portal = state.store.portal().await?;
    let consent_required = match &caller.account {
        Account::Contact(c) => portal.consent_needed(c),
        Account::User(_) => false,
    };
    Ok(Json(MeResponse {
        user: account_out(&caller.account),
        consent_required,
        consent_version: portal.consent.version,
    }))
}

/// Records that the calling contact accepted the current consent notice.
#[utoipa::path(post, path = "/me/consent", tag = "auth", request_body = ConsentRequest, responses((status = 200, body = MeResponse)), security(("bearer" = [])))]
async fn accept_consent(
    State(state): State<SharedState>,
    caller: Caller,
    Json(req): Json<ConsentRequest>,
) -> ApiResult<Json<MeResponse>> {
    let Account::Contact(contact) = &caller.account else {
        return Err(ApiError::bad_request(
            "only customers accept the consent notice",
        ));
    };
    let portal = state.store.portal().await?;
    if req.version != portal.consent.version {
        return Err(ApiError::said(
            StatusCode::CONFLICT,
            "stale_consent",
            "error-stale-consent",
            vec![("version", SaidArg::Number(portal.consent.version))],
        ));
    }
    let updated = state.store.accept_consent(contact.id, req.version).await?;
    Ok(Json(MeResponse {
        user: account_out(&Account::Contact(updated)),
        consent_required: false,
        consent_version: req.version,
    }))
}

/// Emails a 15-minute sign-in code to a registered contact, when password-less codes are on.
#[utoipa::path(post, path = "/auth/code", tag = "auth", request_body = CodeRequest, responses((status = 202, body = EmailOutcome), (status = 403, body = crate::server::error::ErrorBody)))]
async fn request_code(
    State(state): State<SharedState>,
    Json(req): Json<CodeRequest>,
) -> ApiResult<(StatusCode, Json<EmailOutcome>)> {
    let portal = state.store.portal().await?;
    if !portal.access.passwordless {
        return Err(passwordless_disabled());
    }
    let email = normalize_email(&req.email).ok_or_else(|| {
        ApiError::said_of_field(StatusCode::BAD_REQUEST, "invalid", "email", "form-email")
    })?;
    let locked = state.store.sign_in_locked_until(email.clone()).await?;
    let creds = state.store.credentials(email.clone()).await?;
    let eligible = locked.is_none()
        && creds.is_some_and(|c| {
            matches!(&c.account, Account::Contact(c) if c.registration == Registration::Registered)
        });
    let lifetime = eligible.then_some(LOGIN_CODE_SECONDS);
    let code = issue_code(&state, email.clone(), CodePurpose::Login, lifetime).await?;
    if eligible {
        let body = format!(
            "Your sign-in code for {} is {code}. It expires in 15 minutes.\n\nIf you did not ask for it, ignore this email.",
            portal.name
        );
        queue_mail(
            &state,
            Mail {
                to: email,
                subject: format!("{} sign-in code", portal.name),
                body,
            },
        );
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(EmailOutcome {
            email_sent: true,
            reason: None,
        }),
    ))
}

/// Signs in with an emailed code.
#[utoipa::path(post, path = "/auth/verify", tag = "auth", request_body = VerifyRequest, responses((status = 200, body = LoginResponse), (status = 401, body = crate::server::error::ErrorBody), (status = 429, body = crate::server::error::ErrorBody)))]
async fn verify_code(
    State(state): State<SharedState>,
    Json(req): Json<VerifyRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let refused = || ApiError::refused("error-wrong-code");
    if !state.store.portal().await?.access.passwordless {
        return Err(passwordless_disabled());
    }
    let email = normalize_email(&req.email).ok_or_else(refused)?;
    refuse_if_locked(&state, &email).await?;
    let creds = state.store.credentials(email.clone()).await?;
    let taken = state
        .store
        .take_code(
            email.clone(),
            CodePurpose::Login,
            state.code_key.hash(req.code.trim()),
        )
        .await?;
    let Some(creds) = creds.filter(|_| taken) else {
        count_failure(&state, &email).await?;
        return Err(refused());
    };
    state.store.clear_failed_sign_ins(email).await?;
    Ok(Json(start_session(&state, creds.account).await?))
}
