//! Registration: a contact with a code (from an invitation or self-registration) chooses a
//! password; with self-registration, anyone may ask for a code by email.

use super::auth::{count_failure, issue_code, queue_mail, refuse_if_locked, start_session};
use crate::domain::text::normalize_email;
use crate::domain::wire::{EmailOutcome, RegisterRequest, RegisterResponse};
use crate::domain::{AccessMode, Registration};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::Json;
use crate::server::mail::Mail;
use crate::server::security::{check_password, hash_password_async};
use crate::server::state::SharedState;
use crate::server::store::{Account, CodePurpose, Credentials};
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Life of a registration code.
pub const REGISTER_CODE_SECONDS: i64 = 7 * 24 * 3600;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(register))
}

/// Completes registration from an emailed code, or (self-registration) emails a code.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 200, body = RegisterResponse), (status = 202, body = RegisterResponse), (status = 401, body = crate::server::error::ErrorBody), (status = 403, body = crate::server::error::ErrorBody), (status = 429, body = crate::server::error::ErrorBody)))]
async fn register(
    State(state): State<SharedState>,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<RegisterResponse>)> {
    let email = normalize_email(&req.email).ok_or_else(|| {
        ApiError::said_of_field(StatusCode::BAD_REQUEST, "invalid", "email", "form-email")
    })?;
    match (req.code, req.password) {
        (Some(code), Some(password)) => {
            check_password(&password).map_err(|m| ApiError::invalid("password", m))?;
            let refused = || ApiError::refused("error-wrong-registration-code");
            refuse_if_locked(&state, &email).await?;
            let creds = state.store.credentials(email.clone()).await?;
            let taken = state
                .store
                .take_code(
                    email.clone(),
                    CodePurpose::Register,
                    state.code_key.hash(code.trim()),
                )
                .await?;
            let Some(Credentials {
                account: Account::Contact(contact),
                ..
            }) = creds.filter(|_| taken)
            else {
                count_failure(&state, &email).await?;
                return Err(refused());
            };
            state.store.clear_failed_sign_ins(email).await?;
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
                return Err(ApiError::said(
                    StatusCode::FORBIDDEN,
                    "invite_only",
                    "error-invite-only",
                    Vec::new(),
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
            let locked = state.store.sign_in_locked_until(email.clone()).await?;
            let creds = state.store.credentials(email.clone()).await?;
            let contact = creds.and_then(|c| match c.account {
                Account::Contact(c) if c.registration != Registration::Registered => Some(c),
                _ => None,
            });
            let contact = contact.filter(|_| locked.is_none());
            let lifetime = contact.as_ref().map(|_| REGISTER_CODE_SECONDS);
            let code = issue_code(&state, email, CodePurpose::Register, lifetime).await?;
            if let Some(contact) = contact {
                queue_mail(&state, registration_mail(&portal, &contact, &code));
            }
            let outcome = EmailOutcome {
                email_sent: true,
                reason: None,
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
    let code = issue_code(
        state,
        contact.email.clone(),
        CodePurpose::Register,
        Some(REGISTER_CODE_SECONDS),
    )
    .await?;
    state
        .mailer
        .send(registration_mail(&portal, contact, &code))
        .await
        .map_err(ApiError::internal)?;
    Ok(EmailOutcome {
        email_sent: true,
        reason: None,
    })
}

/// The email that carries a registration code.
fn registration_mail(
    portal: &crate::domain::PortalSettings,
    contact: &crate::domain::Contact,
    code: &str,
) -> Mail {
    let body = format!(
        "Hello {},\n\nYou can now register for {} ({}).\nYour registration code is {code}; it is valid for 7 days.\n\
         Sign up with your email address and this code, then choose a password.\n",
        contact.name,
        portal.name,
        portal.portal_url()
    );
    Mail {
        to: contact.email.clone(),
        subject: format!("Register for {}", portal.name),
        body,
    }
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
