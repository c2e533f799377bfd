//! What the middlewares and the extractors read off a raw request before any handler runs:
//! the body size limit and the bearer token. A leaf module (it imports nothing of ours), so
//! `extract` and the middlewares share it without importing each other.

use axum::http::{HeaderMap, header};

/// Largest request body the API reads (1 MiB); larger ones get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The bearer token of a request, if any: the session token the `Caller` extractor resolves
/// and the idempotency middleware scopes keys by.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}
