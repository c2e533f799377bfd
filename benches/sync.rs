//! Sync benchmark: a server in-process with N demo tickets (default 100 000; set
//! `DESKPORT_BENCH_TICKETS`), and clients on temporary dirs. Measures the initial sync, an
//! incremental sync of one change, loading the cache into the view, and the time from a write
//! by client A to its arrival in client B; plus the raw baseline of decoding the same tickets'
//! JSON and inserting them into SQLite in one transaction. Prints a table and writes
//! `target/bench-sync.json`.
//!
//! Run with `cargo bench --bench sync`.

use color_eyre::eyre::{Result, WrapErr, eyre};
use deskport::client::{Client, ClientConfig, Session, Write};
use deskport::domain::Priority;
use deskport::domain::wire::{StaffTicketPatch, TicketRow};
use deskport::server::{ServerConfig, start};
use serde_json::value::RawValue;
use std::time::{Duration, Instant};

const PASSWORD: &str = "deskport-demo";

/// One measured quantity.
struct Row {
    name: &'static str,
    runs: usize,
    p50: Duration,
    p95: Duration,
    target: Option<Duration>,
}

fn row(name: &'static str, mut samples: Vec<Duration>, target: Option<Duration>) -> Row {
    samples.sort();
    let pick = |q: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Row {
        name,
        runs: samples.len(),
        p50: pick(0.5),
        p95: pick(0.95),
        target,
    }
}

fn config(dir: &std::path::Path, background: bool) -> ClientConfig {
    let mut c = ClientConfig::new(dir);
    c.background = background;
    c.retry_min = Duration::from_millis(50);
    c.retry_max = Duration::from_millis(500);
    c
}

async fn session(url: &str, email: &str) -> Result<Session> {
    deskport::client::login(url, email, PASSWORD)
        .await
        .wrap_err_with(|| format!("login {email}"))
}

#[tokio::main]
async fn main() -> Result<()> {
    color_eyre::install()?;
    let n: usize = std::env::var("DESKPORT_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir()?;
    let t = Instant::now();
    let server_config = ServerConfig {
        data_dir: tmp.path().join("server"),
        demo: true,
        demo_tickets: n,
        smtp: None,
    };
    let server = start(&server_config, "127.0.0.1:0".parse()?).await?;
    let url = format!("http://{}", server.addr);
    eprintln!("server with {n} tickets ready in {:.1?}", t.elapsed());
    let ada = session(&url, "ada@deskport.test").await?;
    let sam = session(&url, "sam@deskport.test").await?;
    let lin = session(&url, "lin@deskport.test").await?;
    let mut rows = Vec::new();

    // Initial sync into an empty cache.
    let mut initial = Vec::new();
    for i in 0..3 {
        let dir = tmp.path().join(format!("initial-{i}"));
        let client = Client::start(config(&dir, false), ada.clone()).await?;
        let t = Instant::now();
        client.sync_now().await?;
        initial.push(t.elapsed());
        let count = client.view().ticket_count();
        if count < n {
            return Err(eyre!("synced {count} tickets, expected {n}"));
        }
    }
    rows.push(row(
        "initial sync (empty cache)",
        initial,
        Some(Duration::from_secs(2)),
    ));

    // Loading the cache into the view.
    let dir = tmp.path().join("initial-0");
    let mut loads = Vec::new();
    for _ in 0..5 {
        let mut c = config(&dir, false);
        c.offline = true;
        let t = Instant::now();
        let client = Client::start(c, ada.clone()).await?;
        loads.push(t.elapsed());
        drop(client);
    }
    rows.push(row(
        "cache load into the view",
        loads,
        Some(Duration::from_millis(100)),
    ));

    // Incremental sync of one change made by someone else.
    let client = Client::start(config(&dir, false), ada.clone()).await?;
    client.sync_now().await?;
    let api = deskport::client::ApiClient::new(&url)?.with_token(sam.token.clone());
    let mut incremental = Vec::new();
    for i in 0..20 {
        let id = (i * 37 % n as i64) + 1;
        let version = api
            .ticket(id)
            .await?
            .version
            .ok_or_else(|| eyre!("no ETag"))?;
        let patch = deskport::domain::wire::TicketPatch::Staff(StaffTicketPatch {
            subject: Some(format!("bench change {i}")),
            ..Default::default()
        });
        api.patch_ticket(id, version, &patch, None).await?;
        let t = Instant::now();
        let report = client.sync_now().await?;
        incremental.push(t.elapsed());
        if report.tickets_changed != [id] {
            return Err(eyre!(
                "expected one change to #{id}, got {:?}",
                report.tickets_changed
            ));
        }
    }
    rows.push(row("incremental sync of one change", incremental, None));
    drop(client);

    // Write by client A to its arrival in client B (both running their engines).
    let a = Client::start(config(&tmp.path().join("a"), true), sam.clone()).await?;
    let b = Client::start(config(&tmp.path().join("b"), true), lin.clone()).await?;
    a.sync_now().await?;
    b.sync_now().await?;
    let mut arrivals = Vec::new();
    for i in 0..20 {
        let id = n as i64 - i;
        let base = a
            .view()
            .ticket(id)
            .map(|t| t.version())
            .ok_or_else(|| eyre!("#{id} missing"))?;
        let priority = if i % 2 == 0 {
            Priority::Urgent
        } else {
            Priority::Low
        };
        let subject = format!("arrival {i}");
        let mut events = b.subscribe();
        let t = Instant::now();
        let patch = StaffTicketPatch {
            subject: Some(subject.clone()),
            priority: Some(priority),
            ..Default::default()
        };
        a.submit(Write::PatchTicket {
            id,
            base_version: base,
            patch,
        })
        .await?;
        loop {
            if b.view().ticket(id).is_some_and(|t| t.subject() == subject) {
                break;
            }
            if t.elapsed() > Duration::from_secs(10) {
                return Err(eyre!("write {i} never reached client B"));
            }
            let _ = tokio::time::timeout(Duration::from_millis(20), events.recv()).await;
        }
        arrivals.push(t.elapsed());
    }
    rows.push(row(
        "write by A seen by B",
        arrivals,
        Some(Duration::from_millis(300)),
    ));
    a.shutdown().await;
    b.shutdown().await;

    // Raw baseline: the same tickets' JSON decoded with the wire type and inserted in one transaction.
    let limit = ClientConfig::new(tmp.path()).page_size;
    let mut fetches = Vec::new();
    let mut pages = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        pages = raw_pages(&ada, limit).await?;
        fetches.push(t.elapsed());
    }
    rows.push(row("server alone: every snapshot page", fetches, None));
    let (decode, insert) = baseline(&pages, &tmp.path().join("baseline.sqlite"))?;
    rows.push(row("baseline: decode JSON (wire type)", vec![decode], None));
    rows.push(row(
        "baseline: insert in one transaction",
        vec![insert],
        None,
    ));
    rows.push(row(
        "baseline: decode + insert",
        vec![decode + insert],
        None,
    ));

    print_table(n, &rows);
    write_json(n, &rows)?;
    drop(server);
    Ok(())
}

