//! Helpers for tests that run the real `deskport` binary as a child process: the command with
//! its user dirs in the test's dir, a free loopback port to serve on, waiting until the server
//! answers its health check, and the files it wrote under a dir.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
