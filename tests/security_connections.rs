//! Connections are bounded and cannot lock others out: half-sent requests are closed after
//! the header timeout, a stalled upload after the idle timeout, past the connection cap the
//! most idle connection makes room (or, when all are busy, a newcomer gets a quick 503), and
//! an event stream that is only waiting is never taken for idle. `/events` streams are capped
//! per account and overall with 429 `too_many_streams`. The in-process server runs with low
//! limits; one test runs the real binary under `ulimit -n 256` against 300 half requests.

mod common;

use common::process::listen_address_in_log;
use common::{CARLA, DAN, GINA, TestServer, assert_error_shape};
use deskport::server::listen::ConnectionLimits;
use deskport::server::streams::StreamLimits;
use deskport::server::{Limits, ServerConfig, mailer, open_store, serve_on};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A demo server in-process with `limits`.
async fn bounded(limits: Limits) -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo: true,
        demo_tickets: 10,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let store = open_store(&config).await.expect("store");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let server = serve_on(store, mailer(&config).expect("mailer"), listener, limits)
        .await
        .expect("server starts");
    TestServer {
        server,
        dir,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("http client"),
        database: None,
    }
}

fn connection_limits(header_read_ms: u64, idle_ms: u64, max_connections: usize) -> Limits {
    Limits {
        connections: ConnectionLimits {
            header_read: Duration::from_millis(header_read_ms),
            idle: Duration::from_millis(idle_ms),
            max_connections,
        },
        streams: StreamLimits::default(),
        mail: Default::default(),
        trusted_proxy: None,
    }
}

/// A socket that sent the start of a request and then nothing more.
async fn half_request(s: &TestServer) -> TcpStream {
    let mut socket = TcpStream::connect(s.server.addr).await.expect("connect");
    socket
        .write_all(b"GET /api/v1/healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .expect("write");
    socket
}

/// Waits up to `within` for the server to close `socket`; true when it did.
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A timeout answer (408) may come before the close.
            Ok(Ok(_)) => continue,
        }
    }
}

/// `GET /healthz` on a new connection: the status and how long it took.
async fn health(s: &TestServer) -> (u16, Duration) {
    let started = Instant::now();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let status = http
        .get(format!("{}/healthz", s.base()))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    (status, started.elapsed())
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let s = bounded(connection_limits(1_000, 60_000, 64)).await;
    let started = Instant::now();
    let mut socket = half_request(&s).await;
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)).await,
        "the half-sent request is still open"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed only once the header timeout passed, not at once: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn half_sent_requests_past_the_cap_do_not_lock_out_a_real_request() {
    let s = bounded(connection_limits(3_000, 60_000, 16)).await;
    let mut sockets = Vec::new();
    for _ in 0..40 {
        sockets.push(half_request(&s).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, took) = health(&s).await;
    assert_eq!(status, 200, "a real request is answered past the cap");
    assert!(took < Duration::from_secs(2), "and at once: {took:?}");
    for (i, socket) in sockets.iter_mut().enumerate() {
        assert!(
            closed_within(socket, Duration::from_secs(6)).await,
            "half request {i} is still open after the header timeout"
        );
    }
}

/// A request that announced a body and sent only part of it: in flight, so not evictable.
async fn stalled_upload(s: &TestServer) -> TcpStream {
    let mut socket = TcpStream::connect(s.server.addr).await.expect("connect");
    socket
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"email\":",
        )
        .await
        .expect("write");
    socket
}

#[tokio::test]
async fn a_stalled_upload_is_closed_after_the_idle_timeout() {
    let s = bounded(connection_limits(10_000, 1_500, 64)).await;
    let started = Instant::now();
    let mut socket = stalled_upload(&s).await;
    assert!(
        closed_within(&mut socket, Duration::from_secs(6)).await,
        "the stalled upload is still open"
    );
    assert!(started.elapsed() >= Duration::from_millis(1_400));
}

