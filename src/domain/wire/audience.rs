//! Bodies of the two admin views over the visibility rule: who can see one ticket (and why),
//! and a contact's ticket list exactly as that contact would get it.

use crate::domain::visibility::Reason;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Why a contact can see a ticket, on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AudienceReason {
    /// The contact raised the ticket.
    OwnTicket,
    /// Staff copied the contact on the ticket (or the requester's mail did).
    Copied,
    /// The portal shows a company's tickets to all its contacts (`company` mode).
    CompanyMode,
    /// The contact matches the portal's contact filter (`contact_filter` mode).
    FilterMatch,
}

impl AudienceReason {
    /// The wire form of a domain reason; `None` for staff, who are not part of an audience.
    pub fn from_reason(reason: Reason) -> Option<Self> {
        match reason {
            Reason::Staff => None,
            Reason::OwnTicket => Some(AudienceReason::OwnTicket),
            Reason::Copied => Some(AudienceReason::Copied),
            Reason::CompanyMode => Some(AudienceReason::CompanyMode),
            Reason::FilterMatch => Some(AudienceReason::FilterMatch),
        }
    }

    /// A short phrase for people, e.g. `own ticket`.
    pub fn describe(self) -> &'static str {
        match self {
            AudienceReason::OwnTicket => "own ticket",
            AudienceReason::Copied => "copied on the ticket (CC)",
            AudienceReason::CompanyMode => "same company (company mode)",
            AudienceReason::FilterMatch => "same company, matches the contact filter",
        }
    }
}

/// One contact who can see a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AudienceEntry {
    /// Contact id.
    pub contact_id: i64,
    /// Display name.
    pub name: String,
    /// Email address (the audience is a staff view).
    pub email: String,
    /// Why they can see it.
    pub reason: AudienceReason,
    /// Whether it is in their list (a closed ticket is hidden when the portal hides closed
    /// tickets, though still readable by link).
    pub listed: bool,
}

/// Everyone outside the staff who can see a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Audience {
    /// The ticket.
    pub ticket_id: i64,
    /// The contacts, by name.
    pub contacts: Vec<AudienceEntry>,
}
