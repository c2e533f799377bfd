//! Sessions, failed sign-ins, one-time codes, stored idempotent answers and the code key.

use super::people::account;
use super::sql::{Db, execute, get, row, row_opt, rows};
use crate::server::store::shared::unix_now;
use crate::server::store::{
    Account, CodePurpose, SESSION_LIFETIME_SECS, StoreResult, StoredResponse,
};

/// Most wrong guesses a code survives.
const MAX_CODE_ATTEMPTS: i64 = 5;

/// The advisory lock a sweep holds, so one server sweeps at a time.
const SWEEP_LOCK: i64 = 0x6465_736b_0003;

/// Stores a session.
pub async fn create_session(c: &Db, token_hash: &str, account: &Account) -> StoreResult<()> {
    let (kind, id) = account.key();
    let now = unix_now();
    execute(
        c,
        "INSERT INTO sessions (token_hash, account_kind, account_id, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)",
        &[&token_hash, &kind, &id, &now],
    )
    .await?;
    Ok(())
}

/// Resolves a session to its account and last-seen time; a session older than
/// [`SESSION_LIFETIME_SECS`] is no longer found, however recently it was used.
pub async fn session(c: &Db, token_hash: &str) -> StoreResult<Option<(Account, i64)>> {
    let oldest = unix_now() - SESSION_LIFETIME_SECS;
    let Some(found) = row_opt(
        c,
        "SELECT account_kind, account_id, last_seen FROM sessions WHERE token_hash = $1 AND created_at > $2",
        &[&token_hash, &oldest],
    )
    .await?
    else {
        return Ok(None);
    };
    let kind: &str = get(&found, 0)?;
    let last_seen: i64 = get(&found, 2)?;
    Ok(account(c, kind, get(&found, 1)?)
        .await?
        .map(|a| (a, last_seen)))
}

/// Marks a session used now.
pub async fn touch_session(c: &Db, token_hash: &str) -> StoreResult<()> {
    execute(
        c,
        "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
        &[&token_hash, &unix_now()],
    )
    .await?;
    Ok(())
}

/// Ends a session.
pub async fn delete_session(c: &Db, token_hash: &str) -> StoreResult<()> {
    execute(
        c,
        "DELETE FROM sessions WHERE token_hash = $1",
        &[&token_hash],
    )
    .await?;
    Ok(())
}

/// Ends every session of `account` but `keep` (when given); returns the ended token hashes.
pub async fn delete_sessions_of(
    c: &Db,
    account: &Account,
    keep: Option<&str>,
) -> StoreResult<Vec<String>> {
    let (kind, id) = account.key();
    let keep = keep.unwrap_or("");
    rows(
        c,
        "DELETE FROM sessions WHERE account_kind = $1 AND account_id = $2 AND token_hash <> $3 RETURNING token_hash",
        &[&kind, &id, &keep],
    )
    .await?
    .iter()
    .map(|r| get(r, 0))
    .collect()
}

/// Until when sign-in to `email` is refused, if it is locked now.
pub async fn sign_in_locked_until(c: &Db, email: &str) -> StoreResult<Option<i64>> {
    match row_opt(
        c,
        "SELECT locked_until FROM sign_in_failures WHERE email = $1 AND locked_until > $2",
        &[&email, &unix_now()],
    )
    .await?
    {
        Some(r) => get(&r, 0),
        None => Ok(None),
    }
}

/// Counts a failed sign-in to `email`; at `max` failures the address is locked for
/// `lock_seconds`. A lock that has run out starts the count over.
pub async fn record_failed_sign_in(
    c: &Db,
    email: &str,
    max: i64,
    lock_seconds: i64,
) -> StoreResult<()> {
    let now = unix_now();
    execute(
        c,
        "DELETE FROM sign_in_failures WHERE email = $1 AND locked_until <= $2",
        &[&email, &now],
    )
    .await?;
    let until = now + lock_seconds;
    execute(
        c,
        "INSERT INTO sign_in_failures (email, failures, locked_until, last_failed_at) VALUES ($1, 1, NULL, $2) \
         ON CONFLICT (email) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failed_at = $2, \
         locked_until = CASE WHEN sign_in_failures.failures + 1 >= $3 THEN $4 ELSE sign_in_failures.locked_until END",
        &[&email, &now, &max, &until],
    )
    .await?;
    Ok(())
}

/// Forgets the failed sign-ins to `email`; whether there were any.
pub async fn clear_failed_sign_ins(c: &Db, email: &str) -> StoreResult<bool> {
    Ok(execute(
        c,
        "DELETE FROM sign_in_failures WHERE email = $1",
        &[&email],
    )
    .await?
        > 0)
}

/// Stores a code, replacing an earlier one for the same email and purpose.
pub async fn put_code(
    c: &Db,
    email: &str,
    purpose: CodePurpose,
    code_hash: &str,
    expires_at: i64,
) -> StoreResult<()> {
    execute(
        c,
        "INSERT INTO codes (email, purpose, code_hash, expires_at, attempts) VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (email, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0",
        &[&email, &purpose.as_str(), &code_hash, &expires_at],
    )
    .await?;
    Ok(())
}

