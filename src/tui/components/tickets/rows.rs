//! The rows the Tickets pane shows: the view's tickets sorted once per change of the view or
//! the sort, then filtered into a `Vec<u32>` of view indices once per keystroke (over facts extracted
//! with the order, read in sequence). Drawing reads
//! a window of that vector, so neither sorting nor filtering happens per frame.

use super::columns::Column;
use super::filter::{Facts, Query, Queue};
use crate::client::{View, ViewTicket};
use crate::domain::wire::PortalFor;

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
    /// What the filter reads of each ticket, in sort order.
    facts: Vec<Facts>,
    /// Positions in `order` of the tickets the last query matched, and that query: a query
    /// that narrows it only needs to look at these.
    matched: Option<(Query, Vec<u32>)>,
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
        // Start from the previous order: after a sync changed a few tickets it is nearly
        // sorted, and the sort (which finds runs) then costs about one pass, not n log n.
        let count = view.ticket_count();
        let mut order = std::mem::take(&mut self.order);
        order.retain(|&i| (i as usize) < count);
        let from = u32::try_from(order.len()).unwrap_or(u32::MAX);
        order.extend((from..).take(count.saturating_sub(order.len())));
        // The tickets beside their indices, so comparing does not look them up again.
        let mut keyed: Vec<(&ViewTicket, u32)> = order
            .into_iter()
            .filter_map(|i| view.ticket_at(i as usize).map(|t| (t, i)))
            .collect();
        keyed.sort_by(|(x, a), (y, b)| {
            let o = sort.column.compare(x, y).then_with(|| a.cmp(b).reverse());
            if sort.descending { o.reverse() } else { o }
        });
        (self.order, self.facts) = keyed.into_iter().map(|(t, i)| (i, Facts::of(t))).unzip();
        self.built = Some((view.revision(), sort));
        self.matched = None;
        true
    }

    /// Filters the order for `queue` and `query` (user `me`), counting every queue on the way;
    /// returns where ticket `keep` ended up, if it is still shown.
    pub fn filter(
        &mut self,
        queue: Queue,
        query: &Query,
        me: i64,
        keep: Option<i64>,
    ) -> Option<usize> {
        let mut kept = None;
        let mut counts = [0; Queue::ALL.len()];
        let mut shown = Vec::new();
        let mut matched = Vec::new();
        let mut visit = |at: u32, facts: &Facts| {
            if !query.matches(facts, me) {
                return;
            }
            matched.push(at);
            for (n, q) in Queue::ALL.iter().enumerate() {
                if q.contains(facts, me) {
                    counts[n] += 1;
                }
            }
            if queue.contains(facts, me) {
                if keep == Some(facts.id) {
                    kept = Some(shown.len());
                }
                if let Some(&i) = self.order.get(at as usize) {
                    shown.push(i);
                }
            }
        };
        match self.matched.take() {
            Some((before, candidates)) if query.narrows(&before) => {
                for at in candidates {
                    if let Some(facts) = self.facts.get(at as usize) {
                        visit(at, facts);
                    }
                }
            }
            _ => {
                for (at, facts) in (0u32..).zip(&self.facts) {
                    visit(at, facts);
                }
            }
        }
        self.matched = Some((query.clone(), matched));
        self.counts = counts;
        self.shown = shown;
        kept
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

/// The sort a pane starts with: the portal's default for customers, newest update first for
/// staff.
pub fn default_sort(view: &View) -> Sort {
    match view.portal.as_ref().map(|p| &p.item) {
        Some(PortalFor::Public(p)) if !view.is_staff() => Sort {
            column: Column::from_customer(&p.ticket_view.default_sort.column),
            descending: p.ticket_view.default_sort.descending,
        },
        _ => Sort {
            column: Column::Updated,
            descending: true,
        },
    }
}

/// Whether closed tickets are listed (customers: as the portal says; staff: always).
pub fn show_closed(view: &View) -> bool {
    match view.portal.as_ref().map(|p| &p.item) {
        Some(PortalFor::Public(p)) => p.ticket_view.show_closed,
        _ => true,
    }
}

#[cfg(test)]
mod tests;
