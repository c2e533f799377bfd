//! A ticket's CCs through the API, on both stores: staff copy a colleague of the requester on
//! a ticket (versioned, 422 for anyone else); the CC'd contact then lists, opens, answers and
//! syncs it, "who can see this ticket" names them, and nobody else gains anything; taken off,
//! the ticket leaves their list and feed.

mod common;

use common::*;
use serde_json::{Value, json};

/// `PUT /tickets/{id}/ccs` with `etag` as `If-Match` (none when empty).
async fn put_ccs(ts: &TestServer, token: &str, id: i64, etag: &str, ids: &[i64]) -> Answer {
    let headers: Vec<(&str, &str)> = if etag.is_empty() {
        vec![]
    } else {
        vec![("if-match", etag)]
    };
    ts.call(
        "PUT",
        &format!("/tickets/{id}/ccs"),
        Some(token),
        Some(json!({ "contact_ids": ids })),
        &headers,
    )
    .await
}

async fn etag_of(ts: &TestServer, token: &str, id: i64) -> String {
    ts.get(&format!("/tickets/{id}"), token)
        .await
        .header("etag")
}

async fn listed(ts: &TestServer, token: &str, id: i64) -> Option<Value> {
    ts.all_tickets(token)
        .await
        .into_iter()
        .find(|t| t["id"] == id)
}

/// The ticket changes in the sync pages after `cursor`: `(op, id)`.
async fn feed(ts: &TestServer, token: &str, cursor: &str) -> (Vec<(String, i64)>, String) {
    ts.changes_of(token, cursor, "ticket").await
}

both_stores! {
    #[tokio::test]
    async fn a_cc_d_colleague_sees_answers_and_syncs_the_ticket_and_nobody_else_gains() {
        let ts = demo_server(40).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "contact").await;
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let id = ticket["id"].as_i64().expect("id");
        let carla_id = ticket["contact_id"].as_i64().expect("requester");
        let dan_id = ts.contact(&admin, DAN).await["id"].as_i64().expect("dan");
        let gina_id = ts.contact(&admin, GINA).await["id"].as_i64().expect("gina");
        let (dan, gina) = (ts.demo_login(DAN).await, ts.demo_login(GINA).await);
        assert!(listed(&ts, &dan, id).await.is_none(), "contact mode: not Dan's");
        let (_, dan_cursor) = feed(&ts, &dan, "").await;

        // Versioned like every ticket write, and staff only.
        assert_error(&put_ccs(&ts, &admin, id, "", &[dan_id]).await, 428);
        assert_error(&put_ccs(&ts, &admin, id, "\"999\"", &[dan_id]).await, 412);
        let etag = etag_of(&ts, &admin, id).await;
        assert_error(&put_ccs(&ts, &dan, id, &etag, &[dan_id]).await, 403);
        let put = put_ccs(&ts, &admin, id, &etag, &[dan_id]).await;
        assert_eq!(put.status, 200, "{}", put.text);
        assert_eq!(put.body["ccs"], json!([dan_id]));
        assert_ne!(put.header("etag"), etag, "a new version");

        // Dan lists, opens and answers it; Carla stays the requester.
        let row = listed(&ts, &dan, id).await.expect("listed for the CC");
        assert_eq!(row["own"], false);
        assert_eq!(ts.get(&format!("/tickets/{id}"), &dan).await.status, 200);
        let reply = ts
            .post(&format!("/tickets/{id}/messages"), &dan, json!({"body": "Same here"}))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let after = ts.get(&format!("/tickets/{id}"), &admin).await.body;
        assert_eq!(after["contact_id"], carla_id);
        assert_eq!(after["ccs"], json!([dan_id]));
        let (changes, dan_cursor) = feed(&ts, &dan, &dan_cursor).await;
        assert!(changes.contains(&("upsert".into(), id)), "{changes:?}");

        // "Who can see this ticket?" says why.
        let audience = ts.get(&format!("/tickets/{id}/audience"), &admin).await.body;
        let reasons: Vec<(Value, Value)> = audience["contacts"]
            .as_array()
            .expect("contacts")
            .iter()
            .map(|c| (c["email"].clone(), c["reason"].clone()))
            .collect();
        assert!(reasons.contains(&(json!(DAN), json!("copied"))), "{reasons:?}");
        assert!(reasons.contains(&(json!(CARLA), json!("own_ticket"))), "{reasons:?}");
        assert_eq!(reasons.len(), 2, "{reasons:?}");

        // BOLA: another company's contact, an unknown one or the requester cannot be copied,
        // and the refused write changes nothing.
        for bad in [vec![dan_id, gina_id], vec![999_999], vec![carla_id]] {
            let etag = etag_of(&ts, &admin, id).await;
            let refused = put_ccs(&ts, &admin, id, &etag, &bad).await;
            assert_eq!(assert_error(&refused, 422), "invalid_cc", "{bad:?}");
            assert_eq!(refused.body["error"]["field"], "contact_ids");
            assert!(refused.text.contains("contact"), "{}", refused.text);
            assert_eq!(etag_of(&ts, &admin, id).await, etag, "{bad:?} changed nothing");
        }
        assert!(listed(&ts, &gina, id).await.is_none());
        assert_eq!(ts.get(&format!("/tickets/{id}"), &gina).await.status, 404);

        // Taken off: gone from Dan's list, detail and feed.
        let etag = etag_of(&ts, &admin, id).await;
        let off = put_ccs(&ts, &admin, id, &etag, &[]).await;
        assert_eq!(off.status, 200, "{}", off.text);
        assert_eq!(off.body["ccs"], json!([]));
        assert!(listed(&ts, &dan, id).await.is_none());
        assert_eq!(ts.get(&format!("/tickets/{id}"), &dan).await.status, 404);
        let (changes, _) = feed(&ts, &dan, &dan_cursor).await;
        assert_eq!(changes, vec![("delete".to_string(), id)]);
    }
}

both_stores! {
    #[tokio::test]
    async fn a_cc_changes_no_other_contact_s_list_in_any_mode() {
        let ts = demo_server(40).await;
        let admin = ts.demo_login(ADA).await;
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let id = ticket["id"].as_i64().expect("id");
        let dan_id = ts.contact(&admin, DAN).await["id"].as_i64().expect("dan");
        let others = [CARLA, GINA, SOLO];
        let mut tokens = Vec::new();
        for email in others {
            tokens.push(ts.demo_login(email).await);
        }
        for mode in ["contact", "company", "contact_filter"] {
            ts.set_mode(&admin, mode).await;
            let mut before = Vec::new();
            for token in &tokens {
                before.push(ts.all_tickets(token).await);
            }
            let etag = etag_of(&ts, &admin, id).await;
            assert_eq!(put_ccs(&ts, &admin, id, &etag, &[dan_id]).await.status, 200);
            for ((email, token), was) in others.iter().zip(&tokens).zip(&before) {
                let ids = |items: &[Value]| -> Vec<Value> {
                    items.iter().map(|t| t["id"].clone()).collect()
                };
                assert_eq!(
                    ids(&ts.all_tickets(token).await),
                    ids(was),
                    "[{mode}] {email}'s list moved"
                );
            }
            let etag = etag_of(&ts, &admin, id).await;
            assert_eq!(put_ccs(&ts, &admin, id, &etag, &[]).await.status, 200);
        }
    }
}
