//! The in-process render harness: a demo (or fresh) server in the test, real clients of it,
//! the whole app or one pane drawn on a ratatui `TestBackend` and read back as text with what
//! varies between runs masked, keys sent as messages, and waits for background work.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientConfig, Connection, login};
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD, demo_accounts};
use deskport::server::{RunningServer, ServerConfig, start};
use deskport::tui::action::Action;
use deskport::tui::app::App;
use deskport::tui::components::panes::tickets::Tickets;
use deskport::tui::components::{Component, DrawCtx};
use deskport::tui::keymap::Keymap;
use deskport::tui::msg::Tasks;
use deskport::tui::theme::{Theme, ThemeChoice};
use deskport::tui::{Config, DemoAccount, DemoLogins, Msg, Options, Server};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::{Frame, Terminal};
use std::io::Write;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// The first admin of a fresh server.
pub const ADMIN: &str = "root@example.test";
/// Its password.
pub const ADMIN_PASSWORD: &str = "a-long-admin-password";

/// One demo server for the whole test binary, on its own runtime thread; its URL.
pub fn shared_demo_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let (server, url) = serve(dir.path(), true).await;
                tx.send(url).unwrap();
                std::future::pending::<()>().await;
                drop((server, dir));
            });
        });
        rx.recv().unwrap()
    })
}

