//! The in-memory view the UI reads: the cache's contents with the pending outbox applied on
//! top. Tickets are kept sorted by id, so one change is a binary search, never a rebuild.

pub(crate) mod compact;
mod delta;
mod overlay;
mod saved_replies;
mod ticket;

pub use delta::EntityKind;
pub(crate) use delta::{Delta, Item};

pub use ticket::ViewTicket;

use super::glance::Glance;
use super::status::SyncStatus;
use super::write::{OutboxEntry, OutboxState, WriteId};
use crate::domain::wire::{AccountOut, MessageInput, PortalFor};
use crate::domain::{Company, Contact, DomainInfo, Inbox, RoutingRule, SavedReply, User};
use compact::Compact;
use std::collections::BTreeMap;

/// An item shown with a mark telling whether a pending write changed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked<T> {
    /// The item as shown (pending writes applied).
    pub item: T,
    /// A write not yet confirmed by the server touches it.
    pub pending: bool,
}

/// Everything the signed-in account may see, as the UI shows it.
#[derive(Debug, Clone)]
pub struct View {
    /// Who is signed in.
    pub account: AccountOut,
    /// The server's base URL, e.g. `http://127.0.0.1:7878`.
    pub server_url: String,
    /// Portal settings (staff: every setting; customers: the public part), pending changes applied.
    pub portal: Option<Marked<PortalFor>>,
    /// Connected domains (staff).
    pub domains: Vec<DomainInfo>,
    /// Staff users by id (staff).
    pub users: BTreeMap<i64, User>,
    /// Contacts by id (staff).
    pub contacts: BTreeMap<i64, Contact>,
    /// Companies by id (staff).
    pub companies: BTreeMap<i64, Company>,
    /// Inboxes by id (staff), pending changes applied; pending new inboxes have negative ids.
    pub inboxes: BTreeMap<i64, Marked<Inbox>>,
    /// Routing rules in evaluation order (staff), pending changes applied; pending new rules
    /// have negative ids.
    pub rules: Vec<Marked<RoutingRule>>,
    /// Saved replies the account may use (staff), by title, pending changes applied;
    /// pending new ones have negative ids.
    pub saved_replies: Vec<Marked<SavedReply>>,
    /// Writes not yet confirmed, in order, with conflicts and rejections until dismissed.
    pub outbox: Vec<OutboxEntry>,
    /// Connection and sync state.
    pub status: SyncStatus,
    /// Tickets as the server last sent them (and as shown, for those no write touches), by id.
    tickets: Vec<ViewTicket>,
    /// Tickets created while pending, newest first (negative ids).
    drafts: Vec<ViewTicket>,
    base_portal: Option<PortalFor>,
    base_inboxes: BTreeMap<i64, Inbox>,
    base_rules: BTreeMap<i64, RoutingRule>,
    base_saved_replies: BTreeMap<i64, SavedReply>,
    /// Ids of tickets a pending write currently changes.
    overlaid: Vec<i64>,
    /// The first screen the view holds the tickets of, until the rest are loaded, and the
    /// revision the view had when it was loaded.
    glance: Option<(Glance, u64)>,
    revision: u64,
}

impl View {
    /// An empty view for `account` on `server_url`.
    pub(crate) fn new(account: AccountOut, server_url: String) -> Self {
        View {
            account,
            server_url,
            portal: None,
            domains: Vec::new(),
            users: BTreeMap::new(),
            contacts: BTreeMap::new(),
            companies: BTreeMap::new(),
            inboxes: BTreeMap::new(),
            rules: Vec::new(),
            saved_replies: Vec::new(),
            outbox: Vec::new(),
            status: SyncStatus::default(),
            tickets: Vec::new(),
            drafts: Vec::new(),
            base_portal: None,
            base_inboxes: BTreeMap::new(),
            base_rules: BTreeMap::new(),
            base_saved_replies: BTreeMap::new(),
            overlaid: Vec::new(),
            glance: None,
            revision: 0,
        }
    }

    /// While the client is still loading the cache behind the first frame: the remembered
    /// first screen, whose tickets are all the view holds so far (see
    /// [`crate::client::glance`]). `None` once every ticket is in.
    pub fn glance(&self) -> Option<&Glance> {
        self.glance.as_ref().map(|(g, _)| g)
    }

    /// Whether the view still holds only a glance and nothing changed since it was loaded
    /// (a write queued meanwhile would make the glance's figures wrong).
    pub fn glance_is_current(&self) -> bool {
        self.glance
            .as_ref()
            .is_some_and(|(_, revision)| *revision == self.revision)
    }

