//! Several server instances on one PostgreSQL database act as one portal: a write on one
//! pokes the event streams on the other, a lockout and a rate limit count on both, an
//! idempotent request replayed through the other has one effect, a kept list page is never
//! older than a commit elsewhere, a client syncing from one while both take writes ends
//! each round with exactly a fresh snapshot, and an instance killed with SIGKILL under load
//! loses no acknowledged write while its writers carry on through the other.

mod common;

#[path = "multi_instance/kill.rs"]
mod kill;

use common::*;
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Two instances on one fresh PostgreSQL database with the demo portal; `None` (after a loud
/// skip message) where PostgreSQL is missing.
async fn two_instances(tickets: usize) -> Option<(TestServer, TestServer)> {
    if !postgres::available() {
        return None;
    }
    let database = postgres::fresh_database();
    let a = server_on(Some(database.clone()), true, tickets).await;
    let b = server_on(Some(database), true, tickets).await;
    Some((a, b))
}

/// The instants at which `/events` on `ts` delivered a poke, as `token`.
async fn pokes(ts: &TestServer, token: &str) -> mpsc::UnboundedReceiver<Instant> {
    let resp = ts
        .http
        .get(format!("{}/events", ts.base()))
        .bearer_auth(token)
        .timeout(Duration::from_secs(600))
        .send()
        .await
        .expect("stream");
    assert_eq!(resp.status(), 200);
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut stream = resp.bytes_stream();
        while let Some(Ok(chunk)) = stream.next().await {
            let text = String::from_utf8_lossy(&chunk);
            for _ in 0..text.matches("event: changed").count() {
                if tx.send(Instant::now()).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_instance_pokes_streams_on_the_other() {
    let Some((a, b)) = two_instances(20).await else {
        return;
    };
    let sam = a.demo_login(SAM).await;
    let ada_on_b = b.demo_login(ADA).await;
    let mut poked = pokes(&b, &ada_on_b).await;
    let ticket = a.first_ticket_of(&sam, CARLA).await["id"].clone();
    let mut delays = Vec::new();
    for i in 0..30 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        while poked.try_recv().is_ok() {}
        let sent = Instant::now();
        let body = json!({"body": format!("note {i}"), "internal": true});
        let answer = a
            .post(&format!("/tickets/{ticket}/messages"), &sam, body)
            .await;
        assert_eq!(answer.status, 201, "{}", answer.text);
        let at = tokio::time::timeout(Duration::from_secs(5), poked.recv())
            .await
            .expect("a poke on the other instance within 5 s")
            .expect("stream open");
        delays.push(at.saturating_duration_since(sent));
    }
    delays.sort();
    let p95 = delays[delays.len() * 95 / 100 - 1];
    eprintln!(
        "poke across instances (write sent to poke received): p50 {:?}, p95 {p95:?}, max {:?}",
        delays[delays.len() / 2],
        delays[delays.len() - 1]
    );
    assert!(p95 < Duration::from_millis(1000), "p95 {p95:?}");
}

#[tokio::test]
async fn ten_failures_spread_over_two_instances_lock_the_account() {
    let Some((a, b)) = two_instances(5).await else {
        return;
    };
    for i in 0..10 {
        let on = if i % 2 == 0 { &a } else { &b };
        let body = json!({"email": GINA, "password": "wrong-password"});
        let wrong = on.call("POST", "/auth/login", None, Some(body), &[]).await;
        assert_eq!(assert_error(&wrong, 401), "unauthorized", "failure {i}");
    }
    for on in [&a, &b] {
        let body = json!({"email": GINA, "password": DEMO_PASSWORD});
        let right = on.call("POST", "/auth/login", None, Some(body), &[]).await;
        assert_eq!(
            assert_error(&right, 429),
            "account_locked",
            "the right password on a locked account"
        );
    }
}

#[tokio::test]
async fn a_replay_through_the_other_instance_has_one_effect() {
    let Some((a, b)) = two_instances(5).await else {
        return;
    };
    let carla_a = a.demo_login(CARLA).await;
    let carla_b = b.demo_login(CARLA).await;
    let new = json!({"subject": "Sent twice", "description": "once through each instance"});
    let key = [("idempotency-key", "across-0001")];
    let first = a
        .call("POST", "/tickets", Some(&carla_a), Some(new.clone()), &key)
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = b
        .call("POST", "/tickets", Some(&carla_b), Some(new), &key)
        .await;
    assert_eq!(
        (again.status, &again.body, again.header("etag")),
        (first.status, &first.body, first.header("etag"))
    );
    for (on, token) in [(&a, &carla_a), (&b, &carla_b)] {
        let made = on
            .all_tickets(token)
            .await
            .iter()
            .filter(|t| t["subject"] == "Sent twice")
            .count();
        assert_eq!(made, 1);
    }
}

#[tokio::test]
async fn a_kept_page_on_one_instance_is_never_older_than_a_commit_on_the_other() {
    let Some((a, b)) = two_instances(30).await else {
        return;
    };
    let sam_a = a.demo_login(SAM).await;
    let sam_b = b.demo_login(SAM).await;
    let ticket = b.first_ticket_of(&sam_b, CARLA).await["id"]
        .as_i64()
        .expect("id");
    for round in 0..10 {
        // The same list twice on B: the second may be a kept answer.
        b.all_tickets(&sam_b).await;
        b.all_tickets(&sam_b).await;
        let subject = format!("Renamed on A, round {round}");
        a.set_ticket(&sam_a, ticket, json!({"subject": subject}))
            .await;
        let listed = b.all_tickets(&sam_b).await;
        let seen = listed
            .iter()
            .find(|t| t["id"] == ticket)
            .expect("the ticket is listed");
        assert_eq!(
            seen["subject"], subject,
            "B listed a page older than A's commit"
        );
    }
}

/// The state a client holds after applying sync pages: (entity, id) to data.
type Cache = BTreeMap<(String, i64), Value>;

fn apply(cache: &mut Cache, pages: &[Value]) {
    for page in pages {
        if page["reset"] == true {
            cache.clear();
        }
        for change in page["changes"].as_array().expect("changes") {
            let key = (
                change["entity"].as_str().expect("entity").to_string(),
                change["id"].as_i64().expect("id"),
            );
            if change["op"] == "delete" {
                cache.remove(&key);
            } else {
                cache.insert(key, change["data"].clone());
            }
        }
    }
}

/// `n` writes as staff `token` on `ts`: new tickets for `contact`, replies and subject
/// changes, tagged `tag`.
async fn writes(ts: &TestServer, token: &str, contact: &Value, tag: &str, n: usize) {
    for i in 0..n {
        let made = ts
            .post(
                "/tickets",
                token,
                json!({"subject": format!("{tag} {i}"), "description": "stress", "contact_id": contact}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        let id = made.body["id"].as_i64().expect("id");
        let reply = ts
            .post(
                &format!("/tickets/{id}/messages"),
                token,
                json!({"body": format!("{tag} reply {i}"), "internal": true}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        ts.set_ticket(token, id, json!({"subject": format!("{tag} {i} (edited)")}))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_syncing_while_both_instances_write_ends_each_round_with_a_fresh_snapshot() {
    let Some((a, b)) = two_instances(20).await else {
        return;
    };
    let a = std::sync::Arc::new(a);
    let b = std::sync::Arc::new(b);
    let staff_a = a.demo_login(SAM).await;
    let staff_b = b.demo_login(ADA).await;
    let reader = b.demo_login(SAM).await;
    let contact = a.contact(&staff_a, CARLA).await["id"].clone();
    let (first, mut cursor) = b.sync_all(&reader, "", 200).await;
    let mut cache = Cache::new();
    apply(&mut cache, &first);
    for round in 0..6 {
        let on_a = {
            let (a, token, contact) = (a.clone(), staff_a.clone(), contact.clone());
            tokio::spawn(async move { writes(&a, &token, &contact, &format!("A{round}"), 4).await })
        };
        let on_b = {
            let (b, token, contact) = (b.clone(), staff_b.clone(), contact.clone());
            tokio::spawn(async move { writes(&b, &token, &contact, &format!("B{round}"), 4).await })
        };
        while !(on_a.is_finished() && on_b.is_finished()) {
            let (pages, next) = b.sync_all(&reader, &cursor, 3).await;
            apply(&mut cache, &pages);
            cursor = next;
        }
        on_a.await.expect("writer on A");
        on_b.await.expect("writer on B");
        let (pages, next) = b.sync_all(&reader, &cursor, 3).await;
        apply(&mut cache, &pages);
        cursor = next;
        let mut fresh = Cache::new();
        apply(&mut fresh, &b.sync_all(&reader, "", 200).await.0);
        assert_eq!(
            cache.len(),
            fresh.len(),
            "round {round}: the synced cache and a fresh snapshot differ in size"
        );
        assert!(
            cache == fresh,
            "round {round}: the synced cache is not the snapshot"
        );
    }
}

/// Asks `on` to mail Gina a sign-in code.
async fn ask(on: &TestServer) -> Answer {
    let body = json!({"email": GINA});
    on.call("POST", "/auth/code", None, Some(body), &[]).await
}

#[tokio::test]
async fn a_rate_limit_counts_requests_on_both_instances() {
    let Some((a, b)) = two_instances(5).await else {
        return;
    };
    // Five code mails an hour per account, asked alternately on A and B.
    for i in 0..5 {
        let asked = ask(if i % 2 == 0 { &a } else { &b }).await;
        assert_ne!(asked.status, 429, "request {i}: {}", asked.text);
    }
    for on in [&a, &b] {
        assert_eq!(assert_error(&ask(on).await, 429), "rate_limited");
    }
}
