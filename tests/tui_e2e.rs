//! End-to-end tests of the terminal app: the real `deskport` binary in a pseudo-terminal with
//! temporary data and config dirs, its screen parsed with vt100. Every step waits until the
//! screen shows what it should (with a timeout) instead of sleeping.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
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
    master: Box<dyn MasterPty + Send>,
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
            master: pty.master,
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

    fn termios(&self) -> String {
        format!("{:?}", self.master.get_termios())
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

fn find(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// The terminal is given back: after the last time the app entered the alternate screen
/// (and turned on mouse capture and bracketed paste), it left them again.
fn assert_restored(app: &App, cooked: &str) {
    let out = app.output();
    let entered = *find(&out, b"\x1b[?1049h")
        .last()
        .expect("the app entered the alternate screen");
    for (what, seq) in [
        ("alternate screen", &b"\x1b[?1049l"[..]),
        ("mouse capture", b"\x1b[?1000l"),
        ("bracketed paste", b"\x1b[?2004l"),
    ] {
        assert!(
            find(&out, seq).iter().any(|&i| i > entered),
            "{what} was not turned off"
        );
    }
    let parser = app.screen.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.alternate_screen());
    assert!(!screen.bracketed_paste());
    assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    assert_eq!(app.termios(), cooked, "raw mode was left on");
}

#[test]
fn embedded_start_admin_tabs_help_quit() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &[], &[], (100, 30));
    let cooked = app.termios();
    app.wait_for("Choose an account:");
    let screen = app.wait_for("▶ Ada Lovelace");
    assert!(
        screen.contains("customer · Acme") && screen.contains("not signed in · embedded"),
        "{screen}"
    );
    assert_ne!(app.termios(), cooked, "the app runs in raw mode");

    app.send("\r");
    let screen = app.wait_for("of 300");
    assert!(
        screen.contains("[1 Tickets]")
            && screen.contains("2 Routing")
            && screen.contains("3 Portal"),
        "{screen}"
    );
    app.wait_for("ada@deskport.test · admin · embedded │ ● online");

    app.send("2");
    app.wait_until("the routing tab", |s| {
        s.contains("[2 Routing]") && s.contains("Routing rules (4)")
    });

    app.send(":");
    app.wait_for("Commands");
    app.send("tickets");
    app.wait_for("▶ go to Tickets");
    app.send("\r");
    app.wait_until("the tickets tab", |s| {
        s.contains("[1 Tickets]") && !s.contains("Commands")
    });

    app.send("\t\t");
    app.wait_until("the portal tab", |s| {
        s.contains("[3 Portal]") && s.contains("[General]")
    });
    app.send("?");
    let help = app.wait_for("Help: Portal");
    assert!(
        help.contains("go to Routing") && help.contains("q, Ctrl-C"),
        "{help}"
    );
    app.send("\x1b");
    app.wait_until("help to close", |s| !s.contains("Help: Portal"));
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&app, &cooked);
    assert!(
        !dirs.data().join("embedded/server.lock").exists(),
        "the lock file is removed on quit"
    );
    let log = std::fs::read_to_string(dirs.data().join("logs/deskport.log")).unwrap();
    assert!(log.contains("embedded server started"), "{log}");
}

#[test]
fn customer_sees_no_routing_or_portal() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "carla@acme.test"], &[], (80, 24));
    let screen = app.wait_for("Your tickets · ");
    assert!(
        screen.contains("[1 Tickets]") && screen.contains("2 Account"),
        "{screen}"
    );
    assert!(
        !screen.contains("Routing") && !screen.contains("Portal ("),
        "{screen}"
    );
    app.send("3");
    app.send("2");
    app.wait_until("the account tab", |s| {
        s.contains("[2 Account]") && s.contains("carla@acme.test")
    });
    app.send(":");
    app.wait_for("Commands");
    app.send("routing");
    app.wait_for("no matching command");
    app.send("\x1b");
    app.wait_until("the palette to close", |s| !s.contains("Commands"));
    app.send("\x03");
    let status = app.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_panic_restores_the_terminal() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &[], &[("DESKPORT_TEST_PANIC", "1")], (80, 24));
    let cooked = app.termios();
    let status = app.wait_exit();
    assert!(!status.success());
    assert_restored(&app, &cooked);
    let text = String::from_utf8_lossy(&app.output()).to_string();
    assert!(text.contains("DESKPORT_TEST_PANIC"), "{text}");
}

#[test]
fn a_second_instance_joins_the_embedded_server() {
    let dirs = Dirs::new();
    let mut first = App::start(&dirs, &[], &[], (80, 24));
    let screen = first.wait_for("Choose an account:");
    let url = |s: &str| {
        s.split("embedded at ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_string)
    };
    let address = url(&screen).unwrap();
    let lock = std::fs::read_to_string(dirs.data().join("embedded/server.lock")).unwrap();
    assert!(lock.contains(&address), "{lock}");

    let mut second = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (80, 24));
    second.wait_for("sam@deskport.test · agent · embedded │ ● online");
    let mut third = App::start(&dirs, &[], &[], (80, 24));
    let screen = third.wait_for("Choose an account:");
    assert_eq!(url(&screen), Some(address));

    for app in [&mut third, &mut second, &mut first] {
        app.send("q");
        assert!(app.wait_exit().success());
    }
    assert!(
        Path::new(&dirs.data())
            .join("embedded/deskport.db")
            .exists()
    );
}
