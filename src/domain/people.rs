//! Who is involved: staff users, contacts (customers) and their companies, and the viewer
//! asking for data (the input of every visibility decision).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What a signed-in account may do. Customers are contacts; admins and agents are staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Staff who may change portal settings, inboxes and routing rules.
    Admin,
    /// Staff who triage and answer tickets.
    Agent,
    /// A contact signed in to the customer portal.
    Customer,
}

impl Role {
    /// Staff see every ticket and may use the triage endpoints.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }

    /// The wire name, as in `role` fields.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::Customer => "customer",
        }
    }
}

/// A member of the support team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Stable id.
    pub id: i64,
    /// Sign-in address, lower-case.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `admin` or `agent` (never `customer`).
    pub role: Role,
}

/// Where a contact stands with the portal's registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    /// Never invited and not registered.
    None,
    /// Invited (a registration code was issued), not yet registered.
    Invited,
    /// Has a password and may sign in.
    Registered,
}

impl Registration {
    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::None => "none",
            Registration::Invited => "invited",
            Registration::Registered => "registered",
        }
    }

    /// Parses the storage name; unknown text is `None` so a bad row never panics.
    pub fn parse(s: &str) -> Self {
        match s {
            "invited" => Registration::Invited,
            "registered" => Registration::Registered,
            _ => Registration::None,
        }
    }
}

/// A contact's acceptance of the consent notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentRecord {
    /// The notice version the contact accepted.
    pub version: i64,
    /// When, RFC 3339.
    pub accepted_at: String,
}

/// A customer: a person who raises tickets, possibly signed in to the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    /// Stable id.
    pub id: i64,
    /// The contact's email property (registration mail goes here).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Primary company, if any.
    pub company_id: Option<i64>,
    /// Free-form properties (e.g. `plan`, `country`) that a `contact_filter` may match.
    pub properties: BTreeMap<String, String>,
    /// Registration state.
    pub registration: Registration,
    /// Last accepted consent notice, if any.
    pub consent: Option<ConsentRecord>,
}

/// A customer organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Company {
    /// Stable id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Email domain of its people, e.g. `acme.test`.
    pub domain: String,
}

/// The account asking for data: the one input, besides the portal's permission mode, that
/// decides what may be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// A staff member (admin or agent).
    Staff {
        /// User id.
        user_id: i64,
        /// `Admin` or `Agent`.
        role: Role,
    },
    /// A signed-in contact.
    Contact {
        /// Contact id.
        contact_id: i64,
        /// Primary company, if any.
        company_id: Option<i64>,
        /// The contact's properties, for `contact_filter` mode.
        properties: BTreeMap<String, String>,
    },
}

impl Viewer {
    /// The role this viewer acts with.
    pub fn role(&self) -> Role {
        match self {
            Viewer::Staff { role, .. } => *role,
            Viewer::Contact { .. } => Role::Customer,
        }
    }

    /// True for admins and agents.
    pub fn is_staff(&self) -> bool {
        self.role().is_staff()
    }

    /// True for admins only.
    pub fn is_admin(&self) -> bool {
        self.role() == Role::Admin
    }
}
