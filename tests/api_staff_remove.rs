//! Removing a staff user (`DELETE /users/{id}`, `deskport staff remove`): the account stops
//! being one at once — its sessions and event streams end, sign-in answers exactly as for an
//! unknown address — it leaves the user list, inboxes and rules, its open tickets become
//! unassigned and routing never picks it again, staff clients learn all of it from the sync
//! feed, and its name stays on the tickets and messages it worked on. Only admins remove,
//! never themselves nor the last admin.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::*;
use deskport::server::store::StoreError;
use futures::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;

/// The id of the staff user with `email`, from `GET /users`.
async fn user_id(ts: &TestServer, token: &str, email: &str) -> i64 {
    ts.get("/users", token)
        .await
        .body
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == email)
        .expect("a staff user")["id"]
        .as_i64()
        .expect("id")
}

async fn remove(ts: &TestServer, token: &str, id: i64) -> Answer {
    ts.call("DELETE", &format!("/users/{id}"), Some(token), None, &[])
        .await
}

/// The tickets owned by `owner`, as `staff` lists them.
async fn owned_by(ts: &TestServer, staff: &str, owner: i64) -> Vec<Value> {
    ts.all_tickets(staff)
        .await
        .into_iter()
        .filter(|t| t["owner_id"] == owner)
        .collect()
}

/// The ids of the open tickets owned by `owner`.
async fn open_owned_by(ts: &TestServer, staff: &str, owner: i64) -> Vec<i64> {
    owned_by(ts, staff, owner)
        .await
        .iter()
        .filter(|t| t["stage"] != "closed")
        .map(|t| t["id"].as_i64().expect("id"))
        .collect()
}

async fn sign_in(ts: &TestServer, email: &str, password: &str) -> Answer {
    let body = json!({"email": email, "password": password});
    ts.call("POST", "/auth/login", None, Some(body), &[]).await
}

both_stores! {
    #[tokio::test]
    async fn a_removed_user_can_do_nothing_and_is_gone_from_every_list() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let sam_id = user_id(&ts, &admin, SAM).await;
        let open_before = open_owned_by(&ts, &admin, sam_id).await;
        assert!(!open_before.is_empty(), "the demo gives Sam open tickets");
        let stream = ts
            .http
            .get(format!("{}/events", ts.base()))
            .bearer_auth(&sam)
            .send()
            .await
            .expect("stream");
        assert_eq!(stream.status(), 200);
        let mut stream = stream.bytes_stream();
        stream.next().await.expect("the first poke").expect("bytes");

        let a = remove(&ts, &admin, sam_id).await;
        assert_eq!(a.status, 204, "{}", a.text);

        // The session is gone, and its open event stream closes at once.
        assert_error(&ts.get("/me", &sam).await, 401);
        let rest = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(chunk) = stream.next().await {
                if chunk.is_err() {
                    break;
                }
            }
        })
        .await;
        assert!(rest.is_ok(), "the removed user's event stream stays open");

        // The right password answers exactly like a stranger's address.
        let removed = sign_in(&ts, SAM, DEMO_PASSWORD).await;
        let stranger = sign_in(&ts, "nobody@nowhere.test", DEMO_PASSWORD).await;
        assert_eq!(assert_error(&removed, 401), "unauthorized");
        assert_eq!(removed.body, stranger.body);

        // Gone from the user list and every inbox; no rule assigns to them any more.
        let users = ts.get("/users", &admin).await.body;
        assert!(
            users
                .as_array()
                .expect("users")
                .iter()
                .all(|u| u["id"] != sam_id),
            "{users}"
        );
        let inboxes = ts.get("/inboxes", &admin).await.body;
        for inbox in inboxes.as_array().expect("inboxes") {
            assert!(
                !inbox["members"]
                    .as_array()
                    .expect("members")
                    .contains(&json!(sam_id)),
                "{inbox}"
            );
        }
        let rules = ts.get("/routing-rules", &admin).await.text;
        assert!(!rules.contains(&format!("\"user_id\":{sam_id}")), "{rules}");

        // Open tickets they owned are unassigned; closed ones keep their owner's name, and
        // their messages keep their author's name.
        let still_owned = owned_by(&ts, &admin, sam_id).await;
        assert!(
            still_owned.iter().all(|t| t["stage"] == "closed"),
            "open tickets still owned"
        );
        for id in &open_before {
            let t = ts.get(&format!("/tickets/{id}"), &admin).await.body;
            assert_eq!(t["owner_id"], Value::Null, "{t}");
            assert_eq!(t["updated_by"], "Ada Lovelace", "{t}");
        }
        if let Some(closed) = still_owned.first() {
            assert_eq!(closed["owner_name"], "Sam Carter");
        }
        let authored = ts
            .all_tickets(&admin)
            .await
            .into_iter()
            .map(|t| t["id"].as_i64().expect("id"));
        let mut names = Vec::new();
        for id in authored {
            let detail = ts.get(&format!("/tickets/{id}"), &admin).await.body;
            for m in detail["messages"].as_array().expect("messages") {
                names.push(m["author"]["name"].as_str().expect("name").to_string());
            }
        }
        assert!(names.iter().any(|n| n == "Sam Carter"), "{names:?}");

        // Round robin and least loaded never pick them: every new ticket goes to Lin.
        let lin_id = user_id(&ts, &admin, "lin@deskport.test").await;
        let carla = ts.contact(&admin, CARLA).await["id"].clone();
        // (Support, the default inbox, takes turns; invoices go to Billing, least loaded first.)
        for subject in ["A question", "An invoice"] {
            for i in 0..3 {
                let body = json!({"subject": format!("{subject} {i}"), "description": "x", "contact_id": carla});
                let a = ts.post("/tickets", &admin, body).await;
                assert_eq!(a.status, 201, "{}", a.text);
                assert_eq!(a.body["owner_id"], lin_id, "{}", a.text);
            }
        }
        // A ticket the rule that assigned to them catches is left unassigned.
        let body = json!({"subject": "Site is down", "description": "x", "contact_id": carla});
        let a = ts.post("/tickets", &admin, body).await;
        assert_eq!(a.status, 201, "{}", a.text);
        assert_eq!(a.body["owner_id"], Value::Null, "{}", a.text);
        // Nobody can hand them a ticket.
        let t = open_before[0];
        let etag = ts
            .get(&format!("/tickets/{t}"), &admin)
            .await
            .header("etag");
        let a = ts
            .call(
                "PATCH",
                &format!("/tickets/{t}"),
                Some(&admin),
                Some(json!({"owner_id": sam_id})),
                &[("if-match", &etag)],
            )
            .await;
        assert_error(&a, 400);
    }
}

