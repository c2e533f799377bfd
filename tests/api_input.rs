//! Bad input: malformed and oversized bodies, unknown fields (no mass assignment) and invalid
//! values. Every refusal has the JSON error shape; nothing answers 500.

mod common;

use common::*;
use serde_json::json;

const JSON: &str = "application/json";

/// POSTed bodies that must be refused: path, body, content type, status.
#[rustfmt::skip]
const BAD_BODIES: [(&str, &[u8], &str, u16); 9] = [
    ("/tickets", b"{\"subject\":", JSON, 400),
    ("/tickets", b"not json at all", JSON, 400),
    ("/tickets", b"[1, 2, 3]", JSON, 400),
    ("/tickets", b"{\"subject\": 5, \"description\": \"x\"}", JSON, 400),
    ("/tickets", b"{\"subject\": \"s\", \"description\": \"d\"}", "text/plain", 415),
    ("/tickets/1/messages", b"{\"body\": \"hi\", \"bogus\": 1}", JSON, 400),
    ("/tickets/1/messages", b"{}", JSON, 400),
    ("/tickets/1/messages", &[0xff, 0xfe, 0x00], JSON, 400),
    ("/auth/login", b"{\"email\": \"a@b.test\"}", JSON, 400),
];

both_stores! {
    #[tokio::test]
    async fn malformed_oversized_and_mistyped_bodies_are_refused() {
        let ts = demo_server(50).await;
        let carla = ts.demo_login(CARLA).await;
        for (path, body, content_type, want) in BAD_BODIES {
            let a = ts
                .call_raw(
                    "POST",
                    path,
                    Some(&carla),
                    Some(body.to_vec()),
                    &[("content-type", content_type)],
                )
                .await;
            assert_error(&a, want);
        }
        let json_type = [("content-type", "application/json")];
        let huge =
            serde_json::to_vec(&json!({"subject": "Big", "description": "x".repeat(1024 * 1024 + 10)}))
                .expect("json");
        for headers in [
            &json_type[..],
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "big-1"),
            ][..],
        ] {
            let a = ts
                .call_raw(
                    "POST",
                    "/tickets",
                    Some(&carla),
                    Some(huge.clone()),
                    headers,
                )
                .await;
            assert_eq!(assert_error(&a, 413), "too_large");
        }
        for path in [
            "/tickets?limit=abc",
            "/tickets?limit=0",
            "/tickets?limit=100000",
            "/tickets?bogus=1",
            "/tickets/abc",
            "/tickets?cursor=zz",
        ] {
            assert_error(&ts.get(path, &carla).await, 400);
        }
        assert_error(
            &ts.call("DELETE", "/portal", Some(&carla), None, &[]).await,
            405,
        );
        assert_error(&ts.get("/no-such-thing", &carla).await, 404);
        assert_error(
            &ts.call_raw("GET", "/../../etc/passwd", None, None, &[])
                .await,
            404,
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn customers_cannot_mass_assign_and_unknown_fields_are_refused() {
        let ts = demo_server(50).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let base = json!({"subject": "Printer on fire", "description": "Again."});
        for (key, value) in [
            ("owner_id", json!(2)),
            ("priority", json!("urgent")),
            ("stage", json!("closed")),
            ("company_id", json!(2)),
            ("inbox_id", json!(2)),
            ("contact_id", json!(3)),
            ("tags", json!(["vip"])),
        ] {
            let mut body = base.clone();
            body[key] = value;
            let a = ts.post("/tickets", &carla, body).await;
            assert_error(&a, 400);
            assert!(a.text.contains(key), "the message names {key}: {}", a.text);
        }
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let id = ticket["id"].as_i64().expect("id");
        let path = format!("/tickets/{id}");
        let etag = ts.get(&path, &carla).await.header("etag");
        for body in [
            json!({"stage": "closed"}),
            json!({"closed": true, "priority": "urgent"}),
            json!({"owner_id": 2}),
            json!({}),
            json!({"closed": "yes"}),
        ] {
            let a = ts
                .call(
                    "PATCH",
                    &path,
                    Some(&carla),
                    Some(body),
                    &[("if-match", &etag)],
                )
                .await;
            assert_error(&a, 400);
        }
        assert_eq!(
            ts.get(&path, &admin).await.body["version"],
            ticket["version"],
            "refused patches change nothing"
        );
        for body in [
            json!({"bogus": 1}),
            json!({"ticket_permission": {"mode": "company", "extra": true}}),
            json!({"ticket_permission": {"mode": "everyone"}}),
            json!({"access": {"mode": "invite_only"}}),
        ] {
            assert_error(&ts.patch_portal(&admin, body).await, 400);
        }
        let a = ts
            .post(
                "/inboxes",
                &admin,
                json!({"name": "X", "kind": "inbox", "assignment": "manual", "secret": 1}),
            )
            .await;
        assert_error(&a, 400);
        let a = ts
            .post(
                "/routing-rules/test",
                &admin,
                json!({"ticket": {"subject": "x", "owner": 1}}),
            )
            .await;
        assert_error(&a, 400);
    }
}

