//! The conflict dialog, drawn by the real app over a real client of an in-process demo
//! server (ratatui `TestBackend`, insta snapshots at 80×24 and 120×40) and driven with keys:
//! queued conflicts are settled one by one (keep theirs, apply mine) and land on the server;
//! closing the dialog keeps them, and `!` reopens it.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::render::{app, esc, key, render_dated};
use common::{ADA, SAM, TestServer, demo_server};
use deskport::client::{Client, ClientEvent, Connection, OutboxState, Write, WriteId};
use deskport::domain::wire::StaffTicketPatch;
use deskport::domain::{Priority, Stage};
use deskport::tui::Msg;
use serde_json::json;

async fn server_ticket(ts: &TestServer, id: i64) -> serde_json::Value {
    let token = ts.demo_login(ADA).await;
    ts.get(&format!("/tickets/{id}"), &token).await.body
}

/// Makes `sam`'s change `mine` to ticket `id` (as of version `base`) run into Lin's change
/// `theirs`, made first; returns Sam's write once the client holds it as a conflict.
async fn conflict(
    ts: &TestServer,
    sam: &Client,
    (id, base): (i64, i64),
    theirs: serde_json::Value,
    mine: StaffTicketPatch,
) -> WriteId {
    let token = ts.demo_login("lin@deskport.test").await;
    let answer = ts
        .call(
            "PATCH",
            &format!("/tickets/{id}"),
            Some(&token),
            Some(theirs),
            &[("if-match", &format!("\"{base}\""))],
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let write = sam
        .submit(Write::PatchTicket {
            id,
            base_version: base,
            patch: mine,
        })
        .await
        .unwrap();
    support::until(sam, "the conflict, with their version synced", |v| {
        v.outbox
            .iter()
            .any(|e| e.id == write && matches!(e.state, OutboxState::Conflict(_)))
            && v.ticket(id).is_some_and(|t| t.version() > base)
            && v.status.connection == Connection::Online
    })
    .await;
    write
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conflict_dialog_queues_conflicts_and_settles_each() {
    let ts = demo_server(300).await;
    let dir = tempfile::tempdir().unwrap();
    let sam = support::start(
        dir.path(),
        support::session(&format!("http://{}", ts.server.addr), SAM).await,
    )
    .await;
    support::until(&sam, "first sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() > 0 && v.portal.is_some()
    })
    .await;
    let tickets: Vec<(i64, i64)> = {
        let v = sam.view();
        let mut found: Vec<(i64, i64)> = v
            .tickets()
            .filter(|t| t.stage() == Some(Stage::WaitingOnUs))
            .filter(|t| t.priority() == Priority::Medium)
            .map(|t| (t.id(), t.version()))
            .collect();
        found.sort_unstable();
        found.truncate(2);
        found
    };
    let [first, second] = tickets[..] else {
        panic!("two open medium tickets waiting on us: {tickets:?}");
    };
    let kept = conflict(
        &ts,
        &sam,
        first,
        json!({"priority": "urgent"}),
        StaffTicketPatch {
            priority: Some(Priority::Low),
            stage: Some(Stage::WaitingOnContact),
            ..Default::default()
        },
    )
    .await;
    let applied = conflict(
        &ts,
        &sam,
        second,
        json!({"priority": "low"}),
        StaffTicketPatch {
            priority: Some(Priority::High),
            ..Default::default()
        },
    )
    .await;

    let (mut app, _rx) = app(&format!("http://{}", ts.server.addr), dir.path());
    assert!(app.update(Msg::SignedIn(Ok(sam.clone()))));
    let description = format!("change to ticket #{}", first.0);
    assert!(app.update(Msg::Client(ClientEvent::Conflict {
        write: kept,
        description
    })));
    let small = render_dated(&mut app, 80, 24);
    assert!(small.contains("Conflict 1 of 2"), "{small}");
    let large = render_dated(&mut app, 120, 40);
    assert!(
        large.contains(&format!(
            "Your change to ticket #{} ran into a change made on the server by Lin Chen just now.",
            first.0
        )),
        "says who made theirs and when: {large}"
    );
    let dialog: Vec<&str> = small
        .lines()
        .skip_while(|l| !l.contains("Conflict 1 of 2"))
        .skip(1)
        .take_while(|l| !l.contains("apply mine ·"))
        .collect();
    let rows: Vec<Vec<&str>> = dialog
        .iter()
        .filter_map(|l| l.split('│').nth(2))
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .filter(|cells: &Vec<&str>| cells.len() == 3)
        .collect();
    assert_eq!(
        rows,
        [
            ["Field", "Theirs (on the server)", "Mine (your change)"],
            ["Stage", "waiting on us", "waiting on contact"],
            ["Priority", "urgent", "low"],
        ],
        "only the fields the change touches, theirs beside mine: {small}"
    );
    insta::assert_snapshot!("conflict_dialog_80x24", small);
    let large = render_dated(&mut app, 120, 40);
    insta::assert_snapshot!("conflict_dialog_120x40", large);

    // Closing keeps the conflicts: the status bar counts them, and `!` brings the dialog back.
    app.update(esc());
    let closed = render_dated(&mut app, 120, 40);
    assert!(!closed.contains("Conflict 1 of 2"), "{closed}");
    assert!(closed.contains("2 conflicts (! to settle)"), "{closed}");
    assert!(app.update(key('!')));
    assert!(render_dated(&mut app, 120, 40).contains("Conflict 1 of 2"));
    app.update(key('j'));
    let next = render_dated(&mut app, 120, 40);
    assert!(
        next.contains("Conflict 2 of 2") && next.contains(&format!("ticket #{}", second.0)),
        "{next}"
    );
    app.update(key('k'));

    // Keep theirs on the first, apply mine on the second; the dialog closes after the last.
    assert!(app.update(key('t')));
    let left = render_dated(&mut app, 120, 40);
    assert!(
        left.contains("Conflict 1 of 1") && left.contains(&format!("ticket #{}", second.0)),
        "{left}"
    );
    assert!(app.update(key('m')));
    assert!(!render_dated(&mut app, 120, 40).contains("Conflict 1 of"));
    support::until(&sam, "both settled", |v| {
        v.outbox.iter().all(|e| e.id != kept && e.id != applied)
    })
    .await;
    let theirs = server_ticket(&ts, first.0).await;
    assert_eq!(theirs["priority"], "urgent", "{theirs}");
    assert_eq!(theirs["stage"], "waiting_on_us", "{theirs}");
    let mine = server_ticket(&ts, second.0).await;
    assert_eq!(mine["priority"], "high", "{mine}");
    sam.shutdown().await;
}
