//! Server throughput: a customer in `company` mode pages through their tickets (50 rows a
//! page) over loopback while a load generator in this process keeps N requests in flight.
//! Prints a table and writes `target/bench-server.json`.
//!
//! `cargo bench --bench server_load`; env: `DESKPORT_BENCH_TICKETS` (default 100000),
//! `DESKPORT_BENCH_SECONDS` (default 5), `DESKPORT_BENCH_CONCURRENCY` (default 32).

use deskport::server::{ServerConfig, start};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tickets = env_or("DESKPORT_BENCH_TICKETS", 100_000);
    let seconds = env_or("DESKPORT_BENCH_SECONDS", 5) as u64;
    let concurrency = env_or("DESKPORT_BENCH_CONCURRENCY", 32);
    let dir = tempfile::tempdir()?;
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo: true,
        demo_tickets: tickets,
        smtp: None,
    };
    let seeded = Instant::now();
    let server = server_rt.block_on(start(&config, "127.0.0.1:0".parse()?))?;
    let seed_time = seeded.elapsed();
    let base = server.base_url();

    let load_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (rps, p50, p95, p99, count, errors) = load_rt.block_on(async move {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()?;
        let login = |email: &'static str| {
            let http = http.clone();
            let base = base.clone();
            async move {
                let v: serde_json::Value = http
                    .post(format!("{base}/auth/login"))
                    .json(&serde_json::json!({"email": email, "password": "deskport-demo"}))
                    .send()
                    .await?
                    .json()
                    .await?;
                Ok::<String, reqwest::Error>(v["token"].as_str().unwrap_or_default().to_string())
            }
        };
        let admin = login("ada@deskport.test").await?;
        let portal = http
            .get(format!("{base}/portal"))
            .bearer_auth(&admin)
            .send()
            .await?;
        let etag = portal
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("\"1\"")
            .to_string();
        let switched = http
            .patch(format!("{base}/portal"))
            .bearer_auth(&admin)
            .header("If-Match", etag)
            .json(&serde_json::json!({"ticket_permission": {"mode": "company"}}))
            .send()
            .await?;
        assert!(
            switched.status().is_success(),
            "switching to company mode failed: {}",
            switched.status()
        );
        let customer = Arc::new(login("carla@acme.test").await?);
        let url = Arc::new(format!("{base}/tickets?limit=50"));
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::new();
        let warmup = Instant::now() + Duration::from_millis(500);
        for _ in 0..concurrency {
            let (http, url, token, stop) =
                (http.clone(), url.clone(), customer.clone(), stop.clone());
            workers.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let ok = match http
                        .get(url.as_str())
                        .bearer_auth(token.as_str())
                        .send()
                        .await
                    {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if t >= warmup {
                        if ok {
                            lat.push(t.elapsed())
                        } else {
                            errors += 1
                        }
                    }
                }
                (lat, errors)
            }));
        }
        tokio::time::sleep(Duration::from_millis(500) + Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        let mut errors = 0;
        for w in workers {
            let (lat, e) = w.await?;
            all.extend(lat);
            errors += e;
        }
        all.sort();
        let rps = all.len() as f64 / seconds as f64;
        Ok::<_, Box<dyn std::error::Error>>((
            rps,
            percentile(&all, 0.5),
            percentile(&all, 0.95),
            percentile(&all, 0.99),
            all.len(),
            errors,
        ))
    })?;
    server_rt.block_on(server.stop())?;

    println!(
        "server_load: {tickets} tickets (seeded in {:.2} s), customer in company mode, GET /tickets?limit=50",
        seed_time.as_secs_f64()
    );
    println!("| concurrency | requests | errors | requests/s | p50 | p95 | p99 |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {concurrency} | {count} | {errors} | {rps:.0} | {:.2} ms | {:.2} ms | {:.2} ms |",
        p50.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    let json = serde_json::json!({
        "tickets": tickets, "seconds": seconds, "concurrency": concurrency, "requests": count, "errors": errors,
        "requests_per_second": rps, "p50_ms": p50.as_secs_f64() * 1e3, "p95_ms": p95.as_secs_f64() * 1e3,
        "p99_ms": p99.as_secs_f64() * 1e3, "seed_seconds": seed_time.as_secs_f64(),
    });
    std::fs::create_dir_all("target")?;
    std::fs::write(
        "target/bench-server.json",
        serde_json::to_string_pretty(&json)?,
    )?;
    Ok(())
}
