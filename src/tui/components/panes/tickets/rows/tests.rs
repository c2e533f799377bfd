//! `Rows::sync` re-sorts from the previous order; these check that the result is always the
//! same as sorting from scratch, through updates, additions and deletions.

use super::*;
use crate::client::EntityKind;
use crate::client::view::Delta;
use crate::client::view::tests::staff_ticket;
use crate::domain::Role;
use crate::domain::wire::AccountOut;

fn ticket(id: i64, updated: u32, version: i64) -> Delta {
    let updated_at = format!(
        "2026-01-01T00:{:02}:{:02}Z",
        updated / 60 % 60,
        updated % 60
    );
    staff_ticket(id, &updated_at, version)
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

#[test]
fn the_key_prefix_sorts_like_the_column_for_every_column() {
    let mut view = view();
    view.apply(
        (1..=120)
            .map(|id| ticket(id, (id * 37 % 50) as u32, 1))
            .collect(),
    );
    let all = [
        Column::Id,
        Column::Subject,
        Column::Requester,
        Column::Company,
        Column::Stage,
        Column::Priority,
        Column::Owner,
        Column::Inbox,
        Column::Created,
        Column::Updated,
    ];
    for column in all {
        for descending in [true, false] {
            let mut reference: Vec<(&ViewTicket, u32)> =
                (0u32..).zip(view.tickets()).map(|(i, t)| (t, i)).collect();
            reference.sort_by(|(x, a), (y, b)| {
                let o = column.compare(x, y).then_with(|| a.cmp(b).reverse());
                if descending { o.reverse() } else { o }
            });
            let reference: Vec<i64> = reference.iter().map(|(t, _)| t.id()).collect();
            assert_eq!(
                fresh(&view, Sort { column, descending }),
                reference,
                "{column:?} descending {descending}"
            );
        }
    }
}

#[test]
fn the_text_buffer_holds_what_the_filter_searched_before() {
    let mut view = view();
    view.apply(vec![ticket(3, 1, 1), ticket(4, 2, 1)]);
    let texts = Texts::of(view.tickets(), 2);
    for (at, t) in view.tickets().enumerate() {
        let got = texts.get(at);
        let text = format!("#{} {} {}", t.id(), t.subject(), t.requester()).to_lowercase();
        assert_eq!(got.text(), text);
        assert_eq!(got.company(), "");
        assert_eq!(got.owner_name(), "");
        assert_eq!(got.inbox(), "support");
        assert_eq!(got.status(), "", "staff tickets have a stage");
    }
    assert_eq!(texts.get(2).text(), "", "no such ticket");
}

#[test]
fn a_text_query_filters_over_the_buffer_and_counts_queues() {
    let mut view = view();
    view.apply((1..=30).map(|id| ticket(id, id as u32, 1)).collect());
    let mut rows = Rows::default();
    let sort = Sort {
        column: Column::Id,
        descending: false,
    };
    rows.sync(&view, sort);
    rows.filter(&view, Queue::All, &Query::parse("ticket 2"), 1, None);
    let ids: Vec<i64> = rows
        .shown()
        .iter()
        .filter_map(|&i| view.ticket_at(i as usize).map(ViewTicket::id))
        .collect();
    assert_eq!(ids, [2, 12, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    assert_eq!(rows.counts()[Queue::Unassigned.index()], 12);
    rows.filter(&view, Queue::All, &Query::parse("ticket 2 carla"), 1, None);
    assert_eq!(rows.shown().len(), 12, "narrowed from the earlier matches");
    rows.filter(&view, Queue::All, &Query::parse(""), 1, None);
    assert_eq!(rows.shown().len(), 30);
}

#[test]
fn the_first_sort_places_the_first_screen_and_the_next_refresh_the_rest() {
    let mut view = view();
    let n = FIRST as i64 + 1500;
    view.apply(
        (1..=n)
            .map(|id| ticket(id, (id * 7919 % 3600) as u32, 1))
            .collect(),
    );
    let sort = Sort {
        column: Column::Updated,
        descending: true,
    };
    let mut full = Rows::default();
    full.sync(&view, sort);
    assert!(
        full.sync(&view, sort),
        "the rest is sorted on the next call"
    );
    assert!(!full.sync(&view, sort));
    let reference = ids(&full, &view);
    assert_eq!(reference.len(), n as usize);

    let mut rows = Rows::default();
    rows.sync(&view, sort);
    rows.filter(&view, Queue::All, &Query::default(), 1, None);
    assert_eq!(
        rows.shown().len(),
        n as usize,
        "every ticket is counted at once"
    );
    let first: Vec<i64> = rows.shown()[..SCREEN]
        .iter()
        .filter_map(|&i| view.ticket_at(i as usize).map(ViewTicket::id))
        .collect();
    assert_eq!(
        first,
        reference[..SCREEN],
        "the first screen is already in order"
    );
    assert!(rows.sync(&view, sort));
    assert_eq!(ids(&rows, &view), reference);

    // A filter that matches a ticket beyond the sorted ones finishes the sort first.
    let last = reference[n as usize - 1];
    let mut rare = Rows::default();
    rare.sync(&view, sort);
    rare.filter(
        &view,
        Queue::All,
        &Query::parse(&format!("#{last}")),
        1,
        None,
    );
    assert_eq!(rare.shown().len(), 1);
    assert!(!rare.sync(&view, sort), "already finished");
    assert_eq!(ids(&rare, &view), reference);
}
