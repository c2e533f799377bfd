//! The caller's SSH public keys: registered here, they sign the caller in to `serve --ssh`
//! without a password. The SSH server verifies the key's signature and asks
//! `POST /auth/ssh-key` in process for a session of the key's owner.

use super::auth::{is_registered, refuse_if_locked, start_session};
use crate::domain::text::{cut_to_width, strip_control};
use crate::domain::wire::{LoginResponse, SshKeyIn, SshKeyOut};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Caller, Json, Path};
use crate::server::state::SharedState;
use crate::server::store::{NewSshKey, StoreError};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use russh::keys::{Algorithm, HashAlg, PublicKey};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most keys one account may register: enough for every machine a person uses, few enough
/// that a stolen session cannot fill the table.
pub const MAX_KEYS_PER_ACCOUNT: usize = 10;

/// Longest comment kept (cells); a longer one ends in `…`.
const MAX_COMMENT: usize = 100;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_keys, add_key))
        .routes(routes!(delete_key))
        .routes(routes!(sign_in_by_key))
}

/// Proof that the SSH server in this process verified a signature by the key with this
/// SHA-256 fingerprint. Only code in the process can put it on a request (extensions never
/// come off the wire), so over HTTP `POST /auth/ssh-key` is always refused.
#[derive(Debug, Clone)]
pub struct VerifiedKey(pub String);

/// A session for the owner of a key the SSH server verified: the public-key counterpart of
/// `POST /auth/login`, with its rate limits and lockout. Answered only in process (403 over
/// HTTP); a key nobody registered, or whose account is gone, is a 401.
#[utoipa::path(post, path = "/auth/ssh-key", tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn sign_in_by_key(
    State(state): State<SharedState>,
    verified: Option<Extension<VerifiedKey>>,
) -> ApiResult<Json<LoginResponse>> {
    let Some(Extension(VerifiedKey(fingerprint))) = verified else {
        return Err(ApiError::forbidden());
    };
    let refused = || ApiError::refused("error-wrong-login");
    let account = state
        .store
        .account_by_ssh_key(fingerprint)
        .await?
        .filter(is_registered)
        .ok_or_else(refused)?;
    refuse_if_locked(&state, account.email()).await?;
    Ok(Json(start_session(&state, account).await?))
}

/// The caller's registered keys, oldest first.
#[utoipa::path(get, path = "/me/ssh-keys", tag = "auth", responses((status = 200, body = Vec<SshKeyOut>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn list_keys(
    State(state): State<SharedState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SshKeyOut>>> {
    Ok(Json(state.store.ssh_keys(caller.account).await?))
}

/// Registers an OpenSSH public-key line (as in `~/.ssh/id_ed25519.pub`) to the caller. Refused
/// (422): a line that is not a public key, a DSA or security-key type, a key registered
/// already (to anyone), or more than [`MAX_KEYS_PER_ACCOUNT`].
#[utoipa::path(post, path = "/me/ssh-keys", tag = "auth", request_body = SshKeyIn,
    responses((status = 201, body = SshKeyOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn add_key(
    State(state): State<SharedState>,
    caller: Caller,
    Json(req): Json<SshKeyIn>,
) -> ApiResult<(StatusCode, Json<SshKeyOut>)> {
    let key = parse(&req.public_key)?;
    let added = state
        .store
        .add_ssh_key(caller.account, key, MAX_KEYS_PER_ACCOUNT)
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(why) => ApiError::unprocessable("public_key", why),
            StoreError::Invalid(v) => ApiError::unprocessable(v.field, v.message),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Removes one of the caller's keys; it no longer signs in (404 for another's key or none).
#[utoipa::path(delete, path = "/me/ssh-keys/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete_key(
    State(state): State<SharedState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.store.delete_ssh_key(caller.account, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The SHA-256 fingerprint a key is registered and looked up by (`SHA256:…`).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Checks one OpenSSH public-key line and keeps its type, body, fingerprint and comment.
fn parse(line: &str) -> ApiResult<NewSshKey> {
    let line = line.trim();
    let key = PublicKey::from_openssh(line).map_err(|_| {
        ApiError::said_of_field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
            "public_key",
            "error-ssh-key-unreadable",
        )
    })?;
    match key.algorithm() {
        Algorithm::Ed25519 | Algorithm::Ecdsa { .. } | Algorithm::Rsa { .. } => {}
        other => {
            return Err(ApiError::unprocessable(
                "public_key",
                format!(
                    "{} keys cannot sign in here; use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa",
                    other.as_str()
                ),
            ));
        }
    }
    let mut fields = line.split_whitespace();
    let public_key = match (fields.next(), fields.next()) {
        (Some(kind), Some(body)) => format!("{kind} {body}"),
        _ => {
            return Err(ApiError::unprocessable(
                "public_key",
                "a key line has a type and a body",
            ));
        }
    };
    Ok(NewSshKey {
        public_key,
        fingerprint: fingerprint(&key),
        comment: cut_to_width(
            &strip_control(key.comment().as_str_lossy()).replace('\n', " "),
            MAX_COMMENT,
        ),
    })
}
