//! Routing: rules send customers' tickets to the right inbox, round robin takes turns, and
//! `POST /routing-rules/test` tells the rule, inbox and owner a draft would get.

mod common;

use common::*;
use serde_json::{Value, json};

/// Billing help desk of the demo.
const BILLING: i64 = 2;
/// Support inbox (the default) of the demo.
const SUPPORT: i64 = 1;

async fn raise(ts: &TestServer, customer: &str, staff: &str, body: Value) -> Value {
    let a = ts.post("/tickets", customer, body).await;
    assert_eq!(a.status, 201, "{}", a.text);
    ts.get(&format!("/tickets/{}", a.body["id"]), staff)
        .await
        .body
}

both_stores! {
    #[tokio::test]
    async fn a_customers_invoice_ticket_lands_in_billing() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let t = raise(
            &ts,
            &carla,
            &admin,
            json!({"subject": "Question about INVOICE 4411", "description": "The total looks wrong."}),
        )
        .await;
        assert_eq!(
            (&t["inbox_id"], &t["inbox_name"], &t["source"]),
            (&json!(BILLING), &json!("Billing"), &json!("portal"))
        );
        assert!(t["owner_id"].is_i64(), "Billing assigns by least load: {t}");
        let form = json!({"subject": "Charged twice", "description": "See my card.", "form_fields": {"category": "billing"}});
        let t = raise(&ts, &carla, &admin, form).await;
        assert_eq!(
            (&t["inbox_id"], &t["category"]),
            (&json!(BILLING), &json!("billing"))
        );
        let t = raise(
            &ts,
            &carla,
            &admin,
            json!({"subject": "Password reset", "description": "Locked out."}),
        )
        .await;
        assert_eq!(t["inbox_id"], SUPPORT, "no rule: the default inbox");
        let t = raise(
            &ts,
            &carla,
            &admin,
            json!({"subject": "The site is down", "description": "All of it."}),
        )
        .await;
        assert_eq!(
            (&t["inbox_id"], &t["owner_id"], &t["priority"]),
            (&json!(SUPPORT), &json!(2), &json!("urgent"))
        );
        // What the customer gets back says nothing about routing.
        let own = ts
            .post(
                "/tickets",
                &carla,
                json!({"subject": "invoice again", "description": "x"}),
            )
            .await;
        for key in ["inbox_id", "owner_id", "tags", "stage", "requester_email"] {
            assert!(own.body.get(key).is_none(), "{key} in {}", own.text);
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn round_robin_gives_consecutive_tickets_to_different_agents() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let dan = ts.demo_login(DAN).await;
        let support = ts
            .get("/inboxes", &admin)
            .await
            .body
            .as_array()
            .expect("inboxes")
            .iter()
            .find(|b| b["id"] == SUPPORT)
            .cloned();
        let support = support.expect("support inbox");
        assert_eq!(
            (&support["assignment"], &support["members"]),
            (&json!("round_robin"), &json!([2, 3]))
        );
        let mut owners = Vec::new();
        for n in 0..4 {
            let t = raise(
                &ts,
                &dan,
                &admin,
                json!({"subject": format!("Printer jam {n}"), "description": "Again."}),
            )
            .await;
            assert_eq!(t["inbox_id"], SUPPORT);
            owners.push(t["owner_id"].as_i64().expect("an owner"));
        }
        assert_ne!(owners[0], owners[1]);
        assert_eq!(
            (owners[0], owners[1]),
            (owners[2], owners[3]),
            "turns repeat: {owners:?}"
        );
        assert!(owners.iter().all(|o| [2, 3].contains(o)));
    }
}

