//! Tickets pane benchmark: a server in-process with N demo tickets (default 100 000; set
//! `DESKPORT_BENCH_TICKETS`), an agent's client synced to it, and the pane drawn into a
//! 120×40 `TestBackend`. Measures one frame of the list, and one filter keystroke (filtering
//! the 100 000 tickets, then a frame). Targets: 16 ms each (aim: 5 ms). Prints medians and p95.
//!
//! Run with `cargo bench --bench tickets_pane`.

use color_eyre::eyre::{Result, WrapErr, eyre};
use deskport::client::{Client, ClientConfig};
use deskport::server::{ServerConfig, start};
use deskport::tui::components::tickets::Tickets;
use deskport::tui::components::{Component, DrawCtx};
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

const RUNS: usize = 200;
const TARGET: Duration = Duration::from_millis(16);

fn report(name: &str, mut samples: Vec<Duration>) -> bool {
    samples.sort();
    let pick = |q: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let (p50, p95) = (pick(0.5), pick(0.95));
    let ok = p50 <= TARGET;
    println!(
        "{name:<36} runs {:>4}  p50 {:>9.3?}  p95 {:>9.3?}  target {TARGET:?}  {}",
        samples.len(),
        p50,
        p95,
        if ok { "ok" } else { "SLOW" }
    );
    ok
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
    let session = deskport::client::login(&url, "sam@deskport.test", "deskport-demo")
        .await
        .wrap_err("login")?;
    let mut config = ClientConfig::new(tmp.path().join("client"));
    config.background = false;
    let client = Client::start(config, session).await?;
    client.sync_now().await?;
    let count = client.view().ticket_count();
    if count < n {
        return Err(eyre!("synced {count} tickets, expected {n}"));
    }
    eprintln!("{count} tickets synced in {:.1?}", t.elapsed());

    let theme = Theme::shipped(ThemeChoice::Default, false)?;
    let keymap = Keymap::defaults()?;
    let ctx = DrawCtx {
        theme: &theme,
        keymap: &keymap,
        focused: true,
    };
    let mut pane = Tickets::new(client.clone());
    pane.set_filter("");
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let t = Instant::now();
    terminal.draw(|f| pane.draw(f, f.area(), ctx))?;
    eprintln!(
        "first frame (sorting {count} tickets) in {:.1?}",
        t.elapsed()
    );

    let mut frames = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        terminal.draw(|f| pane.draw(f, f.area(), ctx))?;
        frames.push(t.elapsed());
    }
    let mut keystrokes = Vec::with_capacity(RUNS);
    let typed = ["p", "pr", "pri", "prin", "print", "printe", "printer"];
    for i in 0..RUNS {
        let text = typed[i % typed.len()];
        let t = Instant::now();
        pane.set_filter(text);
        terminal.draw(|f| pane.draw(f, f.area(), ctx))?;
        keystrokes.push(t.elapsed());
    }
    eprintln!("\"printer\" matches {} tickets", pane.shown_len());
    let ok = report("frame of the list (120×40)", frames)
        & report("filter keystroke + frame", keystrokes);
    client.shutdown().await;
    drop(server);
    if ok {
        Ok(())
    } else {
        Err(eyre!("over the 16 ms target"))
    }
}
