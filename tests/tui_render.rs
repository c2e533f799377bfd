//! Render tests of the terminal app: the real app state over a real client of a demo server,
//! drawn into ratatui's `TestBackend` at 80×24 and 120×40 and compared with insta snapshots.
//! The only thing that varies between runs, the time of the last sync, is masked.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use deskport::client::{Client, ClientConfig, Connection, login};
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD, demo_accounts};
use deskport::server::{ServerConfig, start};
use deskport::tui::app::App;
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use deskport::tui::{Config, DemoAccount, DemoLogins, Msg, Options, Server};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// One demo server for the whole file, on its own runtime thread.
fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let config = ServerConfig {
                    data_dir: dir.path().join("server"),
                    demo: true,
                    demo_tickets: DEFAULT_TICKETS,
                    smtp: None,
                };
                let server = start(&config, "127.0.0.1:0".parse().unwrap())
                    .await
                    .unwrap();
                tx.send(format!("http://{}", server.addr)).unwrap();
                std::future::pending::<()>().await;
                drop((server, dir));
            });
        });
        rx.recv().unwrap()
    })
}

fn config() -> Config {
    Config {
        keymap: Keymap::defaults().unwrap(),
        theme: Theme::shipped(ThemeChoice::Default, false).unwrap(),
        mouse: true,
    }
}

fn logins() -> DemoLogins {
    DemoLogins {
        accounts: demo_accounts()
            .into_iter()
            .map(|a| DemoAccount {
                email: a.email.into(),
                name: a.name.into(),
                role: a.role,
                company: a.company.map(Into::into),
            })
            .collect(),
        password: DEMO_PASSWORD.into(),
    }
}

/// An app on the sign-in screen of an embedded server at a fixed address.
fn signin_app(server: Server, data_dir: &std::path::Path) -> App {
    let (tx, _rx) = mpsc::unbounded_channel();
    let options = Options {
        server,
        user: None,
        data_dir: data_dir.into(),
        config_dir: data_dir.join("config"),
        test_panic: false,
    };
    App::new(config(), options, tx)
}

fn embedded() -> Server {
    Server::Embedded {
        url: "http://127.0.0.1:7878".into(),
        logins: logins(),
    }
}

/// An app signed in as `email`, once its client has synced.
async fn signed_in(email: &str, data_dir: &std::path::Path) -> App {
    let url = server_url();
    let session = login(url, email, DEMO_PASSWORD).await.unwrap();
    let client = Client::start(ClientConfig::new(data_dir), session)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = {
            let view = client.view();
            view.status.connection == Connection::Online
                && view.status.last_sync.is_some()
                && view.portal.is_some()
        };
        if ready {
            break;
        }
        assert!(Instant::now() < deadline, "the client did not sync");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut app = signin_app(
        Server::Embedded {
            url: url.into(),
            logins: logins(),
        },
        data_dir,
    );
    assert!(app.update(Msg::SignedIn(Ok(client))));
    app
}

