//! End-to-end tests of the Portal pane: the real `deskport` binary in a pseudo-terminal,
//! signed in to a server running in the test (`--server URL`), checked over the API, in the
//! mail folder, and through a second, library client signed in as a customer.

mod common;

use common::pty::{App, Dirs, eventually};
use common::render::{ADMIN, ADMIN_PASSWORD, eml_files, mail_when, serve};
use deskport::client::{ApiClient, Client, ClientConfig, login};
use deskport::domain::people::{Contact, Registration};
use deskport::domain::wire::{PortalFor, RegisterRequest};
use deskport::server::database_path;
use deskport::server::store::sqlite::SqliteStore;
use deskport::server::store::{ImportBatch, Store};
use std::path::Path;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);
const CUSTOMER: &str = "cleo@example.test";

/// Puts one contact, never invited, into the empty data dir of a server about to start in `dir`.
async fn with_contact(dir: &Path) {
    let data = dir.join("server");
    std::fs::create_dir_all(&data).unwrap();
    let store = SqliteStore::open(&database_path(&data)).unwrap();
    let contact = Contact {
        id: 1,
        email: CUSTOMER.into(),
        name: "Cleo".into(),
        company_id: None,
        properties: Default::default(),
        registration: Registration::None,
        consent: None,
    };
    let batch = ImportBatch {
        contacts: vec![(contact, None)],
        ..ImportBatch::default()
    };
    store.import(batch).await.unwrap();
}

/// The app in a pseudo-terminal, signed in to `url` as `email` through the sign-in form.
fn signed_in(dirs: &Dirs, url: &str, email: &str, password: &str) -> App {
    let mut app = App::start(dirs, &["--server", url], &[], (100, 30));
    app.wait_for("Password");
    app.send(email);
    app.send("\t");
    app.send(password);
    app.send("\r");
    app.wait_for("● online");
    app
}

/// The staff view of the portal settings, read as `email`.
async fn settings(url: &str, email: &str, password: &str) -> deskport::domain::wire::PortalOut {
    let session = login(url, email, password).await.unwrap();
    let api = ApiClient::new(url).unwrap().with_token(session.token);
    match api.portal().await.unwrap().body {
        PortalFor::Staff(p) => *p,
        PortalFor::Public(_) => panic!("staff see the staff settings"),
    }
}

