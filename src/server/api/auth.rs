//! Sign-in, sign-out, password-less codes, registration and the caller's own account.

use crate::domain::text::normalize_email;
use crate::domain::wire::{
    CodeRequest, ConsentRequest, EmailOutcome, LoginRequest, LoginResponse, MeResponse,
    RegisterRequest, RegisterResponse, VerifyRequest,
};
use crate::domain::{AccessMode, Registration};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{Caller, Json};
use crate::server::mail::Mail;
use crate::server::security::{
    check_password, digest, hash_password_async, new_code, new_token, verify_login,
};
use crate::server::state::SharedState;
use crate::server::store::{Account, CodePurpose, Credentials};
use crate::server::wire::account_out;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Consecutive failed sign-ins that lock an account.
pub const MAX_FAILED_LOGINS: i64 = 10;
/// How long a locked account stays locked.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// Life of a password-less sign-in code.
pub const LOGIN_CODE_SECONDS: i64 = 15 * 60;
/// Life of a registration code.
pub const REGISTER_CODE_SECONDS: i64 = 7 * 24 * 3600;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(accept_consent))
        .routes(routes!(request_code))
        .routes(routes!(verify_code))
        .routes(routes!(register))
}

fn locked_error(until: i64) -> ApiError {
    let wait = (until - chrono::Utc::now().timestamp()).max(1) as u64;
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "account_locked",
        format!(
            "too many failed sign-ins; try again in {} minutes",
            wait.div_ceil(60)
        ),
    );
    e.retry_after = Some(wait);
    e
}

fn passwordless_disabled() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "passwordless_disabled",
        "password-less sign-in is turned off for this portal",
    )
}

fn is_locked(c: &Credentials) -> Option<i64> {
    c.locked_until
        .filter(|until| *until > chrono::Utc::now().timestamp())
}