fn render_buffer(app: &mut App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, with the last sync time masked.
fn render(app: &mut App, width: u16, height: u16) -> String {
    let lines: Vec<String> = render_lines(app, width, height)
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect();
    mask_time(&lines.join("\n"))
}

fn render_lines(app: &mut App, width: u16, height: u16) -> Vec<String> {
    let buffer = render_buffer(app, width, height);
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

fn mask_time(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("synced ") {
        let (before, after) = rest.split_at(at + "synced ".len());
        out.push_str(before);
        let time: String = after.chars().take(8).collect();
        if time.len() == 8 && time.chars().all(|c| c.is_ascii_digit() || c == ':') {
            out.push_str("HH:MM:SS");
            rest = &after[8..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn key(code: KeyCode) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

#[test]
fn signin_lists_the_demo_accounts_with_role_and_company() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signin_app(embedded(), dir.path());
    insta::assert_snapshot!("signin_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("signin_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    let lines = render_lines(&mut app, 80, 24);
    let carla = lines
        .iter()
        .find(|l| l.contains("carla@acme.test"))
        .unwrap();
    assert!(
        carla.contains("▶ Carla Reyes") && carla.contains("customer · Acme"),
        "{carla}"
    );
}

#[test]
fn signin_form_for_a_configured_server() {
    let dir = tempfile::tempdir().unwrap();
    let remote = Server::Remote {
        url: "https://help.example.com".into(),
    };
    let mut app = signin_app(remote, dir.path());
    press(&mut app, "ada@example.com");
    app.update(key(KeyCode::Tab));
    press(&mut app, "secret");
    insta::assert_snapshot!("signin_form_80x24", render(&mut app, 80, 24));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("••••••") && !screen.contains("secret"));
}

#[test]
fn signin_help_and_palette() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signin_app(embedded(), dir.path());
    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!("signin_help_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char(':')));
    insta::assert_snapshot!("signin_palette_80x24", render(&mut app, 80, 24));
}

#[test]
fn too_small_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signin_app(embedded(), dir.path());
    insta::assert_snapshot!("too_small_50x10", render(&mut app, 50, 10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_tabs_status_bar_help_and_palette() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in("ada@deskport.test", dir.path()).await;
    insta::assert_snapshot!("admin_tickets_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("admin_tickets_120x40", render(&mut app, 120, 40));

    let buffer = render_buffer(&mut app, 80, 24);
    let active_tab = &buffer[(10, 0)];
    assert_eq!(active_tab.symbol(), "[");
    assert_eq!(active_tab.bg, Color::Cyan);
    assert!(active_tab.modifier.contains(Modifier::BOLD));
    assert_eq!(
        buffer[(1, 4)].symbol(),
        "▶",
        "the selected row is marked, not only coloured"
    );
    assert_eq!(buffer[(1, 4)].bg, Color::Cyan);
    assert_eq!(
        buffer[(60, 4)].bg,
        Color::Cyan,
        "the selection spans the row"
    );

    app.update(key(KeyCode::Char('2')));
    insta::assert_snapshot!("admin_routing_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Tab));
    insta::assert_snapshot!("admin_portal_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::BackTab));
    app.update(key(KeyCode::BackTab));

    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!("admin_help_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("admin_help_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Char('q')));
    assert!(!app.should_quit(), "q closes help rather than quitting");

    app.update(key(KeyCode::Char(':')));
    press(&mut app, "port");
    insta::assert_snapshot!("admin_palette_80x24", render(&mut app, 80, 24));
    assert!(!app.should_quit());
    app.update(key(KeyCode::Enter));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("[3 Portal]"), "{screen}");

    app.update(Msg::Terminal(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 14,
        row: 0,
        modifiers: KeyModifiers::NONE,
    })));
    assert!(
        render(&mut app, 80, 24).contains("[1 Tickets]"),
        "a click on a tab shows it"
    );
    app.update(Msg::Terminal(Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 20,
        row: 10,
        modifiers: KeyModifiers::NONE,
    })));
    let lines = render_lines(&mut app, 80, 24);
    assert!(
        lines[7].contains("▶  #297"),
        "the wheel moves the selection: {}",
        lines[7]
    );

    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_gets_read_only_routing_and_portal() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in("sam@deskport.test", dir.path()).await;
    insta::assert_snapshot!("agent_tickets_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Char('3')));
    insta::assert_snapshot!("agent_portal_80x24", render(&mut app, 80, 24));
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_gets_tickets_and_account_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in("carla@acme.test", dir.path()).await;
    insta::assert_snapshot!("customer_tickets_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("customer_tickets_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Char('3')));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("[1 Tickets]")
            && !screen.contains("Routing")
            && !screen.contains("Portal ("),
        "{screen}"
    );
    app.update(key(KeyCode::Char('2')));
    insta::assert_snapshot!("customer_account_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Char(':')));
    press(&mut app, "routing");
    assert!(render(&mut app, 80, 24).contains("no matching command"));
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}
