//! The many-clients figure: 200 clients syncing and replying at once against one server on
//! loopback (a demo portal of 1 000 tickets), 5 rounds each; prints requests/s and latency
//! percentiles, and fails if any request failed or any acknowledged reply is missing or
//! doubled. Run with `cargo bench --bench load_clients`.

#[path = "../tests/load_support/mod.rs"]
mod load_support;

use color_eyre::eyre::{Result, WrapErr, bail};
use deskport::server::{ServerConfig, start};

const CLIENTS: usize = 200;
const ROUNDS: usize = 5;
const TICKETS: usize = 1_000;

#[tokio::main]
async fn main() -> Result<()> {
    let dir = tempfile::tempdir().wrap_err("temporary dir")?;
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo: true,
        demo_tickets: TICKETS,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let server = start(&config, "127.0.0.1:0".parse()?).await?;
    let report = load_support::run(&server, CLIENTS, ROUNDS).await;
    println!(
        "{CLIENTS} clients x {ROUNDS} rounds (sync + reply + sync): {} requests in {:.2} s = {:.0} requests/s; p50 {:.0} ms, p95 {:.0} ms; {} replies, {} errors, {} lost or doubled",
        report.requests,
        report.elapsed.as_secs_f64(),
        report.rate(),
        report.p50.as_secs_f64() * 1000.0,
        report.p95.as_secs_f64() * 1000.0,
        report.writes,
        report.errors.len(),
        report.lost_or_doubled.len(),
    );
    server.stop().await?;
    if !report.errors.is_empty() || !report.lost_or_doubled.is_empty() {
        bail!(
            "errors: {:?}; lost or doubled: {:?}",
            &report.errors[..report.errors.len().min(10)],
            report.lost_or_doubled
        );
    }
    Ok(())
}
