//! Rows that go together — a filter condition, a support-form field, a column — found,
//! moved past their neighbours, removed and added as one.

use super::form::{Field, FieldId, Form};
use std::ops::Range;

impl FieldId {
    /// Whether the row starts a group that moves and goes away as one: a filter condition,
    /// a support-form field, or a column.
    pub fn starts_group(self) -> bool {
        matches!(
            self,
            FieldId::FilterProperty | FieldId::FormKey | FieldId::Column(_)
        )
    }

    /// Whether the row belongs to the group started by `start`.
    fn belongs_to(self, start: FieldId) -> bool {
        match start {
            FieldId::FilterProperty => {
                matches!(self, FieldId::FilterOp | FieldId::FilterValue)
            }
            FieldId::FormKey => matches!(
                self,
                FieldId::FormLabel
                    | FieldId::FormKind
                    | FieldId::FormRequired
                    | FieldId::FormPrivate
                    | FieldId::FormOptions
            ),
            _ => false,
        }
    }
}

impl Form {
    /// The rows of the group (condition, form field, column) the selection is in.
    pub fn group(&self) -> Option<Range<usize>> {
        self.fields.get(self.focus)?;
        let start = (0..=self.focus)
            .rev()
            .find(|&i| self.fields[i].id.starts_group())?;
        let first = self.fields[start].id;
        let end = (start + 1..self.fields.len())
            .find(|&i| !self.fields[i].id.belongs_to(first))
            .unwrap_or(self.fields.len());
        (self.focus < end).then_some(start..end)
    }

    /// Moves the selected group past its neighbour group of the same kind; returns whether
    /// it moved.
    pub fn move_group(&mut self, down: bool) -> bool {
        let Some(here) = self.group() else {
            return false;
        };
        let offset = self.focus - here.start;
        let kind = |id: FieldId| std::mem::discriminant(&id);
        let mine = kind(self.fields[here.start].id);
        let other = if down {
            let mut probe = self.clone();
            probe.focus = here.end;
            probe.group()
        } else if here.start == 0 {
            None
        } else {
            let mut probe = self.clone();
            probe.focus = here.start - 1;
            probe.group()
        };
        let Some(other) = other.filter(|o| kind(self.fields[o.start].id) == mine) else {
            return false;
        };
        let (first, second) = if down {
            (here.clone(), other)
        } else {
            (other, here.clone())
        };
        let moved: Vec<Field> = self.fields.drain(second.clone()).collect();
        for (i, f) in moved.into_iter().enumerate() {
            self.fields.insert(first.start + i, f);
        }
        self.focus = if down {
            here.start + (second.end - second.start) + offset
        } else {
            first.start + offset
        };
        true
    }

    /// Removes the selected group; returns whether there was one.
    pub fn remove_group(&mut self) -> bool {
        let Some(here) = self.group() else {
            return false;
        };
        self.fields.drain(here.clone());
        self.focus = here.start.min(self.fields.len().saturating_sub(1));
        true
    }

    /// Inserts `rows` after the selected group (or before row `fallback` when the selection
    /// is in none) and selects the first of them.
    pub fn insert_group(&mut self, rows: Vec<Field>, fallback: usize) {
        let at = self
            .group()
            .map_or(fallback.min(self.fields.len()), |g| g.end);
        for (i, row) in rows.into_iter().enumerate() {
            self.fields.insert(at + i, row);
        }
        self.focus = at;
    }
}
