//! The OpenAPI document: valid, every documented operation answers, the routes promised from
//! the start (`docs/architecture.md`, section 4) are all in it, and what `deny_unknown_fields`
//! refuses is what the schemas say.

mod common;

use common::*;
use serde_json::{Value, json};

async fn document(ts: &TestServer) -> Value {
    let a = ts.call("GET", "/openapi.json", None, None, &[]).await;
    assert_eq!(a.status, 200);
    assert!(a.header("content-type").starts_with("application/json"));
    serde_json::from_str(&a.text).expect("the document is JSON")
}

/// The schema a `$ref` points at.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        Some(name) => &doc["components"]["schemas"][name],
        None => schema,
    }
}

/// The routes the API promised from the start (`docs/architecture.md`, section 4, lists them
/// with the later ones).
#[rustfmt::skip]
const PROMISED: [(&str, &str); 31] = [
    ("post", "/auth/login"), ("post", "/auth/logout"), ("get", "/me"), ("post", "/auth/code"),
    ("post", "/auth/verify"), ("post", "/auth/register"), ("get", "/portal"), ("patch", "/portal"),
    ("get", "/domains"), ("post", "/domains"), ("get", "/inboxes"), ("post", "/inboxes"),
    ("patch", "/inboxes/{id}"), ("delete", "/inboxes/{id}"), ("get", "/routing-rules"),
    ("post", "/routing-rules"), ("patch", "/routing-rules/{id}"), ("delete", "/routing-rules/{id}"),
    ("post", "/routing-rules/test"), ("get", "/tickets"), ("post", "/tickets"), ("get", "/tickets/{id}"),
    ("patch", "/tickets/{id}"), ("post", "/tickets/{id}/messages"), ("post", "/tickets/bulk"),
    ("get", "/contacts"), ("get", "/companies"), ("post", "/contacts/{id}/invite"), ("get", "/sync"),
    ("get", "/events"), ("get", "/healthz"),
];

/// Bodies no operation accepts: none of them may cause a 500.
const JUNK: [&str; 8] = [
    "null",
    "1",
    "\"text\"",
    "[]",
    "{\"id\": {}}",
    "{\"body\": null}",
    "\u{0}",
    "{\"a\":",
];

