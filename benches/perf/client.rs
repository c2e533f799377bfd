//! Client figures against the in-process server: the initial sync into an empty cache and the
//! raw baseline it is compared with (decode the same JSON, insert the same rows), loading the
//! cache into the view, an incremental sync, and a write by client A arriving in client B.

use crate::report::{Figure, Goal, spread, timed};
use color_eyre::eyre::{Result, WrapErr, eyre};
use deskport::client::{Client, ClientConfig, Session, Write};
use deskport::domain::Priority;
use deskport::domain::wire::{StaffTicketPatch, TicketPatch, TicketRow};
use serde_json::value::RawValue;
use std::path::Path;
use std::time::{Duration, Instant};

/// A client config on `dir`, with or without its background engine.
pub fn config(dir: &Path, background: bool) -> ClientConfig {
    let mut c = ClientConfig::new(dir);
    c.background = background;
    c.retry_min = Duration::from_millis(50);
    c.retry_max = Duration::from_millis(500);
    c
}

/// How long `session`'s client takes to sync every ticket into an empty cache in `dir`;
/// fails when it holds fewer than `n` tickets afterwards.
pub async fn one_initial_sync(dir: &Path, session: &Session, n: usize) -> Result<Duration> {
    let client = Client::start(config(dir, false), session.clone()).await?;
    let t = Instant::now();
    client.sync_now().await?;
    let took = t.elapsed();
    let count = client.view().ticket_count();
    client.shutdown().await;
    if count < n {
        return Err(eyre!("synced {count} tickets, expected {n}"));
    }
    Ok(took)
}

/// Initial sync (3 runs, each into an empty cache under `root`), the baseline and their ratio.
/// Leaves a filled cache in `root/initial-0`.
pub async fn initial_sync(root: &Path, ada: &Session, n: usize) -> Result<Vec<Figure>> {
    let mut initial = Vec::new();
    for i in 0..3 {
        initial.push(one_initial_sync(&root.join(format!("initial-{i}")), ada, n).await?);
    }
    let limit = ClientConfig::new(root).page_size;
    let mut fetches = Vec::new();
    let mut pages = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        pages = raw_pages(ada, limit).await?;
        fetches.push(t.elapsed());
    }
    let mut decodes = Vec::new();
    let mut inserts = Vec::new();
    for i in 0..3 {
        let (d, s) = baseline(&pages, &root.join(format!("baseline-{i}.sqlite")))?;
        decodes.push(d);
        inserts.push(s);
    }
    let sync = spread(&initial).p50;
    let base = spread(&decodes).p50 + spread(&inserts).p50;
    Ok(vec![
        timed(
            "initial sync of 100k tickets, loopback server",
            &initial,
            Goal::AtMost(2000.0),
        ),
        Figure {
            what: "  baseline: decode the same JSON + insert the same rows".into(),
            value: base,
            unit: "ms",
            goal: Goal::Info,
            note: format!(
                "decode {:.0} ms + insert {:.0} ms, medians of 3",
                spread(&decodes).p50,
                spread(&inserts).p50
            ),
        },
        Figure {
            what: "  initial sync ÷ baseline".into(),
            value: sync / base.max(f64::EPSILON),
            unit: "×",
            goal: Goal::AtMost(3.0),
            note: "same run".into(),
        },
        timed(
            "  server alone: every snapshot page (for context)",
            &fetches,
            Goal::Info,
        ),
    ])
}

/// Loading the cache in `dir` into the view (offline, 5 runs).
pub async fn cache_load(dir: &Path, ada: &Session) -> Result<Figure> {
    let mut loads = Vec::new();
    for _ in 0..5 {
        let mut c = config(dir, false);
        c.offline = true;
        let t = Instant::now();
        let client = Client::start(c, ada.clone()).await?;
        loads.push(t.elapsed());
        drop(client);
    }
    Ok(timed(
        "cache load of 100k tickets into the view",
        &loads,
        Goal::AtMost(100.0),
    ))
}

/// An incremental sync of one change someone else made (20 runs) on the cache in `dir`.
pub async fn incremental(
    dir: &Path,
    ada: &Session,
    sam: &Session,
    url: &str,
    n: usize,
) -> Result<Figure> {
    let client = Client::start(config(dir, false), ada.clone()).await?;
    client.sync_now().await?;
    let api = deskport::client::ApiClient::new(url)?.with_token(sam.token.clone());
    let mut samples = Vec::new();
    for i in 0..20 {
        let id = (i * 37 % n as i64) + 1;
        let version = api
            .ticket(id)
            .await?
            .version
            .ok_or_else(|| eyre!("no ETag"))?;
        let patch = TicketPatch::Staff(StaffTicketPatch {
            subject: Some(format!("bench change {i}")),
            ..Default::default()
        });
        api.patch_ticket(id, version, &patch, None).await?;
        let t = Instant::now();
        let report = client.sync_now().await?;
        samples.push(t.elapsed());
        if report.tickets_changed != [id] {
            return Err(eyre!(
                "expected one change to #{id}, got {:?}",
                report.tickets_changed
            ));
        }
    }
    client.shutdown().await;
    Ok(timed(
        "  incremental sync of one change",
        &samples,
        Goal::Info,
    ))
}

/// A write by client A until client B's view shows it (both engines running, 20 writes).
pub async fn write_to_other(root: &Path, a: &Session, b: &Session, n: usize) -> Result<Figure> {
    let a = Client::start(config(&root.join("a"), true), a.clone()).await?;
    let b = Client::start(config(&root.join("b"), true), b.clone()).await?;
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
        let subject = format!("arrival {i}");
        let mut events = b.subscribe();
        let t = Instant::now();
        let patch = StaffTicketPatch {
            subject: Some(subject.clone()),
            priority: Some(if i % 2 == 0 {
                Priority::Urgent
            } else {
                Priority::Low
            }),
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
    a.shutdown().await;
    b.shutdown().await;
    let s = spread(&arrivals);
    Ok(Figure {
        what: "write by client A visible in client B's view (p95)".into(),
        value: s.p95,
        unit: "ms",
        goal: Goal::AtMost(300.0),
        note: format!("p50 {:.1} ms, {} writes", s.p50, s.runs),
    })
}

/// The part of a sync page that says how to go on.
#[derive(serde::Deserialize)]
struct Head {
    cursor: String,
    has_more: bool,
}

/// Every snapshot page's raw JSON, `limit` changes a page, as the server sends it to `session`.
async fn raw_pages(session: &Session, limit: usize) -> Result<Vec<Vec<u8>>> {
    let api =
        deskport::client::ApiClient::new(&session.server_url)?.with_token(session.token.clone());
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let bytes = api.sync_raw(cursor.as_deref(), limit).await?;
        let head: Head = serde_json::from_slice(&bytes).wrap_err("sync page")?;
        pages.push(bytes);
        if !head.has_more {
            return Ok(pages);
        }
        cursor = Some(head.cursor);
    }
}

/// Decodes the tickets of `pages` into [`TicketRow`]s, then inserts them as JSON in one
/// transaction into a new database at `db`; returns both times.
fn baseline(pages: &[Vec<u8>], db: &Path) -> Result<(Duration, Duration)> {
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
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         CREATE TABLE tickets (id INTEGER PRIMARY KEY, data TEXT NOT NULL);",
    )?;
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
