//! Caps on open `/events` streams, per account and overall. A stream holds a connection, a
//! task and a subscription for as long as the client likes, so without a cap one token could
//! open thousands of them and starve every other client of connections.

use super::error::ApiError;
use super::store::Account;
use axum::http::StatusCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many event streams may be open at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Per signed-in account (a user runs a few app windows, not dozens).
    pub per_account: usize,
    /// On the whole server.
    pub total: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            per_account: 8,
            total: 512,
        }
    }
}

/// Seconds a refused client is told to wait before opening a stream again.
const RETRY_AFTER_SECS: u64 = 30;

/// Which account a stream counts against ([`Account::key`]).
type Owner = (&'static str, i64);

#[derive(Debug, Default)]
struct Counts {
    per_owner: HashMap<Owner, usize>,
    total: usize,
}

/// The open event streams, counted.
#[derive(Debug)]
pub struct EventStreams {
    limits: StreamLimits,
    keep_alive: Duration,
    counts: Mutex<Counts>,
}

impl EventStreams {
    /// No streams open yet; at most `limits`. A stream sends a keep-alive comment every
    /// `keep_alive` when nothing else happens.
    pub fn new(limits: StreamLimits, keep_alive: Duration) -> Arc<Self> {
        Arc::new(EventStreams {
            limits,
            keep_alive,
            counts: Mutex::new(Counts::default()),
        })
    }

    /// How often an otherwise quiet stream sends a keep-alive comment.
    pub fn keep_alive(&self) -> Duration {
        self.keep_alive
    }

    /// Counts a new stream of `account`, or refuses it with 429 `too_many_streams` (with
    /// `Retry-After`) when the account or the server is at its limit. The stream is counted
    /// until the returned slot is dropped.
    pub fn open(self: &Arc<Self>, account: &Account) -> Result<StreamSlot, ApiError> {
        let key = account.key();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let mine = counts.per_owner.get(&key).copied().unwrap_or(0);
        let refusal = if mine >= self.limits.per_account {
            Some(format!(
                "this account already has {mine} event streams open (at most {}); close one first",
                self.limits.per_account
            ))
        } else if counts.total >= self.limits.total {
            Some(format!(
                "the server has {} event streams open, its limit; try again later",
                counts.total
            ))
        } else {
            None
        };
        if let Some(message) = refusal {
            let mut error =
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_streams", message);
            error.retry_after = Some(RETRY_AFTER_SECS);
            return Err(error);
        }
        *counts.per_owner.entry(key).or_insert(0) += 1;
        counts.total += 1;
        Ok(StreamSlot {
            streams: self.clone(),
            owner: key,
        })
    }
}

/// One counted stream; dropping it (the stream ended or its client went away) frees the slot.
#[derive(Debug)]
pub struct StreamSlot {
    streams: Arc<EventStreams>,
    owner: Owner,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut counts = self
            .streams
            .counts
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.per_owner.get_mut(&self.owner) {
            *n -= 1;
            if *n == 0 {
                counts.per_owner.remove(&self.owner);
            }
        }
    }
}
