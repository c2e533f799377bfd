//! Inboxes, routing rules and in-inbox assignment: where a new ticket goes and who gets it.

use super::error::ValidationError;
use super::ticket::{Priority, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// Whether a queue is a plain inbox or a help desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InboxKind {
    /// A shared inbox.
    Inbox,
    /// A help desk.
    HelpDesk,
}

/// How tickets landing in an inbox get an owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assignment {
    /// Nobody is assigned automatically.
    Manual,
    /// Members take turns, skipping those at capacity.
    RoundRobin,
    /// The member with the fewest open tickets, below capacity.
    LeastLoaded,
}

/// An inbox or help desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Inbox {
    /// Stable id.
    pub id: i64,
    /// Display name, 1–60 characters.
    pub name: String,
    /// Inbox or help desk.
    pub kind: InboxKind,
    /// Staff user ids, in round-robin order.
    pub members: Vec<i64>,
    /// Assignment method.
    pub assignment: Assignment,
    /// Most open tickets an agent may hold through automatic assignment; `None` is unlimited.
    pub capacity: Option<u32>,
}

impl Inbox {
    /// Checks the name, members and capacity.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let n = self.name.trim().chars().count();
        if n == 0 || n > 60 {
            return Err(ValidationError::new("name", "must be 1–60 characters"));
        }
        let mut seen = Vec::new();
        for m in &self.members {
            if seen.contains(m) {
                return Err(ValidationError::new(
                    "members",
                    format!("user {m} is listed twice"),
                ));
            }
            seen.push(*m);
        }
        if self.capacity == Some(0) {
            return Err(ValidationError::new(
                "capacity",
                "must be at least 1 (leave it empty for no limit)",
            ));
        }
        Ok(())
    }
}

/// What a rule condition looks at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ConditionField {
    /// The subject.
    Subject,
    /// The description.
    Description,
    /// The category.
    Category,
    /// The priority name.
    Priority,
    /// The requester's company name.
    Company,
    /// The part of the requester's email after `@`.
    EmailDomain,
    /// The source name.
    Source,
    /// A support-form field, by key.
    Form(String),
}

impl TryFrom<String> for ConditionField {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Ok(match s.as_str() {
            "subject" => Self::Subject,
            "description" => Self::Description,
            "category" => Self::Category,
            "priority" => Self::Priority,
            "company" => Self::Company,
            "email_domain" => Self::EmailDomain,
            "source" => Self::Source,
            other => match other.strip_prefix("form:") {
                Some(key) if !key.is_empty() => Self::Form(key.to_string()),
                _ => return Err(format!("unknown condition field `{other}`")),
            },
        })
    }
}

impl From<ConditionField> for String {
    fn from(f: ConditionField) -> String {
        match f {
            ConditionField::Subject => "subject".into(),
            ConditionField::Description => "description".into(),
            ConditionField::Category => "category".into(),
            ConditionField::Priority => "priority".into(),
            ConditionField::Company => "company".into(),
            ConditionField::EmailDomain => "email_domain".into(),
            ConditionField::Source => "source".into(),
            ConditionField::Form(key) => format!("form:{key}"),
        }
    }
}

/// How a condition compares. Comparisons ignore case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionOp {
    /// The whole value is the same.
    Equals,
    /// The value contains the text (any of the texts, for a list).
    Contains,
    /// The value is one of the list.
    In,
}

/// The right-hand side of a condition: one text or a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum MatchValue {
    /// A single text.
    One(String),
    /// A list of texts.
    Many(Vec<String>),
}

impl ConditionOp {
    /// Checks that `value` has the shape this operator needs.
    pub fn check_value(self, value: &MatchValue) -> Result<(), String> {
        let texts: Vec<&String> = match value {
            MatchValue::One(s) => vec![s],
            MatchValue::Many(v) => v.iter().collect(),
        };
        if texts.is_empty()
            || texts
                .iter()
                .any(|t| t.trim().is_empty() || t.chars().count() > 200)
        {
            return Err("values must be 1–200 characters, and a list must not be empty".into());
        }
        match (self, value) {
            (ConditionOp::Equals, MatchValue::Many(_)) => {
                Err("`equals` takes one value, not a list".into())
            }
            (ConditionOp::In, MatchValue::One(_)) => Err("`in` takes a list of values".into()),
            _ => Ok(()),
        }
    }

    /// Whether `actual` satisfies the operator against `value`, ignoring case.
    pub fn matches(self, actual: &str, value: &MatchValue) -> bool {
        let actual = actual.to_lowercase();
        let one = |v: &str| {
            let v = v.to_lowercase();
            match self {
                ConditionOp::Equals | ConditionOp::In => actual == v,
                ConditionOp::Contains => actual.contains(&v),
            }
        };
        match value {
            MatchValue::One(v) => one(v),
            MatchValue::Many(vs) => vs.iter().any(|v| one(v)),
        }
    }
}

/// One condition of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// What to look at: `subject`, `description`, `category`, `priority`, `company`,
    /// `email_domain`, `source` or `form:<key>`.
    #[schema(value_type = String, example = "subject")]
    pub field: ConditionField,
    /// How to compare.
    pub op: ConditionOp,
    /// What to compare with.
    pub value: MatchValue,
}

/// Whether all or any conditions must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Every condition.
    All,
    /// At least one condition.
    Any,
}

/// Who a rule assigns the ticket to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AssignTarget {
    /// `"none"` or `"inbox_method"`.
    Named(AssignNamed),
    /// `{"user_id": N}`: a specific agent.
    User {
        /// The agent.
        user_id: i64,
    },
}

