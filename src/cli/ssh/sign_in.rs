//! Signing SSH users in and out through the portal API answered in process, so a password or
//! an emailed code typed into `ssh` meets the same checks as one sent to the API: the rate
//! limits (counted against the SSH client's address), the lockout, and a refusal that takes as
//! long as an acceptance. The portal's settings (password-less codes on or off, its language,
//! its idle timeout) are read from its store.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use deskport::domain::i18n::Language;
use deskport::domain::wire::{
    CodeRequest, EmailOutcome, LoginRequest, LoginResponse, VerifyRequest,
};
use deskport::server::InProcess;
use deskport::server::store::Store;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Largest answer read from the sign-in endpoints.
const MAX_ANSWER: usize = 64 * 1024;

/// The idle timeout used when the portal's settings cannot be read.
const IDLE_FALLBACK: Duration = Duration::from_secs(3600);

/// The portal's sign-in, as the SSH server uses it.
#[derive(Clone)]
pub struct PortalDoor {
    api: InProcess,
    store: Arc<dyn Store>,
}

impl PortalDoor {
    /// The door through `api`, reading the portal's settings from `store`.
    pub fn new(api: InProcess, store: Arc<dyn Store>) -> Self {
        PortalDoor { api, store }
    }

    /// Signs `email` in with `password` for a user connected from `peer`; the new session,
    /// or the API's reason for refusing (in the portal's language).
    pub async fn sign_in(
        &self,
        peer: SocketAddr,
        email: String,
        password: String,
    ) -> Result<LoginResponse, String> {
        let login = LoginRequest { email, password };
        self.post(peer, "/api/v1/auth/login", &login).await
    }

    /// Has a sign-in code mailed to `email` (the API mails only registered customers, and
    /// answers alike for everyone).
    pub async fn send_code(&self, peer: SocketAddr, email: String) -> Result<(), String> {
        let request = CodeRequest { email };
        let _: EmailOutcome = self.post(peer, "/api/v1/auth/code", &request).await?;
        Ok(())
    }

    /// Signs `email` in with the `code` mailed to it.
    pub async fn sign_in_with_code(
        &self,
        peer: SocketAddr,
        email: String,
        code: String,
    ) -> Result<LoginResponse, String> {
        let verify = VerifyRequest { email, code };
        self.post(peer, "/api/v1/auth/verify", &verify).await
    }

    /// Whether the portal mails sign-in codes (its password-less sign-in is on).
    pub async fn mails_codes(&self) -> bool {
        match self.store.portal().await {
            Ok(portal) => portal.access.passwordless,
            Err(e) => {
                tracing::warn!("cannot read whether the portal mails sign-in codes: {e}");
                false
            }
        }
    }

    /// The primary language of the portal's domain, which customers read, and what the
    /// server speaks before a session's terminal says its own; English when the store
    /// cannot say.
    pub async fn language(&self) -> Language {
        match (self.store.portal().await, self.store.domains().await) {
            (Ok(portal), Ok(domains)) => Language::or_english(&portal.language(&domains)),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!("cannot read the portal's language: {e}");
                Language::English
            }
        }
    }

    /// The portal's idle timeout, read afresh so a change applies to open sessions.
    pub async fn idle_limit(&self) -> Duration {
        match self.store.portal().await {
            Ok(portal) => Duration::from_secs(u64::from(portal.access.idle_timeout_minutes) * 60),
            Err(e) => {
                tracing::warn!("cannot read the portal's idle timeout: {e}");
                IDLE_FALLBACK
            }
        }
    }

    /// Posts `body` to `path` as a client at `peer`; the answer, or the API's message.
    async fn post<T: DeserializeOwned>(
        &self,
        peer: SocketAddr,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, String> {
        let body = serde_json::to_vec(body).map_err(|e| format!("cannot encode: {e}"))?;
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        self.session_from(request, peer).await
    }

    /// Sends `request` (a sign-in, or another request of the sign-in's) for a user connected
    /// from `peer`: the answer, or the API's reason for refusing — asked in the portal's
    /// language, as the prompts are, so a refusal reads in it too.
    pub(super) async fn session_from<T: DeserializeOwned>(
        &self,
        mut request: Request<Body>,
        peer: SocketAddr,
    ) -> Result<T, String> {
        let language = HeaderValue::from_static(self.language().await.tag());
        request
            .headers_mut()
            .insert(header::ACCEPT_LANGUAGE, language);
        let response = self.api.answer(request, peer).await;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), MAX_ANSWER)
            .await
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        if !status.is_success() {
            return Err(api_message(&bytes).unwrap_or_else(|| status.to_string()));
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("an answer out of shape: {e}"))
    }

    /// Ends the session with `token` (the SSH session that used it is over).
    pub async fn sign_out(&self, peer: SocketAddr, token: &str) {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/logout")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty());
        match request {
            Ok(request) => {
                let status = self.api.answer(request, peer).await.status();
                if !status.is_success() && status != StatusCode::UNAUTHORIZED {
                    tracing::warn!("signing an SSH session out answered {status}");
                }
            }
            Err(e) => tracing::warn!("cannot build the sign-out request: {e}"),
        }
    }
}

/// The `error.message` of an API error answer.
fn api_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value["error"]["message"].as_str().map(str::to_string)
}
