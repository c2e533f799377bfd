//! Packing a ticket's fields into the compact form, from the wire type or from borrowed
//! fields decoded straight out of JSON.

use super::{
    CLOSED, Compact, HAS_CLOSED_AT, HAS_COMPANY, HAS_COMPANY_NAME, HAS_OWNER, HAS_OWNER_NAME, OWN,
    STAFF, TEXTS, index,
};
use crate::domain::wire::TicketOut;
use crate::domain::{Priority, Source, Stage};
use std::collections::BTreeMap;

/// A ticket's fields, borrowed, in either projection: what [`Compact::build`] packs.
pub(crate) struct Parts<'a> {
    /// Staff projection.
    pub staff: bool,
    pub closed: bool,
    /// Customer projection: raised by the viewer.
    pub own: bool,
    /// Stage (staff).
    pub stage: Stage,
    pub priority: Priority,
    /// Source (staff).
    pub source: Source,
    pub id: i64,
    pub version: i64,
    /// Inbox (staff).
    pub inbox_id: i64,
    /// Owner (staff).
    pub owner_id: Option<i64>,
    /// Requester (staff).
    pub contact_id: i64,
    /// Company (staff).
    pub company_id: Option<i64>,
    /// Messages (staff).
    pub message_count: i64,
    pub subject: &'a str,
    pub description: &'a str,
    /// Customer label of the stage.
    pub status_label: &'a str,
    /// Category (staff).
    pub category: &'a str,
    /// RFC 3339.
    pub created_at: &'a str,
    /// RFC 3339.
    pub updated_at: &'a str,
    /// RFC 3339.
    pub closed_at: Option<&'a str>,
    /// Requester's name.
    pub requester_name: &'a str,
    /// Requester's email (staff).
    pub requester_email: &'a str,
    /// Company name (staff).
    pub company_name: Option<&'a str>,
    /// Owner name (staff).
    pub owner_name: Option<&'a str>,
    /// Inbox name (staff).
    pub inbox_name: &'a str,
    /// Tags joined by `\n`.
    pub tags: &'a str,
    /// Support-form values as a JSON object ("" or "{}" for none).
    pub form_fields: &'a str,
    /// Who made the last change, if known.
    pub updated_by: Option<&'a str>,
    /// The CCs' contact ids joined by `,` (staff).
    pub ccs: &'a str,
}

fn form_json(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        String::new()
    } else {
        serde_json::to_string(m).unwrap_or_default()
    }
}

/// Contact ids as [`Parts::ccs`] keeps them.
pub(crate) fn joined_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl Compact {
    /// Packs borrowed fields.
    pub(crate) fn build(p: &Parts<'_>) -> Self {
        let form = if p.form_fields == "{}" {
            ""
        } else {
            p.form_fields
        };
        let texts = [
            p.subject,
            p.description,
            p.status_label,
            p.category,
            p.created_at,
            p.updated_at,
            p.closed_at.unwrap_or(""),
            p.requester_name,
            p.requester_email,
            p.company_name.unwrap_or(""),
            p.owner_name.unwrap_or(""),
            p.inbox_name,
            p.tags,
            form,
            p.updated_by.unwrap_or(""),
            p.ccs,
        ];
        let mut text = String::with_capacity(texts.iter().map(|t| t.len()).sum());
        let mut ends = [0u32; TEXTS];
        for (t, end) in texts.iter().zip(ends.iter_mut()) {
            text.push_str(t);
            *end = text.len() as u32;
        }
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        Compact {
            flags: flag(p.staff, STAFF)
                | flag(p.closed, CLOSED)
                | flag(p.own, OWN)
                | flag(p.owner_id.is_some(), HAS_OWNER)
                | flag(p.company_id.is_some(), HAS_COMPANY)
                | flag(p.closed_at.is_some(), HAS_CLOSED_AT)
                | flag(p.company_name.is_some(), HAS_COMPANY_NAME)
                | flag(p.owner_name.is_some(), HAS_OWNER_NAME),
            stage: index(&Stage::ALL, &p.stage),
            priority: index(&Priority::ALL, &p.priority),
            source: index(&Source::ALL, &p.source),
            id: p.id,
            version: p.version,
            inbox_id: p.inbox_id,
            owner_id: p.owner_id.unwrap_or(0),
            contact_id: p.contact_id,
            company_id: p.company_id.unwrap_or(0),
            message_count: p.message_count,
            ends,
            text: text.into_boxed_str(),
        }
    }

    /// The compact form of a ticket.
    pub(crate) fn from_ticket(t: &TicketOut) -> Self {
        match t {
            TicketOut::Staff(r) => {
                let k = &r.ticket;
                let (tags, form) = (k.tags.join("\n"), form_json(&k.form_fields));
                let ccs = joined_ids(&k.ccs);
                Compact::build(&Parts {
                    staff: true,
                    closed: k.stage.is_closed(),
                    own: false,
                    stage: k.stage,
                    priority: k.priority,
                    source: k.source,
                    id: k.id,
                    version: k.version,
                    inbox_id: k.inbox_id,
                    owner_id: k.owner_id,
                    contact_id: k.contact_id,
                    company_id: k.company_id,
                    message_count: r.message_count,
                    subject: &k.subject,
                    description: &k.description,
                    status_label: "",
                    category: &k.category,
                    created_at: &k.created_at,
                    updated_at: &k.updated_at,
                    closed_at: k.closed_at.as_deref(),
                    requester_name: &r.requester_name,
                    requester_email: &r.requester_email,
                    company_name: r.company_name.as_deref(),
                    owner_name: r.owner_name.as_deref(),
                    inbox_name: &r.inbox_name,
                    tags: &tags,
                    form_fields: &form,
                    updated_by: r.updated_by.as_deref(),
                    ccs: &ccs,
                })
            }
            TicketOut::Customer(c) => {
                let form = form_json(&c.form_fields);
                Compact::build(&Parts {
                    staff: false,
                    closed: c.closed,
                    own: c.own,
                    stage: Stage::New,
                    priority: c.priority,
                    source: Source::Portal,
                    id: c.id,
                    version: c.version,
                    inbox_id: 0,
                    owner_id: None,
                    contact_id: 0,
                    company_id: None,
                    message_count: 0,
                    subject: &c.subject,
                    description: &c.description,
                    status_label: &c.status_label,
                    category: "",
                    created_at: &c.created_at,
                    updated_at: &c.updated_at,
                    closed_at: c.closed_at.as_deref(),
                    requester_name: &c.requester_name,
                    requester_email: "",
                    company_name: None,
                    owner_name: None,
                    inbox_name: "",
                    tags: "",
                    form_fields: &form,
                    updated_by: c.updated_by.as_deref(),
                    ccs: "",
                })
            }
        }
    }
}