#[tokio::test]
async fn when_every_connection_is_busy_a_newcomer_gets_a_quick_503() {
    let s = bounded(connection_limits(10_000, 60_000, 4)).await;
    let mut busy = Vec::new();
    for _ in 0..4 {
        busy.push(stalled_upload(&s).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let mut newcomer = TcpStream::connect(s.server.addr).await.expect("connect");
    newcomer
        .write_all(b"GET /api/v1/healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(3), newcomer.read_to_end(&mut answer))
        .await
        .expect("answered at once")
        .expect("read");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("retry-after: 1"), "{text}");
    let body = text.split("\r\n\r\n").nth(1).expect("a body");
    let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(json["error"]["code"], "too_many_connections");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Once a busy connection ends, requests are served again.
    busy.pop();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if health(&s).await.0 == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "never served again");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens `/events` as `token`; the response while the stream is open.
async fn open_stream(s: &TestServer, token: &str) -> reqwest::Response {
    s.http
        .get(format!("{}/events", s.base()))
        .bearer_auth(token)
        .send()
        .await
        .expect("events request")
}

#[tokio::test]
async fn an_open_event_stream_outlives_the_idle_timeout() {
    let s = bounded(connection_limits(1_000, 1_500, 64)).await;
    let carla = s.session_for(CARLA).await;
    let mut stream = open_stream(&s, &carla).await;
    assert_eq!(stream.status(), 200);
    let started = Instant::now();
    let mut received = String::new();
    while started.elapsed() < Duration::from_secs(5) {
        match tokio::time::timeout(Duration::from_secs(2), stream.chunk()).await {
            Ok(Ok(Some(bytes))) => received.push_str(&String::from_utf8_lossy(&bytes)),
            other => panic!(
                "the stream ended or went silent after {:?}: {other:?}; got {received:?}",
                started.elapsed()
            ),
        }
    }
    assert!(received.contains("event: changed"), "{received:?}");
    assert!(
        received.matches("\n:").count() + usize::from(received.starts_with(':')) >= 3,
        "keep-alive comments kept it from going quiet: {received:?}"
    );
}

#[tokio::test]
async fn event_streams_are_capped_per_account_and_freed_when_closed() {
    let s = bounded(Limits::default()).await;
    let carla = s.session_for(CARLA).await;
    let mut open = Vec::new();
    for i in 0..8 {
        let stream = open_stream(&s, &carla).await;
        assert_eq!(stream.status(), 200, "stream {i}");
        open.push(stream);
    }
    let refused = s.get("/events", &carla).await;
    assert_eq!(assert_error_shape(&refused), "too_many_streams");
    assert_eq!(refused.status, 429);
    assert!(
        refused.header("retry-after").parse::<u64>().is_ok(),
        "Retry-After: {:?}",
        refused.headers
    );
    assert!(refused.text.contains("at most 8"), "{}", refused.text);
    // Another account is not held back by Carla's streams.
    let dan = s.session_for(DAN).await;
    let dans = open_stream(&s, &dan).await;
    assert_eq!(dans.status(), 200);
    // Closing one of Carla's gives her a slot back.
    drop(open.pop());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let again = open_stream(&s, &carla).await;
        if again.status() == 200 {
            break;
        }
        assert_eq!(again.status(), 429);
        assert!(
            Instant::now() < deadline,
            "the closed stream is still counted"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn event_streams_are_capped_on_the_whole_server() {
    let s = bounded(Limits {
        streams: StreamLimits {
            per_account: 8,
            total: 3,
        },
        ..Limits::default()
    })
    .await;
    let carla = s.session_for(CARLA).await;
    let dan = s.session_for(DAN).await;
    let gina = s.session_for(GINA).await;
    let _held = [
        open_stream(&s, &carla).await,
        open_stream(&s, &carla).await,
        open_stream(&s, &dan).await,
    ];
    for held in &_held {
        assert_eq!(held.status(), 200);
    }
    let refused = s.get("/events", &gina).await;
    assert_eq!(refused.status, 429);
    assert_eq!(assert_error_shape(&refused), "too_many_streams");
    assert!(
        refused.text.contains("the server has 3"),
        "{}",
        refused.text
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_429_of_events() {
    let s = bounded(Limits::default()).await;
    let doc: serde_json::Value = s
        .http
        .get(format!("{}/openapi.json", s.base()))
        .send()
        .await
        .expect("document")
        .json()
        .await
        .expect("JSON");
    let refused = &doc["paths"]["/events"]["get"]["responses"]["429"];
    assert!(
        refused["description"]
            .as_str()
            .is_some_and(|d| d.contains("too_many_streams")),
        "{refused}"
    );
    assert!(refused["headers"]["Retry-After"].is_object(), "{refused}");
}

/// The reported case, through the real binary: with 256 file descriptors, 300 sockets holding
/// half a request used to take them all (`accept error: Too many open files`) and every
/// request timed out.
#[cfg(unix)]
#[tokio::test]
async fn the_real_server_under_256_files_answers_past_300_half_requests() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("server.log");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_deskport"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--demo-tickets",
            "10",
        ])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("deskport serve runs");
    let base = listen_address_in_log(&log);
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1")
        .to_string();
    let mut sockets = Vec::new();
    for _ in 0..300 {
        if let Ok(mut socket) = TcpStream::connect(&addr).await {
            let _ = socket
                .write_all(b"GET /api/v1/healthz HTTP/1.1\r\nhost: x\r\n")
                .await;
            sockets.push(socket);
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    for i in 0..3 {
        let started = Instant::now();
        let answer = http.get(format!("{base}/healthz")).send().await;
        let status = answer.map(|r| r.status().as_u16());
        assert!(
            matches!(status, Ok(200)) && started.elapsed() < Duration::from_secs(3),
            "request {i}: {status:?} after {:?}; log: {}",
            started.elapsed(),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !text.contains("Too many open files"),
        "the server never ran out of files: {text}"
    );
}
