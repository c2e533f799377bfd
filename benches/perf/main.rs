//! Every performance figure of the README in one run: a server in-process with N demo tickets
//! (default 100 000; `DESKPORT_BENCH_TICKETS`), clients on temporary dirs, the Tickets pane
//! drawn into a `TestBackend`, the real binary started in a pseudo-terminal and run as
//! `deskport tickets --json --offline`, and a lean load generator. Prints a table (target,
//! measured, pass/fail) and writes `target/perf.json`. Medians of repeated runs; ratios are
//! taken within one run.
//!
//! Run with `cargo bench --bench perf` (or `scripts/bench.sh`). Exits non-zero if a target
//! is missed, after printing the table and writing the JSON. Names after `--` run only those
//! sections (`sync`, `cache`, `pane`, `startup`, `write`, `server`, `store`), e.g.
//! `cargo bench --bench perf -- pane startup`; sections they need still run first. `store`
//! compares the SQLite server with one on a throwaway PostgreSQL cluster, started as the
//! tests start theirs.

mod cli;
mod client;
mod load;
mod pane;
mod report;
mod startup;
mod store;

/// The tests' throwaway PostgreSQL cluster, for the `store` section.
#[allow(dead_code)]
#[path = "../../tests/common/postgres.rs"]
mod postgres;
/// What the cluster launcher needs of the tests' process helpers (a free port).
#[allow(dead_code)]
#[path = "../../tests/common/process.rs"]
mod process;

use color_eyre::eyre::{Result, WrapErr, eyre};
use deskport::client::{Client, Session};
use deskport::server::{ServerConfig, start};
use report::{Goal, or_failed};
use std::process::ExitCode;
use std::time::Instant;

const PASSWORD: &str = "deskport-demo";

/// The sections named on the command line (cargo passes `--bench`, which is skipped); none
/// means every section.
struct Sections(Vec<String>);

impl Sections {
    fn from_args() -> Sections {
        Sections(
            std::env::args()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .collect(),
        )
    }

    /// Whether any of `names` was asked for.
    fn any(&self, names: &[&str]) -> bool {
        self.0.is_empty() || names.iter().any(|n| self.0.iter().any(|a| a == n))
    }
}

async fn session(url: &str, email: &str) -> Result<Session> {
    deskport::client::login(url, email, PASSWORD)
        .await
        .wrap_err_with(|| format!("login {email}"))
}

