//! The sync feed: pages of at most `limit`, a `delete` when a ticket leaves a customer's
//! scope, a `reset` when the scope itself changes, and 400 for a cursor it never issued.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn ticket_changes(pages: &[Value]) -> Vec<(String, i64)> {
    pages
        .iter()
        .flat_map(|p| p["changes"].as_array().expect("changes").iter())
        .filter(|c| c["entity"] == "ticket")
        .map(|c| {
            (
                c["op"].as_str().expect("op").to_string(),
                c["id"].as_i64().expect("id"),
            )
        })
        .collect()
}

/// An open ticket of `email`.
async fn open_ticket_of(ts: &TestServer, staff: &str, email: &str) -> i64 {
    let id = ts.contact(staff, email).await["id"].clone();
    let t = ts
        .all_tickets(staff)
        .await
        .into_iter()
        .find(|t| t["contact_id"] == id && t["stage"] != "closed");
    t.expect("an open ticket")["id"].as_i64().expect("id")
}

both_stores! {
    #[tokio::test]
    async fn changes_arrive_in_pages_of_at_most_limit() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        let (pages, live) = ts.sync_all(&admin, "", 25).await;
        assert!(pages.len() >= 3, "60 tickets in pages of 25");
        assert_eq!(pages[0]["reset"], true);
        assert!(pages[1..].iter().all(|p| p["reset"] == false));
        let ids: Vec<i64> = ticket_changes(&pages).iter().map(|(_, id)| *id).collect();
        assert_eq!(ids.len(), 60);
        assert_eq!(
            ids.iter().collect::<BTreeSet<_>>().len(),
            60,
            "no ticket twice"
        );
        for p in &pages {
            let tickets = p["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .filter(|c| c["entity"] == "ticket")
                .count();
            assert!(tickets <= 25);
        }

        let sam = ts.demo_login(SAM).await;
        for id in 1..=5 {
            let a = ts
                .post(
                    &format!("/tickets/{id}/messages"),
                    &sam,
                    json!({"body": format!("Update {id}")}),
                )
                .await;
            assert_eq!(a.status, 201);
        }
        let first = ts
            .get(&format!("/sync?limit=2&cursor={live}"), &admin)
            .await;
        assert_eq!(
            (first.status, &first.body["reset"], &first.body["has_more"]),
            (200, &json!(false), &json!(true))
        );
        assert_eq!(
            ticket_changes(std::slice::from_ref(&first.body)),
            [("upsert".to_string(), 1), ("upsert".to_string(), 2)]
        );
        let cursor = first.body["cursor"].as_str().expect("cursor");
        let (rest, end) = ts.sync_all(&admin, cursor, 2).await;
        assert_eq!(
            ticket_changes(&rest)
                .iter()
                .map(|(_, id)| *id)
                .collect::<Vec<_>>(),
            [3, 4, 5]
        );
        let idle = ts.get(&format!("/sync?cursor={end}"), &admin).await;
        assert_eq!(
            (&idle.body["changes"], &idle.body["has_more"]),
            (&json!([]), &json!(false))
        );
        let upserted = &rest[0]["changes"][0]["data"];
        let current = ts.get("/tickets/3", &admin).await.body;
        assert_eq!(
            (&upserted["id"], &upserted["version"]),
            (&json!(3), &current["version"]),
            "the data is the ticket after the change"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn a_ticket_leaving_a_customers_scope_arrives_as_a_delete() {
        let ts = demo_server(120).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        ts.set_mode(&admin, "company").await;
        let view = ts.get("/portal", &admin).await.body["ticket_view"].clone();
        let mut hidden_closed = view.clone();
        hidden_closed["show_closed"] = json!(false);
        ts.set_portal(&admin, json!({"ticket_view": hidden_closed}))
            .await;
        let carla = ts.demo_login(CARLA).await;
        let dan = ts.demo_login(DAN).await;
        let gina = ts.demo_login(GINA).await;
        let (_, carla_at) = ts.sync_all(&carla, "", 1000).await;
        let (_, dan_at) = ts.sync_all(&dan, "", 1000).await;
        let (_, gina_at) = ts.sync_all(&gina, "", 1000).await;

        // Staff close one of Dan's tickets: it leaves Dan's and Carla's lists.
        let id = open_ticket_of(&ts, &admin, DAN).await;
        ts.set_ticket(&sam, id, json!({"stage": "closed"})).await;
        for (token, cursor) in [(&carla, &carla_at), (&dan, &dan_at)] {
            let (pages, _) = ts.sync_all(token, cursor, 1000).await;
            assert_eq!(pages[0]["reset"], false);
            assert_eq!(ticket_changes(&pages), [("delete".to_string(), id)]);
            let delete = &pages[0]["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .find(|c| c["op"] == "delete")
                .cloned()
                .expect("delete");
            assert!(
                delete.get("data").is_none_or(Value::is_null),
                "a delete carries no data: {delete}"
            );
        }
        let (pages, _) = ts.sync_all(&gina, &gina_at, 1000).await;
        assert_eq!(
            ticket_changes(&pages),
            [],
            "Gina never saw it and hears nothing"
        );

        // Reopened, it comes back.
        let (_, carla_at) = ts.sync_all(&carla, &carla_at, 1000).await;
        ts.set_ticket(&sam, id, json!({"stage": "waiting_on_us"}))
            .await;
        let (pages, _) = ts.sync_all(&carla, &carla_at, 1000).await;
        assert_eq!(ticket_changes(&pages), [("upsert".to_string(), id)]);
        let data = &pages[0]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| c["entity"] == "ticket")
            .cloned()
            .expect("upsert")["data"];
        assert_eq!(
            (&data["status_label"], data.get("stage")),
            (&json!("In progress"), None),
            "the customer projection: {data}"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn a_scope_change_resets_the_feed() {
        let ts = demo_server(120).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let carla_id = ts.contact(&admin, CARLA).await["id"].as_i64().expect("id");
        let acme = ts.contact(&admin, CARLA).await["company_id"].clone();
        let (pages, carla_at) = ts.sync_all(&carla, "", 1000).await;
        let own: BTreeSet<i64> = ticket_changes(&pages).iter().map(|(_, id)| *id).collect();
        let (_, admin_at) = ts.sync_all(&admin, "", 1000).await;
        let all = ts.all_tickets(&admin).await;
        let acme_tickets: BTreeSet<i64> = all
            .iter()
            .filter(|t| t["company_id"] == acme)
            .map(|t| t["id"].as_i64().expect("id"))
            .collect();
        let carlas: BTreeSet<i64> = all
            .iter()
            .filter(|t| t["contact_id"] == carla_id)
            .map(|t| t["id"].as_i64().expect("id"))
            .collect();
        assert_eq!(own, carlas);
        assert!(acme_tickets.len() > carlas.len());

        ts.set_mode(&admin, "company").await;
        let (pages, carla_at) = ts.sync_all(&carla, &carla_at, 1000).await;
        assert_eq!(pages[0]["reset"], true, "the permission mode changed");
        let now: BTreeSet<i64> = ticket_changes(&pages).iter().map(|(_, id)| *id).collect();
        assert_eq!(now, acme_tickets);
        assert!(
            pages[0]["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .any(|c| c["entity"] == "portal"),
            "a reset carries the portal"
        );

        // Staff see everything anyway: no reset for them, just the portal's change.
        let (pages, _) = ts.sync_all(&admin, &admin_at, 1000).await;
        assert_eq!(pages[0]["reset"], false);
        assert!(
            pages[0]["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .any(|c| c["entity"] == "portal")
        );

        // Hiding closed tickets changes what the list holds: a reset too.
        let mut view = ts.get("/portal", &admin).await.body["ticket_view"].clone();
        view["show_closed"] = json!(false);
        ts.set_portal(&admin, json!({"ticket_view": view})).await;
        let (pages, _) = ts.sync_all(&carla, &carla_at, 1000).await;
        assert_eq!(pages[0]["reset"], true);
        let open: BTreeSet<i64> = all
            .iter()
            .filter(|t| t["company_id"] == acme && t["stage"] != "closed")
            .map(|t| t["id"].as_i64().expect("id"))
            .collect();
        assert_eq!(
            ticket_changes(&pages)
                .iter()
                .map(|(_, id)| *id)
                .collect::<BTreeSet<_>>(),
            open
        );

        // Someone else's cursor is not a way in: it resets to the caller's own scope.
        let gina = ts.demo_login(GINA).await;
        let (pages, _) = ts.sync_all(&gina, &carla_at, 1000).await;
        assert_eq!(pages[0]["reset"], true);
        assert!(
            ticket_changes(&pages)
                .iter()
                .all(|(_, id)| !acme_tickets.contains(id))
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn cursors_the_server_never_issued_are_refused() {
        let ts = demo_server(20).await;
        let carla = ts.demo_login(CARLA).await;
        for cursor in [
            "garbage",
            "%%%",
            "bC4x",
            "bC4tMS5mZg",
            "cy4xLjIuMy40",
            "l.1.ff",
        ] {
            let a = ts.get(&format!("/sync?cursor={cursor}"), &carla).await;
            assert_eq!(assert_error(&a, 400), "invalid", "{cursor}");
        }
        for query in ["limit=0", "limit=abc", "limit=20000", "since=1"] {
            assert_error(&ts.get(&format!("/sync?{query}"), &carla).await, 400);
        }
        assert_error(&ts.call("GET", "/sync", None, None, &[]).await, 401);
    }
}

both_stores! {
    #[tokio::test]
    async fn a_new_ticket_reaches_its_requester_and_colleagues_only() {
        let ts = demo_server(40).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "company").await;
        let [carla, dan, gina] = [
            ts.demo_login(CARLA).await,
            ts.demo_login(DAN).await,
            ts.demo_login(GINA).await,
        ];
        let mut cursors = Vec::new();
        for token in [&carla, &dan, &gina] {
            cursors.push(ts.sync_all(token, "", 1000).await.1);
        }
        let a = ts
            .post(
                "/tickets",
                &carla,
                json!({"subject": "New laptop will not boot", "description": "Black screen."}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.text);
        let id = a.body["id"].as_i64().expect("id");
        let expected = [
            vec![("upsert".to_string(), id)],
            vec![("upsert".to_string(), id)],
            vec![],
        ];
        for ((token, cursor), want) in [&carla, &dan, &gina]
            .into_iter()
            .zip(&cursors)
            .zip(expected)
        {
            let (pages, _) = ts.sync_all(token, cursor, 1000).await;
            assert_eq!(ticket_changes(&pages), want);
        }
    }
}

/// Reads the event stream until `count` events arrived; returns the raw text.
async fn read_events(resp: reqwest::Response, count: usize) -> String {
    use futures::StreamExt;
    let mut stream = resp.bytes_stream();
    let mut text = String::new();
    while text.matches("event: changed").count() < count {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next()).await;
        let chunk = chunk
            .expect("an event in time")
            .expect("stream open")
            .expect("bytes");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

both_stores! {
    #[tokio::test]
    async fn events_poke_after_a_write_and_carry_no_data() {
        let ts = demo_server(20).await;
        let sam = ts.demo_login(SAM).await;
        let gina = ts.demo_login(GINA).await;
        let resp = ts
            .http
            .get(format!("{}/events", ts.base()))
            .bearer_auth(&gina)
            .send()
            .await
            .expect("stream");
        assert_eq!(resp.status(), 200);
        let reader = tokio::spawn(read_events(resp, 2));
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let own = ts.first_ticket_of(&sam, GINA).await["id"].clone();
        for (body, internal) in [("SECRET-IN-NOTE", true), ("SECRET-IN-REPLY", false)] {
            let a = ts
                .post(
                    &format!("/tickets/{own}/messages"),
                    &sam,
                    json!({"body": body, "internal": internal}),
                )
                .await;
            assert_eq!(a.status, 201);
        }
        let text = reader.await.expect("reader");
        assert!(
            !text.contains("SECRET") && !text.contains("ticket"),
            "a poke carries nothing: {text}"
        );
        for line in text.lines().filter(|l| l.starts_with("data:")) {
            assert_eq!(line.trim(), "data:", "{text}");
        }
    }
}
