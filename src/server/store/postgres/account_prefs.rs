//! What an account keeps for itself: its language choice and its SSH public keys.

use super::people::account;
use super::sql::{Db, execute, get, row, row_opt, rows};
use crate::domain::ValidationError;
use crate::server::store::shared::{now_text, ssh_key_cap_message, ssh_key_taken_message};
use crate::server::store::{Account, NewSshKey, SshKeyOut, StoreError, StoreResult};
use tokio_postgres::Row;

/// The account's chosen language tag.
pub async fn language(c: &Db, account: &Account) -> StoreResult<Option<String>> {
    let sql = match account {
        Account::User(_) => "SELECT language FROM users WHERE id = $1",
        Account::Contact(_) => "SELECT language FROM contacts WHERE id = $1",
    };
    let (_, id) = account.key();
    get(&row(c, sql, &[&id]).await?, 0)
}

/// Keeps `language` as the account's choice.
pub async fn set_language(c: &Db, account: &Account, language: Option<&str>) -> StoreResult<()> {
    let sql = match account {
        Account::User(_) => "UPDATE users SET language = $2 WHERE id = $1",
        Account::Contact(_) => "UPDATE contacts SET language = $2 WHERE id = $1",
    };
    let (_, id) = account.key();
    if execute(c, sql, &[&id, &language]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

const KEY_SELECT: &str = "SELECT id, public_key, fingerprint, comment, created_at FROM ssh_keys WHERE account_kind = $1 AND account_id = $2";

fn key_row(r: &Row) -> StoreResult<SshKeyOut> {
    let public_key: &str = get(r, 1)?;
    Ok(SshKeyOut {
        id: get(r, 0)?,
        algorithm: public_key.split(' ').next().unwrap_or_default().to_string(),
        fingerprint: get(r, 2)?,
        comment: get(r, 3)?,
        added_at: get(r, 4)?,
    })
}

/// The account's keys, oldest first.
pub async fn keys(c: &Db, account: &Account) -> StoreResult<Vec<SshKeyOut>> {
    let (kind, id) = account.key();
    rows(c, &format!("{KEY_SELECT} ORDER BY id"), &[&kind, &id])
        .await?
        .iter()
        .map(key_row)
        .collect()
}

/// Registers `key` unless its fingerprint is taken or the account holds `cap` keys (checked
/// under the write lock every write transaction holds, so two requests cannot both pass).
pub async fn add_key(
    c: &Db,
    account: &Account,
    key: &NewSshKey,
    cap: usize,
) -> StoreResult<SshKeyOut> {
    let taken = row_opt(
        c,
        "SELECT id FROM ssh_keys WHERE fingerprint = $1",
        &[&key.fingerprint],
    )
    .await?;
    if taken.is_some() {
        return Err(StoreError::Duplicate(ssh_key_taken_message()));
    }
    if keys(c, account).await?.len() >= cap {
        return Err(ValidationError::new("public_key", ssh_key_cap_message(cap)).into());
    }
    let (kind, id) = account.key();
    let added: i64 = get(
        &row(
            c,
            "INSERT INTO ssh_keys (account_kind, account_id, public_key, fingerprint, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[&kind, &id, &key.public_key, &key.fingerprint, &key.comment, &now_text()],
        )
        .await?,
        0,
    )?;
    key_row(
        &row(
            c,
            &format!("{KEY_SELECT} AND id = $3"),
            &[&kind, &id, &added],
        )
        .await?,
    )
}

/// Removes the account's key `key_id`.
pub async fn delete_key(c: &Db, account: &Account, key_id: i64) -> StoreResult<()> {
    let (kind, id) = account.key();
    let n = execute(
        c,
        "DELETE FROM ssh_keys WHERE id = $1 AND account_kind = $2 AND account_id = $3",
        &[&key_id, &kind, &id],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The account a key signs in, if it still exists.
pub async fn account_by_key(c: &Db, fingerprint: &str) -> StoreResult<Option<Account>> {
    let Some(owner) = row_opt(
        c,
        "SELECT account_kind, account_id FROM ssh_keys WHERE fingerprint = $1",
        &[&fingerprint],
    )
    .await?
    else {
        return Ok(None);
    };
    account(c, get(&owner, 0)?, get(&owner, 1)?).await
}
