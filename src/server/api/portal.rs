//! Portal settings and connected domains.

use crate::domain::portal::PortalPatch;
use crate::domain::wire::{PortalFor, SshStatus, portal_for};
use crate::domain::{DomainInfo, PortalSettings};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Admin, Caller, Json, Path, Staff, check_version, etag, if_match};
use crate::server::state::SharedState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(get_portal, patch_portal))
        .routes(routes!(list_domains, add_domain))
        .routes(routes!(remove_domain))
        .routes(routes!(get_ssh))
}

async fn portal_response(state: &SharedState, caller: &Caller) -> ApiResult<Response> {
    let portal = state.store.portal().await?;
    let version = portal.version;
    let domains = state.store.domains().await?;
    let body = portal_for(
        &caller.viewer,
        std::sync::Arc::unwrap_or_clone(portal),
        &domains,
    );
    Ok(([(header::ETAG, etag(version))], Json(body)).into_response())
}

/// The settings (customers get the public part), with an `ETag`.
#[utoipa::path(get, path = "/portal", tag = "portal", responses((status = 200, body = PortalFor)), security(("bearer" = [])))]
async fn get_portal(State(state): State<SharedState>, caller: Caller) -> ApiResult<Response> {
    portal_response(&state, &caller).await
}

/// Partial update of the settings; `If-Match` required.
#[utoipa::path(patch, path = "/portal", tag = "portal", request_body = PortalPatch,
    params(("If-Match" = String, Header, description = "the ETag last read")),
    responses((status = 200, body = PortalFor), (status = 400, body = ErrorBody), (status = 412, body = ErrorBody), (status = 428, body = ErrorBody)),
    security(("bearer" = [])))]
async fn patch_portal(
    State(state): State<SharedState>,
    Admin(caller): Admin,
    headers: HeaderMap,
    Json(patch): Json<PortalPatch>,
) -> ApiResult<Response> {
    let condition = if_match(&headers)?;
    let current = state.store.portal().await?;
    check_version(&condition, current.version)?;
    let next = patch.apply(&current);
    // A patch that changes nothing is no new version, and no change for anyone to sync.
    let unchanged = PortalSettings {
        version: current.version,
        ..next.clone()
    } == *current;
    if !unchanged {
        state.store.update_portal(next, current.version).await?;
    }
    portal_response(&state, &caller).await
}

/// Connected domains.
#[utoipa::path(get, path = "/domains", tag = "portal", responses((status = 200, body = Vec<DomainInfo>)), security(("bearer" = [])))]
async fn list_domains(
    State(state): State<SharedState>,
    _: Staff,
) -> ApiResult<Json<Vec<DomainInfo>>> {
    Ok(Json(state.store.domains().await?))
}

/// Connects a domain (never a system domain: those come with the server).
#[utoipa::path(post, path = "/domains", tag = "portal", request_body = DomainInfo,
    responses((status = 201, body = DomainInfo), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn add_domain(
    State(state): State<SharedState>,
    _: Admin,
    Json(mut domain): Json<DomainInfo>,
) -> ApiResult<(StatusCode, Json<DomainInfo>)> {
    domain.host = domain.host.trim().to_string();
    if domain.host.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(ApiError::invalid("host", "must be lower-case"));
    }
    if domain.system {
        return Err(ApiError::invalid(
            "system",
            "system domains come with the server; a connected domain is never one",
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(state.store.add_domain(domain).await?),
    ))
}

/// Removes a connected domain; refused (400) for a system domain and for the domain the
/// portal is served on.
#[utoipa::path(delete, path = "/domains/{host}", tag = "portal", params(("host" = String, Path, description = "the domain's host name")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn remove_domain(
    State(state): State<SharedState>,
    _: Admin,
    Path(host): Path<String>,
) -> ApiResult<StatusCode> {
    state.store.remove_domain(host).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the app is served over SSH and the host key's fingerprint, for admins to publish
/// (`ssh` is `null` when the server does not serve SSH).
#[utoipa::path(get, path = "/ssh", tag = "portal", responses((status = 200, body = SshStatus), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn get_ssh(State(state): State<SharedState>, _: Admin) -> Json<SshStatus> {
    Json(SshStatus {
        ssh: state.ssh.get().cloned(),
    })
}
