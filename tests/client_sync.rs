//! The sync engine against the real server: first sync, then changes made by another user
//! arrive through the event stream; the cache file is private and reloads into the same view.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{ADA, SAM, demo_server};
use deskport::client::{Client, Connection};
use deskport::domain::wire::TicketOut;
use serde_json::json;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_sync_then_another_users_change_arrives() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let dir = tempfile::tempdir().expect("tempdir");
    let client = support::start(dir.path(), support::session(&url, ADA).await).await;
    let ada = ts.demo_login(ADA).await;
    let expected = ts.all_tickets(&ada).await.len();
    support::until(&client, "the first sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() == expected
    })
    .await;
    {
        let v = client.view();
        assert!(v.portal.is_some(), "portal settings synced");
        assert!(
            !v.users.is_empty()
                && !v.contacts.is_empty()
                && !v.inboxes.is_empty()
                && !v.rules.is_empty()
        );
        assert!(v.status.last_sync.is_some());
        let ids: Vec<i64> = v.tickets().map(|t| t.id()).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
        assert_eq!(v.ticket_at(0).map(|t| t.id()), ids.first().copied());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(client.cache_path())
            .expect("cache exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "cache file mode");
    }

    // Sam changes a ticket over the API: the change arrives without anyone asking.
    let sam = ts.demo_login(SAM).await;
    let id = client
        .view()
        .ticket_at(5)
        .map(|t| t.id())
        .expect("a ticket");
    let etag = ts.get(&format!("/tickets/{id}"), &sam).await.header("etag");
    let started = Instant::now();
    let a = ts
        .call(
            "PATCH",
            &format!("/tickets/{id}"),
            Some(&sam),
            Some(json!({"subject": "Changed by Sam"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    support::until(&client, "Sam's change", |v| {
        v.ticket(id)
            .is_some_and(|t| t.subject() == "Changed by Sam")
    })
    .await;
    let latency = started.elapsed();
    assert!(latency.as_millis() < 2000, "the change took {latency:?}");

    // A new ticket arrives too, at the top.
    let contact = ts.contact(&sam, common::CARLA).await;
    let a = ts
        .post("/tickets", &sam, json!({"subject": "Fresh from Sam", "description": "Made by another user", "contact_id": contact["id"]}))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let new_id = a.body["id"].as_i64().expect("id");
    support::until(&client, "the new ticket", |v| {
        v.ticket_at(0).is_some_and(|t| t.id() == new_id)
    })
    .await;

    // Nothing else is waiting.
    let report = client.sync_now().await.expect("sync");
    assert!(report.is_empty(), "{report:?}");
    client.shutdown().await;

    // The cache alone rebuilds the same view.
    let mut config = support::config(dir.path());
    config.offline = true;
    let session = client.session().clone();
    let offline = Client::start(config, session)
        .await
        .expect("offline client");
    let v = offline.view();
    assert_eq!(v.status.connection, Connection::CacheOnly);
    assert_eq!(v.ticket_count(), expected + 1);
    assert_eq!(
        v.ticket(id).map(|t| t.subject().to_string()).as_deref(),
        Some("Changed by Sam")
    );
    assert!(matches!(
        v.ticket(new_id).map(|t| t.ticket()),
        Some(TicketOut::Staff(_))
    ));
}
