//! Inbox and routing-rule bodies.

use super::tickets::double_option;
use crate::domain::routing::{MatchMode, RoutingInput, RuleOutcome};
use crate::domain::{Assignment, Condition, Inbox, InboxKind, Priority, RoutingRule};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An inbox with its load.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
pub struct InboxOut {
    /// The inbox.
    #[serde(flatten)]
    pub inbox: Inbox,
    /// Open tickets in it.
    pub open: i64,
    /// Open tickets with no owner.
    pub unassigned: i64,
    /// Whether it is the portal's default inbox.
    pub is_default: bool,
}

/// A new inbox.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxInput {
    pub name: String,
    /// Inbox or help desk.
    pub kind: InboxKind,
    /// Staff user ids.
    #[serde(default)]
    pub members: Vec<i64>,
    /// Assignment method.
    pub assignment: Assignment,
    /// Capacity per agent; absent or null for none.
    #[serde(default)]
    pub capacity: Option<u32>,
}

/// Changes to an inbox.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxPatch {
    pub name: Option<String>,
    /// Inbox or help desk.
    pub kind: Option<InboxKind>,
    /// Staff user ids (replaces them).
    pub members: Option<Vec<i64>>,
    /// How tickets in it get an owner.
    pub assignment: Option<Assignment>,
    /// Capacity; `null` removes the limit.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<u32>)]
    pub capacity: Option<Option<u32>>,
}

/// A rule as written by an admin (id and, optionally, position assigned by the server).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    pub name: String,
    /// Enabled (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Position (default: last).
    #[serde(default)]
    pub position: Option<i64>,
    /// All or any.
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
    pub conditions: Vec<Condition>,
    /// What a matching rule does to the ticket.
    pub then: RuleOutcome,
}

fn yes() -> bool {
    true
}

impl RuleInput {
    /// The rule this input describes, with `id`; no position means last.
    pub fn into_rule(self, id: i64) -> RoutingRule {
        RoutingRule {
            id,
            name: self.name,
            enabled: self.enabled,
            position: self.position.unwrap_or(i64::MAX),
            match_mode: self.match_mode,
            conditions: self.conditions,
            then: self.then,
        }
    }
}

/// Changes to a rule.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulePatch {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    /// New position (others shift).
    pub position: Option<i64>,
    /// All or any.
    #[serde(rename = "match")]
    pub match_mode: Option<MatchMode>,
    pub conditions: Option<Vec<Condition>>,
    /// What a matching rule does to the ticket.
    pub then: Option<RuleOutcome>,
}

/// A draft ticket, and optionally draft rules to try instead of the saved ones.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleTestRequest {
    /// The draft ticket.
    pub ticket: RoutingInput,
    /// Rules to evaluate instead of the saved ones (e.g. an edited rule before saving).
    #[serde(default)]
    pub rules: Option<Vec<RuleInput>>,
}

/// Where routing sent a ticket, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RouteDecision {
    /// The rule that matched, if any.
    pub rule: Option<RuleRef>,
    /// Destination inbox (the default inbox when no rule matched).
    pub inbox_id: Option<i64>,
    /// Assigned agent, if any.
    pub owner_id: Option<i64>,
    /// Priority after the rule.
    pub priority: Option<Priority>,
}

/// A rule named in a routing decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleRef {
    /// Rule id.
    pub id: i64,
    /// Rule name.
    pub name: String,
}
