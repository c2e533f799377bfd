//! Tickets, their pipeline and their messages.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Pipeline stage. `closed` is the only closed state.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Just arrived.
    New,
    /// We asked the contact something.
    WaitingOnContact,
    /// The contact answered; our move.
    WaitingOnUs,
    /// Finished; a customer may reopen it.
    Closed,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 4] = [
        Stage::New,
        Stage::WaitingOnContact,
        Stage::WaitingOnUs,
        Stage::Closed,
    ];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::WaitingOnContact => "waiting_on_contact",
            Stage::WaitingOnUs => "waiting_on_us",
            Stage::Closed => "closed",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The label customers see when the portal sets none.
    pub fn default_label(self) -> &'static str {
        match self {
            Stage::New => "Open",
            Stage::WaitingOnContact => "Awaiting your reply",
            Stage::WaitingOnUs => "In progress",
            Stage::Closed => "Closed",
        }
    }

    /// True only for `closed`.
    pub fn is_closed(self) -> bool {
        self == Stage::Closed
    }
}

/// Ticket priority.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// When there is time.
    Low,
    /// The default.
    Medium,
    /// Before the medium ones.
    High,
    /// Before anything else.
    Urgent,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// How a ticket arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The customer portal's support form.
    Portal,
    /// An email.
    Email,
    /// Raised by an agent.
    Agent,
    /// Through the API by an integration.
    Api,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 4] = [Source::Portal, Source::Email, Source::Agent, Source::Api];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Portal => "portal",
            Source::Email => "email",
            Source::Agent => "agent",
            Source::Api => "api",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Source::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A support ticket, with every field staff may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Ticket {
    /// Ticket number.
    pub id: i64,
    /// One line.
    pub subject: String,
    /// The first message, as the requester wrote it.
    pub description: String,
    /// Pipeline stage.
    pub stage: Stage,
    pub priority: Priority,
    /// Free category, e.g. `billing`.
    pub category: String,
    /// Inbox or help desk holding it.
    pub inbox_id: i64,
    /// Assigned agent, if any.
    pub owner_id: Option<i64>,
    /// The contact the ticket is for.
    pub contact_id: i64,
    /// Company the ticket belongs to (the requester's primary company when it was raised).
    pub company_id: Option<i64>,
    /// How it arrived.
    pub source: Source,
    /// Values of the support form's extra fields.
    pub form_fields: BTreeMap<String, String>,
    /// Staff-only labels.
    pub tags: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339, when closed.
    pub closed_at: Option<String>,
    /// Bumped on every change; the `ETag` for `If-Match`.
    pub version: i64,
    /// Contacts copied on the ticket (ids, ascending): colleagues of the requester who see it,
    /// may answer it and get its mail as the requester does.
    #[serde(default)]
    pub ccs: Vec<i64>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// A contact.
    Contact,
    /// A staff user.
    User,
}

/// A reply or internal note on a ticket. Append-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Message {
    /// Stable id.
    pub id: i64,
    /// The ticket.
    pub ticket_id: i64,
    /// Contact or user.
    pub author_kind: AuthorKind,
    /// The contact's or user's id.
    pub author_id: i64,
    pub body: String,
    /// Staff-only note.
    pub internal: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// Checks a tag: 1–32 of `[a-z0-9-_]`.
pub fn check_tag(tag: &str) -> bool {
    (1..=32).contains(&tag.len())
        && tag
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Checks a category: at most 40 characters, one line (empty means none).
pub fn check_category(category: &str) -> bool {
    category.chars().count() <= 40 && !category.chars().any(char::is_control)
}
