//! Harness for end-to-end tests of the terminal app: the real `deskport` binary in a
//! pseudo-terminal with temporary data and config dirs, its screen parsed with vt100; the
//! embedded server's address read from its lock file; API clients for checking the server.
//! Every wait polls the screen (or the server) until a condition holds, never a fixed sleep.

#![allow(dead_code)]

use deskport::client::{ApiClient, login};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// Password of every demo account.
pub const PASSWORD: &str = "deskport-demo";

/// Temporary `DESKPORT_DATA_DIR` and `DESKPORT_CONFIG_DIR`.
pub struct Dirs {
    /// The root of both.
    pub root: tempfile::TempDir,
}

impl Dirs {
    /// Fresh empty dirs.
    pub fn new() -> Self {
        Dirs {
            root: tempfile::tempdir().unwrap(),
        }
    }

    /// The data dir.
    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// The config dir.
    pub fn config(&self) -> PathBuf {
        self.root.path().join("config")
    }
}

/// The binary running in a pseudo-terminal.
pub struct App {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl App {
    /// Starts `deskport ARGS` with `env` in a `size` (columns, rows) terminal.
    pub fn start(dirs: &Dirs, args: &[&str], env: &[(&str, &str)], size: (u16, u16)) -> Self {
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

    /// The screen's text.
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `check`; panics with the screen after the timeout.
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
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

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }

    /// Types `bytes`.
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
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
pub fn server_url(dirs: &Dirs) -> String {
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
pub async fn api(url: &str, email: &str) -> ApiClient {
    let session = login(url, email, PASSWORD).await.unwrap();
    ApiClient::new(url).unwrap().with_token(session.token)
}

/// The number right after `label` on `screen` (e.g. a ticket id after `Ticket #`).
pub fn number_after(screen: &str, label: &str) -> i64 {
    let at = screen
        .find(label)
        .unwrap_or_else(|| panic!("no {label}: {screen}"))
        + label.len();
    screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}
