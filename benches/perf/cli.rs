//! The command line against the cache the initial sync filled: `deskport tickets --json
//! --offline` as a real process, its standard output read through a pipe, timed to its
//! first bytes (the list is written as it is serialised) and to its exit.

use crate::report::{Figure, Goal, timed};
use color_eyre::eyre::{Result, ensure, eyre};
use deskport::client::Session;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the JSON row is called in the table and `target/perf.json`.
pub const JSON_ROW: &str = "`deskport tickets --json --offline`, 100k tickets (real binary)";
/// The first bytes of the same runs.
pub const FIRST_BYTES_ROW: &str = "  its first bytes on the pipe";

/// One run: the time to the first bytes, to the exit, and how many bytes came.
fn once(data: &Path, config: &Path) -> Result<(Duration, Duration, usize)> {
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(["tickets", "--json", "--offline"])
        .env("DESKPORT_DATA_DIR", data)
        .env("DESKPORT_CONFIG_DIR", config)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut out = child.stdout.take().ok_or_else(|| eyre!("no stdout"))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut total = out.read(&mut buf)?;
    let first = t.elapsed();
    loop {
        let n = out.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n;
    }
    let status = child.wait()?;
    let done = t.elapsed();
    ensure!(status.success(), "deskport tickets --json failed: {status}");
    Ok((first, done, total))
}

/// `deskport tickets --json --offline` for `session` on the cache in `data` (5 runs).
pub fn tickets_json(data: &Path, session: &Session) -> Result<Vec<Figure>> {
    let config = tempfile::tempdir()?;
    session.save(config.path())?;
    let (mut firsts, mut totals) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (first, done, bytes) = once(data, config.path())?;
        ensure!(bytes > 1_000_000, "only {bytes} bytes of JSON");
        firsts.push(first);
        totals.push(done);
    }
    Ok(vec![
        timed(JSON_ROW, &totals, Goal::AtMost(400.0)),
        timed(FIRST_BYTES_ROW, &firsts, Goal::Info),
    ])
}
