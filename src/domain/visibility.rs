//! The one visibility rule. Every read path (lists, detail, the sync feed, "view as contact")
//! asks this module, so what a customer can see is decided in exactly one place.

use super::people::Viewer;
use super::portal::{PortalSettings, TicketPermission};
use super::ticket::Ticket;

/// The facts about a ticket that decide who may see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TicketScope {
    /// The requester.
    pub contact_id: i64,
    /// The ticket's company, if any.
    pub company_id: Option<i64>,
    /// The contacts copied on it.
    pub ccs: Vec<i64>,
}

impl From<&Ticket> for TicketScope {
    fn from(t: &Ticket) -> Self {
        TicketScope {
            contact_id: t.contact_id,
            company_id: t.company_id,
            ccs: t.ccs.clone(),
        }
    }
}

/// Why a contact can see a ticket (shown by "who can see this ticket?").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The viewer is staff.
    Staff,
    /// The contact raised it.
    OwnTicket,
    /// The contact is copied on it.
    Copied,
    /// Company visibility for everyone (`company` mode).
    CompanyMode,
    /// Company visibility through the contact filter.
    FilterMatch,
}

/// Whether `viewer` may see a ticket with `scope` under `permission`, and why.
pub fn why_visible(
    viewer: &Viewer,
    permission: &TicketPermission,
    scope: &TicketScope,
) -> Option<Reason> {
    match viewer {
        Viewer::Staff { .. } => Some(Reason::Staff),
        Viewer::Contact {
            contact_id,
            company_id,
            properties,
        } => {
            if scope.contact_id == *contact_id {
                return Some(Reason::OwnTicket);
            }
            if scope.ccs.contains(contact_id) {
                return Some(Reason::Copied);
            }
            let same_company = company_id.is_some() && scope.company_id == *company_id;
            if same_company && permission.grants_company(properties) {
                return Some(match permission.mode {
                    super::portal::PermissionMode::ContactFilter => Reason::FilterMatch,
                    _ => Reason::CompanyMode,
                });
            }
            None
        }
    }
}

/// Whether `viewer` may see a ticket with `scope` under `permission`.
pub fn can_see(viewer: &Viewer, permission: &TicketPermission, scope: &TicketScope) -> bool {
    why_visible(viewer, permission, scope).is_some()
}

/// Whether a customer's list shows this ticket: visible, and not hidden for being closed.
pub fn listed_for(viewer: &Viewer, portal: &PortalSettings, ticket: &Ticket) -> bool {
    can_see(viewer, &portal.ticket_permission, &ticket.into())
        && (viewer.is_staff() || portal.ticket_view.show_closed || !ticket.stage.is_closed())
}

/// What a contact can see, reduced to a filter a store can run as a query: their own tickets
/// and those they are copied on, plus a company's tickets when they have company visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadScope {
    /// Every ticket.
    All,
    /// Tickets of this contact or copied to them, or of this company when `Some`.
    Contact {
        /// The contact.
        contact_id: i64,
        /// The company whose tickets are visible too.
        company_id: Option<i64>,
    },
}

impl ReadScope {
    /// The scope `viewer` reads with under `permission`; agrees with [`can_see`] on every ticket.
    pub fn of(viewer: &Viewer, permission: &TicketPermission) -> Self {
        match viewer {
            Viewer::Staff { .. } => ReadScope::All,
            Viewer::Contact {
                contact_id,
                company_id,
                properties,
            } => ReadScope::Contact {
                contact_id: *contact_id,
                company_id: company_id.filter(|_| permission.grants_company(properties)),
            },
        }
    }

    /// Whether a ticket with `scope` is inside this read scope.
    pub fn contains(&self, scope: &TicketScope) -> bool {
        match *self {
            ReadScope::All => true,
            ReadScope::Contact {
                contact_id,
                company_id,
            } => {
                scope.contact_id == contact_id
                    || scope.ccs.contains(&contact_id)
                    || (company_id.is_some() && scope.company_id == company_id)
            }
        }
    }
}

/// A stable fingerprint of everything that decides what `viewer` sees and how: the read scope,
/// the role, and for customers the ticket view (closed listing and stage labels). The sync
/// cursor carries it; when it changes, the client must rebuild its cache.
pub fn scope_fingerprint(viewer: &Viewer, portal: &PortalSettings) -> u64 {
    let mut text = format!(
        "{:?}|{:?}",
        viewer.role(),
        ReadScope::of(viewer, &portal.ticket_permission)
    );
    if !viewer.is_staff() {
        text.push_str(&format!(
            "|{}|{:?}|{:?}",
            portal.ticket_view.show_closed,
            portal.ticket_view.stage_labels,
            portal.support_form.private_keys().collect::<Vec<_>>()
        ));
    }
    fnv1a(text.as_bytes())
}

/// FNV-1a, 64 bit: stable across processes and versions, unlike `DefaultHasher`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
