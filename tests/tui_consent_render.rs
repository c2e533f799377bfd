//! The consent notice, drawn by the real app over a real customer client of an in-process
//! demo server (ratatui `TestBackend`, insta snapshots at 80×24 and 120×40): a changed notice
//! holds the customer at it (text cleaned, wrapped, scrollable); accepting lets them in;
//! declining signs out on the server and here.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::render::{app, app_on, key, next, render_dated};
use common::{ADA, CARLA, demo_server};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientEvent, Connection};
use deskport::tui::app::App;
use deskport::tui::{Msg, Server};
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Signs `client` in to `app`; once its sync is refused and the app is told, the app asks the
/// server why and holds the customer at the consent notice.
async fn held_at_consent(app: &mut App, rx: &mut mpsc::UnboundedReceiver<Msg>, client: &Client) {
    assert!(app.update(Msg::SignedIn(Ok(client.clone()))));
    support::until(client, "the refused sync", |v| {
        v.status.last_error.is_some()
    })
    .await;
    let status = client.view().status.clone();
    app.update(Msg::Client(ClientEvent::Status(status)));
    let gate = next(rx, |m| matches!(m, Msg::Consent(_))).await;
    assert!(app.update(gate));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_consent_notice_holds_the_customer_until_accepted() {
    let ts = demo_server(300).await;
    let admin = ts.demo_login(ADA).await;
    let text = "We keep your tickets and messages to answer them.\u{1b}]0;pwned\u{7}\n\n\
        By using this portal you agree that Acme Support may store the details you send \
        us for as long as your account is open. You can ask us to delete them at any time.\n\n\
        What we keep: your name, your email address, the company you work for, the tickets \
        you open and every message in them, and the files you attach.\n\n\
        Who sees it: the support team of Acme, and colleagues of yours when the portal \
        shares tickets within your company.\n\n\
        How long: until you close your account, and then thirty days more for backups.\n\n\
        Questions: write to privacy@acme.test.";
    ts.set_portal(
        &admin,
        json!({"consent": {"enabled": true, "required": true, "text": text}}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let carla = support::start(
        dir.path(),
        support::session(&format!("http://{}", ts.server.addr), CARLA).await,
    )
    .await;
    let (mut app, mut rx) = app(&format!("http://{}", ts.server.addr), dir.path());
    held_at_consent(&mut app, &mut rx, &carla).await;
    let small = render_dated(&mut app, 80, 24);
    assert!(small.contains("Consent notice"), "{small}");
    assert!(
        !small.contains("pwned"),
        "control sequences are stripped: {small}"
    );
    insta::assert_snapshot!("consent_notice_80x24", small);
    assert!(small.contains("more below"), "{small}");
    assert!(app.update(Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::PageDown,
        KeyModifiers::NONE
    )))));
    let scrolled = render_dated(&mut app, 80, 24);
    assert!(
        scrolled.contains("privacy@acme.test") && !scrolled.contains("We keep your tickets"),
        "{scrolled}"
    );
    insta::assert_snapshot!("consent_notice_120x40", render_dated(&mut app, 120, 40));

    // Accepting records it and lets Carla in to her tickets.
    assert!(app.update(key('a')));
    let signed_in = next(&mut rx, |m| matches!(m, Msg::SignedIn(Ok(_)))).await;
    assert!(app.update(signed_in));
    support::until(&carla, "her tickets", |v| {
        v.status.connection == Connection::Online && v.ticket_count() > 0
    })
    .await;
    let screen = render_dated(&mut app, 120, 40);
    assert!(
        screen.contains("Tickets") && !screen.contains("Consent notice"),
        "{screen}"
    );
    let me = ts.get("/me", &ts.demo_login(CARLA).await).await.body;
    assert_eq!(me["consent_required"], false, "{me}");
    carla.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_the_notice_signs_out_on_the_server_and_here() {
    let ts = demo_server(300).await;
    let admin = ts.demo_login(ADA).await;
    let notice = json!({"consent": {"enabled": true, "required": true, "text": "New terms."}});
    ts.set_portal(&admin, notice).await;
    let url = format!("http://{}", ts.server.addr);
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("config");
    let session = support::session(&url, CARLA).await;
    session.save(&config_dir).unwrap();
    let token = session.token.clone();
    let carla = support::start(dir.path(), session).await;
    let (mut app, mut rx) = app_on(Server::Remote { url: url.clone() }, dir.path());
    held_at_consent(&mut app, &mut rx, &carla).await;
    assert!(render_dated(&mut app, 80, 24).contains("New terms."));

    assert!(app.update(key('d')));
    let screen = render_dated(&mut app, 80, 24);
    assert!(
        screen.contains("You declined the consent notice") && screen.contains("carla@acme.test"),
        "back at the sign-in form, saying why: {screen}"
    );
    assert!(
        deskport::client::Session::load(&config_dir)
            .unwrap()
            .is_none(),
        "the remembered session is forgotten"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while ts.get("/me", &token).await.status != 401 {
        assert!(
            Instant::now() < deadline,
            "the session still works on the server"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let me = ts.get("/me", &ts.demo_login(CARLA).await).await.body;
    assert_eq!(
        me["consent_required"], true,
        "declining records nothing: {me}"
    );
}
