//! Render tests of the Routing pane: the real app over a real client of a demo server, drawn
//! into `TestBackend` at 80×24 and 120×40 — the list, the rule and inbox editors and the
//! tester, for an admin and (read-only) for an agent. Nothing here changes the demo data.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientConfig, Connection, login};
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD, demo_accounts};
use deskport::server::{ServerConfig, start};
use deskport::tui::app::App;
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use deskport::tui::{Config, DemoAccount, DemoLogins, Msg, Options, Server};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
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

fn ctrl(c: char) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

/// Renders until the screen shows `text` (answers from the server arrive in the background).
async fn settle(app: &mut App, width: u16, height: u16, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let screen = render(app, width, height);
        if screen.contains(text) {
            return screen;
        }
        assert!(Instant::now() < deadline, "no {text:?} in:\n{screen}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// An app on the Routing tab with the inbox counts loaded.
async fn routing(email: &str, dir: &std::path::Path) -> App {
    let mut app = signed_in(email, dir).await;
    app.update(key(KeyCode::Char('2')));
    settle(&mut app, 80, 24, "open, ").await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_list_with_counts_and_edit_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    insta::assert_snapshot!("admin_list_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("admin_list_120x40", render(&mut app, 120, 40));
    press(&mut app, "jjjjjjj");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("▶  1. [on ] Invoices to Billing")
            && screen.contains("Space enable or disable")
            && screen.contains("J move rule down"),
        "{screen}"
    );
    let buffer = render_buffer(&mut app, 120, 40);
    assert_eq!(
        buffer[(60, 9)].bg,
        Color::Cyan,
        "the selected rule is highlighted"
    );
    app.update(key(KeyCode::Char('?')));
    let help = render(&mut app, 120, 40);
    for label in ["move rule up", "edit rule", "delete rule", "test routing"] {
        assert!(help.contains(label), "{label} in {help}");
    }
    insta::assert_snapshot!("admin_help_on_a_rule_80x24", render(&mut app, 80, 24));
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_rule_editor_and_inbox_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    press(&mut app, "jjjjjjj");
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("admin_rule_editor_80x24", render(&mut app, 80, 24));
    app.update(ctrl('n'));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Tab));
    press(&mut app, "bill");
    insta::assert_snapshot!("admin_rule_editor_120x40", render(&mut app, 120, 40));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("#2 value  bill") && screen.contains("F1 more"),
        "{screen}"
    );
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::F(1),
        KeyModifiers::NONE,
    ))));
    let help = render(&mut app, 120, 40);
    assert!(
        help.contains("Ctrl-D") && help.contains("remove condition"),
        "what the bar cuts is in help: {help}"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    press(&mut app, "gjjj");
    app.update(key(KeyCode::Char('e')));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Char(' ')));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Assignment") && screen.contains("‹manual›"),
        "{screen}"
    );
    insta::assert_snapshot!("admin_inbox_editor_80x24", screen);
    app.update(key(KeyCode::Esc));
    assert!(
        render(&mut app, 80, 24).contains("least loaded"),
        "Esc drops the edit"
    );
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_tests_a_draft_rule_before_saving() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    press(&mut app, "Gn");
    press(&mut app, "Printers to Lin");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    // From "by the inbox's method" past Ada and Sam to Lin.
    for _ in 0..3 {
        app.update(key(KeyCode::Char(' ')));
    }
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    press(&mut app, "printer");
    app.update(ctrl('t'));
    press(&mut app, "The printer is on fire");
    app.update(ctrl('s'));
    let screen = settle(&mut app, 80, 24, "Lands in:").await;
    assert!(
        screen.contains("rule \"Printers to Lin\"") && screen.contains("Assigned to: Lin Chen"),
        "{screen}"
    );
    insta::assert_snapshot!("admin_tester_draft_80x24", screen);
    insta::assert_snapshot!("admin_tester_draft_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Esc));
    assert!(
        render(&mut app, 80, 24).contains("New routing rule"),
        "Esc goes back to the editor"
    );
    app.update(key(KeyCode::Esc));
    assert!(
        render(&mut app, 80, 24).contains("Routing rules (4)"),
        "nothing saved"
    );
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_sees_routing_read_only_and_may_test() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("sam@deskport.test", dir.path()).await;
    insta::assert_snapshot!("agent_list_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("agent_list_120x40", render(&mut app, 120, 40));
    press(&mut app, "jjjjjjj");
    for c in ['e', 'n', 'd', 'J', ' ', 'D'] {
        app.update(key(KeyCode::Char(c)));
    }
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Routing (read-only)") && screen.contains("[on ] Invoices to Billing"),
        "edit keys do nothing: {screen}"
    );
    app.update(key(KeyCode::Char('?')));
    let help = render(&mut app, 120, 40);
    for label in [
        "edit",
        "move rule",
        "delete",
        "enable or disable",
        "make portal default",
    ] {
        assert!(!help.contains(label), "{label} offered to an agent: {help}");
    }
    assert!(help.contains("test routing"), "{help}");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('t')));
    press(&mut app, "invoice 12");
    app.update(ctrl('s'));
    let screen = settle(&mut app, 80, 24, "Lands in:").await;
    assert!(screen.contains("rule \"Invoices to Billing\""), "{screen}");
    insta::assert_snapshot!("agent_tester_80x24", screen);
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_over_unsaved_edits_asks_first_and_help_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    press(&mut app, "jjje");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    let lines = render_lines(&mut app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("Edit inbox"))
            && lines[23].trim_end().ends_with("q quit  ? more"),
        "a cut hint bar ends with `? more`: {lines:#?}"
    );
    press(&mut app, "q");
    assert!(app.should_quit(), "nothing edited yet: q quits at once");
    if let Some(client) = app.client() {
        client.shutdown().await;
    }

    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    press(&mut app, "jjje");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Char(' ')));
    let edited = render(&mut app, 80, 24);
    press(&mut app, "q");
    assert!(
        !app.should_quit(),
        "q on a choice field does not drop the edit"
    );
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("unsaved edits: quit again to drop them"),
        "{screen}"
    );
    press(&mut app, "?");
    let help = render(&mut app, 120, 40);
    for label in ["next choice", "save inbox", "cancel"] {
        assert!(help.contains(label), "{label} in {help}");
    }
    app.update(key(KeyCode::Esc));
    assert_eq!(render(&mut app, 80, 24), edited, "the edit survives help");
    press(&mut app, "q");
    assert!(!app.should_quit(), "asked again after another key");
    press(&mut app, "q");
    assert!(app.should_quit(), "the second q in a row quits");
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}
