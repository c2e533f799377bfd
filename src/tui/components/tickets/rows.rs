//! The rows the Tickets pane shows: the view's tickets sorted once per change of the view or
//! the sort, then filtered into a `Vec<u32>` of view indices once per keystroke. Drawing reads
//! a window of that vector, so neither sorting nor filtering happens per frame.

use super::columns::Column;
use super::filter::{Query, Queue, haystack};
use crate::client::View;
use std::cmp::Ordering;

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// Largest (or newest) first.
    pub descending: bool,
}

/// Sorted, searchable and filtered indices into the view's tickets.
#[derive(Debug, Default)]
pub struct Rows {
    /// View revision and sort the order was built for.
    built: Option<(u64, Sort)>,
    /// Every ticket's view index, in sort order.
    order: Vec<u32>,
    /// Lower-case searchable text by view index.
    haystacks: Vec<String>,
    /// The filtered rows, in sort order.
    shown: Vec<u32>,
    /// How many tickets each queue holds under the current query.
    counts: [usize; Queue::ALL.len()],
}

impl Rows {
    /// Rebuilds the order if the view or the sort changed since; returns whether it did.
    pub fn sync(&mut self, view: &View, sort: Sort) -> bool {
        if self.built == Some((view.revision(), sort)) {
            return false;
        }
        let count = view.ticket_count();
        if self.built.is_none_or(|(revision, _)| revision != view.revision()) {
            self.haystacks = (0..count)
                .map(|i| view.ticket_at(i).map(haystack).unwrap_or_default())
                .collect();
        }
        let mut order: Vec<u32> = (0..count).filter_map(|i| u32::try_from(i).ok()).collect();
        order.sort_by(|a, b| {
            let (Some(x), Some(y)) = (view.ticket_at(*a as usize), view.ticket_at(*b as usize))
            else {
                return Ordering::Equal;
            };
            let o = sort.column.compare(x, y).then_with(|| a.cmp(b).reverse());
            if sort.descending { o.reverse() } else { o }
        });
        self.order = order;
        self.built = Some((view.revision(), sort));
        true
    }

    /// Filters the order for `queue` and `query` (user `me`); counts every queue on the way.
    pub fn filter(&mut self, view: &View, queue: Queue, query: &Query, me: i64) {
        let mut counts = [0; Queue::ALL.len()];
        let mut shown = Vec::with_capacity(self.order.len());
        for &i in &self.order {
            let Some(t) = view.ticket_at(i as usize) else {
                continue;
            };
            let hay = self.haystacks.get(i as usize).map_or("", String::as_str);
            if !query.matches(t, hay, me) {
                continue;
            }
            for (n, q) in Queue::ALL.iter().enumerate() {
                if q.contains(t, me) {
                    counts[n] += 1;
                }
            }
            if queue.contains(t, me) {
                shown.push(i);
            }
        }
        self.counts = counts;
        self.shown = shown;
    }

    /// The rows shown, as view indices in sort order.
    pub fn shown(&self) -> &[u32] {
        &self.shown
    }

    /// How many tickets `queue` holds under the current query.
    pub fn count(&self, queue: Queue) -> usize {
        Queue::ALL
            .iter()
            .position(|q| *q == queue)
            .and_then(|n| self.counts.get(n).copied())
            .unwrap_or(0)
    }
}
