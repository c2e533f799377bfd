//! Server throughput: a customer in `company` mode asks for their ticket list page
//! (`GET /tickets?limit=50`) over loopback. The load generator is lean on purpose: raw
//! keep-alive HTTP/1.1 on tokio TCP, one OS thread, a fixed request, responses framed by
//! `Content-Length` (or chunked) and discarded, so it costs far less per request than the
//! server does. Besides requests/s it reports the server's own CPU time per request
//! (process CPU minus the generator thread's), which says what the server could do with the
//! machine to itself.
//!
//! The server keeps whole list answers until the next commit, so the fixed request is
//! served from memory. A second, informational measurement sends the same request with a
//! new cursor above every ticket id each time: the same first page, but never a kept
//! answer, so it shows what a page costs when it must be read and serialised.

use crate::report::{Figure, Goal, number};
use color_eyre::eyre::{Result, eyre};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 16;
const RUN: Duration = Duration::from_secs(3);
const RUNS: usize = 3;
/// A cursor above every ticket id: the first page, as without a cursor.
const ABOVE_EVERY_ID: u64 = 10_000_000_000;
/// Linux `USER_HZ`: the unit of CPU times in `/proc/*/stat`.
const TICKS_PER_SECOND: f64 = 100.0;

/// User + system CPU seconds from a `/proc/.../stat` file.
fn cpu_seconds(path: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = text.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (get(11) + get(12)) / TICKS_PER_SECOND
}

/// Reads one HTTP/1.1 response from `stream` into `buf` (which may hold bytes already);
/// returns its status and leaves any following bytes in `buf`.
async fn response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<u16> {
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        read_more(stream, buf).await?;
    };
    let head = std::str::from_utf8(&buf[..head_end])?.to_ascii_lowercase();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| eyre!("bad status line"))?;
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(len) => {
            while buf.len() < head_end + len {
                read_more(stream, buf).await?;
            }
            buf.drain(..head_end + len);
        }
        None if head.contains("transfer-encoding: chunked") => {
            buf.drain(..head_end);
            loop {
                let line_end = loop {
                    if let Some(at) = buf.windows(2).position(|w| w == b"\r\n") {
                        break at;
                    }
                    read_more(stream, buf).await?;
                };
                let size =
                    usize::from_str_radix(std::str::from_utf8(&buf[..line_end])?.trim(), 16)?;
                let need = line_end + 2 + size + 2;
                while buf.len() < need {
                    read_more(stream, buf).await?;
                }
                buf.drain(..need);
                if size == 0 {
                    break;
                }
            }
        }
        None => return Err(eyre!("response without a length")),
    }
    Ok(status)
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<()> {
    let mut chunk = [0u8; 16384];
    let n = stream.read(&mut chunk).await?;
    if n == 0 {
        return Err(eyre!("connection closed"));
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

/// What every connection sends: `target` then `rest` (the protocol and headers), with
/// `&cursor=N` between them when `cursors` is set, N counting up from [`ABOVE_EVERY_ID`]
/// across all connections so no two requests are the same.
#[derive(Clone)]
struct Request {
    target: Arc<Vec<u8>>,
    rest: Arc<Vec<u8>>,
    cursors: Option<Arc<AtomicU64>>,
}

impl Request {
    /// Writes the next request into `out` (cleared first).
    fn next(&self, out: &mut Vec<u8>) {
        use std::io::Write;
        out.clear();
        out.extend_from_slice(&self.target);
        if let Some(n) = &self.cursors {
            let _ = write!(out, "&cursor={}", n.fetch_add(1, Ordering::Relaxed));
        }
        out.extend_from_slice(&self.rest);
    }
}

/// One connection sending `request` again and again until `stop`; returns how many answers
/// were 200 and how many were not.
async fn connection(
    addr: SocketAddr,
    request: Request,
    stop: Arc<AtomicBool>,
) -> Result<(u64, u64)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(65536);
    let mut out = Vec::with_capacity(512);
    let (mut ok, mut bad) = (0, 0);
    while !stop.load(Ordering::Relaxed) {
        request.next(&mut out);
        stream.write_all(&out).await?;
        if response(&mut stream, &mut buf).await? == 200 {
            ok += 1;
        } else {
            bad += 1;
        }
    }
    Ok((ok, bad))
}

/// One timed run: requests/s, errors, and the server's CPU seconds per request.
fn run_once(addr: SocketAddr, request: Request) -> Result<(f64, u64, f64)> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(async {
                    let stop = Arc::new(AtomicBool::new(false));
                    let process = cpu_seconds("/proc/self/stat");
                    let own = cpu_seconds("/proc/thread-self/stat");
                    let t = Instant::now();
                    let workers: Vec<_> = (0..CONNECTIONS)
                        .map(|_| tokio::spawn(connection(addr, request.clone(), stop.clone())))
                        .collect();
                    tokio::time::sleep(RUN).await;
                    stop.store(true, Ordering::Relaxed);
                    let (mut ok, mut bad) = (0u64, 0u64);
                    for w in workers {
                        let (o, b) = w.await??;
                        ok += o;
                        bad += b;
                    }
                    let elapsed = t.elapsed().as_secs_f64();
                    let server_cpu = (cpu_seconds("/proc/self/stat") - process)
                        - (cpu_seconds("/proc/thread-self/stat") - own);
                    let per_request = server_cpu / (ok + bad).max(1) as f64;
                    Ok((ok as f64 / elapsed, bad, per_request))
                })
            })
            .join()
            .map_err(|_| eyre!("load generator panicked"))?
    })
}