both_stores! {
    #[tokio::test]
    async fn invalid_values_are_refused_with_the_field() {
        let ts = demo_server(50).await;
        let admin = ts.demo_login(ADA).await;
        let cases = [
            (json!({"slug": "Bad Slug"}), "slug"),
            (json!({"slug": "-help"}), "slug"),
            (json!({"slug": "help-"}), "slug"),
            (json!({"slug": ""}), "slug"),
            (json!({"domain": "not-connected.test"}), "domain"),
            (json!({"name": "  "}), "name"),
            (
                json!({"access": {"mode": "invite_only", "passwordless": false, "idle_timeout_minutes": 30}}),
                "access.idle_timeout_minutes",
            ),
            (
                json!({"ticket_permission": {"mode": "contact_filter", "filter": []}}),
                "ticket_permission.filter",
            ),
            (json!({"default_inbox_id": 999}), "default_inbox_id"),
        ];
        for (patch, field) in cases {
            let a = ts.patch_portal(&admin, patch.clone()).await;
            assert_error(&a, 400);
            assert_eq!(a.body["error"]["field"], field, "{patch}: {}", a.text);
        }
        for host in [
            "not a host",
            "UPPER.test",
            "nodot",
            "-bad.test",
            "a..b.test",
        ] {
            let a = ts
                .post(
                    "/domains",
                    &admin,
                    json!({"host": host, "primary_language": "en"}),
                )
                .await;
            assert_error(&a, 400);
        }
        assert_error(
            &ts.post(
                "/domains",
                &admin,
                json!({"host": "ok.example.test", "primary_language": "english!"}),
            )
            .await,
            400,
        );
        let vendor = ts
            .post(
                "/domains",
                &admin,
                json!({"host": "vendor.example.test", "primary_language": "en", "system": true}),
            )
            .await;
        assert_eq!(
            (assert_error(&vendor, 400), &vendor.body["error"]["field"]),
            ("invalid".into(), &json!("system"))
        );
        assert_eq!(
            ts.post(
                "/domains",
                &admin,
                json!({"host": "ok.example.test", "primary_language": "en"})
            )
            .await
            .status,
            201
        );
        assert_error(
            &ts.post(
                "/domains",
                &admin,
                json!({"host": "ok.example.test", "primary_language": "en"}),
            )
            .await,
            409,
        );
        for email in ["nope", "a@b", "a b@c.test", "@acme.test"] {
            assert_error(
                &ts.call(
                    "POST",
                    "/auth/code",
                    None,
                    Some(json!({"email": email})),
                    &[],
                )
                .await,
                400,
            );
            assert_error(
                &ts.call(
                    "POST",
                    "/auth/register",
                    None,
                    Some(json!({"email": email})),
                    &[],
                )
                .await,
                400,
            );
            assert_error(
                &ts.call(
                    "POST",
                    "/auth/login",
                    None,
                    Some(json!({"email": email, "password": "x"})),
                    &[],
                )
                .await,
                401,
            );
        }
        let staff_ticket = json!({"subject": "x", "description": "y", "contact_id": 99999});
        assert_eq!(
            ts.post("/tickets", &admin, staff_ticket).await.body["error"]["field"],
            "contact_id"
        );
        let a = ts
            .post(
                "/tickets",
                &admin,
                json!({"subject": "x\ny", "description": "y", "contact_id": 1}),
            )
            .await;
        assert_error(&a, 400);
        let a = ts
            .post("/tickets/bulk", &admin, json!({"ids": [], "patch": {}}))
            .await;
        assert_error(&a, 400);
        let portal = ts.get("/portal", &admin).await.body;
        assert_eq!(
            (portal["slug"].as_str(), portal["configured"].as_bool()),
            (Some("help"), Some(true)),
            "nothing changed"
        );
    }
}

/// An error answer never repeats a large input: 720 KB of unknown support-form keys, or one
/// huge unknown field name (for a customer and for staff), earn a 400 of under 2 KB that
/// still names the first thing at fault.
both_stores! {
    #[tokio::test]
    async fn error_answers_stay_small_whatever_the_input() {
        let ts = demo_server(0).await;
        let carla = ts.demo_login(CARLA).await;
        let admin = ts.demo_login(ADA).await;
        let unknown: serde_json::Map<String, serde_json::Value> = (0..30_000)
            .map(|i| (format!("unknown_key_{i:08}"), json!("x")))
            .collect();
        let body = json!({"subject": "Hi", "description": "d", "form_fields": unknown});
        assert!(serde_json::to_vec(&body).expect("json").len() > 720 * 1024);
        let a = ts.post("/tickets", &carla, body).await;
        assert_error(&a, 400);
        assert!(
            a.text.len() < 2048,
            "{} bytes: {}",
            a.text.len(),
            &a.text[..300]
        );
        assert_eq!(a.body["error"]["field"], "form_fields.unknown_key_00000000");
        assert!(
            a.body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("29999 other keys")),
            "{}",
            a.text
        );

        let name = "n".repeat(700 * 1024);
        for token in [&carla, &admin] {
            let mut huge = json!({"subject": "Hi", "description": "d", "contact_id": 1});
            huge[name.as_str()] = json!(1);
            let a = ts.post("/tickets", token, huge).await;
            assert_error(&a, 400);
            assert!(a.text.len() < 2048, "{} bytes", a.text.len());
        }
        let mut message = json!({"body": "x"});
        message[name.as_str()] = json!(1);
        let a = ts.post("/tickets/1/messages", &admin, message).await;
        assert_error(&a, 400);
        assert!(a.text.len() < 2048, "{} bytes", a.text.len());
        let a = ts
            .get(&format!("/tickets?stage={}", &name[..16 * 1024]), &admin)
            .await;
        assert_error(&a, 400);
        assert!(a.text.len() < 2048, "{} bytes", a.text.len());
    }
}
