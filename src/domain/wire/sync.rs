//! The sync feed's page.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One change for the client to apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// `portal`, `domains`, `ticket`, `inbox`, `rule`, `user`, `contact` or `company`.
    pub entity: String,
    /// `upsert` or `delete`.
    pub op: String,
    /// The entity's id (0 for `portal` and `domains`).
    pub id: i64,
    /// The entity as the viewer may see it (absent for deletes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// A page of the feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyncPage {
    /// Cursor for the next call.
    pub cursor: String,
    /// The client must drop what it holds before applying this page (scope changed or first sync).
    pub reset: bool,
    /// Changes in order.
    pub changes: Vec<Change>,
    /// More is waiting: call again at once.
    pub has_more: bool,
}
