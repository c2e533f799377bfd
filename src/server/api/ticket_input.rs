//! Checks on ticket input that the type system cannot make: tags, categories, subjects, and
//! the role-specific body a handler parses from raw JSON.

use crate::domain::i18n::Language;
use crate::domain::portal::check_subject;
use crate::domain::ticket::{check_category, check_tag};
use crate::domain::wire::StaffTicketPatch;
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::TicketChange;

/// Parses a JSON body as `T`; any mismatch (unknown fields included) is a 400.
pub(super) fn parse_as<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> ApiResult<T> {
    serde_json::from_value(body).map_err(|e| ApiError::bad_request(format!("invalid body: {e}")))
}

/// Checks a ticket's tags: at most 20, each 1–32 of `a-z`, `0-9`, `-` and `_`.
pub(super) fn check_tags(tags: &[String]) -> ApiResult<()> {
    if tags.len() > 20 || tags.iter().any(|t| !check_tag(t)) {
        return Err(ApiError::invalid(
            "tags",
            "at most 20 tags of 1–32 a-z, 0-9, - and _",
        ));
    }
    Ok(())
}

/// Checks a category: at most 40 characters on one line.
pub(super) fn check_cat(category: &str) -> ApiResult<()> {
    if check_category(category) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "category",
            "at most 40 characters on one line",
        ))
    }
}

/// Checks a staff patch and turns it into a store change.
pub(super) fn staff_change(p: StaffTicketPatch) -> ApiResult<TicketChange> {
    if let Some(s) = &p.subject {
        check_subject(s, Language::English)?;
    }
    if let Some(c) = &p.category {
        check_cat(c)?;
    }
    if let Some(t) = &p.tags {
        check_tags(t)?;
    }
    Ok(TicketChange {
        subject: p.subject,
        stage: p.stage,
        priority: p.priority,
        category: p.category,
        owner_id: p.owner_id,
        inbox_id: p.inbox_id,
        tags: p.tags,
        ccs: None,
    })
}