    /// Marks the view as holding only `glance`'s tickets.
    pub(crate) fn set_glance(&mut self, glance: Glance) {
        self.glance = Some((glance, self.revision));
    }

    /// Puts every ticket in place of a glance's: pending writes are applied again to the
    /// tickets they touch.
    pub(crate) fn complete(&mut self, rows: Vec<ViewTicket>) {
        self.set_tickets(rows);
        for id in self.overlaid.clone() {
            self.reapply_ticket(id);
        }
        self.glance = None;
        self.bump();
    }

    /// Bumped on every change of content; compare to know whether to re-filter.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether the account is staff (admin or agent).
    pub fn is_staff(&self) -> bool {
        self.account.role.is_staff()
    }

    /// Number of tickets shown (pending new ones included).
    pub fn ticket_count(&self) -> usize {
        self.drafts.len() + self.tickets.len()
    }

    /// The ticket at `index`, newest first (pending new tickets come first).
    pub fn ticket_at(&self, index: usize) -> Option<&ViewTicket> {
        if index < self.drafts.len() {
            return self.drafts.get(index);
        }
        let i = index - self.drafts.len();
        self.tickets
            .len()
            .checked_sub(i + 1)
            .and_then(|j| self.tickets.get(j))
    }

    /// Every ticket, newest first (pending new tickets come first).
    pub fn tickets(&self) -> impl DoubleEndedIterator<Item = &ViewTicket> {
        self.drafts.iter().chain(self.tickets.iter().rev())
    }

    /// The ticket with `id` (negative ids are pending new tickets).
    pub fn ticket(&self, id: i64) -> Option<&ViewTicket> {
        if id < 0 {
            return self.drafts.iter().find(|t| t.id() == id);
        }
        self.position(id).ok().and_then(|i| self.tickets.get(i))
    }

    /// Writes still to be sent.
    pub fn pending_writes(&self) -> usize {
        self.outbox.iter().filter(|e| e.is_pending()).count()
    }

    /// Replies and notes written on ticket `id` that the server has not confirmed yet.
    pub fn pending_messages(&self, id: i64) -> impl Iterator<Item = (WriteId, &MessageInput)> {
        self.outbox.iter().filter_map(move |e| match &e.write {
            super::write::Write::Message { ticket_id, input }
                if *ticket_id == id && e.state == OutboxState::Pending =>
            {
                Some((e.id, input))
            }
            _ => None,
        })
    }

    /// Name of a staff user, if known.
    pub fn user_name(&self, id: i64) -> Option<&str> {
        self.users.get(&id).map(|u| u.name.as_str())
    }

    /// The names of contacts `ids` (a ticket's CCs), in order; `contact <id>` for one not
    /// synced here (customers get no contacts).
    pub fn contact_names(&self, ids: &[i64]) -> Vec<String> {
        ids.iter()
            .map(|id| {
                self.contacts
                    .get(id)
                    .map_or_else(|| format!("contact {id}"), |c| c.name.clone())
            })
            .collect()
    }

    /// Name of an inbox, if known.
    pub fn inbox_name(&self, id: i64) -> Option<&str> {
        self.inboxes.get(&id).map(|i| i.item.name.as_str())
    }

    fn position(&self, id: i64) -> Result<usize, usize> {
        self.tickets.binary_search_by_key(&id, |t| t.id())
    }

    pub(crate) fn bump(&mut self) {
        self.revision += 1;
    }

    /// Drops everything synced (a `reset` page follows).
    pub(crate) fn clear(&mut self) {
        self.tickets.clear();
        self.base_portal = None;
        self.domains.clear();
        self.users.clear();
        self.contacts.clear();
        self.companies.clear();
        self.base_inboxes.clear();
        self.base_rules.clear();
        self.base_saved_replies.clear();
    }

    /// Puts tickets loaded from the cache in place.
    pub(crate) fn set_tickets(&mut self, mut rows: Vec<ViewTicket>) {
        if !rows.is_sorted_by_key(ViewTicket::id) {
            rows.sort_by_key(ViewTicket::id);
        }
        self.tickets = rows;
    }

    /// Applies synced changes to the server-side state, then re-applies pending writes to the
    /// items they touch.
    pub(crate) fn apply(&mut self, deltas: Vec<Delta>) {
        let mut lists_changed = false;
        for d in deltas {
            match d {
                Delta::Upsert(Item::Ticket(t)) => self.upsert_ticket(*t),
                Delta::Delete(EntityKind::Ticket, id) => {
                    if let Ok(i) = self.position(id) {
                        self.tickets.remove(i);
                    }
                }
                other => {
                    self.apply_meta(other);
                    lists_changed = true;
                }
            }
        }
        if lists_changed {
            self.reshow_meta();
        }
        self.bump();
    }