both_stores! {
    #[tokio::test]
    async fn agents_at_capacity_are_skipped() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        // Room for exactly one more of Sam's (user 2) open tickets.
        let sam_open = ts
            .all_tickets(&admin)
            .await
            .iter()
            .filter(|t| t["owner_id"] == 2 && t["stage"] != "closed")
            .count();
        let inbox = json!({"name": "Tiny", "kind": "help_desk", "members": [2], "assignment": "round_robin", "capacity": sam_open + 1});
        let tiny = ts.post("/inboxes", &admin, inbox).await;
        assert_eq!(tiny.status, 201, "{}", tiny.text);
        let tiny = tiny.body["id"].as_i64().expect("id");
        let rule = json!({"name": "Tiny things", "position": 0, "match": "all", "conditions": [{"field": "subject", "op": "contains", "value": "tiny"}],
                          "then": {"inbox_id": tiny, "assign": "inbox_method"}});
        let rule = ts.post("/routing-rules", &admin, rule).await;
        assert_eq!(
            (rule.status, &rule.body["position"]),
            (201, &json!(0)),
            "{}",
            rule.text
        );
        let first = raise(
            &ts,
            &carla,
            &admin,
            json!({"subject": "A tiny problem", "description": "x"}),
        )
        .await;
        assert_eq!(
            (&first["inbox_id"], &first["owner_id"]),
            (&json!(tiny), &json!(2))
        );
        let second = raise(
            &ts,
            &carla,
            &admin,
            json!({"subject": "Another tiny problem", "description": "x"}),
        )
        .await;
        assert_eq!(
            (&second["inbox_id"], &second["owner_id"]),
            (&json!(tiny), &Value::Null),
            "everyone is full: unassigned"
        );
        let counts = ts
            .get("/inboxes", &admin)
            .await
            .body
            .as_array()
            .expect("inboxes")
            .iter()
            .find(|b| b["id"] == tiny)
            .cloned();
        let counts = counts.expect("tiny inbox");
        assert_eq!(
            (&counts["open"], &counts["unassigned"]),
            (&json!(2), &json!(1))
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn the_rule_test_reports_rule_inbox_and_owner() {
        let ts = demo_server(20).await;
        let sam = ts.demo_login(SAM).await;
        let test = |body: Value| {
            let ts = &ts;
            let sam = sam.clone();
            async move {
                let a = ts.post("/routing-rules/test", &sam, body).await;
                assert_eq!(a.status, 200, "{}", a.text);
                a.body
            }
        };
        let d = test(json!({"ticket": {"subject": "Your invoice 77"}})).await;
        assert_eq!(
            (&d["rule"]["id"], &d["rule"]["name"], &d["inbox_id"]),
            (&json!(1), &json!("Invoices to Billing"), &json!(BILLING))
        );
        assert!([json!(2), json!(3)].contains(&d["owner_id"]), "{d}");
        let d = test(json!({"ticket": {"subject": "Everything is down"}})).await;
        assert_eq!(
            (&d["rule"]["name"], &d["owner_id"], &d["priority"]),
            (&json!("Urgent outages"), &json!(2), &json!("urgent"))
        );
        let d = test(json!({"ticket": {"subject": "Hello", "company": "Stark Industries"}})).await;
        assert_eq!(
            (&d["rule"], &d["inbox_id"]),
            (&Value::Null, &json!(SUPPORT)),
            "a paused rule never fires"
        );
        let draft = json!({"name": "Hello to Lin", "match": "all", "conditions": [{"field": "subject", "op": "contains", "value": "hello"}],
                           "then": {"inbox_id": BILLING, "assign": {"user_id": 3}, "priority": "low"}});
        let d = test(json!({"ticket": {"subject": "Hello there"}, "rules": [draft]})).await;
        assert_eq!(
            (
                &d["rule"]["name"],
                &d["inbox_id"],
                &d["owner_id"],
                &d["priority"]
            ),
            (
                &json!("Hello to Lin"),
                &json!(BILLING),
                &json!(3),
                &json!("low")
            )
        );
        let bad = json!({"name": "x", "match": "all", "conditions": [], "then": {"inbox_id": 99, "assign": "none"}});
        assert_error(
            &ts.post(
                "/routing-rules/test",
                &sam,
                json!({"ticket": {}, "rules": [bad]}),
            )
            .await,
            400,
        );
        // Testing writes nothing: the saved rules are unchanged and round robin did not move.
        let before = test(json!({"ticket": {"subject": "plain"}})).await;
        let again = test(json!({"ticket": {"subject": "plain"}})).await;
        assert_eq!(before, again);
    }
}
