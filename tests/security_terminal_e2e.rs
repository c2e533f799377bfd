//! Terminal safety end to end: a customer whose name, ticket subject and reply carry a
//! title-setting OSC sequence, an icon-name and a clipboard OSC and a screen clear. The real
//! `deskport` runs in a pseudo-terminal signed in as that customer; while it lists and opens
//! the ticket, the terminal (vt100) never gets a window title, icon name or clipboard write,
//! the screen is never cleared, and the text around the sequences is drawn. The app's log
//! (at trace level) holds neither its session token nor the raw sequences.

use deskport::client::login;
use deskport::server::demo::{DEMO_PASSWORD, demo_batch};
use deskport::server::mail::FileMailer;
use deskport::server::security::hash_password;
use deskport::server::serve;
use deskport::server::store::Store;
use deskport::server::store::sqlite::SqliteStore;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);
/// Sets the window title and icon name, writes the clipboard, clears the screen.
const HOSTILE: &str =
    "\x1b]0;pwned-title\x07\x1b]1;pwned-icon\x1b\\\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[H";

/// What the terminal was asked to do besides drawing.
#[derive(Default)]
struct Requests {
    titles: Vec<String>,
    clipboard: usize,
}

impl vt100::Callbacks for Requests {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles
            .push(String::from_utf8_lossy(title).into_owned());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(String::from_utf8_lossy(name).into_owned());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], _: &[u8]) {
        self.clipboard += 1;
    }
}

/// Everything the app wrote, and the screen it makes.
struct Terminal {
    parser: vt100::Parser<Requests>,
    output: Vec<u8>,
}

struct App {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    term: Arc<Mutex<Terminal>>,
}

impl App {
    fn start(data: &std::path::Path, config: &std::path::Path) -> App {
        let (cols, rows) = (120, 40);
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_deskport"));
        cmd.env("DESKPORT_DATA_DIR", data);
        cmd.env("DESKPORT_CONFIG_DIR", config);
        cmd.env("TERM", "xterm-256color");
        cmd.env("RUST_LOG", "trace");
        cmd.env_remove("NO_COLOR");
        let child = pty.slave.spawn_command(cmd).expect("deskport runs");
        drop(pty.slave);
        let term = Arc::new(Mutex::new(Terminal {
            parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Requests::default()),
            output: Vec::new(),
        }));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let t = term.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = t.lock().expect("terminal");
                t.parser.process(&buf[..n]);
                t.output.extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("writer");
        App {
            _master: pty.master,
            writer,
            child,
            term,
        }
    }

    fn contents(&self) -> String {
        self.term
            .lock()
            .expect("terminal")
            .parser
            .screen()
            .contents()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let contents = self.contents();
            if contents.contains(text) {
                return contents;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen shows:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Screen clears (`ESC [ 2 J`) written so far.
    fn clears(&self) -> usize {
        let t = self.term.lock().expect("terminal");
        t.output.windows(4).filter(|w| w == b"\x1b[2J").count()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A demo server whose customer Carla has a hostile name, on its own runtime thread.
fn hostile_server(dir: &std::path::Path) -> String {
    let data = dir.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let hash = hash_password(DEMO_PASSWORD).expect("hash");
            let mut batch = demo_batch(30, &hash);
            for (contact, _) in &mut batch.contacts {
                if contact.email == "carla@acme.test" {
                    contact.name = format!("Carla{HOSTILE} Evil");
                }
            }
            std::fs::create_dir_all(&data).expect("data dir");
            let store = Arc::new(SqliteStore::open(&data.join("deskport.db")).expect("store"));
            store.import(batch).await.expect("import");
            let mailer = Arc::new(FileMailer::new(data.join("mail")));
            let server = serve(store, mailer, "127.0.0.1:0".parse().expect("addr"))
                .await
                .expect("server starts");
            tx.send(format!("http://{}", server.addr))
                .expect("send url");
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("server url")
}

async fn post(http: &reqwest::Client, url: String, token: &str, body: Value) -> Value {
    let resp = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert!(resp.status().is_success(), "{}", resp.status());
    resp.json().await.expect("json")
}

#[test]
fn hostile_sequences_in_subject_reply_and_name_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = hostile_server(&dir.path().join("server"));
    let config = dir.path().join("config");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (id, token) = rt.block_on(async {
        let session = login(&url, "carla@acme.test", DEMO_PASSWORD)
            .await
            .expect("login");
        let http = reqwest::Client::new();
        let api = format!("{url}/api/v1");
        let subject = format!("Printer{HOSTILE} on fire");
        let ticket = post(
            &http,
            format!("{api}/tickets"),
            &session.token,
            json!({"subject": subject, "description": "It smokes."}),
        )
        .await;
        let id = ticket["id"].as_i64().expect("id");
        let reply = format!("Still{HOSTILE} smoking");
        post(
            &http,
            format!("{api}/tickets/{id}/messages"),
            &session.token,
            json!({"body": reply}),
        )
        .await;
        session.save(&config).expect("session saved");
        (id, session.token)
    });

    let mut app = App::start(&dir.path().join("data"), &config);
    let listed = app.wait_for("Printer on fire");
    let clears_at_start = app.clears();
    assert!(listed.contains("Tickets"), "{listed}");
    app.send(&format!("/#{id}\r"));
    app.wait_for(&format!("#{id}"));
    app.send("\r");
    let thread = app.wait_for("Still smoking");
    assert!(thread.contains("Carla Evil"), "the name is drawn: {thread}");
    assert!(thread.contains("Printer on fire"), "{thread}");
    assert!(thread.contains("Tickets"), "the tab bar survived: {thread}");

    let t = app.term.lock().expect("terminal");
    assert!(
        t.parser.callbacks().titles.is_empty(),
        "the window title or icon name was set: {:?}",
        t.parser.callbacks().titles
    );
    assert_eq!(
        t.parser.callbacks().clipboard,
        0,
        "the clipboard was written"
    );
    let out = String::from_utf8_lossy(&t.output);
    assert!(
        !out.contains("pwned"),
        "a hostile payload reached the terminal"
    );
    assert!(
        !out.contains("\x1b]"),
        "an OSC sequence reached the terminal"
    );
    drop(t);
    assert_eq!(
        app.clears(),
        clears_at_start,
        "the screen was cleared while hostile text was drawn"
    );

    // The app's own log (written at trace level here) holds neither the session token nor
    // the hostile sequences.
    app.send("q");
    let deadline = Instant::now() + TIMEOUT;
    while app.child.try_wait().ok().flatten().is_none() {
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(30));
    }
    let log = std::fs::read_to_string(dir.path().join("data/logs/deskport.log")).expect("log");
    assert!(!log.is_empty(), "the app logged at trace level");
    assert!(
        !log.contains(&token),
        "the session token is in the app's log"
    );
    assert!(
        !log.contains("\x1b]"),
        "a raw OSC sequence is in the app's log"
    );

    // Everything the app wrote (session, cache, the pane's saved state, the log) is private.
    assert_private(&dir.path().join("data"));
    assert_private(&dir.path().join("config"));
}

/// Every file under `root` is 0600 and every dir 0700.
fn assert_private(root: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut files = 0;
    let mut todo = vec![root.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::metadata(&path).expect("metadata");
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "{} is {mode:o}", path.display());
            for entry in std::fs::read_dir(&path).expect("read dir") {
                todo.push(entry.expect("entry").path());
            }
        } else {
            assert_eq!(mode, 0o600, "{} is {mode:o}", path.display());
            files += 1;
        }
    }
    assert!(files > 0, "nothing under {}", root.display());
}
