//! Kept list answers (`GET /tickets`) are never stale and never someone else's: after every
//! kind of change the next list shows it, whether the change came through the API (a store
//! write empties the kept answers) or from another connection to the database (the
//! wal-index check). Each test lists once before the change, so the answer is kept, and
//! would see the old page if emptying broke.

mod common;

use common::*;
use serde_json::{Value, json};
use std::time::Duration;

/// The items of `GET /tickets?{params}` as `token` gets them, with the raw body.
async fn list(ts: &TestServer, token: &str, params: &str) -> (Vec<Value>, String) {
    let a = ts.get(&format!("/tickets?{params}"), token).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.header("content-type"), "application/json");
    let items = a.body["items"].as_array().expect("items").clone();
    (items, a.text)
}

/// Lists twice (the second answer is the kept one) and checks they are the same bytes.
async fn kept(ts: &TestServer, token: &str, params: &str) -> Vec<Value> {
    let (items, first) = list(ts, token, params).await;
    let (_, again) = list(ts, token, params).await;
    assert_eq!(first, again, "a kept answer is the answer it replaces");
    items
}

fn ids(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect()
}

fn subject_of(items: &[Value], id: i64) -> Option<String> {
    items
        .iter()
        .find(|t| t["id"] == id)
        .map(|t| t["subject"].as_str().expect("subject").to_string())
}

/// A connection of another "process" to the server's database.
fn outside(ts: &TestServer) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(deskport::server::database_path(&ts.data_dir()))
        .expect("open the database");
    db.busy_timeout(Duration::from_secs(5))
        .expect("busy timeout");
    db
}

/// The admin's and Carla's tokens, the portal in company mode.
async fn company_mode(ts: &TestServer) -> (String, String) {
    let admin = ts.demo_login(ADA).await;
    ts.set_mode(&admin, "company").await;
    (admin, ts.demo_login(CARLA).await)
}

both_stores! {
    #[tokio::test]
    async fn staff_edits_and_new_tickets_show_in_the_next_list() {
        let ts = demo_server(60).await;
        let (admin, carla) = company_mode(&ts).await;
        let before = kept(&ts, &carla, "limit=500").await;
        let id = ids(&before)[0];
        let staff_before = kept(&ts, &admin, "limit=500").await;
        assert!(subject_of(&staff_before, id).is_some());

        ts.set_ticket(&admin, id, json!({"subject": "Renamed by staff"}))
            .await;
        let after = kept(&ts, &carla, "limit=500").await;
        assert_eq!(subject_of(&after, id).as_deref(), Some("Renamed by staff"));
        let staff_after = kept(&ts, &admin, "limit=500").await;
        assert_eq!(
            subject_of(&staff_after, id).as_deref(),
            Some("Renamed by staff")
        );

        let listed_as = |items: &[Value], field: &str| {
            let t = items.iter().find(|t| t["id"] == id).expect("listed");
            t[field].clone()
        };
        let next = if listed_as(&staff_after, "stage") == "waiting_on_contact" {
            "waiting_on_us"
        } else {
            "waiting_on_contact"
        };
        ts.set_ticket(&admin, id, json!({"stage": next})).await;
        let staged = kept(&ts, &carla, "limit=500").await;
        assert_ne!(
            listed_as(&staged, "version"),
            listed_as(&after, "version"),
            "the stage change is listed"
        );
        let staff_staged = kept(&ts, &admin, "limit=500").await;
        assert_eq!(listed_as(&staff_staged, "stage"), next);

        let contact_id = ts.contact(&admin, CARLA).await["id"].clone();
        let created = ts
            .post(
                "/tickets",
                &admin,
                json!({"subject": "Made by staff", "description": "for Carla", "contact_id": contact_id}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let listed = kept(&ts, &carla, "limit=500").await;
        assert_eq!(
            listed[0]["id"], created.body["id"],
            "the new ticket comes first"
        );
        assert_eq!(listed.len(), staged.len() + 1);
    }
}

both_stores! {
    #[tokio::test]
    async fn switching_the_mode_changes_the_next_list() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "contact").await;
        let carla = ts.demo_login(CARLA).await;
        let own = kept(&ts, &carla, "limit=500").await;
        assert!(!own.is_empty());
        assert!(
            own.iter().all(|t| t["own"] == true),
            "contact mode: own only"
        );

        ts.set_mode(&admin, "company").await;
        let company = kept(&ts, &carla, "limit=500").await;
        assert!(
            company.iter().any(|t| t["own"] == false),
            "company mode: colleagues' tickets too"
        );
        assert!(company.len() > own.len());

        ts.set_mode(&admin, "contact").await;
        assert_eq!(kept(&ts, &carla, "limit=500").await, own);
    }
}

