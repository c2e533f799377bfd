//! Saved replies through the API, on both stores: staff only; shared ones are read by every
//! agent and changed by admins; a personal one is its author's alone (another agent, or an
//! admin, gets 404 as if it did not exist); an unknown placeholder is refused with 422 naming
//! the known ones; the sync feed carries each staff member exactly the replies they may use.

mod common;

use common::*;
use serde_json::{Value, json};

const LIN: &str = "lin@deskport.test";

async fn save(ts: &TestServer, token: &str, title: &str, shared: bool) -> i64 {
    let body = json!({"title": title, "body": "Hi {first_name}, about #{ticket_number}", "shared": shared});
    let a = ts.post("/saved-replies", token, body).await;
    assert_eq!(a.status, 201, "{}", a.text);
    a.body["id"].as_i64().expect("id")
}

async fn titles(ts: &TestServer, token: &str) -> Vec<String> {
    let a = ts.get("/saved-replies", token).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.body
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn patch(ts: &TestServer, token: &str, id: i64, body: Value) -> Answer {
    ts.call(
        "PATCH",
        &format!("/saved-replies/{id}"),
        Some(token),
        Some(body),
        &[],
    )
    .await
}

async fn delete(ts: &TestServer, token: &str, id: i64) -> Answer {
    ts.call(
        "DELETE",
        &format!("/saved-replies/{id}"),
        Some(token),
        None,
        &[],
    )
    .await
}

/// The saved-reply changes in the sync pages after `cursor`: `(op, id)`.
async fn feed(ts: &TestServer, token: &str, cursor: &str) -> (Vec<(String, i64)>, String) {
    ts.changes_of(token, cursor, "saved_reply").await
}

/// Tokens of Ada (admin), Sam and Lin (agents) and Carla (customer).
async fn everyone(ts: &TestServer) -> [String; 4] {
    [
        ts.demo_login(ADA).await,
        ts.demo_login(SAM).await,
        ts.demo_login(LIN).await,
        ts.demo_login(CARLA).await,
    ]
}

both_stores! {
    #[tokio::test]
    async fn personal_replies_stay_with_their_author_and_shared_ones_with_admins() {
        let ts = demo_server(10).await;
        let [ada, sam, lin, carla] = everyone(&ts).await;
        let shared = save(&ts, &ada, "Shared greeting", true).await;
        let own = save(&ts, &sam, "Sam's own", false).await;

        assert_eq!(titles(&ts, &sam).await, ["Sam's own", "Shared greeting"]);
        assert_eq!(titles(&ts, &lin).await, ["Shared greeting"]);
        assert_eq!(titles(&ts, &ada).await, ["Shared greeting"], "not even admins see Sam's");

        // Another agent's (or an admin's) hands on Sam's reply: as if it did not exist.
        for token in [&lin, &ada] {
            assert_error(&patch(&ts, token, own, json!({"title": "Mine now"})).await, 404);
            assert_error(&delete(&ts, token, own).await, 404);
        }
        // An agent may not change, delete, share or unshare what the team shares.
        assert_error(&patch(&ts, &sam, shared, json!({"title": "Sam's"})).await, 403);
        assert_error(&delete(&ts, &sam, shared).await, 403);
        assert_error(&patch(&ts, &sam, own, json!({"shared": true})).await, 403);
        let shared_by_agent = json!({"title": "Mine for all", "body": "Hi", "shared": true});
        assert_error(&ts.post("/saved-replies", &sam, shared_by_agent).await, 403);
        // Customers have no saved replies at all.
        assert_error(&ts.get("/saved-replies", &carla).await, 403);
        let by_customer = json!({"title": "Mine", "body": "Hi"});
        assert_error(&ts.post("/saved-replies", &carla, by_customer).await, 403);
        assert_error(&patch(&ts, &carla, shared, json!({"title": "x"})).await, 403);
        assert_error(&delete(&ts, &carla, shared).await, 403);
        assert_eq!(titles(&ts, &sam).await, ["Sam's own", "Shared greeting"], "nothing changed");

        // The author edits and deletes their own; an admin unshares (the reply becomes the
        // admin's own) and shares again.
        let edited = patch(&ts, &sam, own, json!({"title": "Sam's edited"})).await;
        assert_eq!(edited.status, 200, "{}", edited.text);
        assert_eq!(edited.body["owner_id"], ts.get("/me", &sam).await.body["user"]["id"]);
        let unshared = patch(&ts, &ada, shared, json!({"shared": false})).await;
        assert_eq!(unshared.status, 200, "{}", unshared.text);
        assert_eq!(titles(&ts, &lin).await, Vec::<String>::new());
        assert_eq!(titles(&ts, &ada).await, ["Shared greeting"]);
        assert_eq!(patch(&ts, &ada, shared, json!({"shared": true})).await.status, 200);
        assert_eq!(titles(&ts, &lin).await, ["Shared greeting"]);
        assert_eq!(delete(&ts, &sam, own).await.status, 204);
        assert_error(&delete(&ts, &sam, own).await, 404);
        assert_eq!(titles(&ts, &sam).await, ["Shared greeting"]);
    }
}

both_stores! {
    #[tokio::test]
    async fn an_unknown_placeholder_is_refused_with_the_known_ones_and_nothing_is_saved() {
        let ts = demo_server(10).await;
        let sam = ts.demo_login(SAM).await;
        let typo = json!({"title": "Typo", "body": "Hi {frist_name}"});
        let refused = ts.post("/saved-replies", &sam, typo).await;
        assert_eq!(assert_error(&refused, 422), "unknown_placeholder");
        assert_eq!(refused.body["error"]["field"], "body");
        let message = refused.body["error"]["message"].as_str().unwrap_or_default();
        for known in ["{first_name}", "{ticket_number}", "{subject}", "{agent_name}", "{portal_url}"] {
            assert!(message.contains(known), "{message}");
        }
        assert!(message.contains("{frist_name}"), "{message}");
        assert!(titles(&ts, &sam).await.is_empty());

        let id = save(&ts, &sam, "Fine", false).await;
        let bad_edit = patch(&ts, &sam, id, json!({"body": "{ticket}"})).await;
        assert_eq!(assert_error(&bad_edit, 422), "unknown_placeholder");
        let kept = ts.get("/saved-replies", &sam).await.body;
        assert_eq!(kept[0]["body"], "Hi {first_name}, about #{ticket_number}");
        let empty = json!({"title": " ", "body": "Hi"});
        assert_eq!(assert_error(&ts.post("/saved-replies", &sam, empty).await, 400), "invalid");
    }
}

both_stores! {
    #[tokio::test]
    async fn the_feed_carries_each_staff_member_the_replies_they_may_use() {
        let ts = demo_server(10).await;
        let [ada, sam, lin, carla] = everyone(&ts).await;
        let shared = save(&ts, &ada, "Shared", true).await;
        let own = save(&ts, &sam, "Own", false).await;

        let (sam_first, sam_cursor) = feed(&ts, &sam, "").await;
        assert_eq!(sam_first.len(), 2, "{sam_first:?}");
        assert!(sam_first.contains(&("upsert".into(), shared)));
        assert!(sam_first.contains(&("upsert".into(), own)));
        let (lin_first, lin_cursor) = feed(&ts, &lin, "").await;
        assert_eq!(lin_first, vec![("upsert".to_string(), shared)]);
        let (carla_first, carla_cursor) = feed(&ts, &carla, "").await;
        assert!(carla_first.is_empty(), "{carla_first:?}");

        // Live: an edit reaches both agents; the admin's delete reaches them as a delete;
        // Sam's own edit never reaches Lin as an upsert, nor anything reaches Carla.
        assert_eq!(patch(&ts, &ada, shared, json!({"title": "Shared v2"})).await.status, 200);
        assert_eq!(patch(&ts, &sam, own, json!({"title": "Own v2"})).await.status, 200);
        assert_eq!(delete(&ts, &ada, shared).await.status, 204);
        let (sam_live, _) = feed(&ts, &sam, &sam_cursor).await;
        assert_eq!(
            sam_live,
            vec![("upsert".to_string(), own), ("delete".to_string(), shared)]
        );
        let (lin_live, _) = feed(&ts, &lin, &lin_cursor).await;
        assert!(lin_live.contains(&("delete".into(), shared)), "{lin_live:?}");
        assert!(!lin_live.contains(&("upsert".into(), own)), "{lin_live:?}");
        let (carla_live, _) = feed(&ts, &carla, &carla_cursor).await;
        assert!(carla_live.is_empty(), "{carla_live:?}");
    }
}