both_stores! {
    #[tokio::test]
    async fn only_admins_remove_and_never_themselves_nor_the_last_admin() {
        let ts = demo_server(10).await;
        let admin = ts.demo_login(ADA).await;
        let lin = ts.demo_login("lin@deskport.test").await;
        let carla = ts.demo_login(CARLA).await;
        let ada_id = user_id(&ts, &admin, ADA).await;
        let sam_id = user_id(&ts, &admin, SAM).await;

        assert_eq!(
            assert_error(&remove(&ts, &lin, sam_id).await, 403),
            "forbidden"
        );
        assert_eq!(
            assert_error(&remove(&ts, &carla, sam_id).await, 403),
            "forbidden"
        );
        let a = ts
            .call("DELETE", &format!("/users/{sam_id}"), None, None, &[])
            .await;
        assert_error(&a, 401);
        assert_error(&remove(&ts, &admin, 999_999).await, 404);
        let own = assert_error(&remove(&ts, &admin, ada_id).await, 400);
        assert_eq!(own, "cannot_remove_self");

        assert_eq!(remove(&ts, &admin, sam_id).await.status, 204);
        assert_error(&remove(&ts, &admin, sam_id).await, 404);

        // A second admin may remove the first; then the last one stays, whoever asks.
        let hash = deskport::server::security::hash_password_async("a-long-password".into())
            .await
            .expect("hash");
        let bob = ts
            .server
            .store
            .add_user(
                "bob@deskport.test".into(),
                "Bob".into(),
                deskport::domain::Role::Admin,
                hash,
            )
            .await
            .expect("add an admin");
        let bob_token = ts.login("bob@deskport.test", "a-long-password").await;
        assert_eq!(remove(&ts, &bob_token, ada_id).await.status, 204);
        assert_error(&ts.get("/me", &admin).await, 401);
        let last = ts.server.store.remove_user(bob.id, "test".into()).await;
        assert!(matches!(last, Err(StoreError::LastAdmin)), "{last:?}");
        assert_eq!(
            ts.get("/me", &bob_token).await.status,
            200,
            "Bob is still in"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn staff_clients_sync_the_removal_and_customers_see_none_of_it() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        let lin = ts.demo_login("lin@deskport.test").await;
        let sam_id = user_id(&ts, &admin, SAM).await;
        let open = open_owned_by(&ts, &admin, sam_id).await;
        let customer = ts.demo_login(CARLA).await;
        let (_, staff_cursor) = ts.sync_all(&lin, "", 500).await;
        let (_, customer_cursor) = ts.sync_all(&customer, "", 500).await;

        assert_eq!(remove(&ts, &admin, sam_id).await.status, 204);

        let (pages, _) = ts.sync_all(&lin, &staff_cursor, 500).await;
        let changes: Vec<&Value> = pages
            .iter()
            .flat_map(|p| p["changes"].as_array().expect("changes"))
            .collect();
        assert!(
            changes
                .iter()
                .any(|c| c["entity"] == "user" && c["op"] == "delete" && c["id"] == sam_id),
            "no user delete: {changes:?}"
        );
        let inboxes: Vec<&&Value> = changes.iter().filter(|c| c["entity"] == "inbox").collect();
        assert_eq!(inboxes.len(), 2, "both demo inboxes lose Sam: {changes:?}");
        for inbox in inboxes {
            assert_eq!(inbox["data"]["members"], json!([3]), "{inbox}");
        }
        let rule = changes
            .iter()
            .find(|c| c["entity"] == "rule")
            .expect("the rule that assigned to Sam");
        assert_eq!(rule["data"]["then"]["assign"], "none", "{rule}");
        for id in &open {
            let t = changes
                .iter()
                .find(|c| c["entity"] == "ticket" && c["id"] == *id)
                .unwrap_or_else(|| panic!("ticket {id} not in the feed"));
            assert_eq!(t["data"]["owner_id"], Value::Null, "{t}");
        }

        let (pages, _) = ts.sync_all(&customer, &customer_cursor, 500).await;
        let seen: Vec<&Value> = pages
            .iter()
            .flat_map(|p| p["changes"].as_array().expect("changes"))
            .collect();
        assert!(
            seen.is_empty(),
            "a customer's feed shows staff changes: {seen:?}"
        );
    }
}

both_stores! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_signed_in_staff_client_drops_the_removed_user_from_its_pickers() {
        let ts = demo_server(40).await;
        let url = format!("http://{}", ts.server.addr);
        let dir = tempfile::tempdir().expect("tempdir");
        let lin = "lin@deskport.test";
        let client = support::start(dir.path(), support::session(&url, lin).await).await;
        let admin = ts.demo_login(ADA).await;
        let sam_id = user_id(&ts, &admin, SAM).await;
        let open = open_owned_by(&ts, &admin, sam_id).await;
        support::until(&client, "the first sync", |v| {
            v.users.contains_key(&sam_id) && open.iter().all(|t| v.ticket(*t).is_some())
        })
        .await;

        assert_eq!(remove(&ts, &admin, sam_id).await.status, 204);
        support::until(&client, "the removal", |v| {
            !v.users.contains_key(&sam_id)
                && v.inboxes
                    .values()
                    .all(|b| !b.item.members.contains(&sam_id))
                && open
                    .iter()
                    .all(|t| v.ticket(*t).is_some_and(|t| t.owner_id().is_none()))
        })
        .await;
    }
}

