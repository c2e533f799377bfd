//! The Portal pane drawn headless: the setup wizard on a fresh server, step by step, and the
//! settings sections on the demo server, with snapshots at 80×24 (and 120×40 for a couple),
//! plus what admins and agents may do there.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientConfig, Connection, login};
use deskport::domain::wire::PortalFor;
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD};
use deskport::server::{ServerConfig, start};
use deskport::tui::app::App;
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use deskport::tui::{Config, DemoLogins, Msg, Options, Server};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const ADMIN: &str = "root@example.test";
const ADMIN_PASSWORD: &str = "a-long-admin-password";

/// Starts a server in `dir`: the demo, or a fresh one whose first admin is `ADMIN`.
async fn serve(dir: &Path, demo: bool) -> (deskport::server::RunningServer, String) {
    let data_dir = dir.join("server");
    if !demo {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"))
            .args(["staff", "add", "--data-dir"])
            .arg(&data_dir)
            .args([
                "--email",
                ADMIN,
                "--name",
                "Root",
                "--role",
                "admin",
                "--password-stdin",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{ADMIN_PASSWORD}").unwrap();
        assert!(child.wait().unwrap().success());
    }
    let config = ServerConfig {
        data_dir,
        demo,
        demo_tickets: DEFAULT_TICKETS,
        smtp: None,
    };
    let server = start(&config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = format!("http://{}", server.addr);
    (server, url)
}

/// An app signed in to `url`, once its client has synced.
async fn signed_in(url: &str, email: &str, password: &str, dir: &Path) -> App {
    let session = login(url, email, password).await.unwrap();
    let client = Client::start(ClientConfig::new(dir.join(email)), session)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !{
        let view = client.view();
        view.status.connection == Connection::Online
            && view.status.last_sync.is_some()
            && view.portal.is_some()
    } {
        assert!(Instant::now() < deadline, "the client did not sync");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let config = Config {
        keymap: Keymap::defaults().unwrap(),
        theme: Theme::shipped(ThemeChoice::Default, false).unwrap(),
        mouse: true,
    };
    let options = Options {
        server: Server::Embedded {
            url: url.into(),
            logins: DemoLogins {
                accounts: vec![],
                password: DEMO_PASSWORD.into(),
            },
        },
        user: None,
        data_dir: dir.into(),
        config_dir: dir.join("config"),
        test_panic: false,
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    let mut app = App::new(config, options, tx);
    assert!(app.update(Msg::SignedIn(Ok(client))));
    app
}

/// The screen as text, the sync time and the server's port masked.
fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let lines: Vec<String> = (0..height)
        .map(|y| {
            let row: String = (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            format!("\"{}\"", mask(&row))
        })
        .collect();
    lines.join("\n")
}

/// Replaces the digits after `synced ` and `127.0.0.1:` with `#`, keeping the width.
fn mask(row: &str) -> String {
    let mut out = row.to_string();
    for marker in ["synced ", "127.0.0.1:"] {
        if let Some(at) = out.find(marker) {
            let start = at + marker.len();
            let end = out[start..]
                .find(|c: char| !(c.is_ascii_digit() || c == ':'))
                .map_or(out.len(), |n| start + n);
            let masked = "#".repeat(end - start);
            out.replace_range(start..end, &masked);
        }
    }
    out
}

fn key(code: KeyCode) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(c: char) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn send(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    for m in msgs {
        app.update(m);
    }
}

fn typed(app: &mut App, text: &str) {
    send(app, text.chars().map(|c| key(KeyCode::Char(c))));
}

/// Renders until the screen contains `text` (background work lands between draws).
async fn wait_for(app: &mut App, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let screen = render(app, 80, 24);
        if screen.contains(text) {
            return screen;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {text:?}:\n{screen}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_on_a_fresh_server_checks_each_step_and_saves_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), false).await;
    let mut app = signed_in(&url, ADMIN, ADMIN_PASSWORD, dir.path()).await;
    app.update(key(KeyCode::Char('3')));
    let step1 = wait_for(&mut app, "step 1 of 4").await;
    insta::assert_snapshot!("wizard_name_80x24", step1);
    send(&mut app, [ctrl('u')]);
    send(&mut app, [key(KeyCode::PageDown)]);
    assert!(
        render(&mut app, 80, 24).contains("Name must be 1–80 characters"),
        "an empty name is refused"
    );
    typed(&mut app, "Acme Help");
    send(&mut app, [key(KeyCode::PageDown)]);
    let step2 = render(&mut app, 80, 24);
    assert!(
        step2.contains("no registration emails are sent"),
        "the only domain is a system domain:\n{step2}"
    );
    insta::assert_snapshot!("wizard_domain_80x24", step2);
    insta::assert_snapshot!("wizard_domain_120x40", render(&mut app, 120, 40));
    send(&mut app, [key(KeyCode::Down), ctrl('u')]);
    typed(&mut app, "Bad Slug");
    send(&mut app, [key(KeyCode::PageDown)]);
    assert!(
        render(&mut app, 80, 24).contains("Slug must be 1–64"),
        "an invalid slug is refused"
    );
    send(&mut app, [ctrl('u')]);
    typed(&mut app, "acme-help");
    send(&mut app, [key(KeyCode::Down)]);
    typed(&mut app, "not a host");
    send(&mut app, [key(KeyCode::Enter)]);
    assert!(render(&mut app, 80, 24).contains("Domain not added: the host must be a host name"));
    send(&mut app, [ctrl('u')]);
    typed(&mut app, "help.acme.test");
    send(&mut app, [key(KeyCode::Enter)]);
    wait_for(&mut app, "Connected help.acme.test").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.client().unwrap().view().domains.len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the new domain never reached the view"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    render(&mut app, 80, 24);
    send(
        &mut app,
        [
            key(KeyCode::Up),
            key(KeyCode::Up),
            key(KeyCode::Up),
            key(KeyCode::Char(' ')),
        ],
    );
    let live = render(&mut app, 80, 24);
    assert!(
        live.contains("https://help.acme.test/acme-help") && !live.contains("Warning"),
        "{live}"
    );
    send(&mut app, [key(KeyCode::PageDown), key(KeyCode::PageDown)]);
    assert!(
        render(&mut app, 80, 24).contains("needs a default inbox"),
        "a default inbox is required"
    );
    send(
        &mut app,
        [
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Char(' ')),
        ],
    );
    send(&mut app, [key(KeyCode::Down)]);
    typed(&mut app, "plan");
    send(
        &mut app,
        [
            key(KeyCode::Down),
            key(KeyCode::Char(' ')),
            key(KeyCode::Char(' ')),
            key(KeyCode::Down),
        ],
    );
    typed(&mut app, "gold, platinum");
    insta::assert_snapshot!("wizard_tickets_80x24", render(&mut app, 80, 24));
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
    insta::assert_snapshot!("wizard_access_80x24", render(&mut app, 80, 24));
    send(&mut app, [ctrl('s')]);
    wait_for(&mut app, "[General]").await;
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
        serde_json::json!({"mode": "contact_filter", "filter": [{"property": "plan", "op": "in", "value": ["gold", "platinum"]}]})
    );
    let access = serde_json::to_value(&s.access).unwrap();
    assert_eq!(
        access,
        serde_json::json!({"mode": "self_registration", "passwordless": true, "idle_timeout_minutes": 1440})
    );
    assert_eq!(s.version, 2, "one PATCH saved everything");
    client.shutdown().await;
}

fn eml_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("server").join("mail"))
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

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
    app.update(key(KeyCode::Char('3')));
    insta::assert_snapshot!(
        "settings_general_80x24",
        wait_for(&mut app, "[General]").await
    );
    insta::assert_snapshot!("settings_general_120x40", render(&mut app, 120, 40));
    typed(&mut app, " 2");
    let dirty = render(&mut app, 80, 24);
    assert!(dirty.contains("* modified, not saved"), "{dirty}");
    send(&mut app, [key(KeyCode::PageDown)]);
    assert!(
        render(&mut app, 80, 24).contains("Unsaved changes"),
        "leaving unsaved changes asks first"
    );
    send(&mut app, [ctrl('r')]);
    assert!(
        !render(&mut app, 80, 24).contains("modified"),
        "Ctrl-R discards"
    );
    send(&mut app, [key(KeyCode::PageDown)]);
    insta::assert_snapshot!("settings_tickets_80x24", render(&mut app, 80, 24));

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
    insta::assert_snapshot!("settings_access_80x24", render(&mut app, 80, 24));
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
        let screen = render(&mut app, 80, 24);
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
    wait_for(&mut app, "Saving General").await;
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

    send(&mut app, [key(KeyCode::PageDown)]);
    insta::assert_snapshot!("settings_overview_80x24", render(&mut app, 80, 24));
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
    typed(&mut app, "x ");
    send(
        &mut app,
        [ctrl('s'), key(KeyCode::Down), key(KeyCode::Char(' '))],
    );
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Read-only: only admins change portal settings"),
        "{screen}"
    );
    assert!(!screen.contains("modified"), "{screen}");
    insta::assert_snapshot!("agent_general_80x24", screen);
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
