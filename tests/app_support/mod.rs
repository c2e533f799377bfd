//! Helpers for render tests of the whole app over real clients of an in-process demo server:
//! an app on the sign-in screen, the screen as text (with the sync time and today's date
//! masked), keys, and waiting for the messages background work sends the app.

#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::server::demo::demo_accounts;
use deskport::tui::app::App;
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use deskport::tui::{Config, DemoAccount, DemoLogins, Msg, Options, Server};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Password of every demo account.
const PASSWORD: &str = "deskport-demo";

/// An app on the sign-in screen of the embedded-style server at `url`.
pub fn app(url: &str, data_dir: &std::path::Path) -> (App, mpsc::UnboundedReceiver<Msg>) {
    let logins = DemoLogins {
        accounts: demo_accounts()
            .into_iter()
            .map(|a| DemoAccount {
                email: a.email.into(),
                name: a.name.into(),
                role: a.role,
                company: a.company.map(Into::into),
            })
            .collect(),
        password: PASSWORD.into(),
    };
    app_on(
        Server::Embedded {
            url: url.into(),
            logins,
        },
        data_dir,
    )
}

/// An app on the sign-in screen of `server`; background work reports to the receiver.
pub fn app_on(server: Server, data_dir: &std::path::Path) -> (App, mpsc::UnboundedReceiver<Msg>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let options = Options {
        server,
        user: None,
        data_dir: data_dir.into(),
        config_dir: data_dir.join("config"),
        test_panic: false,
    };
    let config = Config {
        keymap: Keymap::defaults().unwrap(),
        theme: Theme::shipped(ThemeChoice::Default, false).unwrap(),
        mouse: false,
    };
    (App::new(config, options, tx.clone()), rx)
}

/// The screen as text, the last sync time and today's date (a changed ticket's) masked.
pub fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let text: Vec<String> = (0..height)
        .map(|y| {
            let line: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
            format!("\"{line}\"")
        })
        .collect();
    mask_time(&text.join("\n"))
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
    let today = [chrono::Local::now(), chrono::Utc::now().into()];
    today.iter().fold(out, |text, now| {
        text.replace(&now.format("%Y-%m-%d").to_string(), "YYYY-MM-DD")
    })
}

pub fn key(c: char) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

pub fn esc() -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)))
}

/// The next message on `rx` that `wanted` picks (others are dropped).
pub async fn next(rx: &mut mpsc::UnboundedReceiver<Msg>, wanted: impl Fn(&Msg) -> bool) -> Msg {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = tokio::time::timeout(left, rx.recv())
            .await
            .expect("timed out waiting for a message")
            .expect("the channel is open");
        if wanted(&msg) {
            return msg;
        }
    }
}
