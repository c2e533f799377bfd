//! Fixed-window request counters for the rate limits: the limit itself, and the in-memory
//! counters a store that is the only server on its data (SQLite) keeps. A store shared by
//! several servers (PostgreSQL) keeps its counters in the database instead, so a limit holds
//! across them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A limit: at most `max` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Requests allowed in one window.
    pub max: u32,
    /// The window.
    pub window: Duration,
}

/// Counters kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

/// Counters older than this are surely expired (no window is longer).
const LONGEST_WINDOW: Duration = Duration::from_secs(3600);

/// Fixed-window counters by key, in this process's memory.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts a request under `key`; `Err(seconds)` to wait when over `limit`.
    pub fn check(&self, key: &str, limit: Limit, now: Instant) -> Result<(), u64> {
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < LONGEST_WINDOW);
        }
        let entry = windows.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            let left = limit.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn window_fills_then_resets() {
        let limiter = RateLimiter::default();
        let limit = Limit {
            max: 3,
            window: MINUTE,
        };
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("k", limit, t0), Ok(()));
        }
        assert_eq!(
            limiter.check("k", limit, t0 + Duration::from_secs(20)),
            Err(40)
        );
        assert_eq!(limiter.check("other", limit, t0), Ok(()));
        assert_eq!(limiter.check("k", limit, t0 + MINUTE), Ok(()));
    }
}