/// The part of a sync page that says how to go on.
#[derive(serde::Deserialize)]
struct Head {
    cursor: String,
    has_more: bool,
}

/// Every snapshot page's raw JSON, `limit` changes a page, as the server sends it to
/// `session` (the client only reads each page's cursor).
async fn raw_pages(session: &Session, limit: usize) -> Result<Vec<Vec<u8>>> {
    let api =
        deskport::client::ApiClient::new(&session.server_url)?.with_token(session.token.clone());
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let bytes = api.sync_raw(cursor.as_deref(), limit).await?;
        let head: Head = serde_json::from_slice(&bytes)?;
        pages.push(bytes);
        if !head.has_more {
            return Ok(pages);
        }
        cursor = Some(head.cursor);
    }
}

/// Decodes the tickets of `pages` into [`TicketRow`]s, then inserts them as JSON in one
/// transaction; returns both times.
fn baseline(pages: &[Vec<u8>], db: &std::path::Path) -> Result<(Duration, Duration)> {
    #[derive(serde::Deserialize)]
    struct Page<'a> {
        #[serde(borrow)]
        changes: Vec<Change<'a>>,
    }
    #[derive(serde::Deserialize)]
    struct Change<'a> {
        entity: String,
        #[serde(borrow)]
        data: Option<&'a RawValue>,
    }
    let parsed: Vec<Page<'_>> = pages
        .iter()
        .map(|p| serde_json::from_slice(p))
        .collect::<Result<_, _>>()?;
    let array = format!(
        "[{}]",
        parsed
            .iter()
            .flat_map(|p| &p.changes)
            .filter(|c| c.entity == "ticket")
            .filter_map(|c| c.data.map(RawValue::get))
            .collect::<Vec<_>>()
            .join(",")
    );
    let t = Instant::now();
    let rows: Vec<TicketRow> = serde_json::from_str(&array)?;
    let decode = t.elapsed();
    let mut conn = rusqlite::Connection::open(db)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE tickets (id INTEGER PRIMARY KEY, data TEXT NOT NULL);")?;
    let t = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare("INSERT INTO tickets (id, data) VALUES (?1, ?2)")?;
        for r in &rows {
            stmt.execute(rusqlite::params![r.ticket.id, serde_json::to_string(r)?])?;
        }
    }
    tx.commit()?;
    Ok((decode, t.elapsed()))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn print_table(n: usize, rows: &[Row]) {
    println!("\nsync benchmark, {n} tickets");
    println!(
        "{:<38} {:>5} {:>10} {:>10} {:>10}  ok",
        "measure", "runs", "p50 ms", "p95 ms", "target"
    );
    for r in rows {
        let target = r.target.map(ms).unwrap_or_else(|| "-".into());
        let ok = match r.target {
            Some(t) if r.p50 <= t => "yes",
            Some(_) => "NO",
            None => "",
        };
        println!(
            "{:<38} {:>5} {:>10} {:>10} {:>10}  {ok}",
            r.name,
            r.runs,
            ms(r.p50),
            ms(r.p95),
            target
        );
    }
}

fn write_json(n: usize, rows: &[Row]) -> Result<()> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&target_dir)?;
    let path = target_dir.join("bench-sync.json");
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "measure": r.name,
                "runs": r.runs,
                "p50_ms": r.p50.as_secs_f64() * 1000.0,
                "p95_ms": r.p95.as_secs_f64() * 1000.0,
                "target_ms": r.target.map(|t| t.as_secs_f64() * 1000.0),
            })
        })
        .collect();
    std::fs::write(
        &path,
        serde_json::to_vec_pretty(&serde_json::json!({"tickets": n, "results": items}))?,
    )?;
    println!("written to {}", path.display());
    Ok(())
}
