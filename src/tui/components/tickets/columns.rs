//! The columns of the ticket table: what each shows, how wide it is and how it sorts. Staff
//! get a fixed set; customers get the columns the portal's ticket view lists.

use super::filter::{inbox_name, owner_name};
use crate::client::ViewTicket;
use crate::domain::portal::CustomerColumn;
use crate::domain::text::strip_control;
use std::cmp::Ordering;

/// One column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Ticket number.
    Id,
    /// Subject.
    Subject,
    /// Requester's name.
    Requester,
    /// Company name.
    Company,
    /// Stage (staff) or the portal's label for it (customers).
    Stage,
    /// Priority.
    Priority,
    /// Owner's name.
    Owner,
    /// Inbox name.
    Inbox,
    /// When it was opened.
    Created,
    /// When it last changed.
    Updated,
}

/// The columns agents and admins see, in order.
pub const STAFF: [Column; 9] = [
    Column::Id,
    Column::Subject,
    Column::Requester,
    Column::Company,
    Column::Stage,
    Column::Priority,
    Column::Owner,
    Column::Inbox,
    Column::Updated,
];

impl super::Tickets {
    /// The columns of the table: the portal's for customers, [`STAFF`] for staff.
    pub(super) fn columns(&self, view: &crate::client::View) -> Vec<Column> {
        match view.portal.as_ref().map(|p| &p.item) {
            Some(crate::domain::wire::PortalFor::Public(p)) if !self.staff => p
                .ticket_view
                .columns
                .iter()
                .map(Column::from_customer)
                .collect(),
            _ => STAFF.to_vec(),
        }
    }
}

impl Column {
    /// The table column for a portal ticket-view column.
    pub fn from_customer(c: &CustomerColumn) -> Column {
        match c {
            CustomerColumn::Id => Column::Id,
            CustomerColumn::Subject => Column::Subject,
            CustomerColumn::Status => Column::Stage,
            CustomerColumn::Priority => Column::Priority,
            CustomerColumn::Requester => Column::Requester,
            CustomerColumn::Created => Column::Created,
            CustomerColumn::Updated => Column::Updated,
        }
    }

    /// The header.
    pub fn title(self) -> &'static str {
        match self {
            Column::Id => "#",
            Column::Subject => "Subject",
            Column::Requester => "Requester",
            Column::Company => "Company",
            Column::Stage => "Stage",
            Column::Priority => "Priority",
            Column::Owner => "Owner",
            Column::Inbox => "Inbox",
            Column::Created => "Opened",
            Column::Updated => "Updated",
        }
    }

    /// Width in cells (the subject takes what is left); room for the title and the sort
    /// arrow at least.
    pub fn width(self) -> u16 {
        match self {
            Column::Id => 7,
            Column::Subject => 18,
            Column::Requester | Column::Owner => 14,
            Column::Company | Column::Inbox => 12,
            Column::Stage => 19,
            Column::Priority => 10,
            Column::Created | Column::Updated => 10,
        }
    }

    /// Which columns go first when the table is too narrow (lower: dropped earlier).
    pub fn keep(self) -> u8 {
        match self {
            Column::Id | Column::Subject => 9,
            Column::Stage => 8,
            Column::Priority => 7,
            Column::Updated => 6,
            Column::Owner => 5,
            Column::Requester => 4,
            Column::Company => 3,
            Column::Created => 2,
            Column::Inbox => 1,
        }
    }

    /// The cell text of ticket `t`, control sequences stripped.
    pub fn cell(self, t: &ViewTicket) -> String {
        match self {
            Column::Id if t.id() < 0 => "new".into(),
            Column::Id => format!("#{}", t.id()),
            Column::Subject => strip_control(t.subject()).replace('\n', " "),
            Column::Requester => strip_control(t.requester()),
            Column::Company => strip_control(t.company().unwrap_or("")),
            Column::Stage => strip_control(t.status()).replace('_', " "),
            Column::Priority => t.priority().as_str().into(),
            Column::Owner => strip_control(owner_name(t).unwrap_or("—")),
            Column::Inbox => strip_control(inbox_name(t).unwrap_or("")),
            Column::Created => date(t.created_at()),
            Column::Updated => date(t.updated_at()),
        }
    }

    /// Orders two tickets by this column, smallest first.
    pub fn compare(self, a: &ViewTicket, b: &ViewTicket) -> Ordering {
        match self {
            Column::Id => a.id().cmp(&b.id()),
            Column::Subject => a.subject().cmp(b.subject()),
            Column::Requester => a.requester().cmp(b.requester()),
            Column::Company => a.company().cmp(&b.company()),
            Column::Stage => a.status().cmp(b.status()),
            Column::Priority => a.priority().cmp(&b.priority()),
            Column::Owner => owner_name(a).cmp(&owner_name(b)),
            Column::Inbox => inbox_name(a).cmp(&inbox_name(b)),
            Column::Created => a.created_at().cmp(b.created_at()),
            Column::Updated => a.updated_at().cmp(b.updated_at()),
        }
    }
}

/// The date part of an RFC 3339 timestamp.
fn date(rfc3339: &str) -> String {
    rfc3339.chars().take(10).collect()
}

/// The columns of `all` that fit in `width` cells (one cell between columns), dropping the
/// least useful first.
pub fn fitting(all: &[Column], width: u16) -> Vec<Column> {
    let mut cols = all.to_vec();
    let need = |cols: &[Column]| -> u16 { cols.iter().map(|c| c.width() + 1).sum() };
    while need(&cols) > width {
        let Some(drop) = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.keep() < 9)
            .min_by_key(|(_, c)| c.keep())
            .map(|(n, _)| n)
        else {
            break;
        };
        cols.remove(drop);
    }
    cols
}

/// The sort column after `current` among `shown` (the first when `current` is not shown);
/// `None` when nothing is shown.
pub fn next(shown: &[Column], current: Column) -> Option<Column> {
    let at = shown.iter().position(|c| *c == current);
    let next = at.map_or(0, |n| (n + 1) % shown.len().max(1));
    shown.get(next).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_title_has_room_for_the_sort_arrow() {
        let all = [STAFF.as_slice(), &[Column::Created]].concat();
        for c in all {
            let header = format!("{} ▼", c.title());
            assert!(header.chars().count() <= usize::from(c.width()), "{header}");
        }
    }

    #[test]
    fn the_sort_cycles_through_the_shown_columns_only() {
        let shown = fitting(&STAFF, 60);
        assert!(!shown.contains(&Column::Owner));
        let mut column = Column::Id;
        let mut seen = Vec::new();
        for _ in 0..shown.len() {
            column = next(&shown, column).unwrap();
            seen.push(column);
        }
        assert!(seen.iter().all(|c| shown.contains(c)));
        assert_eq!(seen.len(), shown.len());
        assert_eq!(
            next(&shown, Column::Owner),
            Some(shown[0]),
            "hidden: back to the first"
        );
        assert_eq!(next(&[], Column::Id), None);
        assert!(
            fitting(&STAFF, 70).contains(&Column::Updated),
            "the default sort column stays at 120 columns with the preview beside the list"
        );
    }

    #[test]
    fn narrow_tables_drop_the_least_useful_columns() {
        let cols = fitting(&STAFF, 78);
        assert!(cols.contains(&Column::Subject) && cols.contains(&Column::Stage));
        assert!(!cols.contains(&Column::Inbox));
        assert_eq!(fitting(&STAFF, 400), STAFF);
        assert_eq!(fitting(&STAFF, 5), [Column::Id, Column::Subject]);
    }
}