both_stores! {
    #[tokio::test]
    async fn the_document_is_openapi_3_and_lists_every_route_of_the_design() {
        let ts = demo_server(20).await;
        let doc = document(&ts).await;
        assert!(
            doc["openapi"].as_str().expect("openapi").starts_with("3."),
            "{}",
            doc["openapi"]
        );
        assert!(doc["info"]["title"].is_string());
        for (method, path) in PROMISED {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is not documented"
            );
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        for (method, path) in [
            ("post", "/auth/logout-all"),
            ("post", "/me/password"),
            ("get", "/me/language"),
            ("put", "/me/language"),
            ("get", "/me/ssh-keys"),
            ("post", "/me/ssh-keys"),
            ("delete", "/me/ssh-keys/{id}"),
            ("delete", "/users/{id}"),
            ("get", "/mail/quarantine"),
            ("post", "/mail/quarantine/{id}/accept"),
            ("post", "/mail/quarantine/{id}/reject"),
        ] {
            assert!(
                doc["paths"][path][method]["security"].is_array(),
                "{method} {path} is not documented as signed in"
            );
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn every_documented_operation_answers() {
        let ts = demo_server(20).await;
        let doc = document(&ts).await;
        let admin = ts.demo_login(ADA).await;
        let throwaway = ts.demo_login(SAM).await;
        let yuki = ts.contact(&admin, "yuki@acme.test").await["id"].clone();
        let inbox = ts
            .post(
                "/inboxes",
                &admin,
                json!({"name": "Spare", "kind": "inbox", "assignment": "manual"}),
            )
            .await
            .body["id"]
            .clone();
        let rule = json!({"name": "Spare", "match": "all", "conditions": [{"field": "subject", "op": "contains", "value": "spare"}],
                          "then": {"inbox_id": 1, "assign": "none"}});
        let rule = ts.post("/routing-rules", &admin, rule).await.body["id"].clone();
        let spare = json!({"host": "spare.example.test", "primary_language": "en"});
        assert_eq!(ts.post("/domains", &admin, spare).await.status, 201);
        let reply = json!({"title": "Spare", "body": "Hi {first_name}", "shared": true});
        let reply = ts.post("/saved-replies", &admin, reply).await.body["id"].clone();
        let key = ts
            .post("/me/ssh-keys", &admin, json!({"public_key": SSH_KEY}))
            .await
            .body["id"]
            .clone();
        let mut checked = 0;
        for (template, operations) in doc["paths"].as_object().expect("paths") {
            let path = if template.starts_with("/inboxes/") {
                template.replace("{id}", &inbox.to_string())
            } else if template.starts_with("/routing-rules/") {
                template.replace("{id}", &rule.to_string())
            } else if template.starts_with("/contacts/") {
                template.replace("{id}", &yuki.to_string())
            } else if template.starts_with("/saved-replies/") {
                template.replace("{id}", &reply.to_string())
            } else if template.starts_with("/domains/") {
                template.replace("{host}", "spare.example.test")
            } else if template.starts_with("/me/ssh-keys/") {
                template.replace("{id}", &key.to_string())
            } else {
                template
                    .replace("{id}", "1")
                    .replace("{message_id}", "1")
            };
            assert!(!path.contains('{'), "an unfilled parameter in {template}");
            // Deletes last, so the other operations still find the resource.
            let mut methods: Vec<&String> =
                operations.as_object().expect("operations").keys().collect();
            methods.sort_by_key(|m| *m == "delete");
            for method in methods {
                let token = if path == "/auth/logout" {
                    &throwaway
                } else {
                    &admin
                };
                let status = if path == "/events" {
                    let resp = ts
                        .http
                        .get(format!("{}{path}", ts.base()))
                        .bearer_auth(token)
                        .send()
                        .await
                        .expect("sent");
                    resp.status().as_u16()
                } else {
                    let body = (method != "get" && method != "delete").then(|| json!({}));
                    let a = ts
                        .call(&method.to_uppercase(), &path, Some(token), body, &[])
                        .await;
                    if a.status >= 400 {
                        assert_error_shape(&a);
                    }
                    a.status
                };
                // The demo's tickets came by no mail: their originals are rightly missing.
                let missing = if template.ends_with("/original") {
                    vec![405]
                } else {
                    vec![404, 405]
                };
                assert!(
                    !missing.contains(&status) && status < 500,
                    "{method} {path}: {status}"
                );
                checked += 1;
            }
        }
        assert!(checked >= 31, "{checked} operations");
    }
}

/// A valid body for each documented request schema that is closed to unknown fields.
fn valid_bodies() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "post",
            "/auth/login",
            json!({"email": "ada@deskport.test", "password": DEMO_PASSWORD}),
        ),
        ("post", "/auth/code", json!({"email": "carla@acme.test"})),
        (
            "post",
            "/me/password",
            json!({"old_password": DEMO_PASSWORD, "new_password": "a-new-long-password"}),
        ),
        (
            "post",
            "/tickets/{id}/messages",
            json!({"body": "Thanks!", "internal": false}),
        ),
        (
            "post",
            "/inboxes",
            json!({"name": "Docs", "kind": "inbox", "members": [2], "assignment": "manual", "capacity": 5}),
        ),
        ("patch", "/inboxes/{id}", json!({"name": "Docs desk"})),
        (
            "post",
            "/routing-rules",
            json!({"name": "Docs", "match": "any", "conditions": [{"field": "subject", "op": "contains", "value": "docs"}],
                                          "then": {"inbox_id": 1, "assign": "none", "priority": null}}),
        ),
        ("patch", "/routing-rules/{id}", json!({"enabled": false})),
        (
            "post",
            "/routing-rules/test",
            json!({"ticket": {"subject": "docs"}}),
        ),
        (
            "post",
            "/tickets/bulk",
            json!({"ids": [1], "patch": {"priority": "low"}}),
        ),
        (
            "post",
            "/domains",
            json!({"host": "docs.example.test", "primary_language": "en", "system": false}),
        ),
        ("patch", "/portal", json!({"name": "Docs Portal"})),
        (
            "post",
            "/saved-replies",
            json!({"title": "Docs", "body": "Hi {first_name}", "shared": false}),
        ),
        ("put", "/me/language", json!({"language": "it"})),
        ("post", "/me/ssh-keys", json!({"public_key": SSH_KEY})),
    ]
}

/// An SSH public-key line to register.
const SSH_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIII9hkRSUOmEuMOoeX5FY0gtHJIz/oRwsDQJ6S3DtzvA openapi@test";

