//! Saved replies in `saved_replies` (shared when `owner_id` is NULL).

use super::changes::append_change;
use crate::domain::SavedReply;
use crate::server::store::{StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "id, title, body, owner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<SavedReply> {
    Ok(SavedReply {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        owner_id: r.get(3)?,
    })
}

/// The shared replies and `user_id`'s own, by title.
pub fn saved_replies(conn: &Connection, user_id: i64) -> StoreResult<Vec<SavedReply>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM saved_replies WHERE owner_id IS NULL OR owner_id = ?1 ORDER BY title, id"
    ))?;
    let rows = stmt.query_map([user_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One reply, whoever owns it.
pub fn saved_reply(conn: &Connection, id: i64) -> StoreResult<SavedReply> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM saved_replies WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// Stores a new reply; returns it with its id.
pub fn create_saved_reply(conn: &Connection, mut reply: SavedReply) -> StoreResult<SavedReply> {
    reply.validate()?;
    reply.title = reply.title.trim().to_string();
    conn.execute(
        "INSERT INTO saved_replies (title, body, owner_id) VALUES (?1, ?2, ?3)",
        params![reply.title, reply.body, reply.owner_id],
    )?;
    reply.id = conn.last_insert_rowid();
    append_change(conn, "saved_reply", reply.id, "upsert", None)?;
    Ok(reply)
}

/// Replaces a reply.
pub fn update_saved_reply(conn: &Connection, mut reply: SavedReply) -> StoreResult<SavedReply> {
    reply.validate()?;
    reply.title = reply.title.trim().to_string();
    let n = conn.execute(
        "UPDATE saved_replies SET title = ?2, body = ?3, owner_id = ?4 WHERE id = ?1",
        params![reply.id, reply.title, reply.body, reply.owner_id],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "saved_reply", reply.id, "upsert", None)?;
    Ok(reply)
}

/// Deletes a reply.
pub fn delete_saved_reply(conn: &Connection, id: i64) -> StoreResult<()> {
    if conn.execute("DELETE FROM saved_replies WHERE id = ?1", [id])? == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "saved_reply", id, "delete", None)?;
    Ok(())
}
