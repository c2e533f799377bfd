//! `Rows::sync` re-sorts from the previous order; these check that the result is always the
//! same as sorting from scratch, through updates, additions and deletions.

use super::*;
use crate::client::EntityKind;
use crate::client::view::compact::Compact;
use crate::client::view::{Delta, Item};
use crate::domain::wire::{AccountOut, TicketOut, TicketRow};
use crate::domain::{Priority, Role, Source, Stage, Ticket};

fn ticket(id: i64, updated: u32, version: i64) -> Delta {
    let t = TicketOut::Staff(TicketRow {
        ticket: Ticket {
            id,
            subject: format!("Ticket {id}"),
            description: "d".into(),
            stage: Stage::New,
            priority: Priority::Medium,
            category: String::new(),
            inbox_id: 1,
            owner_id: None,
            contact_id: 7,
            company_id: None,
            source: Source::Portal,
            form_fields: Default::default(),
            tags: vec![],
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: format!(
                "2026-01-01T00:{:02}:{:02}Z",
                updated / 60 % 60,
                updated % 60
            ),
            closed_at: None,
            version,
        },
        requester_name: "Carla".into(),
        requester_email: "carla@acme.test".into(),
        company_name: None,
        owner_name: None,
        inbox_name: "Support".into(),
        message_count: 1,
    });
    Delta::Upsert(Item::Ticket(Box::new(Compact::from_ticket(&t))))
}

fn view() -> View {
    let account = AccountOut {
        id: 1,
        kind: "user".into(),
        role: Role::Agent,
        name: "Sam".into(),
        email: "sam@deskport.test".into(),
        company_id: None,
    };
    View::new(account, "http://127.0.0.1:1".into())
}

/// The ids in the order `rows` holds them.
fn ids(rows: &Rows, view: &View) -> Vec<i64> {
    rows.order
        .iter()
        .filter_map(|&i| view.ticket_at(i as usize).map(ViewTicket::id))
        .collect()
}

/// What a fresh `Rows` makes of `view`.
fn fresh(view: &View, sort: Sort) -> Vec<i64> {
    let mut rows = Rows::default();
    rows.sync(view, sort);
    ids(&rows, view)
}

#[test]
fn re_sorting_from_the_previous_order_equals_sorting_from_scratch() {
    let mut view = view();
    // Scattered update times, with ties, so both the key and the tie-break matter.
    view.apply(
        (1..=200)
            .map(|id| ticket(id, (id * 37 % 50) as u32, 1))
            .collect(),
    );
    for column in [Column::Updated, Column::Subject, Column::Id] {
        for descending in [true, false] {
            let sort = Sort { column, descending };
            let mut rows = Rows::default();
            assert!(rows.sync(&view, sort));
            assert!(!rows.sync(&view, sort), "nothing changed, nothing to do");
            let first = ids(&rows, &view);
            assert_eq!(first.len(), 200);
            assert_eq!(first, fresh(&view, sort));

            // Updates that move tickets, then fewer tickets, then more.
            let steps = [
                vec![
                    ticket(5, 3000, 2),
                    ticket(150, 0, 2),
                    ticket(201, 1500, 1),
                    Delta::Delete(EntityKind::Ticket, 77),
                ],
                vec![
                    Delta::Delete(EntityKind::Ticket, 1),
                    Delta::Delete(EntityKind::Ticket, 120),
                    ticket(9, 2, 3),
                ],
                vec![ticket(202, 7, 1), ticket(203, 3001, 1), ticket(0, 25, 1)],
            ];
            let mut v = view.clone();
            for (n, step) in steps.into_iter().enumerate() {
                v.apply(step);
                assert!(rows.sync(&v, sort));
                let again = ids(&rows, &v);
                assert_eq!(again.len(), v.ticket_count());
                assert!(!again.contains(&77));
                assert_eq!(
                    again,
                    fresh(&v, sort),
                    "{column:?} descending {descending}, step {n}"
                );
            }
        }
    }
}
