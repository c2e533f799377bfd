//! One ticket in the view: the shown copy (pending writes applied), the server's copy when
//! they differ, and accessors that read the same way for staff and customer projections.

use super::compact::{Compact, Text};
use crate::domain::wire::TicketOut;
use crate::domain::{Priority, Source, Stage};

/// A ticket as the UI shows it. Kept compact (see `compact.rs`); read it through the
/// accessors, or [`ViewTicket::ticket`] for the full wire form.
#[derive(Debug, Clone)]
pub struct ViewTicket {
    /// A write the server has not confirmed yet changes this ticket (or created it).
    pub pending: bool,
    shown: Compact,
    /// The server's copy, kept while pending writes change the shown one.
    base: Option<Box<Compact>>,
}

impl ViewTicket {
    pub(crate) fn new(shown: Compact) -> Self {
        ViewTicket {
            pending: false,
            shown,
            base: None,
        }
    }

    /// A pending new ticket.
    pub(crate) fn draft(t: &TicketOut) -> Self {
        ViewTicket {
            pending: true,
            shown: Compact::from_ticket(t),
            base: None,
        }
    }

    /// The ticket as shown, in the wire form (allocates; for details and editing).
    pub fn ticket(&self) -> TicketOut {
        self.shown.to_ticket()
    }

    /// The server's copy in the wire form (the shown one when nothing is pending).
    pub fn server(&self) -> TicketOut {
        self.base.as_deref().unwrap_or(&self.shown).to_ticket()
    }

    /// Whether this is the staff projection (every field) rather than the customer one.
    pub fn is_staff_view(&self) -> bool {
        self.shown.is_staff()
    }

    /// Ticket number (negative for a pending new ticket).
    pub fn id(&self) -> i64 {
        self.shown.id()
    }

    /// The version of the server's copy: what to send as `base_version`.
    pub fn version(&self) -> i64 {
        self.base.as_deref().unwrap_or(&self.shown).version()
    }

    pub fn subject(&self) -> &str {
        self.shown.text(Text::Subject)
    }

    /// The description (first message).
    pub fn description(&self) -> &str {
        self.shown.text(Text::Description)
    }

    /// Staff: the stage's name; customers: the portal's label for it.
    pub fn status(&self) -> &str {
        match self.shown.stage() {
            Some(stage) => stage.as_str(),
            None => self.shown.text(Text::StatusLabel),
        }
    }

    /// Pipeline stage (staff view only).
    pub fn stage(&self) -> Option<Stage> {
        self.shown.stage()
    }

    /// Whether it is closed.
    pub fn is_closed(&self) -> bool {
        self.shown.closed()
    }

    pub fn priority(&self) -> Priority {
        self.shown.priority()
    }

    /// Requester's name.
    pub fn requester(&self) -> &str {
        self.shown.text(Text::RequesterName)
    }

    /// Requester's email (staff view only).
    pub fn requester_email(&self) -> Option<&str> {
        self.shown
            .is_staff()
            .then(|| self.shown.text(Text::RequesterEmail))
    }

    /// Requester's contact id (staff view only).
    pub fn contact_id(&self) -> Option<i64> {
        self.shown.contact_id()
    }

    /// Company name (staff view only).
    pub fn company(&self) -> Option<&str> {
        self.shown
            .has(Text::CompanyName)
            .then(|| self.shown.text(Text::CompanyName))
    }

    /// Company id (staff view only).
    pub fn company_id(&self) -> Option<i64> {
        self.shown.company_id()
    }

    /// Owner's user id (staff view only).
    pub fn owner_id(&self) -> Option<i64> {
        self.shown.owner_id()
    }

    /// Owner's name (staff view only).
    pub fn owner_name(&self) -> Option<&str> {
        self.shown
            .has(Text::OwnerName)
            .then(|| self.shown.text(Text::OwnerName))
    }

    /// Inbox id (staff view only).
    pub fn inbox_id(&self) -> Option<i64> {
        self.shown.inbox_id()
    }

    /// Inbox name (staff view only).
    pub fn inbox_name(&self) -> Option<&str> {
        self.shown
            .is_staff()
            .then(|| self.shown.text(Text::InboxName))
    }

    /// Category ("" when none or in the customer view).
    pub fn category(&self) -> &str {
        self.shown.text(Text::Category)
    }

    /// Tags (staff view only; empty otherwise).
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.shown.tags()
    }

    /// The contacts copied on the ticket, by id (staff view only; none for customers).
    pub fn ccs(&self) -> Vec<i64> {
        self.shown.ccs().collect()
    }

    /// How it arrived (staff view only).
    pub fn source(&self) -> Option<Source> {
        self.shown.source()
    }

    /// Customer view: whether the signed-in contact raised it.
    pub fn own(&self) -> bool {
        self.shown.own()
    }

    /// Messages on the thread, internal notes included (staff view only).
    pub fn message_count(&self) -> Option<i64> {
        self.shown.message_count()
    }

    /// RFC 3339.
    pub fn created_at(&self) -> &str {
        self.shown.text(Text::CreatedAt)
    }

    /// RFC 3339.
    pub fn updated_at(&self) -> &str {
        self.shown.text(Text::UpdatedAt)
    }

    /// RFC 3339, when closed.
    pub fn closed_at(&self) -> Option<&str> {
        self.shown
            .has(Text::ClosedAt)
            .then(|| self.shown.text(Text::ClosedAt))
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

    /// Replaces the server's copy (and the shown one; pending writes are re-applied after).
    pub(crate) fn set_base(&mut self, t: Compact) {
        self.shown = t;
        self.base = None;
        self.pending = false;
    }

    /// Drops pending changes from the shown copy.
    pub(crate) fn restore_base(&mut self) {
        if let Some(b) = self.base.take() {
            self.shown = *b;
        }
        self.pending = false;
    }

    /// Shows `t` (a pending change) while keeping the server's copy aside.
    pub(crate) fn show_pending(&mut self, t: &TicketOut) {
        let shown = std::mem::replace(&mut self.shown, Compact::from_ticket(t));
        if self.base.is_none() {
            self.base = Some(Box::new(shown));
        }
        self.pending = true;
    }

    /// Marks it pending without changing what is shown (e.g. a reply is on its way).
    pub(crate) fn mark_pending(&mut self) {
        self.pending = true;
    }
}
