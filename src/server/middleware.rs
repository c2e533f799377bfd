//! The layers every API request passes before its handler (see `server::app`): the caller's
//! language for error messages, rate limits on sign-in and mail-sending paths, then
//! `Idempotency-Key` replay for writes.

pub mod idempotency;
pub mod language;
pub mod ratelimit;

use super::error::ApiError;
use super::request::MAX_BODY_BYTES;
use axum::body::{Body, Bytes, to_bytes};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Reads a request body a middleware must look into before the handler does; over the limit,
/// the 413 answer to send instead.
async fn read_body(body: Body) -> Result<Bytes, Response> {
    to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the body is over 1 MiB",
        )
        .into_response()
    })
}