both_stores! {
    #[tokio::test]
    async fn what_deny_unknown_fields_refuses_matches_the_schemas() {
        let ts = demo_server(20).await;
        let doc = document(&ts).await;
        let admin = ts.demo_login(ADA).await;
        let inbox = ts
            .post(
                "/inboxes",
                &admin,
                json!({"name": "Spare", "kind": "inbox", "assignment": "manual"}),
            )
            .await
            .body["id"]
            .clone();
        let rule = json!({"name": "Spare", "match": "all", "conditions": [{"field": "subject", "op": "contains", "value": "spare"}],
                          "then": {"inbox_id": 1, "assign": "none"}});
        let rule = ts.post("/routing-rules", &admin, rule).await.body["id"].clone();
        for (method, template, body) in valid_bodies() {
            let op = &doc["paths"][template][method];
            let schema = resolve(
                &doc,
                &op["requestBody"]["content"]["application/json"]["schema"],
            );
            assert_eq!(
                schema["additionalProperties"], false,
                "{method} {template}: the schema must be closed: {schema}"
            );
            let properties = schema["properties"].as_object().expect("properties");
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let keys = body.as_object().expect("object");
            assert!(
                keys.keys().all(|k| properties.contains_key(k)),
                "{template}: {body} has a key the schema lacks"
            );
            assert!(
                required.iter().all(|k| keys.contains_key(*k)),
                "{template}: {body} lacks a required key {required:?}"
            );

            let path = template.replace(
                "{id}",
                &if template.starts_with("/inboxes") {
                    inbox.to_string()
                } else if template.starts_with("/routing") {
                    rule.to_string()
                } else {
                    "1".into()
                },
            );
            let etag = ts.get("/portal", &admin).await.header("etag");
            let headers = [("if-match", etag.as_str())];
            let mut extra = body.clone();
            extra["unexpected_field"] = json!(1);
            let refused = ts
                .call(
                    &method.to_uppercase(),
                    &path,
                    Some(&admin),
                    Some(extra),
                    &headers,
                )
                .await;
            assert_error(&refused, 400);
            assert!(
                refused.text.contains("unexpected_field"),
                "{template}: the error names the field: {}",
                refused.text
            );
            for key in required {
                let mut missing = body.clone();
                missing.as_object_mut().expect("object").remove(key);
                assert_error(
                    &ts.call(
                        &method.to_uppercase(),
                        &path,
                        Some(&admin),
                        Some(missing),
                        &headers,
                    )
                    .await,
                    400,
                );
            }
            let accepted = ts
                .call(
                    &method.to_uppercase(),
                    &path,
                    Some(&admin),
                    Some(body.clone()),
                    &headers,
                )
                .await;
            assert!(
                (200..300).contains(&accepted.status),
                "{method} {template} {body}: {} {}",
                accepted.status,
                accepted.text
            );
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn junk_never_causes_a_500() {
        let ts = demo_server(20).await;
        let doc = document(&ts).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        for (template, operations) in doc["paths"].as_object().expect("paths") {
            let path = template.replace("{id}", "1");
            for method in operations.as_object().expect("operations").keys() {
                if method == "get" || path == "/auth/logout" {
                    continue;
                }
                for token in [Some(admin.as_str()), Some(carla.as_str()), None] {
                    for junk in JUNK.iter().copied().chain([deep.as_str()]) {
                        let headers = [("content-type", "application/json"), ("if-match", "\"1\"")];
                        let a = ts
                            .call_raw(
                                &method.to_uppercase(),
                                &path,
                                token,
                                Some(junk.as_bytes().to_vec()),
                                &headers,
                            )
                            .await;
                        assert!(
                            a.status < 500,
                            "{method} {path} with {:.20}: {}",
                            junk,
                            a.text
                        );
                        if a.status >= 400 {
                            assert_error_shape(&a);
                        }
                    }
                }
            }
        }
        for path in [
            "/tickets?limit=-1",
            "/tickets?limit=99999999999999999999",
            "/tickets/99999999999999999999",
            "/sync?cursor=bC45OTk5OTk5OTk5OTk5OTk5OTk5LjA",
        ] {
            let a = ts.get(path, &admin).await;
            assert!(a.status < 500, "{path}: {}", a.text);
            assert_error_shape(&a);
        }
    }
}
