//! The pane's side of the first screen (see [`crate::client::glance`]): when the app quits,
//! the pane leaves the tickets it shows first and the figures it drew beside them; at the
//! next start, while the client is still loading the other tickets, it draws those figures,
//! so the first frame is the full one. A glance taken under another queue, filter or sort
//! than the pane starts with is not used: the pane says it is loading until every ticket is
//! in.

use super::Tickets;
use super::filter::Queue;
use super::rows::Sort;
use crate::client::glance::GLANCE_ROWS;
use crate::client::{Glance, View, ViewTicket};
use crate::tui::action::Action;
use serde::{Deserialize, Serialize};

/// The figures of a list as drawn: what the title and the queue bar count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Rows shown (after queue and filter).
    pub shown: usize,
    /// Every ticket in the view.
    pub total: usize,
    /// Each queue's count under the filter, in [`Queue::ALL`] order.
    pub queues: [usize; Queue::ALL.len()],
}

impl Figures {
    /// The count of `queue`.
    pub fn queue(&self, queue: Queue) -> usize {
        self.queues.get(queue.index()).copied().unwrap_or(0)
    }
}

/// The pane's note in a glance: the list it was taken from and its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Note {
    queue: Queue,
    filter: String,
    /// The sort column's header and direction.
    sort: (String, bool),
    figures: Figures,
}

impl Note {
    fn of(p: &Tickets, figures: Figures) -> Note {
        Note {
            queue: p.queue,
            filter: p.filter.text.clone(),
            sort: key(p.sort),
            figures,
        }
    }
}

/// A glance note's figures, if it was taken from the list of `queue`, `filter` and `sort`.
fn figures_for(note: &str, queue: Queue, filter: &str, sort: Sort) -> Option<Figures> {
    let note: Note = serde_json::from_str(note).ok()?;
    let same = note.queue == queue && note.filter == filter && note.sort == key(sort);
    same.then_some(note.figures)
}

/// See [`Tickets::acts_while_loading`]; `rows_shown` says whether the glance's rows are on
/// screen (moving and opening need them).
fn allowed_while_loading(action: Action, rows_shown: bool) -> bool {
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Confirm => rows_shown,
        Action::Filter
        | Action::NextQueue
        | Action::PrevQueue
        | Action::SortNext
        | Action::SortReverse
        | Action::TogglePreview => true,
        _ => false,
    }
}

fn key(sort: Sort) -> (String, bool) {
    (format!("{:?}", sort.column), sort.descending)
}

impl Tickets {
    /// The figures to draw: counted from the rows, or, while the view holds only a glance,
    /// the glance's when it was taken from this list; `None` while still loading another.
    pub(super) fn figures(&self, view: &View) -> Option<Figures> {
        let Some(glance) = view.glance() else {
            return Some(Figures {
                shown: self.rows.shown().len(),
                total: view.ticket_count(),
                queues: self.rows.counts(),
            });
        };
        if !view.glance_is_current() {
            return None;
        }
        figures_for(&glance.note, self.queue, &self.filter.text, self.sort)
    }

    /// Whether `action` may act now: while the view holds only a glance, moving over the
    /// rows on screen, the filter, queue, sort and preview do; nothing that needs the whole
    /// list (the last row, marks) or changes a ticket does.
    pub(super) fn acts_while_loading(&self, action: Action) -> bool {
        let view = self.client.view();
        if view.glance().is_none() {
            return true;
        }
        let rows_shown = self.figures(&view).is_some();
        (self.filtering && matches!(action, Action::Confirm | Action::Close))
            || allowed_while_loading(action, rows_shown)
    }

    /// The first screen to leave for the next start: the tickets of the first rows shown,
    /// in order, and their figures; `None` while the view itself is still a glance.
    pub fn take_glance(&mut self) -> Option<Glance> {
        self.refresh();
        let client = self.client.clone();
        let view = client.view();
        let figures = self.figures(&view).filter(|_| view.glance().is_none())?;
        let ids = self
            .rows
            .shown()
            .iter()
            .take(GLANCE_ROWS)
            .filter_map(|&i| view.ticket_at(i as usize).map(ViewTicket::id))
            // Pending new tickets come from the outbox, which every start loads whole.
            .filter(|id| *id > 0)
            .collect();
        let note = serde_json::to_string(&Note::of(self, figures)).ok()?;
        Some(Glance { ids, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::components::panes::tickets::columns::Column;

    const SORT: Sort = Sort {
        column: Column::Updated,
        descending: true,
    };

    fn note() -> String {
        let note = Note {
            queue: Queue::Mine,
            filter: "printer".into(),
            sort: key(SORT),
            figures: Figures {
                shown: 12,
                total: 100_000,
                queues: [1, 12, 3, 4, 5, 6],
            },
        };
        serde_json::to_string(&note).expect("a note serialises")
    }

    #[test]
    fn a_glance_is_drawn_only_for_the_list_it_was_taken_from() {
        let figures = figures_for(&note(), Queue::Mine, "printer", SORT).expect("same list");
        assert_eq!((figures.shown, figures.total), (12, 100_000));
        assert_eq!(figures.queue(Queue::Mine), 12);
        assert_eq!(figures.queue(Queue::All), 6);
        assert_eq!(figures_for(&note(), Queue::Open, "printer", SORT), None);
        assert_eq!(figures_for(&note(), Queue::Mine, "print", SORT), None);
        let ascending = Sort {
            descending: false,
            ..SORT
        };
        assert_eq!(
            figures_for(&note(), Queue::Mine, "printer", ascending),
            None
        );
        let by_id = Sort {
            column: Column::Id,
            ..SORT
        };
        assert_eq!(figures_for(&note(), Queue::Mine, "printer", by_id), None);
        assert_eq!(figures_for("{junk", Queue::Mine, "printer", SORT), None);
    }

    #[test]
    fn while_loading_only_moving_over_the_screen_and_choosing_the_list_act() {
        for action in [Action::Down, Action::PageDown, Action::Top, Action::Confirm] {
            assert!(allowed_while_loading(action, true), "{action:?}");
            assert!(
                !allowed_while_loading(action, false),
                "{action:?} with nothing shown"
            );
        }
        for action in [Action::Filter, Action::NextQueue, Action::SortNext] {
            assert!(allowed_while_loading(action, false), "{action:?}");
        }
        for action in [
            Action::Bottom,
            Action::Mark,
            Action::MarkAll,
            Action::ToggleClosed,
            Action::Assign,
            Action::AssignMe,
            Action::SetStage,
            Action::Reply,
            Action::New,
        ] {
            assert!(!allowed_while_loading(action, true), "{action:?}");
        }
    }
}
