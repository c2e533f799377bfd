//! The authorization matrix by role: admin, agent, each customer and an anonymous caller
//! against the API's endpoints (`docs/architecture.md`, section 4), under each permission mode.

mod common;

use common::matrix::{Callers, EVERYONE, Who};
use common::*;
use deskport::domain::Role;
use serde_json::{Value, json};

/// Where a request goes; some paths need a fresh resource so that an allowed delete works.
#[derive(Debug, Clone, Copy)]
enum Target {
    Fixed(&'static str),
    FreshInbox,
    FreshRule,
    FreshDomain,
    FreshUser,
    UninvitedContact,
    /// A shared saved reply the admin made.
    FreshSharedReply,
}

/// What a request sends.
#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    Fixed(fn() -> Value),
    FreshDomain,
    NewTicket,
}

/// One row: method, target, body, and the status expected for admin, agent, any customer
/// and an anonymous caller.
struct Row(&'static str, Target, Body, [u16; 4]);

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
fn automatic() -> Value {
    json!({"language": null})
}
fn no_ccs() -> Value {
    json!({"contact_ids": []})
}
fn personal_reply() -> Value {
    json!({"title": "Matrix reply", "body": "Hi {first_name}"})
}
fn shared_reply() -> Value {
    json!({"title": "Matrix shared reply", "body": "Hi {first_name}", "shared": true})
}
fn retitle() -> Value {
    json!({"title": "Retitled"})
}

#[rustfmt::skip]
fn table() -> Vec<Row> {
    use Body as B;
    use Target::*;
    vec![
        Row("GET",    Fixed("/me"),                 B::None,               [200, 200, 200, 401]),
        Row("GET",    Fixed("/me/language"),        B::None,               [200, 200, 200, 401]),
        Row("PUT",    Fixed("/me/language"),        B::Fixed(automatic),   [200, 200, 200, 401]),
        Row("GET",    Fixed("/me/ssh-keys"),        B::None,               [200, 200, 200, 401]),
        Row("DELETE", Fixed("/me/ssh-keys/999999"), B::None,               [404, 404, 404, 401]),
        Row("POST",   Fixed("/auth/ssh-key"),       B::None,               [403, 403, 403, 403]),
        Row("GET",    Fixed("/portal"),             B::None,               [200, 200, 200, 401]),
        Row("PATCH",  Fixed("/portal"),             B::Fixed(portal_patch), [200, 403, 403, 401]),
        Row("GET",    Fixed("/domains"),            B::None,               [200, 200, 403, 401]),
        Row("POST",   Fixed("/domains"),            B::FreshDomain,        [201, 403, 403, 401]),
        Row("DELETE", FreshDomain,                  B::None,               [204, 403, 403, 401]),
        Row("GET",    Fixed("/inboxes"),            B::None,               [200, 200, 403, 401]),
        Row("POST",   Fixed("/inboxes"),            B::Fixed(inbox_body),  [201, 403, 403, 401]),
        Row("PATCH",  FreshInbox,                   B::Fixed(rename),      [200, 403, 403, 401]),
        Row("DELETE", FreshInbox,                   B::None,               [204, 403, 403, 401]),
        Row("GET",    Fixed("/routing-rules"),      B::None,               [200, 200, 403, 401]),
        Row("POST",   Fixed("/routing-rules"),      B::Fixed(rule_body),   [201, 403, 403, 401]),
        Row("PATCH",  FreshRule,                    B::Fixed(rename),      [200, 403, 403, 401]),
        Row("DELETE", FreshRule,                    B::None,               [204, 403, 403, 401]),
        Row("POST",   Fixed("/routing-rules/test"), B::Fixed(draft),       [200, 200, 403, 401]),
        Row("GET",    Fixed("/tickets"),            B::None,               [200, 200, 200, 401]),
        Row("POST",   Fixed("/tickets"),            B::NewTicket,          [201, 201, 201, 401]),
        Row("GET",    Fixed("/tickets/999999"),     B::None,               [404, 404, 404, 401]),
        Row("POST",   Fixed("/tickets/bulk"),       B::Fixed(bulk),        [200, 200, 403, 401]),
        Row("PUT",    Fixed("/tickets/999999/ccs"), B::Fixed(no_ccs),      [404, 404, 403, 401]),
        Row("GET",    Fixed("/saved-replies"),      B::None,               [200, 200, 403, 401]),
        Row("POST",   Fixed("/saved-replies"),      B::Fixed(personal_reply), [201, 201, 403, 401]),
        Row("POST",   Fixed("/saved-replies"),      B::Fixed(shared_reply), [201, 403, 403, 401]),
        Row("PATCH",  FreshSharedReply,             B::Fixed(retitle),     [200, 403, 403, 401]),
        Row("DELETE", FreshSharedReply,             B::None,               [204, 403, 403, 401]),
        Row("GET",    Fixed("/contacts"),           B::None,               [200, 200, 403, 401]),
        Row("GET",    Fixed("/companies"),          B::None,               [200, 200, 403, 401]),
        Row("GET",    Fixed("/users"),              B::None,               [200, 200, 403, 401]),
        Row("DELETE", FreshUser,                    B::None,               [204, 403, 403, 401]),
        Row("POST",   UninvitedContact,             B::None,               [200, 403, 403, 401]),
        Row("GET",    Fixed("/sync"),               B::None,               [200, 200, 200, 401]),
        Row("GET",    Fixed("/events"),             B::None,               [200, 200, 200, 401]),
        Row("GET",    Fixed("/mail/quarantine"),    B::None,               [200, 403, 403, 401]),
        Row("POST",   Fixed("/mail/quarantine/999999/accept"), B::None,    [404, 403, 403, 401]),
        Row("POST",   Fixed("/mail/quarantine/999999/reject"), B::None,    [404, 403, 403, 401]),
    ]
}

struct Roles {
    callers: Callers,
    counter: usize,
}

impl Roles {
    async fn fresh(&self, path: &str, body: Value) -> i64 {
        let a = self.callers.ts.post(path, self.callers.admin(), body).await;
        assert_eq!(a.status, 201, "{path}: {}", a.text);
        a.body["id"].as_i64().expect("id")
    }

    async fn path(&self, target: Target) -> String {
        match target {
            Target::Fixed(p) => p.to_string(),
            Target::FreshInbox => {
                format!("/inboxes/{}", self.fresh("/inboxes", inbox_body()).await)
            }
            Target::FreshRule => format!(
                "/routing-rules/{}",
                self.fresh("/routing-rules", rule_body()).await
            ),
            Target::FreshDomain => {
                let host = format!("r{}.matrix.test", self.counter);
                let body = json!({"host": host, "primary_language": "en"});
                let a = self
                    .callers
                    .ts
                    .post("/domains", self.callers.admin(), body)
                    .await;
                assert_eq!(a.status, 201, "{}", a.text);
                format!("/domains/{host}")
            }
            Target::FreshUser => {
                let email = format!("u{}@matrix.test", self.counter);
                let user = self
                    .callers
                    .ts
                    .server
                    .store
                    .add_user(email, "Matrix agent".into(), Role::Agent, "unusable".into())
                    .await
                    .expect("a staff user");
                format!("/users/{}", user.id)
            }
            Target::FreshSharedReply => format!(
                "/saved-replies/{}",
                self.fresh("/saved-replies", shared_reply()).await
            ),
            Target::UninvitedContact => format!(
                "/contacts/{}/invite",
                self.callers.contacts["yuki@acme.test"]
            ),
        }
    }

    fn body(&mut self, body: Body, who: Who) -> Option<Value> {
        self.counter += 1;
        match body {
            Body::None => None,
            Body::Fixed(f) => Some(f()),
            Body::FreshDomain => Some(
                json!({"host": format!("m{}.matrix.test", self.counter), "primary_language": "en"}),
            ),
            Body::NewTicket if who.is_staff() => Some(
                json!({"subject": "Matrix ticket", "description": "From staff", "contact_id": self.callers.contacts[CARLA]}),
            ),
            Body::NewTicket => {
                Some(json!({"subject": "Matrix ticket", "description": "From a customer"}))
            }
        }
    }

    /// The status of one call; the event stream's endless body is not read.
    async fn status(&self, method: &str, path: &str, who: Who, body: Option<Value>) -> u16 {
        let ts = &self.callers.ts;
        let token = self.callers.tokens.get(&who).map(String::as_str);
        if path == "/events" {
            let mut req = ts.http.get(format!("{}{path}", ts.base()));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let resp = req.send().await.expect("request sent");
            let kind = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert!(
                !resp.status().is_success() || kind.starts_with("text/event-stream"),
                "{kind}"
            );
            return resp.status().as_u16();
        }
        let a = if method == "PATCH" && path == "/portal" {
            let etag = ts.get("/portal", self.callers.admin()).await.header("etag");
            ts.call(method, path, token, body, &[("if-match", &etag)])
                .await
        } else {
            ts.call(method, path, token, body, &[]).await
        };
        if a.status >= 400 {
            assert_error_shape(&a);
        }
        a.status
    }
}

async fn run(mode: &str) {
    let mut roles = Roles {
        callers: Callers::new(mode).await,
        counter: 0,
    };
    let mut failures = Vec::new();
    for Row(method, target, body, expect) in table() {
        for who in EVERYONE {
            let path = roles.path(target).await;
            let body = roles.body(body, who);
            let status = roles.status(method, &path, who, body).await;
            let want = expect[who.column()];
            if status != want {
                failures.push(format!(
                    "[{mode}] {who:?} {method} {path}: got {status}, want {want}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

both_stores! {
    #[tokio::test]
    async fn roles_in_contact_mode() {
        run("contact").await;
    }
}

both_stores! {
    #[tokio::test]
    async fn roles_in_company_mode() {
        run("company").await;
    }
}

both_stores! {
    #[tokio::test]
    async fn roles_in_contact_filter_mode() {
        run("contact_filter").await;
    }
}