both_stores! {
    #[tokio::test]
    async fn two_customers_never_get_each_others_answer() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "contact").await;
        let carla = ts.demo_login(CARLA).await;
        let dan = ts.demo_login(DAN).await;
        let of_carla = ids(&kept(&ts, &carla, "limit=500").await);
        let of_dan = kept(&ts, &dan, "limit=500").await;
        assert!(!of_dan.is_empty());
        assert!(of_dan.iter().all(|t| t["own"] == true));
        assert!(ids(&of_dan).iter().all(|id| !of_carla.contains(id)));
        // The same company's tickets, but each sees which are their own.
        ts.set_mode(&admin, "company").await;
        let carla_sees = kept(&ts, &carla, "limit=500").await;
        let dan_sees = kept(&ts, &dan, "limit=500").await;
        assert_eq!(ids(&carla_sees), ids(&dan_sees));
        let own = |items: &[Value]| -> Vec<i64> {
            ids(&items
                .iter()
                .filter(|t| t["own"] == true)
                .cloned()
                .collect::<Vec<_>>())
        };
        assert_eq!(own(&carla_sees), of_carla);
        assert_eq!(own(&dan_sees), ids(&of_dan));
    }
}

both_stores! {
    #[tokio::test]
    async fn other_parameters_are_other_answers() {
        let ts = demo_server(60).await;
        let (admin, carla) = company_mode(&ts).await;
        let all = ids(&kept(&ts, &carla, "limit=500").await);
        assert!(all.len() > 3, "enough tickets to page");
        assert_eq!(ids(&kept(&ts, &carla, "limit=2").await), all[..2]);
        assert_eq!(ids(&kept(&ts, &carla, "limit=3").await), all[..3]);
        let after = format!("limit=2&cursor={}", all[1]);
        assert_eq!(ids(&kept(&ts, &carla, &after).await), all[2..4]);
        // A cursor above every id gives the first page, the same bytes as without one.
        let (_, plain) = list(&ts, &carla, "limit=2").await;
        let (_, above) = list(&ts, &carla, "limit=2&cursor=10000000000").await;
        assert_eq!(plain, above);

        let every = kept(&ts, &carla, "limit=500").await;
        let word = every[0]["subject"]
            .as_str()
            .expect("subject")
            .split_whitespace()
            .max_by_key(|w| w.len())
            .expect("a word")
            .to_lowercase();
        let found = kept(&ts, &carla, &format!("limit=500&q={word}")).await;
        assert!(!found.is_empty());
        assert!(found.len() < every.len(), "{word} narrows the list");
        assert!(
            kept(&ts, &carla, "limit=500&q=zzzznothing")
                .await
                .is_empty()
        );
        // The staff's filters are part of the key too.
        let mine = kept(&ts, &admin, "limit=500&owner=me").await;
        let sam = ts.demo_login(SAM).await;
        let sams = kept(&ts, &sam, "limit=500&owner=me").await;
        assert!(mine.iter().all(|t| t["owner_id"] == 1));
        assert!(sams.iter().all(|t| t["owner_id"] == 2));
    }
}

#[tokio::test]
async fn a_commit_by_another_process_is_seen_on_the_next_request() {
    let ts = demo_server(60).await;
    let (_, carla) = company_mode(&ts).await;
    let before = kept(&ts, &carla, "limit=500").await;
    let id = ids(&before)[0];
    let db = outside(&ts);

    db.execute(
        "UPDATE tickets SET subject = 'Changed outside' WHERE id = ?1",
        [id],
    )
    .expect("update");
    let after = kept(&ts, &carla, "limit=500").await;
    assert_eq!(subject_of(&after, id).as_deref(), Some("Changed outside"));

    // Carla moves to Globex: her session, and so her list, follow.
    let acme = ids(&after);
    db.execute(
        "UPDATE contacts SET company_id = 2 WHERE email = ?1",
        [CARLA],
    )
    .expect("move");
    let moved = kept(&ts, &carla, "limit=500").await;
    let gina = ts.demo_login(GINA).await;
    let of_globex = ids(&kept(&ts, &gina, "limit=500").await);
    let moved_ids = ids(&moved);
    assert!(of_globex.iter().all(|id| moved_ids.contains(id)));
    assert!(moved_ids.iter().any(|id| !acme.contains(id)));
    assert!(
        moved
            .iter()
            .filter(|t| t["own"] == false)
            .all(|t| of_globex.contains(&t["id"].as_i64().expect("id"))),
        "no Acme colleague's ticket any more"
    );
}

#[tokio::test]
async fn a_property_change_from_outside_is_seen_on_the_next_request() {
    let ts = demo_server(60).await;
    let admin = ts.demo_login(ADA).await;
    ts.set_mode(&admin, "contact_filter").await;
    let carla = ts.demo_login(CARLA).await;
    let gold = kept(&ts, &carla, "limit=500").await;
    assert!(
        gold.iter().any(|t| t["own"] == false),
        "a gold contact sees the company"
    );
    outside(&ts)
        .execute(
            r#"UPDATE contacts SET properties = '{"country":"US","plan":"standard"}' WHERE email = ?1"#,
            [CARLA],
        )
        .expect("update");
    let standard = kept(&ts, &carla, "limit=500").await;
    assert!(!standard.is_empty());
    assert!(
        standard.iter().all(|t| t["own"] == true),
        "a standard contact sees only their own"
    );
}
