//! End-to-end tests of the Tickets pane: the real `deskport` binary in a pseudo-terminal with
//! temporary data and config dirs, its screen parsed with vt100, checked against the embedded
//! server it started (its address is in the lock file) over the API. Every step waits until
//! the screen shows what it should instead of sleeping.

use deskport::client::{ApiClient, login};
use deskport::domain::portal::PortalPatch;
use deskport::domain::wire::{CustomerTicketInput, TicketInput};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);
const PASSWORD: &str = "deskport-demo";

/// Temporary `DESKPORT_DATA_DIR` and `DESKPORT_CONFIG_DIR`.
struct Dirs {
    root: tempfile::TempDir,
}

impl Dirs {
    fn new() -> Self {
        Dirs {
            root: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> std::path::PathBuf {
        self.root.path().join("data")
    }

    fn config(&self) -> std::path::PathBuf {
        self.root.path().join("config")
    }
}

/// The binary running in a pseudo-terminal.
struct App {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    output: Arc<Mutex<Vec<u8>>>,
}

impl App {
    fn start(dirs: &Dirs, args: &[&str], env: &[(&str, &str)], size: (u16, u16)) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_deskport"));
        cmd.args(args);
        cmd.cwd(dirs.root.path());
        cmd.env("DESKPORT_DATA_DIR", dirs.data());
        cmd.env("DESKPORT_CONFIG_DIR", dirs.config());
        cmd.env("TERM", "xterm-256color");
        cmd.env("RUST_BACKTRACE", "0");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("DESKPORT_TEST_PANIC");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size.1, size.0, 0)));
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let (s, o) = (screen.clone(), output.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                o.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        App {
            _master: pty.master,
            writer,
            child,
            screen,
            output,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `check`; panics with the screen after the timeout.
    fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let contents = self.contents();
            if check(&contents) {
                return contents;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen shows:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

/// The embedded server's URL, from the lock file the app wrote.
fn server_url(dirs: &Dirs) -> String {
    let path = dirs.data().join("embedded").join("server.lock");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some(url) = text.lines().nth(1).map(str::trim).filter(|u| !u.is_empty()) {
            return url.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "no server address in {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An API client signed in as `email`.
async fn api(url: &str, email: &str) -> (ApiClient, i64) {
    let session = login(url, email, PASSWORD).await.unwrap();
    let api = ApiClient::new(url).unwrap().with_token(session.token);
    (api, session.account.id)
}

/// Waits until `check` holds (polling the server).
async fn eventually<F: std::future::Future<Output = bool>>(what: &str, check: impl Fn() -> F) {
    let deadline = Instant::now() + TIMEOUT;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn count_after(screen: &str, label: &str) -> usize {
    let at = screen.find(label).unwrap() + label.len();
    screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn an_agent_filters_opens_and_takes_a_ticket_and_the_server_has_it() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.send("/");
    app.send("invoice owner:none");
    app.wait_for("/invoice owner:none");
    app.send("\r");
    app.wait_for("Enter open ticket");
    app.send("\r");
    let screen = app.wait_for("── description");
    let at = screen.find("Ticket #").unwrap() + "Ticket #".len();
    let id: i64 = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    assert!(screen.contains("Owner     unassigned"), "{screen}");
    app.send("A");
    app.wait_for("Owner     Sam Carter");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api(&url, "ada@deskport.test").await;
        let (_, sam) = api(&url, "sam@deskport.test").await;
        eventually("the assignment on the server", || async {
            let detail = ada.ticket(id).await.unwrap().body;
            serde_json::to_value(&detail.ticket).unwrap()["owner_id"] == sam
        })
        .await;
    });
    app.send("\x1b");
    let screen = app.wait_for("Tickets ·");
    assert!(
        !screen.contains(&format!("#{id} ")),
        "no longer unassigned: {screen}"
    );
}

#[test]
fn a_customer_sees_colleagues_tickets_once_the_mode_changes() {
    let dirs = Dirs::new();
    let app = App::start(&dirs, &["--user", "carla@acme.test"], &[], (120, 40));
    let screen = app.wait_for("Your tickets · ");
    let own = count_after(&screen, "Your tickets · ");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api(&url, "ada@deskport.test").await;
        let portal = ada.portal().await.unwrap();
        let patch: PortalPatch =
            serde_json::from_value(serde_json::json!({"ticket_permission": {"mode": "company"}}))
                .unwrap();
        ada.patch_portal(portal.version.unwrap(), &patch, None)
            .await
            .unwrap();
    });
    let screen = app.wait_until("the company's tickets", |s| {
        s.contains("Your tickets · ") && count_after(s, "Your tickets · ") > own
    });
    assert!(count_after(&screen, "Your tickets · ") > own, "{screen}");
}

#[test]
fn escape_sequences_in_a_subject_draw_harmlessly() {
    let dirs = Dirs::new();
    let app = App::start(&dirs, &["--user", "carla@acme.test"], &[], (100, 30));
    app.wait_for("Your tickets · ");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (carla, _) = api(&url, "carla@acme.test").await;
        let input = TicketInput::Customer(CustomerTicketInput {
            subject: "Printer \x1b]0;pwned\x07\x1b[2Jon fire".into(),
            description: "It smokes.".into(),
            form_fields: Default::default(),
        });
        carla.create_ticket(&input, None).await.unwrap();
    });
    let screen = app.wait_for("Printer on fire");
    assert!(
        screen.contains("1 Tickets"),
        "the screen was not cleared: {screen}"
    );
    let out = String::from_utf8_lossy(&app.output()).into_owned();
    assert!(
        !out.contains("pwned"),
        "the title sequence reached the terminal"
    );
}

