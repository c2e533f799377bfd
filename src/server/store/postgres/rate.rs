//! Rate-limit counters in the database, so that a limit holds across every server on it:
//! one row per key with its window's start and hits, counted by one atomic upsert against
//! the database's clock (the servers' clocks may disagree).

use super::sql::{Db, execute, get, row};
use crate::server::store::StoreResult;
use crate::server::store::rate::Limit;

/// Counts one request under `key`; `Err(seconds)` to wait when `limit.max` requests were
/// already counted in the current window (a refused request is not counted, as in memory).
pub async fn count(c: &Db, key: &str, limit: Limit) -> StoreResult<Result<(), u64>> {
    let window_ms = i64::try_from(limit.window.as_millis()).unwrap_or(i64::MAX);
    let max = i64::from(limit.max);
    let counted = row(
        c,
        "INSERT INTO rate_limits AS r (key, window_start, hits) \
         VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           window_start = CASE WHEN r.window_start <= EXCLUDED.window_start - $2::bigint \
             THEN EXCLUDED.window_start ELSE r.window_start END, \
           hits = CASE WHEN r.window_start <= EXCLUDED.window_start - $2::bigint \
             THEN 1 ELSE LEAST(r.hits + 1, $3::bigint + 1) END \
         RETURNING hits, window_start + $2::bigint - (extract(epoch FROM clock_timestamp()) * 1000)::bigint",
        &[&key, &window_ms, &max],
    )
    .await?;
    let hits: i64 = get(&counted, 0)?;
    let left_ms: i64 = get(&counted, 1)?;
    if hits <= max {
        return Ok(Ok(()));
    }
    let left_secs = u64::try_from(left_ms.max(0)).unwrap_or(0).div_ceil(1000);
    Ok(Err(left_secs.max(1)))
}

/// Forgets counters whose window ended an hour or more ago (no window is longer).
pub async fn sweep(c: &Db) -> StoreResult<()> {
    execute(
        c,
        "DELETE FROM rate_limits WHERE window_start < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 3600000",
        &[],
    )
    .await?;
    Ok(())
}
