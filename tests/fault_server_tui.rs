//! The terminal app against a server that turns slow, answers garbage, HTTP 500 or invalid
//! JSON: through a proxy in the test whose behaviour is switched while the real binary runs
//! in a pseudo-terminal. The app keeps answering keys, says offline, keeps showing the cached
//! tickets, and never panics.

mod common;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(30);

/// How the proxy answers new connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Mode {
    Pass,
    Slow,
    Garbage,
    Error500,
    BadJson,
}

fn mode_of(n: u8) -> Mode {
    [
        Mode::Pass,
        Mode::Slow,
        Mode::Garbage,
        Mode::Error500,
        Mode::BadJson,
    ][n as usize]
}

/// A switchable proxy in front of the real server.
struct Proxy {
    addr: SocketAddr,
    mode: Arc<AtomicU8>,
    cut: tokio::sync::watch::Sender<u64>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mode = Arc::new(AtomicU8::new(Mode::Pass as u8));
        let (cut, _) = tokio::sync::watch::channel(0u64);
        let (m, c) = (mode.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let mode = mode_of(m.load(Ordering::SeqCst));
                tokio::spawn(answer(conn, mode, upstream, c.subscribe()));
            }
        });
        Proxy { addr, mode, cut }
    }

    /// Switches the behaviour and drops every open connection (the event stream too).
    fn switch(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }
}

fn http(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

async fn answer(
    mut conn: TcpStream,
    mode: Mode,
    upstream: SocketAddr,
    mut cut: tokio::sync::watch::Receiver<u64>,
) {
    if mode == Mode::Pass {
        let Ok(mut up) = TcpStream::connect(upstream).await else {
            return;
        };
        tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut conn, &mut up) => {}
            _ = cut.changed() => {}
        }
        return;
    }
    let mut buf = [0u8; 4096];
    let _ = conn.read(&mut buf).await;
    let reply = match mode {
        Mode::Slow => {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            http(
                "500 Internal Server Error",
                r#"{"error":{"code":"internal","message":"slow"}}"#,
            )
        }
        Mode::Garbage => "\u{1}\u{2}garbage, not HTTP\r\n\r\n".to_string(),
        Mode::Error500 => http(
            "500 Internal Server Error",
            r#"{"error":{"code":"internal","message":"down"}}"#,
        ),
        _ => http("200 OK", "{not json"),
    };
    let _ = conn.write_all(reply.as_bytes()).await;
    let _ = conn.shutdown().await;
}

/// The binary in a pseudo-terminal.
struct App {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl App {
    fn start(root: &Path) -> App {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 110,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_deskport"));
        cmd.cwd(root);
        cmd.env("DESKPORT_DATA_DIR", root.join("data"));
        cmd.env("DESKPORT_CONFIG_DIR", root.join("config"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("RUST_BACKTRACE", "0");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(30, 110, 0)));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let s = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().expect("screen").process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("writer");
        App {
            _master: pty.master,
            writer,
            child,
            screen,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let contents = self.contents();
            if contents.contains(text) {
                return contents;
            }
            assert!(
                self.child.try_wait().expect("status").is_none(),
                "the app ended; the screen shows:\n{contents}"
            );
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen shows:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn wait_gone(&mut self, text: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while self.contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} stayed on the screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

#[test]
fn the_app_stays_usable_when_the_server_is_slow_broken_or_garbled() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (ts, proxy) = rt.block_on(async {
        let ts = common::demo_server(40).await;
        let proxy = Proxy::start(ts.server.addr).await;
        (ts, proxy)
    });
    let root = tempfile::tempdir().expect("dirs");
    let login = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(["login", "--server", &format!("http://{}", proxy.addr)])
        .args(["--email", common::ADA, "--password-stdin"])
        .env("DESKPORT_DATA_DIR", root.path().join("data"))
        .env("DESKPORT_CONFIG_DIR", root.path().join("config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            let mut stdin = child.stdin.take().expect("stdin");
            writeln!(stdin, "{}", common::DEMO_PASSWORD)?;
            drop(stdin);
            child.wait()
        })
        .expect("login runs");
    assert!(login.success(), "login through the proxy");

    let mut app = App::start(root.path());
    app.wait_for("of 40");
    app.wait_for("● online");
    for mode in [Mode::Error500, Mode::Garbage, Mode::BadJson, Mode::Slow] {
        proxy.switch(mode);
        app.wait_for("○ offline");
        // Keys still work: another tab, help, and back to the cached tickets.
        app.send("2");
        app.wait_for("Routing");
        app.send("?");
        app.wait_for("Help: Routing");
        app.send("\x1b");
        app.wait_gone("Help: Routing");
        app.send("1");
        app.wait_for("of 40");
        proxy.switch(Mode::Pass);
        app.wait_for("● online");
    }
    app.send("q");
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = app.child.try_wait().expect("status") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the app did not quit:\n{}",
            app.contents()
        );
        std::thread::sleep(Duration::from_millis(30));
    };
    assert!(status.success(), "the app ended with {status:?}");
    drop(ts);
}
