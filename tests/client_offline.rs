//! Working offline: with the server unreachable the cache still lists everything, and a reply
//! written offline is sent exactly once when the server is back, even across a client restart
//! and even when an earlier attempt reached the server but its answer was lost.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{CARLA, demo_server};
use deskport::client::{Client, Connection, Write};
use deskport::domain::wire::MessageInput;
use serde_json::json;
use support::Proxy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_lists_while_the_server_is_down() {
    let ts = demo_server(300).await;
    let proxy = Proxy::start(ts.server.addr).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let client = support::start(dir.path(), support::session(&proxy.url(), CARLA).await).await;
    support::until(&client, "first sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() >= 3
    })
    .await;
    let listed = client.view().ticket_count();

    proxy.down();
    support::until(&client, "offline", |v| {
        v.status.connection == Connection::Offline
    })
    .await;
    assert_eq!(
        client.view().ticket_count(),
        listed,
        "the view keeps the cache"
    );
    assert!(
        client.sync_now().await.is_err(),
        "syncing fails while offline"
    );
    let first = client
        .view()
        .ticket_at(0)
        .map(|t| t.id())
        .expect("a ticket");
    let thread = client
        .ticket_detail(first)
        .await
        .expect("detail from the cache");
    assert!(thread.from_cache);
    client.shutdown().await;

    let mut config = support::config(dir.path());
    config.offline = true;
    let cached = Client::start(config, client.session().clone())
        .await
        .expect("cache-only client");
    assert_eq!(cached.view().ticket_count(), listed);
    assert_eq!(cached.view().status.connection, Connection::CacheOnly);

    proxy.up().await;
    support::until(&cached, "still cache-only", |v| {
        v.status.connection == Connection::CacheOnly
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_reply_is_sent_exactly_once_after_restarts() {
    let ts = demo_server(300).await;
    let proxy = Proxy::start(ts.server.addr).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let session = support::session(&proxy.url(), CARLA).await;
    let client = support::start(dir.path(), session.clone()).await;
    support::until(&client, "first sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() >= 3
    })
    .await;
    let id = client
        .view()
        .ticket_at(0)
        .map(|t| t.id())
        .expect("a ticket");

    proxy.down();
    support::until(&client, "offline", |v| {
        v.status.connection == Connection::Offline
    })
    .await;
    let body = "Written on the train, no signal";
    let write = client
        .submit(Write::Message {
            ticket_id: id,
            input: MessageInput {
                body: body.into(),
                internal: false,
            },
        })
        .await
        .expect("recorded");
    {
        let v = client.view();
        assert_eq!(v.pending_writes(), 1);
        assert!(
            v.ticket(id).is_some_and(|t| t.pending),
            "the ticket is marked pending"
        );
        assert_eq!(v.pending_messages(id).count(), 1);
    }
    support::until(&client, "a failed attempt", |v| {
        v.outbox.iter().any(|e| e.id == write && e.attempts > 0)
    })
    .await;
    client.shutdown().await;
    drop(client);

    // The client restarts, still offline: the reply is still pending.
    let client = support::start(dir.path(), session.clone()).await;
    let key = {
        let v = client.view();
        assert_eq!(v.pending_writes(), 1, "the outbox survived the restart");
        v.outbox[0].idempotency_key.clone()
    };
    client.shutdown().await;
    drop(client);

    // An earlier attempt reached the server but its answer was lost: the server has it once.
    let first = ts
        .call(
            "POST",
            &format!("/tickets/{id}/messages"),
            Some(&session.token),
            Some(json!({"body": body, "internal": false})),
            &[("idempotency-key", &key)],
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);

    proxy.up().await;
    let client = support::start(dir.path(), session).await;
    support::settled(&client).await;
    assert!(client.view().outbox.is_empty());
    assert!(client.view().ticket(id).is_some_and(|t| !t.pending));

    let thread = client.ticket_detail(id).await.expect("thread");
    assert!(!thread.from_cache);
    let copies = thread
        .detail
        .messages
        .iter()
        .filter(|m| m.body == body)
        .count();
    assert_eq!(copies, 1, "the reply is on the ticket exactly once");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_survive_a_real_server_restart() {
    let ts = demo_server(300).await;
    let config = deskport::server::ServerConfig {
        data_dir: ts.data_dir(),
        demo: true,
        demo_tickets: 300,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let addr = ts.server.addr;
    let dir = tempfile::tempdir().expect("tempdir");
    let session = support::session(&format!("http://{addr}"), CARLA).await;
    let mut cfg = support::config(dir.path());
    cfg.background = false;
    let client = Client::start(cfg.clone(), session.clone())
        .await
        .expect("client");
    client.sync_now().await.expect("first sync");
    let id = client
        .view()
        .ticket_at(0)
        .map(|t| t.id())
        .expect("a ticket");
    client.shutdown().await;

    let common::TestServer {
        server,
        dir: server_dir,
        ..
    } = ts;
    server.stop().await.expect("server stops");
    let client = Client::start(cfg, session.clone()).await.expect("client");
    let body = "Sent while the server was down";
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
    assert!(client.sync_now().await.is_err(), "the server is down");
    assert_eq!(client.view().pending_writes(), 1);

    let server = deskport::server::start(&config, addr)
        .await
        .expect("server restarts");
    let report = client.sync_now().await.expect("sync after restart");
    assert_eq!(report.writes_applied, 1);
    assert_eq!(client.view().pending_writes(), 0);
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
    server.stop().await.expect("server stops");
    drop(server_dir);
}
