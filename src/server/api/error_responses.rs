//! Documents the error answers every operation can give, from what the operation declares
//! (a token, parameters, a body, a write, a rate limit), so the OpenAPI document lists each
//! status the server may send without repeating it on every handler.

use crate::server::middleware::ratelimit::policy_for;
use axum::http::Method;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

/// Adds the error answers each operation of `doc` can give, leaving documented ones alone.
pub fn document(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (Method::GET, &mut item.get),
            (Method::PUT, &mut item.put),
            (Method::POST, &mut item.post),
            (Method::DELETE, &mut item.delete),
            (Method::PATCH, &mut item.patch),
        ];
        for (method, operation) in operations {
            if let Some(op) = operation {
                for (status, why) in errors_of(&method, path, op) {
                    add(op, status, why);
                }
            }
        }
    }
}

/// The error statuses `op` (at `method path`) can answer, with why.
fn errors_of(method: &Method, path: &str, op: &Operation) -> Vec<(&'static str, &'static str)> {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_path_param = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let has_body = op.request_body.is_some();
    let signed_in = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let write = *method != Method::GET;
    let mut out = Vec::new();
    if has_body || !params.is_empty() || write {
        out.push(("400", "Bad input: malformed parameters, body or headers"));
    }
    if signed_in {
        out.push(("401", "No token, or an unknown or expired one"));
        out.push((
            "403",
            "The caller's role may not do this, or must accept the consent notice first",
        ));
    }
    if has_path_param {
        out.push(("404", "Unknown, or not visible to the caller"));
    }
    if write {
        out.push((
            "409",
            "A request with the same Idempotency-Key is still running",
        ));
        out.push(("422", "The Idempotency-Key was used for another request"));
    }
    if has_body {
        out.push(("413", "The body is over 1 MiB"));
        out.push(("415", "The body is not sent as application/json"));
    }
    if policy_for(method, path).is_some() {
        out.push(("429", "Rate limited; see Retry-After"));
    }
    out
}

/// Documents `status` on `op` with the error body, unless it is documented already.
fn add(op: &mut Operation, status: &str, why: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(why)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
                .into()
        });
}
