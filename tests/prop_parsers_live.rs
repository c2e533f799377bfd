//! Property tests of parsers that need a running server: the Tickets pane's filter tokens
//! (through the pane's public `set_filter` / `shown_len`), the sync cursor as `GET /sync`
//! reads it, and routing-rule conditions as `POST /routing-rules` reads them. No input
//! panics or answers 5xx; refusals are 400 with the JSON error shape.

use deskport::client::{Client, ClientConfig, Connection, login};
use deskport::server::demo::DEMO_PASSWORD;
use deskport::server::{ServerConfig, start};
use deskport::tui::components::panes::tickets::Tickets;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One runtime for the file: the server and the clients' tasks live on it.
fn rt() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Runtime::new().expect("runtime"))
}

/// A demo server for the whole file: `http://127.0.0.1:PORT`.
fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        rt().block_on(async {
            let dir = tempfile::tempdir().expect("tempdir").keep();
            let config = ServerConfig {
                data_dir: dir.join("server"),
                demo: true,
                demo_tickets: 120,
                smtp: None,
                database: None,
                trusted_proxy: None,
            };
            let server = start(&config, "127.0.0.1:0".parse().expect("addr"))
                .await
                .expect("server starts");
            let url = format!("http://{}", server.addr);
            std::mem::forget(server);
            url
        })
    })
}

/// A signed-in token for `email` (resolves the server before blocking on the runtime).
fn token(email: &str) -> String {
    let url = format!("{}/api/v1/auth/login", server_url());
    rt().block_on(async {
        let a: Value = reqwest::Client::new()
            .post(url)
            .json(&json!({"email": email, "password": DEMO_PASSWORD}))
            .send()
            .await
            .expect("login sent")
            .json()
            .await
            .expect("login json");
        a["token"].as_str().expect("token").to_string()
    })
}

/// A Tickets pane of the agent Sam, synced with the demo server.
fn synced_pane(dir: &std::path::Path) -> Tickets {
    let url = server_url();
    let client = rt().block_on(async {
        let session = login(url, "sam@deskport.test", DEMO_PASSWORD)
            .await
            .expect("login");
        let client = Client::start(ClientConfig::new(dir), session)
            .await
            .expect("client starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !{
            let view = client.view();
            view.status.connection == Connection::Online && view.status.last_sync.is_some()
        } {
            assert!(Instant::now() < deadline, "the client did not sync");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        client
    });
    let _guard = rt().enter();
    // Filtering starts no background work, so nothing listens for answers.
    let (tx, _answers) = tokio::sync::mpsc::unbounded_channel();
    Tickets::new(client, deskport::tui::msg::Tasks::new(tx))
}

/// Filter text: field tokens (known and unknown keys, good and bad values), ids and words.
fn filter_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("stage:new".to_string()),
        Just("status:closed".to_string()),
        Just("priority:urgent".to_string()),
        Just("prio:high".to_string()),
        Just("priority:loud".to_string()),
        Just("owner:me".to_string()),
        Just("owner:none".to_string()),
        Just("owner:sam".to_string()),
        Just("company:acme".to_string()),
        Just("inbox:support".to_string()),
        Just("color:red".to_string()),
        Just("stage:".to_string()),
        Just(":".to_string()),
        "#[0-9]{1,4}",
        "#-?[0-9]{1,20}",
        "[a-z]{1,6}",
        "[a-z]{1,6}:[a-z]{0,6}",
        ".{0,6}",
    ];
    vec(token, 0..6).prop_map(|t| t.join(" "))
}

/// A plain word: no field key, no `#`.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9]{1,6}"
}

#[test]
fn ticket_filter_tokens_never_panic_and_only_narrow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pane = RefCell::new(synced_pane(dir.path()));
    let all = {
        let mut p = pane.borrow_mut();
        p.set_filter("");
        p.shown_len()
    };
    assert!(all > 0, "Sam's queue lists tickets");
    let mut runner = TestRunner::new(Config::with_cases(200));
    runner
        .run(&(filter_text(), word()), |(text, extra)| {
            let _guard = rt().enter();
            let mut p = pane.borrow_mut();
            p.set_filter(&text);
            prop_assert_eq!(p.filter_text(), text.as_str());
            let shown = p.shown_len();
            prop_assert!(shown <= all, "{:?} shows {} of {}", text, shown, all);
            p.set_filter(&format!("{text} {extra}"));
            let narrower = p.shown_len();
            prop_assert!(
                narrower <= shown,
                "adding {:?} to {:?} widened {} to {}",
                extra,
                text,
                shown,
                narrower
            );
            p.set_filter(&text.to_ascii_uppercase());
            prop_assert_eq!(p.shown_len(), shown, "case matters for {:?}", text);
            p.set_filter(&format!("{text} #{}", extra.len()));
            prop_assert!(p.shown_len() <= 1, "an id shows at most one ticket");
            Ok(())
        })
        .expect("filter properties");
}

