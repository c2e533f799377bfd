//! What the schemathesis run (`scripts/schemathesis.sh`) found, pinned in `cargo test`: every
//! error status an operation answers is documented in `/openapi.json` with the error body,
//! and an inbox capacity outside the documented `int32` range is refused.

mod common;

use common::*;
use serde_json::{Value, json};

async fn document(ts: &TestServer) -> Value {
    let a = ts.call("GET", "/openapi.json", None, None, &[]).await;
    assert_eq!(a.status, 200);
    serde_json::from_str(&a.text).expect("the document is JSON")
}

/// Every operation of the document as (method, path template, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

/// Asserts `status` is documented for `op` with the error body.
#[track_caller]
fn assert_documented_error(method: &str, path: &str, op: &Value, status: u16) {
    let response = &op["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {path} answered {status}, which it does not document"
    );
    assert_eq!(
        response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
        "{method} {path}: {status} is not documented with the error body"
    );
}

both_stores! {
    #[tokio::test]
    async fn every_error_an_operation_answers_is_documented() {
        let ts = demo_server(20).await;
        let doc = document(&ts).await;
        let customer = ts.demo_login(CARLA).await;
        for (method, template, op) in operations(&doc) {
            if template == "/auth/logout" {
                continue;
            }
            let path = template.replace("{id}", "1");
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let has_body = op["requestBody"].is_object();
            let upper = method.to_uppercase();
            if secured {
                let a = ts.call(&upper, &path, None, None, &[]).await;
                assert_error(&a, 401);
                assert_documented_error(&method, &template, &op, 401);
            }
            if has_body {
                let token = secured.then_some(customer.as_str());
                let broken = ts
                    .call_raw(
                        &upper,
                        &path,
                        token,
                        Some(b"{\"a\":".to_vec()),
                        &[("content-type", "application/json")],
                    )
                    .await;
                assert_error_shape(&broken);
                assert_documented_error(&method, &template, &op, broken.status);
                let not_json = ts
                    .call_raw(&upper, &path, token, Some(b"x".to_vec()), &[])
                    .await;
                assert_error_shape(&not_json);
                assert_documented_error(&method, &template, &op, not_json.status);
            }
            if template.contains("{id}") {
                let token = secured.then_some(customer.as_str());
                let a = ts
                    .call(&upper, &template.replace("{id}", "x"), token, None, &[])
                    .await;
                assert_error_shape(&a);
                assert_documented_error(&method, &template, &op, a.status);
            }
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn rate_limited_operations_document_429() {
        let ts = demo_server(5).await;
        let doc = document(&ts).await;
        for path in [
            "/auth/login",
            "/auth/verify",
            "/auth/code",
            "/auth/register",
            "/contacts/{id}/invite",
        ] {
            let op = &doc["paths"][path]["post"];
            assert_documented_error("post", path, op, 429);
        }
        assert!(
            doc["paths"]["/tickets"]["get"]["responses"]["429"].is_null(),
            "GET /tickets is not rate limited, so it must not claim 429"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn inbox_capacity_beyond_int32_is_refused() {
        let ts = demo_server(5).await;
        let admin = ts.demo_login(ADA).await;
        let too_big = i64::from(i32::MAX) + 1;
        let created = ts
            .post(
                "/inboxes",
                &admin,
                json!({"name": "Huge", "kind": "inbox", "members": [], "assignment": "manual", "capacity": too_big}),
            )
            .await;
        assert_eq!(assert_error(&created, 400), "invalid");
        assert_eq!(created.body["error"]["field"], "capacity");

        let patched = ts
            .call(
                "PATCH",
                "/inboxes/1",
                Some(&admin),
                Some(json!({"capacity": too_big})),
                &[],
            )
            .await;
        assert_eq!(assert_error(&patched, 400), "invalid");
        let inboxes = ts.get("/inboxes", &admin).await;
        let first = inboxes.body.as_array().expect("inboxes")[0].clone();
        assert_ne!(first["capacity"], json!(too_big), "nothing was stored");

        let fine = ts
            .call(
                "PATCH",
                "/inboxes/1",
                Some(&admin),
                Some(json!({"capacity": i32::MAX})),
                &[],
            )
            .await;
        assert_eq!(fine.status, 200, "{}", fine.text);
    }
}
