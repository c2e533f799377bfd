//! What every handler shares.

use super::mail::Mailer;
use super::store::Store;
use crate::domain::wire::SshAccess;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

/// Shared server state.
pub struct AppState {
    /// Where every handler reads and writes: one trait over SQLite and PostgreSQL.
    pub store: Arc<dyn Store>,
    /// Outgoing mail.
    pub mailer: Arc<dyn Mailer>,
    /// The key one-time codes are hashed with (kept outside the database).
    pub code_key: super::security::CodeKey,
    /// Idempotency keys whose first request is still running.
    pub in_flight: Mutex<HashSet<String>>,
    /// Open `/events` streams, counted against their caps.
    pub streams: Arc<super::streams::EventStreams>,
    /// Wakes the mail sender when an admin queues a failed mail again (a retry changes no
    /// synced data, so no commit announcement wakes it).
    pub mail_retried: tokio::sync::Notify,
    /// The reverse proxy whose `X-Forwarded-For` names the client (see
    /// [`super::ServerConfig::trusted_proxy`]).
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Where the app is served over SSH: set once the SSH server beside the API is up.
    pub ssh: Arc<OnceLock<SshAccess>>,
}

/// The state as handlers receive it.
pub type SharedState = Arc<AppState>;