/// What one store's list page costs, kept and never kept (see the module comment).
pub struct PageRates {
    /// Requests/s answered from the kept page.
    pub kept: f64,
    /// The server's CPU seconds per kept request.
    pub kept_cpu: f64,
    /// Requests/s with a new cursor each time (never kept).
    pub cold: f64,
    /// The server's CPU seconds per never-kept request.
    pub cold_cpu: f64,
    /// Answers that were not 200, kept and never kept.
    pub errors: (u64, u64),
    /// Rows on the page.
    pub rows: usize,
}

/// Switches the portal to company mode, signs the customer in, and measures.
pub async fn page_rates(base: &str, addr: SocketAddr) -> Result<PageRates> {
    let http = reqwest::Client::new();
    let login = |email: &'static str| {
        let http = http.clone();
        let base = base.to_string();
        async move {
            let v: serde_json::Value = http
                .post(format!("{base}/auth/login"))
                .json(&serde_json::json!({"email": email, "password": "deskport-demo"}))
                .send()
                .await?
                .json()
                .await?;
            Ok::<String, reqwest::Error>(v["token"].as_str().unwrap_or_default().to_string())
        }
    };
    let admin = login("ada@deskport.test").await?;
    let portal = http
        .get(format!("{base}/portal"))
        .bearer_auth(&admin)
        .send()
        .await?;
    let etag = portal
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("\"1\"")
        .to_string();
    let switched = http
        .patch(format!("{base}/portal"))
        .bearer_auth(&admin)
        .header("If-Match", etag)
        .json(&serde_json::json!({"ticket_permission": {"mode": "company"}}))
        .send()
        .await?;
    if !switched.status().is_success() {
        return Err(eyre!("switching to company mode: {}", switched.status()));
    }
    let customer = login("carla@acme.test").await?;
    let fixed = Request {
        target: Arc::new(b"GET /api/v1/tickets?limit=50".to_vec()),
        rest: Arc::new(
            format!(" HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {customer}\r\n\r\n")
                .into_bytes(),
        ),
        cursors: None,
    };
    let probe = http
        .get(format!("{base}/tickets?limit=50"))
        .bearer_auth(&customer)
        .send()
        .await?;
    let rows = probe
        .json::<serde_json::Value>()
        .await?
        .get("items")
        .and_then(|i| i.as_array().map(Vec::len))
        .unwrap_or(0);
    let (kept, kept_errors, kept_cpu) = median_of_runs(addr, &fixed).await?;
    let uncached = Request {
        cursors: Some(Arc::new(AtomicU64::new(ABOVE_EVERY_ID))),
        ..fixed
    };
    let (cold, cold_errors, cold_cpu) = median_of_runs(addr, &uncached).await?;
    Ok(PageRates {
        kept,
        kept_cpu,
        cold,
        cold_cpu,
        errors: (kept_errors, cold_errors),
        rows,
    })
}

/// The server rows of the table, on the SQLite server at `base`.
pub async fn figures(base: &str, addr: SocketAddr) -> Result<Vec<Figure>> {
    let r = page_rates(base, addr).await?;
    Ok(vec![
        Figure {
            what: "server: customer's ticket page (50 rows), company mode".into(),
            value: r.kept,
            unit: "req/s",
            goal: Goal::AtLeast(10_000.0),
            note: format!(
                "median of {RUNS}×{}s, {CONNECTIONS} keep-alive connections, generator on the same cores; {} errors; page has {} rows; answered from the kept page",
                RUN.as_secs(),
                r.errors.0,
                r.rows
            ),
        },
        Figure {
            what: "  server CPU per request".into(),
            value: r.kept_cpu * 1e6,
            unit: "µs",
            goal: Goal::Info,
            note: format!(
                "all cores for the server alone ≈ {} req/s",
                number(capacity(r.kept_cpu))
            ),
        },
        Figure {
            what: "  the same page, never kept (new cursor each time)".into(),
            value: r.cold,
            unit: "req/s",
            goal: Goal::Info,
            note: format!(
                "cursor above every id: the same first page read and serialised each time; {} errors",
                r.errors.1
            ),
        },
        Figure {
            what: "  … server CPU per request".into(),
            value: r.cold_cpu * 1e6,
            unit: "µs",
            goal: Goal::Info,
            note: format!(
                "all cores for the server alone ≈ {} req/s",
                number(capacity(r.cold_cpu))
            ),
        },
    ])
}

/// The median run (by requests/s) of [`RUNS`] runs of `request`.
async fn median_of_runs(addr: SocketAddr, request: &Request) -> Result<(f64, u64, f64)> {
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let request = request.clone();
        runs.push(tokio::task::spawn_blocking(move || run_once(addr, request)).await??);
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(runs[runs.len() / 2])
}

/// Requests/s the server could answer with every core to itself at `per_request` CPU
/// seconds each.
fn capacity(per_request: f64) -> f64 {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as f64
        / per_request.max(f64::EPSILON)
}