/// Asserts `status` is 200, or 400 with the error shape.
fn ok_or_bad_request(what: &str, status: u16, body: &Value) -> Result<(), TestCaseError> {
    prop_assert!(
        status == 200 || status == 201 || status == 400,
        "{} answered {}: {}",
        what,
        status,
        body
    );
    if status == 400 {
        prop_assert!(
            body["error"]["code"].is_string() && body["error"]["message"].is_string(),
            "{} is not the error shape: {}",
            what,
            body
        );
    }
    Ok(())
}

#[test]
fn the_sync_feed_refuses_bad_cursors_with_400() {
    let customer = token("carla@acme.test");
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/sync", server_url());
    let good = rt().block_on(async {
        let v: Value = http
            .get(&url)
            .bearer_auth(&customer)
            .send()
            .await
            .expect("sync")
            .json()
            .await
            .expect("json");
        v["cursor"].as_str().expect("cursor").to_string()
    });
    let cursor = prop_oneof![
        Just(good.clone()),
        ".{0,40}",
        "[A-Za-z0-9_-]{0,40}",
        (0..good.len().max(1), ".{0,2}").prop_map(move |(at, s)| {
            let mut c = good.clone();
            c.replace_range(at..(at + 1).min(c.len()), &s);
            c
        }),
    ];
    let mut runner = TestRunner::new(Config::with_cases(150));
    runner
        .run(&cursor, |c| {
            let (status, body) = rt().block_on(async {
                let resp = http
                    .get(&url)
                    .query(&[("cursor", &c), ("limit", &"5".to_string())])
                    .bearer_auth(&customer)
                    .send()
                    .await
                    .expect("sync sent");
                let status = resp.status().as_u16();
                (status, resp.json::<Value>().await.unwrap_or(Value::Null))
            });
            ok_or_bad_request(&format!("cursor {c:?}"), status, &body)
        })
        .expect("cursor properties");
}

#[test]
fn routing_rule_conditions_are_stored_or_refused_with_400() {
    let admin = token("ada@deskport.test");
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/routing-rules", server_url());
    let condition = (
        prop_oneof![
            Just(json!("subject")),
            Just(json!("form:plan")),
            Just(json!("form:")),
            Just(json!(7)),
            "[a-z_:]{0,10}".prop_map(Value::from),
        ],
        prop_oneof![
            Just(json!("equals")),
            Just(json!("contains")),
            Just(json!("in")),
            Just(json!("like")),
        ],
        prop_oneof![
            ".{0,8}".prop_map(Value::from),
            vec(".{0,4}", 0..3).prop_map(Value::from),
            Just(json!(null)),
            Just(json!({"a": 1})),
            Just(json!("x".repeat(201))),
        ],
    )
        .prop_map(|(field, op, value)| json!({"field": field, "op": op, "value": value}));
    let valid = prop_oneof![
        "[a-z]{1,8}".prop_map(|v| json!({"field": "subject", "op": "contains", "value": v})),
        "[a-z]{1,8}".prop_map(|v| json!({"field": "form:plan", "op": "equals", "value": v})),
        vec("[a-z]{1,8}", 1..3)
            .prop_map(|v| json!({"field": "email_domain", "op": "in", "value": v})),
    ];
    let rule = (
        prop_oneof![vec(valid, 1..3), vec(condition, 0..4)],
        prop_oneof![Just("all"), Just("any")],
    );
    let mut runner = TestRunner::new(Config::with_cases(120));
    runner
        .run(&rule, |(conditions, mode)| {
            let body = json!({"name": "prop", "enabled": false, "match": mode,
                "conditions": conditions, "then": {"inbox_id": 1, "assign": "none"}});
            let (status, answer) = rt().block_on(async {
                let resp = http
                    .post(&url)
                    .bearer_auth(&admin)
                    .json(&body)
                    .send()
                    .await
                    .expect("rule sent");
                let status = resp.status().as_u16();
                (status, resp.json::<Value>().await.unwrap_or(Value::Null))
            });
            ok_or_bad_request(&format!("rule {body}"), status, &answer)?;
            if status == 201 {
                prop_assert_eq!(&answer["conditions"], &body["conditions"]);
            }
            Ok(())
        })
        .expect("condition properties");
}
