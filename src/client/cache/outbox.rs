//! The outbox table: writes in submission order, each with its idempotency key and state.

use super::Cache;
use crate::client::error::ClientError;
use crate::client::write::{ConflictInfo, OutboxEntry, OutboxState, Write, WriteId};
use rusqlite::{Connection, OpenFlags, params};
use std::path::Path;

/// A write read back from a damaged cache, to be carried over.
pub(super) struct Salvaged {
    key: String,
    write: String,
    created_at: String,
}

const COLUMNS: &str =
    "id, idem_key, write, state, status, message, server_version, attempts, created_at";

/// One outbox row as stored.
struct Row {
    id: i64,
    key: String,
    write: String,
    state: String,
    status: Option<u16>,
    message: Option<String>,
    server_version: Option<i64>,
    attempts: u32,
    created_at: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        key: r.get(1)?,
        write: r.get(2)?,
        state: r.get(3)?,
        status: r.get(4)?,
        message: r.get(5)?,
        server_version: r.get(6)?,
        attempts: r.get(7)?,
        created_at: r.get(8)?,
    })
}

impl Cache {
    /// Records a new write with a fresh idempotency key.
    pub(crate) fn push_write(&mut self, write: &Write) -> Result<WriteId, ClientError> {
        let key = format!("{:032x}", rand::random::<u128>());
        let now = chrono::Utc::now().to_rfc3339();
        self.conn.execute(
            "INSERT INTO outbox (idem_key, write, created_at) VALUES (?1, ?2, ?3)",
            params![key, serde_json::to_string(write)?, now],
        )?;
        Ok(WriteId(self.conn.last_insert_rowid()))
    }

    /// Every write in the outbox, in order.
    pub(crate) fn outbox(&self) -> Result<Vec<OutboxEntry>, ClientError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id"))?;
        let rows = stmt.query_map([], row)?;
        let mut out = Vec::new();
        for r in rows {
            let r = r?;
            let write: Write = serde_json::from_str(&r.write)?;
            let message = r.message.unwrap_or_default();
            let state = match r.state.as_str() {
                "conflict" => OutboxState::Conflict(ConflictInfo {
                    message,
                    server_version: r.server_version,
                }),
                "rejected" => OutboxState::Rejected {
                    status: r.status.unwrap_or(400),
                    message,
                },
                _ => OutboxState::Pending,
            };
            out.push(OutboxEntry {
                id: WriteId(r.id),
                write,
                state,
                idempotency_key: r.key,
                created_at: r.created_at,
                attempts: r.attempts,
            });
        }
        Ok(out)
    }

    /// Removes a write (sent, or dropped by the user).
    pub(crate) fn remove_write(&mut self, id: WriteId) -> Result<(), ClientError> {
        self.conn
            .execute("DELETE FROM outbox WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// Counts a failed attempt.
    pub(crate) fn count_attempt(&mut self, id: WriteId, error: &str) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, message = ?2 WHERE id = ?1",
            params![id.0, error],
        )?;
        Ok(())
    }

    /// Marks a write as conflicting.
    pub(crate) fn mark_conflict(
        &mut self,
        id: WriteId,
        info: &ConflictInfo,
    ) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE outbox SET state = 'conflict', message = ?2, server_version = ?3 WHERE id = ?1",
            params![id.0, info.message, info.server_version],
        )?;
        Ok(())
    }

    /// Marks a write as refused by the server.
    pub(crate) fn mark_rejected(
        &mut self,
        id: WriteId,
        status: u16,
        message: &str,
    ) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE outbox SET state = 'rejected', status = ?2, message = ?3 WHERE id = ?1",
            params![id.0, status, message],
        )?;
        Ok(())
    }

    /// Puts a write back in the queue with a new body (e.g. a conflict resolved by "apply
    /// mine" over the server's version), under a new idempotency key.
    pub(crate) fn requeue(&mut self, id: WriteId, write: &Write) -> Result<(), ClientError> {
        let key = format!("{:032x}", rand::random::<u128>());
        self.conn.execute(
            "UPDATE outbox SET state = 'pending', write = ?2, idem_key = ?3, status = NULL, message = NULL, server_version = NULL, attempts = 0 WHERE id = ?1",
            params![id.0, serde_json::to_string(write)?, key],
        )?;
        Ok(())
    }

    /// Rewrites a pending write's body (same idempotency key: it was never sent in this form).
    pub(crate) fn rewrite(&mut self, id: WriteId, write: &Write) -> Result<(), ClientError> {
        self.conn.execute(
            "UPDATE outbox SET write = ?2 WHERE id = ?1 AND state = 'pending'",
            params![id.0, serde_json::to_string(write)?],
        )?;
        Ok(())
    }

    /// Carries writes over from a damaged file.
    pub(super) fn restore_outbox(&mut self, salvaged: &[Salvaged]) -> Result<(), ClientError> {
        let tx = self.conn.transaction()?;
        for s in salvaged {
            tx.execute(
                "INSERT INTO outbox (idem_key, write, created_at) VALUES (?1, ?2, ?3)",
                params![s.key, s.write, s.created_at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Upgrades a schema-2 file in place: its outbox rows tagged each write with `kind`, which
/// collided with an inbox's `kind` field, so schema 3 tags them with `op`. Every row is
/// rewritten in one transaction with the new version, so no unsent write is lost.
pub(super) fn retag_v2(conn: &mut Connection, version: i64) -> Result<(), ClientError> {
    let tx = conn.transaction()?;
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, write FROM outbox")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, text) in rows {
        let write = retag(&text).ok_or_else(|| {
            ClientError::Cache(format!("outbox write {id} is not a schema-2 write: {text}"))
        })?;
        tx.execute(
            "UPDATE outbox SET write = ?2 WHERE id = ?1",
            params![id, write],
        )?;
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

/// A write stored before schema 3 (`{"kind": "message", …}`) in today's form
/// (`{"op": "message", …}`); a write already in today's form as it is; `None` when the text is
/// no write at all.
fn retag(text: &str) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    let object = value.as_object_mut()?;
    if !object.contains_key("op") {
        let tag = object.remove("kind")?;
        object.insert("op".into(), tag);
    }
    let upgraded = serde_json::to_string(&value).ok()?;
    serde_json::from_str::<Write>(&upgraded).ok()?;
    Some(upgraded)
}

/// Reads what it can of the pending writes of a cache that will be rebuilt: writes this
/// version can decode (older ones upgraded), none at all if the file cannot be read. Each
/// write that has to be dropped is logged.
pub(super) fn salvage(path: &Path) -> Vec<Salvaged> {
    let read = || -> rusqlite::Result<Vec<Salvaged>> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut stmt = conn.prepare(
            "SELECT idem_key, write, created_at FROM outbox WHERE state = 'pending' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Salvaged {
                key: r.get(0)?,
                write: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?;
        rows.collect()
    };
    match read() {
        Ok(rows) => rows
            .into_iter()
            .filter_map(|s| match retag(&s.write) {
                Some(write) => Some(Salvaged { write, ..s }),
                None => {
                    tracing::warn!("an unsent write could not be read, dropped: {}", s.write);
                    None
                }
            })
            .collect(),
        Err(e) => {
            tracing::warn!(
                "no unsent writes could be read from {}: {e}",
                path.display()
            );
            Vec::new()
        }
    }
}
