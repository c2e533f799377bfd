//! One ticket in the view: the shown copy (pending writes applied), the server's copy when
//! they differ, and accessors that read the same way for staff and customer projections.

use crate::domain::Priority;
use crate::domain::wire::TicketOut;

/// A ticket as the UI shows it.
#[derive(Debug, Clone)]
pub struct ViewTicket {
    /// The ticket with pending writes applied.
    pub ticket: TicketOut,
    /// A write the server has not confirmed yet changes this ticket (or created it).
    pub pending: bool,
    /// The server's copy, kept while pending writes change the shown one.
    base: Option<Box<TicketOut>>,
}

/// The id of a ticket in either projection.
pub(crate) fn id_of(t: &TicketOut) -> i64 {
    match t {
        TicketOut::Staff(r) => r.ticket.id,
        TicketOut::Customer(c) => c.id,
    }
}

impl ViewTicket {
    pub(crate) fn new(ticket: TicketOut) -> Self {
        ViewTicket {
            ticket,
            pending: false,
            base: None,
        }
    }

    /// A pending new ticket.
    pub(crate) fn draft(ticket: TicketOut) -> Self {
        ViewTicket {
            ticket,
            pending: true,
            base: None,
        }
    }

    /// Ticket number (negative for a pending new ticket).
    pub fn id(&self) -> i64 {
        id_of(&self.ticket)
    }

    /// Subject.
    pub fn subject(&self) -> &str {
        match &self.ticket {
            TicketOut::Staff(r) => &r.ticket.subject,
            TicketOut::Customer(c) => &c.subject,
        }
    }

    /// The description (first message).
    pub fn description(&self) -> &str {
        match &self.ticket {
            TicketOut::Staff(r) => &r.ticket.description,
            TicketOut::Customer(c) => &c.description,
        }
    }

    /// The version of the server's copy: what to send as `base_version`.
    pub fn version(&self) -> i64 {
        match self.server() {
            TicketOut::Staff(r) => r.ticket.version,
            TicketOut::Customer(c) => c.version,
        }
    }

    /// Whether it is closed.
    pub fn is_closed(&self) -> bool {
        match &self.ticket {
            TicketOut::Staff(r) => r.ticket.stage.is_closed(),
            TicketOut::Customer(c) => c.closed,
        }
    }

    /// Staff: the stage's name; customers: the portal's label for it.
    pub fn status(&self) -> &str {
        match &self.ticket {
            TicketOut::Staff(r) => r.ticket.stage.as_str(),
            TicketOut::Customer(c) => &c.status_label,
        }
    }

    /// Priority.
    pub fn priority(&self) -> Priority {
        match &self.ticket {
            TicketOut::Staff(r) => r.ticket.priority,
            TicketOut::Customer(c) => c.priority,
        }
    }

    /// Requester's name.
    pub fn requester(&self) -> &str {
        match &self.ticket {
            TicketOut::Staff(r) => &r.requester_name,
            TicketOut::Customer(c) => &c.requester_name,
        }
    }

    /// Company name (staff view only).
    pub fn company(&self) -> Option<&str> {
        match &self.ticket {
            TicketOut::Staff(r) => r.company_name.as_deref(),
            TicketOut::Customer(_) => None,
        }
    }

    /// RFC 3339.
    pub fn created_at(&self) -> &str {
        match &self.ticket {
            TicketOut::Staff(r) => &r.ticket.created_at,
            TicketOut::Customer(c) => &c.created_at,
        }
    }

    /// RFC 3339.
    pub fn updated_at(&self) -> &str {
        match &self.ticket {
            TicketOut::Staff(r) => &r.ticket.updated_at,
            TicketOut::Customer(c) => &c.updated_at,
        }
    }

    /// Whether `needle` (lower-case) occurs in the id, subject, requester or company.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self.id().to_string().contains(needle)
            || self.subject().to_lowercase().contains(needle)
            || self.requester().to_lowercase().contains(needle)
            || self
                .company()
                .is_some_and(|c| c.to_lowercase().contains(needle))
    }

    /// The server's copy (the shown one when nothing is pending).
    pub fn server(&self) -> &TicketOut {
        self.base.as_deref().unwrap_or(&self.ticket)
    }

    /// Replaces the server's copy (and the shown one; pending writes are re-applied after).
    pub(crate) fn set_base(&mut self, t: TicketOut) {
        self.ticket = t;
        self.base = None;
        self.pending = false;
    }

    /// Drops pending changes from the shown copy.
    pub(crate) fn restore_base(&mut self) {
        if let Some(b) = self.base.take() {
            self.ticket = *b;
        }
        self.pending = false;
    }

    /// Keeps the server's copy aside before pending writes change the shown one.
    pub(crate) fn start_overlay(&mut self) {
        if self.base.is_none() {
            self.base = Some(Box::new(self.ticket.clone()));
        }
        self.pending = true;
    }
}
