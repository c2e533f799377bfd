//! Terminal safety end to end: a customer whose name, ticket subject and reply carry a
//! title-setting OSC sequence, an icon-name and a clipboard OSC and a screen clear. The real
//! `deskport` runs in a pseudo-terminal signed in as that customer; while it lists and opens
//! the ticket, the terminal (vt100) never gets a window title, icon name or clipboard write,
//! the screen is never cleared, and the text around the sequences is drawn. The app's log
//! (at trace level) holds neither its session token nor the raw sequences.

mod common;

use common::pty::{App, Dirs};
use deskport::client::login;
use deskport::server::demo::{DEMO_PASSWORD, demo_batch};
use deskport::server::mail::FileMailer;
use deskport::server::security::hash_password;
use deskport::server::serve;
use deskport::server::store::Store;
use deskport::server::store::sqlite::SqliteStore;
use serde_json::{Value, json};
use std::sync::Arc;
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

/// Screen clears (`ESC [ 2 J`) the app wrote so far.
fn clears(app: &App<Requests>) -> usize {
    app.output().windows(4).filter(|w| w == b"\x1b[2J").count()
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
    let dirs = Dirs::new();
    let url = hostile_server(&dirs.root.path().join("server"));
    let config = dirs.config();
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

    let mut app = App::start_with(
        &dirs,
        &[],
        &[("RUST_LOG", "trace")],
        (120, 40),
        Requests::default(),
    );
    let listed = app.wait_for("Printer on fire");
    let clears_at_start = clears(&app);
    assert!(listed.contains("Tickets"), "{listed}");
    app.send(&format!("/#{id}\r"));
    app.wait_for(&format!("#{id}"));
    app.send("\r");
    let thread = app.wait_for("Still smoking");
    assert!(thread.contains("Carla Evil"), "the name is drawn: {thread}");
    assert!(thread.contains("Printer on fire"), "{thread}");
    assert!(thread.contains("Tickets"), "the tab bar survived: {thread}");

    let parser = app.parser();
    assert!(
        parser.callbacks().titles.is_empty(),
        "the window title or icon name was set: {:?}",
        parser.callbacks().titles
    );
    assert_eq!(parser.callbacks().clipboard, 0, "the clipboard was written");
    let output = app.output();
    let out = String::from_utf8_lossy(&output);
    assert!(
        !out.contains("pwned"),
        "a hostile payload reached the terminal"
    );
    assert!(
        !out.contains("\x1b]"),
        "an OSC sequence reached the terminal"
    );
    drop(parser);
    assert_eq!(
        clears(&app),
        clears_at_start,
        "the screen was cleared while hostile text was drawn"
    );

    // The app's own log (written at trace level here) holds neither the session token nor
    // the hostile sequences.
    app.send("q");
    app.wait_exit();
    let log =
        std::fs::read_to_string(dirs.root.path().join("data/logs/deskport.log")).expect("log");
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
    assert_private(&dirs.root.path().join("data"));
    assert_private(&dirs.root.path().join("config"));
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
