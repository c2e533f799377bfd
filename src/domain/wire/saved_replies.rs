//! Bodies of the saved-reply routes (`/saved-replies`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new saved reply: personal unless `shared` (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedReplyInput {
    /// What the picker lists and searches; one line.
    pub title: String,
    /// The text, with `{placeholder}`s.
    pub body: String,
    /// Shared with the whole team (admins only) instead of kept for the author.
    #[serde(default)]
    pub shared: bool,
}

/// A change to a saved reply; absent fields stay. `shared: true` shares a personal reply
/// with the team, `false` takes a shared one back as the admin's own (admins only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedReplyPatch {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Share or unshare.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
}
