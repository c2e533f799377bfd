//! The first screen of the next start. Loading 100 000 cached tickets takes longer than the
//! 100 ms a start may take to draw, so when the app quits it leaves the tickets it showed
//! first, in order, and its own notes on how it drew them (counts, sort, filter). The next
//! start loads just those, draws, and loads the rest behind the first frame.
//!
//! A glance is only ever read back for the cache content it was taken from: the cache drops
//! it in the same transaction as any change to its tickets, entities or outbox (SQLite
//! triggers, so no write path, in this process or another, can forget).

use serde::{Deserialize, Serialize};

/// Most tickets a glance names: more rows than any terminal shows.
pub const GLANCE_ROWS: usize = 256;

/// A remembered first screen: see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Glance {
    /// The tickets shown first, in the order shown (at most [`GLANCE_ROWS`]).
    pub ids: Vec<i64>,
    /// What the UI needs to draw them as it did (its own format; the client only keeps it).
    pub note: String,
}