#[tokio::main]
async fn main() -> Result<ExitCode> {
    color_eyre::install()?;
    let sections = Sections::from_args();
    let n: usize = std::env::var("DESKPORT_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let load_before = report::load_average();
    eprintln!("load average {load_before}; seeding {n} demo tickets");
    let tmp = tempfile::tempdir()?;
    let t = Instant::now();
    let server_config = ServerConfig {
        data_dir: tmp.path().join("server"),
        demo: true,
        demo_tickets: n,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let server = start(&server_config, "127.0.0.1:0".parse()?).await?;
    let url = format!("http://{}", server.addr);
    eprintln!("server ready in {:.1?}", t.elapsed());
    let ada = session(&url, "ada@deskport.test").await?;
    let sam = session(&url, "sam@deskport.test").await?;
    let lin = session(&url, "lin@deskport.test").await?;

    let mut figures = Vec::new();
    let filled = tmp.path().join("initial-0");
    let (mut sync, mut cache) = (Vec::new(), Vec::new());
    if sections.any(&["sync", "cache", "write"]) {
        eprintln!("initial sync and baseline");
        sync = or_failed(
            client::initial_sync(tmp.path(), &ada, n).await,
            &[
                (
                    "initial sync of 100k tickets, loopback server",
                    Goal::AtMost(2000.0),
                ),
                ("  initial sync ÷ baseline", Goal::AtMost(3.0)),
            ],
        );
    }
    if sections.any(&["cache"]) {
        eprintln!("cache load");
        cache = or_failed(
            client::cache_load(&filled, &ada).await.map(|f| vec![f]),
            &[(
                "cache load of 100k tickets into the view",
                Goal::AtMost(100.0),
            )],
        );
        eprintln!("deskport tickets --json --offline");
        cache.extend(or_failed(
            cli::tickets_json(&filled, &ada),
            &[
                (cli::JSON_ROW, Goal::AtMost(400.0)),
                (cli::FIRST_BYTES_ROW, Goal::Info),
            ],
        ));
    }

    let app_data = tmp.path().join("app-data");
    let (mut pane, mut boot) = (Vec::new(), Vec::new());
    if sections.any(&["pane", "startup"]) {
        eprintln!("tickets pane");
        let want_pane = sections.any(&["pane"]);
        let pane_run = async {
            let agent = Client::start(client::config(&app_data, false), sam.clone()).await?;
            agent.sync_now().await?;
            if agent.view().ticket_count() < n {
                return Err(eyre!("the agent's client holds fewer than {n} tickets"));
            }
            let figures = if want_pane {
                pane::figures(&agent)
            } else {
                Ok(Vec::new())
            };
            agent.shutdown().await;
            figures
        };
        pane = or_failed(
            pane_run.await,
            &[
                (
                    "one filter keystroke over 100k (filter + frame)",
                    Goal::AtMost(5.0),
                ),
                ("scroll one row in the 100k list (frame)", Goal::AtMost(2.0)),
                (
                    "scroll one page in the 100k list (frame)",
                    Goal::AtMost(2.0),
                ),
            ],
        );
    }
    if sections.any(&["startup"]) {
        eprintln!("start-up of the binary");
        let run = {
            let (root, data, sam) = (tmp.path().to_path_buf(), app_data.clone(), sam.clone());
            tokio::task::spawn_blocking(move || startup::figures(&root, &data, &sam, n))
                .await
                .map_err(|e| eyre!("start-up task: {e}"))
                .and_then(|r| r)
        };
        boot = or_failed(
            run,
            &[
                (
                    "start to first full frame, 100k tickets in the cache",
                    Goal::AtMost(100.0),
                ),
                (
                    "client resident memory with 100k tickets loaded",
                    Goal::AtMost(200.0),
                ),
            ],
        );
    }

    let (mut incremental, mut arrival) = (Vec::new(), Vec::new());
    if sections.any(&["write"]) {
        eprintln!("incremental sync, write A→B");
        incremental = or_failed(
            client::incremental(&filled, &ada, &sam, &url, n)
                .await
                .map(|f| vec![f]),
            &[("  incremental sync of one change", Goal::Info)],
        );
        arrival = or_failed(
            client::write_to_other(tmp.path(), &sam, &lin, n)
                .await
                .map(|f| vec![f]),
            &[(
                "write by client A visible in client B's view (p95)",
                Goal::AtMost(300.0),
            )],
        );
    }

    let mut server_figures = Vec::new();
    if sections.any(&["server"]) {
        eprintln!("server load");
        server_figures = or_failed(
            load::figures(&server.base_url(), server.addr).await,
            &[(
                "server: customer's ticket page (50 rows), company mode",
                Goal::AtLeast(10_000.0),
            )],
        );
    }

    let mut store_figures = Vec::new();
    if sections.any(&["store"]) {
        eprintln!("the stores side by side");
        store_figures = or_failed(
            store::figures(tmp.path(), &server, n).await,
            &[(
                "store: never-kept list page, SQLite ÷ PostgreSQL req/s",
                Goal::AtMost(2.0),
            )],
        );
    }

    let mut boot = boot.into_iter();
    figures.extend(boot.by_ref().take(2));
    figures.extend(pane);
    figures.extend(sync);
    figures.extend(cache);
    figures.extend(arrival);
    figures.extend(incremental);
    figures.extend(boot);
    figures.extend(server_figures);
    figures.extend(store_figures);
    drop(server);

    report::print(n, &figures, &load_before);
    // A partial run does not replace the full table's JSON.
    if sections.0.is_empty() {
        let path = report::write_json(n, &figures, &load_before)?;
        println!("written to {}", path.display());
    }
    let failed: Vec<&str> = figures
        .iter()
        .filter(|f| f.pass() == Some(false))
        .map(|f| f.what.as_str())
        .collect();
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("missed: {}", failed.join("; "));
    Ok(ExitCode::FAILURE)
}
