//! Signing SSH users in and out through the portal API answered in process, so a password
//! typed into `ssh` meets the same checks as one sent to `POST /auth/login`: the rate limits
//! (counted against the SSH client's address), the lockout, and a refusal that takes as long
//! as an acceptance.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use deskport::domain::wire::{LoginRequest, LoginResponse};
use deskport::server::InProcess;
use std::net::SocketAddr;

/// Largest answer read from the sign-in endpoint.
const MAX_ANSWER: usize = 64 * 1024;

/// The portal's sign-in, as the SSH server uses it.
#[derive(Clone)]
pub struct PortalDoor {
    api: InProcess,
}

impl PortalDoor {
    /// The door through `api`.
    pub fn new(api: InProcess) -> Self {
        PortalDoor { api }
    }

    /// Signs `email` in with `password` for a user connected from `peer`; the new session,
    /// or the API's reason for refusing.
    pub async fn sign_in(
        &self,
        peer: SocketAddr,
        email: String,
        password: String,
    ) -> Result<LoginResponse, String> {
        let body = serde_json::to_vec(&LoginRequest { email, password })
            .map_err(|e| format!("cannot encode the sign-in: {e}"))?;
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .map_err(|e| format!("cannot build the sign-in request: {e}"))?;
        self.session_from(request, peer).await
    }

    /// Sends a sign-in `request` for a user connected from `peer`: the session it opened,
    /// or the API's reason for refusing.
    pub(super) async fn session_from(
        &self,
        request: Request<Body>,
        peer: SocketAddr,
    ) -> Result<LoginResponse, String> {
        let response = self.api.answer(request, peer).await;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), MAX_ANSWER)
            .await
            .map_err(|e| format!("cannot read the sign-in answer: {e}"))?;
        if status != StatusCode::OK {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("a sign-in answer out of shape: {e}"))
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
