//! Sessions, failed sign-ins, one-time codes and stored idempotent answers.

use super::people::account;
use super::rows::unix_now;
use crate::server::store::{
    Account, CodePurpose, SESSION_LIFETIME_SECS, StoreResult, StoredResponse,
};
use rusqlite::{Connection, OptionalExtension, params};

/// Most wrong guesses a code survives.
const MAX_CODE_ATTEMPTS: i64 = 5;

/// Stores a session.
pub fn create_session(conn: &Connection, token_hash: &str, account: &Account) -> StoreResult<()> {
    let (kind, id) = account.key();
    let now = unix_now();
    conn.execute(
        "INSERT INTO sessions (token_hash, account_kind, account_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![token_hash, kind, id, now],
    )?;
    Ok(())
}

/// Resolves a session to its account and last-seen time; a session older than
/// [`SESSION_LIFETIME_SECS`] is no longer found, however recently it was used.
pub fn session(conn: &Connection, token_hash: &str) -> StoreResult<Option<(Account, i64)>> {
    let found: Option<(String, i64, i64)> = conn
        .prepare_cached(
            "SELECT account_kind, account_id, last_seen FROM sessions WHERE token_hash = ?1 AND created_at > ?2",
        )?
        .query_row(params![token_hash, unix_now() - SESSION_LIFETIME_SECS], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((kind, id, last_seen)) = found else {
        return Ok(None);
    };
    Ok(account(conn, &kind, id)?.map(|a| (a, last_seen)))
}

/// Marks a session used now.
pub fn touch_session(conn: &Connection, token_hash: &str) -> StoreResult<()> {
    conn.execute(
        "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
        params![token_hash, unix_now()],
    )?;
    Ok(())
}

/// Ends a session.
pub fn delete_session(conn: &Connection, token_hash: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Ends every session of `account` but `keep` (when given); returns the ended token hashes,
/// so open event streams of those sessions can close.
pub fn delete_sessions_of(
    conn: &Connection,
    account: &Account,
    keep: Option<&str>,
) -> StoreResult<Vec<String>> {
    let (kind, id) = account.key();
    let keep = keep.unwrap_or("");
    let ended = conn
        .prepare_cached(
            "DELETE FROM sessions WHERE account_kind = ?1 AND account_id = ?2 AND token_hash <> ?3 RETURNING token_hash",
        )?
        .query_map(params![kind, id, keep], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ended)
}

/// Until when sign-in to `email` is refused, if it is locked now.
pub fn sign_in_locked_until(conn: &Connection, email: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT locked_until FROM sign_in_failures WHERE email = ?1 AND locked_until > ?2",
        )?
        .query_row(params![email, unix_now()], |r| r.get(0))
        .optional()?)
}

/// Counts a failed sign-in to `email` (an account or not: the answer must not tell them
/// apart); at `max` failures the address is locked for `lock_seconds`. A lock that has run
/// out starts the count over, so one more slip does not lock again.
pub fn record_failed_sign_in(
    conn: &Connection,
    email: &str,
    max: i64,
    lock_seconds: i64,
) -> StoreResult<()> {
    let now = unix_now();
    conn.execute(
        "DELETE FROM sign_in_failures WHERE email = ?1 AND locked_until <= ?2",
        params![email, now],
    )?;
    conn.execute(
        "INSERT INTO sign_in_failures (email, failures, locked_until, last_failed_at) VALUES (?1, 1, NULL, ?2) \
         ON CONFLICT (email) DO UPDATE SET failures = failures + 1, last_failed_at = ?2, \
         locked_until = CASE WHEN failures + 1 >= ?3 THEN ?4 ELSE locked_until END",
        params![email, now, max, now + lock_seconds],
    )?;
    Ok(())
}

