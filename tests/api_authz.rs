//! The authorization matrix: every role against every endpoint of DESIGN.md's API table, and
//! every customer against tickets of each relation (own, colleague's, other company's, no
//! company), under each permission mode. A hidden ticket is a 404, never a 403.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Admin,
    Agent,
    Carla,
    Dan,
    Gina,
    Solo,
    Anonymous,
}

const EVERYONE: [Who; 7] = [Who::Admin, Who::Agent, Who::Carla, Who::Dan, Who::Gina, Who::Solo, Who::Anonymous];

impl Who {
    fn email(self) -> Option<&'static str> {
        Some(match self {
            Who::Admin => ADA,
            Who::Agent => SAM,
            Who::Carla => CARLA,
            Who::Dan => DAN,
            Who::Gina => GINA,
            Who::Solo => SOLO,
            Who::Anonymous => return None,
        })
    }
    /// Index into an expectation row: admin, agent, customer, anonymous.
    fn column(self) -> usize {
        match self {
            Who::Admin => 0,
            Who::Agent => 1,
            Who::Anonymous => 3,
            _ => 2,
        }
    }
}

/// Where a request goes; some paths need a fresh resource so that an allowed delete works.
#[derive(Debug, Clone, Copy)]
enum Target {
    Fixed(&'static str),
    FreshInbox(&'static str),
    FreshRule(&'static str),
    Uninvited,
    SomeTicket(&'static str),
}

/// What a request sends.
#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    Fixed(fn() -> Value),
    FreshDomain,
    NewTicket,
}

/// One row of the role table: expected status for admin, agent, any customer, anonymous.
struct Row {
    method: &'static str,
    target: Target,
    body: Body,
    if_match: bool,
    stream: bool,
    expect: [u16; 4],
}

const fn row(method: &'static str, target: Target, body: Body, expect: [u16; 4]) -> Row {
    Row { method, target, body, if_match: false, stream: false, expect }
}

fn inbox_body() -> Value {
    json!({"name": "Matrix inbox", "kind": "inbox", "members": [2], "assignment": "manual"})
}
fn rule_body() -> Value {
    json!({"name": "Matrix rule", "match": "all", "conditions": [{"field": "subject", "op": "contains", "value": "zz-matrix"}],
           "then": {"inbox_id": 1, "assign": "none"}})
}
fn rename() -> Value {
    json!({"name": "Renamed"})
}
fn portal_patch() -> Value {
    json!({"name": "Deskport Demo Support"})
}
fn draft() -> Value {
    json!({"ticket": {"subject": "invoice question"}})
}
fn bulk() -> Value {
    json!({"ids": [1, 2], "patch": {"priority": "high"}})
}

fn table() -> Vec<Row> {
    use Body as B;
    use Target::*;
    vec![
        row("GET", Fixed("/me"), B::None, [200, 200, 200, 401]),
        row("GET", Fixed("/portal"), B::None, [200, 200, 200, 401]),
        Row { if_match: true, ..row("PATCH", Fixed("/portal"), B::Fixed(portal_patch), [200, 403, 403, 401]) },
        row("GET", Fixed("/domains"), B::None, [200, 200, 403, 401]),
        row("POST", Fixed("/domains"), B::FreshDomain, [201, 403, 403, 401]),
        row("GET", Fixed("/inboxes"), B::None, [200, 200, 403, 401]),
        row("POST", Fixed("/inboxes"), B::Fixed(inbox_body), [201, 403, 403, 401]),
        row("PATCH", FreshInbox("/inboxes/{}"), B::Fixed(rename), [200, 403, 403, 401]),
        row("DELETE", FreshInbox("/inboxes/{}"), B::None, [204, 403, 403, 401]),
        row("GET", Fixed("/routing-rules"), B::None, [200, 200, 403, 401]),
        row("POST", Fixed("/routing-rules"), B::Fixed(rule_body), [201, 403, 403, 401]),
        row("PATCH", FreshRule("/routing-rules/{}"), B::Fixed(rename), [200, 403, 403, 401]),
        row("DELETE", FreshRule("/routing-rules/{}"), B::None, [204, 403, 403, 401]),
        row("POST", Fixed("/routing-rules/test"), B::Fixed(draft), [200, 200, 403, 401]),
        row("GET", Fixed("/tickets"), B::None, [200, 200, 200, 401]),
        row("POST", Fixed("/tickets"), B::NewTicket, [201, 201, 201, 401]),
        row("GET", SomeTicket("/tickets/999999"), B::None, [404, 404, 404, 401]),
        row("POST", Fixed("/tickets/bulk"), B::Fixed(bulk), [200, 200, 403, 401]),
        row("GET", Fixed("/contacts"), B::None, [200, 200, 403, 401]),
        row("GET", Fixed("/companies"), B::None, [200, 200, 403, 401]),
        row("GET", Fixed("/users"), B::None, [200, 200, 403, 401]),
        row("POST", Uninvited, B::None, [200, 403, 403, 401]),
        row("GET", Fixed("/sync"), B::None, [200, 200, 200, 401]),
        Row { stream: true, ..row("GET", Fixed("/events"), B::None, [200, 200, 200, 401]) },
    ]
}

struct Matrix {
    ts: TestServer,
    tokens: HashMap<Who, String>,
    /// Contact id by email.
    contacts: HashMap<String, i64>,
    /// A ticket of each contact id.
    ticket_of: HashMap<i64, i64>,
    counter: usize,
}

impl Matrix {
    async fn new() -> Matrix {
        let ts = demo_server(300).await;
        let mut tokens = HashMap::new();
        for who in EVERYONE {
            if let Some(email) = who.email() {
                tokens.insert(who, ts.demo_login(email).await);
            }
        }
        let admin = tokens[&Who::Admin].clone();
        let contacts = ts.get("/contacts", &admin).await.body.as_array().expect("contacts").iter()
            .map(|c| (c["email"].as_str().expect("email").to_string(), c["id"].as_i64().expect("id")))
            .collect();
        let mut ticket_of = HashMap::new();
        for t in ts.all_tickets(&admin).await {
            ticket_of.entry(t["contact_id"].as_i64().expect("contact_id")).or_insert(t["id"].as_i64().expect("id"));
        }
        Matrix { ts, tokens, contacts, ticket_of, counter: 0 }
    }

    fn admin(&self) -> &str {
        &self.tokens[&Who::Admin]
    }

    fn ticket_of(&self, email: &str) -> i64 {
        self.ticket_of[&self.contacts[email]]
    }

    async fn fresh(&mut self, path: &str, body: Value) -> i64 {
        let a = self.ts.post(path, self.admin(), body).await;
        assert_eq!(a.status, 201, "{path}: {}", a.text);
        a.body["id"].as_i64().expect("id")
    }

    async fn path(&mut self, target: Target) -> String {
        match target {
            Target::Fixed(p) | Target::SomeTicket(p) => p.to_string(),
            Target::FreshInbox(p) => p.replace("{}", &self.fresh("/inboxes", inbox_body()).await.to_string()),
            Target::FreshRule(p) => p.replace("{}", &self.fresh("/routing-rules", rule_body()).await.to_string()),
            Target::Uninvited => format!("/contacts/{}/invite", self.contacts["yuki@acme.test"]),
        }
    }

    fn body(&mut self, body: Body, who: Who) -> Option<Value> {
        self.counter += 1;
        match body {
            Body::None => None,
            Body::Fixed(f) => Some(f()),
            Body::FreshDomain => Some(json!({"host": format!("m{}.matrix.test", self.counter), "primary_language": "en"})),
            Body::NewTicket if matches!(who, Who::Admin | Who::Agent) => {
                Some(json!({"subject": "Matrix ticket", "description": "From staff", "contact_id": self.contacts[CARLA]}))
            }
            Body::NewTicket => Some(json!({"subject": "Matrix ticket", "description": "From a customer"})),
        }
    }

    /// Runs the role table for everyone; returns the failures.
    async fn roles(&mut self, mode: &str) -> Vec<String> {
        let mut failures = Vec::new();
        for r in table() {
            for who in EVERYONE {
                let path = self.path(r.target).await;
                let body = self.body(r.body, who);
                let token = self.tokens.get(&who).cloned();
                let etag = if r.if_match { self.ts.get("/portal", self.admin()).await.header("etag") } else { String::new() };
                let headers: Vec<(&str, &str)> = if r.if_match { vec![("if-match", etag.as_str())] } else { vec![] };
                let status = if r.stream {
                    stream_status(&self.ts, &path, token.as_deref()).await
                } else {
                    let a = self.ts.call(r.method, &path, token.as_deref(), body, &headers).await;
                    if a.status >= 400 {
                        assert_error_shape(&a);
                    }
                    a.status
                };
                let want = r.expect[who.column()];
                if status != want {
                    failures.push(format!("[{mode}] {who:?} {} {path}: got {status}, want {want}", r.method));
                }
            }
        }
        failures
    }

    /// Runs the relation table; returns the failures.
    async fn relations(&mut self, mode: &str) -> Vec<String> {
        let mut failures = Vec::new();
        let marco = "marco@globex.test";
        // (viewer, relation, ticket owner's email, visible in contact / company / contact_filter)
        let cases: [(Who, &str, &str, [bool; 3]); 15] = [
            (Who::Carla, "own", CARLA, [true, true, true]),
            (Who::Carla, "colleague", DAN, [false, true, true]),
            (Who::Carla, "other company", GINA, [false, false, false]),
            (Who::Carla, "no company", SOLO, [false, false, false]),
            (Who::Dan, "own", DAN, [true, true, true]),
            (Who::Dan, "colleague", CARLA, [false, true, false]),
            (Who::Dan, "other company", GINA, [false, false, false]),
            (Who::Dan, "no company", SOLO, [false, false, false]),
            (Who::Gina, "own", GINA, [true, true, true]),
            (Who::Gina, "colleague", marco, [false, true, true]),
            (Who::Gina, "other company", CARLA, [false, false, false]),
            (Who::Gina, "no company", FRAN, [false, false, false]),
            (Who::Solo, "own", SOLO, [true, true, true]),
            (Who::Solo, "other company", CARLA, [false, false, false]),
            (Who::Solo, "no company", FRAN, [false, false, false]),
        ];
        let column = ["contact", "company", "contact_filter"].iter().position(|m| *m == mode).expect("mode");
        let admin = self.admin().to_string();
        for who in [Who::Admin, Who::Agent, Who::Carla, Who::Dan, Who::Gina, Who::Solo] {
            let token = self.tokens[&who].clone();
            let listed: Vec<i64> = self.ts.all_tickets(&token).await.iter().map(|t| t["id"].as_i64().expect("id")).collect();
            for (viewer, relation, owner, visible) in cases {
                let staff = matches!(who, Who::Admin | Who::Agent);
                if !staff && viewer != who {
                    continue;
                }
                let visible = staff || visible[column];
                let id = self.ticket_of(owner);
                let label = format!("[{mode}] {who:?} on {relation} ticket {id} of {owner}");
                if listed.contains(&id) != visible {
                    failures.push(format!("{label}: listed is {}, want {visible}", !visible));
                }
                let etag = self.ts.get(&format!("/tickets/{id}"), &admin).await.header("etag");
                let patch = if staff { json!({"priority": "high"}) } else { json!({"closed": false}) };
                let ok = |s: u16| if visible { s } else { 404 };
                let checks = [
                    ("GET", format!("/tickets/{id}"), None, vec![], ok(200)),
                    ("PATCH", format!("/tickets/{id}"), Some(patch), vec![("if-match", etag.as_str())], ok(200)),
                    ("POST", format!("/tickets/{id}/messages"), Some(json!({"body": "Matrix reply"})), vec![], ok(201)),
                    ("POST", format!("/tickets/{id}/messages"), Some(json!({"body": "Matrix note", "internal": true})), vec![], if staff { 201 } else { 403 }),
                ];
                for (method, path, body, headers, want) in checks {
                    let a = self.ts.call(method, &path, Some(&token), body.clone(), &headers).await;
                    if a.status >= 400 {
                        assert_error_shape(&a);
                    }
                    if a.status != want {
                        failures.push(format!("{label}: {method} {path} {body:?} got {}, want {want}: {}", a.status, a.text));
                    }
                }
            }
        }
        failures
    }
}

/// The status of a streaming answer, without reading its endless body.
async fn stream_status(ts: &TestServer, path: &str, token: Option<&str>) -> u16 {
    let mut req = ts.http.get(format!("{}{path}", ts.base()));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request sent");
    if resp.status().is_success() {
        let kind = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
    }
    resp.status().as_u16()
}

async fn run(mode: &str) {
    let mut m = Matrix::new().await;
    m.ts.set_mode(m.admin(), mode).await;
    let mut failures = m.roles(mode).await;
    failures.extend(m.relations(mode).await);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn matrix_in_contact_mode() {
    run("contact").await;
}

#[tokio::test]
async fn matrix_in_company_mode() {
    run("company").await;
}

#[tokio::test]
async fn matrix_in_contact_filter_mode() {
    run("contact_filter").await;
}
