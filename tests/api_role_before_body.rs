//! Function-level authorization comes before body validation: a caller whose role may not use
//! a route gets the same 403 whatever body they send, never a 400 that describes the route's
//! schema (its field names and types).

mod common;

use common::*;

/// Routes only admins may use, and those only staff may use.
const ADMIN_ONLY: &[(&str, &str)] = &[
    ("POST", "/inboxes"),
    ("PATCH", "/inboxes/1"),
    ("POST", "/routing-rules"),
    ("PATCH", "/routing-rules/1"),
    ("POST", "/domains"),
    ("PATCH", "/portal"),
];
const STAFF_ONLY: &[(&str, &str)] = &[
    ("POST", "/tickets/bulk"),
    ("POST", "/routing-rules/test"),
    ("PUT", "/tickets/1/ccs"),
];

/// Garbage, nothing, and well-formed JSON of the wrong types.
const BODIES: &[Option<&str>] = &[
    Some("{{ not json"),
    None,
    Some(r#"{"name": 5, "ids": "all", "patch": [], "host": false, "rules": 1}"#),
    Some("[]"),
];

both_stores! {
    #[tokio::test]
    async fn a_role_that_may_not_use_a_route_gets_403_before_its_body_is_read() {
        let ts = demo_server(5).await;
        let agent = ts.demo_login(SAM).await;
        let customer = ts.demo_login(CARLA).await;
        let refused = ADMIN_ONLY
            .iter()
            .flat_map(|route| [(route, &agent), (route, &customer)])
            .chain(STAFF_ONLY.iter().map(|route| (route, &customer)));
        let mut checked = 0;
        for ((method, path), token) in refused {
            for body in BODIES {
                let a = ts
                    .call_raw(
                        method,
                        path,
                        Some(token),
                        body.map(|b| b.as_bytes().to_vec()),
                        &[("content-type", "application/json"), ("if-match", "\"1\"")],
                    )
                    .await;
                assert_eq!(
                    (a.status, assert_error_shape(&a)),
                    (403, "forbidden".to_string()),
                    "{method} {path} with {body:?}: {}",
                    a.text
                );
                assert_eq!(
                    a.body,
                    serde_json::json!({"error": {"code": "forbidden", "message": "your role may not do this"}}),
                    "{method} {path}: the answer says nothing about the body"
                );
                checked += 1;
            }
        }
        assert_eq!(
            checked,
            (ADMIN_ONLY.len() * 2 + STAFF_ONLY.len()) * BODIES.len()
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn an_allowed_role_still_gets_400_for_a_bad_body() {
        let ts = demo_server(5).await;
        let admin = ts.demo_login(ADA).await;
        let a = ts
            .call_raw(
                "POST",
                "/inboxes",
                Some(&admin),
                Some(b"{{ not json".to_vec()),
                &[("content-type", "application/json")],
            )
            .await;
        assert_error(&a, 400);
    }
}