#[test]
fn an_agent_replies_from_the_composer_and_the_server_has_the_reply() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.wait_for("▶  #");
    app.send("\r");
    let screen = app.wait_for("── description");
    let at = screen.find("Ticket #").unwrap() + "Ticket #".len();
    let id: i64 = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    app.send("r");
    app.wait_for(&format!("Reply to #{id}"));
    app.send("Restarted the sync service; quit and reopen the app, please.");
    app.wait_for("quit and reopen the app");
    app.send("\x13");
    app.wait_until("the composer to close", |s| !s.contains("Reply to #"));
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api(&url, "ada@deskport.test").await;
        eventually("the reply on the server", || async {
            let detail = ada.ticket(id).await.unwrap().body;
            detail.messages.iter().any(|m| {
                !m.internal
                    && m.body == "Restarted the sync service; quit and reopen the app, please."
            })
        })
        .await;
    });
    app.wait_for("quit and reopen the app");
}

/// The ids of the rows marked `✓` on `screen`.
fn marked_ids(screen: &str) -> Vec<i64> {
    screen
        .lines()
        .filter_map(|l| {
            let at = l.find("✓ #")? + "✓ #".len();
            l[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn an_agent_bulk_assigns_marked_tickets_and_the_server_has_them() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.send("/owner:none");
    app.wait_for("/owner:none");
    app.send("\r");
    app.wait_for("▶  #");
    app.send(" ");
    app.wait_for("· 1 marked");
    app.send("jjv");
    let screen = app.wait_for("· 4 marked");
    let ids = marked_ids(&screen);
    assert_eq!(ids.len(), 4, "{screen}");
    app.send("a");
    app.wait_for("Owner of 4 marked");
    app.send("gj");
    app.wait_until("Lin Chen chosen", |s| s.contains("▶ Lin Chen"));
    app.send("\r");
    app.wait_for("Assign 4 tickets to Lin Chen? y/n");
    app.send("y");
    app.wait_for("bulk change of 4 tickets: 4 changed");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api(&url, "ada@deskport.test").await;
        let (_, lin) = api(&url, "lin@deskport.test").await;
        for id in ids {
            let detail = ada.ticket(id).await.unwrap().body;
            assert_eq!(
                serde_json::to_value(&detail.ticket).unwrap()["owner_id"],
                lin,
                "ticket #{id} belongs to Lin on the server"
            );
        }
    });
    let screen = app.wait_until("the marks cleared", |s| !s.contains("marked"));
    assert!(!screen.contains('✓'), "{screen}");
}

#[test]
fn an_admin_sees_who_can_see_a_ticket_after_switching_to_company_mode() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "ada@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let id = rt.block_on(async {
        let (dan, _) = api(&url, "dan@acme.test").await;
        let page = dan
            .tickets(&deskport::client::TicketQuery::default())
            .await
            .unwrap();
        let first = page.items.first().expect("Dan has tickets");
        let id = serde_json::to_value(first).unwrap()["id"].as_i64().unwrap();
        let (ada, _) = api(&url, "ada@deskport.test").await;
        let portal = ada.portal().await.unwrap();
        let patch: PortalPatch =
            serde_json::from_value(serde_json::json!({"ticket_permission": {"mode": "company"}}))
                .unwrap();
        ada.patch_portal(portal.version.unwrap(), &patch, None)
            .await
            .unwrap();
        id
    });
    app.send("]]]");
    app.wait_until("the All queue", |s| {
        s.contains("[All ") && !s.contains("[All open")
    });
    app.send(&format!("/#{id} "));
    app.send("\r");
    let row = format!("▶  #{id} ");
    app.wait_for(&row);
    app.send("W");
    let screen = app.wait_for("Carla Reyes");
    assert!(
        screen.contains(&format!("Who can see #{id} · company mode")),
        "{screen}"
    );
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Carla Reyes"))
        .unwrap();
    assert!(
        lines[at + 1].contains("same company (company mode)"),
        "Carla sees it through her company: {screen}"
    );
    assert!(screen.contains("Dan Ito"), "{screen}");
    app.send("\x1b");
    let screen = app.wait_until("the popup to close", |s| !s.contains("Who can see"));
    assert!(screen.contains(&row), "{screen}");
}