/// Starts a server in `dir`: the demo, or a fresh one whose first admin is `ADMIN`.
pub async fn serve(dir: &Path, demo: bool) -> (RunningServer, String) {
    let data_dir = dir.join("server");
    if !demo {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"))
            .args(["staff", "add", "--data-dir"])
            .arg(&data_dir)
            .args(["--email", ADMIN, "--name", "Root", "--role", "admin"])
            .arg("--password-stdin")
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
        database: None,
        trusted_proxy: None,
    };
    let server = start(&config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = format!("http://{}", server.addr);
    (server, url)
}

/// A client of `email` at `url` with its cache in `dir`, synced (unless `offline`, which
/// reads the cache only).
pub async fn synced_client(
    url: &str,
    email: &str,
    password: &str,
    dir: &Path,
    offline: bool,
) -> Client {
    let session = login(url, email, password).await.unwrap();
    let mut config = ClientConfig::new(dir);
    config.offline = offline;
    let client = Client::start(config, session).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !offline
        && !{
            let view = client.view();
            view.status.connection == Connection::Online
                && view.status.last_sync.is_some()
                && view.portal.is_some()
        }
    {
        assert!(Instant::now() < deadline, "the client did not sync");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client
}

/// A client of the demo account `email` on the shared demo server (see [`synced_client`]).
pub async fn client(email: &str, dir: &Path, offline: bool) -> Client {
    synced_client(shared_demo_url(), email, DEMO_PASSWORD, dir, offline).await
}

/// The demo accounts the sign-in screen offers.
pub fn demo_logins() -> DemoLogins {
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

/// An app on the sign-in screen of `server`; background work reports to the receiver.
pub fn app_on(server: Server, data_dir: &Path) -> (App, mpsc::UnboundedReceiver<Msg>) {
    app_in(server, data_dir, deskport::domain::i18n::Language::English)
}

/// [`app_on`] with `language` configured (what staff and the sign-in screen read).
pub fn app_in(
    server: Server,
    data_dir: &Path,
    language: deskport::domain::i18n::Language,
) -> (App, mpsc::UnboundedReceiver<Msg>) {
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
        mouse: true,
        language,
    };
    (App::new(config, options, tx), rx)
}

/// An app on the sign-in screen of the embedded-style server at `url`, offering the demo
/// accounts.
pub fn app(url: &str, data_dir: &Path) -> (App, mpsc::UnboundedReceiver<Msg>) {
    let server = Server::Embedded {
        url: url.into(),
        logins: demo_logins(),
    };
    app_on(server, data_dir)
}

/// An app signed in to `url`, once its client (cached under `dir/email`) has synced.
pub async fn signed_in(url: &str, email: &str, password: &str, dir: &Path) -> Wired<App> {
    let client = synced_client(url, email, password, &dir.join(email), false).await;
    let (mut app, rx) = app(url, dir);
    assert!(app.update(Msg::SignedIn(Ok(client))));
    Wired { inner: app, rx }
}

/// An app signed in to the shared demo server as the demo account `email`.
pub async fn signed_in_demo(email: &str, dir: &Path) -> Wired<App> {
    signed_in(shared_demo_url(), email, DEMO_PASSWORD, dir).await
}

/// A pane whose background work answers to the returned harness, as the app's would.
pub fn wired<T>(make: impl FnOnce(Tasks) -> T) -> Wired<T> {
    let (tx, rx) = mpsc::unbounded_channel();
    Wired {
        inner: make(Tasks::new(tx)),
        rx,
    }
}

/// The app or a pane together with the channel its background work answers on: drawing it
/// first hands over the answers that came (as the event loop does), and [`Wired::next`]
/// waits for the next message instead of polling.
pub struct Wired<T> {
    inner: T,
    rx: mpsc::UnboundedReceiver<Msg>,
}

impl<T> Deref for Wired<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Wired<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T: Drawn> Wired<T> {
    /// Hands over every background answer already queued; client events are dropped (the
    /// tests read the client's view as it is when they draw).
    pub fn deliver(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            if let Msg::Done(_) = msg {
                self.inner.take(msg);
            }
        }
    }

    /// Waits (at most `within`) for the next message on the channel — a background answer or
    /// a client event saying the view changed — and hands over the answers queued.
    pub async fn next(&mut self, within: Duration) {
        if let Ok(Some(msg)) = tokio::time::timeout(within, self.rx.recv()).await
            && let Msg::Done(_) = msg
        {
            self.inner.take(msg);
        }
        self.deliver();
    }
}

/// Something the harness can draw: the whole app or a pane.
pub trait Drawn {
    /// Draws itself over the whole frame.
    fn draw_frame(&mut self, frame: &mut Frame);

    /// Takes a message from its channel (an answer of its background work); what starts
    /// none takes nothing.
    fn take(&mut self, _msg: Msg) {}
}

impl Drawn for App {
    fn draw_frame(&mut self, frame: &mut Frame) {
        self.draw(frame);
    }

    fn take(&mut self, msg: Msg) {
        self.update(msg);
    }
}

impl<T: Drawn> Drawn for Wired<T> {
    fn draw_frame(&mut self, frame: &mut Frame) {
        self.deliver();
        self.inner.draw_frame(frame);
    }

    fn take(&mut self, msg: Msg) {
        self.inner.take(msg);
    }
}

impl Drawn for Tickets {
    fn take(&mut self, msg: Msg) {
        if let Msg::Done(done) = msg {
            self.background(done);
        }
    }

    fn draw_frame(&mut self, frame: &mut Frame) {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let keymap = Keymap::defaults().unwrap();
        let ctx = DrawCtx {
            theme: &theme,
            keymap: &keymap,
            focused: true,
        };
        self.draw(frame, frame.area(), ctx);
    }
}

/// What `screen` draws on a `width`×`height` terminal.
pub fn buffer(screen: &mut impl Drawn, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| screen.draw_frame(frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The rows of text `screen` draws, unmasked.
pub fn lines(screen: &mut impl Drawn, width: u16, height: u16) -> Vec<String> {
    let buffer = buffer(screen, width, height);
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

/// The screen as quoted rows, the last sync time masked as `HH:MM:SS`.
pub fn render(screen: &mut impl Drawn, width: u16, height: u16) -> String {
    let rows: Vec<String> = lines(screen, width, height)
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect();
    mask_time(&rows.join("\n"))
}

/// Like [`render`], today's date (a changed ticket's) masked as `YYYY-MM-DD` too, and the
/// time of day that follows it as `HH:MM`.
pub fn render_dated(screen: &mut impl Drawn, width: u16, height: u16) -> String {
    let today = [chrono::Local::now(), chrono::Utc::now().into()];
    let dated = today
        .iter()
        .fold(render(screen, width, height), |text, now| {
            text.replace(&now.format("%Y-%m-%d").to_string(), "YYYY-MM-DD")
        });
    let mut pieces = dated.split("YYYY-MM-DD ");
    let mut out = pieces.next().unwrap_or_default().to_string();
    for piece in pieces {
        out.push_str("YYYY-MM-DD ");
        let b = piece.as_bytes();
        let is_time =
            b.len() >= 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
        if is_time {
            out.push_str("HH:MM");
            out.push_str(&piece[5..]);
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// The screen as quoted rows, the digits after `synced ` and `127.0.0.1:` masked as `#`.
pub fn render_hashed(screen: &mut impl Drawn, width: u16, height: u16) -> String {
    let rows: Vec<String> = lines(screen, width, height)
        .iter()
        .map(|l| format!("\"{}\"", mask(l)))
        .collect();
    rows.join("\n")
}

fn mask_time(text: &str) -> String {
    // English, then Italian.
    ["synced ", "sincronizzato "]
        .iter()
        .fold(text.to_string(), |text, marker| {
            mask_time_after(&text, marker)
        })
}

fn mask_time_after(text: &str, marker: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
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

/// A key for [`key`]: a character or any other key code.
pub struct Key(KeyCode);

impl From<char> for Key {
    fn from(c: char) -> Self {
        Key(KeyCode::Char(c))
    }
}

impl From<KeyCode> for Key {
    fn from(code: KeyCode) -> Self {
        Key(code)
    }
}

/// A key press without modifiers.
pub fn key(k: impl Into<Key>) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(k.into().0, KeyModifiers::NONE)))
}

/// Escape.
pub fn esc() -> Msg {
    key(KeyCode::Esc)
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
    send(app, text.chars().map(key));
}

/// Replaces the text of the selected row: Enter starts editing, Ctrl-U empties it, the text
/// is typed and Enter keeps it.
pub fn edit(app: &mut App, text: &str) {
    send(app, [key(KeyCode::Enter), ctrl('u')]);
    typed(app, text);
    send(app, [key(KeyCode::Enter)]);
}

/// Renders until the screen shows `text` (answers from the server arrive in the background).
pub async fn settle<T: Drawn>(app: &mut Wired<T>, width: u16, height: u16, text: &str) -> String {
    until_drawn(app, text, |app| render(app, width, height)).await
}

/// Like [`settle`] at 80×24, drawn with [`render_hashed`].
pub async fn wait_for<T: Drawn>(app: &mut Wired<T>, text: &str) -> String {
    until_drawn(app, text, |app| render_hashed(app, 80, 24)).await
}

/// Draws after each message that arrives until the screen shows `text`. A change that sends
/// no message of its own (a write leaving the outbox shows in the view, and client events are
/// not applied here) is caught by drawing again at least every 200 ms.
async fn until_drawn<T: Drawn>(
    app: &mut Wired<T>,
    text: &str,
    draw: impl Fn(&mut Wired<T>) -> String,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let screen = draw(app);
        if screen.contains(text) {
            return screen;
        }
        assert!(Instant::now() < deadline, "no {text:?} in:\n{screen}");
        app.next(Duration::from_millis(200)).await;
    }
}

/// Waits until the app's client has no write pending.
pub async fn settled(app: &mut App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.client().unwrap().view().pending_writes() > 0 {
        assert!(Instant::now() < deadline, "a write stayed pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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

/// The .eml files in the server's mail folder under `dir`.
pub fn eml_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("server").join("mail"))
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The first mail in `dir`'s server mail folder that `wanted` picks, waiting for it: the
/// server sends sign-in and registration mail after it answered.
pub async fn mail_when(dir: &Path, wanted: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        if let Some(mail) = eml_files(dir).into_iter().find(|m| wanted(m)) {
            return mail;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no such mail in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens the ticket the filter `text` finds (a subject, or `#id`) and waits until its thread
/// has arrived.
pub async fn open_thread(pane: &mut Wired<Tickets>, text: &str) {
    pane.handle(Action::Filter);
    for c in text.chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    pane.handle(Action::Confirm);
    pane.handle(Action::Confirm);
    let deadline = Instant::now() + Duration::from_secs(10);
    while render_dated(pane, 120, 40).contains("Loading the thread") {
        assert!(Instant::now() < deadline, "the thread did not load");
        pane.next(Duration::from_secs(10)).await;
    }
}
