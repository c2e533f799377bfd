//! The two stores side by side (issue "Scale out"): the same measurements on the SQLite
//! server and on a server over a throwaway PostgreSQL cluster (the tests' harness), both
//! seeded with the same demo portal, in one run so the ratios compare like with like. The
//! issue's target: a never-kept list page on PostgreSQL within 2× of SQLite.

use crate::load::{PageRates, page_rates};
use crate::report::{Figure, Goal, number, spread};
use crate::{client, postgres, session};
use color_eyre::eyre::{Result, eyre};
use deskport::client::Session;
use deskport::server::{RunningServer, ServerConfig, start};
use std::path::Path;
use std::time::{Duration, Instant};

/// Staff writes timed one after another on each store.
const WRITES: usize = 200;
/// Initial syncs timed on each store.
const SYNCS: usize = 3;

/// One store's figures.
struct Measured {
    page: PageRates,
    writes: Vec<Duration>,
    syncs: Vec<Duration>,
}

/// Measures the SQLite `server` and a PostgreSQL server seeded with `n` demo tickets.
pub async fn figures(root: &Path, sqlite: &RunningServer, n: usize) -> Result<Vec<Figure>> {
    if !postgres::available() {
        return Err(eyre!(
            "PostgreSQL is not installed here (apt-get install postgresql)"
        ));
    }
    let config = ServerConfig {
        data_dir: root.join("pg-server"),
        demo: true,
        demo_tickets: n,
        smtp: None,
        database: Some(postgres::fresh_database()),
        trusted_proxy: None,
    };
    let t = Instant::now();
    let pg = start(&config, "127.0.0.1:0".parse()?).await?;
    eprintln!("PostgreSQL server seeded in {:.1?}", t.elapsed());
    let lite = measure(root, "sqlite", sqlite, n).await?;
    let post = measure(root, "postgres", &pg, n).await?;
    drop(pg);
    Ok(rows(&lite, &post))
}

async fn measure(root: &Path, name: &str, server: &RunningServer, n: usize) -> Result<Measured> {
    eprintln!("store {name}: list page");
    let page = page_rates(&server.base_url(), server.addr).await?;
    let url = format!("http://{}", server.addr);
    let ada = session(&url, "ada@deskport.test").await?;
    eprintln!("store {name}: writes");
    let writes = writes(&url, &ada).await?;
    eprintln!("store {name}: initial syncs");
    let mut syncs = Vec::new();
    for i in 0..SYNCS {
        let dir = root.join(format!("store-{name}-{i}"));
        syncs.push(client::one_initial_sync(&dir, &ada, n).await?);
    }
    Ok(Measured {
        page,
        writes,
        syncs,
    })
}

/// [`WRITES`] staff replies (internal notes, so no mail is queued) to the newest ticket,
/// each timed from request to answer.
async fn writes(url: &str, ada: &Session) -> Result<Vec<Duration>> {
    let http = reqwest::Client::new();
    let base = format!("{url}/api/v1");
    let page: serde_json::Value = http
        .get(format!("{base}/tickets?limit=1"))
        .bearer_auth(&ada.token)
        .send()
        .await?
        .json()
        .await?;
    let id = page["items"][0]["id"]
        .as_i64()
        .ok_or_else(|| eyre!("no ticket to write to"))?;
    let mut took = Vec::with_capacity(WRITES);
    for i in 0..WRITES {
        let t = Instant::now();
        let answer = http
            .post(format!("{base}/tickets/{id}/messages"))
            .bearer_auth(&ada.token)
            .json(&serde_json::json!({"body": format!("note {i}"), "internal": true}))
            .send()
            .await?;
        took.push(t.elapsed());
        if answer.status() != 201 {
            return Err(eyre!("a write was answered {}", answer.status()));
        }
    }
    Ok(took)
}

fn rows(lite: &Measured, post: &Measured) -> Vec<Figure> {
    let (lw, pw) = (spread(&lite.writes), spread(&post.writes));
    let (ls, ps) = (spread(&lite.syncs), spread(&post.syncs));
    let pair = |l: f64, p: f64, unit: &str| {
        format!(
            "SQLite {} {unit}, PostgreSQL {} {unit}",
            number(l),
            number(p)
        )
    };
    vec![
        Figure {
            what: "store: never-kept list page, SQLite ÷ PostgreSQL req/s".into(),
            value: lite.page.cold / post.page.cold.max(f64::EPSILON),
            unit: "×",
            goal: Goal::AtMost(2.0),
            note: format!(
                "{}; server CPU {} / {} µs a request",
                pair(lite.page.cold, post.page.cold, "req/s"),
                number(lite.page.cold_cpu * 1e6),
                number(post.page.cold_cpu * 1e6)
            ),
        },
        Figure {
            what: "  kept list page, SQLite ÷ PostgreSQL req/s".into(),
            value: lite.page.kept / post.page.kept.max(f64::EPSILON),
            unit: "×",
            goal: Goal::Info,
            note: pair(lite.page.kept, post.page.kept, "req/s"),
        },
        Figure {
            what: "  staff write (internal note), PostgreSQL ÷ SQLite p50".into(),
            value: pw.p50 / lw.p50.max(f64::EPSILON),
            unit: "×",
            goal: Goal::Info,
            note: format!(
                "p50 {}; p95 {}; {WRITES} writes each",
                pair(lw.p50, pw.p50, "ms"),
                pair(lw.p95, pw.p95, "ms")
            ),
        },
        Figure {
            what: "  initial sync of every ticket, PostgreSQL ÷ SQLite".into(),
            value: ps.p50 / ls.p50.max(f64::EPSILON),
            unit: "×",
            goal: Goal::Info,
            note: format!("medians of {SYNCS}: {}", pair(ls.p50, ps.p50, "ms")),
        },
    ]
}
