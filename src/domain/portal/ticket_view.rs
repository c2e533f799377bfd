//! How customers see their ticket list: columns, stage labels, closed tickets, sort.

use super::super::error::ValidationError;
use super::super::ticket::Stage;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A column customers may see in their ticket list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerColumn {
    /// Ticket number.
    Id,
    Subject,
    /// Customer label of the stage.
    Status,
    Priority,
    /// Who raised it (name only).
    Requester,
    /// When it was opened.
    Created,
    /// When it last changed.
    Updated,
}

/// Sort order of the customer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SortOrder {
    /// Column to sort by.
    pub column: CustomerColumn,
    /// Newest/largest first.
    pub descending: bool,
}

/// How customers see their tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketView {
    /// Columns in display order.
    pub columns: Vec<CustomerColumn>,
    /// Customer-facing label of each pipeline stage.
    pub stage_labels: BTreeMap<Stage, String>,
    /// Whether closed tickets are listed.
    pub show_closed: bool,
    /// Default sort.
    pub default_sort: SortOrder,
}

impl TicketView {
    /// The label customers see for `stage` (the stage's own name if none is set).
    pub fn label(&self, stage: Stage) -> String {
        self.stage_labels
            .get(&stage)
            .cloned()
            .unwrap_or_else(|| stage.default_label().to_string())
    }

    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        if self.columns.is_empty() {
            return Err(ValidationError::new(
                "ticket_view.columns",
                "at least one column must be shown",
            ));
        }
        let mut seen = Vec::new();
        for c in &self.columns {
            if seen.contains(c) {
                return Err(ValidationError::new(
                    "ticket_view.columns",
                    "a column is listed twice",
                ));
            }
            seen.push(*c);
        }
        for (stage, label) in &self.stage_labels {
            let n = label.trim().chars().count();
            if n == 0 || n > 40 {
                return Err(ValidationError::new(
                    format!("ticket_view.stage_labels.{}", stage.as_str()),
                    "must be 1–40 characters",
                ));
            }
        }
        Ok(())
    }
}

impl Default for TicketView {
    fn default() -> Self {
        TicketView {
            columns: vec![
                CustomerColumn::Id,
                CustomerColumn::Subject,
                CustomerColumn::Status,
                CustomerColumn::Updated,
            ],
            stage_labels: Stage::ALL
                .iter()
                .map(|s| (*s, s.default_label().to_string()))
                .collect(),
            show_closed: true,
            default_sort: SortOrder {
                column: CustomerColumn::Updated,
                descending: true,
            },
        }
    }
}
