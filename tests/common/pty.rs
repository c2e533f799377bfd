//! The pseudo-terminal harness of the end-to-end tests: the real `deskport` binary in a
//! portable-pty with temporary data and config dirs, its screen parsed with vt100 (optionally
//! with callbacks that record what the terminal was asked to do besides drawing), everything
//! it wrote kept, the embedded server's address read from its lock file and API clients for
//! checking the server. Every wait polls until a condition holds, never a fixed sleep.

use deskport::client::{ApiClient, login};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long any wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// Password of every demo account.
pub const PASSWORD: &str = "deskport-demo";

/// Temporary `DESKPORT_DATA_DIR` and `DESKPORT_CONFIG_DIR`, and the app's working dir.
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

/// The binary running in a pseudo-terminal; `C` hears the terminal's non-drawing requests.
pub struct App<C: vt100::Callbacks = ()> {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser<C>>>,
    output: Arc<Mutex<Vec<u8>>>,
}

impl App {
    /// Starts `deskport ARGS` with `env` in a `size` (columns, rows) terminal.
    pub fn start(dirs: &Dirs, args: &[&str], env: &[(&str, &str)], size: (u16, u16)) -> Self {
        App::start_with(dirs, args, env, size, ())
    }
}

impl<C: vt100::Callbacks + Send + 'static> App<C> {
    /// Like [`App::start`], the terminal's requests going to `callbacks`.
    pub fn start_with(
        dirs: &Dirs,
        args: &[&str],
        env: &[(&str, &str)],
        size: (u16, u16),
        callbacks: C,
    ) -> Self {
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
        App::spawn(cmd, size, callbacks)
    }

    /// Runs `cmd` (any program: the tests of `serve --ssh` run `ssh`) in a `size` (columns,
    /// rows) terminal, the terminal's requests going to `callbacks`.
    pub fn spawn(cmd: CommandBuilder, size: (u16, u16), callbacks: C) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = vt100::Parser::new_with_callbacks(size.1, size.0, 0, callbacks);
        let screen = Arc::new(Mutex::new(parser));
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
            master: pty.master,
            writer,
            child,
            screen,
            output,
        }
    }

    /// Resizes the terminal to `size` (columns, rows), as a user dragging the window does.
    pub fn resize(&mut self, size: (u16, u16)) {
        self.master
            .resize(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser().screen_mut().set_size(size.1, size.0);
    }

    /// The vt100 parser: the screen's modes and the callbacks' record.
    pub fn parser(&self) -> MutexGuard<'_, vt100::Parser<C>> {
        self.screen.lock().unwrap()
    }

    /// The screen's text.
    pub fn contents(&self) -> String {
        self.parser().screen().contents()
    }

    /// Everything the app wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// Kills the app at once (SIGKILL): no clean-up of its own runs.
    pub fn kill_hard(&mut self) {
        let pid = self.child.process_id().expect("the app runs");
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        self.child.wait().unwrap();
    }

    /// The app's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the app runs")
    }

    /// The pseudo-terminal's modes (to see whether raw mode was left on).
    pub fn termios(&self) -> String {
        format!("{:?}", self.master.get_termios())
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

    /// Waits until the screen shows `text`, failing at once if the app ends first.
    pub fn wait_for_running(&mut self, text: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let contents = self.contents();
            if contents.contains(text) {
                return contents;
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "the app ended; the screen shows:\n{contents}"
            );
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen shows:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go"), |s| !s.contains(text));
    }

    /// Types `bytes`.
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Signs in on the sign-in screen as the demo account `email` and waits until online.
    pub fn sign_in_demo(&mut self, email: &str) {
        self.wait_for("Password");
        self.send(email);
        self.send("\t");
        self.send(PASSWORD);
        self.send("\r");
        self.wait_for("● online");
    }

    /// Waits until the app exits; its status.
    pub fn wait_exit(&mut self) -> ExitStatus {
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

impl<C: vt100::Callbacks> Drop for App<C> {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

/// `deskport login --server URL --email EMAIL --password-stdin` in `dirs` with the demo
/// password, so that the app started next uses that server.
pub fn login_to(dirs: &Dirs, url: &str, email: &str) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(super::process::login_args(url, email))
        .env("DESKPORT_DATA_DIR", dirs.data())
        .env("DESKPORT_CONFIG_DIR", dirs.config())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{PASSWORD}").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "login to {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
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

/// An API client signed in as the demo account `email`, and the account's id.
pub async fn api_as(url: &str, email: &str) -> (ApiClient, i64) {
    let session = login(url, email, PASSWORD).await.unwrap();
    let api = ApiClient::new(url).unwrap().with_token(session.token);
    (api, session.account.id)
}

/// An API client signed in as the demo account `email`.
pub async fn api(url: &str, email: &str) -> ApiClient {
    api_as(url, email).await.0
}

/// Waits until `check` holds (polling the server).
pub async fn eventually<F: Future<Output = bool>>(what: &str, check: impl Fn() -> F) {
    let deadline = Instant::now() + TIMEOUT;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The number right after `label` on `screen` (e.g. a ticket id after `Ticket #`).
pub fn number_after<T: FromStr<Err: std::fmt::Debug>>(screen: &str, label: &str) -> T {
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
