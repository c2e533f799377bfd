//! Ticket life: customers close and reopen, replies move the stage (notes do not), lists
//! page and search, bulk changes report per ticket, and the consent notice gates customers.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A ticket of `email` in one of `stages`.
async fn ticket_of(ts: &TestServer, staff: &str, email: &str, stages: &[&str]) -> Value {
    let id = ts.contact(staff, email).await["id"].clone();
    let found = ts
        .all_tickets(staff)
        .await
        .into_iter()
        .find(|t| t["contact_id"] == id && stages.iter().any(|s| t["stage"] == *s));
    found.expect("a ticket")
}

async fn patch(ts: &TestServer, token: &str, id: &Value, body: Value) -> Answer {
    let etag = ts
        .get(&format!("/tickets/{id}"), token)
        .await
        .header("etag");
    ts.call(
        "PATCH",
        &format!("/tickets/{id}"),
        Some(token),
        Some(body),
        &[("if-match", &etag)],
    )
    .await
}

both_stores! {
    #[tokio::test]
    async fn customers_close_and_reopen_and_nothing_else() {
        let ts = demo_server(40).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let t = ticket_of(&ts, &admin, CARLA, &["new", "waiting_on_contact"]).await;
        let id = &t["id"];
        let a = patch(&ts, &carla, id, json!({"closed": false})).await;
        assert_eq!(a.status, 200, "{}", a.text);
        let now = ts.get(&format!("/tickets/{id}"), &admin).await.body;
        assert_eq!(
            (&now["stage"], &now["version"]),
            (&t["stage"], &t["version"]),
            "reopening an open ticket changes nothing"
        );

        let closed = patch(&ts, &carla, id, json!({"closed": true})).await;
        assert_eq!(
            (&closed.body["closed"], &closed.body["status_label"]),
            (&json!(true), &json!("Resolved")),
            "{}",
            closed.text
        );
        assert!(closed.body["closed_at"].is_string());
        assert_eq!(
            ts.get(&format!("/tickets/{id}"), &admin).await.body["stage"],
            "closed"
        );
        let reopened = patch(&ts, &carla, id, json!({"closed": false})).await;
        assert_eq!(
            (&reopened.body["closed"], &reopened.body["closed_at"]),
            (&json!(false), &Value::Null)
        );
        assert_eq!(
            ts.get(&format!("/tickets/{id}"), &admin).await.body["stage"],
            "waiting_on_us"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn replies_move_the_stage_and_internal_notes_do_not() {
        let ts = demo_server(40).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let dan = ts.demo_login(DAN).await;
        let t = ticket_of(
            &ts,
            &admin,
            DAN,
            &["new", "waiting_on_contact", "waiting_on_us"],
        )
        .await;
        let id = &t["id"];
        let say = async |token: &str, body: Value| {
            ts.post(&format!("/tickets/{id}/messages"), token, body)
                .await
        };
        let staff_view = async |ts: &TestServer| ts.get(&format!("/tickets/{id}"), &admin).await;

        assert_eq!(
            say(&sam, json!({"body": "Could you send a screenshot?"}))
                .await
                .status,
            201
        );
        assert_eq!(staff_view(&ts).await.body["stage"], "waiting_on_contact");
        let reply = say(&dan, json!({"body": "Attached."})).await;
        assert_eq!(
            (&reply.body["author"]["kind"], &reply.body["author"]["name"]),
            (&json!("contact"), &json!("Dan Ito"))
        );
        let before = staff_view(&ts).await.body;
        assert_eq!(before["stage"], "waiting_on_us");
        assert_eq!(
            say(
                &sam,
                json!({"body": "Looks like a driver issue", "internal": true})
            )
            .await
            .status,
            201
        );
        let after = staff_view(&ts).await.body;
        assert_eq!(
            (&after["stage"], &after["updated_at"]),
            (&before["stage"], &before["updated_at"])
        );

        assert_eq!(
            patch(&ts, &sam, id, json!({"stage": "closed"}))
                .await
                .status,
            200
        );
        assert_eq!(
            say(&sam, json!({"body": "Closing note to the customer"}))
                .await
                .status,
            201
        );
        assert_eq!(
            staff_view(&ts).await.body["stage"],
            "closed",
            "a staff reply leaves a closed ticket closed"
        );
        assert_eq!(say(&dan, json!({"body": "It is back!"})).await.status, 201);
        assert_eq!(
            staff_view(&ts).await.body["stage"],
            "waiting_on_us",
            "the requester's reply reopens it"
        );
        for body in [json!({"body": "   "}), json!({"body": "x".repeat(20_001)})] {
            assert_error(&say(&dan, body).await, 400);
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn lists_page_newest_first_and_filter() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let mut seen: Vec<i64> = Vec::new();
        let mut cursor = String::new();
        loop {
            let a = ts
                .get(&format!("/tickets?limit=7&cursor={cursor}"), &admin)
                .await;
            let items = a.body["items"].as_array().expect("items");
            assert!(items.len() <= 7);
            seen.extend(items.iter().map(|t| t["id"].as_i64().expect("id")));
            match a.body["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 60);
        assert!(
            seen.windows(2).all(|w| w[0] > w[1]),
            "newest first, no repeats"
        );

        let all = ts.all_tickets(&admin).await;
        let word = all[0]["subject"]
            .as_str()
            .expect("subject")
            .split_whitespace()
            .max_by_key(|w| w.len())
            .expect("a word")
            .to_lowercase();
        let found = ts
            .get(&format!("/tickets?q={word}&limit=500"), &admin)
            .await
            .body["items"]
            .as_array()
            .expect("items")
            .clone();
        assert!(
            !found.is_empty()
                && found.iter().all(|t| t["subject"]
                    .as_str()
                    .expect("subject")
                    .to_lowercase()
                    .contains(&word)
                    || t["requester_name"]
                        .as_str()
                        .expect("name")
                        .to_lowercase()
                        .contains(&word)
                    || t["company_name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_lowercase()
                        .contains(&word))
        );
        let by_id = ts
            .get(&format!("/tickets?q={}", all[5]["id"]), &admin)
            .await;
        assert!(
            by_id.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|t| t["id"] == all[5]["id"])
        );

        let closed = ts.get("/tickets?stage=closed&limit=500", &admin).await.body["items"]
            .as_array()
            .expect("items")
            .clone();
        assert!(closed.iter().all(|t| t["stage"] == "closed"));
        let none = ts
            .get("/tickets?owner=none&inbox=1&limit=500", &admin)
            .await
            .body["items"]
            .as_array()
            .expect("items")
            .clone();
        assert!(
            none.iter()
                .all(|t| t["owner_id"].is_null() && t["inbox_id"] == 1)
        );
        let sam = ts.demo_login(SAM).await;
        let mine = ts.get("/tickets?owner=me&limit=500", &sam).await.body["items"]
            .as_array()
            .expect("items")
            .clone();
        assert!(!mine.is_empty() && mine.iter().all(|t| t["owner_id"] == 2));
        for query in ["stage=closed", "owner=me", "inbox=1"] {
            assert_error(&ts.get(&format!("/tickets?{query}"), &carla).await, 400);
        }
        assert_error(&ts.get("/tickets?owner=somebody", &admin).await, 400);
    }
}

both_stores! {
    #[tokio::test]
    async fn bulk_changes_report_each_ticket() {
        let ts = demo_server(20).await;
        let sam = ts.demo_login(SAM).await;
        let a = ts
            .post(
                "/tickets/bulk",
                &sam,
                json!({"ids": [1, 999999, 2], "patch": {"priority": "urgent", "tags": ["vip"]}}),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        let results = a.body["results"].as_array().expect("results");
        let oks: Vec<(i64, bool)> = results
            .iter()
            .map(|r| {
                (
                    r["id"].as_i64().expect("id"),
                    r["ok"].as_bool().expect("ok"),
                )
            })
            .collect();
        assert_eq!(oks, [(1, true), (999999, false), (2, true)]);
        for id in [1, 2] {
            let t = ts.get(&format!("/tickets/{id}"), &sam).await.body;
            assert_eq!(
                (&t["priority"], &t["tags"]),
                (&json!("urgent"), &json!(["vip"]))
            );
        }
        let bad = ts
            .post(
                "/tickets/bulk",
                &sam,
                json!({"ids": [1], "patch": {"owner_id": 999}}),
            )
            .await;
        assert_eq!(
            (bad.status, &bad.body["results"][0]["ok"]),
            (200, &json!(false))
        );
        let ids: Vec<i64> = (1..=1001).collect();
        assert_error(
            &ts.post("/tickets/bulk", &sam, json!({"ids": ids, "patch": {}}))
                .await,
            400,
        );
        assert_error(
            &ts.post(
                "/tickets/bulk",
                &sam,
                json!({"ids": [1], "patch": {"tags": ["Not A Tag"]}}),
            )
            .await,
            400,
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn customers_accept_a_changed_consent_notice_before_going_on() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let gina = ts.demo_login(GINA).await;
        let mine: BTreeSet<i64> = ts
            .all_tickets(&gina)
            .await
            .iter()
            .map(|t| t["id"].as_i64().expect("id"))
            .collect();
        let mut consent = ts.get("/portal", &admin).await.body["consent"].clone();
        let old = consent["version"].as_i64().expect("version");
        consent["text"] = json!("New terms: we now keep tickets for 36 months.");
        ts.set_portal(&admin, json!({"consent": consent})).await;
        let me = ts.get("/me", &gina).await.body;
        assert_eq!(
            (&me["consent_required"], &me["consent_version"]),
            (&json!(true), &json!(old + 1))
        );
        for path in [
            "/tickets",
            "/sync",
            &format!("/tickets/{}", mine.first().expect("a ticket")),
        ] {
            assert_eq!(
                assert_error(&ts.get(path, &gina).await, 403),
                "consent_required",
                "{path}"
            );
        }
        assert_eq!(
            ts.get("/portal", &gina).await.status,
            200,
            "the notice itself stays readable"
        );
        assert_error(
            &ts.post("/me/consent", &gina, json!({"version": old})).await,
            409,
        );
        let ok = ts
            .post("/me/consent", &gina, json!({"version": old + 1}))
            .await;
        assert_eq!(
            (ok.status, &ok.body["consent_required"]),
            (200, &json!(false)),
            "{}",
            ok.text
        );
        let now: BTreeSet<i64> = ts
            .all_tickets(&gina)
            .await
            .iter()
            .map(|t| t["id"].as_i64().expect("id"))
            .collect();
        assert_eq!(now, mine);
        assert_error(
            &ts.post("/me/consent", &admin, json!({"version": old + 1}))
                .await,
            400,
        );
    }
}

/// Who made a ticket's last change: staff read whoever it was (a bulk change and an internal
/// note too); customers read who made the last change they could see, never who added a note
/// or reassigned the ticket behind it.
both_stores! {
    #[tokio::test]
    async fn tickets_say_who_changed_them_last_as_each_reader_may_know() {
        let ts = demo_server(40).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let lin = ts.demo_login("lin@deskport.test").await;
        let carla = ts.demo_login(CARLA).await;
        let t = ticket_of(&ts, &admin, CARLA, &["new", "waiting_on_us"]).await;
        let id = t["id"].as_i64().expect("id");
        let path = format!("/tickets/{id}");
        let by = |body: &Value| body["updated_by"].clone();

        let priority = if t["priority"] == "urgent" {
            "low"
        } else {
            "urgent"
        };
        ts.set_ticket(&sam, id, json!({ "priority": priority }))
            .await;
        assert_eq!(by(&ts.get(&path, &admin).await.body), "Sam Carter");
        let seen = ts.get(&path, &carla).await.body;
        assert_eq!(
            by(&seen),
            "Sam Carter",
            "a change the customer sees: {seen}"
        );

        // A note and a new owner are staff business: the customer's view stays as it was.
        let note = json!({"body": "their account is on hold", "internal": true});
        let a = ts.post(&format!("{path}/messages"), &lin, note).await;
        assert_eq!(a.status, 201, "{}", a.text);
        assert_eq!(by(&ts.get(&path, &admin).await.body), "Lin Chen");
        let lin_id = ts
            .get("/users", &admin)
            .await
            .body
            .as_array()
            .and_then(|users| users.iter().find(|u| u["email"] == "lin@deskport.test"))
            .map(|u| u["id"].clone())
            .expect("Lin's id");
        let owner = if t["owner_id"] == lin_id {
            Value::Null
        } else {
            lin_id
        };
        let a = ts
            .post(
                "/tickets/bulk",
                &admin,
                json!({"ids": [id], "patch": {"owner_id": owner}}),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(by(&ts.get(&path, &admin).await.body), "Ada Lovelace");
        let after = ts.get(&path, &carla).await.body;
        assert_eq!(
            (by(&after), &after["version"], &after["updated_at"]),
            (by(&seen), &seen["version"], &seen["updated_at"]),
            "the customer reads nothing of the note or the owner: {after}"
        );

        let reply = json!({"body": "any news?"});
        let a = ts.post(&format!("{path}/messages"), &carla, reply).await;
        assert_eq!(a.status, 201, "{}", a.text);
        assert_eq!(by(&ts.get(&path, &admin).await.body), "Carla Reyes");
        assert_eq!(by(&ts.get(&path, &carla).await.body), "Carla Reyes");
    }
}
