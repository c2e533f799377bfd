//! `deskport serve` and `deskport staff add` through the real binary.

mod common;

use common::process::{deskport, free_port, until_healthy};
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `deskport serve` child that is stopped (SIGINT, then killed) when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    async fn start(home: &Path, data_dir: &Path, demo: bool) -> Served {
        let port = free_port();
        let mut cmd = deskport(home);
        cmd.args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir);
        if demo {
            cmd.args(["--demo", "--demo-tickets", "30"]);
        }
        let child = cmd.spawn().expect("deskport serve starts");
        let served = Served {
            child,
            base: format!("http://127.0.0.1:{port}/api/v1"),
        };
        until_healthy(&served.base).await;
        served
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = reqwest::Client::new().request(
            method.parse().expect("method"),
            format!("{}{path}", self.base),
        );
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("sent");
        let status = resp.status().as_u16();
        let etag = resp
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut body: Value = resp.json().await.unwrap_or(Value::Null);
        if let (Some(tag), Some(obj)) = (etag, body.as_object_mut()) {
            obj.insert("_etag".into(), json!(tag));
        }
        (status, body)
    }

    async fn login(&self, email: &str, password: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// Interrupts the server like Ctrl-C and waits for it to finish.
    fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .is_ok_and(|s| s.success());
        assert!(sent, "kill -INT");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the server did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[tokio::test]
async fn serve_demo_answers_and_stops_on_interrupt() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("server");
    let served = Served::start(home.path(), &data, true).await;
    let (status, health) = served.call("GET", "/healthz", None, None).await;
    assert_eq!((status, &health["status"]), (200, &json!("ok")));
    let token = served.login("ada@deskport.test", "deskport-demo").await;
    let (status, me) = served.call("GET", "/me", Some(&token), None).await;
    assert_eq!((status, &me["user"]["role"]), (200, &json!("admin")));
    let (status, page) = served
        .call("GET", "/tickets?limit=5", Some(&token), None)
        .await;
    assert_eq!(
        (status, page["items"].as_array().map(Vec::len)),
        (200, Some(5))
    );
    assert!(served.stop().success(), "a clean exit on Ctrl-C");
    assert!(data.join("deskport.db").exists());
}

#[tokio::test]
async fn staff_add_creates_the_first_admin_of_a_fresh_server() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("server");
    let mut add = deskport(home.path())
        .args(["staff", "add", "--data-dir"])
        .arg(&data)
        .args([
            "--email",
            "Boss@Example.test",
            "--name",
            "The Boss",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deskport staff add starts");
    add.stdin
        .take()
        .expect("stdin")
        .write_all(b"correct-horse-battery\n")
        .expect("password written");
    let out = add.wait_with_output().expect("staff add ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("boss@example.test"));

    let served = Served::start(home.path(), &data, false).await;
    let token = served
        .login("boss@example.test", "correct-horse-battery")
        .await;
    let (status, portal) = served.call("GET", "/portal", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (&portal["configured"], &portal["default_inbox_id"]),
        (&json!(false), &Value::Null),
        "{portal}"
    );
    let (status, me) = served.call("GET", "/me", Some(&token), None).await;
    assert_eq!((status, &me["user"]["role"]), (200, &json!("admin")));
    // The setup wizard has a domain and an inbox to offer.
    let (_, domains) = served.call("GET", "/domains", Some(&token), None).await;
    assert!(
        domains
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["system"] == true)),
        "{domains}"
    );
    let (_, inboxes) = served.call("GET", "/inboxes", Some(&token), None).await;
    assert_eq!(inboxes[0]["name"], "Support", "{inboxes}");
    let (status, _) = served
        .call(
            "POST",
            "/auth/login",
            None,
            Some(json!({"email": "ada@deskport.test", "password": "deskport-demo"})),
        )
        .await;
    assert_eq!(status, 401, "no demo accounts on a fresh server");
    drop(served);

    // The same email twice is refused.
    let again = deskport(home.path())
        .args(["staff", "add", "--data-dir"])
        .arg(&data)
        .args([
            "--email",
            "boss@example.test",
            "--name",
            "Boss",
            "--role",
            "agent",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .expect("stdin")
                .write_all(b"another-password\n")?;
            c.wait()
        })
        .expect("runs");
    assert!(!again.success());
}