/// Presses `key` until the screen shows `text` (a choice's options may still be syncing).
fn press_until(app: &mut App, key: &str, text: &str) {
    let deadline = Instant::now() + TIMEOUT;
    while !app.contents().contains(text) {
        assert!(
            Instant::now() < deadline,
            "{text:?} never showed:\n{}",
            app.contents()
        );
        app.send(key);
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_wizard_on_a_fresh_server_then_a_customer_signs_in() {
    let server_dir = tempfile::tempdir().unwrap();
    with_contact(server_dir.path()).await;
    let (_server, url) = serve(server_dir.path(), false).await;
    let dirs = Dirs::new();
    let mut app = signed_in(&dirs, &url, ADMIN, ADMIN_PASSWORD);
    // A fresh portal opens an admin straight on the setup wizard, without a key.
    app.wait_for("step 1 of 4");
    app.send("\r\x15Acme Help\r");
    app.wait_for("[Acme Help]");
    app.send("\x1b[6~");
    app.wait_for("step 2 of 4");

    app.send("j\r\x15Bad Slug\r\x1b[6~");
    app.wait_for("Slug must be 1–64");
    app.send("\r\x15acme-help\r");
    app.wait_for("/acme-help");
    app.send("j\r\x15not a host\r");
    app.wait_for("Domain not added: the host must be a host name");
    app.send("\r\x15help.acme.test\r");
    app.wait_for("Connected help.acme.test");
    app.send("kkk");
    app.wait_until("the domain row", |s| s.contains("▶ Domain"));
    press_until(&mut app, " ", "https://help.acme.test/acme-help");
    app.send("\x1b[6~");
    app.wait_for("step 3 of 4");
    app.send(" ");
    app.wait_for("Support (inbox)");
    app.send("\x1b[6~");
    app.wait_for("step 4 of 4");
    app.send(" j ");
    app.wait_for("‹ self-registration ›");
    app.send("\x1b[6~");
    app.wait_for("[General]");

    eventually("the portal to be configured", || async {
        let p = settings(&url, ADMIN, ADMIN_PASSWORD).await;
        p.settings.configured && p.portal_url == "https://help.acme.test/acme-help"
    })
    .await;
    let api = ApiClient::new(&url).unwrap();
    let request = |code: Option<String>, password: Option<String>| RegisterRequest {
        email: CUSTOMER.into(),
        code,
        password,
    };
    api.register(&request(None, None)).await.unwrap();
    let mail = mail_when(server_dir.path(), |m| m.contains(CUSTOMER)).await;
    let code = common::code_in(&mail);
    api.register(&request(Some(code), Some("cleo's long password".into())))
        .await
        .unwrap();
    let session = login(&url, CUSTOMER, "cleo's long password").await.unwrap();
    let customer = ApiClient::new(&url).unwrap().with_token(session.token);
    match customer.portal().await.unwrap().body {
        PortalFor::Public(p) => assert_eq!(
            (p.name.as_str(), p.portal_url.as_str()),
            ("Acme Help", "https://help.acme.test/acme-help")
        ),
        PortalFor::Staff(_) => panic!("a customer sees the customer's part"),
    }
    app.send("q");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_signed_in_customer_sees_the_admins_new_permission_mode() {
    let server_dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(server_dir.path(), true).await;
    let carla = Client::start(
        ClientConfig::new(server_dir.path().join("carla")),
        login(&url, common::CARLA, common::DEMO_PASSWORD)
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    eventually("carla's first sync", || async {
        carla.view().ticket_count() > 0
    })
    .await;
    let own = carla.view().ticket_count();

    let dirs = Dirs::new();
    let mut app = signed_in(&dirs, &url, common::ADA, common::DEMO_PASSWORD);
    app.send("3");
    app.wait_for("[General]");
    app.send("\x1b[6~");
    app.wait_for("[Tickets]");
    app.send("j ");
    app.wait_for("* modified");
    app.send("\x13");
    app.wait_until("the save", |s| {
        s.contains("Saved Tickets.") && !s.contains("modified")
    });
    eventually("carla's list to grow to her company's tickets", || async {
        carla.view().ticket_count() > own
    })
    .await;
    app.send("\x1b[6~");
    app.wait_for("[Access]");
    app.send("jjjv");
    let list = app.wait_for("Carla Reyes's ticket list, as they see it · ");
    assert!(
        list.contains("sorted by updated, descending") && !list.contains(" own "),
        "the portal's columns and default sort:\n{list}"
    );
    app.send("\x1b");
    app.wait_until("the list to close", |s| !s.contains("as they see it"));
    app.send("q");
    carla.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agent_changes_nothing() {
    let server_dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(server_dir.path(), true).await;
    let before = settings(&url, common::ADA, common::DEMO_PASSWORD).await;
    let dirs = Dirs::new();
    let mut app = signed_in(&dirs, &url, common::SAM, common::DEMO_PASSWORD);
    app.send("3");
    app.wait_for("Portal (read-only)");
    app.send("\rx \x13");
    app.wait_for("Read-only for agents: only admins change portal settings");
    for _ in 0..5 {
        app.send("\x1b[6~nd \r");
    }
    app.wait_for("[Support form]");
    let screen = app.contents();
    assert!(!screen.contains("modified"), "{screen}");
    let after = settings(&url, common::ADA, common::DEMO_PASSWORD).await;
    assert_eq!(before.settings, after.settings);
    app.send("q");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invitation_lands_in_the_mail_folder_but_none_from_a_system_domain() {
    let server_dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(server_dir.path(), true).await;
    let session = login(&url, common::ADA, common::DEMO_PASSWORD)
        .await
        .unwrap();
    let api = ApiClient::new(&url).unwrap().with_token(session.token);
    let contacts = api.contacts().await.unwrap();
    let uninvited: Vec<(usize, String)> = contacts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.registration == Registration::None)
        .map(|(i, c)| (i, c.email.clone()))
        .collect();
    assert!(uninvited.len() >= 2, "the demo has contacts never invited");

    let dirs = Dirs::new();
    let mut app = signed_in(&dirs, &url, common::ADA, common::DEMO_PASSWORD);
    app.send("3");
    app.wait_for("[General]");
    app.send("\x1b[6~\x1b[6~");
    app.wait_for("[Access]");
    let before = eml_files(server_dir.path()).len();
    let (index, email) = &uninvited[0];
    app.send(&"j".repeat(3 + index));
    app.send("\r");
    app.wait_for(&format!("Registration email sent to {email}"));
    let mails = eml_files(server_dir.path());
    assert_eq!(mails.len(), before + 1);
    assert!(mails.iter().any(|m| m.contains(email.as_str())));

    app.send("\x1b[5~\x1b[5~");
    app.wait_for("[General]");
    app.send("j");
    press_until(&mut app, " ", "system) ›");
    app.wait_for("Warning: system domain: no registration emails");
    app.send("\x13");
    eventually("the system domain to be saved", || async {
        settings(&url, common::ADA, common::DEMO_PASSWORD)
            .await
            .system_domain
    })
    .await;
    app.send("\x1b[6~\x1b[6~");
    app.wait_for("[Access]");
    let (index, email) = &uninvited[1];
    app.send(&"j".repeat(3 + index));
    app.send("\r");
    app.wait_for(&format!("No email sent to {email}"));
    assert_eq!(eml_files(server_dir.path()).len(), before + 1);
    app.send("q");
}
