//! In-process tests of the Routing pane's writes: the real app over a real client of a demo
//! server of each test's own (they change its data), keys sent as messages, and the server
//! asked afterwards — deleting inboxes (the refusals with their reasons, moving the tickets of
//! an inbox before deleting it), moving and toggling rules, the portal's default inbox,
//! renaming an inbox and changing its members.

mod common;

use common::render::{Wired, ctrl, key, render, settle, typed};
use crossterm::event::KeyCode;
use deskport::tui::app::App;

/// An admin app on the Routing tab of a demo server of its own (these tests change the data),
/// with the inbox counts loaded.
async fn own_routing(dir: &std::path::Path) -> (deskport::server::RunningServer, Wired<App>) {
    let (server, url) = common::render::serve(dir, true).await;
    let mut app = common::render::signed_in(
        &url,
        "ada@deskport.test",
        deskport::server::demo::DEMO_PASSWORD,
        dir,
    )
    .await;
    app.update(key(KeyCode::Char('2')));
    settle(&mut app, 120, 40, "open, ").await;
    (server, app)
}

/// The server's inboxes, by name, with their members.
async fn server_inboxes(app: &App) -> Vec<(i64, String, Vec<i64>)> {
    let api = app.client().unwrap().api();
    let list = api.inboxes().await.unwrap();
    list.into_iter()
        .map(|i| (i.inbox.id, i.inbox.name, i.inbox.members))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_inboxes_gives_reasons_and_moves_tickets_before_deleting() {
    use deskport::domain::wire::{BulkRequest, StaffTicketPatch, TicketOut};
    let dir = tempfile::tempdir().unwrap();
    let (_server, mut app) = own_routing(dir.path()).await;
    app.update(key(KeyCode::Char('d')));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("cannot delete \"Support\": it is the portal's default inbox; make another inbox the default first (D)"),
        "{screen}"
    );
    typed(&mut app, "jd");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains(
            "cannot delete \"Billing\": routing rule \"Invoices to Billing\" sends tickets to it"
        ),
        "{screen}"
    );

    // A new inbox, and three tickets moved into it behind the pane's back.
    typed(&mut app, "n");
    typed(&mut app, "Sales EU");
    app.update(ctrl('s'));
    settle(&mut app, 120, 40, "created inbox \"Sales EU\"").await;
    let sales = server_inboxes(&app)
        .await
        .into_iter()
        .find(|(_, name, _)| name == "Sales EU")
        .unwrap()
        .0;
    let client = app.client().unwrap().clone();
    let ids: Vec<i64> = client
        .view()
        .tickets()
        .filter(|t| !t.is_closed())
        .take(3)
        .map(|t| t.id())
        .collect();
    let to_sales = BulkRequest {
        ids: ids.clone(),
        patch: StaffTicketPatch {
            inbox_id: Some(sales),
            ..StaffTicketPatch::default()
        },
    };
    client.api().bulk(&to_sales, None).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while client
        .view()
        .tickets()
        .filter(|t| t.inbox_id() == Some(sales))
        .count()
        < 3
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the move never synced"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    settle(&mut app, 120, 40, "Sales EU · 3 open").await;

    typed(&mut app, "gjjd");
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Inbox \"Sales EU\" holds 3 tickets: move them to ‹Support›"),
        "{screen}"
    );
    insta::assert_snapshot!("admin_move_offer_80x24", screen);
    app.update(key(KeyCode::Right));
    assert!(render(&mut app, 120, 40).contains("move them to ‹Billing›"));
    app.update(key(KeyCode::Char('y')));
    let screen = settle(
        &mut app,
        120,
        40,
        "moved 3 tickets to \"Billing\" and deleted inbox \"Sales EU\"",
    )
    .await;
    assert!(!screen.contains("Sales EU ·"), "{screen}");
    assert!(
        server_inboxes(&app)
            .await
            .iter()
            .all(|(_, name, _)| name != "Sales EU"),
        "the inbox is gone from the server"
    );
    for id in ids {
        let ticket = client.api().ticket(id).await.unwrap().body.ticket;
        let TicketOut::Staff(row) = ticket else {
            panic!("a staff view of #{id}");
        };
        assert_eq!(row.ticket.inbox_id, 2, "#{id} moved to Billing");
    }
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_move_and_toggle_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, mut app) = own_routing(dir.path()).await;
    let client = app.client().unwrap().clone();
    let names = || async {
        let rules = client.api().rules().await.unwrap();
        rules
            .into_iter()
            .map(|r| (r.name, r.enabled))
            .collect::<Vec<_>>()
    };
    typed(&mut app, "jj");
    assert!(
        render(&mut app, 120, 40).contains("▶  1. [on ] Invoices to Billing"),
        "two keys from the first inbox to the first rule"
    );
    typed(&mut app, "J");
    settle(
        &mut app,
        120,
        40,
        "moved rule \"Invoices to Billing\" down to #2",
    )
    .await;
    assert_eq!(names().await[1].0, "Invoices to Billing");
    let screen = settle(&mut app, 120, 40, "▶  2. [on ] Invoices to Billing").await;
    assert!(
        screen.contains(" 1. [on ] Billing form category"),
        "{screen}"
    );
    typed(&mut app, "K");
    settle(
        &mut app,
        120,
        40,
        "moved rule \"Invoices to Billing\" up to #1",
    )
    .await;
    assert_eq!(names().await[0].0, "Invoices to Billing");
    typed(&mut app, " ");
    settle(&mut app, 120, 40, "disabled rule \"Invoices to Billing\"").await;
    assert_eq!(names().await[0], ("Invoices to Billing".to_string(), false));
    settle(&mut app, 120, 40, "▶  1. [off] Invoices to Billing").await;
    typed(&mut app, " ");
    settle(&mut app, 120, 40, "enabled rule \"Invoices to Billing\"").await;
    assert!(names().await[0].1, "enabled again");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inbox_becomes_the_default_is_renamed_and_gains_a_member() {
    use deskport::domain::wire::PortalFor;
    let dir = tempfile::tempdir().unwrap();
    let (_server, mut app) = own_routing(dir.path()).await;
    let client = app.client().unwrap().clone();
    let default_inbox = || async {
        match client.api().portal().await.unwrap().body {
            PortalFor::Staff(p) => p.settings.default_inbox_id,
            PortalFor::Public(_) => None,
        }
    };
    assert_eq!(default_inbox().await, Some(1));
    typed(&mut app, "D");
    assert!(
        render(&mut app, 120, 40).contains("\"Support\" is already the portal's default inbox")
    );
    typed(&mut app, "jD");
    settle(
        &mut app,
        120,
        40,
        "\"Billing\" is now the portal's default inbox",
    )
    .await;
    assert_eq!(default_inbox().await, Some(2));
    settle(&mut app, 120, 40, "Billing (portal default)").await;

    typed(&mut app, "e");
    app.update(ctrl('u'));
    typed(&mut app, "Billing EU");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("▶ Member: Ada"), "{screen}");
    app.update(key(KeyCode::Char(' ')));
    app.update(ctrl('s'));
    settle(&mut app, 120, 40, "saved inbox \"Billing EU\"").await;
    let billing = server_inboxes(&app)
        .await
        .into_iter()
        .find(|(id, _, _)| *id == 2)
        .unwrap();
    assert_eq!(
        (billing.1.as_str(), billing.2),
        ("Billing EU", vec![2, 3, 1]),
        "renamed, Ada added after the members it had"
    );
    client.shutdown().await;
}
