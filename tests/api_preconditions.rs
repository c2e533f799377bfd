//! Preconditions of writes: a configured portal needs a default inbox, `If-Match` is required
//! and checked (428, 412), and `Idempotency-Key` replays the first answer exactly once.

mod common;

use common::*;
use serde_json::json;

both_stores! {
    #[tokio::test]
    async fn a_configured_portal_needs_a_default_inbox() {
        let ts = fresh_server().await;
        let hash = deskport::server::security::hash_password("correct horse battery").expect("hash");
        ts.server
            .store
            .add_user(
                "boss@example.test".into(),
                "Boss".into(),
                deskport::domain::Role::Admin,
                hash,
            )
            .await
            .expect("user");
        let admin = ts.session_for("boss@example.test").await;
        let portal = ts.get("/portal", &admin).await.body;
        assert_eq!(
            (
                portal["configured"].as_bool(),
                portal["default_inbox_id"].as_i64()
            ),
            (Some(false), None)
        );
        for patch in [
            json!({"configured": true}),
            json!({"configured": true, "default_inbox_id": null}),
        ] {
            let a = ts.patch_portal(&admin, patch).await;
            assert_error(&a, 400);
            assert_eq!(a.body["error"]["field"], "default_inbox_id");
        }
        assert_eq!(ts.get("/portal", &admin).await.body["configured"], false);
        let inbox = ts.get("/inboxes", &admin).await.body[0]["id"].clone();
        let a = ts
            .patch_portal(
                &admin,
                json!({"configured": true, "default_inbox_id": inbox}),
            )
            .await;
        assert_eq!(
            (a.status, &a.body["configured"]),
            (200, &json!(true)),
            "{}",
            a.text
        );
        assert_error(
            &ts.call(
                "DELETE",
                &format!("/inboxes/{inbox}"),
                Some(&admin),
                None,
                &[],
            )
            .await,
            400,
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn if_match_is_required_and_checked() {
        let ts = demo_server(50).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let patch = json!({"name": "Acme Help"});
        assert_eq!(
            assert_error(
                &ts.call("PATCH", "/portal", Some(&admin), Some(patch.clone()), &[])
                    .await,
                428
            ),
            "if_match_required"
        );
        let etag = ts.get("/portal", &admin).await.header("etag");
        assert_error(
            &ts.call(
                "PATCH",
                "/portal",
                Some(&admin),
                Some(patch.clone()),
                &[("if-match", "soon")],
            )
            .await,
            400,
        );
        assert_eq!(
            ts.call(
                "PATCH",
                "/portal",
                Some(&admin),
                Some(patch.clone()),
                &[("if-match", &etag)]
            )
            .await
            .status,
            200
        );
        let stale = ts
            .call(
                "PATCH",
                "/portal",
                Some(&admin),
                Some(json!({"name": "Lost update"})),
                &[("if-match", &etag)],
            )
            .await;
        assert_eq!(assert_error(&stale, 412), "version_conflict");
        assert_eq!(ts.get("/portal", &admin).await.body["name"], "Acme Help");

        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let path = format!("/tickets/{}", ticket["id"]);
        let etag = ts.get(&path, &sam).await.header("etag");
        assert_error(
            &ts.call(
                "PATCH",
                &path,
                Some(&sam),
                Some(json!({"priority": "low"})),
                &[],
            )
            .await,
            428,
        );
        assert_eq!(
            ts.call(
                "PATCH",
                &path,
                Some(&sam),
                Some(json!({"priority": "low"})),
                &[("if-match", &etag)]
            )
            .await
            .status,
            200
        );
        let a = ts
            .call(
                "PATCH",
                &path,
                Some(&admin),
                Some(json!({"priority": "urgent"})),
                &[("if-match", &etag)],
            )
            .await;
        assert_error(&a, 412);
        assert_eq!(ts.get(&path, &admin).await.body["priority"], "low");
        let carla = ts.demo_login(CARLA).await;
        assert_error(
            &ts.call(
                "PATCH",
                &path,
                Some(&carla),
                Some(json!({"closed": true})),
                &[("if-match", &etag)],
            )
            .await,
            412,
        );
        assert_error(
            &ts.call(
                "PATCH",
                &path,
                Some(&carla),
                Some(json!({"closed": true})),
                &[],
            )
            .await,
            428,
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn idempotency_keys_replay_the_first_answer_once() {
        let ts = demo_server(50).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let path = format!("/tickets/{}/messages", ticket["id"]);
        let count = |a: Answer| a.body["messages"].as_array().expect("messages").len();
        let before = count(ts.get(&format!("/tickets/{}", ticket["id"]), &admin).await);
        let key = [("idempotency-key", "reply-0001")];
        let body = json!({"body": "Is there any news?"});
        let first = ts
            .call("POST", &path, Some(&carla), Some(body.clone()), &key)
            .await;
        assert_eq!(first.status, 201, "{}", first.text);
        let second = ts
            .call("POST", &path, Some(&carla), Some(body.clone()), &key)
            .await;
        assert_eq!((second.status, &second.body), (first.status, &first.body));
        assert_eq!(
            count(ts.get(&format!("/tickets/{}", ticket["id"]), &admin).await),
            before + 1,
            "one message"
        );
        let other = ts
            .call(
                "POST",
                &path,
                Some(&carla),
                Some(json!({"body": "Something else"})),
                &key,
            )
            .await;
        assert_eq!(assert_error(&other, 422), "idempotency_key_reused");
        let elsewhere = ts
            .call("POST", "/tickets", Some(&carla), Some(body), &key)
            .await;
        assert_error(&elsewhere, 422);
        assert_eq!(
            count(ts.get(&format!("/tickets/{}", ticket["id"]), &admin).await),
            before + 1
        );

        let new = json!({"subject": "Replayed ticket", "description": "Only once"});
        let key = [("idempotency-key", "ticket-0001")];
        let a = ts
            .call("POST", "/tickets", Some(&carla), Some(new.clone()), &key)
            .await;
        let b = ts
            .call("POST", "/tickets", Some(&carla), Some(new), &key)
            .await;
        assert_eq!(
            (a.status, &a.body, a.header("etag")),
            (b.status, &b.body, b.header("etag"))
        );
        let made = ts
            .all_tickets(&carla)
            .await
            .iter()
            .filter(|t| t["subject"] == "Replayed ticket")
            .count();
        assert_eq!(made, 1);
        let bad = ts
            .call(
                "POST",
                "/tickets",
                Some(&carla),
                Some(json!({})),
                &[("idempotency-key", "")],
            )
            .await;
        assert_error(&bad, 400);

        // Signed in again (a new token), the same account's retry is still recognised...
        let carla_again = ts.demo_login(CARLA).await;
        let c = ts
            .call(
                "POST",
                "/tickets",
                Some(&carla_again),
                Some(json!({"subject": "Replayed ticket", "description": "Only once"})),
                &key,
            )
            .await;
        assert_eq!((c.status, &c.body), (a.status, &a.body));
        // ...while another account's key of the same name is its own.
        let dan = ts.demo_login(DAN).await;
        let d = ts
            .call(
                "POST",
                "/tickets",
                Some(&dan),
                Some(json!({"subject": "Replayed ticket", "description": "Only once"})),
                &key,
            )
            .await;
        assert_eq!(d.status, 201);
        assert_ne!(d.body["id"], a.body["id"]);
        assert_eq!(d.body["requester_name"], "Dan Ito");
    }
}

/// PATCH `path` with `If-Match: if_match`.
async fn patch_with(
    ts: &TestServer,
    token: &str,
    path: &str,
    body: serde_json::Value,
    if_match: &str,
) -> Answer {
    ts.call(
        "PATCH",
        path,
        Some(token),
        Some(body),
        &[("if-match", if_match)],
    )
    .await
}

both_stores! {
    #[tokio::test]
    async fn if_match_follows_rfc_9110() {
        let ts = demo_server(10).await;
        let admin = ts.demo_login(ADA).await;
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let ticket = format!("/tickets/{}", ticket["id"]);
        let bodies = [
            (
                ticket.as_str(),
                json!({"priority": "high"}),
                json!({"priority": "low"}),
            ),
            ("/portal", json!({"name": "One"}), json!({"name": "Two"})),
        ];
        for (path, first, second) in bodies {
            let version = ts.get(path, &admin).await.header("etag");
            let bare = version.trim_matches('"').to_string();
            // Valid entity-tags that do not match: 412, and nothing changes.
            for stale in [
                "\"stale-0\"".to_string(),
                format!("W/{version}"),
                format!("\"0{bare}\""),
                "\"stale-1\", W/\"x\"".to_string(),
            ] {
                let a = patch_with(&ts, &admin, path, first.clone(), &stale).await;
                assert_eq!(assert_error(&a, 412), "version_conflict", "{path} {stale}");
            }
            assert_eq!(ts.get(path, &admin).await.header("etag"), version);
            // Not an entity-tag at all: 400.
            for malformed in [bare.as_str(), "\"7", "*, \"7\"", "w/\"7\"", ","] {
                let a = patch_with(&ts, &admin, path, first.clone(), malformed).await;
                assert_eq!(
                    assert_error(&a, 400),
                    "if_match_malformed",
                    "{path} {malformed}"
                );
            }
            // A list matches when any member does; `*` matches what exists.
            let list = format!("\"stale-0\", W/\"x\", {version}");
            let a = patch_with(&ts, &admin, path, first, &list).await;
            assert_eq!(a.status, 200, "{path} {list}: {}", a.text);
            let a = patch_with(&ts, &admin, path, second, "*").await;
            assert_eq!(a.status, 200, "{path} *: {}", a.text);
            assert_ne!(a.header("etag"), version);
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn an_empty_patch_changes_nothing() {
        let ts = demo_server(10).await;
        let admin = ts.demo_login(ADA).await;
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let ticket = format!("/tickets/{}", ticket["id"]);
        let (_, cursor) = ts.sync_all(&admin, "", 1000).await;
        for path in [ticket.as_str(), "/portal"] {
            let before = ts.get(path, &admin).await;
            let etag = before.header("etag");
            let a = patch_with(&ts, &admin, path, json!({}), &etag).await;
            assert_eq!(a.status, 200, "{path}: {}", a.text);
            assert_eq!(a.header("etag"), etag, "{path}: no new version");
            assert_eq!(ts.get(path, &admin).await.body, before.body, "{path}");
        }
        let (pages, _) = ts.sync_all(&admin, &cursor, 1000).await;
        let changes: Vec<&serde_json::Value> = pages
            .iter()
            .flat_map(|p| p["changes"].as_array().expect("changes"))
            .collect();
        assert!(changes.is_empty(), "no change was logged: {changes:?}");
    }
}
