//! Shared test harness: a real server in-process on a loopback port with a temporary data
//! dir, and a small JSON client for calling it. Its modules hold the other harnesses: `pty`
//! (the binary in a pseudo-terminal), `render` (the app drawn in-process to text), `process`
//! (the binary as a child process), `matrix` (who may do what), `postgres` (a PostgreSQL for
//! tests), `nginx` (nginx in front of servers), `load` (the kill tests' writes), `mailed` (a
//! ticket that came by mail), `ssh` (`serve --ssh` reached with `ssh`) and `stores` (running
//! one test on both stores).

#![allow(dead_code)]

pub mod load;
pub mod mailed;
pub mod matrix;
pub mod nginx;
pub mod postgres;
pub mod process;
pub mod pty;
pub mod render;
pub mod ssh;
pub mod stores;

use deskport::server::mail::FileMailer;
use deskport::server::store::ImportBatch;
use deskport::server::{RunningServer, ServerConfig, open_unseeded, serve, start};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "deskport-demo";
/// Demo staff.
pub const ADA: &str = "ada@deskport.test";
/// Demo agent.
pub const SAM: &str = "sam@deskport.test";
/// Demo customer of Acme.
pub const CARLA: &str = "carla@acme.test";
/// Demo customer of Acme, Carla's colleague.
pub const DAN: &str = "dan@acme.test";
/// Demo customer of Globex.
pub const GINA: &str = "gina@globex.test";
/// Demo customer without a company.
pub const SOLO: &str = "solo@example.test";
/// Another demo customer without a company.
pub const FRAN: &str = "fran@example.test";

/// A running test server and its temporary data dir (deleted on drop).
pub struct TestServer {
    /// The server.
    pub server: RunningServer,
    /// Its data dir.
    pub dir: tempfile::TempDir,
    /// HTTP client.
    pub http: reqwest::Client,
    /// The PostgreSQL database it runs on; `None` when it runs on the SQLite file in `dir`.
    pub database: Option<String>,
}

/// Starts a demo server with `tickets` demo tickets.
pub async fn demo_server(tickets: usize) -> TestServer {
    server_with(true, tickets).await
}

/// Starts a fresh (non-demo) server.
pub async fn fresh_server() -> TestServer {
    server_with(false, 0).await
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

async fn server_with(demo: bool, tickets: usize) -> TestServer {
    server_on(stores::database(), demo, tickets).await
}

/// Starts a server on `database` (`None`: SQLite in its own data dir); several servers on
/// one PostgreSQL database are instances of one portal (the first seeds it).
pub async fn server_on(database: Option<String>, demo: bool, tickets: usize) -> TestServer {
    server_configured(database, demo, tickets, None).await
}

/// A demo server on the store under test that takes the client address of rate limits from
/// the `X-Forwarded-For` of requests from `trusted_proxy` (`serve --trust-proxy`).
pub async fn server_behind_proxy(trusted_proxy: std::net::IpAddr) -> TestServer {
    server_configured(stores::database(), true, 5, Some(trusted_proxy)).await
}

async fn server_configured(
    database: Option<String>,
    demo: bool,
    tickets: usize,
    trusted_proxy: Option<std::net::IpAddr>,
) -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo,
        demo_tickets: tickets,
        smtp: None,
        database: database.clone(),
        trusted_proxy,
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let server = start(&config, addr).await.expect("server starts");
    TestServer {
        server,
        dir,
        http: client(),
        database,
    }
}

/// Starts a server on a store holding exactly `batch` (no demo data, no system domain).
pub async fn batch_server(batch: ImportBatch) -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let database = stores::database();
    let config = ServerConfig {
        data_dir: data.clone(),
        demo: false,
        demo_tickets: 0,
        smtp: None,
        database: database.clone(),
        trusted_proxy: None,
    };
    let store = open_unseeded(&config).await.expect("store opens");
    store.import(batch).await.expect("batch imports");
    let mailer = Arc::new(FileMailer::new(data.join("mail")));
    let server = serve(store, mailer, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("server starts");
    TestServer {
        server,
        dir,
        http: client(),
        database,
    }
}

/// An HTTP answer: status, headers and parsed JSON body (Null when empty).
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body as JSON (or a JSON string holding the raw text when it is not JSON).
    pub body: Value,
    /// The raw body text.
    pub text: String,
}

