//! Helpers for tests that run the real `deskport` binary as a child process: the command with
//! its user dirs in the test's dir, a client's own data and config dirs to run commands in, a
//! free loopback port to serve on, waiting until the server answers its health check, and the
//! files it wrote under a dir.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// The binary, with its user dirs pointed into `home` so nothing outside the test is touched.
pub fn deskport(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deskport"));
    cmd.env("DESKPORT_DATA_DIR", home.join("client-data"))
        .env("DESKPORT_CONFIG_DIR", home.join("config"))
        .env("HOME", home)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The address a `deskport serve` logging to `log` listens on, once it says so (60 s at most).
pub fn listen_address_in_log(log: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(rest) = text.split("deskport portal API on ").nth(1) {
            return rest.split_whitespace().next().expect("address").to_string();
        }
        assert!(
            Instant::now() < deadline,
            "the server did not start: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Waits until `GET {base}/healthz` succeeds; fails the test after a minute.
pub async fn until_healthy(base: &str) {
    let http = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let answer = http.get(format!("{base}/healthz")).send().await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A `deskport serve` child process on a loopback port; killed when dropped.
pub struct Served {
    /// The process.
    pub child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// `http://127.0.0.1:PORT/api/v1`.
    pub base: String,
}

impl Served {
    /// Runs `deskport serve ARGS` (with `home` as its user dirs) on a free loopback port and
    /// waits until it answers its health check.
    pub async fn start(home: &Path, args: &[&str]) -> Served {
        let port = free_port();
        let mut cmd = deskport(home);
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(args);
        let served = Served {
            child: cmd.spawn().expect("deskport serve starts"),
            port,
            base: format!("http://127.0.0.1:{port}/api/v1"),
        };
        until_healthy(&served.base).await;
        served
    }

    /// Kills the server with SIGKILL (no clean-up of its own runs) and reaps it.
    pub fn kill_9(&mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `login --server URL --email EMAIL --password-stdin`: the sign-in of a client that the
/// tests run, the password then written to its stdin.
pub fn login_args<'a>(url: &'a str, email: &'a str) -> [&'a str; 6] {
    [
        "login",
        "--server",
        url,
        "--email",
        email,
        "--password-stdin",
    ]
}

/// Every file under `dir`, at any depth.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// One user's client: its own data and config dirs, deleted on drop.
pub struct Dirs {
    /// `DESKPORT_DATA_DIR`.
    pub data: tempfile::TempDir,
    /// `DESKPORT_CONFIG_DIR`.
    pub config: tempfile::TempDir,
}

impl Default for Dirs {
    fn default() -> Self {
        Self::new()
    }
}

impl Dirs {
    /// Fresh, empty dirs.
    pub fn new() -> Self {
        Dirs {
            data: tempfile::tempdir().expect("data dir"),
            config: tempfile::tempdir().expect("config dir"),
        }
    }

    /// `deskport ARGS` in these dirs with every stream piped (`NO_COLOR` set), not yet waited
    /// for; `env` adds variables.
    pub fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> tokio::process::Child {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_deskport"));
        cmd.args(args)
            .env("DESKPORT_DATA_DIR", self.data.path())
            .env("DESKPORT_CONFIG_DIR", self.config.path())
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.spawn().expect("deskport runs")
    }

    /// Runs `deskport ARGS` with `stdin` (then closed) and `env`, and waits for it.
    pub async fn run_with(
        &self,
        args: &[&str],
        stdin: Option<&str>,
        env: &[(&str, &str)],
    ) -> Output {
        let mut child = self.spawn(args, env);
        if let Some(mut input) = child.stdin.take() {
            if let Some(text) = stdin {
                input.write_all(text.as_bytes()).await.expect("stdin");
            }
            drop(input);
        }
        child.wait_with_output().await.expect("deskport ends")
    }

    /// Runs `deskport ARGS` with `stdin` (then closed) and waits for it.
    pub async fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.run_with(args, stdin, &[]).await
    }

    /// Runs `deskport ARGS`, which must succeed; its stdout and stderr.
    pub async fn ok(&self, args: &[&str], stdin: Option<&str>) -> (String, String) {
        let out = self.run(args, stdin).await;
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert!(
            out.status.success(),
            "deskport {args:?} failed: {stdout}\n{stderr}"
        );
        (stdout, stderr)
    }

    /// `deskport login --server URL --email EMAIL --password-stdin` with `password`.
    pub async fn login(&self, url: &str, email: &str, password: &str) {
        self.ok(&login_args(url, email), Some(&format!("{password}\n")))
            .await;
    }
}
