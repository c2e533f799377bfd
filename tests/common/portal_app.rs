//! The Portal pane's test harness: a demo or fresh server in-process, an app signed in to it
//! drawn on a headless terminal, and keys sent to it.

#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientConfig, Connection, login};
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

/// The first admin of a fresh server.
pub const ADMIN: &str = "root@example.test";
/// Its password.
pub const ADMIN_PASSWORD: &str = "a-long-admin-password";

/// Starts a server in `dir`: the demo, or a fresh one whose first admin is `ADMIN`.
pub async fn serve(dir: &Path, demo: bool) -> (deskport::server::RunningServer, String) {
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
pub async fn signed_in(url: &str, email: &str, password: &str, dir: &Path) -> App {
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
pub fn render(app: &mut App, width: u16, height: u16) -> String {
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
pub fn mask(row: &str) -> String {
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

/// A key press.
pub fn key(code: KeyCode) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Ctrl and a letter.
pub fn ctrl(c: char) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

/// Gives the app each message.
pub fn send(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    for m in msgs {
        app.update(m);
    }
}

/// Types `text`, one key a character.
pub fn typed(app: &mut App, text: &str) {
    send(app, text.chars().map(|c| key(KeyCode::Char(c))));
}

/// Renders until the screen contains `text` (background work lands between draws).
pub async fn wait_for(app: &mut App, text: &str) -> String {
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

/// The .eml files in the server's mail folder.
pub fn eml_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("server").join("mail"))
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces the text of the selected row: Enter starts editing, Ctrl-U empties it, the text
/// is typed and Enter keeps it.
pub fn edit(app: &mut App, text: &str) {
    send(app, [key(KeyCode::Enter), ctrl('u')]);
    typed(app, text);
    send(app, [key(KeyCode::Enter)]);
}

/// Waits until the app's client has no write pending.
pub async fn settled(app: &mut App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.client().unwrap().view().pending_writes() > 0 {
        assert!(Instant::now() < deadline, "a write stayed pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
