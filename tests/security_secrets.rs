//! Secrets stay secret: the real `deskport serve`, logging at `trace` to a file, is signed in
//! to and sent good and bad requests; neither its log nor any answer holds a token, a token's
//! hash, a password or a password hash. The CLI (`login`, `sync`, `tickets`, `portal show`)
//! prints none of them either, and keeps its files 0600. A world-writable data dir is refused.

mod common;

use common::process::{files_under, listen_address_in_log};
use common::{ADA, CARLA, DEMO_PASSWORD};
use deskport::server::security::digest;
use deskport::server::store::Store;
use deskport::server::store::sqlite::SqliteStore;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A `deskport serve` child process logging to a file; killed on drop.
struct Served {
    child: Child,
    base: String,
    log: PathBuf,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real binary on a free loopback port with the demo portal and `RUST_LOG=trace`.
fn serve() -> Served {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let log = dir.path().join("server.log");
    let child = Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--demo-tickets",
            "20",
        ])
        .arg("--data-dir")
        .arg(&data)
        .env("RUST_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("deskport serve runs");
    let base = listen_address_in_log(&log);
    Served {
        child,
        base,
        log,
        data,
        _dir: dir,
    }
}

/// What a request answered: status and body text.
async fn send(
    http: &reqwest::Client,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, String) {
    let mut req = http.request(method.parse().expect("method"), url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    (status, resp.text().await.expect("body"))
}

async fn login(http: &reqwest::Client, base: &str, email: &str) -> String {
    let (status, text) = send(
        http,
        "POST",
        &format!("{base}/auth/login"),
        None,
        Some(json!({"email": email, "password": DEMO_PASSWORD})),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let v: Value = serde_json::from_str(&text).expect("json");
    v["token"].as_str().expect("token").to_string()
}

/// The password hash of `email` in the server's database.
async fn password_hash(data: &Path, email: &str) -> String {
    let store = SqliteStore::open(&data.join("deskport.db")).expect("store opens");
    store
        .credentials(email.to_string())
        .await
        .expect("store")
        .expect("account")
        .password_hash
        .expect("a password")
}

/// Asserts `text` (named `what`) holds none of `secrets`.
#[track_caller]
fn assert_clean(what: &str, text: &str, secrets: &[(&str, &str)]) {
    for (name, secret) in secrets {
        assert!(!secret.is_empty(), "{name} is empty");
        assert!(!text.contains(secret), "{what} holds the {name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_server_log_or_an_answer() {
    let served = serve();
    let base = served.base.clone();
    let http = reqwest::Client::new();
    let admin = login(&http, &base, ADA).await;
    let customer = login(&http, &base, CARLA).await;
    let hash = password_hash(&served.data, ADA).await;

    let mut answers = Vec::new();
    let wrong = json!({"email": ADA, "password": "not the password"});
    let altered = format!("{admin}x");
    let calls: Vec<(&str, String, Option<&str>, Option<Value>)> = vec![
        ("GET", "/me".into(), Some(&admin), None),
        ("GET", "/tickets?limit=5".into(), Some(&customer), None),
        ("GET", "/sync".into(), Some(&customer), None),
        ("GET", "/sync?cursor=garbage".into(), Some(&customer), None),
        ("GET", "/contacts".into(), Some(&customer), None),
        ("GET", "/tickets/999999".into(), Some(&admin), None),
        ("POST", "/auth/login".into(), None, Some(wrong)),
        (
            "POST",
            "/tickets".into(),
            Some(&customer),
            Some(json!({"x": 1})),
        ),
        ("PATCH", "/portal".into(), Some(&admin), Some(json!({}))),
        ("GET", "/me".into(), Some("not-a-token"), None),
        ("GET", "/me".into(), Some(&altered), None),
        ("POST", "/auth/logout".into(), Some(&customer), None),
        ("GET", "/me".into(), Some(&customer), None),
    ];
    for (method, path, token, body) in calls {
        let (status, text) = send(&http, method, &format!("{base}{path}"), token, body).await;
        answers.push(format!("{method} {path} -> {status}: {text}"));
    }
    let secrets = [
        ("admin token", admin.as_str()),
        ("customer token", customer.as_str()),
        ("admin token hash", &digest(&admin)),
        ("customer token hash", &digest(&customer)),
        ("password", DEMO_PASSWORD),
        ("password hash", hash.as_str()),
    ];
    for answer in &answers {
        assert_clean(answer, answer, &secrets);
    }
    assert!(
        answers.last().is_some_and(|a| a.contains("-> 401")),
        "signed out: {answers:?}"
    );
    let log = std::fs::read_to_string(&served.log).expect("log");
    assert!(
        log.lines().count() > 5,
        "the log has entries to check: {log}"
    );
    assert_clean("the server log", &log, &secrets);
}

/// Runs the client CLI with its own data and config dirs.
fn cli(data: &Path, config: &Path, args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(args)
        .env("DESKPORT_DATA_DIR", data)
        .env("DESKPORT_CONFIG_DIR", config)
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deskport runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("stdin");
    }
    let out = child.wait_with_output().expect("deskport ends");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_prints_no_secret_and_keeps_its_files_private() {
    let served = serve();
    let url = served.base.trim_end_matches("/api/v1").to_string();
    let hash = password_hash(&served.data, ADA).await;
    let dirs = tempfile::tempdir().expect("tempdir");
    let (data, config) = (dirs.path().join("data"), dirs.path().join("config"));
    let mut printed = String::new();
    let wrong = cli(
        &data,
        &config,
        &[
            "login",
            "--server",
            &url,
            "--email",
            ADA,
            "--password-stdin",
        ],
        "wrong password\n",
    );
    assert!(!wrong.0, "a wrong password fails: {}", wrong.1);
    printed.push_str(&wrong.1);
    let login = [
        "login",
        "--server",
        &url,
        "--email",
        ADA,
        "--password-stdin",
    ];
    let steps: [&[&str]; 5] = [
        &login,
        &["sync"],
        &["tickets"],
        &["portal", "show"],
        &["portal", "set", "no-such-key", "1"],
    ];
    for args in steps {
        let (_, out) = cli(&data, &config, args, &format!("{DEMO_PASSWORD}\n"));
        printed.push_str(&out);
    }
    assert!(printed.contains("Signed in"), "{printed}");
    let session: Value = serde_json::from_str(
        &std::fs::read_to_string(config.join("session.json")).expect("session file"),
    )
    .expect("session json");
    let token = session["token"].as_str().expect("token").to_string();
    let secrets = [
        ("token", token.as_str()),
        ("token hash", &digest(&token)),
        ("password", DEMO_PASSWORD),
        ("password hash", hash.as_str()),
    ];
    assert_clean("the CLI's output", &printed, &secrets);
    let log = std::fs::read_to_string(&served.log).expect("log");
    assert_clean("the server log", &log, &secrets);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let files: Vec<PathBuf> = files_under(&config)
            .into_iter()
            .chain(files_under(&data))
            .collect();
        assert!(
            files.iter().any(|f| f.ends_with("session.json")),
            "{files:?}"
        );
        assert!(
            files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "sqlite")),
            "a cache file: {files:?}"
        );
        for f in &files {
            let mode = std::fs::metadata(f).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is {mode:o}", f.display());
        }
    }
}

#[cfg(unix)]
#[test]
fn serve_refuses_a_world_writable_data_dir() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("open");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .arg("--data-dir")
        .arg(&data)
        .stdin(Stdio::null())
        .output()
        .expect("deskport runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it must not serve: {stderr}");
    assert!(
        stderr.contains("writable by every user") && stderr.contains(&data.display().to_string()),
        "a clear error naming the dir: {stderr}"
    );
    assert!(
        !data.join("deskport.db").exists(),
        "nothing was written into the open dir"
    );
}

#[cfg(unix)]
#[test]
fn serve_creates_a_private_data_dir() {
    use std::os::unix::fs::PermissionsExt;
    let served = serve();
    let mode = std::fs::metadata(&served.data)
        .expect("data dir")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700, "the data dir holds password hashes");
}
