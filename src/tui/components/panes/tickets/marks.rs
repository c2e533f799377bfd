//! Tickets marked for a bulk change. Marks are kept by ticket id, so they survive re-sorting,
//! filtering and changes arriving from the server; the anchor is where a range starts. Pending
//! new tickets (negative ids) are not on the server yet, so they are never marked.

use std::collections::BTreeSet;

/// The marked tickets and the anchor of the next range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    ids: BTreeSet<i64>,
    anchor: Option<i64>,
}

impl Marks {
    /// How many tickets are marked.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nothing is marked.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether ticket `id` is marked.
    pub fn contains(&self, id: i64) -> bool {
        self.ids.contains(&id)
    }

    /// The marked ids, ascending.
    pub fn ids(&self) -> Vec<i64> {
        self.ids.iter().copied().collect()
    }

    /// Drops every mark and the anchor.
    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }

    /// Marks ticket `id`, or unmarks it if it was marked; it becomes the anchor either way.
    pub fn toggle(&mut self, id: i64) {
        if id <= 0 {
            return;
        }
        if !self.ids.remove(&id) {
            self.ids.insert(id);
        }
        self.anchor = Some(id);
    }

    /// Marks the rows of `shown` (ticket ids in display order) from the anchor to row `at`,
    /// both included, and makes row `at` the anchor. Without an anchor on screen, marks row
    /// `at` alone, so a second press after moving marks the range between.
    pub fn range(&mut self, shown: &[i64], at: usize) {
        let Some(&here) = shown.get(at) else {
            return;
        };
        let from = self
            .anchor
            .and_then(|a| shown.iter().position(|&id| id == a))
            .unwrap_or(at);
        let (lo, hi) = (from.min(at), from.max(at));
        self.ids.extend(shown[lo..=hi].iter().filter(|id| **id > 0));
        self.anchor = Some(here);
    }

    /// Marks every row of `shown`; if all of them are marked already, clears every mark.
    pub fn all(&mut self, shown: &[i64]) {
        let mut real = shown.iter().filter(|id| **id > 0).peekable();
        if real.peek().is_some() && real.clone().all(|id| self.ids.contains(id)) {
            self.clear();
        } else {
            self.ids.extend(real);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOWN: [i64; 6] = [60, 50, 40, 30, 20, 10];

    #[test]
    fn toggling_marks_and_unmarks() {
        let mut m = Marks::default();
        m.toggle(50);
        m.toggle(30);
        assert_eq!(m.ids(), [30, 50]);
        m.toggle(50);
        assert_eq!(m.ids(), [30]);
        assert!(m.contains(30) && !m.contains(50));
        m.clear();
        assert!(m.is_empty());
    }

    #[test]
    fn a_range_runs_from_the_anchor_to_the_cursor_either_way() {
        let mut m = Marks::default();
        m.toggle(50);
        m.range(&SHOWN, 3);
        assert_eq!(m.ids(), [30, 40, 50]);
        m.range(&SHOWN, 5);
        assert_eq!(m.ids(), [10, 20, 30, 40, 50], "from the new anchor on");
        let mut m = Marks::default();
        m.toggle(20);
        m.range(&SHOWN, 1);
        assert_eq!(m.ids(), [20, 30, 40, 50], "upwards too");
    }

    #[test]
    fn a_range_without_an_anchor_on_screen_starts_one() {
        let mut m = Marks::default();
        m.range(&SHOWN, 2);
        assert_eq!(m.ids(), [40]);
        m.range(&SHOWN, 4);
        assert_eq!(m.ids(), [20, 30, 40]);
        let mut m = Marks::default();
        m.toggle(99);
        m.range(&SHOWN, 0);
        assert_eq!(m.ids(), [60, 99], "the anchor was filtered away");
        m.range(&SHOWN, 9);
        assert_eq!(m.len(), 2, "a row past the end marks nothing");
    }

    #[test]
    fn marking_all_twice_clears() {
        let mut m = Marks::default();
        m.toggle(99);
        m.all(&SHOWN);
        assert_eq!(m.len(), 7);
        m.all(&SHOWN);
        assert!(m.is_empty());
        m.all(&[]);
        assert!(m.is_empty());
        m.all(&[-3, 10]);
        m.toggle(-4);
        m.range(&[-5, 10], 0);
        assert_eq!(m.ids(), [10], "pending new tickets are never marked");
        m.all(&[-3, 10]);
        assert!(m.is_empty());
    }
}
