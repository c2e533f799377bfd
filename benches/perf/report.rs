//! The table the benchmark prints and the JSON it writes: one row per figure of the README, with
//! its target, the measured value, and whether it passes.

use std::time::Duration;

/// Which way a figure must go to pass.
#[derive(Clone, Copy)]
pub enum Goal {
    /// The measured value must be at most the target.
    AtMost(f64),
    /// The measured value must be at least the target.
    AtLeast(f64),
    /// No target: shown for context (a baseline, a ratio's parts).
    Info,
}

/// One measured figure.
pub struct Figure {
    /// What was measured.
    pub what: String,
    /// The value compared with the target (the median unless said otherwise).
    pub value: f64,
    /// Unit of `value` and the target.
    pub unit: &'static str,
    /// The target.
    pub goal: Goal,
    /// Extra detail: p95, runs, how it was measured.
    pub note: String,
}

impl Figure {
    /// Whether the figure meets its target (`None` without a target).
    pub fn pass(&self) -> Option<bool> {
        match self.goal {
            Goal::AtMost(t) => Some(self.value <= t),
            Goal::AtLeast(t) => Some(self.value >= t),
            Goal::Info => None,
        }
    }

    fn target_text(&self) -> String {
        match self.goal {
            Goal::AtMost(t) => format!("≤ {} {}", number(t), self.unit),
            Goal::AtLeast(t) => format!("≥ {} {}", number(t), self.unit),
            Goal::Info => "—".into(),
        }
    }
}

/// Median and p95 of some durations, in milliseconds.
pub struct Spread {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// How many samples.
    pub runs: usize,
}

/// The median and p95 of `samples` in milliseconds.
pub fn spread(samples: &[Duration]) -> Spread {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        ms.get(((ms.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Spread {
        p50: pick(0.5),
        p95: pick(0.95),
        runs: ms.len(),
    }
}

/// A figure from timed samples: the median compared with `goal` (in ms).
pub fn timed(what: &str, samples: &[Duration], goal: Goal) -> Figure {
    let s = spread(samples);
    Figure {
        what: what.into(),
        value: s.p50,
        unit: "ms",
        goal,
        note: format!("p95 {} ms, {} runs", number(s.p95), s.runs),
    }
}

/// Rounds for display: three significant digits, no more than three decimals.
pub fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// The machine's load average as `uptime` reports it.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Prints the table.
pub fn print(tickets: usize, figures: &[Figure], load_before: &str) {
    println!(
        "\ndeskport performance, {tickets} tickets; load average before {load_before}, after {}",
        load_average()
    );
    println!(
        "| {:<58} | {:>14} | {:>16} | {:<4} | detail",
        "what", "target", "measured", "ok"
    );
    println!("|{:-<60}|{:-<16}|{:-<18}|{:-<6}|{:-<8}", "", "", "", "", "");
    for f in figures {
        let ok = match f.pass() {
            Some(true) => "pass",
            Some(false) => "FAIL",
            None => "",
        };
        println!(
            "| {:<58} | {:>14} | {:>16} | {:<4} | {}",
            f.what,
            f.target_text(),
            format!("{} {}", number(f.value), f.unit),
            ok,
            f.note
        );
    }
}

/// Writes the figures as JSON to `target/perf.json` (or `$CARGO_TARGET_DIR/perf.json`);
/// returns the path.
pub fn write_json(
    tickets: usize,
    figures: &[Figure],
    load_before: &str,
) -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("perf.json");
    let rows: Vec<serde_json::Value> = figures
        .iter()
        .map(|f| {
            let (kind, target) = match f.goal {
                Goal::AtMost(t) => ("at_most", Some(t)),
                Goal::AtLeast(t) => ("at_least", Some(t)),
                Goal::Info => ("info", None),
            };
            serde_json::json!({
                "what": f.what,
                "measured": f.value,
                "unit": f.unit,
                "target": target,
                "target_kind": kind,
                "pass": f.pass(),
                "detail": f.note,
            })
        })
        .collect();
    let json = serde_json::json!({
        "tickets": tickets,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "figures": rows,
    });
    let text = serde_json::to_vec_pretty(&json).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}

/// The figures a section would have measured, marked failed with its error, so one broken
/// section still leaves the rest of the table.
pub fn failed(rows: &[(&str, Goal)], error: &color_eyre::Report) -> Vec<Figure> {
    eprintln!("section failed: {error:#}");
    rows.iter()
        .map(|&(what, goal)| Figure {
            what: what.into(),
            value: f64::NAN,
            unit: "",
            goal,
            note: format!("error: {error:#}"),
        })
        .collect()
}

/// The section's figures, or the failed ones.
pub fn or_failed(result: color_eyre::Result<Vec<Figure>>, rows: &[(&str, Goal)]) -> Vec<Figure> {
    result.unwrap_or_else(|e| failed(rows, &e))
}
