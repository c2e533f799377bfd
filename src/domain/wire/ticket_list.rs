//! The filters and page of `GET /tickets`, as its query string carries them. The client
//! builds it and the server parses it from this one type, so the two cannot disagree on a
//! name or a meaning.

use crate::domain::Stage;
use serde::Deserialize;
use utoipa::IntoParams;

/// Which visible tickets a list asks for, and which page.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TicketListQuery {
    /// Words to find in id, subject, requester or company.
    pub q: Option<String>,
    /// Stage (staff only).
    pub stage: Option<Stage>,
    /// `me`, `none` or a user id (staff only).
    pub owner: Option<String>,
    /// Inbox id (staff only).
    pub inbox: Option<i64>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
