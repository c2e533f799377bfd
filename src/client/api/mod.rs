//! The typed HTTP client of the portal API: one request path that classifies every failure
//! into an [`ApiError`] and retries only what is safe to repeat (reads, and writes that carry
//! an `Idempotency-Key`).

mod account;
mod endpoints;
mod saved_replies;
mod ticket_mail;

use super::error::ApiError;
use super::language::SharedLanguage;
use super::session::normalize_server_url;
use crate::domain::i18n::Language;
use reqwest::header::{ACCEPT_LANGUAGE, ETAG, HeaderMap, IF_MATCH, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How long one ordinary request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts for a request that is safe to repeat.
const ATTEMPTS: u32 = 3;
/// Longest `Retry-After` waited for inside one call; longer ones are returned to the caller.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(2);

/// A client of one portal server, optionally signed in. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    server_url: String,
    base: String,
    token: Option<String>,
    /// Asked for with every request; starts as the creating thread's language.
    language: SharedLanguage,
}

/// A decoded answer with its `ETag` version, when the server sent one.
#[derive(Debug, Clone)]
pub struct Tagged<T> {
    /// The body.
    pub body: T,
    /// The version named by the `ETag` header.
    pub version: Option<i64>,
}

/// One request to send.
pub(crate) struct Call<'a> {
    method: Method,
    path: String,
    query: Vec<(&'a str, String)>,
    body: Option<Vec<u8>>,
    if_match: Option<i64>,
    idempotency_key: Option<&'a str>,
    timeout: Option<Duration>,
}

impl<'a> Call<'a> {
    /// A request without a body.
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Call {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            if_match: None,
            idempotency_key: None,
            timeout: Some(REQUEST_TIMEOUT),
        }
    }

    /// Adds a JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, ApiError> {
        self.body = Some(
            serde_json::to_vec(body)
                .map_err(|e| ApiError::Protocol(format!("cannot encode the request: {e}")))?,
        );
        Ok(self)
    }

    /// Adds a query parameter.
    pub(crate) fn query(mut self, key: &'a str, value: impl ToString) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    /// Sends `If-Match: "<version>"`.
    pub(crate) fn if_match(mut self, version: i64) -> Self {
        self.if_match = Some(version);
        self
    }

    /// Sends `Idempotency-Key` (and makes the write safe to retry).
    pub(crate) fn idempotency_key(mut self, key: Option<&'a str>) -> Self {
        self.idempotency_key = key;
        self
    }

    /// No overall time limit (for the event stream).
    pub(crate) fn without_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    fn repeatable(&self) -> bool {
        self.method == Method::GET || self.idempotency_key.is_some()
    }
}

#[derive(serde::Deserialize)]
struct ErrorEnvelope {
    error: ErrorFields,
}

#[derive(serde::Deserialize)]
struct ErrorFields {
    code: String,
    message: String,
    #[serde(default)]
    field: Option<String>,
}