/// `deskport staff remove ARGS` run on the side of a running server; its exit status and
/// stdout and stderr together.
fn staff_remove(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(["staff", "remove"])
        .args(args)
        .output()
        .expect("deskport runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn staff_remove_on_the_command_line_removes_beside_a_running_server() {
    let ts = demo_server(20).await;
    let admin = ts.demo_login(ADA).await;
    let sam = ts.demo_login(SAM).await;
    let sam_id = user_id(&ts, &admin, SAM).await;
    let open = open_owned_by(&ts, &admin, sam_id).await;
    assert!(!open.is_empty(), "the demo gives Sam open tickets");
    let data = ts.data_dir();
    let data = data.to_str().expect("utf-8 path");

    let (ok, text) = staff_remove(&["SAM@deskport.test", "--data-dir", data]);
    assert!(ok, "{text}");
    assert!(
        text.contains("removed Sam Carter <sam@deskport.test>"),
        "{text}"
    );
    assert_error(&ts.get("/me", &sam).await, 401);
    assert_error(&sign_in(&ts, SAM, DEMO_PASSWORD).await, 401);
    let users = ts.get("/users", &admin).await.text;
    assert!(!users.contains(SAM), "{users}");
    for t in &open {
        let t = ts.get(&format!("/tickets/{t}"), &admin).await.body;
        assert_eq!(t["owner_id"], Value::Null, "{t}");
        assert_eq!(t["updated_by"], "deskport staff remove", "{t}");
    }

    let (ok, text) = staff_remove(&[SAM, "--data-dir", data]);
    assert!(!ok && text.contains("is not a staff user"), "{text}");
    let (ok, text) = staff_remove(&[ADA, "--data-dir", data]);
    assert!(!ok && text.contains("last admin"), "{text}");
    assert_eq!(ts.get("/me", &admin).await.status, 200);
    let (ok, text) = staff_remove(&["not-an-address", "--data-dir", data]);
    assert!(!ok && text.contains("is not an email address"), "{text}");
    let elsewhere = tempfile::tempdir().expect("dir");
    let typo = elsewhere.path().join("typo");
    let (ok, text) = staff_remove(&[
        "lin@deskport.test",
        "--data-dir",
        typo.to_str().expect("path"),
    ]);
    assert!(!ok && text.contains("no portal in"), "{text}");
    assert!(!typo.exists(), "a mistyped data dir became a portal");
}
