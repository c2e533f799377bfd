//! Many clients at once against one server on loopback, or several instances of one portal
//! (on one PostgreSQL database), shared by `tests/load_clients.rs` and
//! `benches/load_clients.rs`: each client signs in (a session made in the store), syncs
//! everything, then in rounds replies to a ticket it can see (with an `Idempotency-Key`) and
//! syncs again from its cursor. Clients are spread over the instances in turn. Every
//! request's latency and status is recorded, and at the end every reply is checked to be on
//! its ticket exactly once.

use deskport::server::RunningServer;
use deskport::server::security::new_token;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Accounts the clients sign in as, round robin: staff and customers.
const ACCOUNTS: [&str; 4] = [
    "ada@deskport.test",
    "carla@acme.test",
    "sam@deskport.test",
    "gina@globex.test",
];

/// What a load run measured.
#[derive(Debug)]
pub struct LoadReport {
    /// Requests sent.
    pub requests: usize,
    /// Requests that failed (no answer, or a status of 300 and above), with what went wrong.
    pub errors: Vec<String>,
    /// Replies acknowledged.
    pub writes: usize,
    /// Acknowledged replies not found exactly once afterwards.
    pub lost_or_doubled: Vec<String>,
    /// Wall time of the whole load.
    pub elapsed: Duration,
    /// Median and 95th percentile request latency.
    pub p50: Duration,
    /// 95th percentile request latency.
    pub p95: Duration,
}

impl LoadReport {
    /// Requests per second over the run.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One client's record.
#[derive(Default)]
struct Record {
    latencies: Vec<Duration>,
    errors: Vec<String>,
    /// (ticket id, reply body) of acknowledged replies.
    written: Vec<(i64, String)>,
}

impl Record {
    async fn call(&mut self, req: reqwest::RequestBuilder, what: &str) -> Option<Value> {
        let started = Instant::now();
        let answer = req.send().await;
        let result = match answer {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.map_err(|e| e.to_string()),
            Ok(r) => Err(format!("status {}", r.status())),
            Err(e) => Err(e.to_string()),
        };
        self.latencies.push(started.elapsed());
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(format!("{what}: {e}"));
                None
            }
        }
    }
}

async fn session(server: &RunningServer, email: &str) -> String {
    let creds = server
        .store
        .credentials(email.to_string())
        .await
        .expect("store")
        .expect("account exists");
    let (token, hash) = new_token();
    server
        .store
        .create_session(hash, creds.account)
        .await
        .expect("session");
    token
}

/// Syncs from `cursor` to the end; returns the new cursor and the ticket ids seen.
async fn sync(
    rec: &mut Record,
    http: &reqwest::Client,
    base: &str,
    token: &str,
    mut cursor: String,
) -> Option<(String, Vec<i64>)> {
    let mut tickets = Vec::new();
    loop {
        let url = format!("{base}/sync?limit=1000&cursor={cursor}");
        let page = rec.call(http.get(url).bearer_auth(token), "sync").await?;
        for c in page["changes"].as_array().into_iter().flatten() {
            if c["entity"] == "ticket" && c["op"] == "upsert" {
                tickets.extend(c["id"].as_i64());
            }
        }
        cursor = page["cursor"].as_str()?.to_string();
        if page["has_more"] != true {
            return Some((cursor, tickets));
        }
    }
}

async fn one_client(
    n: usize,
    base: String,
    token: String,
    rounds: usize,
    start: std::sync::Arc<tokio::sync::Barrier>,
) -> Record {
    let mut rec = Record::default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("http client");
    start.wait().await;
    let Some((mut cursor, tickets)) = sync(&mut rec, &http, &base, &token, String::new()).await
    else {
        return rec;
    };
    let Some(&ticket) = tickets.get(n % tickets.len().max(1)) else {
        rec.errors.push(format!("client {n} sees no ticket"));
        return rec;
    };
    for round in 0..rounds {
        let body = format!("load client {n} round {round}");
        let req = http
            .post(format!("{base}/tickets/{ticket}/messages"))
            .bearer_auth(&token)
            .header("idempotency-key", &body)
            .json(&json!({"body": body}));
        if rec.call(req, "reply").await.is_some() {
            rec.written.push((ticket, body));
        }
        match sync(&mut rec, &http, &base, &token, cursor.clone()).await {
            Some((next, _)) => cursor = next,
            None => break,
        }
    }
    rec
}

/// Runs `clients` clients for `rounds` rounds each against `servers` (instances of one
/// portal; client `n` uses instance `n mod len`) and checks the replies.
pub async fn run(servers: &[&RunningServer], clients: usize, rounds: usize) -> LoadReport {
    let first = servers.first().expect("at least one server");
    let mut tokens = Vec::with_capacity(clients);
    for n in 0..clients {
        tokens.push(session(first, ACCOUNTS[n % ACCOUNTS.len()]).await);
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(clients + 1));
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(n, token)| {
            let base = servers[n % servers.len()].base_url();
            tokio::spawn(one_client(n, base, token, rounds, start.clone()))
        })
        .collect();
    start.wait().await;
    let began = Instant::now();
    let mut records = Vec::with_capacity(clients);
    for t in tasks {
        records.push(t.await.expect("a client panicked"));
    }
    let elapsed = began.elapsed();
    let mut latencies: Vec<Duration> = records.iter().flat_map(|r| r.latencies.clone()).collect();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let written: Vec<(i64, String)> = records.iter().flat_map(|r| r.written.clone()).collect();
    LoadReport {
        requests: latencies.len(),
        errors: records.iter().flat_map(|r| r.errors.clone()).collect(),
        writes: written.len(),
        lost_or_doubled: check_written(first, &written).await,
        elapsed,
        p50: pct(0.50),
        p95: pct(0.95),
    }
}

/// Replies that are not on their ticket exactly once (read from the store).
async fn check_written(server: &RunningServer, written: &[(i64, String)]) -> Vec<String> {
    let mut by_ticket: BTreeMap<i64, Vec<&String>> = BTreeMap::new();
    for (t, body) in written {
        by_ticket.entry(*t).or_default().push(body);
    }
    let mut bad = Vec::new();
    for (ticket, bodies) in by_ticket {
        let messages = server.store.messages(ticket).await.expect("messages");
        for body in bodies {
            let count = messages.iter().filter(|m| m.message.body == *body).count();
            if count != 1 {
                bad.push(format!("{body:?} on #{ticket} {count} times"));
            }
        }
    }
    bad
}
