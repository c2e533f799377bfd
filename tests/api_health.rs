//! `GET /healthz` says whether the instance's database answers, so a load balancer takes an
//! instance out when it does not: 200 while it answers, 503 `database_unavailable` with the
//! reason while PostgreSQL is stopped (or the SQLite file is gone, SQLite's equivalent), and
//! 200 again once it is back. Each store's test breaks the database of its own server, so
//! this file holds nothing else: the PostgreSQL test stops this process's cluster.

mod common;

use common::*;

/// `/healthz` answers 200 `ok`.
async fn assert_healthy(ts: &TestServer, when: &str) {
    let answer = ts.call("GET", "/healthz", None, None, &[]).await;
    assert_eq!(answer.status, 200, "{when}: {}", answer.text);
    assert_eq!(answer.body["status"], "ok", "{when}");
}

/// `/healthz` answers 503 `database_unavailable`; its message.
async fn assert_unavailable(ts: &TestServer, when: &str) -> String {
    let answer = ts.call("GET", "/healthz", None, None, &[]).await;
    assert_eq!(assert_error(&answer, 503), "database_unavailable", "{when}");
    answer.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn healthz_is_503_while_postgresql_is_stopped() {
    if !postgres::available() {
        return;
    }
    let Some(cluster) = postgres::cluster() else {
        eprintln!(
            "\n!!!!!!!!!! SKIPPED: this test stops its PostgreSQL, and {} names a server it does not run\n",
            postgres::EXTERNAL_URL
        );
        return;
    };
    let ts = server_on(Some(postgres::fresh_database()), true, 5).await;
    assert_healthy(&ts, "PostgreSQL running").await;
    cluster.halt();
    let reason = assert_unavailable(&ts, "PostgreSQL stopped").await;
    assert!(
        reason.contains("connection"),
        "the reason says the connection failed: {reason}"
    );
    cluster.start_again();
    assert_healthy(&ts, "PostgreSQL started again").await;
}

#[tokio::test]
async fn healthz_is_503_while_the_sqlite_file_is_gone() {
    let ts = server_on(None, true, 5).await;
    assert_healthy(&ts, "the file in place").await;
    let file = ts.dir.path().join("data").join("deskport.db");
    let aside = ts.dir.path().join("moved-away.db");
    std::fs::rename(&file, &aside).expect("move the database file away");
    let reason = assert_unavailable(&ts, "the file gone").await;
    assert!(
        reason.contains("Unable to open the database file"),
        "the reason says the file cannot be opened: {reason}"
    );
    std::fs::rename(&aside, &file).expect("put the database file back");
    assert_healthy(&ts, "the file back").await;
}
