//! Request extractors whose rejections use the API's error shape, and [`Caller`], the
//! signed-in account every protected handler starts from.

use super::error::ApiError;
use super::security::digest;
use super::state::SharedState;
use super::store::{Account, FillFrom};
use crate::domain::{PortalSettings, Role, Viewer};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// JSON body; malformed, oversized or wrongly typed bodies become JSON errors.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

/// Room reserved for a JSON body: a ticket page (50 rows) is tens of kilobytes, and growing
/// a small buffer to that size copied it about ten times.
const BODY_CAPACITY: usize = 16 * 1024;

/// `value` as a JSON body: the one way answers are serialised, so an answer kept whole
/// (see [`crate::server::store::Store::cached_answer`]) is byte for byte what it replaces.
pub fn json_bytes<T: serde::Serialize>(value: &T) -> Result<Bytes, serde_json::Error> {
    let mut body = Vec::with_capacity(BODY_CAPACITY);
    serde_json::to_writer(&mut body, value)?;
    Ok(Bytes::from(body))
}

/// A 200 answer with a JSON body built by [`json_bytes`].
pub fn json_response(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match json_bytes(&self.0) {
            Ok(body) => json_response(body),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                e.to_string(),
            )
                .into_response(),
        }
    }
}

/// Path parameters with JSON errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// Query parameters with JSON errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Seconds between two writes of a session's last-seen time (keeps reads cheap).
const TOUCH_EVERY: i64 = 60;

/// The signed-in account behind the request's bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub account: Account,
    /// The visibility input.
    pub viewer: Viewer,
    /// Hash of the token, to end the session.
    pub token_hash: String,
    /// The portal settings as this request read them to check the session's idle time,
    /// so the handler does not fetch them again.
    pub portal: Arc<PortalSettings>,
    /// The store's state before this request read its session: an answer built from what
    /// the request read is kept with it (see [`crate::server::store::Store::answer_stamp`]).
    pub read_from: FillFrom,
}

impl Caller {
    /// The caller's role.
    pub fn role(&self) -> Role {
        self.viewer.role()
    }
    /// Refuses non-staff with 403.
    pub fn require_staff(&self) -> Result<(), ApiError> {
        if self.viewer.is_staff() {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
    /// Refuses non-admins with 403.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.viewer.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
    /// The author id of messages this caller writes.
    pub fn account_id(&self) -> i64 {
        match &self.account {
            Account::User(u) => u.id,
            Account::Contact(c) => c.id,
        }
    }
}

/// The viewer an account reads as.
pub fn viewer_of(account: &Account) -> Viewer {
    match account {
        Account::User(u) => Viewer::Staff {
            user_id: u.id,
            role: u.role,
        },
        Account::Contact(c) => Viewer::Contact {
            contact_id: c.id,
            company_id: c.company_id,
            properties: c.properties.clone(),
        },
    }
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<SharedState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers)
            .ok_or_else(|| ApiError::unauthorized("sign in first: no bearer token"))?;
        let token_hash = digest(token);
        let read_from = state.store.answer_stamp();
        let Some((account, last_seen)) = state.store.session(token_hash.clone()).await? else {
            return Err(ApiError::unauthorized(
                "the token is unknown or was signed out",
            ));
        };
        let portal = state.store.portal().await?;
        let idle = i64::from(portal.access.idle_timeout_minutes) * 60;
        let now = chrono::Utc::now().timestamp();
        if now - last_seen > idle {
            state.store.delete_session(token_hash).await?;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "session_expired",
                "the session expired; sign in again",
            ));
        }
        if now - last_seen > TOUCH_EVERY {
            state.store.touch_session(token_hash.clone()).await?;
        }
        Ok(Caller {
            viewer: viewer_of(&account),
            account,
            token_hash,
            portal,
            read_from,
        })
    }
}

/// The version an `If-Match` header names: 428 when missing, 400 when not a version ETag.
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let raw = headers.get(header::IF_MATCH).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            "send If-Match with the version you last read",
        )
    })?;
    raw.to_str()
        .ok()
        .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| ApiError::bad_request("If-Match must be the ETag you last read, e.g. \"7\""))
}

/// The `ETag` header value for a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
