//! Pending writes applied on top of the server's state, so the UI shows a change at once and
//! marks it pending until the server confirms it.

use super::{Marked, View, ViewTicket};
use crate::client::write::{OutboxEntry, Write, WriteId};
use crate::domain::wire::{
    CustomerTicket, PortalFor, StaffTicketPatch, TicketInput, TicketOut, TicketRow,
};
use crate::domain::{Inbox, Priority, RoutingRule, Source, Stage, Ticket, TicketView};
use std::collections::{BTreeMap, HashMap};

/// Ids of the existing tickets that pending writes change.
pub(super) fn touched_tickets(outbox: &[OutboxEntry]) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for e in outbox.iter().filter(|e| e.is_pending()) {
        match &e.write {
            Write::Bulk(b) => ids.extend(&b.ids),
            w => ids.extend(w.ticket_id()),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Names the overlay needs to fill in derived fields.
pub(super) struct Names {
    users: HashMap<i64, String>,
    inboxes: HashMap<i64, String>,
    labels: Option<TicketView>,
}

impl Names {
    pub(super) fn of(view: &View) -> Self {
        let labels = match view.base_portal.as_ref() {
            Some(PortalFor::Staff(p)) => Some(p.settings.ticket_view.clone()),
            Some(PortalFor::Public(p)) => Some(p.ticket_view.clone()),
            None => None,
        };
        Names {
            users: view
                .users
                .iter()
                .map(|(id, u)| (*id, u.name.clone()))
                .collect(),
            inboxes: view
                .base_inboxes
                .iter()
                .map(|(id, i)| (*id, i.name.clone()))
                .collect(),
            labels,
        }
    }

    fn label(&self, stage: Stage) -> String {
        self.labels
            .as_ref()
            .map(|v| v.label(stage))
            .unwrap_or_else(|| stage.default_label().to_string())
    }
}

/// Applies the pending `writes` that concern `t`, in order.
pub(super) fn apply_to_ticket(t: &mut ViewTicket, writes: &[Write], names: &Names) {
    let id = t.id();
    let mut changed: Option<TicketOut> = None;
    let mut touched = false;
    for w in writes {
        match w {
            Write::PatchTicket { id: tid, patch, .. } if *tid == id => {
                patch_staff(changed.get_or_insert_with(|| t.ticket()), patch, names);
            }
            Write::Bulk(b) if b.ids.contains(&id) => {
                patch_staff(changed.get_or_insert_with(|| t.ticket()), &b.patch, names);
            }
            Write::SetClosed {
                id: tid, closed, ..
            } if *tid == id => {
                let stage = if *closed {
                    Stage::Closed
                } else {
                    Stage::WaitingOnUs
                };
                match changed.get_or_insert_with(|| t.ticket()) {
                    TicketOut::Staff(r) => r.ticket.stage = stage,
                    TicketOut::Customer(c) => {
                        c.closed = *closed;
                        c.status_label = names.label(stage);
                    }
                }
            }
            Write::SetCcs { id: tid, ccs, .. } if *tid == id => {
                if let TicketOut::Staff(r) = changed.get_or_insert_with(|| t.ticket()) {
                    r.ticket.ccs.clone_from(&ccs.contact_ids);
                }
            }
            Write::Message { ticket_id, .. } if *ticket_id == id => touched = true,
            _ => {}
        }
    }
    match changed {
        Some(shown) => t.show_pending(&shown),
        None if touched => t.mark_pending(),
        None => {}
    }
}

fn patch_staff(t: &mut TicketOut, p: &StaffTicketPatch, names: &Names) {
    let TicketOut::Staff(row) = t else { return };
    let tk = &mut row.ticket;
    if let Some(v) = &p.subject {
        tk.subject.clone_from(v);
    }
    if let Some(v) = p.stage {
        tk.stage = v;
    }
    if let Some(v) = p.priority {
        tk.priority = v;
    }
    if let Some(v) = &p.category {
        tk.category.clone_from(v);
    }
    if let Some(v) = p.owner_id {
        tk.owner_id = v;
        row.owner_name = v.and_then(|o| names.users.get(&o).cloned());
    }
    if let Some(v) = p.inbox_id {
        tk.inbox_id = v;
        row.inbox_name = names.inboxes.get(&v).cloned().unwrap_or_default();
    }
    if let Some(v) = &p.tags {
        tk.tags.clone_from(v);
    }
}

/// Pending new tickets, newest first, with negative ids (minus the write id).
pub(super) fn drafts(view: &View) -> Vec<ViewTicket> {
    let now = chrono::Utc::now().to_rfc3339();
    let mut out: Vec<ViewTicket> = view
        .outbox
        .iter()
        .filter(|e| e.is_pending())
        .filter_map(|e| match &e.write {
            Write::CreateTicket(input) => {
                Some(ViewTicket::draft(&draft_ticket(view, -e.id.0, input, &now)))
            }
            _ => None,
        })
        .collect();
    out.reverse();
    out
}

fn draft_ticket(view: &View, id: i64, input: &TicketInput, now: &str) -> TicketOut {
    match input {
        TicketInput::Customer(c) => TicketOut::Customer(CustomerTicket {
            id,
            subject: c.subject.clone(),
            description: c.description.clone(),
            status_label: Names::of(view).label(Stage::New),
            closed: false,
            priority: Priority::Medium,
            requester_name: view.account.name.clone(),
            own: true,
            form_fields: c.form_fields.clone(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            closed_at: None,
            version: 0,
            updated_by: None,
        }),
        TicketInput::Staff(s) => {
            let contact = view.contacts.get(&s.contact_id);
            let company_id = contact.and_then(|c| c.company_id);
            let inbox_id = s.inbox_id.unwrap_or(0);
            TicketOut::Staff(TicketRow {
                ticket: Ticket {
                    id,
                    subject: s.subject.clone(),
                    description: s.description.clone(),
                    stage: Stage::New,
                    priority: s.priority.unwrap_or(Priority::Medium),
                    category: s.category.clone().unwrap_or_default(),
                    inbox_id,
                    owner_id: s.owner_id,
                    contact_id: s.contact_id,
                    company_id,
                    source: s.source.unwrap_or(Source::Agent),
                    form_fields: s.form_fields.clone(),
                    tags: s.tags.clone(),
                    created_at: now.to_string(),
                    updated_at: now.to_string(),
                    closed_at: None,
                    version: 0,
                    ccs: Vec::new(),
                },
                requester_name: contact.map(|c| c.name.clone()).unwrap_or_default(),
                requester_email: contact.map(|c| c.email.clone()).unwrap_or_default(),
                company_name: company_id
                    .and_then(|id| view.companies.get(&id))
                    .map(|c| c.name.clone()),
                owner_name: s
                    .owner_id
                    .and_then(|o| view.user_name(o))
                    .map(str::to_string),
                inbox_name: view
                    .base_inboxes
                    .get(&inbox_id)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                message_count: 1,
                updated_by: None,
                mail_cc: Vec::new(),
            })
        }
    }
}

/// The portal settings with pending patches applied (the version stays the server's).
pub(super) fn portal(base: Option<&PortalFor>, pending: &[&Write]) -> Option<Marked<PortalFor>> {
    let mut shown = Marked {
        item: base?.clone(),
        pending: false,
    };
    for w in pending {
        if let (Write::PatchPortal { patch, .. }, PortalFor::Staff(p)) = (w, &mut shown.item) {
            let version = p.settings.version;
            p.settings = patch.clone().apply(&p.settings);
            p.settings.version = version;
            p.portal_url = p.settings.portal_url();
            shown.pending = true;
        }
    }
    Some(shown)
}

/// Inboxes with pending creations (negative ids), changes and deletions applied.
pub(super) fn inboxes(
    base: &BTreeMap<i64, Inbox>,
    pending: &[&Write],
    ids: &[WriteId],
) -> BTreeMap<i64, Marked<Inbox>> {
    let mut out: BTreeMap<i64, Marked<Inbox>> = base
        .iter()
        .map(|(id, i)| {
            (
                *id,
                Marked {
                    item: i.clone(),
                    pending: false,
                },
            )
        })
        .collect();
    for (w, wid) in pending.iter().zip(ids) {
        match w {
            Write::CreateInbox(input) => {
                let item = Inbox {
                    id: -wid.0,
                    name: input.name.clone(),
                    kind: input.kind,
                    members: input.members.clone(),
                    assignment: input.assignment,
                    capacity: input.capacity,
                };
                out.insert(
                    -wid.0,
                    Marked {
                        item,
                        pending: true,
                    },
                );
            }
            Write::PatchInbox { id, patch } => {
                if let Some(m) = out.get_mut(id) {
                    let i = &mut m.item;
                    if let Some(v) = &patch.name {
                        i.name.clone_from(v);
                    }
                    if let Some(v) = patch.kind {
                        i.kind = v;
                    }
                    if let Some(v) = &patch.members {
                        i.members.clone_from(v);
                    }
                    if let Some(v) = patch.assignment {
                        i.assignment = v;
                    }
                    if let Some(v) = patch.capacity {
                        i.capacity = v;
                    }
                    m.pending = true;
                }
            }
            Write::DeleteInbox { id } => {
                out.remove(id);
            }
            _ => {}
        }
    }
    out
}

/// Rules in evaluation order with pending creations (negative ids), changes and deletions applied.
pub(super) fn rules(
    base: &BTreeMap<i64, RoutingRule>,
    pending: &[&Write],
    ids: &[WriteId],
) -> Vec<Marked<RoutingRule>> {
    let mut out: Vec<Marked<RoutingRule>> = base
        .values()
        .map(|r| Marked {
            item: r.clone(),
            pending: false,
        })
        .collect();
    out.sort_by_key(|m| (m.item.position, m.item.id));
    for (w, wid) in pending.iter().zip(ids) {
        match w {
            Write::CreateRule(input) => {
                let rule = input.clone().into_rule(-wid.0);
                let at = rule.position.clamp(0, out.len() as i64) as usize;
                out.insert(
                    at,
                    Marked {
                        item: rule,
                        pending: true,
                    },
                );
            }
            Write::PatchRule { id, patch } => {
                let Some(from) = out.iter().position(|m| m.item.id == *id) else {
                    continue;
                };
                let mut m = out.remove(from);
                let r = &mut m.item;
                if let Some(v) = &patch.name {
                    r.name.clone_from(v);
                }
                if let Some(v) = patch.enabled {
                    r.enabled = v;
                }
                if let Some(v) = patch.match_mode {
                    r.match_mode = v;
                }
                if let Some(v) = &patch.conditions {
                    r.conditions.clone_from(v);
                }
                if let Some(v) = &patch.then {
                    r.then = v.clone();
                }
                let at = patch
                    .position
                    .map(|p| p.clamp(0, out.len() as i64) as usize)
                    .unwrap_or(from.min(out.len()));
                m.pending = true;
                out.insert(at, m);
            }
            Write::DeleteRule { id } => out.retain(|m| m.item.id != *id),
            _ => {}
        }
    }
    for (i, m) in out.iter_mut().enumerate() {
        m.item.position = i as i64;
    }
    out
}
