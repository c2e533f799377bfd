//! The rows the Tickets pane shows: the view's tickets sorted once per change of the view or
//! the sort, then filtered into a `Vec<u32>` of view indices once per keystroke (over facts extracted
//! with the order, read in sequence). Drawing reads
//! a window of that vector, so neither sorting nor filtering happens per frame.

use super::columns::Column;
use super::facts::{Facts, Text, Texts};
use super::filter::{Query, Queue, inbox_name, owner_name};
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
    /// The tickets' lower-case texts, in sort order; built by the first query that searches
    /// text after the order changed.
    texts: Option<Texts>,
    /// Positions in `order` of the tickets the last query matched, and that query: a query
    /// that narrows it only needs to look at these.
    matched: Option<(Query, Vec<u32>)>,
    /// The filtered rows, in sort order.
    shown: Vec<u32>,
    /// How many tickets each queue holds under the current query.
    counts: [usize; Queue::ALL.len()],
    /// Where the sorted part of `order` ends, when the first sort only placed the first
    /// tickets (so the first frame does not wait for sorting them all); `None` when sorted.
    unsorted_from: Option<usize>,
    /// The order was built from a view holding only a glance's tickets: when the rest come,
    /// sorting starts afresh (a first sort), not from an order of other indices.
    from_glance: bool,
}

/// How many tickets the first sort of a pane places before its first frame; the rest are
/// sorted on the next refresh.
const FIRST: usize = 4096;
/// Fewest sorted rows the first frame needs (more than any terminal is tall); a filter that
/// leaves fewer among the first tickets sorts the rest at once.
const SCREEN: usize = 512;

/// The order of two keyed tickets under `sort`: the key prefix, then the full comparison,
/// then the newer index first.
fn compare(sort: Sort, (ka, x, a): &Keyed<'_>, (kb, y, b): &Keyed<'_>) -> std::cmp::Ordering {
    let o = ka
        .cmp(kb)
        .then_with(|| sort.column.compare(x, y))
        .then_with(|| a.cmp(b).reverse());
    if sort.descending { o.reverse() } else { o }
}

/// A ticket with its key prefix and its view index.
type Keyed<'a> = (u128, &'a ViewTicket, u32);

/// `order` with each ticket's key prefix.
fn keyed<'a>(view: &'a View, sort: Sort, order: &[u32]) -> Vec<Keyed<'a>> {
    order
        .iter()
        .filter_map(|&i| {
            let t = view.ticket_at(i as usize)?;
            Some((prefix(sort.column, t), t, i))
        })
        .collect()
}

impl Rows {
    /// Rebuilds the order if the view or the sort changed since, or finishes a first sort
    /// that only placed the first tickets; returns whether the order changed.
    pub fn sync(&mut self, view: &View, sort: Sort) -> bool {
        if self.built == Some((view.revision(), sort)) {
            return self.finish(view, sort);
        }
        // Start from the previous order: after a sync changed a few tickets it is nearly
        // sorted, and the sort (which finds runs) then costs about one pass, not n log n.
        let glance = view.glance().is_some();
        if glance != self.from_glance {
            self.order.clear();
            self.from_glance = glance;
        }
        let count = view.ticket_count();
        let mut order = std::mem::take(&mut self.order);
        let first = order.is_empty();
        order.retain(|&i| (i as usize) < count);
        let from = u32::try_from(order.len()).unwrap_or(u32::MAX);
        order.extend((from..).take(count.saturating_sub(order.len())));
        // The tickets beside their indices and a key prefix, so most comparisons are one
        // integer comparison and do not look the tickets up again.
        let mut keyed = keyed(view, sort, &order);
        let by = |a: &Keyed<'_>, b: &Keyed<'_>| compare(sort, a, b);
        self.unsorted_from = None;
        match keyed.len() {
            // The pane's first sort: the first `FIRST` tickets are enough to draw, the rest
            // wait for the next refresh (`finish`).
            n if first && n > FIRST => {
                keyed.select_nth_unstable_by(FIRST, by);
                keyed[..FIRST].sort_by(by);
                self.unsorted_from = Some(FIRST);
            }
            _ => keyed.sort_by(by),
        }
        (self.order, self.facts) = keyed.into_iter().map(|(_, t, i)| (i, Facts::of(t))).unzip();
        self.texts = None;
        self.built = Some((view.revision(), sort));
        self.matched = None;
        true
    }

