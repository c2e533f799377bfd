//! Sign-in, registration and account bodies.

use crate::domain::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A signed-in account as the API describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountOut {
    /// Id of the user or contact.
    pub id: i64,
    /// `user` (staff) or `contact`.
    pub kind: String,
    /// `admin`, `agent` or `customer`.
    pub role: Role,
    /// Display name.
    pub name: String,
    pub email: String,
    /// For contacts: their primary company's id.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub company_id: Option<i64>,
}

/// Email and password.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
pub struct LoginResponse {
    /// Bearer token.
    pub token: String,
    /// Who signed in.
    pub user: AccountOut,
}

/// The caller's account and what it must do first.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
pub struct MeResponse {
    /// Who is signed in.
    pub user: AccountOut,
    /// For customers: the consent notice must be accepted before using the portal.
    pub consent_required: bool,
    /// The consent version to accept.
    pub consent_version: i64,
}

/// A new password for the signed-in account.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The current password (a stolen session alone must not be enough to take the account).
    pub old_password: String,
    /// The new password, at least 10 characters.
    pub new_password: String,
}

/// Accepting a consent notice version.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// The version shown.
    pub version: i64,
}

/// An email to send a code to.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub email: String,
}

/// What happened to a requested email.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
pub struct EmailOutcome {
    /// Whether an email was sent (always true-looking for unknown addresses, so nobody can
    /// probe which addresses have accounts).
    pub email_sent: bool,
    /// Why not, when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A code to exchange for a session.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub email: String,
    /// The six digits.
    pub code: String,
}

/// Registration: with only `email`, asks for a code (self-registration); with `code` and
/// `password`, completes registration.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// The contact's email.
    pub email: String,
    /// The emailed code.
    #[serde(default)]
    pub code: Option<String>,
    /// The new password (10–256 characters).
    #[serde(default)]
    pub password: Option<String>,
}

/// Outcome of a registration call.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
#[serde(untagged)]
pub enum RegisterResponse {
    /// Registration completed: a session.
    Registered(LoginResponse),
    /// A code was (or was not) emailed.
    CodeRequested(EmailOutcome),
}
