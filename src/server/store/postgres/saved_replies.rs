//! Saved replies in `saved_replies` on PostgreSQL (as `sqlite/saved_replies.rs`).

use super::changes::append_change;
use super::sql::{Db, execute, get, row, row_opt, rows};
use crate::domain::SavedReply;
use crate::server::store::{StoreError, StoreResult};
use tokio_postgres::Row;

fn from_row(r: &Row) -> StoreResult<SavedReply> {
    Ok(SavedReply {
        id: get(r, 0)?,
        title: get(r, 1)?,
        body: get(r, 2)?,
        owner_id: get(r, 3)?,
    })
}

/// The shared replies and `user_id`'s own, by title.
pub async fn saved_replies(c: &Db, user_id: i64) -> StoreResult<Vec<SavedReply>> {
    rows(
        c,
        "SELECT id, title, body, owner_id FROM saved_replies \
         WHERE owner_id IS NULL OR owner_id = $1 ORDER BY title, id",
        &[&user_id],
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// One reply, whoever owns it.
pub async fn saved_reply(c: &Db, id: i64) -> StoreResult<SavedReply> {
    let found = row_opt(
        c,
        "SELECT id, title, body, owner_id FROM saved_replies WHERE id = $1",
        &[&id],
    )
    .await?;
    from_row(&found.ok_or(StoreError::NotFound)?)
}

/// Stores a new reply; returns it with its id.
pub async fn create_saved_reply(c: &Db, mut reply: SavedReply) -> StoreResult<SavedReply> {
    reply.validate()?;
    reply.title = reply.title.trim().to_string();
    let added = row(
        c,
        "INSERT INTO saved_replies (title, body, owner_id) VALUES ($1, $2, $3) RETURNING id",
        &[&reply.title, &reply.body, &reply.owner_id],
    )
    .await?;
    reply.id = get(&added, 0)?;
    append_change(c, "saved_reply", reply.id, "upsert", None).await?;
    Ok(reply)
}

/// Replaces a reply.
pub async fn update_saved_reply(c: &Db, mut reply: SavedReply) -> StoreResult<SavedReply> {
    reply.validate()?;
    reply.title = reply.title.trim().to_string();
    let n = execute(
        c,
        "UPDATE saved_replies SET title = $2, body = $3, owner_id = $4 WHERE id = $1",
        &[&reply.id, &reply.title, &reply.body, &reply.owner_id],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "saved_reply", reply.id, "upsert", None).await?;
    Ok(reply)
}

/// Deletes a reply.
pub async fn delete_saved_reply(c: &Db, id: i64) -> StoreResult<()> {
    if execute(c, "DELETE FROM saved_replies WHERE id = $1", &[&id]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "saved_reply", id, "delete", None).await?;
    Ok(())
}
