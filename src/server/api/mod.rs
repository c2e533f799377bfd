//! The HTTP routes of API v1, each module registering its paths together with their OpenAPI
//! description, so the served document cannot drift from the router.

pub mod account;
pub mod audience;
pub mod auth;
pub mod ccs;
mod error_responses;
pub mod mail;
pub mod meta;
pub mod people;
pub mod portal;
pub mod registration;
pub mod routing;
pub mod saved_replies;
pub mod ssh_keys;
pub mod sync;
mod ticket_input;
pub mod tickets;

use super::error::{ApiError, ApiResult};
use super::extract::Caller;
use super::state::SharedState;
use super::store::Account;
use crate::domain::PortalSettings;
use axum::http::StatusCode;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

/// The document's header; paths and schemas are collected from the routers.
#[derive(OpenApi)]
#[openapi(
    info(title = "deskport portal API", version = "1", description = "Tickets, portal settings, routing and the sync feed of a deskport help desk."),
    servers((url = "/api/v1")),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every v1 route with its OpenAPI document.
pub fn v1() -> OpenApiRouter<SharedState> {
    let mut router = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(account::router())
        .merge(ssh_keys::router())
        .merge(registration::router())
        .merge(portal::router())
        .merge(routing::router())
        .merge(saved_replies::router())
        .merge(tickets::router())
        .merge(ccs::router())
        .merge(people::router())
        .merge(audience::router())
        .merge(mail::router())
        .merge(sync::router())
        .merge(meta::router());
    error_responses::document(router.get_openapi_mut());
    router
}

/// Refuses a customer who must accept the consent notice first; returns the settings (as
/// the request's [`Caller`] read them).
pub fn require_consent(caller: &Caller) -> ApiResult<&PortalSettings> {
    let portal = &caller.portal;
    if let Account::Contact(c) = &caller.account
        && portal.consent_needed(c)
    {
        return Err(ApiError::said(
            StatusCode::FORBIDDEN,
            "consent_required",
            "error-consent-required",
            Vec::new(),
        ));
    }
    Ok(portal)
}
