//! Public-key sign-in over SSH: a key its owner registered in the Account tab (or through
//! `POST /me/ssh-keys`) signs them in without a password. The SSH user name is ignored: the
//! key alone names the account. russh has verified the client's signature before
//! [`PortalDoor::sign_in_by_key`] runs; the session then comes from `POST /auth/ssh-key`
//! answered in process, through the same rate limits and lockout as a password, and the
//! connection goes on exactly as after a keyboard-interactive sign-in (session caps, the
//! session ending when it is revoked).

use super::sign_in::PortalDoor;
use axum::body::Body;
use axum::http::{Method, Request};
use deskport::domain::wire::LoginResponse;
use deskport::server::api::ssh_keys::{VerifiedKey, fingerprint};
use russh::keys::{Algorithm, PublicKey};
use russh::{MethodKind, MethodSet};
use std::net::SocketAddr;

/// The ways a connection may sign in: a registered key, else email and password (or code).
pub fn methods() -> MethodSet {
    MethodSet::from(&[MethodKind::PublicKey, MethodKind::KeyboardInteractive][..])
}

/// Whether a key of this type is worth the client's signature: the types the portal takes
/// for registration. Whether it is registered is asked only once its owner proved to hold
/// it, so nobody can find out which keys sign in here by offering them.
pub fn worth_a_signature(key: &PublicKey) -> bool {
    matches!(
        key.algorithm(),
        Algorithm::Ed25519 | Algorithm::Ecdsa { .. } | Algorithm::Rsa { .. }
    )
}

impl PortalDoor {
    /// Signs in the owner of `key` (whose signature russh verified) for a user connected
    /// from `peer`: the new session, or the API's reason for refusing.
    pub async fn sign_in_by_key(
        &self,
        peer: SocketAddr,
        key: &PublicKey,
    ) -> Result<LoginResponse, String> {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/ssh-key")
            .body(Body::empty())
            .map_err(|e| format!("cannot build the sign-in request: {e}"))?;
        request
            .extensions_mut()
            .insert(VerifiedKey(fingerprint(key)));
        self.session_from(request, peer).await
    }
}
