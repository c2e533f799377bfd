//! The admin views over the visibility rule: "view as contact" must give exactly what the
//! contact gets from `GET /tickets`, and "who can see this ticket?" must name exactly the
//! contacts the rule lets in, with the right reason, in every permission mode.

mod common;

use common::*;
use serde_json::{Value, json};

fn ids(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect()
}

async fn audience(ts: &TestServer, token: &str, ticket: i64) -> Vec<(String, String)> {
    let a = ts.get(&format!("/tickets/{ticket}/audience"), token).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["ticket_id"], ticket);
    a.body["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| {
            (
                c["email"].as_str().expect("email").to_string(),
                c["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect()
}

both_stores! {
    #[tokio::test]
    async fn view_as_contact_is_what_the_contact_gets_in_every_mode() {
        let ts = demo_server(300).await;
        let admin = ts.demo_login(ADA).await;
        for mode in ["contact", "company", "contact_filter"] {
            ts.set_mode(&admin, mode).await;
            for email in [CARLA, DAN] {
                let own = ts.demo_login(email).await;
                let theirs = ts.all_tickets(&own).await;
                let id = ts.contact(&admin, email).await["id"].as_i64().expect("id");
                let a = ts
                    .get(&format!("/contacts/{id}/tickets?limit=500"), &admin)
                    .await;
                assert_eq!(a.status, 200, "{}", a.text);
                let seen = a.body["items"].as_array().expect("items").clone();
                assert!(!seen.is_empty(), "{email} in {mode} sees nothing");
                assert_eq!(ids(&seen), ids(&theirs), "{email} in {mode}");
                assert_eq!(
                    seen, theirs,
                    "{email} in {mode}: same shape as the contact's own"
                );
            }
        }
        // Carla (gold) sees more than Dan (standard) only where the filter lets her.
        let carla = ts.contact(&admin, CARLA).await["id"].as_i64().expect("id");
        let count = |b: &Value| b["items"].as_array().map_or(0, Vec::len);
        ts.set_mode(&admin, "contact").await;
        let own_only = ts
            .get(&format!("/contacts/{carla}/tickets?limit=500"), &admin)
            .await;
        ts.set_mode(&admin, "contact_filter").await;
        let filtered = ts
            .get(&format!("/contacts/{carla}/tickets?limit=500"), &admin)
            .await;
        assert!(count(&filtered.body) > count(&own_only.body));
    }
}

both_stores! {
    #[tokio::test]
    async fn view_as_contact_pages_and_hides_closed_like_the_list() {
        let ts = demo_server(300).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "company").await;
        let mut view = ts.get("/portal", &admin).await.body["ticket_view"].clone();
        view["show_closed"] = json!(false);
        ts.set_portal(&admin, json!({"ticket_view": view})).await;
        let carla = ts.contact(&admin, CARLA).await["id"].as_i64().expect("id");
        let mut paged = Vec::new();
        let mut cursor = String::new();
        loop {
            let a = ts
                .get(
                    &format!("/contacts/{carla}/tickets?limit=7&cursor={cursor}"),
                    &admin,
                )
                .await;
            assert_eq!(a.status, 200, "{}", a.text);
            paged.extend(a.body["items"].as_array().expect("items").clone());
            match a.body["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert!(
            paged.iter().all(|t| t["closed"] == false),
            "closed tickets are hidden"
        );
        let own = ts.demo_login(CARLA).await;
        assert_eq!(ids(&paged), ids(&ts.all_tickets(&own).await));
    }
}

both_stores! {
    #[tokio::test]
    async fn the_audience_follows_the_mode_with_reasons() {
        let ts = demo_server(300).await;
        let admin = ts.demo_login(ADA).await;
        let ticket = ts.first_ticket_of(&admin, DAN).await["id"]
            .as_i64()
            .expect("id");

        ts.set_mode(&admin, "contact").await;
        assert_eq!(
            audience(&ts, &admin, ticket).await,
            vec![(DAN.to_string(), "own_ticket".to_string())]
        );

        ts.set_mode(&admin, "company").await;
        let all = audience(&ts, &admin, ticket).await;
        assert!(all.contains(&(DAN.to_string(), "own_ticket".to_string())));
        assert!(all.contains(&(CARLA.to_string(), "company_mode".to_string())));
        assert!(
            all.iter().all(|(e, _)| e.ends_with("@acme.test")),
            "{all:?}"
        );

        ts.set_mode(&admin, "contact_filter").await;
        let filtered = audience(&ts, &admin, ticket).await;
        assert!(filtered.contains(&(DAN.to_string(), "own_ticket".to_string())));
        assert!(filtered.contains(&(CARLA.to_string(), "filter_match".to_string())));
        assert!(filtered.len() < all.len(), "{filtered:?} vs {all:?}");

        // Every contact the audience names really can read the ticket, and the others cannot.
        for email in [CARLA, DAN, GINA] {
            let token = ts.demo_login(email).await;
            let status = ts.get(&format!("/tickets/{ticket}"), &token).await.status;
            let named = filtered.iter().any(|(e, _)| e == email);
            assert_eq!(status == 200, named, "{email}: status {status}");
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn only_staff_ask_who_can_see_and_only_admins_view_as_contact() {
        let ts = demo_server(50).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let ticket = ts.first_ticket_of(&admin, CARLA).await["id"]
            .as_i64()
            .expect("id");
        let carla_id = ts.contact(&admin, CARLA).await["id"].as_i64().expect("id");

        assert_eq!(
            ts.get(&format!("/tickets/{ticket}/audience"), &sam)
                .await
                .status,
            200
        );
        assert_error(
            &ts.get(&format!("/tickets/{ticket}/audience"), &carla).await,
            403,
        );
        assert_error(
            &ts.get(&format!("/contacts/{carla_id}/tickets"), &sam).await,
            403,
        );
        assert_error(
            &ts.get(&format!("/contacts/{carla_id}/tickets"), &carla)
                .await,
            403,
        );
        assert_error(&ts.get("/contacts/999999/tickets", &admin).await, 404);
        assert_error(&ts.get("/tickets/999999/audience", &admin).await, 404);
        assert_error(
            &ts.get(&format!("/contacts/{carla_id}/tickets?limit=0"), &admin)
                .await,
            400,
        );
        assert_error(
            &ts.get(&format!("/contacts/{carla_id}/tickets?cursor=x"), &admin)
                .await,
            400,
        );
    }
}
