//! `Idempotency-Key` on writes: a replay with the same key and request gets the first answer
//! again and changes nothing; the same key with another request is refused. Only successes
//! are kept (their bodies carry no message to translate); a refused request is run again
//! when replayed, and the refusals this layer makes are catalogue messages, so every error
//! a replay gets reads in the replaying request's language.

use crate::server::error::ApiError;
use crate::server::request::bearer;
use crate::server::security::digest;
use crate::server::state::SharedState;
use crate::server::store::{self, Account, StoredResponse};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest response the middleware buffers to store.
const MAX_STORED_RESPONSE: usize = 16 * 1024 * 1024;

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, Body::from(stored.body)).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    if let Some(tag) = stored.etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(header::ETAG, tag);
    }
    resp
}

/// Whether an answer is kept for replays: only a success, the answer of a request that had
/// an effect. A refused request changed nothing, so running it again is as safe as
/// replaying it, and keeping refusals would let anyone fill the disk with error answers.
fn storable(status: StatusCode) -> bool {
    status.is_success()
}

/// Routes whose answers carry secrets (session tokens) or check them: sign-in, codes,
/// registration, sign-out and password changes. They are not idempotent writes of data; a
/// stored answer would keep a live token at rest and hand it to whoever replays the key,
/// so the key is ignored there.
fn never_kept(path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    path.starts_with("/auth/") || path == "/me/password"
}

/// Whose keys a request's key is compared with: the signed-in account (so a write retried
/// after signing in again, with a new token, is still recognised), the unknown token itself
/// (the request will be refused and nothing stored), or everyone anonymous.
async fn scope_of(state: &SharedState, token: Option<&str>) -> String {
    let Some(token) = token else {
        return "anonymous".into();
    };
    match state.store.session(digest(token)).await {
        Ok(Some((Account::User(u), _))) => format!("user:{}", u.id),
        Ok(Some((Account::Contact(c), _))) => format!("contact:{}", c.id),
        _ => format!("token:{}", digest(token)),
    }
}

/// The middleware.
pub async fn layer(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if never_kept(req.uri().path()) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get("idempotency-key").cloned() else {
        return next.run(req).await;
    };
    let key = match key.to_str() {
        Ok(k) if (1..=200).contains(&k.len()) => k.to_string(),
        _ => {
            return ApiError::said(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "error-idempotency-key-invalid",
                Vec::new(),
            )
            .into_response();
        }
    };
    let scope = scope_of(&state, bearer(req.headers())).await;
    let (parts, body) = req.into_parts();
    let bytes = match super::read_body(body).await {
        Ok(b) => b,
        Err(too_large) => return too_large,
    };
    let request_hash = digest(&format!(
        "{} {} {}",
        parts.method,
        parts.uri.path(),
        String::from_utf8_lossy(&bytes)
    ));
    let name = format!("{scope}:{key}");
    let Some(_flight) = Flight::claim(&state, name.clone()) else {
        return in_progress();
    };
    // The handler's writes and the stored answer commit in one transaction; if this future is
    // dropped before that (the client went away), the writes roll back unacknowledged.
    store::one_transaction(async {
        let resp = answer(&state, parts, bytes, name, scope, key, request_hash, next).await;
        match store::settle().await {
            Ok(()) => resp,
            Err(e) => ApiError::from(e).into_response(),
        }
    })
    .await
}

fn in_progress() -> Response {
    ApiError::said(
        StatusCode::CONFLICT,
        "in_progress",
        "error-idempotency-in-progress",
        Vec::new(),
    )
    .into_response()
}

/// Inside the request's transaction: claims the key on every server sharing the store, then
/// replays the stored answer, refuses a reused key, or runs the request and stores its
/// answer.
#[allow(clippy::too_many_arguments)]
async fn answer(
    state: &SharedState,
    parts: axum::http::request::Parts,
    bytes: axum::body::Bytes,
    name: String,
    scope: String,
    key: String,
    request_hash: String,
    next: Next,
) -> Response {
    match state.store.claim_idempotency_key(name).await {
        Ok(true) => {}
        Ok(false) => return in_progress(),
        Err(e) => return ApiError::from(e).into_response(),
    }
    // Looked up once the key is ours, so a duplicate that finished a moment ago is seen.
    match state.store.idempotent(scope.clone(), key.clone()).await {
        Ok(Some(stored)) if stored.request_hash == request_hash => return replay(stored),
        Ok(Some(_)) => {
            return ApiError::said(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "error-idempotency-key-reused",
                Vec::new(),
            )
            .into_response();
        }
        Ok(None) => {}
        Err(e) => return ApiError::from(e).into_response(),
    }
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    store_answer(state, scope, key, request_hash, resp).await
}

/// A key claimed by a running request; the claim ends when this is dropped, even if the
/// request is cancelled half way.
struct Flight<'a> {
    state: &'a SharedState,
    name: String,
}

impl<'a> Flight<'a> {
    fn claim(state: &'a SharedState, name: String) -> Option<Self> {
        let claimed = state
            .in_flight
            .lock()
            .map(|mut set| set.insert(name.clone()))
            .unwrap_or(false);
        claimed.then_some(Flight { state, name })
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.state.in_flight.lock() {
            set.remove(&self.name);
        }
    }
}

async fn store_answer(
    state: &SharedState,
    scope: String,
    key: String,
    request_hash: String,
    resp: Response,
) -> Response {
    let status = resp.status();
    if !storable(status) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let bytes = match to_bytes(body, MAX_STORED_RESPONSE).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::internal(format!("cannot buffer a response: {e}")).into_response();
        }
    };
    let etag = parts
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let stored = StoredResponse {
        request_hash,
        status: status.as_u16(),
        etag,
        body: bytes.to_vec(),
    };
    if let Err(e) = state.store.put_idempotent(scope, key, stored).await {
        return ApiError::from(e).into_response();
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_successes_of_secret_free_routes_are_kept() {
        assert!(storable(StatusCode::OK) && storable(StatusCode::CREATED));
        for refused in [400, 401, 403, 404, 409, 412, 413, 422, 429, 500] {
            assert!(
                !storable(StatusCode::from_u16(refused).unwrap()),
                "{refused}"
            );
        }
        for path in [
            "/api/v1/auth/login",
            "/api/v1/auth/verify",
            "/api/v1/auth/register",
            "/api/v1/auth/logout-all",
            "/api/v1/me/password",
        ] {
            assert!(never_kept(path), "{path}");
        }
        assert!(!never_kept("/api/v1/tickets"));
        assert!(!never_kept("/api/v1/me/consent"));
    }
}