    /// Sorts the tickets a first sort left unsorted (they all follow the sorted ones);
    /// returns whether there were any.
    fn finish(&mut self, view: &View, sort: Sort) -> bool {
        let Some(from) = self.unsorted_from.take() else {
            return false;
        };
        let mut rest = keyed(view, sort, self.order.get(from..).unwrap_or_default());
        rest.sort_by(|a, b| compare(sort, a, b));
        self.order.truncate(from);
        self.facts.truncate(from);
        for (_, t, i) in rest {
            self.order.push(i);
            self.facts.push(Facts::of(t));
        }
        self.texts = None;
        self.matched = None;
        true
    }

    /// Filters the order for `queue` and `query` (user `me`), counting every queue on the way;
    /// returns where ticket `keep` ended up, if it is still shown. `view` is the one the order
    /// was last synced with. When the order is only partly sorted and the filter leaves too
    /// few sorted rows for a screen, the sort is finished first.
    pub fn filter(
        &mut self,
        view: &View,
        queue: Queue,
        query: &Query,
        me: i64,
        keep: Option<i64>,
    ) -> Option<usize> {
        let (kept, sorted) = self.filter_pass(view, queue, query, me, keep);
        let short = sorted < SCREEN.min(self.shown.len()) || kept.is_some_and(|k| k >= sorted);
        match self.built {
            Some((_, sort)) if self.unsorted_from.is_some() && short => {
                self.finish(view, sort);
                self.filter_pass(view, queue, query, me, keep).0
            }
            _ => kept,
        }
    }

    /// One filtering pass; also returns how many shown rows come from the sorted part.
    fn filter_pass(
        &mut self,
        view: &View,
        queue: Queue,
        query: &Query,
        me: i64,
        keep: Option<i64>,
    ) -> (Option<usize>, usize) {
        let sorted_to = self.unsorted_from.unwrap_or(usize::MAX);
        let mut sorted = 0;
        if query.needs_text() && self.texts.is_none() {
            let tickets = self
                .order
                .iter()
                .filter_map(|&i| view.ticket_at(i as usize));
            self.texts = Some(Texts::of(tickets, self.order.len()));
        }
        let texts = self.texts.as_ref().filter(|_| query.needs_text());
        let mut kept = None;
        let mut counts = [0; Queue::ALL.len()];
        // The last pass's vectors, emptied, so a keystroke does not grow new ones.
        let mut shown = std::mem::take(&mut self.shown);
        shown.clear();
        let mut matched = Vec::with_capacity(match &self.matched {
            Some((_, candidates)) => candidates.len(),
            None => self.facts.len(),
        });
        let mut visit = |at: u32, facts: &Facts| {
            let text = texts.map_or(Text::default(), |t| t.get(at as usize));
            if !query.matches(facts, text, me) {
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
                    if (at as usize) < sorted_to {
                        sorted += 1;
                    }
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
        (kept, sorted)
    }

    /// Whether the rows index `view` as it is now (its indices shift as tickets come and go).
    pub fn is_built_for(&self, view: &View) -> bool {
        self.built
            .is_some_and(|(revision, _)| revision == view.revision())
    }

    /// The rows shown, as view indices in sort order.
    pub fn shown(&self) -> &[u32] {
        &self.shown
    }

    /// How many tickets each queue holds under the current query, in [`Queue::ALL`] order.
    pub fn counts(&self) -> [usize; Queue::ALL.len()] {
        self.counts
    }
}

/// A key that orders tickets by `column` wherever it can tell them apart (never against
/// `Column::compare`): the first 16 bytes of the compared text as a big-endian number, or the
/// number itself. Equal keys fall back to the full comparison.
fn prefix(column: Column, t: &ViewTicket) -> u128 {
    let text = |s: Option<&str>| {
        let Some(s) = s else { return 0 };
        let mut bytes = [0u8; 16];
        for (b, c) in bytes.iter_mut().zip(s.bytes()) {
            *b = c;
        }
        u128::from_be_bytes(bytes)
    };
    match column {
        Column::Id => u128::from(t.id().cast_unsigned() ^ (1 << 63)),
        Column::Subject => text(Some(t.subject())),
        Column::Requester => text(Some(t.requester())),
        Column::Company => text(t.company()),
        Column::Stage => text(Some(t.status())),
        Column::Priority => 0,
        Column::Owner => text(owner_name(t)),
        Column::Inbox => text(inbox_name(t)),
        Column::Created => text(Some(t.created_at())),
        Column::Updated => text(Some(t.updated_at())),
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
