//! Clients killed with SIGKILL: the real binary in the middle of `deskport sync` (held open by
//! a slow proxy), and a client process in the middle of replaying its outbox. On restart the
//! cache shows what a fresh sync shows, and each write is on the server exactly once.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{ADA, CARLA, DEMO_PASSWORD, demo_server};
use deskport::client::{Client, Session, Write};
use deskport::domain::wire::MessageInput;
use rand::Rng;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BIN: &str = env!("CARGO_BIN_EXE_deskport");
/// Set in the child process of the outbox test: where its session and data dir are.
const CHILD_ENV: &str = "DESKPORT_FAULT_CHILD";
const WRITES: usize = 30;

/// A proxy that passes bytes in small chunks with a pause between them, and can refuse
/// connections ("down").
struct SlowProxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
}

impl SlowProxy {
    async fn start(upstream: SocketAddr, pause: Duration) -> SlowProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let up = Arc::new(AtomicBool::new(true));
        let is_up = up.clone();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                if !is_up.load(Ordering::SeqCst) {
                    continue;
                }
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let (cr, cw) = conn.into_split();
                    let (sr, sw) = server.into_split();
                    tokio::join!(pump(cr, sw, Duration::ZERO), pump(sr, cw, pause));
                });
            }
        });
        SlowProxy { addr, up }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    pause: Duration,
) {
    let mut buf = [0u8; 2048];
    while let Ok(n) = from.read(&mut buf).await {
        if n == 0 {
            break;
        }
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

fn deskport(root: &Path, name: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("DESKPORT_DATA_DIR", root.join(name).join("data"))
        .env("DESKPORT_CONFIG_DIR", root.join(name).join("config"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run_ok(cmd: &mut Command, stdin: &str) -> String {
    let mut child = cmd.spawn().expect("deskport runs");
    {
        use std::io::Write as _;
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(stdin.as_bytes()).expect("stdin");
    }
    let out = child.wait_with_output().expect("deskport ends");
    assert!(
        out.status.success(),
        "deskport failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn login(root: &Path, name: &str, url: &str) {
    run_ok(
        deskport(root, name).args(["login", "--server", url, "--email", ADA, "--password-stdin"]),
        &format!("{DEMO_PASSWORD}\n"),
    );
}

/// The cached ticket list as `deskport tickets --json --offline` prints it.
fn cached_tickets(root: &Path, name: &str) -> Value {
    let out = run_ok(
        deskport(root, name).args(["tickets", "--json", "--offline"]),
        "",
    );
    serde_json::from_str(&out).expect("tickets JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_half_way_resumes_to_the_same_cache_as_a_fresh_one() {
    let ts = demo_server(1500).await;
    let proxy = SlowProxy::start(ts.server.addr, Duration::from_millis(1)).await;
    let root = tempfile::tempdir().expect("dirs");
    let root = root.path();
    login(root, "killed", &proxy.url());
    let mut cut_short = 0;
    for _ in 0..3 {
        let mut sync = deskport(root, "killed")
            .arg("sync")
            .spawn()
            .expect("sync starts");
        let after = rand::thread_rng().gen_range(100..900);
        tokio::time::sleep(Duration::from_millis(after)).await;
        if sync.try_wait().expect("status").is_none() {
            cut_short += 1;
        }
        let _ = sync.kill();
        let _ = sync.wait();
        // The server moves on meanwhile.
        let admin = ts.session_for(ADA).await;
        let first = ts.all_tickets(&admin).await[0]["id"].clone();
        let a = ts
            .post(
                &format!("/tickets/{first}/messages"),
                &admin,
                serde_json::json!({"body": "meanwhile"}),
            )
            .await;
        assert_eq!(a.status, 201);
    }
    assert!(cut_short > 0, "no sync was killed half way");
    run_ok(deskport(root, "killed").arg("sync"), "");
    login(root, "fresh", &proxy.url());
    run_ok(deskport(root, "fresh").arg("sync"), "");
    let (killed, fresh) = (
        cached_tickets(root, "killed"),
        cached_tickets(root, "fresh"),
    );
    assert_eq!(
        killed.as_array().map(Vec::len),
        fresh.as_array().map(Vec::len)
    );
    assert_eq!(killed, fresh, "the resumed cache differs from a fresh sync");
}

/// The child of the outbox test: queues [`WRITES`] replies while its server is unreachable,
/// says so on stdout, then lets its engine replay them until it is killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by a_replay_killed_half_way_sends_each_write_once as its child process"]
async fn child_queues_replies_then_replays() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let spec: Value = serde_json::from_str(&spec).expect("child spec");
    let session: Session = serde_json::from_value(spec["session"].clone()).expect("session");
    let dir = spec["dir"].as_str().expect("dir");
    let ticket = spec["ticket"].as_i64().expect("ticket");
    let client = support::start(Path::new(dir), session).await;
    for n in 0..WRITES {
        client
            .submit(Write::Message {
                ticket_id: ticket,
                input: MessageInput {
                    body: format!("replayed reply {n}"),
                    internal: false,
                },
            })
            .await
            .expect("queued");
    }
    println!("QUEUED");
    std::future::pending::<()>().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_killed_half_way_sends_each_write_once() {
    let ts = demo_server(20).await;
    let proxy = SlowProxy::start(ts.server.addr, Duration::from_millis(15)).await;
    let dir = tempfile::tempdir().expect("dir");
    let session = support::session(&proxy.url(), CARLA).await;
    let ticket = ts.first_ticket_of(&ts.session_for(ADA).await, CARLA).await["id"]
        .as_i64()
        .expect("id");
    proxy.up.store(false, Ordering::SeqCst);
    let spec = serde_json::json!({"session": session, "dir": dir.path(), "ticket": ticket});
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["child_queues_replies_then_replays", "--exact", "--ignored"])
        .args(["--nocapture", "--test-threads", "1"])
        .env(CHILD_ENV, spec.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("stdout");
    let queued = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.contains("QUEUED"))
    })
    .await
    .expect("reader");
    assert!(queued, "the child did not queue its writes");
    proxy.up.store(true, Ordering::SeqCst);
    // Kill the child as soon as the first replies land, while the rest are still queued.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let landed = loop {
        let landed = ts
            .server
            .store
            .messages(ticket)
            .await
            .expect("messages")
            .iter()
            .filter(|m| m.message.body.starts_with("replayed reply"))
            .count();
        if landed > 0 {
            let _ = child.kill();
            break landed;
        }
        assert!(
            child.try_wait().expect("status").is_none(),
            "the child ended by itself"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "no reply reached the server"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let _ = child.wait();
    assert!(
        landed < WRITES,
        "the replay finished before the kill ({landed} of {WRITES}): nothing was tested"
    );
    eprintln!("killed the replay with {landed} of {WRITES} replies sent");

    let client = Client::start(support::config(dir.path()), session)
        .await
        .expect("the client restarts");
    support::settled(&client).await;
    let messages = ts.server.store.messages(ticket).await.expect("messages");
    for n in 0..WRITES {
        let body = format!("replayed reply {n}");
        let count = messages.iter().filter(|m| m.message.body == body).count();
        assert_eq!(count, 1, "{body:?} is on the server {count} times");
    }
    client.shutdown().await;
}
