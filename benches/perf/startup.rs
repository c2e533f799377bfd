//! Start-up and memory of the real binary: `deskport --server URL` (built by cargo for this
//! bench, release profile) in a pseudo-terminal with a remembered session and a cache already
//! holding every ticket. Timed from spawning the process to the first screen that shows the
//! ticket list (the title counting every ticket, and rows of tickets), parsed with vt100 as
//! bytes arrive. Then the process's resident memory is read from `/proc/<pid>/status` once
//! its sync settled, and the app is quit with `q`, as a user would, so it leaves its first
//! screen (the glance) for the next start.
//!
//! The first start finds a cache synced by another client and no glance, so it loads every
//! ticket before drawing (reported on its own); the timed starts after it draw the glance.

use crate::report::{Figure, Goal, spread};
use color_eyre::eyre::{Result, WrapErr, eyre};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const SIZE: (u16, u16) = (120, 40);

/// Whether the screen shows the ticket list drawn from the cache: the pane's title counts
/// every ticket, and at least ten lines show a ticket number.
fn list_drawn(screen: &str, tickets: usize) -> bool {
    let numbered = screen
        .lines()
        .filter(|line| {
            line.match_indices('#')
                .any(|(at, _)| line[at + 1..].starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    screen.contains(&format!("of {tickets}")) && numbered >= 10
}

/// What one start measured.
struct Run {
    first_frame: Duration,
    rss_kb: u64,
    hwm_kb: u64,
}

/// `field` (e.g. `VmRSS`) in kB from `/proc/<pid>/status`.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn start_once(data: &Path, config: &Path, url: &str, tickets: usize) -> Result<Run> {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: SIZE.1,
            cols: SIZE.0,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| eyre!("openpty: {e}"))?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_deskport"));
    cmd.args(["--server", url]);
    cmd.env("DESKPORT_DATA_DIR", data);
    cmd.env("DESKPORT_CONFIG_DIR", config);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    let t = Instant::now();
    let mut child = pty
        .slave
        .spawn_command(cmd)
        .map_err(|e| eyre!("spawn deskport: {e}"))?;
    drop(pty.slave);
    let mut reader = pty
        .master
        .try_clone_reader()
        .map_err(|e| eyre!("pty reader: {e}"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(SIZE.1, SIZE.0, 0);
        let mut buf = [0u8; 65536];
        let mut sent = false;
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.process(&buf[..n]);
            if !sent && list_drawn(&parser.screen().contents(), tickets) {
                sent = tx.send(t.elapsed()).is_ok();
            }
        }
        if !sent {
            let _ = tx.send(Duration::MAX);
        }
    });
    let mut writer = pty
        .master
        .take_writer()
        .map_err(|e| eyre!("pty writer: {e}"))?;
    let first = rx.recv_timeout(Duration::from_secs(60));
    let pid = child.process_id();
    // Let the sync with the server settle before reading memory.
    std::thread::sleep(Duration::from_millis(1500));
    let (rss, hwm) = pid
        .map(|p| (status_kb(p, "VmRSS"), status_kb(p, "VmHWM")))
        .unwrap_or((None, None));
    writer.write_all(b"q").wrap_err("type q")?;
    writer.flush().wrap_err("type q")?;
    let quit_by = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < quit_by {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let first = match first {
        Ok(d) if d != Duration::MAX => d,
        _ => return Err(eyre!("deskport never showed the ticket list")),
    };
    Ok(Run {
        first_frame: first,
        rss_kb: rss.ok_or_else(|| eyre!("no VmRSS"))?,
        hwm_kb: hwm.ok_or_else(|| eyre!("no VmHWM"))?,
    })
}

/// Start-up and memory figures: `session` is remembered in a fresh config dir and its cache
/// is the one under `data` (already synced from `url`).
pub fn figures(
    root: &Path,
    data: &Path,
    session: &deskport::client::Session,
    tickets: usize,
) -> Result<Vec<Figure>> {
    let config = root.join("app-config");
    session.save(&config).wrap_err("remember the session")?;
    let cold = start_once(data, &config, &session.server_url, tickets)?;
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        runs.push(start_once(data, &config, &session.server_url, tickets)?);
    }
    let frames: Vec<Duration> = runs.iter().map(|r| r.first_frame).collect();
    let s = spread(&frames);
    let mut rss: Vec<u64> = runs.iter().map(|r| r.rss_kb).collect();
    rss.sort_unstable();
    let hwm = runs.iter().map(|r| r.hwm_kb).max().unwrap_or(0);
    let median_rss = rss.get(rss.len() / 2).copied().unwrap_or(0);
    Ok(vec![
        Figure {
            what: "start to first full frame, 100k tickets in the cache".into(),
            value: s.p50,
            unit: "ms",
            goal: Goal::AtMost(100.0),
            note: format!(
                "real release binary in a pty, drawing the first screen it left; p95 {:.0} ms, {} runs",
                s.p95, s.runs
            ),
        },
        Figure {
            what: "  … without a first screen left (loads every ticket first)".into(),
            value: cold.first_frame.as_secs_f64() * 1000.0,
            unit: "ms",
            goal: Goal::Info,
            note: "the first start, on a cache another client synced; one run".into(),
        },
        Figure {
            what: "client resident memory with 100k tickets loaded".into(),
            value: median_rss as f64 / 1024.0,
            unit: "MB",
            goal: Goal::AtMost(200.0),
            note: format!(
                "VmRSS 1.5 s after start, median of {}; peak VmHWM {:.0} MB",
                rss.len(),
                hwm as f64 / 1024.0
            ),
        },
    ])
}