/// Consumes a matching fresh code; a wrong guess counts, and the fifth burns the code.
pub async fn take_code(
    c: &Db,
    email: &str,
    purpose: CodePurpose,
    code_hash: &str,
) -> StoreResult<bool> {
    let purpose = purpose.as_str();
    let Some(stored) = row_opt(
        c,
        "SELECT code_hash, expires_at, attempts FROM codes WHERE email = $1 AND purpose = $2 FOR UPDATE",
        &[&email, &purpose],
    )
    .await?
    else {
        return Ok(false);
    };
    let hash: &str = get(&stored, 0)?;
    let expires_at: i64 = get(&stored, 1)?;
    let attempts: i64 = get(&stored, 2)?;
    let fresh = expires_at > unix_now() && attempts < MAX_CODE_ATTEMPTS;
    let matched = fresh && hash == code_hash;
    let sql = if fresh && !matched {
        "UPDATE codes SET attempts = attempts + 1 WHERE email = $1 AND purpose = $2"
    } else {
        "DELETE FROM codes WHERE email = $1 AND purpose = $2"
    };
    execute(c, sql, &[&email, &purpose]).await?;
    Ok(matched)
}

/// A stored answer, if the key was used before.
pub async fn idempotent(c: &Db, scope: &str, key: &str) -> StoreResult<Option<StoredResponse>> {
    let Some(r) = row_opt(
        c,
        "SELECT request_hash, status, etag, body FROM idempotency WHERE scope = $1 AND key = $2",
        &[&scope, &key],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(StoredResponse {
        request_hash: get(&r, 0)?,
        status: u16::try_from(get::<i64>(&r, 1)?).unwrap_or(500),
        etag: get(&r, 2)?,
        body: get(&r, 3)?,
    }))
}

/// How many stored answers one caller keeps, and how many bytes of them (the newest one
/// always stays): the same bounds as the SQLite store.
const ANSWERS_PER_SCOPE: i64 = 10_000;
const ANSWER_BYTES_PER_SCOPE: i64 = 64 * 1024 * 1024;

/// Stores an answer (the first one wins), then drops the caller's oldest answers beyond the
/// bounds.
pub async fn put_idempotent(
    c: &Db,
    scope: &str,
    key: &str,
    resp: &StoredResponse,
) -> StoreResult<()> {
    let status = i64::from(resp.status);
    execute(
        c,
        "INSERT INTO idempotency (scope, key, request_hash, status, etag, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (scope, key) DO NOTHING",
        &[&scope, &key, &resp.request_hash, &status, &resp.etag, &resp.body, &unix_now()],
    )
    .await?;
    execute(
        c,
        "DELETE FROM idempotency WHERE scope = $1 AND key IN (\
           SELECT key FROM (\
             SELECT key, ROW_NUMBER() OVER newest AS n, SUM(length(body)) OVER newest AS bytes \
             FROM idempotency WHERE scope = $1 \
             WINDOW newest AS (ORDER BY created_at DESC, id DESC ROWS UNBOUNDED PRECEDING)) AS ranked \
           WHERE n > 1 AND (n > $2 OR bytes > $3))",
        &[&scope, &ANSWERS_PER_SCOPE, &ANSWER_BYTES_PER_SCOPE],
    )
    .await?;
    Ok(())
}

/// How long failed sign-ins to an address are remembered after the last one.
const FORGET_FAILURES_SECS: i64 = 24 * 60 * 60;

/// Deletes idle and expired sessions, old stored answers, expired codes and stale failure
/// counts; only one server at a time (another one sweeping now makes this a no-op).
pub async fn sweep(c: &Db, idle_secs: i64, answer_secs: i64) -> StoreResult<(usize, usize)> {
    let ours: bool = get(
        &row(c, "SELECT pg_try_advisory_xact_lock($1)", &[&SWEEP_LOCK]).await?,
        0,
    )?;
    if !ours {
        return Ok((0, 0));
    }
    let now = unix_now();
    let sessions = execute(
        c,
        "DELETE FROM sessions WHERE last_seen < $1 OR created_at <= $2",
        &[&(now - idle_secs), &(now - SESSION_LIFETIME_SECS)],
    )
    .await?;
    let answers = execute(
        c,
        "DELETE FROM idempotency WHERE created_at < $1",
        &[&(now - answer_secs)],
    )
    .await?;
    execute(c, "DELETE FROM codes WHERE expires_at <= $1", &[&now]).await?;
    execute(
        c,
        "DELETE FROM sign_in_failures WHERE (locked_until IS NULL OR locked_until <= $1) AND last_failed_at < $2",
        &[&now, &(now - FORGET_FAILURES_SECS)],
    )
    .await?;
    Ok((sessions as usize, answers as usize))
}

/// The code key every server shares: created once by whichever server comes first (a
/// second one racing it keeps the first one's key).
pub async fn code_key(c: &Db, fresh: &[u8]) -> StoreResult<Vec<u8>> {
    execute(
        c,
        "INSERT INTO server_secrets (name, value) VALUES ('code_key', $1) ON CONFLICT (name) DO NOTHING",
        &[&fresh],
    )
    .await?;
    get(
        &row(
            c,
            "SELECT value FROM server_secrets WHERE name = 'code_key'",
            &[],
        )
        .await?,
        0,
    )
}
