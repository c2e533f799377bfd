//! What an account keeps for itself: its language choice and its SSH public keys.

use super::people::account;
use crate::domain::ValidationError;
use crate::server::store::shared::{now_text, ssh_key_cap_message, ssh_key_taken_message};
use crate::server::store::{Account, NewSshKey, SshKeyOut, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The table holding `account`'s own columns.
fn table_of(account: &Account) -> &'static str {
    match account {
        Account::User(_) => "users",
        Account::Contact(_) => "contacts",
    }
}

/// The account's chosen language tag.
pub fn language(conn: &Connection, account: &Account) -> StoreResult<Option<String>> {
    let (_, id) = account.key();
    let sql = format!("SELECT language FROM {} WHERE id = ?1", table_of(account));
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?)
}

/// Keeps `language` as the account's choice.
pub fn set_language(
    conn: &Connection,
    account: &Account,
    language: Option<&str>,
) -> StoreResult<()> {
    let (_, id) = account.key();
    let sql = format!(
        "UPDATE {} SET language = ?2 WHERE id = ?1",
        table_of(account)
    );
    if conn.execute(&sql, params![id, language])? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

const KEY_SELECT: &str = "SELECT id, public_key, fingerprint, comment, created_at FROM ssh_keys WHERE account_kind = ?1 AND account_id = ?2";

fn key_row(r: &Row<'_>) -> rusqlite::Result<SshKeyOut> {
    let public_key: String = r.get(1)?;
    Ok(SshKeyOut {
        id: r.get(0)?,
        algorithm: public_key.split(' ').next().unwrap_or_default().to_string(),
        fingerprint: r.get(2)?,
        comment: r.get(3)?,
        added_at: r.get(4)?,
    })
}

/// The account's keys, oldest first.
pub fn keys(conn: &Connection, account: &Account) -> StoreResult<Vec<SshKeyOut>> {
    let (kind, id) = account.key();
    let mut stmt = conn.prepare_cached(&format!("{KEY_SELECT} ORDER BY id"))?;
    let rows = stmt.query_map(params![kind, id], key_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Registers `key` unless its fingerprint is taken or the account holds `cap` keys.
pub fn add_key(
    conn: &Connection,
    account: &Account,
    key: &NewSshKey,
    cap: usize,
) -> StoreResult<SshKeyOut> {
    let taken: Option<i64> = conn
        .prepare_cached("SELECT id FROM ssh_keys WHERE fingerprint = ?1")?
        .query_row([&key.fingerprint], |r| r.get(0))
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Duplicate(ssh_key_taken_message()));
    }
    if keys(conn, account)?.len() >= cap {
        return Err(ValidationError::new("public_key", ssh_key_cap_message(cap)).into());
    }
    let (kind, id) = account.key();
    conn.execute(
        "INSERT INTO ssh_keys (account_kind, account_id, public_key, fingerprint, comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind, id, key.public_key, key.fingerprint, key.comment, now_text()],
    )?;
    let added = conn.last_insert_rowid();
    Ok(conn
        .prepare_cached(&format!("{KEY_SELECT} AND id = ?3"))?
        .query_row(params![kind, id, added], key_row)?)
}

/// Removes the account's key `key_id`.
pub fn delete_key(conn: &Connection, account: &Account, key_id: i64) -> StoreResult<()> {
    let (kind, id) = account.key();
    let n = conn.execute(
        "DELETE FROM ssh_keys WHERE id = ?1 AND account_kind = ?2 AND account_id = ?3",
        params![key_id, kind, id],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The account a key signs in, if it still exists.
pub fn account_by_key(conn: &Connection, fingerprint: &str) -> StoreResult<Option<Account>> {
    let owner: Option<(String, i64)> = conn
        .prepare_cached("SELECT account_kind, account_id FROM ssh_keys WHERE fingerprint = ?1")?
        .query_row([fingerprint], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match owner {
        Some((kind, id)) => account(conn, &kind, id),
        None => Ok(None),
    }
}
