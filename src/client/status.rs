//! What the client tells the UI: connection and sync state, events, and sync reports.

use super::write::WriteId;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Whether the client is talking to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Connection {
    /// Starting up; nothing tried yet.
    #[default]
    Connecting,
    /// Connected and listening for changes.
    Online,
    /// Pulling changes (see [`SyncStatus::progress`]).
    Syncing,
    /// The connection just dropped (the server restarted, or another instance is taking
    /// over the embedded one); retrying at once, not yet counted as offline.
    Reconnecting,
    /// The server cannot be reached; working from the cache, retrying with backoff.
    Offline,
    /// The server refused the session (expired or signed out): sign in again.
    SignedOut,
    /// Working from the cache only, by request (`--offline`); never contacts the server.
    CacheOnly,
}

impl Connection {
    /// A short word for status bars.
    pub fn label(self) -> &'static str {
        match self {
            Connection::Connecting => "connecting",
            Connection::Online => "online",
            Connection::Syncing => "syncing",
            Connection::Reconnecting => "reconnecting",
            Connection::Offline => "offline",
            Connection::SignedOut => "signed out",
            Connection::CacheOnly => "cache only",
        }
    }
}

/// How far a pull has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncProgress {
    /// Pages applied in this pull.
    pub pages: u32,
    /// Changes applied in this pull.
    pub changes: u64,
    /// Whether this pull is a full snapshot (first sync, or the visible scope changed).
    pub snapshot: bool,
}

/// Connection and sync state, for the status bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    /// Online, offline, syncing...
    pub connection: Connection,
    /// Set while a pull is running.
    pub progress: Option<SyncProgress>,
    /// When the cache was last brought up to date.
    pub last_sync: Option<DateTime<Utc>>,
    /// Writes waiting to be sent.
    pub pending_writes: usize,
    /// Writes waiting for the user to resolve a conflict.
    pub conflicts: usize,
    /// The last failure, cleared by the next success.
    pub last_error: Option<String>,
}

/// Something the UI may want to react to. Receivers that lag lose the oldest events; the
/// view always holds the current state, so re-reading it is enough.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// The view changed; its revision is now this.
    ViewChanged {
        /// [`crate::client::View::revision`] after the change.
        revision: u64,
    },
    /// The connection or sync state changed.
    Status(SyncStatus),
    /// The server confirmed a write.
    Applied {
        /// The write.
        write: WriteId,
    },
    /// A write ran into someone else's newer change; resolve it with
    /// [`crate::client::Client::resolve_conflict`].
    Conflict {
        /// The write.
        write: WriteId,
        /// What it was, e.g. `change to ticket #42`.
        description: String,
    },
    /// The server answered a bulk change: how many tickets it changed and which it refused.
    BulkDone {
        /// The write.
        write: WriteId,
        /// What it was, e.g. `bulk change of 12 tickets`.
        description: String,
        /// Tickets changed.
        succeeded: usize,
        /// Tickets refused, with the server's reason: `(id, reason)`.
        failed: Vec<(i64, String)>,
    },
    /// The server refused a write; it will not be retried.
    Rejected {
        /// The write.
        write: WriteId,
        /// What it was.
        description: String,
        /// Why it was refused.
        message: String,
    },
}

/// What one pull (and outbox replay) did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// The cache was dropped and rebuilt from a snapshot.
    pub reset: bool,
    /// Pages fetched.
    pub pages: u32,
    /// Upserts by entity name (`ticket`, `portal`, ...).
    pub upserts: BTreeMap<String, u64>,
    /// Deletes by entity name.
    pub deletes: BTreeMap<String, u64>,
    /// Tickets added or changed (ids), unless this was a snapshot.
    pub tickets_changed: Vec<i64>,
    /// Tickets removed (ids).
    pub tickets_removed: Vec<i64>,
    /// Writes the server confirmed during this sync.
    pub writes_applied: usize,
    /// Writes that ran into a conflict.
    pub writes_conflicted: usize,
    /// Writes the server refused.
    pub writes_rejected: usize,
}

impl SyncReport {
    /// Whether anything changed at all.
    pub fn is_empty(&self) -> bool {
        !self.reset
            && self.upserts.is_empty()
            && self.deletes.is_empty()
            && self.writes_applied == 0
            && self.writes_conflicted == 0
            && self.writes_rejected == 0
    }

    /// Adds another report's counts to this one.
    pub(crate) fn merge(&mut self, other: SyncReport) {
        self.reset |= other.reset;
        self.pages += other.pages;
        for (k, v) in other.upserts {
            *self.upserts.entry(k).or_default() += v;
        }
        for (k, v) in other.deletes {
            *self.deletes.entry(k).or_default() += v;
        }
        self.tickets_changed.extend(other.tickets_changed);
        self.tickets_removed.extend(other.tickets_removed);
        self.writes_applied += other.writes_applied;
        self.writes_conflicted += other.writes_conflicted;
        self.writes_rejected += other.writes_rejected;
    }
}
