//! A customer's ticket list as the portal's ticket view lays it out: its columns in order,
//! its stage labels and its default sort. The Ticket view preview draws sample tickets with it
//! and "view as contact" a real contact's tickets, so both show what customers get.

use crate::domain::portal::{CustomerColumn, TicketView};
use crate::domain::text::strip_control;
use crate::domain::ticket::Priority;
use crate::domain::wire::CustomerTicket;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::wire_name;
use ratatui::text::Line;
use std::cmp::Ordering;

/// One ticket as a customer's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    /// Ticket number.
    pub id: i64,
    pub subject: String,
    /// The portal's label for the ticket's stage.
    pub status: String,
    pub priority: Priority,
    /// Requester's name.
    pub requester: String,
    /// When it was opened (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

impl CustomerRow {
    /// The row of a ticket as the server gives it to a customer (its label already applied).
    pub fn from_ticket(t: &CustomerTicket) -> Self {
        CustomerRow {
            id: t.id,
            subject: strip_control(&t.subject).replace('\n', " "),
            status: strip_control(&t.status_label),
            priority: t.priority,
            requester: strip_control(&t.requester_name),
            created_at: t.created_at.clone(),
            updated_at: t.updated_at.clone(),
        }
    }

    fn cell(&self, c: CustomerColumn) -> String {
        match c {
            CustomerColumn::Id => format!("#{}", self.id),
            CustomerColumn::Subject => self.subject.clone(),
            CustomerColumn::Status => self.status.clone(),
            CustomerColumn::Priority => self.priority.as_str().to_string(),
            CustomerColumn::Requester => self.requester.clone(),
            CustomerColumn::Created => self.created_at.chars().take(10).collect(),
            CustomerColumn::Updated => self.updated_at.chars().take(10).collect(),
        }
    }

    fn compare(&self, other: &Self, c: CustomerColumn) -> Ordering {
        match c {
            CustomerColumn::Id => self.id.cmp(&other.id),
            CustomerColumn::Subject => self.subject.cmp(&other.subject),
            CustomerColumn::Status => self.status.cmp(&other.status),
            CustomerColumn::Priority => self.priority.cmp(&other.priority),
            CustomerColumn::Requester => self.requester.cmp(&other.requester),
            CustomerColumn::Created => self.created_at.cmp(&other.created_at),
            CustomerColumn::Updated => self.updated_at.cmp(&other.updated_at),
        }
    }
}

/// Sorts `rows` by the view's default sort, ties by ticket number in the same direction (as
/// the customer's Tickets pane does).
pub fn sort(rows: &mut [CustomerRow], view: &TicketView) {
    let by = view.default_sort.column;
    rows.sort_by(|a, b| {
        let o = a.compare(b, by).then_with(|| a.id.cmp(&b.id));
        if view.default_sort.descending {
            o.reverse()
        } else {
            o
        }
    });
}

/// How wide a column is; the subject takes what the others leave of `room` (at least 8).
fn width(c: CustomerColumn, columns: &[CustomerColumn], room: usize) -> usize {
    let fixed = |c: CustomerColumn| match c {
        CustomerColumn::Id => 5,
        CustomerColumn::Status => 14,
        CustomerColumn::Priority => 8,
        CustomerColumn::Requester => 11,
        CustomerColumn::Created | CustomerColumn::Updated => 10,
        CustomerColumn::Subject => 0,
    };
    if c != CustomerColumn::Subject {
        return fixed(c);
    }
    let others: usize = columns.iter().map(|c| fixed(*c) + 1).sum();
    room.saturating_sub(others).clamp(8, 40)
}

/// `text` padded or cut (with an ellipsis) to `width` characters.
pub fn fit(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        format!("{text:<width$}")
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn row(view: &TicketView, room: usize, cell: impl Fn(CustomerColumn) -> String) -> String {
    let cells: Vec<String> = view
        .columns
        .iter()
        .map(|c| fit(&cell(*c), width(*c, &view.columns, room)))
        .collect();
    fit(cells.join(" ").trim_end(), room).trim_end().to_string()
}

/// The header line of the view's columns, `room` characters wide.
pub fn header(view: &TicketView, room: usize, ctx: DrawCtx<'_>) -> Line<'static> {
    Line::styled(row(view, room, |c| wire_name(&c)), ctx.theme.title)
}

/// The lines of `rows` in the view's columns, `room` characters wide.
pub fn lines(rows: &[CustomerRow], view: &TicketView, room: usize) -> Vec<Line<'static>> {
    rows.iter()
        .map(|t| Line::raw(row(view, room, |c| t.cell(c))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::portal::SortOrder;

    fn ticket(id: i64, priority: Priority, updated: &str) -> CustomerRow {
        CustomerRow {
            id,
            subject: format!("Ticket {id}"),
            status: "Open".into(),
            priority,
            requester: "Carla".into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            updated_at: updated.into(),
        }
    }

    #[test]
    fn rows_follow_the_default_sort_and_the_columns_in_order() {
        let mut view = TicketView {
            columns: vec![CustomerColumn::Priority, CustomerColumn::Id],
            ..TicketView::default()
        };
        view.default_sort = SortOrder {
            column: CustomerColumn::Priority,
            descending: true,
        };
        let mut rows = vec![
            ticket(1, Priority::Low, "2026-11-03"),
            ticket(2, Priority::Urgent, "2026-11-01"),
            ticket(3, Priority::Medium, "2026-11-02"),
        ];
        sort(&mut rows, &view);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [2, 3, 1]);
        let text: Vec<String> = lines(&rows, &view, 40)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(text[0], "urgent   #2");
        view.default_sort = SortOrder {
            column: CustomerColumn::Updated,
            descending: true,
        };
        sort(&mut rows, &view);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 3, 2]);
    }
}
