//! The caller's own account settings: the language the app speaks to them, and the SSH public
//! keys that sign them in without a password.

use crate::domain::i18n::Language;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The language a person chose for the app. `null` is automatic: the terminal's `LANG` /
/// `LC_MESSAGES`, else English. Customers are shown their portal domain's language whatever
/// they keep here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageChoice {
    /// A shipped language's tag (`en`, `it`), or `null` for automatic.
    #[schema(example = "it")]
    pub language: Option<String>,
}

impl LanguageChoice {
    /// The chosen language, `None` for automatic (or a tag this build no longer ships).
    pub fn language(&self) -> Option<Language> {
        self.language.as_deref().and_then(Language::from_tag)
    }
}

/// An OpenSSH public-key line to register (`ssh-ed25519 AAAA… comment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SshKeyIn {
    /// The line as `ssh-keygen` writes it into the `.pub` file.
    pub public_key: String,
}

/// A registered SSH public key, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SshKeyOut {
    /// Its id, for deleting it.
    pub id: i64,
    /// The key type (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`).
    pub algorithm: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The comment of the line (often `user@host`); may be empty.
    pub comment: String,
    /// When it was registered (RFC 3339).
    pub added_at: String,
}
