//! The Portal pane's setup wizard drawn headless on a fresh server, step by step: snapshots
//! of each step at 80×24 and 120×40, the checks before moving on, text rows edited only after
//! Enter, several filter conditions, and one save at the end.

mod common;

use common::render::*;
use crossterm::event::KeyCode;
use deskport::domain::wire::PortalFor;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_on_a_fresh_server_checks_each_step_and_saves_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), false).await;
    let mut app = signed_in(&url, ADMIN, ADMIN_PASSWORD, dir.path()).await;
    app.update(key(KeyCode::Char('3')));
    let step1 = wait_for(&mut app, "step 1 of 4").await;
    insta::assert_snapshot!("wizard_name_80x24", step1);
    insta::assert_snapshot!("wizard_name_120x40", render_hashed(&mut app, 120, 40));
    typed(&mut app, "?");
    assert!(
        render_hashed(&mut app, 80, 24).contains("Help: "),
        "global keys work while no text is being edited"
    );
    send(&mut app, [key(KeyCode::Esc)]);
    edit(&mut app, "");
    send(&mut app, [key(KeyCode::PageDown)]);
    assert!(
        render_hashed(&mut app, 80, 24).contains("Name must be 1–80 characters"),
        "an empty name is refused"
    );
    send(&mut app, [key(KeyCode::Enter)]);
    typed(&mut app, "Acme Help 1?q");
    send(&mut app, [key(KeyCode::Esc)]);
    assert!(
        !render_hashed(&mut app, 80, 24).contains("Acme Help"),
        "Esc cancels the edit"
    );
    send(&mut app, [key(KeyCode::Enter)]);
    typed(&mut app, "Acme Help");
    send(&mut app, [key(KeyCode::Tab), key(KeyCode::PageDown)]);
    let step2 = render_hashed(&mut app, 80, 24);
    assert!(
        step2.contains("no registration emails are sent"),
        "the only domain is a system domain:\n{step2}"
    );
    insta::assert_snapshot!("wizard_domain_80x24", step2);
    insta::assert_snapshot!("wizard_domain_120x40", render_hashed(&mut app, 120, 40));
    send(&mut app, [key(KeyCode::Down)]);
    edit(&mut app, "Bad Slug");
    send(&mut app, [key(KeyCode::PageDown)]);
    assert!(
        render_hashed(&mut app, 80, 24).contains("Slug must be 1–64"),
        "an invalid slug is refused"
    );
    edit(&mut app, "acme-help");
    send(&mut app, [key(KeyCode::Down)]);
    edit(&mut app, "not a host");
    assert!(
        render_hashed(&mut app, 80, 24).contains("Domain not added: the host must be a host name")
    );
    edit(&mut app, "help.acme.test");
    wait_for(&mut app, "Connected help.acme.test").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.client().unwrap().view().domains.len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the new domain never reached the view"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    render_hashed(&mut app, 80, 24);
    send(
        &mut app,
        [
            key(KeyCode::Up),
            key(KeyCode::Up),
            key(KeyCode::Up),
            key(KeyCode::Char(' ')),
        ],
    );
    let live = render_hashed(&mut app, 80, 24);
    assert!(
        live.contains("https://help.acme.test/acme-help") && !live.contains("Warning"),
        "{live}"
    );
    send(&mut app, [key(KeyCode::PageDown), key(KeyCode::PageDown)]);
    assert!(
        render_hashed(&mut app, 80, 24)
            .contains("Choose the default inbox: a configured portal needs one."),
        "a default inbox is required, in words"
    );
    send(&mut app, [key(KeyCode::Char(' '))]);
    assert!(
        !render_hashed(&mut app, 80, 24).contains("Choose the default inbox"),
        "picking an inbox clears the message"
    );
    send(
        &mut app,
        [
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Char(' ')),
        ],
    );
    send(&mut app, [key(KeyCode::Down)]);
    edit(&mut app, "plan");
    send(
        &mut app,
        [
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
        ],
    );
    edit(&mut app, "gold, platinum");
    send(&mut app, [key(KeyCode::Char('n'))]);
    edit(&mut app, "region");
    send(&mut app, [key(KeyCode::Down), key(KeyCode::Down)]);
    edit(&mut app, "EU");
    send(&mut app, [key(KeyCode::Char('n'))]);
    edit(&mut app, "dropped");
    send(&mut app, [key(KeyCode::Char('d'))]);
    insta::assert_snapshot!("wizard_tickets_80x24", render_hashed(&mut app, 80, 24));
    insta::assert_snapshot!("wizard_tickets_120x40", render_hashed(&mut app, 120, 40));
    send(&mut app, [key(KeyCode::PageDown)]);
    send(
        &mut app,
        [
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
        ],
    );
    send(&mut app, [key(KeyCode::Down), key(KeyCode::Char(' '))]);
    insta::assert_snapshot!("wizard_access_80x24", render_hashed(&mut app, 80, 24));
    insta::assert_snapshot!("wizard_access_120x40", render_hashed(&mut app, 120, 40));
    send(&mut app, [ctrl('s')]);
    wait_for(&mut app, "[General]").await;
    wait_for(&mut app, "Portal set up: settings saved.").await;
    send(&mut app, [key(KeyCode::PageDown), key(KeyCode::PageDown)]);
    let access = wait_for(&mut app, "[Access]").await;
    assert!(access.contains("No contacts yet."), "{access}");
    let client = app.client().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(30);
    let portal = loop {
        if let PortalFor::Staff(p) = client.api().portal().await.unwrap().body
            && p.settings.configured
        {
            break p;
        }
        assert!(
            Instant::now() < deadline,
            "the portal never became configured"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let s = &portal.settings;
    assert_eq!(
        (s.name.as_str(), s.domain.as_str(), s.slug.as_str()),
        ("Acme Help", "help.acme.test", "acme-help")
    );
    assert_eq!(portal.portal_url, "https://help.acme.test/acme-help");
    assert!(s.default_inbox_id.is_some());
    let perm = serde_json::to_value(&s.ticket_permission).unwrap();
    assert_eq!(
        perm,
        serde_json::json!({"mode": "contact_filter", "filter": [
            {"property": "plan", "op": "in", "value": ["gold", "platinum"]},
            {"property": "region", "op": "equals", "value": "EU"}
        ]})
    );
    let access = serde_json::to_value(&s.access).unwrap();
    assert_eq!(
        access,
        serde_json::json!({"mode": "self_registration", "passwordless": true, "idle_timeout_minutes": 1440})
    );
    assert_eq!(s.version, 2, "one PATCH saved everything");
    client.shutdown().await;
}