impl ApiClient {
    /// A client of the server at `server_url` (with or without the `/api/v1` suffix).
    pub fn new(server_url: &str) -> Result<Self, ApiError> {
        let server_url = normalize_server_url(server_url);
        if !(server_url.starts_with("http://") || server_url.starts_with("https://")) {
            return Err(ApiError::Protocol(format!(
                "`{server_url}` is not an http:// or https:// URL"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("deskport/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Protocol(format!("cannot build the HTTP client: {e}")))?;
        let base = format!("{server_url}/api/v1");
        Ok(ApiClient {
            http,
            server_url,
            base,
            token: None,
            language: SharedLanguage::new(super::language::current()),
        })
    }

    /// The same client, signed in with `token`.
    pub fn with_token(&self, token: impl Into<String>) -> Self {
        ApiClient {
            token: Some(token.into()),
            ..self.clone()
        }
    }

    /// Asks the server for its messages in `language` from now on, on every clone of this
    /// client.
    pub fn set_language(&self, language: Language) {
        self.language.set(language);
    }

    /// The server's base URL, without `/api/v1`.
    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    fn request(&self, call: &Call<'_>) -> RequestBuilder {
        let mut req = self
            .http
            .request(call.method.clone(), format!("{}{}", self.base, call.path));
        if !call.query.is_empty() {
            req = req.query(&call.query);
        }
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        req = req.header(ACCEPT_LANGUAGE, self.language.get().tag());
        if let Some(v) = call.if_match {
            req = req.header(IF_MATCH, format!("\"{v}\""));
        }
        if let Some(k) = call.idempotency_key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(b) = &call.body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.clone());
        }
        if let Some(t) = call.timeout {
            req = req.timeout(t);
        }
        req
    }

    /// Sends `call`, retrying what is safe to repeat, and returns the successful response.
    pub(crate) async fn send(&self, call: Call<'_>) -> Result<Response, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let err = match self.request(&call).send().await {
                Ok(resp) if resp.status().is_success() => return Ok(resp),
                Ok(resp) => error_from(resp).await,
                Err(e) => transport_error(&e),
            };
            let wait = match &err {
                _ if !call.repeatable() || attempt >= ATTEMPTS => None,
                ApiError::Offline(_) | ApiError::Server { .. } => {
                    Some(Duration::from_millis(150 * 3u64.pow(attempt - 1)))
                }
                ApiError::RateLimited {
                    retry_after: Some(d),
                    ..
                } if *d <= MAX_INLINE_WAIT => Some(*d),
                ApiError::Conflict { code, .. } if code == "in_progress" => {
                    Some(Duration::from_millis(200))
                }
                _ => None,
            };
            match wait {
                Some(d) => tokio::time::sleep(d).await,
                None => return Err(err),
            }
        }
    }

    /// Sends `call` and decodes the JSON answer with its `ETag`.
    pub(crate) async fn fetch<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<Tagged<T>, ApiError> {
        let resp = self.send(call).await?;
        let version = etag_version(resp.headers());
        let bytes = resp.bytes().await.map_err(|e| transport_error(&e))?;
        let body = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::Protocol(format!("cannot read the answer: {e}")))?;
        Ok(Tagged { body, version })
    }

    /// Sends `call` and decodes the JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, ApiError> {
        Ok(self.fetch(call).await?.body)
    }

    /// Sends `call` and ignores the answer's body.
    pub(crate) async fn empty(&self, call: Call<'_>) -> Result<(), ApiError> {
        self.send(call).await.map(drop)
    }
}

/// The version an `ETag` header names (`"7"` or `W/"7"`).
fn etag_version(headers: &HeaderMap) -> Option<i64> {
    headers
        .get(ETAG)?
        .to_str()
        .ok()?
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .ok()
}

/// Classifies a transport failure: anything that kept the answer from arriving is "offline".
pub(crate) fn transport_error(e: &reqwest::Error) -> ApiError {
    if e.is_decode() {
        return ApiError::Protocol(e.to_string());
    }
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg = format!("{msg}: {s}");
        source = s.source();
    }
    ApiError::Offline(msg)
}

/// Classifies an error answer by status, reading the API's error body when there is one.
pub(crate) async fn error_from(resp: Response) -> ApiError {
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let text = resp.text().await.unwrap_or_default();
    let (code, message, field) = match serde_json::from_str::<ErrorEnvelope>(&text) {
        Ok(env) => (env.error.code, env.error.message, env.error.field),
        Err(_) => (
            String::new(),
            status.canonical_reason().unwrap_or("error").to_string(),
            None,
        ),
    };
    match status {
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized(message),
        StatusCode::FORBIDDEN => ApiError::Forbidden { code, message },
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::PRECONDITION_FAILED | StatusCode::CONFLICT => {
            ApiError::Conflict { code, message }
        }
        StatusCode::TOO_MANY_REQUESTS => ApiError::RateLimited {
            retry_after,
            message,
        },
        s if s.is_server_error() => ApiError::Server {
            status: s.as_u16(),
            message,
        },
        s => ApiError::Rejected {
            status: s.as_u16(),
            code,
            message,
            field,
        },
    }
}
