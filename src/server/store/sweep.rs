//! Housekeeping: sessions past the portal's idle timeout and old idempotent answers are
//! deleted at start-up and then periodically, so those tables do not grow without end.

use super::{Store, StoreResult};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// How often the server sweeps.
pub const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

/// How long a stored idempotent answer is kept: longer than a client stays offline with a
/// write in its outbox in any likely case, so a late replay is still recognised.
pub const KEEP_ANSWERS_SECS: i64 = 30 * 24 * 60 * 60;

/// One sweep with the portal's current idle timeout; returns (sessions, answers) deleted.
pub async fn sweep_once(store: &dyn Store) -> StoreResult<(usize, usize)> {
    let idle = i64::from(store.portal().await?.access.idle_timeout_minutes) * 60;
    store.sweep(idle, KEEP_ANSWERS_SECS).await
}

/// Sweeps once and logs what it removed (a failure is logged, not fatal: the next sweep
/// tries again).
pub async fn sweep_and_log(store: &dyn Store) {
    match sweep_once(store).await {
        Ok((0, 0)) => {}
        Ok((sessions, answers)) => {
            tracing::info!("swept {sessions} idle sessions and {answers} old stored answers")
        }
        Err(e) => tracing::warn!("cannot sweep old sessions and answers: {e}"),
    }
}

/// Sweeps every [`SWEEP_EVERY`], the first time one period from now (the server sweeps once
/// before it starts serving); never returns (run it beside the server).
pub async fn sweep_forever(store: Arc<dyn Store>) -> Infallible {
    let first = tokio::time::Instant::now() + SWEEP_EVERY;
    let mut every = tokio::time::interval_at(first, SWEEP_EVERY);
    loop {
        every.tick().await;
        sweep_and_log(store.as_ref()).await;
    }
}
