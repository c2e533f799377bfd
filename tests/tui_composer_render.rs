//! Render tests of the Tickets pane's editors: the internal-note composer of an agent at
//! 80×24 and the reply composer of a customer at 120×40, with a draft typed in and the
//! discard question.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientConfig, Connection, login};
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD};
use deskport::server::{ServerConfig, start};
use deskport::tui::action::Action;
use deskport::tui::components::tickets::Tickets;
use deskport::tui::components::{Component, DrawCtx};
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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

/// A client of `email` synced with the demo server (or, `offline`, reading the cache only).
async fn client(email: &str, dir: &std::path::Path, offline: bool) -> Client {
    let session = login(server_url(), email, DEMO_PASSWORD).await.unwrap();
    let mut config = ClientConfig::new(dir);
    config.offline = offline;
    let client = Client::start(config, session).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if offline {
            break;
        }
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
    client
}

fn buffer(pane: &mut Tickets, width: u16, height: u16) -> Buffer {
    let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
    let keymap = Keymap::defaults().unwrap();
    let ctx = DrawCtx {
        theme: &theme,
        keymap: &keymap,
        focused: true,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| pane.draw(f, f.area(), ctx)).unwrap();
    terminal.backend().buffer().clone()
}

fn lines(pane: &mut Tickets, width: u16, height: u16) -> Vec<String> {
    let buffer = buffer(pane, width, height);
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

fn render(pane: &mut Tickets, width: u16, height: u16) -> String {
    lines(pane, width, height)
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn typed(pane: &mut Tickets, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        pane.input(&KeyEvent::new(code, KeyModifiers::NONE));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_internal_note_composer() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let mut pane = Tickets::new(client.clone());
    pane.handle(Action::Note);
    assert!(pane.captures_text(), "the composer takes typed letters");
    typed(
        &mut pane,
        "Checked the logs: the printer driver crashed twice overnight, both times right after the nightly backup started.\nWill ask the customer for the model.",
    );
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("(staff only)"), "{screen}");
    insta::assert_snapshot!("composer_agent_note_80x24", screen);
    pane.handle(Action::Close);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("Discard this note? y/n"), "{screen}");
    typed(&mut pane, "y");
    assert!(!pane.captures_text(), "the draft is gone");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_reply_composer() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("carla@acme.test", dir.path(), false).await;
    let mut pane = Tickets::new(client.clone());
    pane.handle(Action::Note);
    assert!(!pane.captures_text(), "customers write no internal notes");
    pane.handle(Action::Reply);
    typed(&mut pane, "Thanks, that fixed it.\nBest, Carla");
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("Reply to #"), "{screen}");
    insta::assert_snapshot!("composer_customer_reply_120x40", screen);
    pane.handle(Action::Save);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = render(&mut pane, 120, 40);
        if screen.contains("reply · you · (pending)") || screen.contains("Best, Carla") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the reply did not show: {screen}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_support_form_with_inline_errors() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("carla@acme.test", dir.path(), false).await;
    let mut pane = Tickets::new(client.clone());
    let before = pane.shown_len();
    pane.handle(Action::New);
    assert!(pane.captures_text(), "the form takes typed letters");
    typed(&mut pane, "Printer offline");
    pane.handle(Action::Save);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("✗ Description is required"), "{screen}");
    insta::assert_snapshot!("support_form_errors_80x24", screen);
    pane.handle(Action::NextField);
    typed(&mut pane, "It shows offline since this morning.");
    loop {
        pane.handle(Action::NextField);
        let screen = render(&mut pane, 80, 24);
        if !screen.contains("◀ (choose) ▶▏") && !screen.contains("✗") {
            break;
        }
        pane.input(&KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
        if !render(&mut pane, 80, 24).contains("✗") {
            break;
        }
    }
    pane.handle(Action::Save);
    assert!(!pane.captures_text(), "sent: {}", render(&mut pane, 80, 24));
    let deadline = Instant::now() + Duration::from_secs(10);
    while pane.shown_len() == before {
        assert!(Instant::now() < deadline, "the new ticket did not show");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(render(&mut pane, 120, 40).contains("Printer offline"));
    client.shutdown().await;
}
