//! The PostgreSQL store's own promises, on the test PostgreSQL: migrations run once however
//! many servers start together and refuse a newer schema; the change log is seen in sequence
//! order while servers write concurrently; an idempotency key is claimed by one request on
//! any server; every server shares one code key; a dropped request's writes roll back; a bad
//! database is a clear error that never shows the password.

mod common;

use common::postgres;
use deskport::domain::Role;
use deskport::domain::ticket::AuthorKind;
use deskport::server::demo::demo_batch;
use deskport::server::store::postgres::PostgresStore;
use deskport::server::store::{Store, one_transaction, settle};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

async fn open(url: &str) -> Arc<PostgresStore> {
    Arc::new(PostgresStore::open(url).await.expect("store opens"))
}

#[tokio::test]
async fn servers_starting_together_migrate_once() {
    if !postgres::available() {
        return;
    }
    let url = postgres::fresh_database();
    let (a, b) = tokio::join!(PostgresStore::open(&url), PostgresStore::open(&url));
    a.expect("first opens");
    b.expect("second opens");
    let rows = postgres::query(
        &url,
        &["SELECT count(*) = count(DISTINCT version) FROM schema_migrations"],
    );
    assert_eq!(rows.trim(), "t", "each version applied once");
}

#[tokio::test]
async fn a_database_from_a_newer_deskport_is_refused_naming_both_versions() {
    if !postgres::available() {
        return;
    }
    let url = postgres::fresh_database();
    drop(open(&url).await);
    postgres::query(
        &url,
        &["INSERT INTO schema_migrations (version) VALUES (99)"],
    );
    let refused = PostgresStore::open(&url).await.err().expect("refused");
    let said = refused.to_string();
    assert!(
        said.contains("schema version 99") && said.contains("knows (9)"),
        "{said}"
    );
}

#[tokio::test]
async fn a_bad_or_unreachable_database_names_host_and_port_and_never_the_password() {
    let unreachable = PostgresStore::open("postgres://desk:sekrit@127.0.0.1:1/portal")
        .await
        .err()
        .expect("nothing listens on port 1");
    let said = unreachable.to_string();
    assert!(said.contains("127.0.0.1:1"), "{said}");
    assert!(!said.contains("sekrit") && !said.contains('\n'), "{said}");
    let bad = PostgresStore::open("postgres://desk:sekrit@127.0.0.1:notaport/portal")
        .await
        .err()
        .expect("not a URL");
    let said = bad.to_string();
    assert!(said.contains("not a PostgreSQL URL"), "{said}");
    assert!(!said.contains("sekrit"), "{said}");
}

