//! A customer learns nothing by side channel that they may not see: an internal note or a
//! staff-only change (owner, tags) leaves their ticket's version, `ETag`, update time, sync
//! feed and event stream as they were; their message ids leave no gap where a note is; and
//! their event stream wakes only for changes in their own scope.

mod common;

use common::*;
use futures::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;

/// What a customer can observe of one ticket without a sync: its detail and `ETag`.
async fn seen(ts: &TestServer, token: &str, id: &Value) -> (String, Value) {
    let a = ts.get(&format!("/tickets/{id}"), token).await;
    assert_eq!(a.status, 200, "{}", a.text);
    (a.header("etag"), a.body)
}

/// The ids of the ticket changes a sync from `cursor` brings.
async fn synced_tickets(ts: &TestServer, token: &str, cursor: &str) -> (Vec<i64>, String) {
    let (pages, cursor) = ts.sync_all(token, cursor, 1000).await;
    let ids = pages
        .iter()
        .flat_map(|p| p["changes"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["entity"] == "ticket")
        .filter_map(|c| c["id"].as_i64())
        .collect();
    (ids, cursor)
}

both_stores! {
    #[tokio::test]
    async fn staff_only_changes_leave_the_customer_s_view_as_it_was() {
        let ts = demo_server(20).await;
        let sam = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let ticket = ts.first_ticket_of(&sam, CARLA).await;
        let id = ticket["id"].clone();
        let (_, cursor) = ts.sync_all(&carla, "", 1000).await;
        let (etag, before) = seen(&ts, &carla, &id).await;

        let note = ts
            .post(
                &format!("/tickets/{id}/messages"),
                &sam,
                json!({"body": "Check the invoice first", "internal": true}),
            )
            .await;
        assert_eq!(note.status, 201, "{}", note.text);
        ts.set_ticket(
            &sam,
            id.as_i64().expect("id"),
            json!({"tags": ["vip"], "owner_id": null}),
        )
        .await;

        let (etag_after, after) = seen(&ts, &carla, &id).await;
        assert_eq!(etag_after, etag, "the ETag moved");
        assert_eq!(after, before, "the customer's view moved");
        let (changed, cursor) = synced_tickets(&ts, &carla, &cursor).await;
        assert_eq!(
            changed,
            Vec::<i64>::new(),
            "the sync feed told the customer"
        );

        // Staff see every change; their version moved on.
        let staff_etag = ts.get(&format!("/tickets/{id}"), &sam).await.header("etag");
        assert_ne!(staff_etag, etag);

        // The customer's If-Match is checked against what they saw: no conflict from a note.
        let flip = !before["closed"].as_bool().expect("closed");
        let close = ts
            .call(
                "PATCH",
                &format!("/tickets/{id}"),
                Some(&carla),
                Some(json!({"closed": flip})),
                &[("if-match", &etag)],
            )
            .await;
        assert_eq!(close.status, 200, "{}", close.text);
        assert_ne!(close.header("etag"), etag);
        assert_eq!(close.header("etag"), seen(&ts, &carla, &id).await.0);
        let (changed, cursor) = synced_tickets(&ts, &carla, &cursor).await;
        assert_eq!(changed, vec![id.as_i64().expect("id")]);

        // A public reply is a change the customer sees.
        let (etag, _) = seen(&ts, &carla, &id).await;
        let reply = ts
            .post(
                &format!("/tickets/{id}/messages"),
                &sam,
                json!({"body": "Reopened and fixed"}),
            )
            .await;
        assert_eq!(reply.status, 201);
        assert_ne!(seen(&ts, &carla, &id).await.0, etag);
        let (changed, _) = synced_tickets(&ts, &carla, &cursor).await;
        assert_eq!(changed, vec![id.as_i64().expect("id")]);
    }
}

both_stores! {
    #[tokio::test]
    async fn a_customer_s_message_ids_leave_no_gap_where_a_note_is() {
        let ts = demo_server(20).await;
        let sam = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let id = ts.first_ticket_of(&sam, CARLA).await["id"].clone();
        let path = format!("/tickets/{id}/messages");
        for (body, internal) in [("one", true), ("two", false), ("three", true)] {
            let a = ts
                .post(&path, &sam, json!({"body": body, "internal": internal}))
                .await;
            assert_eq!(a.status, 201, "{}", a.text);
        }
        let mine = ts.post(&path, &carla, json!({"body": "four"})).await;
        assert_eq!(mine.status, 201, "{}", mine.text);

        let thread = seen(&ts, &carla, &id).await.1;
        let ids: Vec<i64> = thread["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .filter_map(|m| m["id"].as_i64())
            .collect();
        let expected: Vec<i64> = (1..=ids.len() as i64).collect();
        assert_eq!(ids, expected, "{thread}");
        assert_eq!(mine.body["id"].as_i64(), ids.last().copied());
        assert_eq!(thread["messages"][ids.len() - 1]["body"], "four");

        // Staff keep the stored ids, notes included.
        let staff = ts.get(&format!("/tickets/{id}"), &sam).await.body;
        let staff_messages = staff["messages"].as_array().expect("messages");
        let staff_ids: Vec<i64> = staff_messages
            .iter()
            .filter_map(|m| m["id"].as_i64())
            .collect();
        let notes = staff_messages
            .iter()
            .filter(|m| m["internal"] == true)
            .count();
        assert!(notes >= 2);
        assert_eq!(staff_ids.len(), ids.len() + notes);
        assert!(staff_ids.windows(2).all(|w| w[0] < w[1]));
    }
}

/// Counts the `changed` events `stream` delivers until it has been quiet for `quiet`.
async fn pokes_until_quiet<B: AsRef<[u8]>>(
    stream: &mut (impl StreamExt<Item = reqwest::Result<B>> + Unpin),
    quiet: Duration,
) -> usize {
    let mut text = String::new();
    while let Ok(Some(chunk)) = tokio::time::timeout(quiet, stream.next()).await {
        text.push_str(&String::from_utf8_lossy(chunk.expect("bytes").as_ref()));
    }
    text.matches("event: changed").count()
}

both_stores! {
    #[tokio::test]
    async fn a_customer_s_stream_wakes_only_for_what_they_can_see() {
        let ts = demo_server(20).await;
        let sam = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let own = ts.first_ticket_of(&sam, CARLA).await["id"].clone();
        let other = ts.first_ticket_of(&sam, GINA).await["id"]
            .as_i64()
            .expect("id");
        let resp = ts
            .http
            .get(format!("{}/events", ts.base()))
            .bearer_auth(&carla)
            .send()
            .await
            .expect("stream");
        assert_eq!(resp.status(), 200);
        let mut stream = resp.bytes_stream();
        let quiet = Duration::from_millis(700);
        assert_eq!(
            pokes_until_quiet(&mut stream, quiet).await,
            1,
            "the first poke"
        );

        // Another company's ticket, and a note on Carla's own: nothing for her.
        ts.set_ticket(&sam, other, json!({"priority": "urgent"}))
            .await;
        let note = ts
            .post(
                &format!("/tickets/{own}/messages"),
                &sam,
                json!({"body": "internal only", "internal": true}),
            )
            .await;
        assert_eq!(note.status, 201);
        assert_eq!(pokes_until_quiet(&mut stream, quiet).await, 0);

        // A public reply on her ticket wakes her.
        let reply = ts
            .post(
                &format!("/tickets/{own}/messages"),
                &sam,
                json!({"body": "We are on it"}),
            )
            .await;
        assert_eq!(reply.status, 201);
        assert_eq!(pokes_until_quiet(&mut stream, quiet).await, 1);
    }
}

#[tokio::test]
async fn a_database_from_before_public_versions_upgrades_in_place() {
    use deskport::server::store::sqlite::SqliteStore;
    use deskport::server::store::{Reader, Store};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("deskport.db");
    {
        let store = SqliteStore::open(&path).expect("store");
        store
            .import(deskport::server::demo::demo_batch(3, "x"))
            .await
            .expect("import");
    }
    // Back to schema 1: no public columns, every ticket at version 5.
    {
        let conn = rusqlite::Connection::open(&path).expect("db");
        conn.execute_batch(
            "DROP TABLE ticket_ccs; \
             ALTER TABLE changes DROP COLUMN ccs_before; \
             ALTER TABLE messages DROP COLUMN cc; \
             ALTER TABLE tickets DROP COLUMN mail_cc; \
             ALTER TABLE tickets DROP COLUMN public_version; \
             ALTER TABLE tickets DROP COLUMN public_updated_at; \
             ALTER TABLE changes DROP COLUMN staff_only; \
             ALTER TABLE tickets DROP COLUMN updated_by; \
             ALTER TABLE tickets DROP COLUMN public_updated_by; \
             DROP TABLE sign_in_failures; \
             ALTER TABLE users DROP COLUMN removed_at; \
             DROP TABLE mail_queue; \
             ALTER TABLE messages DROP COLUMN channel; \
             ALTER TABLE messages DROP COLUMN sender_address; \
             DROP TABLE inbound_mail; \
             DROP TABLE saved_replies; \
             DROP TABLE ssh_keys; \
             ALTER TABLE users DROP COLUMN language; \
             ALTER TABLE contacts DROP COLUMN language; \
             UPDATE tickets SET version = 5; PRAGMA user_version = 1;",
        )
        .expect("downgrade");
    }
    let store = SqliteStore::open(&path).expect("upgraded");
    let staff = store.ticket(1, Reader::Staff).await.expect("ticket");
    let customer = store.ticket(1, Reader::Customer).await.expect("ticket");
    assert_eq!(
        (customer.ticket.version, &customer.ticket.updated_at),
        (5, &staff.ticket.updated_at),
        "the ETag a customer held before the upgrade still matches"
    );
    assert_eq!(
        (&staff.updated_by, &customer.updated_by),
        (&None, &None),
        "who made the last change was not recorded then"
    );
    assert_eq!(
        store.users().await.expect("users").len(),
        3,
        "no staff user counts as removed after the upgrade"
    );
    assert!(
        store
            .changes(0, 10)
            .await
            .expect("changes")
            .iter()
            .all(|c| !c.staff_only)
    );
}
