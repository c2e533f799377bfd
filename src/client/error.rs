//! The client's errors: [`ApiError`] classifies what the server (or the network) answered, so
//! callers can tell "offline, retry later" from "sign in again" from "your change conflicts";
//! [`ClientError`] adds the local failures (cache, files, a stopped engine).

use std::time::Duration;

/// What went wrong talking to the portal API.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached (connection refused, DNS, timeout, dropped stream).
    #[error("the server cannot be reached: {0}")]
    Offline(String),
    /// 401: no session, or it expired; sign in again.
    #[error("not signed in: {0}")]
    Unauthorized(String),
    /// 403: the account's role may not do this (or consent must be accepted first).
    #[error("not allowed: {message}")]
    Forbidden {
        /// Machine-readable code, e.g. `forbidden` or `consent_required`.
        code: String,
        /// The server's message.
        message: String,
    },
    /// 404: unknown, or not visible to this account.
    #[error("not found")]
    NotFound,
    /// 412 (or 409): someone else changed it first.
    #[error("conflict: {message}")]
    Conflict {
        /// Machine-readable code, e.g. `version_conflict` or `duplicate`.
        code: String,
        /// The server's message.
        message: String,
    },
    /// 429: too many requests (or a locked account); wait before trying again.
    #[error("rate limited: {message}")]
    RateLimited {
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
        /// The server's message.
        message: String,
    },
    /// 5xx: the server failed; retrying later may work.
    #[error("server error {status}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// Any other 4xx: the request itself is wrong and retrying will not help.
    #[error("{message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// Machine-readable code, e.g. `invalid`.
        code: String,
        /// The server's message.
        message: String,
        /// The field at fault, for validation errors.
        field: Option<String>,
    },
    /// The answer was not what the API promises (or the URL is malformed).
    #[error("unexpected answer: {0}")]
    Protocol(String),
}

impl ApiError {
    /// Worth retrying later as is: offline, rate limited or a server failure.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Offline(_) | ApiError::RateLimited { .. } | ApiError::Server { .. }
        )
    }
}

/// What went wrong in a [`crate::client::Client`] operation.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The API call failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The local cache failed (disk full, permissions, ...).
    #[error("local cache: {0}")]
    Cache(String),
    /// The sync engine has stopped (the client was shut down).
    #[error("the sync engine has stopped")]
    Stopped,
    /// Nothing known about this item (not in the view, the outbox or the cache).
    #[error("{0} is unknown")]
    Unknown(String),
}

impl From<rusqlite::Error> for ClientError {
    fn from(e: rusqlite::Error) -> Self {
        ClientError::Cache(e.to_string())
    }
}

impl From<std::io::Error> for ClientError {
    fn from(e: std::io::Error) -> Self {
        ClientError::Cache(e.to_string())
    }
}

impl From<serde_json::Error> for ClientError {
    fn from(e: serde_json::Error) -> Self {
        ClientError::Cache(format!("bad JSON in the cache: {e}"))
    }
}
