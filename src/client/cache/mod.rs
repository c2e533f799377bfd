//! The local cache: one SQLite file per (server, user), mode 0600, WAL with
//! `synchronous=NORMAL` (the server can always rebuild it), schema versioned by
//! `PRAGMA user_version`. It holds the sync cursor, every entity the user may see (as the JSON
//! the server sent), cached ticket threads, the outbox and the glance (the first screen of the
//! next start). A file that cannot be read, or was written by another schema version, is
//! rebuilt, keeping the unsent writes it can still read; schema-2 and schema-3 files are
//! upgraded in place instead (outbox rows re-tagged, glance triggers added), losing nothing.

mod glance;
mod load;
mod outbox;
#[cfg(test)]
mod tests;

use super::decode::{Page, Stored};
use super::error::ClientError;
use super::files::{create_empty, create_private_dir, restrict};
use super::session::Session;
use super::view::compact::Compact;
use super::view::{EntityKind, View};
use crate::domain::wire::TicketDetail;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// Memory-mapped reads: loading 100 000 tickets is one scan, faster through a map than
/// through a read call per page.
pub(super) const MMAP_BYTES: i64 = 1 << 30;

/// Bump when the layout changes: older files are rebuilt (or upgraded in place, see
/// [`outbox::retag_v2`] and [`glance::upgrade_v3`]). Version 3 tags outbox writes with `op`
/// instead of `kind`; version 4 adds the triggers that drop a stale glance.
const SCHEMA_VERSION: i64 = 4;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tickets (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE entities (kind TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE threads (ticket_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idem_key TEXT NOT NULL UNIQUE,
    write TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    status INTEGER,
    message TEXT,
    server_version INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
";

/// An open cache file.
pub(crate) struct Cache {
    conn: Connection,
    staff: bool,
    path: PathBuf,
}

impl Cache {
    /// Opens the cache at `path` for `session` and loads the view from it, rebuilding the file
    /// when it is damaged or from another schema version. With `first_screen`, the glance the
    /// last run left (see [`crate::client::glance`]) is loaded instead of every ticket when
    /// there is one: the view then holds only its tickets until [`Cache::load_tickets`]
    /// brings the rest.
    pub(crate) fn open(
        path: &Path,
        session: &Session,
        first_screen: bool,
    ) -> Result<(Cache, View), ClientError> {
        let staff = session.account.role.is_staff();
        let opened = Cache::connect(path, staff).and_then(|c| {
            let view = c.load_start(session, first_screen)?;
            Ok((c, view))
        });
        match opened {
            Ok(done) => Ok(done),
            Err(e) => {
                tracing::warn!("rebuilding the cache {}: {e}", path.display());
                Cache::rebuild(path, session)
            }
        }
    }

    /// Replaces a damaged cache file with an empty one, keeping the unsent writes it could
    /// still read, and loads the view from it.
    pub(crate) fn rebuild(path: &Path, session: &Session) -> Result<(Cache, View), ClientError> {
        let salvaged = outbox::salvage(path);
        remove_files(path)?;
        let mut cache = Cache::connect(path, session.account.role.is_staff())?;
        cache.restore_outbox(&salvaged)?;
        let view = cache.load_view(session)?;
        Ok((cache, view))
    }

    fn connect(path: &Path, staff: bool) -> Result<Cache, ClientError> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        if !path.exists() {
            create_empty(path)?;
        }
        let mut conn = Connection::open(path)?;
        restrict(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::debug!("the cache runs in {mode} mode");
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        match version {
            0 => {
                conn.execute_batch(SCHEMA)?;
                conn.execute_batch(glance::TRIGGERS)?;
                conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            SCHEMA_VERSION => {}
            2 => {
                outbox::retag_v2(&mut conn, 3)?;
                glance::upgrade_v3(&mut conn, SCHEMA_VERSION)?;
            }
            3 => glance::upgrade_v3(&mut conn, SCHEMA_VERSION)?,
            other => {
                return Err(ClientError::Cache(format!(
                    "schema version {other}, this deskport uses {SCHEMA_VERSION}"
                )));
            }
        }
        Ok(Cache {
            conn,
            staff,
            path: path.to_path_buf(),
        })
    }

    /// The sync cursor, if a sync ever completed a page.
    pub(crate) fn cursor(&self) -> Result<Option<String>, ClientError> {
        self.meta("cursor")
    }

    fn meta(&self, key: &str) -> Result<Option<String>, ClientError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Applies a sync page in one transaction: on `reset`, everything synced is dropped first
    /// (the outbox stays); then upserts and deletes in order; then the cursor.
    pub(crate) fn apply_page(&mut self, page: &Page) -> Result<(), ClientError> {
        let tx = self.conn.transaction()?;
        if page.reset {
            tx.execute_batch("DELETE FROM tickets; DELETE FROM entities; DELETE FROM threads;")?;
        }
        {
            let mut put_ticket = tx.prepare_cached(
                "INSERT OR REPLACE INTO tickets (id, version, data) VALUES (?1, ?2, ?3)",
            )?;
            let mut del_ticket = tx.prepare_cached("DELETE FROM tickets WHERE id = ?1")?;
            let mut del_thread = tx.prepare_cached("DELETE FROM threads WHERE ticket_id = ?1")?;
            let mut put_entity = tx.prepare_cached(
                "INSERT OR REPLACE INTO entities (kind, id, data) VALUES (?1, ?2, ?3)",
            )?;
            let mut del_entity =
                tx.prepare_cached("DELETE FROM entities WHERE kind = ?1 AND id = ?2")?;
            for c in &page.changes {
                match (c.kind, &c.stored) {
                    (_, Some(Stored::Ticket { version, blob })) => {
                        put_ticket.execute(params![c.id, version, blob])?
                    }
                    (EntityKind::Ticket, _) => {
                        del_ticket.execute([c.id])? + del_thread.execute([c.id])?
                    }
                    (kind, Some(Stored::Json(json))) => {
                        put_entity.execute(params![kind.as_str(), c.id, json])?
                    }
                    (kind, None) => del_entity.execute(params![kind.as_str(), c.id])?,
                };
            }
        }
        let now = chrono::Utc::now().to_rfc3339();
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', ?1), ('last_sync', ?2)",
            params![page.cursor, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Stores a ticket's thread (and the ticket itself, unless the cache has a newer one).
    pub(crate) fn save_thread(&mut self, detail: &TicketDetail) -> Result<(), ClientError> {
        let tx = self.conn.transaction()?;
        let ticket = Compact::from_ticket(&detail.ticket);
        tx.execute(
            "INSERT OR REPLACE INTO threads (ticket_id, data) VALUES (?1, ?2)",
            params![ticket.id(), serde_json::to_string(detail)?],
        )?;
        put_ticket(&tx, &ticket)?;
        tx.commit()?;
        Ok(())
    }

    /// A cached thread.
    pub(crate) fn thread(&self, id: i64) -> Result<Option<TicketDetail>, ClientError> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT data FROM threads WHERE ticket_id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
    }

    /// Replaces one cached ticket with the server's answer to a write, unless the cache
    /// already has a newer version.
    pub(crate) fn put_ticket(&mut self, ticket: &Compact) -> Result<(), ClientError> {
        put_ticket(&self.conn, ticket)
    }
}

fn put_ticket(conn: &Connection, ticket: &Compact) -> Result<(), ClientError> {
    conn.execute(
        "UPDATE tickets SET version = ?2, data = ?3 WHERE id = ?1 AND version <= ?2",
        params![ticket.id(), ticket.version(), ticket.to_bytes()],
    )?;
    Ok(())
}

/// Removes a cache file with its WAL and shared-memory files.
fn remove_files(path: &Path) -> Result<(), ClientError> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(ClientError::Cache(format!(
                    "cannot remove the damaged cache {}: {e}",
                    p.display()
                )));
            }
            _ => {}
        }
    }
    Ok(())
}
