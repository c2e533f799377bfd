//! Rate limits on the endpoints that check secrets or send email: sign-in, password-less
//! codes, registration and invitations. Each request counts against its client address and,
//! when the body names one, its account email; past the limit the answer is 429 with
//! `Retry-After`. The address is the TCP peer: forwarded headers are not trusted, because
//! anyone can send them, except from the one reverse proxy the operator names
//! (`serve --trust-proxy`), whose last `X-Forwarded-For` entry is the address it saw.

use crate::server::error::{ApiError, SaidArg};
use crate::server::state::SharedState;
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

pub use crate::server::store::rate::Limit;

/// The limits of one kind of request, per client address and per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Name used in keys.
    pub name: &'static str,
    /// The catalogue message a refused request gets.
    pub message: &'static str,
    /// Per client address.
    pub per_address: Limit,
    /// Per account email.
    pub per_account: Limit,
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Sign-in attempts (password or code) and password changes (which check the current
/// password). The lockout after 10 failures guards each account;
/// this caps how fast one address may try many accounts.
pub const SIGN_IN: Policy = Policy {
    name: "sign-in",
    message: "error-rate-limited-sign-in",
    per_address: Limit {
        max: 60,
        window: MINUTE,
    },
    per_account: Limit {
        max: 20,
        window: MINUTE,
    },
};
/// Requests that email a code (password-less codes, self-registration).
pub const CODE_EMAIL: Policy = Policy {
    name: "code email",
    message: "error-rate-limited-code-email",
    per_address: Limit {
        max: 30,
        window: HOUR,
    },
    per_account: Limit {
        max: 5,
        window: HOUR,
    },
};
/// Invitations (admins), per address only.
pub const INVITE: Policy = Policy {
    name: "invitation",
    message: "error-rate-limited-invitation",
    per_address: Limit {
        max: 120,
        window: HOUR,
    },
    per_account: Limit {
        max: 120,
        window: HOUR,
    },
};

/// Which policy a request falls under, if any.
pub fn policy_for(method: &Method, path: &str) -> Option<Policy> {
    if method != Method::POST {
        return None;
    }
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    match path {
        "/auth/login" | "/auth/verify" | "/auth/ssh-key" | "/me/password" => Some(SIGN_IN),
        "/auth/code" | "/auth/register" => Some(CODE_EMAIL),
        p if p.starts_with("/contacts/") && p.ends_with("/invite") => Some(INVITE),
        _ => None,
    }
}

fn too_many(policy: &Policy, wait: u64) -> Response {
    let seconds = i64::try_from(wait).unwrap_or(i64::MAX);
    let mut e = ApiError::said(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        policy.message,
        vec![("seconds", SaidArg::Number(seconds))],
    );
    e.retry_after = Some(wait);
    e.into_response()
}

/// Counts one request under `key` in the store (shared by every server on its database);
/// the answer to send instead when over the limit or when the count fails.
async fn count(
    state: &SharedState,
    key: String,
    limit: Limit,
    policy: &Policy,
) -> Result<(), Response> {
    match state.store.count_request(key, limit).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(wait)) => Err(too_many(policy, wait)),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

/// The address `req` counts against: its TCP peer, or, when that is `trusted_proxy`, the
/// last address in the proxy's `X-Forwarded-For` (the one the proxy saw; entries before it
/// come from the client and prove nothing). `None` without a peer (the app in process).
fn client_address(req: &Request, trusted_proxy: Option<IpAddr>) -> Option<IpAddr> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if Some(peer) != trusted_proxy {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok());
    Some(forwarded.unwrap_or(peer))
}

/// The middleware.
pub async fn layer(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let Some(policy) = policy_for(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    if let Some(ip) = client_address(&req, state.trusted_proxy) {
        let key = format!("{}|ip|{ip}", policy.name);
        if let Err(refused) = count(&state, key, policy.per_address, &policy).await {
            return refused;
        }
    }
    let (parts, body) = req.into_parts();
    let bytes = match super::read_body(body).await {
        Ok(b) => b,
        Err(too_large) => return too_large,
    };
    let email = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("email")
                .and_then(|e| e.as_str())
                .map(|e| e.trim().to_lowercase())
        });
    if let Some(email) = email {
        let key = format!("{}|account|{email}", policy.name);
        if let Err(refused) = count(&state, key, policy.per_account, &policy).await {
            return refused;
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_cover_secret_and_mail_endpoints() {
        assert_eq!(
            policy_for(&Method::POST, "/api/v1/auth/login"),
            Some(SIGN_IN)
        );
        assert_eq!(
            policy_for(&Method::POST, "/api/v1/auth/verify"),
            Some(SIGN_IN)
        );
        assert_eq!(
            policy_for(&Method::POST, "/api/v1/auth/code"),
            Some(CODE_EMAIL)
        );
        assert_eq!(
            policy_for(&Method::POST, "/api/v1/auth/register"),
            Some(CODE_EMAIL)
        );
        assert_eq!(
            policy_for(&Method::POST, "/api/v1/contacts/7/invite"),
            Some(INVITE)
        );
        assert_eq!(policy_for(&Method::GET, "/api/v1/auth/login"), None);
        assert_eq!(policy_for(&Method::POST, "/api/v1/tickets"), None);
    }
}