/// The named assignment outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssignNamed {
    /// Leave unassigned.
    None,
    /// Use the inbox's assignment method.
    InboxMethod,
}

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleOutcome {
    /// Destination inbox.
    pub inbox_id: i64,
    /// Who gets tickets the rule sends here.
    pub assign: AssignTarget,
    /// Priority to set, if any.
    #[serde(default)]
    pub priority: Option<Priority>,
}

/// A routing rule. Rules are evaluated in `position` order; the first enabled match decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoutingRule {
    /// Stable id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Disabled rules never fire.
    pub enabled: bool,
    /// Order, from 0.
    pub position: i64,
    /// All or any.
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
    /// Conditions (at least one).
    pub conditions: Vec<Condition>,
    /// What a matching rule does to the ticket.
    pub then: RuleOutcome,
}

impl RoutingRule {
    /// Checks the name, the conditions' shapes and that the inbox and user exist.
    pub fn validate(&self, inboxes: &[Inbox], staff_ids: &[i64]) -> Result<(), ValidationError> {
        let n = self.name.trim().chars().count();
        if n == 0 || n > 80 {
            return Err(ValidationError::new("name", "must be 1–80 characters"));
        }
        if self.conditions.is_empty() {
            return Err(ValidationError::new(
                "conditions",
                "a rule needs at least one condition",
            ));
        }
        if self.conditions.len() > 50 {
            return Err(ValidationError::new("conditions", "at most 50 conditions"));
        }
        for (i, c) in self.conditions.iter().enumerate() {
            c.op.check_value(&c.value)
                .map_err(|m| ValidationError::new(format!("conditions[{i}].value"), m))?;
        }
        if !inboxes.iter().any(|b| b.id == self.then.inbox_id) {
            return Err(ValidationError::new(
                "then.inbox_id",
                format!("no inbox with id {}", self.then.inbox_id),
            ));
        }
        if let AssignTarget::User { user_id } = self.then.assign
            && !staff_ids.contains(&user_id)
        {
            return Err(ValidationError::new(
                "then.assign.user_id",
                format!("no agent with id {user_id}"),
            ));
        }
        Ok(())
    }

    /// Whether this rule's conditions hold for `ticket` (ignores `enabled`).
    pub fn matches(&self, ticket: &RoutingInput) -> bool {
        let test = |c: &Condition| c.op.matches(&ticket.field(&c.field), &c.value);
        match self.match_mode {
            MatchMode::All => self.conditions.iter().all(test),
            MatchMode::Any => self.conditions.iter().any(test),
        }
    }
}

/// What routing looks at in a new ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingInput {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    /// Priority, if set.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Requester's company name.
    #[serde(default)]
    pub company: String,
    /// Requester's email.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub source: Option<Source>,
    /// Support-form values.
    #[serde(default)]
    pub form_fields: BTreeMap<String, String>,
}

impl RoutingInput {
    fn field(&self, field: &ConditionField) -> String {
        match field {
            ConditionField::Subject => self.subject.clone(),
            ConditionField::Description => self.description.clone(),
            ConditionField::Category => self.category.clone(),
            ConditionField::Priority => self
                .priority
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            ConditionField::Company => self.company.clone(),
            ConditionField::EmailDomain => self
                .email
                .rsplit_once('@')
                .map(|(_, d)| d.to_string())
                .unwrap_or_default(),
            ConditionField::Source => self
                .source
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            ConditionField::Form(key) => self.form_fields.get(key).cloned().unwrap_or_default(),
        }
    }
}

/// The first enabled rule, by position, whose conditions hold.
pub fn first_match<'a>(rules: &'a [RoutingRule], ticket: &RoutingInput) -> Option<&'a RoutingRule> {
    let mut ordered: Vec<&RoutingRule> = rules.iter().filter(|r| r.enabled).collect();
    ordered.sort_by_key(|r| (r.position, r.id));
    ordered.into_iter().find(|r| r.matches(ticket))
}

/// The result of picking an owner inside an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    /// The chosen agent, or `None` when the method is manual or everyone is at capacity.
    pub owner: Option<i64>,
    /// Round-robin position to store for the next pick.
    pub next_cursor: i64,
}

/// Picks an owner in `inbox` by its method. `open_counts` holds each member's open tickets;
/// `cursor` is the round-robin position stored for the inbox. Agents at capacity are skipped.
pub fn pick_owner(inbox: &Inbox, open_counts: &HashMap<i64, u32>, cursor: i64) -> Pick {
    let load = |m: &i64| open_counts.get(m).copied().unwrap_or(0);
    let has_room = |m: &i64| inbox.capacity.is_none_or(|cap| load(m) < cap);
    let n = inbox.members.len() as i64;
    match inbox.assignment {
        Assignment::Manual => Pick {
            owner: None,
            next_cursor: cursor,
        },
        _ if n == 0 => Pick {
            owner: None,
            next_cursor: cursor,
        },
        Assignment::RoundRobin => {
            let start = cursor.rem_euclid(n);
            (0..n)
                .map(|step| (start + step) % n)
                .find(|&i| has_room(&inbox.members[i as usize]))
                .map(|i| Pick {
                    owner: Some(inbox.members[i as usize]),
                    next_cursor: (i + 1) % n,
                })
                .unwrap_or(Pick {
                    owner: None,
                    next_cursor: cursor,
                })
        }
        Assignment::LeastLoaded => {
            let owner = inbox
                .members
                .iter()
                .filter(|m| has_room(m))
                .min_by_key(|m| load(m))
                .copied();
            Pick {
                owner,
                next_cursor: cursor,
            }
        }
    }
}

#[cfg(test)]
mod tests;
