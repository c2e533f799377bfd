//! A damaged cache file, or one from another schema version, is rebuilt instead of crashing
//! the client; unsent writes that can still be read are carried over.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{GINA, demo_server};
use deskport::client::{Client, Connection, Session, Write};
use deskport::domain::wire::MessageInput;
use std::path::Path;

async fn synced_cache(url: &str, dir: &Path) -> (Session, usize, std::path::PathBuf) {
    let client = support::start(dir, support::session(url, GINA).await).await;
    support::until(&client, "first sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() >= 3
    })
    .await;
    let n = client.view().ticket_count();
    client.shutdown().await;
    (
        client.session().clone(),
        n,
        client.cache_path().to_path_buf(),
    )
}

fn remove_with_sidecars(path: &Path) {
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

async fn cache_only(dir: &Path, session: Session) -> Client {
    let mut config = support::config(dir);
    config.offline = true;
    Client::start(config, session)
        .await
        .expect("a damaged cache is rebuilt, not an error")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_cache_file_is_rebuilt() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let dir = tempfile::tempdir().expect("tempdir");
    let (session, n, path) = synced_cache(&url, dir.path()).await;

    remove_with_sidecars(&path);
    std::fs::write(
        &path,
        b"this is not a database, just some bytes that happen to be here",
    )
    .expect("corrupt");
    let client = cache_only(dir.path(), session.clone()).await;
    assert_eq!(client.view().ticket_count(), 0, "rebuilt empty");
    drop(client);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path)
                .expect("cache")
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }

    let client = support::start(dir.path(), session).await;
    support::until(&client, "a fresh sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() == n
    })
    .await;
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_row_is_rebuilt_too() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let dir = tempfile::tempdir().expect("tempdir");
    let (session, _, path) = synced_cache(&url, dir.path()).await;
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute(
        "UPDATE tickets SET data = '{\"id\": \"broken' WHERE id = (SELECT max(id) FROM tickets)",
        [],
    )
    .expect("damage a row");
    drop(conn);
    let client = cache_only(dir.path(), session).await;
    assert_eq!(client.view().ticket_count(), 0, "rebuilt empty");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_schema_version_is_rebuilt_keeping_unsent_writes() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let dir = tempfile::tempdir().expect("tempdir");
    let (session, n, path) = synced_cache(&url, dir.path()).await;

    let client = cache_only(dir.path(), session.clone()).await;
    let id = client
        .view()
        .ticket_at(0)
        .map(|t| t.id())
        .expect("a ticket");
    let body = "Kept across the rebuild";
    client
        .submit(Write::Message {
            ticket_id: id,
            input: MessageInput {
                body: body.into(),
                internal: false,
            },
        })
        .await
        .expect("recorded");
    drop(client);

    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", 99)
        .expect("set version");
    drop(conn);

    let client = cache_only(dir.path(), session.clone()).await;
    assert_eq!(client.view().ticket_count(), 0, "rebuilt empty");
    assert_eq!(
        client.view().pending_writes(),
        1,
        "the unsent reply was carried over"
    );
    drop(client);

    let client = support::start(dir.path(), session).await;
    support::until(&client, "resynced and sent", |v| {
        v.ticket_count() == n && v.pending_writes() == 0
    })
    .await;
    let thread = client.ticket_detail(id).await.expect("thread");
    assert_eq!(
        thread
            .detail
            .messages
            .iter()
            .filter(|m| m.body == body)
            .count(),
        1
    );
    client.shutdown().await;
}
