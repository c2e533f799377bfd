//! The idempotency record commits with the write it answers (a request that never settles
//! leaves neither), old sessions and answers are swept, and an event stream ends when its
//! session signs out.

mod common;

use common::{ADA, demo_server};
use deskport::domain::ticket::AuthorKind;
use deskport::server::store::sweep::sweep_once;
use deskport::server::store::{Reader, StoredResponse, one_transaction, settle};
use futures::StreamExt;
use std::time::Duration;

fn answer(hash: &str) -> StoredResponse {
    StoredResponse {
        request_hash: hash.into(),
        status: 201,
        etag: None,
        body: b"{}".to_vec(),
    }
}

both_stores! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_and_its_stored_answer_commit_together() {
        let ts = demo_server(3).await;
        let store = ts.server.store.clone();
        let ticket = store
            .tickets_in(vec![1], Reader::Staff)
            .await
            .expect("tickets")[0]
            .ticket
            .id;
        let before = store.messages(ticket).await.expect("messages").len();

        // A request that wrote and stored its answer but never settled (the process died, or
        // the request was dropped): neither the write nor the answer may remain.
        let s = store.clone();
        let unsettled = tokio::spawn(one_transaction(async move {
            s.add_message(ticket, AuthorKind::User, 1, "lost".into(), false)
                .await
                .expect("write");
            s.put_idempotent("user:1".into(), "k-lost".into(), answer("h"))
                .await
                .expect("answer");
            // Inside the request its own write is visible.
            assert_eq!(
                s.messages(ticket).await.expect("messages").len(),
                before + 1
            );
            std::future::pending::<()>().await;
        }));
        tokio::time::sleep(Duration::from_millis(200)).await;
        unsettled.abort();
        let _ = unsettled.await;
        assert_eq!(
            store.messages(ticket).await.expect("messages").len(),
            before
        );
        let lost = store
            .idempotent("user:1".into(), "k-lost".into())
            .await
            .expect("lookup");
        assert_eq!(lost, None);

        // Settled: both are there.
        let s = store.clone();
        one_transaction(async move {
            s.add_message(ticket, AuthorKind::User, 1, "kept".into(), false)
                .await
                .expect("write");
            s.put_idempotent("user:1".into(), "k-kept".into(), answer("h"))
                .await
                .expect("answer");
            settle().await.expect("commit");
        })
        .await;
        assert_eq!(
            store.messages(ticket).await.expect("messages").len(),
            before + 1
        );
        let kept = store
            .idempotent("user:1".into(), "k-kept".into())
            .await
            .expect("lookup");
        assert_eq!(kept, Some(answer("h")));

        // Other writers were not blocked for good by the abandoned request.
        store
            .add_message(ticket, AuthorKind::User, 1, "after".into(), false)
            .await
            .expect("a later write");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_removes_idle_sessions_and_old_answers_only() {
    let ts = demo_server(1).await;
    let old = ts.session_for(ADA).await;
    let fresh = ts.session_for(ADA).await;
    let store = ts.server.store.clone();
    store
        .put_idempotent("user:1".into(), "old".into(), answer("h"))
        .await
        .expect("answer");
    store
        .put_idempotent("user:1".into(), "new".into(), answer("h"))
        .await
        .expect("answer");
    let db = rusqlite::Connection::open(deskport::server::database_path(&ts.data_dir()))
        .expect("db opens");
    db.execute(
        "UPDATE sessions SET last_seen = last_seen - 400 * 86400 WHERE token_hash = ?1",
        [deskport::server::security::digest(&old)],
    )
    .expect("age the session");
    db.execute(
        "UPDATE idempotency SET created_at = created_at - 400 * 86400 WHERE key = 'old'",
        [],
    )
    .expect("age the answer");
    let (sessions, answers) = sweep_once(store.as_ref()).await.expect("sweep");
    assert_eq!((sessions, answers), (1, 1));
    assert_eq!(ts.get("/me", &old).await.status, 401);
    assert_eq!(ts.get("/me", &fresh).await.status, 200);
    let lookup = |k: &str| store.idempotent("user:1".into(), k.into());
    assert_eq!(lookup("old").await.expect("lookup"), None);
    assert!(lookup("new").await.expect("lookup").is_some());
}

both_stores! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_event_stream_ends_when_its_session_signs_out() {
        let ts = demo_server(1).await;
        let token = ts.session_for(ADA).await;
        let other = ts.session_for(ADA).await;
        let open = |t: String| {
            let (http, url) = (ts.http.clone(), format!("{}/events", ts.base()));
            async move {
                let resp = http.get(url).bearer_auth(t).send().await.expect("events");
                assert_eq!(resp.status(), 200);
                let mut body = resp.bytes_stream();
                let first = body.next().await.expect("a first poke").expect("bytes");
                assert!(String::from_utf8_lossy(&first).contains("changed"));
                body
            }
        };
        let mut mine = open(token.clone()).await;
        let mut theirs = open(other).await;
        assert_eq!(
            ts.post("/auth/logout", &token, serde_json::json!({}))
                .await
                .status,
            204
        );
        let ended = tokio::time::timeout(Duration::from_secs(10), async {
            while let Some(chunk) = mine.next().await {
                if chunk.is_err() {
                    break;
                }
            }
        })
        .await;
        assert!(
            ended.is_ok(),
            "the stream of the signed-out session stayed open"
        );
        // Another session's stream stays open: within a moment it gives a poke or nothing.
        if let Ok(item) = tokio::time::timeout(Duration::from_millis(300), theirs.next()).await {
            assert!(
                matches!(item, Some(Ok(_))),
                "another session's stream ended"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_starting_server_sweeps_idle_sessions() {
    let ts = demo_server(1).await;
    let old = ts.session_for(ADA).await;
    let data = ts.data_dir();
    let db = rusqlite::Connection::open(deskport::server::database_path(&data)).expect("db");
    let hash = deskport::server::security::digest(&old);
    db.execute(
        "UPDATE sessions SET last_seen = last_seen - 400 * 86400 WHERE token_hash = ?1",
        [&hash],
    )
    .expect("age the session");
    let common::TestServer { server, dir, .. } = ts;
    server.stop().await.expect("stops");
    let config = deskport::server::ServerConfig {
        data_dir: data,
        demo: false,
        demo_tickets: 0,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let again = deskport::server::start(&config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("restarts");
    let gone = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let left: i64 = db
                .query_row(
                    "SELECT COUNT(*) FROM sessions WHERE token_hash = ?1",
                    [&hash],
                    |r| r.get(0),
                )
                .expect("count");
            if left == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(gone.is_ok(), "the idle session was not swept at start-up");
    again.stop().await.expect("stops");
    drop(dir);
}