/// Two servers on one database with the demo portal in it.
async fn two_servers() -> (Arc<PostgresStore>, Arc<PostgresStore>) {
    let url = postgres::fresh_database();
    let a = open(&url).await;
    a.import(demo_batch(20, "not-a-real-hash"))
        .await
        .expect("demo imported");
    (a, open(&url).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_change_log_is_seen_in_sequence_order_while_servers_write_together() {
    if !postgres::available() {
        return;
    }
    let (a, b) = two_servers().await;
    let start = a.current_seq().await.expect("seq");
    let mut writers = Vec::new();
    for w in 0..8i64 {
        let store = if w % 2 == 0 { a.clone() } else { b.clone() };
        writers.push(tokio::spawn(async move {
            for n in 0..25i64 {
                store
                    .add_message(1 + (w * 25 + n) % 20, AuthorKind::User, 1, "x".into(), true)
                    .await
                    .expect("message added");
            }
        }));
    }
    // A client syncing all the while: each pull continues after the highest seq it saw,
    // and one last pull follows the end of the writes.
    let reader = b.clone();
    let done = Arc::new(AtomicBool::new(false));
    let syncing = tokio::spawn({
        let done = done.clone();
        async move {
            let mut cursor = start;
            let mut seen = BTreeSet::new();
            loop {
                let last = done.load(Ordering::SeqCst);
                for row in reader.changes(cursor, 1000).await.expect("changes") {
                    seen.insert(row.seq);
                    cursor = row.seq;
                }
                if last {
                    return seen;
                }
                tokio::task::yield_now().await;
            }
        }
    });
    for w in writers {
        w.await.expect("writer");
    }
    done.store(true, Ordering::SeqCst);
    let seen = syncing.await.expect("reader");
    let all: BTreeSet<i64> = a
        .changes(start, 10_000)
        .await
        .expect("changes")
        .into_iter()
        .map(|r| r.seq)
        .collect();
    assert_eq!(all.len(), 200, "every write logged once");
    assert_eq!(seen, all, "the syncing cursor passed no change");
}

#[tokio::test]
async fn an_idempotency_key_is_claimed_by_one_request_on_any_server() {
    if !postgres::available() {
        return;
    }
    let (a, b) = two_servers().await;
    let (held, release) = tokio::sync::oneshot::channel::<()>();
    let (claimed, claimed_rx) = tokio::sync::oneshot::channel::<bool>();
    let first = tokio::spawn({
        let a = a.clone();
        one_transaction(async move {
            let got = a
                .claim_idempotency_key("user:1:k".into())
                .await
                .expect("claim");
            let _ = claimed.send(got);
            let _ = release.await;
            settle().await.expect("settles");
        })
    });
    assert!(
        claimed_rx.await.expect("first claimed"),
        "the first claim wins"
    );
    let second = one_transaction(async {
        let got = b.claim_idempotency_key("user:1:k".into()).await;
        settle().await.expect("settles");
        got
    })
    .await;
    assert!(!second.expect("claim"), "the other server sees it held");
    let other_key = one_transaction(async {
        let got = b.claim_idempotency_key("user:1:other".into()).await;
        settle().await.expect("settles");
        got
    })
    .await;
    assert!(other_key.expect("claim"), "another key is free");
    held.send(()).expect("first still waiting");
    first.await.expect("first request");
    let after = one_transaction(async {
        let got = b.claim_idempotency_key("user:1:k".into()).await;
        settle().await.expect("settles");
        got
    })
    .await;
    assert!(after.expect("claim"), "free again once the first settled");
}

#[tokio::test]
async fn every_server_on_a_database_hashes_codes_with_one_key() {
    if !postgres::available() {
        return;
    }
    let url = postgres::fresh_database();
    let (a, b) = tokio::join!(open(&url), open(&url));
    let (ka, kb) = tokio::join!(a.code_key(), b.code_key());
    let (ka, kb) = (ka.expect("key"), kb.expect("key"));
    assert_eq!(ka.hash("123456"), kb.hash("123456"));
    let again = open(&url).await.code_key().await.expect("key");
    assert_eq!(
        ka.hash("654321"),
        again.hash("654321"),
        "kept across restarts"
    );
}

#[tokio::test]
async fn a_request_dropped_before_it_settles_leaves_nothing_behind() {
    if !postgres::available() {
        return;
    }
    let (a, b) = two_servers().await;
    let before = a.current_seq().await.expect("seq");
    let (written, written_rx) = tokio::sync::oneshot::channel::<()>();
    let request = tokio::spawn({
        let a = a.clone();
        one_transaction(async move {
            a.add_user(
                "dropped@deskport.test".into(),
                "Dropped".into(),
                Role::Agent,
                "hash".into(),
            )
            .await
            .expect("written in the request's transaction");
            let _ = written.send(());
            std::future::pending::<()>().await;
        })
    });
    written_rx.await.expect("the request wrote");
    request.abort();
    let _ = request.await;
    let users = b.users().await.expect("users");
    assert!(users.iter().all(|u| u.email != "dropped@deskport.test"));
    // The write lock went with the rolled-back transaction: the other server can write.
    b.add_user(
        "kept@deskport.test".into(),
        "Kept".into(),
        Role::Agent,
        "hash".into(),
    )
    .await
    .expect("another write goes through");
    assert!(b.current_seq().await.expect("seq") > before);
}
