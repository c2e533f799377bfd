//! What customers must never receive: internal notes (in details and in the sync feed) and
//! other people's email addresses (anywhere in any response body, searched as raw text).

mod common;

use common::*;
use serde_json::{Value, json};

/// Raw texts of everything a customer can read: account, settings, list, every visible
/// detail and the whole sync feed.
async fn everything_for(ts: &TestServer, token: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in ["/me", "/portal"] {
        out.push((path.to_string(), ts.get(path, token).await.text));
    }
    let tickets = ts.all_tickets(token).await;
    out.push((
        "/tickets".into(),
        serde_json::to_string(&tickets).expect("json"),
    ));
    for t in &tickets {
        let path = format!("/tickets/{}", t["id"]);
        let a = ts.get(&path, token).await;
        assert_eq!(a.status, 200, "{path}: {}", a.text);
        out.push((path, a.text));
    }
    let (pages, _) = ts.sync_all(token, "", 100).await;
    out.push(("/sync".into(), serde_json::to_string(&pages).expect("json")));
    out
}

both_stores! {
    #[tokio::test]
    async fn internal_notes_never_reach_a_customer() {
        let ts = demo_server(300).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        ts.set_mode(&admin, "company").await;
        let carla = ts.demo_login(CARLA).await;
        let (_, live) = ts.sync_all(&carla, "", 1000).await;

        let dan_id = ts.contact(&admin, DAN).await["id"].clone();
        let dans = ts
            .all_tickets(&admin)
            .await
            .into_iter()
            .find(|t| t["contact_id"] == dan_id)
            .expect("a ticket of Dan");
        let id = dans["id"].as_i64().expect("id");
        let secret = "SECRET-NOTE-7f3a: the customer is on a watch list";
        let a = ts
            .post(
                &format!("/tickets/{id}/messages"),
                &sam,
                json!({"body": secret, "internal": true}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.text);
        let note_id = a.body["id"].as_i64().expect("note id");

        // Staff see the note; Carla, Dan's colleague, sees the ticket but not the note.
        let staff_view = ts.get(&format!("/tickets/{id}"), &sam).await;
        assert!(staff_view.text.contains(secret));
        let detail = ts.get(&format!("/tickets/{id}"), &carla).await;
        assert_eq!(detail.status, 200);
        assert!(!detail.text.contains(secret));
        assert!(
            detail.body["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .all(|m| m["id"] != note_id && m["internal"] == false)
        );
        let (pages, _) = ts.sync_all(&carla, &live, 1000).await;
        let feed = serde_json::to_string(&pages).expect("json");
        assert!(
            !feed.contains(secret) && !feed.contains("\"internal\":true"),
            "{feed}"
        );

        // Across every ticket Carla can see, the thread is the staff thread minus internal notes.
        let mut notes_seen = 0;
        for (path, text) in everything_for(&ts, &carla).await {
            assert!(!text.contains("\"internal\":true"), "{path}: {text}");
            if !path.starts_with("/tickets/") {
                continue;
            }
            let staff: Value = ts.get(&path, &admin).await.body;
            let mine: Value = serde_json::from_str(&text).expect("json");
            let public: Vec<&Value> = staff["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .filter(|m| m["internal"] == false)
                .collect();
            let shown: Vec<&Value> = mine["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .collect();
            let text_of = |m: &&Value| (m["body"].clone(), m["created_at"].clone());
            assert_eq!(
                shown.iter().map(text_of).collect::<Vec<_>>(),
                public.iter().map(text_of).collect::<Vec<_>>(),
                "{path}"
            );
            // Numbered 1, 2, … among what the customer sees: no gap where a note is.
            assert_eq!(
                shown.iter().map(|m| m["id"].as_i64()).collect::<Vec<_>>(),
                (1..=shown.len() as i64).map(Some).collect::<Vec<_>>(),
                "{path}"
            );
            for note in staff["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .filter(|m| m["internal"] == true)
            {
                notes_seen += 1;
                let body = note["body"].as_str().expect("body");
                if !public.iter().any(|m| m["body"] == body) {
                    assert!(
                        !text.contains(body),
                        "{path} shows the internal note {body:?}"
                    );
                }
            }
        }
        assert!(
            notes_seen > 1,
            "the demo tickets Carla sees should carry internal notes"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn a_customer_never_sees_another_contacts_email() {
        let ts = demo_server(300).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "company").await;
        let mut emails: Vec<String> = Vec::new();
        for list in ["/contacts", "/users"] {
            for p in ts.get(list, &admin).await.body.as_array().expect("list") {
                emails.push(p["email"].as_str().expect("email").to_string());
            }
        }
        assert!(emails.len() > 20);
        for who in [CARLA, DAN, GINA, SOLO] {
            let token = ts.demo_login(who).await;
            let mut texts = everything_for(&ts, &token).await;
            let created = ts
                .post(
                    "/tickets",
                    &token,
                    json!({"subject": "Where is my order?", "description": "Please check."}),
                )
                .await;
            assert_eq!(created.status, 201, "{}", created.text);
            let id = created.body["id"].as_i64().expect("id");
            let reply = ts
                .post(
                    &format!("/tickets/{id}/messages"),
                    &token,
                    json!({"body": "Any news?"}),
                )
                .await;
            let etag = ts
                .get(&format!("/tickets/{id}"), &token)
                .await
                .header("etag");
            let closed = ts
                .call(
                    "PATCH",
                    &format!("/tickets/{id}"),
                    Some(&token),
                    Some(json!({"closed": true})),
                    &[("if-match", &etag)],
                )
                .await;
            assert_eq!(closed.status, 200, "{}", closed.text);
            texts.extend([
                ("POST /tickets".into(), created.text),
                ("POST messages".into(), reply.text),
                ("PATCH".into(), closed.text),
            ]);
            for (path, text) in texts {
                for email in emails.iter().filter(|e| e.as_str() != who) {
                    assert!(
                        !text.contains(email.as_str()),
                        "{who} sees {email} in {path}"
                    );
                }
            }
        }
    }
}

/// The only keys a customer's ticket may carry: no stage, owner, inbox, tags or emails
/// (`updated_by` names who made the last change the customer could see, as their thread
/// names a reply's author).
const CUSTOMER_KEYS: [&str; 14] = [
    "id",
    "subject",
    "description",
    "status_label",
    "closed",
    "priority",
    "requester_name",
    "own",
    "form_fields",
    "created_at",
    "updated_at",
    "closed_at",
    "version",
    "updated_by",
];

#[track_caller]
fn assert_customer_ticket(t: &Value, at: &str) {
    let keys = t
        .as_object()
        .unwrap_or_else(|| panic!("{at}: not an object: {t}"))
        .keys();
    for key in keys.filter(|k| *k != "messages") {
        assert!(
            CUSTOMER_KEYS.contains(&key.as_str()),
            "{at}: a customer gets `{key}`: {t}"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn customers_get_only_the_customer_projection() {
        let ts = demo_server(60).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_mode(&admin, "company").await;
        let dan = ts.demo_login(DAN).await;
        let list = ts.all_tickets(&dan).await;
        assert!(
            list.iter().any(|t| t["own"] == false),
            "company mode shows colleagues' tickets"
        );
        for t in &list {
            assert_customer_ticket(t, "/tickets");
            let detail = ts.get(&format!("/tickets/{}", t["id"]), &dan).await.body;
            assert_customer_ticket(&detail, "/tickets/{id}");
            for m in detail["messages"].as_array().expect("messages") {
                let keys: Vec<&String> = m.as_object().expect("message").keys().collect();
                // How a message came (portal or email) is theirs to see; its sender's address,
                // its Cc and the mail server's answers are not.
                assert_eq!(
                    keys,
                    ["author", "body", "channel", "created_at", "id", "internal"],
                    "{m}"
                );
                assert_eq!(
                    m["author"].as_object().expect("author").len(),
                    2,
                    "kind and name only: {m}"
                );
            }
        }
        let (pages, _) = ts.sync_all(&dan, "", 1000).await;
        for change in pages
            .iter()
            .flat_map(|p| p["changes"].as_array().expect("changes"))
        {
            match change["entity"].as_str() {
                Some("ticket") => assert_customer_ticket(&change["data"], "/sync"),
                Some("portal") => assert!(
                    change["data"].get("ticket_permission").is_none(),
                    "the public part only"
                ),
                other => panic!("a customer's feed carries {other:?}"),
            }
        }
        let created = ts
            .post(
                "/tickets",
                &dan,
                json!({"subject": "Keys", "description": "Which ones?"}),
            )
            .await;
        assert_customer_ticket(&created.body, "POST /tickets");
    }
}

// In company mode a colleague sees the ticket but not its private answers (the demo form's
// phone field is private by default): not in the detail, the list or the sync feed, neither
// in a snapshot nor as a live change. The requester and staff see them; once the admin makes
// the field public, the colleague's feed starts over and shows it.
both_stores! {
    #[tokio::test]
    async fn private_form_answers_reach_only_the_requester_and_staff() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        ts.set_mode(&admin, "company").await;
        let carla = ts.demo_login(CARLA).await;
        let dan = ts.demo_login(DAN).await;
        let (_, carla_live) = ts.sync_all(&carla, "", 1000).await;

        let phone = "+1 555 0199 (PRIVATE-4e1d)";
        let created = ts
            .post(
                "/tickets",
                &dan,
                json!({"subject": "Call me back", "description": "About my invoice.",
                       "form_fields": {"contact_phone": phone, "order_number": "INV-0042"}}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.body["id"].as_i64().expect("id");
        let path = format!("/tickets/{id}");
        assert_eq!(created.body["form_fields"]["contact_phone"], phone);

        for (who, token) in [("Dan, the requester", &dan), ("Sam, an agent", &sam)] {
            let detail = ts.get(&path, token).await;
            assert_eq!(detail.body["form_fields"]["contact_phone"], phone, "{who}");
        }

        // Carla, Dan's colleague: the ticket and its public answer, never the phone number.
        let detail = ts.get(&path, &carla).await;
        assert_eq!(detail.status, 200, "{}", detail.text);
        assert_eq!(detail.body["form_fields"]["order_number"], "INV-0042");
        assert!(detail.body["form_fields"].get("contact_phone").is_none());
        let (live, _) = ts.sync_all(&carla, &carla_live, 1000).await;
        let live = serde_json::to_string(&live).expect("json");
        assert!(
            live.contains("INV-0042"),
            "the live feed carries the ticket: {live}"
        );
        let everything = everything_for(&ts, &carla).await;
        let listed = &everything
            .iter()
            .find(|(p, _)| p == "/tickets")
            .expect("list")
            .1;
        assert!(listed.contains("INV-0042"), "the list carries the ticket");
        for (what, text) in everything
            .iter()
            .chain([("/sync live".to_string(), live)].iter())
        {
            assert!(
                !text.contains("PRIVATE-4e1d"),
                "{what} shows Dan's phone to Carla"
            );
        }

        // The admin makes the field public: Carla's feed is rebuilt and now carries it.
        let mut form = ts.get("/portal", &admin).await.body["support_form"].clone();
        for f in form["fields"].as_array_mut().expect("fields") {
            assert_eq!(f["private"], f["key"] == "contact_phone", "{f}");
            f["private"] = json!(false);
        }
        ts.set_portal(&admin, json!({"support_form": form})).await;
        let page = ts.get(&format!("/sync?cursor={carla_live}"), &carla).await;
        assert_eq!(page.body["reset"], true, "{}", page.text);
        assert_eq!(
            ts.get(&path, &carla).await.body["form_fields"]["contact_phone"],
            phone
        );
    }
}
