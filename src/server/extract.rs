//! Request extractors whose rejections use the API's error shape, and [`Caller`], the
//! signed-in account every protected handler starts from.

use super::error::ApiError;
use super::if_match::IfMatch;
use super::request::bearer;
use super::security::digest;
use super::state::SharedState;
use super::store::{Account, FillFrom, StoreError};
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
    /// The author id of messages this caller writes.
    pub fn account_id(&self) -> i64 {
        self.account.key().1
    }
    /// The caller's display name, kept on what they change as its last author.
    pub fn name(&self) -> &str {
        match &self.account {
            Account::User(u) => &u.name,
            Account::Contact(c) => &c.name,
        }
    }
}

/// A signed-in staff member. Taken as an extractor (before the body), so a customer on a
/// staff-only route gets 403 whatever the body, never a 400 that names the route's fields.
#[derive(Debug, Clone)]
pub struct Staff(pub Caller);

/// A signed-in admin: like [`Staff`], refusing agents and customers before the body is read.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

/// The caller, if `allowed` lets its viewer in; 403 otherwise.
async fn caller_if(
    parts: &mut Parts,
    state: &SharedState,
    allowed: fn(&Viewer) -> bool,
) -> Result<Caller, ApiError> {
    let caller = Caller::from_request_parts(parts, state).await?;
    if allowed(&caller.viewer) {
        Ok(caller)
    } else {
        Err(ApiError::forbidden())
    }
}

impl FromRequestParts<SharedState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, ApiError> {
        caller_if(parts, state, Viewer::is_staff).await.map(Staff)
    }
}

impl FromRequestParts<SharedState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, ApiError> {
        caller_if(parts, state, Viewer::is_admin).await.map(Admin)
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

impl FromRequestParts<SharedState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(|| ApiError::refused("error-no-token"))?;
        let token_hash = digest(token);
        let read_from = state.store.answer_stamp();
        let (session, portal) = state.store.session_and_portal(token_hash.clone()).await?;
        let Some((account, last_seen)) = session else {
            return Err(ApiError::refused("error-unknown-token"));
        };
        let idle = i64::from(portal.access.idle_timeout_minutes) * 60;
        let now = chrono::Utc::now().timestamp();
        if now - last_seen > idle {
            state.store.delete_session(token_hash).await?;
            return Err(ApiError::said(
                StatusCode::UNAUTHORIZED,
                "session_expired",
                "error-session-expired",
                Vec::new(),
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

/// The `If-Match` precondition of a request: 428 when missing, 400 when it is not `*` or a
/// list of entity-tags (see [`IfMatch`]).
pub fn if_match(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
    let lines = headers.get_all(header::IF_MATCH);
    if lines.iter().next().is_none() {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            "send If-Match with the version you last read",
        ));
    }
    IfMatch::parse(lines.iter().map(|v| v.as_bytes()))
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "if_match_malformed", e.to_string()))
}

/// Refuses (412) a write whose `If-Match` does not match `version`, the resource's current
/// version as the caller reads it.
pub fn check_version(condition: &IfMatch, version: i64) -> Result<(), ApiError> {
    if condition.matches(&version.to_string()) {
        Ok(())
    } else {
        Err(StoreError::Conflict(version).into())
    }
}

/// The `ETag` header value for a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