    fn upsert_ticket(&mut self, t: Compact) {
        let id = t.id();
        match self.position(id) {
            Ok(i) => {
                let overlaid = self.overlaid.contains(&id);
                if let Some(slot) = self.tickets.get_mut(i) {
                    slot.set_base(t);
                    if overlaid {
                        self.reapply_ticket(id);
                    }
                }
            }
            Err(i) => {
                self.tickets.insert(i, ViewTicket::new(t));
                if self.overlaid.contains(&id) {
                    self.reapply_ticket(id);
                }
            }
        }
    }

    fn apply_meta(&mut self, d: Delta) {
        match d {
            Delta::Upsert(item) => match item {
                Item::Portal(p) => self.base_portal = Some(*p),
                Item::Domains(d) => self.domains = d,
                Item::Inbox(i) => {
                    self.base_inboxes.insert(i.id, i);
                }
                Item::Rule(r) => {
                    self.base_rules.insert(r.id, r);
                }
                Item::User(u) => {
                    self.users.insert(u.id, u);
                }
                Item::Contact(c) => {
                    self.contacts.insert(c.id, c);
                }
                Item::Company(c) => {
                    self.companies.insert(c.id, c);
                }
                Item::SavedReply(r) => {
                    self.base_saved_replies.insert(r.id, r);
                }
                Item::Ticket(_) => {}
            },
            Delta::Delete(kind, id) => match kind {
                EntityKind::Portal => self.base_portal = None,
                EntityKind::Domains => self.domains.clear(),
                EntityKind::Inbox => {
                    self.base_inboxes.remove(&id);
                }
                EntityKind::Rule => {
                    self.base_rules.remove(&id);
                }
                EntityKind::User => {
                    self.users.remove(&id);
                }
                EntityKind::Contact => {
                    self.contacts.remove(&id);
                }
                EntityKind::Company => {
                    self.companies.remove(&id);
                }
                EntityKind::SavedReply => {
                    self.base_saved_replies.remove(&id);
                }
                EntityKind::Ticket => {}
            },
        }
    }

    /// Replaces the outbox and re-applies it: tickets it touched before or touches now are
    /// recomputed from their server copy, the small lists are rebuilt.
    pub(crate) fn set_outbox(&mut self, entries: Vec<OutboxEntry>) {
        self.outbox = entries;
        let mut ids = std::mem::take(&mut self.overlaid);
        ids.extend(overlay::touched_tickets(&self.outbox));
        ids.sort_unstable();
        ids.dedup();
        for id in &ids {
            if let Ok(i) = self.position(*id)
                && let Some(t) = self.tickets.get_mut(i)
            {
                t.restore_base();
            }
        }
        self.overlaid = overlay::touched_tickets(&self.outbox);
        for id in self.overlaid.clone() {
            self.reapply_ticket(id);
        }
        self.drafts = overlay::drafts(self);
        self.reshow_meta();
        self.status.pending_writes = self.pending_writes();
        self.status.conflicts = self
            .outbox
            .iter()
            .filter(|e| matches!(e.state, OutboxState::Conflict(_)))
            .count();
        self.bump();
    }

    fn reapply_ticket(&mut self, id: i64) {
        let Ok(i) = self.position(id) else { return };
        let writes: Vec<super::write::Write> = self
            .outbox
            .iter()
            .filter(|e| e.is_pending())
            .map(|e| e.write.clone())
            .collect();
        let ctx = overlay::Names::of(self);
        if let Some(t) = self.tickets.get_mut(i) {
            t.restore_base();
            overlay::apply_to_ticket(t, &writes, &ctx);
        }
    }

    /// Rebuilds portal, inboxes and rules as shown from their server copies and the outbox.
    fn reshow_meta(&mut self) {
        let pending: Vec<&super::write::Write> = self
            .outbox
            .iter()
            .filter(|e| e.is_pending())
            .map(|e| &e.write)
            .collect();
        let ids: Vec<WriteId> = self
            .outbox
            .iter()
            .filter(|e| e.is_pending())
            .map(|e| e.id)
            .collect();
        self.portal = overlay::portal(self.base_portal.as_ref(), &pending);
        self.inboxes = overlay::inboxes(&self.base_inboxes, &pending, &ids);
        self.rules = overlay::rules(&self.base_rules, &pending, &ids);
        self.saved_replies =
            saved_replies::shown(&self.base_saved_replies, &pending, &ids, self.account.id);
    }
}

#[cfg(test)]
pub(crate) mod tests;
