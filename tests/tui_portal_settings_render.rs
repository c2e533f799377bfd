//! The Portal pane's settings sections drawn headless on the demo server: snapshots of the
//! General, Tickets, Access and Overview sections at 80×24 and 120×40; admins edit, save with
//! `If-Match` and invite contacts while a customer's client sees the new permission mode;
//! agents change nothing in any section; the overview shows admins the SSH address and host key.

mod common;

use common::render::*;
use crossterm::event::KeyCode;
use deskport::client::{Client, ClientConfig, login};
use deskport::domain::wire::{PortalFor, SshAccess};
use deskport::server::demo::DEMO_PASSWORD;
use deskport::tui::app::App;
use std::time::{Duration, Instant};

/// Moves from the first row of the Access section (where switching sections leaves it) to the first contact never invited.
fn select_uninvited(app: &mut App, skip: usize) -> String {
    let (index, email) = {
        let view = app.client().unwrap().view();
        let (i, c) = view
            .contacts
            .values()
            .enumerate()
            .filter(|(_, c)| c.registration == deskport::domain::Registration::None)
            .nth(skip)
            .unwrap();
        (i, c.email.clone())
    };
    for _ in 0..3 + index {
        app.update(key(KeyCode::Down));
    }
    email
}

/// Waits until the app's client holds the portal settings.
async fn portal_synced(app: &App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.client().unwrap().view().portal.is_none() {
        assert!(
            Instant::now() < deadline,
            "the portal settings never synced"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_edit_sections_invite_contacts_and_customers_see_the_new_mode() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, "ada@deskport.test", DEMO_PASSWORD, dir.path()).await;
    let carla = Client::start(
        ClientConfig::new(dir.path().join("carla")),
        login(&url, "carla@acme.test", DEMO_PASSWORD).await.unwrap(),
    )
    .await
    .unwrap();
    portal_synced(&app).await;
    app.update(key(KeyCode::Char('3')));
    let first = render_hashed(&mut app, 120, 40);
    assert!(
        first.contains("Enter edit the text") && !first.contains("invite contact"),
        "on the first visit Enter edits the Name row:\n{first}"
    );
    insta::assert_snapshot!(
        "settings_general_80x24",
        wait_for(&mut app, "[General]").await
    );
    insta::assert_snapshot!("settings_general_120x40", render_hashed(&mut app, 120, 40));
    send(&mut app, [key(KeyCode::Enter)]);
    typed(&mut app, " 2");
    send(&mut app, [key(KeyCode::Enter)]);
    let dirty = render_hashed(&mut app, 80, 24);
    assert!(dirty.contains("* modified, not saved"), "{dirty}");
    send(&mut app, [key(KeyCode::PageDown)]);
    let asked = render_hashed(&mut app, 80, 24);
    assert!(
        asked.contains("Leave without saving your changes? y/n"),
        "leaving unsaved changes asks first: {asked}"
    );
    insta::assert_snapshot!("settings_leave_question_80x24", asked);
    send(&mut app, [key(KeyCode::Char('n'))]);
    let kept = render_hashed(&mut app, 80, 24);
    assert!(
        kept.contains("[General]") && kept.contains("modified") && !kept.contains("y/n"),
        "no stays with the changes: {kept}"
    );
    send(&mut app, [ctrl('r')]);
    assert!(
        !render_hashed(&mut app, 80, 24).contains("modified"),
        "Ctrl-R discards"
    );
    send(&mut app, [key(KeyCode::PageDown)]);
    insta::assert_snapshot!("settings_tickets_80x24", render_hashed(&mut app, 80, 24));
    insta::assert_snapshot!("settings_tickets_120x40", render_hashed(&mut app, 120, 40));

    let deadline = Instant::now() + Duration::from_secs(30);
    while carla.view().ticket_count() == 0 {
        assert!(Instant::now() < deadline, "carla's client never synced");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let own = carla.view().ticket_count();
    send(
        &mut app,
        [key(KeyCode::Down), key(KeyCode::Char(' ')), ctrl('s')],
    );
    wait_for(&mut app, "primary company's tickets plus own").await;
    wait_for(&mut app, "Saved Tickets.").await;
    while carla.view().ticket_count() <= own {
        assert!(
            Instant::now() < deadline,
            "carla's list never grew to her company's tickets"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    while app.client().unwrap().view().pending_writes() > 0 {
        assert!(
            Instant::now() < deadline,
            "the permission change stayed pending"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    send(&mut app, [key(KeyCode::PageDown)]);
    insta::assert_snapshot!("settings_access_80x24", render_hashed(&mut app, 80, 24));
    insta::assert_snapshot!("settings_access_120x40", render_hashed(&mut app, 120, 40));
    let before = eml_files(dir.path()).len();
    let email = select_uninvited(&mut app, 0);
    send(&mut app, [key(KeyCode::Enter)]);
    wait_for(&mut app, &format!("Registration email sent to {email}")).await;
    let mails = eml_files(dir.path());
    assert_eq!(mails.len(), before + 1);
    assert!(
        mails.iter().any(|m| m.contains(&email)),
        "the email goes to the contact's address"
    );
    send(&mut app, [key(KeyCode::PageUp), key(KeyCode::PageDown)]);
    send(&mut app, (0..3).map(|_| key(KeyCode::Down)));
    send(&mut app, [key(KeyCode::Char('v'))]);
    let list = wait_for(&mut app, "Carla Reyes's ticket list, as they see it · ").await;
    let carla_id = carla.session().account.id;
    let admin = app.client().unwrap().clone();
    let page = admin
        .api()
        .tickets_as_contact(carla_id, 500, None)
        .await
        .unwrap();
    assert!(page.next_cursor.is_none());
    let total = page.items.len();
    assert!(
        total > 50,
        "Carla's list takes more than one page of the popup"
    );
    assert!(
        list.contains(&format!("as they see it · {total} tickets")),
        "every page is listed:\n{list}"
    );
    let rows: Vec<&str> = list.lines().skip(5).take(14).collect();
    let dates: Vec<&str> = rows
        .iter()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.len() == 10 && w.as_bytes()[4] == b'-')
        })
        .collect();
    assert_eq!(
        dates.len(),
        rows.len(),
        "an updated date on every row:\n{list}"
    );
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest update first, the portal's default sort:\n{list}"
    );
    assert!(
        list.contains("id    subject")
            && rows
                .iter()
                .all(|r| !r.contains(" by ") && !r.contains(" own ")),
        "the portal's customer columns, not an own/by column:\n{list}"
    );
    insta::assert_snapshot!("settings_view_as_contact_80x24", list);
    let first = list
        .lines()
        .nth(5)
        .and_then(|l| l.split('#').nth(1))
        .map(|t| format!("#{}", t.split(' ').next().unwrap_or("")))
        .unwrap();
    send(&mut app, [key(KeyCode::Down), key(KeyCode::Down)]);
    assert!(
        !render_hashed(&mut app, 80, 24).contains(&format!("{first} ")),
        "the list scrolls past {first}"
    );
    send(&mut app, [key(KeyCode::Esc)]);
    assert!(!render_hashed(&mut app, 80, 24).contains("as they see it"));

    send(
        &mut app,
        [
            key(KeyCode::PageUp),
            key(KeyCode::PageUp),
            key(KeyCode::Down),
        ],
    );
    let mut tries = 0;
    let system = loop {
        let screen = render_hashed(&mut app, 80, 24);
        tries += 1;
        assert!(tries < 10, "no system domain to pick:\n{screen}");
        if screen.contains("system) ›") {
            break screen;
        }
        app.update(key(KeyCode::Char(' ')));
    };
    assert!(
        system.contains("Warning: system domain: no registration emails"),
        "{system}"
    );
    send(&mut app, [ctrl('s')]);
    wait_for(&mut app, "Saved General.").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !{
        let view = app.client().unwrap().view();
        let portal = view.portal.as_ref().unwrap();
        !portal.pending && matches!(&portal.item, PortalFor::Staff(p) if p.system_domain)
    } {
        assert!(
            Instant::now() < deadline,
            "the domain change was never saved"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    send(&mut app, [key(KeyCode::PageDown), key(KeyCode::PageDown)]);
    let email = select_uninvited(&mut app, 1);
    send(&mut app, [key(KeyCode::Enter)]);
    wait_for(&mut app, &format!("No email sent to {email}")).await;
    assert_eq!(
        eml_files(dir.path()).len(),
        before + 1,
        "no email from a system domain"
    );

    send(
        &mut app,
        [
            key(KeyCode::PageUp),
            key(KeyCode::PageUp),
            key(KeyCode::PageUp),
        ],
    );
    // The SSH row waits for the server's answer; this server does not serve SSH.
    insta::assert_snapshot!(
        "settings_overview_80x24",
        wait_for(&mut app, "not served (start the server with --ssh").await
    );
    insta::assert_snapshot!("settings_overview_120x40", render_hashed(&mut app, 120, 40));
    carla.shutdown().await;
    app.client().unwrap().shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_see_the_sections_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, "sam@deskport.test", DEMO_PASSWORD, dir.path()).await;
    app.update(key(KeyCode::Char('3')));
    wait_for(&mut app, "[General]").await;
    let version = app
        .client()
        .unwrap()
        .view()
        .portal
        .as_ref()
        .map(|m| format!("{:?}", m.item));
    send(&mut app, [key(KeyCode::Enter)]);
    let screen = render_hashed(&mut app, 80, 24);
    assert!(
        screen.contains("Read-only for agents: only admins change portal settings"),
        "Enter on a setting says why it does nothing: {screen}"
    );
    typed(&mut app, "x ");
    send(
        &mut app,
        [ctrl('s'), key(KeyCode::Down), key(KeyCode::Char(' '))],
    );
    let screen = render_hashed(&mut app, 80, 24);
    assert!(
        screen.contains("Read-only for agents: only admins change portal settings"),
        "{screen}"
    );
    assert!(!screen.contains("modified"), "{screen}");
    insta::assert_snapshot!("agent_general_80x24", screen);
    for _ in 0..5 {
        send(&mut app, [key(KeyCode::PageDown)]);
        send(
            &mut app,
            [
                key(KeyCode::Char('n')),
                key(KeyCode::Char('d')),
                key(KeyCode::Char('J')),
                key(KeyCode::Enter),
                key(KeyCode::Char(' ')),
            ],
        );
        let screen = render_hashed(&mut app, 80, 24);
        assert!(
            screen.contains("Portal (read-only)") && !screen.contains("modified"),
            "{screen}"
        );
    }
    insta::assert_snapshot!("agent_support_form_80x24", render_hashed(&mut app, 80, 24));
    let after = app
        .client()
        .unwrap()
        .view()
        .portal
        .as_ref()
        .map(|m| format!("{:?}", m.item));
    assert_eq!(version, after);
    assert!(
        app.client().unwrap().view().outbox.is_empty(),
        "nothing was sent"
    );
    app.client().unwrap().shutdown().await;
}

/// A setting holding invisible characters is shown without them but never rewritten by
/// showing it: the tab is not "modified", and saving another change keeps it as stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invisible_characters_in_a_setting_are_shown_clean_and_kept_as_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, "ada@deskport.test", DEMO_PASSWORD, dir.path()).await;
    let name = "Desk \u{202e}port\u{202c} Demo";
    let api = app.client().unwrap().api().clone();
    let version = api.portal().await.unwrap().version.unwrap();
    let patch = deskport::domain::portal::PortalPatch {
        name: Some(name.into()),
        ..Default::default()
    };
    api.patch_portal(version, &patch, None).await.unwrap();
    app.client().unwrap().sync_now().await.unwrap();
    app.update(key(KeyCode::Char('3')));
    wait_for(&mut app, "Desk port Demo").await;
    let screen = render_hashed(&mut app, 80, 24);
    assert!(!screen.contains("modified"), "{screen}");
    assert!(!screen.contains('\u{202e}'), "{screen}");
    send(&mut app, [ctrl('s')]);
    let stored = api.portal().await.unwrap().body;
    let PortalFor::Staff(staff) = stored else {
        panic!("an admin gets the staff view")
    };
    assert_eq!(staff.settings.name, name, "stored as sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_shows_admins_the_ssh_address_and_host_key() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = serve(dir.path(), true).await;
    server.announce_ssh(SshAccess {
        address: "0.0.0.0:2222".into(),
        fingerprint: "SHA256:tJ2Ukq0qHxXsTgXW9kXuLw3LJvHf2Lx7C3pN1fQe0aY".into(),
    });
    let mut app = signed_in(&url, "ada@deskport.test", DEMO_PASSWORD, dir.path()).await;
    portal_synced(&app).await;
    send(&mut app, [key(KeyCode::Char('3')), key(KeyCode::PageUp)]);
    insta::assert_snapshot!(
        "settings_overview_ssh_80x24",
        wait_for(&mut app, "SHA256:tJ2Ukq0q").await
    );
    app.client().unwrap().shutdown().await;
}