/// Forgets the failed sign-ins to `email` (a good sign-in, or an admin unlocking it);
/// whether there were any.
pub fn clear_failed_sign_ins(conn: &Connection, email: &str) -> StoreResult<bool> {
    Ok(conn.execute("DELETE FROM sign_in_failures WHERE email = ?1", [email])? > 0)
}

/// Stores a code, replacing an earlier one for the same email and purpose.
pub fn put_code(
    conn: &Connection,
    email: &str,
    purpose: CodePurpose,
    code_hash: &str,
    expires_at: i64,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO codes (email, purpose, code_hash, expires_at, attempts) VALUES (?1, ?2, ?3, ?4, 0) \
         ON CONFLICT (email, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0",
        params![email, purpose.as_str(), code_hash, expires_at],
    )?;
    Ok(())
}

/// Consumes a matching fresh code; a wrong guess counts, and the fifth burns the code.
pub fn take_code(
    conn: &Connection,
    email: &str,
    purpose: CodePurpose,
    code_hash: &str,
) -> StoreResult<bool> {
    let stored: Option<(String, i64, i64)> = conn
        .query_row(
            "SELECT code_hash, expires_at, attempts FROM codes WHERE email = ?1 AND purpose = ?2",
            params![email, purpose.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((hash, expires_at, attempts)) = stored else {
        return Ok(false);
    };
    let fresh = expires_at > unix_now() && attempts < MAX_CODE_ATTEMPTS;
    if fresh && hash == code_hash {
        conn.execute(
            "DELETE FROM codes WHERE email = ?1 AND purpose = ?2",
            params![email, purpose.as_str()],
        )?;
        return Ok(true);
    }
    if fresh {
        conn.execute(
            "UPDATE codes SET attempts = attempts + 1 WHERE email = ?1 AND purpose = ?2",
            params![email, purpose.as_str()],
        )?;
    } else {
        conn.execute(
            "DELETE FROM codes WHERE email = ?1 AND purpose = ?2",
            params![email, purpose.as_str()],
        )?;
    }
    Ok(false)
}

/// A stored answer, if the key was used before.
pub fn idempotent(
    conn: &Connection,
    scope: &str,
    key: &str,
) -> StoreResult<Option<StoredResponse>> {
    Ok(conn
        .prepare_cached("SELECT request_hash, status, etag, body FROM idempotency WHERE scope = ?1 AND key = ?2")?
        .query_row([scope, key], |r| {
            Ok(StoredResponse { request_hash: r.get(0)?, status: r.get::<_, i64>(1)? as u16, etag: r.get(2)?, body: r.get(3)? })
        })
        .optional()?)
}

/// How many stored answers one caller keeps: the newest, at most this many …
const ANSWERS_PER_SCOPE: i64 = 10_000;
/// … and of those, no more bytes than this (the newest one always stays). A small request
/// can have a large answer (a ticket with its whole thread), so without a bound per caller a
/// loop of writes under fresh keys could fill the disk for 30 days. A replay is for a retry,
/// which the newest answers serve; an older one's key would apply its request again.
const ANSWER_BYTES_PER_SCOPE: i64 = 64 * 1024 * 1024;

/// Stores an answer (the first one wins), then drops the caller's oldest answers beyond
/// [`ANSWERS_PER_SCOPE`] and [`ANSWER_BYTES_PER_SCOPE`].
pub fn put_idempotent(
    conn: &Connection,
    scope: &str,
    key: &str,
    resp: &StoredResponse,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, etag, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (scope, key) DO NOTHING",
        params![scope, key, resp.request_hash, resp.status as i64, resp.etag, resp.body, unix_now()],
    )?;
    drop_oldest_answers(conn, scope, ANSWERS_PER_SCOPE, ANSWER_BYTES_PER_SCOPE)
}

/// Keeps `scope`'s newest `count` answers and, of those, no more than `bytes` (the newest
/// one always).
fn drop_oldest_answers(conn: &Connection, scope: &str, count: i64, bytes: i64) -> StoreResult<()> {
    conn.prepare_cached(
        "DELETE FROM idempotency WHERE scope = ?1 AND key IN (\
           SELECT key FROM (\
             SELECT key, ROW_NUMBER() OVER newest AS n, SUM(length(body)) OVER newest AS bytes \
             FROM idempotency WHERE scope = ?1 \
             WINDOW newest AS (ORDER BY created_at DESC, rowid DESC ROWS UNBOUNDED PRECEDING)) \
           WHERE n > 1 AND (n > ?2 OR bytes > ?3))",
    )?
    .execute(params![scope, count, bytes])?;
    Ok(())
}

/// How long failed sign-ins to an address are remembered after the last one (when it is not
/// locked): a day, so slips spread over weeks do not add up to a lock.
const FORGET_FAILURES_SECS: i64 = 24 * 60 * 60;

/// Deletes sessions unused for over `idle_secs` or past their lifetime, stored answers older
/// than `answer_secs`, expired codes and stale failure counts.
pub fn sweep(conn: &Connection, idle_secs: i64, answer_secs: i64) -> StoreResult<(usize, usize)> {
    let now = unix_now();
    let sessions = conn.execute(
        "DELETE FROM sessions WHERE last_seen < ?1 OR created_at <= ?2",
        [now - idle_secs, now - SESSION_LIFETIME_SECS],
    )?;
    let answers = conn.execute(
        "DELETE FROM idempotency WHERE created_at < ?1",
        [now - answer_secs],
    )?;
    conn.execute("DELETE FROM codes WHERE expires_at <= ?1", [now])?;
    conn.execute(
        "DELETE FROM sign_in_failures WHERE (locked_until IS NULL OR locked_until <= ?1) AND last_failed_at < ?2",
        [now, now - FORGET_FAILURES_SECS],
    )?;
    Ok((sessions, answers))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: usize) -> StoredResponse {
        StoredResponse {
            request_hash: "h".into(),
            status: 200,
            etag: None,
            body: vec![b'x'; bytes],
        }
    }

    fn kept(conn: &Connection, scope: &str) -> (i64, i64) {
        conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM idempotency WHERE scope = ?1",
            [scope],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    }

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        conn
    }

    #[test]
    fn a_caller_keeps_only_its_newest_answers() {
        let conn = database();
        for i in 0..30 {
            put_idempotent(&conn, "a", &format!("k{i}"), &answer(10)).unwrap();
        }
        put_idempotent(&conn, "b", "k0", &answer(10)).unwrap();
        drop_oldest_answers(&conn, "a", 20, i64::MAX).unwrap();
        assert_eq!(kept(&conn, "a").0, 20);
        assert!(
            idempotent(&conn, "a", "k29").unwrap().is_some(),
            "newest kept"
        );
        assert!(
            idempotent(&conn, "a", "k0").unwrap().is_none(),
            "oldest gone"
        );
        assert_eq!(kept(&conn, "b").0, 1, "another caller's are its own");
        drop_oldest_answers(&conn, "a", 20, 55).unwrap();
        assert_eq!(kept(&conn, "a"), (5, 50), "no more bytes than allowed");
        drop_oldest_answers(&conn, "a", 20, 1).unwrap();
        assert_eq!(kept(&conn, "a").0, 1, "the newest stays whatever its size");
    }

    #[test]
    fn large_answers_under_fresh_keys_cannot_fill_the_disk() {
        let conn = database();
        for i in 0..20 {
            put_idempotent(&conn, "a", &format!("k{i}"), &answer(4 << 20)).unwrap();
        }
        let (count, bytes) = kept(&conn, "a");
        assert!(
            bytes <= ANSWER_BYTES_PER_SCOPE,
            "{bytes} bytes in {count} answers"
        );
        assert!(
            idempotent(&conn, "a", "k19").unwrap().is_some(),
            "newest kept"
        );
    }
}
