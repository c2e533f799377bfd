//! Two real `deskport serve` instances on one PostgreSQL database, one killed with SIGKILL
//! under six concurrent writers, four rounds (each instance killed twice). A writer whose
//! request goes unanswered sends it again, with the same Idempotency-Key, through the other
//! instance. After each round the database's indexes pass `amcheck`, every acknowledged
//! write is stored exactly once and none twice; the killed instance restarts and replays of
//! every write of the round, with their keys, change nothing.

use crate::common::load::{self, Write, nth_write, send};
use crate::common::postgres;
use crate::common::process::Served;
use rand::Rng;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROUNDS: usize = 4;
const WRITERS: usize = 6;
/// Every mark (reply body or ticket subject) of this test starts so.
const MARK: &str = "killed-instance load";

async fn instance(home: &Path, database: &str, demo: bool) -> Served {
    let data = home.join("data");
    let data = data.to_str().expect("a UTF-8 temp path");
    let mut args = vec!["--database", database, "--data-dir", data];
    if demo {
        args.extend(["--demo", "--demo-tickets", "10"]);
    }
    Served::start(home, &args).await
}

/// Sends `w` to `bases[*on]` until it is answered, switching `on` to the other instance after
/// a request that got no answer or found the key still held by the killed one (409); the
/// final status and how many times it was sent again.
async fn until_answered(
    http: &reqwest::Client,
    bases: &[String; 2],
    on: &mut usize,
    token: &str,
    w: &Write,
) -> (u16, usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut again = 0;
    loop {
        match send(http, &bases[*on], token, w).await {
            Some(status) if status != 409 && status < 500 => return (status, again),
            _ => *on = 1 - *on,
        }
        again += 1;
        assert!(Instant::now() < deadline, "{w:?} was never answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Each mark of this test in the database (ticket subjects and message bodies) and how often
/// it occurs.
fn stored_marks(database: &str) -> std::collections::BTreeMap<String, usize> {
    let sql = format!(
        "SELECT subject FROM tickets WHERE subject LIKE '{MARK}%' \
         UNION ALL SELECT body FROM messages WHERE body LIKE '{MARK}%'"
    );
    let mut seen = std::collections::BTreeMap::new();
    for line in postgres::query(database, &[&sql]).lines() {
        *seen.entry(line.to_string()).or_insert(0) += 1;
    }
    seen
}

/// PostgreSQL's own check of every B-tree index of the portal's tables against the rows
/// (fails the test through `psql` if one is corrupt).
fn check_indexes(database: &str) {
    postgres::query(
        database,
        &[
            "CREATE EXTENSION IF NOT EXISTS amcheck",
            "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE am.amname = 'btree' AND n.nspname = 'public'",
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_instance_killed_under_load_loses_no_acknowledged_write() {
    if !postgres::available() {
        return;
    }
    let database = postgres::fresh_database();
    let home = tempfile::tempdir().expect("home");
    let homes = [home.path().join("a"), home.path().join("b")];
    let mut servers = [
        instance(&homes[0], &database, true).await,
        instance(&homes[1], &database, false).await,
    ];
    let http = load::http();
    let token = load::admin_token(&http, &servers[0].base).await;
    let (tickets, contact) = load::targets(&http, &servers[1].base, &token).await;
    let mut acked: Vec<Write> = Vec::new();
    let mut all: Vec<Write> = Vec::new();
    let retries = Arc::new(AtomicUsize::new(0));
    for round in 0..ROUNDS {
        let bases = [servers[0].base.clone(), servers[1].base.clone()];
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(Mutex::new(Vec::<Write>::new()));
        let done = Arc::new(Mutex::new(Vec::<Write>::new()));
        let mut load = Vec::new();
        for writer in 0..WRITERS {
            let (http, bases, token) = (http.clone(), bases.clone(), token.clone());
            let (stop, sent, done) = (stop.clone(), sent.clone(), done.clone());
            let retries = retries.clone();
            let (tickets, contact) = (tickets.clone(), contact.clone());
            load.push(tokio::spawn(async move {
                let mut on = writer % 2;
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let mark = format!("{MARK} r{round} w{writer} n{n}");
                    let w = nth_write(mark, writer, n, &tickets, &contact);
                    sent.lock().expect("lock").push(w.clone());
                    let (status, again) = until_answered(&http, &bases, &mut on, &token, &w).await;
                    assert!(status < 300, "{w:?} answered {status}");
                    retries.fetch_add(again, Ordering::SeqCst);
                    done.lock().expect("lock").push(w);
                }
            }));
        }
        let victim = round % 2;
        let delay = rand::thread_rng().gen_range(150..900);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        servers[victim].kill_9();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::SeqCst);
        for task in load {
            task.await.expect("a writer panicked");
        }
        check_indexes(&database);
        let sent = sent.lock().expect("lock").clone();
        acked.extend(done.lock().expect("lock").iter().cloned());
        let seen = stored_marks(&database);
        for w in &acked {
            assert_eq!(
                seen.get(&w.mark),
                Some(&1),
                "acknowledged {w:?}, round {round}"
            );
        }
        assert!(
            seen.values().all(|n| *n == 1),
            "a write stored twice in round {round}"
        );
        servers[victim] = instance(&homes[victim], &database, false).await;
        for w in &sent {
            let status = send(&http, &servers[victim].base, &token, w).await;
            assert!(
                status.is_some_and(|s| s < 300),
                "replay of {w:?}: {status:?}"
            );
        }
        all.extend(sent);
    }
    let seen = stored_marks(&database);
    for w in &all {
        assert_eq!(seen.get(&w.mark), Some(&1), "{w:?} after its replay");
    }
    assert!(
        acked.len() > ROUNDS * WRITERS,
        "the load wrote too little: {}",
        acked.len()
    );
    // Writers that were on the killed instance always send at least once more.
    let retries = retries.load(Ordering::SeqCst);
    assert!(retries >= ROUNDS, "only {retries} retries");
    eprintln!(
        "{} writes acknowledged over {ROUNDS} kills, {retries} sent again through the other instance",
        acked.len(),
    );
}
