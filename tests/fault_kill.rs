//! The real `deskport serve` killed with SIGKILL in the middle of a write load, several times:
//! after each restart every acknowledged write is there once, the database passes
//! `PRAGMA integrity_check`, and replaying the unacknowledged requests with their keys applies
//! each exactly once.

mod common;

use common::load::{self, Write, get, nth_write, send};
use common::process::Served;
use rand::Rng;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: usize = 4;
const WRITERS: usize = 6;

async fn serve(home: &Path, data_dir: &Path, demo: bool) -> Served {
    let data_dir = data_dir.to_str().expect("a UTF-8 temp path");
    let mut args = vec!["--data-dir", data_dir];
    if demo {
        args.extend(["--demo", "--demo-tickets", "10"]);
    }
    Served::start(home, &args).await
}

/// How many times each mark occurs in the tickets' subjects and messages.
async fn marks_seen(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    tickets: &[i64],
) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let page = get(
            http,
            base,
            token,
            &format!("/tickets?limit=500&cursor={cursor}"),
        )
        .await;
        for t in page["items"].as_array().expect("items") {
            let subject = t["subject"].as_str().unwrap_or_default().to_string();
            *seen.entry(subject).or_insert(0) += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    for id in tickets {
        let detail = get(http, base, token, &format!("/tickets/{id}")).await;
        for m in detail["messages"].as_array().expect("messages") {
            let body = m["body"].as_str().unwrap_or_default().to_string();
            *seen.entry(body).or_insert(0) += 1;
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_kill_9_and_replays_apply_once() {
    let home = tempfile::tempdir().expect("home");
    let data = home.path().join("data");
    let http = load::http();
    let mut server = serve(home.path(), &data, true).await;
    let token = load::admin_token(&http, &server.base).await;
    let (tickets, contact) = load::targets(&http, &server.base, &token).await;
    let mut all: Vec<Write> = Vec::new();
    let mut acked: Vec<Write> = Vec::new();
    for round in 0..ROUNDS {
        let sent = Arc::new(Mutex::new(Vec::<Write>::new()));
        let done = Arc::new(Mutex::new(Vec::<Write>::new()));
        let mut load = Vec::new();
        for writer in 0..WRITERS {
            let (http, base, token) = (http.clone(), server.base.clone(), token.clone());
            let (sent, done, tickets) = (sent.clone(), done.clone(), tickets.clone());
            let contact = contact.clone();
            load.push(tokio::spawn(async move {
                for n in 0.. {
                    let mark = format!("fault r{round} w{writer} n{n}");
                    let w = nth_write(mark, writer, n, &tickets, &contact);
                    sent.lock().expect("lock").push(w.clone());
                    match send(&http, &base, &token, &w).await {
                        Some(status) => {
                            assert!(status < 300, "{} answered {status}", w.path);
                            done.lock().expect("lock").push(w);
                        }
                        None => return,
                    }
                }
            }));
        }
        let delay = rand::thread_rng().gen_range(150..900);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.kill_9();
        for task in load {
            task.await.expect("a writer panicked");
        }
        let db = rusqlite::Connection::open(data.join("deskport.db")).expect("the database opens");
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity check runs");
        assert_eq!(check, "ok", "round {round}");
        drop(db);
        server = serve(home.path(), &data, false).await;
        let sent = sent.lock().expect("lock").clone();
        acked.extend(done.lock().expect("lock").iter().cloned());
        let seen = marks_seen(&http, &server.base, &token, &tickets).await;
        for w in &acked {
            assert_eq!(
                seen.get(&w.mark),
                Some(&1),
                "acknowledged {w:?} after round {round}"
            );
        }
        for w in &sent {
            assert!(
                seen.get(&w.mark).copied().unwrap_or(0) <= 1,
                "{w:?} applied twice"
            );
        }
        // Replays of everything sent this round (acknowledged or not) with the same keys.
        for w in &sent {
            let status = send(&http, &server.base, &token, w)
                .await
                .expect("answered");
            assert!(status < 300, "replay of {w:?} answered {status}");
        }
        all.extend(sent);
    }
    let seen = marks_seen(&http, &server.base, &token, &tickets).await;
    for w in &all {
        assert_eq!(seen.get(&w.mark), Some(&1), "{w:?} after its replay");
    }
    assert!(
        acked.len() > ROUNDS,
        "the load wrote too little: {}",
        acked.len()
    );
}
