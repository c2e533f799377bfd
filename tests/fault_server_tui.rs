//! The terminal app against a server that turns slow, answers garbage, HTTP 500 or invalid
//! JSON: through a proxy in the test whose behaviour is switched while the real binary runs
//! in a pseudo-terminal. The app keeps answering keys, says offline, keeps showing the cached
//! tickets, and never panics.

mod common;

use common::pty::{App, Dirs, login_to};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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
    let dirs = Dirs::new();
    login_to(&dirs, &format!("http://{}", proxy.addr), common::ADA);

    let mut app = App::start(&dirs, &[], &[], (110, 30));
    app.wait_for_running("of 40");
    app.wait_for_running("● online");
    for mode in [Mode::Error500, Mode::Garbage, Mode::BadJson, Mode::Slow] {
        proxy.switch(mode);
        app.wait_for_running("○ offline");
        // Keys still work: another tab, help, and back to the cached tickets.
        app.send("2");
        app.wait_for_running("Routing");
        app.send("?");
        app.wait_for_running("Help: Routing");
        app.send("\x1b");
        app.wait_gone("Help: Routing");
        app.send("1");
        app.wait_for_running("of 40");
        proxy.switch(Mode::Pass);
        app.wait_for_running("● online");
    }
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "the app ended with {status:?}");
    drop(ts);
}
