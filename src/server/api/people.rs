//! Contacts, companies and staff, and invitations to register.

use super::registration::send_registration;
use crate::domain::wire::EmailOutcome;
use crate::domain::{Company, Contact, Registration, User};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Admin, Json, Path, Staff};
use crate::server::state::SharedState;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts))
        .routes(routes!(list_companies))
        .routes(routes!(list_users))
        .routes(routes!(remove_user))
        .routes(routes!(invite_contact))
}

/// Contacts with their registration state (staff).
#[utoipa::path(get, path = "/contacts", tag = "people", responses((status = 200, body = Vec<Contact>)), security(("bearer" = [])))]
async fn list_contacts(
    State(state): State<SharedState>,
    _: Staff,
) -> ApiResult<Json<Vec<Contact>>> {
    Ok(Json(state.store.contacts().await?))
}

/// Companies (staff).
#[utoipa::path(get, path = "/companies", tag = "people", responses((status = 200, body = Vec<Company>)), security(("bearer" = [])))]
async fn list_companies(
    State(state): State<SharedState>,
    _: Staff,
) -> ApiResult<Json<Vec<Company>>> {
    Ok(Json(state.store.companies().await?))
}

/// Staff users, for assignment pickers (staff).
#[utoipa::path(get, path = "/users", tag = "people", responses((status = 200, body = Vec<User>)), security(("bearer" = [])))]
async fn list_users(State(state): State<SharedState>, _: Staff) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(state.store.users().await?))
}

/// Removes a staff user (admins): their sessions end at once and they can no longer sign
/// in; they leave the user list, inboxes and rules, and their open tickets become
/// unassigned. Their name stays on the tickets and messages they worked on. Refused for
/// yourself (400) and for the last admin (409).
#[utoipa::path(delete, path = "/users/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn remove_user(
    State(state): State<SharedState>,
    Admin(caller): Admin,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    if caller.account.key() == ("user", id) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "cannot_remove_self",
            "you cannot remove yourself; another admin can",
        ));
    }
    state
        .store
        .remove_user(id, caller.name().to_string())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invites a contact to register: emails a registration code to the contact's email, or says
/// why no email was sent (system domain). Admins only.
#[utoipa::path(post, path = "/contacts/{id}/invite", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = EmailOutcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn invite_contact(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<Json<EmailOutcome>> {
    let contact = state.store.contact(id).await?;
    if contact.registration == Registration::Registered {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_registered",
            format!("{} is already registered", contact.name),
        ));
    }
    let outcome = send_registration(&state, &contact).await?;
    if outcome.email_sent {
        state
            .store
            .set_registration(contact.id, Registration::Invited, None)
            .await?;
    }
    Ok(Json(outcome))
}
