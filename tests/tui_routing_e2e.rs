//! The Routing pane end to end in pseudo-terminals: in the real `deskport` binary (embedded
//! demo server) an admin switches Billing to round robin and writes the rule "subject contains
//! invoice → Billing" in the Routing pane, tries it in the tester and saves it; then a customer,
//! carla@acme.test, in a second `deskport` on the same data dir, submits two invoice tickets
//! through the support form (`N` on the Tickets tab). The server, asked over HTTP as ada, has
//! both in Billing with two different agents. The admin also creates an inbox in the pane,
//! which goes through the outbox like every other routing write.

mod common;

use common::pty::{App, Dirs, TIMEOUT, server_url};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A small HTTP client for the embedded server the app started.
struct Http {
    base: String,
    http: reqwest::Client,
}

impl Http {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(
            status.is_success(),
            "{method_path}: {status} {body}",
            method_path = path
        );
        body
    }

    async fn login(&self, email: &str) -> String {
        let body = json!({"email": email, "password": "deskport-demo"});
        let answer = self
            .call(reqwest::Method::POST, "/auth/login", None, Some(body))
            .await;
        answer["token"].as_str().unwrap().to_string()
    }
}

/// Polls `GET path` as `token` until `check` holds for the answer; returns it.
async fn until(
    http: &Http,
    path: &str,
    token: &str,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let answer = http
            .call(reqwest::Method::GET, path, Some(token), None)
            .await;
        if check(&answer) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "{what} never reached the server: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The admin's part: Billing to round robin with no limit, the invoice rule on top (tried in
/// the tester first), and a new inbox.
fn admin_sets_up_routing(app: &mut App) {
    app.wait_for("ada@deskport.test · admin · embedded │ ● online");
    app.send("2");
    app.wait_until("the routing list with counts", |s| {
        s.contains("Routing rules (4)") && s.contains("Billing · ") && s.contains(" open, ")
    });

    // Billing (the second inbox; the cursor moves by item): round robin, no capacity limit.
    app.send("j");
    app.send("e");
    app.wait_for("Edit inbox");
    app.send("\t\t  \t\x15");
    app.wait_for("‹round robin›");
    app.send("\x13");
    app.wait_for("help desk · round robin · Sam Carter, Lin Chen · no limit");

    // A new inbox, through the outbox.
    app.send("n");
    app.wait_for("New inbox");
    app.send("Refunds\t \t \t");
    app.wait_until("the new inbox's choices", |s| {
        s.contains("‹help desk›") && s.contains("‹round robin›")
    });
    app.send("\x13");
    app.wait_until("the new inbox on the server, with its counts", |s| {
        s.contains("Refunds · 0 open, 0 unassigned")
            && s.contains("help desk · round robin · no members · no limit")
    });

    // A rule on top: subject contains "invoice" → Billing, by the inbox's method.
    app.send("G");
    app.send("n");
    app.wait_for("New routing rule");
    app.send("Invoices round robin\t\t\t \t\t\t\t\tinvoice");
    app.wait_until("the draft", |s| {
        s.contains("‹Billing›") && s.contains("invoice")
    });
    app.send("\x14");
    app.wait_for("Test routing with the draft rule");
    app.send("Invoice 1001 looks wrong\x13");
    let screen = app.wait_for("Lands in:");
    assert!(
        screen.contains("rule \"Invoices round robin\"") && screen.contains("Lands in:    Billing"),
        "{screen}"
    );
    app.send("\x1b");
    app.wait_for("New routing rule");
    app.send("\x13");
    app.wait_until("the saved rule on top", |s| {
        s.contains("Routing rules (5)") && s.contains("1. [on ] Invoices round robin → Billing")
    });
}

/// The customer's part: two tickets through the support form.
fn customer_submits_two_invoices(app: &mut App, subjects: &[&str]) {
    app.wait_for("carla@acme.test · customer · embedded │ ● online");
    app.wait_for("[1 Tickets]");
    for subject in subjects {
        app.send("N");
        app.wait_for("Ctrl-S send · Tab next field");
        app.send(subject);
        app.send("\tThe total is off by one line.");
        app.wait_for("The total is off by one line.");
        app.send("\x13");
        app.wait_until("the form to close", |s| {
            !s.contains("Ctrl-S send · Tab next field")
        });
        app.wait_for(subject);
    }
}

#[test]
fn an_invoice_rule_made_in_the_tui_spreads_a_customers_tickets_over_billing() {
    let dirs = Dirs::new();
    let mut admin = App::start(&dirs, &["--user", "ada@deskport.test"], &[], (100, 30));
    admin_sets_up_routing(&mut admin);

    let http = Http {
        base: server_url(&dirs),
        http: reqwest::Client::new(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ada = runtime.block_on(async {
        let ada = http.login("ada@deskport.test").await;
        until(&http, "/routing-rules", &ada, "the rule", |rules| {
            rules[0]["name"] == "Invoices round robin"
        })
        .await;
        let inboxes = until(&http, "/inboxes", &ada, "the new inbox", |list| {
            list.as_array()
                .is_some_and(|l| l.iter().any(|b| b["name"] == "Refunds"))
        })
        .await;
        let billing = inboxes
            .as_array()
            .and_then(|l| l.iter().find(|b| b["name"] == "Billing"))
            .cloned()
            .unwrap();
        assert_eq!(
            (&billing["assignment"], &billing["capacity"]),
            (&json!("round_robin"), &Value::Null),
            "{billing}"
        );
        ada
    });

    let subjects = ["Invoice 1001 looks wrong", "Invoice 1002 is missing a line"];
    let mut carla = App::start(&dirs, &["--user", "carla@acme.test"], &[], (100, 30));
    customer_submits_two_invoices(&mut carla, &subjects);

    runtime.block_on(async {
        let mut owners = Vec::new();
        for subject in subjects {
            let path = format!("/tickets?q={}", subject.replace(' ', "%20"));
            let page = until(&http, &path, &ada, subject, |p| {
                p["items"].as_array().is_some_and(|i| !i.is_empty())
            })
            .await;
            let id = page["items"][0]["id"].as_i64().unwrap();
            let ticket = http
                .call(
                    reqwest::Method::GET,
                    &format!("/tickets/{id}"),
                    Some(&ada),
                    None,
                )
                .await;
            assert_eq!(ticket["subject"], subject, "{ticket}");
            assert_eq!(ticket["source"], "portal", "{ticket}");
            assert_eq!(ticket["inbox_name"], "Billing", "{ticket}");
            owners.push(ticket["owner_id"].as_i64().expect("an agent is assigned"));
        }
        assert_ne!(owners[0], owners[1], "round robin takes turns: {owners:?}");
    });

    for app in [&mut carla, &mut admin] {
        app.send("q");
        assert!(app.wait_exit().success());
    }
}
