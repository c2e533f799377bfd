//! `DELETE /domains/{host}`: admins remove a connected domain; the portal's own domain and
//! system domains stay; the sync feed carries the new list. Also `GET /ssh`, the other admin-only
//! portal answer: `null` when the server does not serve SSH.

mod common;

use common::*;
use serde_json::json;

fn hosts(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("domains")
        .iter()
        .map(|d| d["host"].as_str().expect("host").to_string())
        .collect()
}

async fn remove(ts: &TestServer, host: &str, token: Option<&str>) -> Answer {
    ts.call("DELETE", &format!("/domains/{host}"), token, None, &[])
        .await
}

both_stores! {
    #[tokio::test]
    async fn admins_remove_a_domain_unless_the_portal_needs_it() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let agent = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let fresh = json!({"host": "spare.acme.test", "primary_language": "en"});
        assert_eq!(ts.post("/domains", &admin, fresh).await.status, 201);
        let (_, cursor) = ts.sync_all(&admin, "", 500).await;

        for (token, status) in [(Some(&agent), 403), (Some(&carla), 403), (None, 401)] {
            let a = remove(&ts, "spare.acme.test", token.map(String::as_str)).await;
            assert_error(&a, status);
        }
        let a = remove(&ts, "spare.acme.test", Some(&admin)).await;
        assert_eq!(a.status, 204, "{}", a.text);
        assert!(!hosts(&ts.get("/domains", &admin).await.body).contains(&"spare.acme.test".into()));
        let (pages, _) = ts.sync_all(&admin, &cursor, 500).await;
        let listed = pages
            .iter()
            .flat_map(|p| p["changes"].as_array().expect("changes").clone())
            .rfind(|c| c["entity"] == "domains")
            .expect("the feed sends the domain list again");
        assert!(
            !hosts(&listed["data"]).contains(&"spare.acme.test".into()),
            "{listed}"
        );

        let again = remove(&ts, "spare.acme.test", Some(&admin)).await;
        assert_error(&again, 404);
        let own = remove(&ts, "support.deskport.test", Some(&admin)).await;
        assert_eq!(assert_error(&own, 400), "invalid");
        assert!(own.text.contains("served on it"), "{}", own.text);
        let system = remove(&ts, "acme-help.deskport-sites.test", Some(&admin)).await;
        assert_error(&system, 400);
        let list = hosts(&ts.get("/domains", &admin).await.body);
        assert!(
            list.contains(&"support.deskport.test".into()) && list.len() == 3,
            "{list:?}"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn without_ssh_admins_read_null_and_others_are_refused() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let answer = ts.get("/ssh", &admin).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body, json!({"ssh": null}));
        let agent = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        for token in [&agent, &carla] {
            assert_error(&ts.get("/ssh", token).await, 403);
        }
    }
}
