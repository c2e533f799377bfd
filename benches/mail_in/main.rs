//! The inbound mail figures: 1 000 mails through `deskport serve --smtp-listen` (the real
//! binary, on loopback) until an agent's client (the crate's client library, syncing from
//! the server's event stream) shows each one, on SQLite and, when PostgreSQL is installed,
//! on a throwaway cluster started as the tests start theirs.
//!
//! The portal is the demo one with 50 more contacts, the senders: the listener defers a
//! sender's 31st mail in an hour, so each sends 21 (one to open their thread, untimed, then
//! 20). Eight SMTP sessions send at once; two mails in five are replies to the sender's
//! thread through the reply address of the "ticket created" mail the server wrote (with a
//! quoted part to fold away), the others open tickets. Each mail is timed from the `250`
//! after its text to the moment the client's view holds the new ticket or the reply.
//! Prints mails/s and the latency percentiles per store, and fails if any mail was refused
//! or never arrived. Run with `cargo bench --bench mail_in`.

mod seed;
mod smtp;
mod traffic;

/// The tests' throwaway PostgreSQL cluster.
#[allow(dead_code)]
#[path = "../../tests/common/postgres.rs"]
mod postgres;
/// The tests' helpers for the real binary: a free port, `deskport serve` until healthy.
#[allow(dead_code)]
#[path = "../../tests/common/process.rs"]
mod process;
/// Percentiles and the load average, as the other figures take them.
#[allow(dead_code)]
#[path = "../perf/report.rs"]
mod report;

use color_eyre::eyre::{Result, WrapErr, bail};
use deskport::client::{Client, ClientConfig};
use deskport::server::ServerConfig;
use deskport::server::demo::DEMO_PASSWORD;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

/// Contacts sending mail.
const SENDERS: usize = 50;
/// Timed mails from each (the whole run: `SENDERS × PER_SENDER`).
const PER_SENDER: usize = 20;
/// One mail in this many is a reply.
const REPLY_EVERY: usize = 5;
/// SMTP sessions sending at once.
const SESSIONS: usize = 8;
/// The agent whose client is watched.
const AGENT: &str = "sam@deskport.test";

/// Runs the mails against a server on `database` (SQLite in `dir` when `None`) and prints
/// the figures under `name`.
async fn measure(name: &str, dir: &Path, database: Option<String>) -> Result<()> {
    let data = dir.join("server");
    let config = ServerConfig {
        data_dir: data.clone(),
        demo: false,
        demo_tickets: 0,
        smtp: None,
        database: database.clone(),
        trusted_proxy: None,
    };
    let support = seed::portal(&config, SENDERS).await?;
    let smtp_port = process::free_port();
    let smtp_listen = format!("127.0.0.1:{smtp_port}");
    let data_arg = data.display().to_string();
    let mut args = vec!["--data-dir", &data_arg, "--smtp-listen", &smtp_listen];
    if let Some(url) = &database {
        args.extend(["--database", url]);
    }
    let served = process::Served::start(dir, &args).await;
    let smtp_addr: SocketAddr = smtp_listen.parse()?;

    let session = deskport::client::login(
        &format!("http://127.0.0.1:{}", served.port),
        AGENT,
        DEMO_PASSWORD,
    )
    .await
    .wrap_err("agent sign-in")?;
    let mut client_config = ClientConfig::new(dir.join("agent"));
    client_config.retry_min = Duration::from_millis(50);
    client_config.retry_max = Duration::from_millis(500);
    let client = Client::start(client_config, session).await?;
    client.sync_now().await?;

    let threads =
        traffic::open_threads(smtp_addr, &support, SENDERS, &client, &data.join("mail")).await?;
    let mails = traffic::plan(&threads, &support, PER_SENDER, REPLY_EVERY);
    let tickets_before = client.view().ticket_count();
    let load_before = report::load_average();
    let timings = traffic::run(smtp_addr, SESSIONS, &mails, &client).await?;
    let load_after = report::load_average();
    let opened = client.view().ticket_count() - tickets_before;
    client.shutdown().await;
    drop(served);

    let latencies: Vec<Duration> = timings
        .taken
        .iter()
        .zip(&timings.shown)
        .map(|(taken, shown)| shown.saturating_duration_since(*taken))
        .collect();
    let last = timings.shown.iter().max().copied().unwrap_or(timings.start);
    let last_taken = timings.taken.iter().max().copied().unwrap_or(timings.start);
    let elapsed = last.duration_since(timings.start).as_secs_f64();
    let spread = report::spread(&latencies);
    let replies = mails.iter().filter(|m| m.is_reply()).count();
    println!(
        "{name}: {} mails ({} senders, {SESSIONS} SMTP sessions, {replies} of them replies) in {elapsed:.2} s = {:.0} mails/s \
         (taken at {:.0} mails/s); 250 → agent's client p50 {} ms, p95 {} ms, max {} ms; {opened} tickets opened; \
         load average {load_before} before, {load_after} after",
        mails.len(),
        SENDERS,
        mails.len() as f64 / elapsed.max(1e-9),
        mails.len() as f64
            / last_taken
                .duration_since(timings.start)
                .as_secs_f64()
                .max(1e-9),
        report::number(spread.p50),
        report::number(spread.p95),
        report::number(
            latencies
                .iter()
                .max()
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        ),
    );
    let new_tickets = mails.len() - replies;
    if opened != new_tickets {
        bail!("{name}: {opened} tickets opened for {new_tickets} new mails");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    color_eyre::install()?;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "inbound mail, {cores} cores, load average {}",
        report::load_average()
    );
    let dir = tempfile::tempdir().wrap_err("temporary dir")?;
    let started = Instant::now();
    measure("SQLite", &dir.path().join("sqlite"), None).await?;
    if postgres::available() {
        measure(
            "PostgreSQL",
            &dir.path().join("postgres"),
            Some(postgres::fresh_database()),
        )
        .await?;
    }
    eprintln!("done in {:.0?}", started.elapsed());
    Ok(())
}