impl Answer {
    /// A header as text ("" when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// Asserts `a` is an error with `status` and the API's error shape; returns its code.
#[track_caller]
pub fn assert_error(a: &Answer, status: u16) -> String {
    assert_eq!(
        a.status, status,
        "expected {status}, got {}: {}",
        a.status, a.text
    );
    assert_error_shape(a)
}

/// Asserts `a` has the `{"error": {"code", "message"}}` shape; returns the code.
#[track_caller]
pub fn assert_error_shape(a: &Answer) -> String {
    let code = a.body["error"]["code"].as_str();
    let message = a.body["error"]["message"].as_str();
    assert!(
        code.is_some_and(|c| !c.is_empty()) && message.is_some(),
        "not the error shape ({}): {}",
        a.status,
        a.text
    );
    code.unwrap_or_default().to_string()
}

impl TestServer {
    /// `http://127.0.0.1:PORT/api/v1`.
    pub fn base(&self) -> String {
        self.server.base_url()
    }

    /// The data dir.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// Sends a request with a raw body; `token` adds a bearer token, `headers` extra headers.
    pub async fn call_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let url = format!("{}{}", self.base(), path);
        let mut req = self.http.request(method.parse().expect("method"), url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text.clone()))
        };
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    /// Sends a request; `token` adds a bearer token, `headers` extra headers.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if body.is_some() {
            all.push(("content-type", "application/json"));
        }
        let bytes = body.map(|b| serde_json::to_vec(&b).expect("json"));
        self.call_raw(method, path, token, bytes, &all).await
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call("GET", path, Some(token), None, &[]).await
    }

    /// POST a JSON body with a token.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call("POST", path, Some(token), Some(body), &[]).await
    }

    /// Signs in and returns the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let a = self
            .call(
                "POST",
                "/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
                &[],
            )
            .await;
        assert_eq!(a.status, 200, "login {email}: {:?}", a.body);
        a.body["token"].as_str().expect("token").to_string()
    }

    /// Signs in a demo account.
    pub async fn demo_login(&self, email: &str) -> String {
        self.login(email, DEMO_PASSWORD).await
    }

    /// A session for `email` created directly in the store (no Argon2 work), for tests that
    /// need many accounts signed in.
    pub async fn session_for(&self, email: &str) -> String {
        let creds = self
            .server
            .store
            .credentials(email.to_string())
            .await
            .expect("store")
            .expect("account exists");
        let (token, hash) = deskport::server::security::new_token();
        self.server
            .store
            .create_session(hash, creds.account)
            .await
            .expect("session");
        token
    }

    /// PATCH /portal with the current `ETag` as `If-Match`.
    pub async fn patch_portal(&self, admin: &str, patch: Value) -> Answer {
        let etag = self.get("/portal", admin).await.header("etag");
        self.call(
            "PATCH",
            "/portal",
            Some(admin),
            Some(patch),
            &[("if-match", &etag)],
        )
        .await
    }

    /// PATCH /portal that must succeed.
    pub async fn set_portal(&self, admin: &str, patch: Value) {
        let a = self.patch_portal(admin, patch.clone()).await;
        assert_eq!(a.status, 200, "PATCH /portal {patch}: {}", a.text);
    }

    /// PATCH /tickets/{id} with its current `ETag` as `If-Match`, which must succeed.
    pub async fn set_ticket(&self, token: &str, id: i64, patch: Value) {
        let path = format!("/tickets/{id}");
        let etag = self.get(&path, token).await.header("etag");
        let a = self
            .call(
                "PATCH",
                &path,
                Some(token),
                Some(patch.clone()),
                &[("if-match", &etag)],
            )
            .await;
        assert_eq!(a.status, 200, "PATCH {path} {patch}: {}", a.text);
    }

    /// Sets the ticket permission mode (`contact_filter` gets `plan in [gold]`).
    pub async fn set_mode(&self, admin: &str, mode: &str) {
        let filter = if mode == "contact_filter" {
            json!([{"property": "plan", "op": "in", "value": ["gold"]}])
        } else {
            json!([])
        };
        self.set_portal(
            admin,
            json!({"ticket_permission": {"mode": mode, "filter": filter}}),
        )
        .await;
    }

    /// Every ticket as `token` lists it (all pages).
    pub async fn all_tickets(&self, token: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor = String::new();
        loop {
            let a = self
                .get(&format!("/tickets?limit=500&cursor={cursor}"), token)
                .await;
            assert_eq!(a.status, 200, "{}", a.text);
            out.extend(a.body["items"].as_array().expect("items").iter().cloned());
            match a.body["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => return out,
            }
        }
    }

    /// Follows the sync feed from `cursor` until `has_more` is false; returns the pages.
    pub async fn sync_all(&self, token: &str, cursor: &str, limit: usize) -> (Vec<Value>, String) {
        let mut pages = Vec::new();
        let mut cursor = cursor.to_string();
        loop {
            let a = self
                .get(&format!("/sync?limit={limit}&cursor={cursor}"), token)
                .await;
            assert_eq!(a.status, 200, "{}", a.text);
            cursor = a.body["cursor"].as_str().expect("cursor").to_string();
            let more = a.body["has_more"].as_bool().expect("has_more");
            pages.push(a.body);
            if !more {
                return (pages, cursor);
            }
        }
    }

    /// The changes to `entity` in the sync pages after `cursor`, as `(op, id)`, and the
    /// cursor after them.
    pub async fn changes_of(
        &self,
        token: &str,
        cursor: &str,
        entity: &str,
    ) -> (Vec<(String, i64)>, String) {
        let (pages, next) = self.sync_all(token, cursor, 1000).await;
        let changes = pages
            .iter()
            .flat_map(|p| p["changes"].as_array().cloned().unwrap_or_default())
            .filter(|c| c["entity"] == entity)
            .map(|c| {
                (
                    c["op"].as_str().unwrap_or_default().to_string(),
                    c["id"].as_i64().unwrap_or_default(),
                )
            })
            .collect();
        (changes, next)
    }

    /// The tickets with `subject`, as `token` lists them.
    pub async fn tickets_titled(&self, token: &str, subject: &str) -> Vec<Value> {
        self.all_tickets(token)
            .await
            .into_iter()
            .filter(|t| t["subject"] == subject)
            .collect()
    }

    /// The messages of ticket `id` as `token` sees them, oldest first.
    pub async fn thread(&self, token: &str, id: &Value) -> Vec<Value> {
        let detail = self.get(&format!("/tickets/{id}"), token).await;
        assert_eq!(detail.status, 200, "{}", detail.text);
        detail.body["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The first listed ticket raised by the contact with `email`, as `staff` lists it.
    pub async fn first_ticket_of(&self, staff: &str, email: &str) -> Value {
        let id = self.contact(staff, email).await["id"].clone();
        let all = self.all_tickets(staff).await;
        all.into_iter()
            .find(|t| t["contact_id"] == id)
            .expect("a ticket")
    }

    /// The contact with `email`, from the staff contact list.
    pub async fn contact(&self, staff: &str, email: &str) -> Value {
        let a = self.get("/contacts", staff).await;
        a.body
            .as_array()
            .expect("contacts")
            .iter()
            .find(|c| c["email"] == email)
            .cloned()
            .expect("contact exists")
    }
}

/// `.eml` files in `dir/mail`, oldest first, as text, once no more are being written: the
/// server sends sign-in and self-registration mail in the background, after its answer.
pub async fn mails(data_dir: &std::path::Path) -> Vec<String> {
    let read = || {
        let Ok(entries) = std::fs::read_dir(data_dir.join("mail")) else {
            return Vec::new();
        };
        let mut paths: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
        paths.sort();
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("eml"))
            .collect::<Vec<String>>()
    };
    let mut seen = read();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = read();
        if now == seen {
            return now;
        }
        seen = now;
    }
}

/// The first six-digit number in a mail's body (after soft line breaks are undone).
pub fn code_in(mail: &str) -> String {
    let text = mail.replace("=\r\n", "").replace("=\n", "");
    let body_at = text
        .find("\r\n\r\n")
        .or_else(|| text.find("\n\n"))
        .expect("headers end");
    let body = &text[body_at..];
    let bytes = body.as_bytes();
    (1..bytes.len().saturating_sub(5))
        .find(|&i| {
            bytes[i..i + 6].iter().all(u8::is_ascii_digit)
                && !bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 6).is_none_or(|b| !b.is_ascii_digit())
        })
        .map(|i| body[i..i + 6].to_string())
        .expect("a six-digit code in the mail")
}
