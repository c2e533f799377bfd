//! Shared test harness: a real server in-process on a loopback port with a temporary data
//! dir, and a small JSON client for calling it.

#![allow(dead_code)]

use deskport::server::{RunningServer, ServerConfig, start};
use serde_json::Value;
use std::net::SocketAddr;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "deskport-demo";

/// A running test server and its temporary data dir (deleted on drop).
pub struct TestServer {
    /// The server.
    pub server: RunningServer,
    /// Its data dir.
    pub dir: tempfile::TempDir,
    /// HTTP client.
    pub http: reqwest::Client,
}

/// Starts a demo server with `tickets` demo tickets.
pub async fn demo_server(tickets: usize) -> TestServer {
    server_with(true, tickets).await
}

/// Starts a fresh (non-demo) server.
pub async fn fresh_server() -> TestServer {
    server_with(false, 0).await
}

async fn server_with(demo: bool, tickets: usize) -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ServerConfig { data_dir: dir.path().join("data"), demo, demo_tickets: tickets, smtp: None };
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let server = start(&config, addr).await.expect("server starts");
    TestServer { server, dir, http: reqwest::Client::new() }
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

    /// Sends a request; `token` adds a bearer token, `headers` extra headers.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>, headers: &[(&str, &str)]) -> Answer {
        let url = format!("{}{}", self.base(), path);
        let mut req = self.http.request(method.parse().expect("method"), url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Answer { status, headers, body }
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call("GET", path, Some(token), None, &[]).await
    }

    /// Signs in and returns the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let a = self.call("POST", "/auth/login", None, Some(serde_json::json!({"email": email, "password": password})), &[]).await;
        assert_eq!(a.status, 200, "login {email}: {:?}", a.body);
        a.body["token"].as_str().expect("token").to_string()
    }

    /// Signs in a demo account.
    pub async fn demo_login(&self, email: &str) -> String {
        self.login(email, DEMO_PASSWORD).await
    }
}
