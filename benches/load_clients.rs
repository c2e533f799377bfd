//! The many-clients figures: 200 clients syncing and replying at once on loopback (a demo
//! portal of 1 000 tickets), 5 rounds each, in one run against three set-ups: one server on
//! SQLite, one on PostgreSQL, and two instances of one portal on one PostgreSQL database
//! (clients spread over both). Prints requests/s and latency percentiles of each, and fails
//! if any request failed or any acknowledged reply is missing or doubled. PostgreSQL is a
//! throwaway cluster started as the tests start theirs. Run with
//! `cargo bench --bench load_clients`.

#[path = "../tests/load_support/mod.rs"]
mod load_support;
/// The tests' throwaway PostgreSQL cluster.
#[allow(dead_code)]
#[path = "../tests/common/postgres.rs"]
mod postgres;
/// What the cluster launcher needs of the tests' process helpers (a free port).
#[allow(dead_code)]
#[path = "../tests/common/process.rs"]
mod process;

use color_eyre::eyre::{Result, WrapErr, bail};
use deskport::server::{RunningServer, ServerConfig, start};
use std::path::Path;

const CLIENTS: usize = 200;
const ROUNDS: usize = 5;
const TICKETS: usize = 1_000;

/// A demo server with its data under `dir`, on `database` (SQLite when `None`); instances on
/// one database share its portal (the first seeds it).
async fn server(dir: &Path, database: Option<String>) -> Result<RunningServer> {
    let config = ServerConfig {
        data_dir: dir.to_path_buf(),
        demo: true,
        demo_tickets: TICKETS,
        smtp: None,
        database,
        trusted_proxy: None,
    };
    start(&config, "127.0.0.1:0".parse()?).await
}

/// Runs the load against `servers`, prints its figures under `name`; its failures, if any.
async fn measure(name: &str, servers: &[&RunningServer]) -> Vec<String> {
    let report = load_support::run(servers, CLIENTS, ROUNDS).await;
    println!(
        "{name}: {CLIENTS} clients x {ROUNDS} rounds (sync + reply + sync): {} requests in {:.2} s = {:.0} requests/s; p50 {:.0} ms, p95 {:.0} ms; {} replies, {} errors, {} lost or doubled",
        report.requests,
        report.elapsed.as_secs_f64(),
        report.rate(),
        report.p50.as_secs_f64() * 1000.0,
        report.p95.as_secs_f64() * 1000.0,
        report.writes,
        report.errors.len(),
        report.lost_or_doubled.len(),
    );
    let mut failures: Vec<String> = report.errors.into_iter().take(10).collect();
    failures.extend(report.lost_or_doubled);
    failures
        .into_iter()
        .map(|f| format!("{name}: {f}"))
        .collect()
}

#[tokio::main]
async fn main() -> Result<()> {
    let dir = tempfile::tempdir().wrap_err("temporary dir")?;
    let mut failures = Vec::new();
    let lite = server(&dir.path().join("sqlite"), None).await?;
    failures.extend(measure("SQLite, one server", &[&lite]).await);
    lite.stop().await?;
    if postgres::available() {
        let one = server(&dir.path().join("pg-one"), Some(postgres::fresh_database())).await?;
        failures.extend(measure("PostgreSQL, one server", &[&one]).await);
        one.stop().await?;
        let database = postgres::fresh_database();
        let a = server(&dir.path().join("pg-a"), Some(database.clone())).await?;
        let b = server(&dir.path().join("pg-b"), Some(database)).await?;
        failures.extend(measure("PostgreSQL, two instances", &[&a, &b]).await);
        a.stop().await?;
        b.stop().await?;
    }
    if !failures.is_empty() {
        bail!("{failures:?}");
    }
    Ok(())
}
