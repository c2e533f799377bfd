//! End to end in pseudo-terminals, as issue 7 asks: in the real `deskport` binary (embedded
//! demo server) an admin switches Billing to round robin and writes the rule "subject contains
//! invoice → Billing" in the Routing pane, tries it in the tester and saves it; then a customer,
//! carla@acme.test, in a second `deskport` on the same data dir, submits two invoice tickets
//! through the support form (`N` on the Tickets tab). The server, asked over HTTP as ada, has
//! both in Billing with two different agents. The admin also creates an inbox in the pane,
//! which goes through the outbox like every other routing write.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

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
        let mut reader = pty.master.try_clone_reader().unwrap();
        let s = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        App {
            _master: pty.master,
            writer,
            child,
            screen,
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

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the app did not exit; the screen shows:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

/// A small HTTP client for the embedded server the app started.
struct Http {
    base: String,
    http: reqwest::Client,
}

impl Http {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(
            status.is_success(),
            "{method_path}: {status} {body}",
            method_path = path
        );
        body
    }

    async fn login(&self, email: &str) -> String {
        let body = json!({"email": email, "password": "deskport-demo"});
        let answer = self
            .call(reqwest::Method::POST, "/auth/login", None, Some(body))
            .await;
        answer["token"].as_str().unwrap().to_string()
    }
}

/// The embedded server's address, from the lock file the first instance wrote.
fn server_url(dirs: &Dirs) -> String {
    std::fs::read_to_string(dirs.data().join("embedded/server.lock"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("http"))
        .unwrap()
        .to_string()
}

/// Polls `GET path` as `token` until `check` holds for the answer; returns it.
async fn until(
    http: &Http,
    path: &str,
    token: &str,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let answer = http
            .call(reqwest::Method::GET, path, Some(token), None)
            .await;
        if check(&answer) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "{what} never reached the server: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The admin's part: Billing to round robin with no limit, the invoice rule on top (tried in
/// the tester first), and a new inbox.
fn admin_sets_up_routing(app: &mut App) {
    app.wait_for("ada@deskport.test · admin · embedded │ ● online");
    app.send("2");
    app.wait_until("the routing list with counts", |s| {
        s.contains("Routing rules (4)") && s.contains("Billing · ") && s.contains(" open, ")
    });

    // Billing: round robin, no capacity limit.
    app.send("jjj");
    app.send("e");
    app.wait_for("Edit inbox");
    app.send("\t\t  \t\x15");
    app.wait_for("‹round robin›");
    app.send("\x13");
    app.wait_for("help desk · round robin · Sam Carter, Lin Chen · no limit");

    // A new inbox, through the outbox.
    app.send("n");
    app.wait_for("New inbox");
    app.send("Refunds\t \t \t");
    app.wait_until("the new inbox's choices", |s| {
        s.contains("‹help desk›") && s.contains("‹round robin›")
    });
    app.send("\x13");
    app.wait_until("the new inbox on the server, with its counts", |s| {
        s.contains("Refunds · 0 open, 0 unassigned")
            && s.contains("help desk · round robin · no members · no limit")
    });

    // A rule on top: subject contains "invoice" → Billing, by the inbox's method.
    app.send("G");
    app.send("n");
    app.wait_for("New routing rule");
    app.send("Invoices round robin\t\t\t \t\t\t\t\tinvoice");
    app.wait_until("the draft", |s| {
        s.contains("‹Billing›") && s.contains("invoice")
    });
    app.send("\x14");
    app.wait_for("Test routing with the draft rule");
    app.send("Invoice 1001 looks wrong\x13");
    let screen = app.wait_for("Lands in:");
    assert!(
        screen.contains("rule \"Invoices round robin\"") && screen.contains("Lands in:    Billing"),
        "{screen}"
    );
    app.send("\x1b");
    app.wait_for("New routing rule");
    app.send("\x13");
    app.wait_until("the saved rule on top", |s| {
        s.contains("Routing rules (5)") && s.contains("1. [on ] Invoices round robin → Billing")
    });
}

/// The customer's part: two tickets through the support form.
fn customer_submits_two_invoices(app: &mut App, subjects: &[&str]) {
    app.wait_for("carla@acme.test · customer · embedded │ ● online");
    app.wait_for("[1 Tickets]");
    for subject in subjects {
        app.send("N");
        app.wait_for("Ctrl-S send · Tab next field");
        app.send(subject);
        app.send("\tThe total is off by one line.");
        app.wait_for("The total is off by one line.");
        app.send("\x13");
        app.wait_until("the form to close", |s| {
            !s.contains("Ctrl-S send · Tab next field")
        });
        app.wait_for(subject);
    }
}

#[test]
fn an_invoice_rule_made_in_the_tui_spreads_a_customers_tickets_over_billing() {
    let dirs = Dirs::new();
    let mut admin = App::start(&dirs, &["--user", "ada@deskport.test"], &[], (100, 30));
    admin_sets_up_routing(&mut admin);

    let http = Http {
        base: server_url(&dirs),
        http: reqwest::Client::new(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ada = runtime.block_on(async {
        let ada = http.login("ada@deskport.test").await;
        until(&http, "/routing-rules", &ada, "the rule", |rules| {
            rules[0]["name"] == "Invoices round robin"
        })
        .await;
        let inboxes = until(&http, "/inboxes", &ada, "the new inbox", |list| {
            list.as_array()
                .is_some_and(|l| l.iter().any(|b| b["name"] == "Refunds"))
        })
        .await;
        let billing = inboxes
            .as_array()
            .and_then(|l| l.iter().find(|b| b["name"] == "Billing"))
            .cloned()
            .unwrap();
        assert_eq!(
            (&billing["assignment"], &billing["capacity"]),
            (&json!("round_robin"), &Value::Null),
            "{billing}"
        );
        ada
    });

    let subjects = ["Invoice 1001 looks wrong", "Invoice 1002 is missing a line"];
    let mut carla = App::start(&dirs, &["--user", "carla@acme.test"], &[], (100, 30));
    customer_submits_two_invoices(&mut carla, &subjects);

    runtime.block_on(async {
        let mut owners = Vec::new();
        for subject in subjects {
            let path = format!("/tickets?q={}", subject.replace(' ', "%20"));
            let page = until(&http, &path, &ada, subject, |p| {
                p["items"].as_array().is_some_and(|i| !i.is_empty())
            })
            .await;
            let id = page["items"][0]["id"].as_i64().unwrap();
            let ticket = http
                .call(
                    reqwest::Method::GET,
                    &format!("/tickets/{id}"),
                    Some(&ada),
                    None,
                )
                .await;
            assert_eq!(ticket["subject"], subject, "{ticket}");
            assert_eq!(ticket["source"], "portal", "{ticket}");
            assert_eq!(ticket["inbox_name"], "Billing", "{ticket}");
            owners.push(ticket["owner_id"].as_i64().expect("an agent is assigned"));
        }
        assert_ne!(owners[0], owners[1], "round robin takes turns: {owners:?}");
    });

    for app in [&mut carla, &mut admin] {
        app.send("q");
        assert!(app.wait_exit().success());
    }
}