async fn start_session(state: &SharedState, account: Account) -> ApiResult<LoginResponse> {
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
    let refused = || ApiError::unauthorized("wrong email or password");
    let creds = match normalize_email(&req.email) {
        Some(email) => state.store.credentials(email).await?,
        None => None,
    };
    let Some(creds) = creds else {
        verify_login(None, req.password).await;
        return Err(refused());
    };
    if let Some(until) = is_locked(&creds) {
        return Err(locked_error(until));
    }
    let registered = match &creds.account {
        Account::Contact(c) => c.registration == Registration::Registered,
        Account::User(_) => true,
    };
    let hash = creds.password_hash.clone().filter(|_| registered);
    if !verify_login(hash, req.password).await {
        state
            .store
            .record_failed_login(creds.account.clone(), MAX_FAILED_LOGINS, LOCK_SECONDS)
            .await?;
        return Err(refused());
    }
    state
        .store
        .reset_failed_logins(creds.account.clone())
        .await?;
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
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "stale_consent",
            format!(
                "the notice changed; the current version is {}",
                portal.consent.version
            ),
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
    let email = normalize_email(&req.email)
        .ok_or_else(|| ApiError::invalid("email", "must be an email address"))?;
    if let Some(creds) = state.store.credentials(email.clone()).await? {
        let eligible = matches!(&creds.account, Account::Contact(c) if c.registration == Registration::Registered);
        if eligible && is_locked(&creds).is_none() {
            let code = new_code();
            let expires = chrono::Utc::now().timestamp() + LOGIN_CODE_SECONDS;
            state
                .store
                .put_code(email.clone(), CodePurpose::Login, digest(&code), expires)
                .await?;
            let body = format!(
                "Your sign-in code for {} is {code}. It expires in 15 minutes.\n\nIf you did not ask for it, ignore this email.",
                portal.name
            );
            state
                .mailer
                .send(Mail {
                    to: email,
                    subject: format!("{} sign-in code", portal.name),
                    body,
                })
                .await
                .map_err(ApiError::internal)?;
        }
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
#[utoipa::path(post, path = "/auth/verify", tag = "auth", request_body = VerifyRequest, responses((status = 200, body = LoginResponse), (status = 401, body = crate::server::error::ErrorBody)))]
async fn verify_code(
    State(state): State<SharedState>,
    Json(req): Json<VerifyRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let refused = || ApiError::unauthorized("wrong or expired code");
    if !state.store.portal().await?.access.passwordless {
        return Err(passwordless_disabled());
    }
    let email = normalize_email(&req.email).ok_or_else(refused)?;
    let creds = state
        .store
        .credentials(email.clone())
        .await?
        .ok_or_else(refused)?;
    if let Some(until) = is_locked(&creds) {
        return Err(locked_error(until));
    }
    if !state
        .store
        .take_code(email, CodePurpose::Login, digest(req.code.trim()))
        .await?
    {
        state
            .store
            .record_failed_login(creds.account.clone(), MAX_FAILED_LOGINS, LOCK_SECONDS)
            .await?;
        return Err(refused());
    }
    state
        .store
        .reset_failed_logins(creds.account.clone())
        .await?;
    Ok(Json(start_session(&state, creds.account).await?))
}

/// Completes registration from an emailed code, or (self-registration) emails a code.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 200, body = RegisterResponse), (status = 202, body = RegisterResponse), (status = 401, body = crate::server::error::ErrorBody), (status = 403, body = crate::server::error::ErrorBody)))]
async fn register(
    State(state): State<SharedState>,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<RegisterResponse>)> {
    let email = normalize_email(&req.email)
        .ok_or_else(|| ApiError::invalid("email", "must be an email address"))?;
    match (req.code, req.password) {
        (Some(code), Some(password)) => {
            check_password(&password).map_err(|m| ApiError::invalid("password", m))?;
            let refused = || ApiError::unauthorized("wrong or expired registration code");
            let Some(Credentials {
                account: Account::Contact(contact),
                ..
            }) = state.store.credentials(email.clone()).await?
            else {
                return Err(refused());
            };
            if !state
                .store
                .take_code(email, CodePurpose::Register, digest(code.trim()))
                .await?
            {
                return Err(refused());
            }
            let hash = hash_password_async(password)
                .await
                .map_err(ApiError::internal)?;
            let contact = state
                .store
                .set_registration(contact.id, Registration::Registered, Some(hash))
                .await?;
            let session = start_session(&state, Account::Contact(contact)).await?;
            Ok((StatusCode::OK, Json(RegisterResponse::Registered(session))))
        }
        (None, None) => {
            let portal = state.store.portal().await?;
            if portal.access.mode != AccessMode::SelfRegistration {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "invite_only",
                    "this portal is invite-only: ask support for an invitation",
                ));
            }
            // The same answer for every address, so nobody can probe who is a contact.
            if let Some(reason) = no_registration_mail(&state, &portal).await? {
                return Ok((
                    StatusCode::ACCEPTED,
                    Json(RegisterResponse::CodeRequested(EmailOutcome {
                        email_sent: false,
                        reason: Some(reason),
                    })),
                ));
            }
            let outcome = match state.store.credentials(email).await? {
                Some(Credentials {
                    account: Account::Contact(c),
                    ..
                }) if c.registration != Registration::Registered => {
                    send_registration(&state, &c).await?
                }
                _ => EmailOutcome {
                    email_sent: true,
                    reason: None,
                },
            };
            Ok((
                StatusCode::ACCEPTED,
                Json(RegisterResponse::CodeRequested(outcome)),
            ))
        }
        _ => Err(ApiError::bad_request(
            "send `email` alone to get a code, or `email`, `code` and `password` to register",
        )),
    }
}

/// Issues a registration code to `contact` and emails it, unless the portal is on a system
/// domain (which sends no registration emails); the answer says which.
pub async fn send_registration(
    state: &SharedState,
    contact: &crate::domain::Contact,
) -> ApiResult<EmailOutcome> {
    let portal = state.store.portal().await?;
    if let Some(reason) = no_registration_mail(state, &portal).await? {
        return Ok(EmailOutcome {
            email_sent: false,
            reason: Some(reason),
        });
    }
    let code = new_code();
    let expires = chrono::Utc::now().timestamp() + REGISTER_CODE_SECONDS;
    state
        .store
        .put_code(
            contact.email.clone(),
            CodePurpose::Register,
            digest(&code),
            expires,
        )
        .await?;
    let body = format!(
        "Hello {},\n\nYou can now register for {} ({}).\nYour registration code is {code}; it is valid for 7 days.\n\
         Sign up with your email address and this code, then choose a password.\n",
        contact.name,
        portal.name,
        portal.portal_url()
    );
    state
        .mailer
        .send(Mail {
            to: contact.email.clone(),
            subject: format!("Register for {}", portal.name),
            body,
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(EmailOutcome {
        email_sent: true,
        reason: None,
    })
}

/// Why the portal sends no registration emails (it is on a system domain), if it does not.
async fn no_registration_mail(
    state: &SharedState,
    portal: &crate::domain::PortalSettings,
) -> ApiResult<Option<String>> {
    let domains = state.store.domains().await?;
    Ok(domains
        .iter()
        .any(|d| d.host == portal.domain && d.system)
        .then(|| {
            format!(
                "{} is a system domain: portals on it send no registration emails",
                portal.domain
            )
        }))
}
