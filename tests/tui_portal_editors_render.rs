//! The Portal pane's editors drawn headless on the demo server: Ticket view, Consent notice
//! and Support form, each with its live preview (snapshots at 80×24 and 120×40), saved with
//! `If-Match`, and a conflict with someone else's change settled by saving over it.

mod common;

use common::render::*;
use crossterm::event::KeyCode;
use deskport::domain::portal::PortalSettings;
use deskport::domain::ticket::Stage;
use deskport::domain::wire::PortalFor;
use deskport::server::demo::DEMO_PASSWORD;
use deskport::tui::app::App;
use std::time::{Duration, Instant};

/// The server's portal settings once `done` holds for them.
async fn server_settings(
    app: &mut App,
    what: &str,
    done: impl Fn(&PortalSettings) -> bool,
) -> PortalSettings {
    let client = app.client().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let PortalFor::Staff(p) = client.api().portal().await.unwrap().body
            && done(&p.settings)
        {
            return p.settings;
        }
        assert!(Instant::now() < deadline, "{what} never reached the server");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_edit_the_ticket_view_consent_notice_and_support_form() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, "ada@deskport.test", DEMO_PASSWORD, dir.path()).await;
    app.update(key(KeyCode::Char('3')));
    wait_for(&mut app, "[General]").await;
    let pages = [key(KeyCode::PageDown), key(KeyCode::PageDown)];
    send(&mut app, pages);
    send(&mut app, [key(KeyCode::PageDown)]);
    let view = wait_for(&mut app, "Preview: a customer's list").await;
    insta::assert_snapshot!("settings_ticket_view_80x24", view);
    insta::assert_snapshot!(
        "settings_ticket_view_120x40",
        render_hashed(&mut app, 120, 40)
    );

    send(
        &mut app,
        [
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Char('K')),
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Down),
        ],
    );
    edit(&mut app, "Received");
    send(&mut app, (0..4).map(|_| key(KeyCode::Down)));
    send(&mut app, [key(KeyCode::Char(' '))]);
    let edited = render_hashed(&mut app, 120, 40);
    assert!(
        edited.contains("* modified")
            && edited.contains("Received")
            && !edited.contains("Change of billing"),
        "the preview follows the edits:\n{edited}"
    );
    insta::assert_snapshot!("settings_ticket_view_edited_120x40", edited);
    send(&mut app, [ctrl('s')]);
    let s = server_settings(&mut app, "the ticket view", |s| !s.ticket_view.show_closed).await;
    let columns = serde_json::to_value(&s.ticket_view.columns).unwrap();
    assert_eq!(
        columns,
        serde_json::json!(["subject", "status", "updated", "priority"])
    );
    assert_eq!(s.ticket_view.label(Stage::New), "Received");
    wait_for(&mut app, "Saved Ticket view.").await;
    settled(&mut app).await;

    send(&mut app, [key(KeyCode::PageDown)]);
    let consent = wait_for(&mut app, "Preview: the notice").await;
    assert!(
        consent.contains("asks every customer to accept it again"),
        "{consent}"
    );
    insta::assert_snapshot!("settings_consent_80x24", consent);
    insta::assert_snapshot!("settings_consent_120x40", render_hashed(&mut app, 120, 40));
    let version = s.consent.version;
    send(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    send(&mut app, [key(KeyCode::Enter)]);
    typed(&mut app, "Please read.");
    send(&mut app, [key(KeyCode::Enter)]);
    typed(&mut app, "q?1");
    let editing = render_hashed(&mut app, 80, 24);
    assert!(
        editing.contains("Tab keeps") && editing.contains("q?1"),
        "Enter breaks the line and typed keys are text:\n{editing}"
    );
    insta::assert_snapshot!("settings_consent_editing_80x24", editing);
    send(&mut app, [key(KeyCode::Tab), ctrl('s')]);
    let s = server_settings(&mut app, "the consent text", |s| {
        s.consent.text.ends_with(".\nPlease read.\nq?1")
    })
    .await;
    assert_eq!(s.consent.version, version + 1, "everyone is asked again");
    wait_for(&mut app, "Saved Consent.").await;
    settled(&mut app).await;

    send(&mut app, [key(KeyCode::PageDown)]);
    let form = wait_for(&mut app, "Preview: the support form").await;
    insta::assert_snapshot!("settings_support_form_80x24", form);
    insta::assert_snapshot!(
        "settings_support_form_120x40",
        render_hashed(&mut app, 120, 40)
    );
    send(&mut app, [key(KeyCode::Char('n')), key(KeyCode::Down)]);
    edit(&mut app, "Product");
    send(
        &mut app,
        [
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
        ],
    );
    edit(&mut app, "Widget, Gadget");
    send(&mut app, (0..5).map(|_| key(KeyCode::Up)));
    send(&mut app, [key(KeyCode::Char('K'))]);
    send(&mut app, (0..6).map(|_| key(KeyCode::Up)));
    send(&mut app, [key(KeyCode::Char('d'))]);
    let edited = render_hashed(&mut app, 120, 40);
    assert!(
        edited.contains("Product *") && edited.contains("‹ Widget | Gadget ›"),
        "{edited}"
    );
    let private_rows: Vec<&str> = edited
        .lines()
        .filter(|l| l.contains("    private "))
        .collect();
    assert!(
        private_rows.len() == 3
            && private_rows[1].contains("[x] on")
            && private_rows[2].contains("[x] on")
            && edited.contains("requester and staff only"),
        "each field shows its private flag, the new one turned on, the phone one private \
         by default:\n{edited}"
    );
    insta::assert_snapshot!("settings_support_form_edited_120x40", edited);

    let current = s.version;
    let behind = deskport::domain::portal::PortalPatch {
        name: Some("Renamed elsewhere".into()),
        ..Default::default()
    };
    app.client()
        .unwrap()
        .api()
        .patch_portal(current, &behind, None)
        .await
        .unwrap();
    send(&mut app, [ctrl('s')]);
    wait_for(
        &mut app,
        "Conflict: someone else changed the portal settings",
    )
    .await;
    send(&mut app, [ctrl('s')]);
    let s = server_settings(&mut app, "the support form", |s| {
        s.support_form.fields.iter().any(|f| f.key == "field_1")
    })
    .await;
    wait_for(&mut app, "Saved Support form.").await;
    let keys: Vec<&str> = s
        .support_form
        .fields
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(keys, ["category", "field_1", "contact_phone"]);
    let product = &s.support_form.fields[1];
    assert_eq!(
        (
            product.label.as_str(),
            product.required,
            product.private,
            product.options.clone()
        ),
        (
            "Product",
            true,
            true,
            vec!["Widget".to_string(), "Gadget".to_string()]
        )
    );
    assert!(
        s.support_form.fields[2].private,
        "the phone field stays private"
    );
    assert_eq!(
        s.name, "Renamed elsewhere",
        "saving over keeps their other change"
    );
    app.client().unwrap().shutdown().await;
}
