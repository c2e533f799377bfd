//! The write load of the kill tests (`tests/fault_kill.rs`, `tests/multi_instance/kill.rs`):
//! writes that carry an Idempotency-Key and a mark to find them by in the data, sent over
//! plain HTTP so that a killed server is just a request without an answer.

use serde_json::{Value, json};
use std::time::Duration;

/// One write of the load: where it goes and its body; `mark` is its Idempotency-Key and the
/// text that marks it in the data (a reply body or a ticket subject).
#[derive(Debug, Clone)]
pub struct Write {
    /// Under the API base, e.g. `/tickets/3/messages`.
    pub path: String,
    /// The JSON body.
    pub body: Value,
    /// The key, and the text the write leaves.
    pub mark: String,
}

/// Writer `writer`'s `n`th write, marked `mark`: a new ticket for `contact` every fourth,
/// else a reply or internal note on one of `tickets`.
pub fn nth_write(mark: String, writer: usize, n: usize, tickets: &[i64], contact: &Value) -> Write {
    if n % 4 == 3 {
        Write {
            path: "/tickets".into(),
            body: json!({"subject": mark, "description": "load", "contact_id": contact}),
            mark,
        }
    } else {
        let id = tickets[(writer + n) % tickets.len()];
        Write {
            path: format!("/tickets/{id}/messages"),
            body: json!({"body": mark, "internal": n.is_multiple_of(2)}),
            mark,
        }
    }
}

/// The HTTP client of the load: a request to a dead server ends within 10 s.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// Sends `w` with its key to `base`; `Some(status)` when an answer came back.
pub async fn send(http: &reqwest::Client, base: &str, token: &str, w: &Write) -> Option<u16> {
    let answer = http
        .post(format!("{base}{}", w.path))
        .bearer_auth(token)
        .header("idempotency-key", &w.mark)
        .json(&w.body)
        .send()
        .await
        .ok()?;
    let status = answer.status().as_u16();
    answer.bytes().await.ok()?;
    Some(status)
}

/// `GET {base}{path}`, which must succeed; its JSON.
pub async fn get(http: &reqwest::Client, base: &str, token: &str, path: &str) -> Value {
    let answer = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET answered");
    assert!(
        answer.status().is_success(),
        "GET {path}: {}",
        answer.status()
    );
    answer.json().await.expect("JSON")
}

/// A session token of the demo admin on `base`.
pub async fn admin_token(http: &reqwest::Client, base: &str) -> String {
    let answer: Value = http
        .post(format!("{base}/auth/login"))
        .json(&json!({"email": super::ADA, "password": super::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login answered")
        .json()
        .await
        .expect("login JSON");
    answer["token"].as_str().expect("token").to_string()
}

/// The first three tickets the admin sees on `base` and the contact of the first: what the
/// load writes to.
pub async fn targets(http: &reqwest::Client, base: &str, token: &str) -> (Vec<i64>, Value) {
    let first = get(http, base, token, "/tickets?limit=3").await;
    let items = first["items"].as_array().expect("items");
    let tickets = items
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect();
    (tickets, items[0]["contact_id"].clone())
}
