//! The client's sync state as the status bar shows it: local times, pending counts.

use crate::client::{Connection, View};
use crate::tui::components::status_bar::{self, SyncStatus};
use chrono::{DateTime, Local, Utc};

/// The last sync time as local wall-clock time, with the date when it was not today.
pub fn local_time(at: DateTime<Utc>, now: DateTime<Local>) -> String {
    let local = at.with_timezone(&Local);
    if local.date_naive() == now.date_naive() {
        local.format("%H:%M:%S").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The status bar's sync state from `view`.
pub fn status(view: &View) -> SyncStatus {
    let s = &view.status;
    let connection = match (s.connection, s.progress) {
        (Connection::Connecting, _) => status_bar::Connection::Connecting,
        (Connection::Online, _) => status_bar::Connection::Online,
        (Connection::Syncing, Some(p)) => status_bar::Connection::Syncing {
            changes: p.changes,
            snapshot: p.snapshot,
        },
        (Connection::Syncing, None) => status_bar::Connection::Syncing {
            changes: 0,
            snapshot: false,
        },
        (Connection::Reconnecting, _) => status_bar::Connection::Reconnecting,
        (Connection::Offline, _) => status_bar::Connection::Offline,
        (Connection::SignedOut, _) => status_bar::Connection::SignedOut,
        (Connection::CacheOnly, _) => status_bar::Connection::CacheOnly,
    };
    SyncStatus {
        connection,
        last_sync: s.last_sync.map(|at| local_time(at, Local::now())),
        pending: view.pending_writes(),
        conflicts: s.conflicts,
    }
}
