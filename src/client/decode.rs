//! Decoding sync pages and cached rows. A page is read once into borrowed raw JSON per change
//! (kept verbatim for the cache), then each change is decoded straight into its type: tickets
//! through a flat mirror of the wire shape, because the wire enum is untagged and flattened,
//! which serde can only decode through a buffered copy (measured several times slower).

use super::error::ApiError;
use super::view::compact::Compact;
use super::view::{Delta, EntityKind, Item};
use crate::domain::wire::{
    CustomerTicket, PortalFor, PortalOut, PublicPortal, TicketOut, TicketRow,
};
use crate::domain::{Priority, Source, Stage, Ticket};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A decoded page of the sync feed.
pub(crate) struct Page {
    /// Cursor for the next call.
    pub cursor: String,
    /// Drop everything before applying.
    pub reset: bool,
    /// Changes, in order.
    pub changes: Vec<PageChange>,
}

/// An upserted entity as the cache stores it.
pub(crate) enum Stored {
    /// A ticket in the cache's binary form, with its version.
    Ticket {
        /// Ticket version.
        version: i64,
        /// [`Compact::to_bytes`] of the ticket.
        blob: Vec<u8>,
    },
    /// Any other entity, as the JSON the server sent.
    Json(String),
}

/// One change: what to store and what to show.
pub(crate) struct PageChange {
    /// The kind.
    pub kind: EntityKind,
    /// The id (0 for `portal` and `domains`).
    pub id: i64,
    /// What the cache stores, for upserts.
    pub stored: Option<Stored>,
    /// The typed change.
    pub delta: Delta,
}

#[derive(Deserialize)]
struct RawPage<'a> {
    cursor: String,
    reset: bool,
    #[serde(borrow)]
    changes: Vec<RawChange<'a>>,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    #[serde(borrow)]
    entity: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    op: std::borrow::Cow<'a, str>,
    id: i64,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Head {
    cursor: String,
    has_more: bool,
}

/// Reads only a page's cursor and whether more follows (to ask for the next page while this
/// one is decoded and stored).
pub(crate) fn page_head(bytes: &[u8]) -> Result<(String, bool), ApiError> {
    let head: Head = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::Protocol(format!("bad sync page: {e}")))?;
    Ok((head.cursor, head.has_more))
}

/// Decodes a page for a staff (`staff`) or customer account. Changes of kinds this client does
/// not know are skipped, so a newer server can add kinds.
pub(crate) fn decode_page(bytes: &[u8], staff: bool) -> Result<Page, ApiError> {
    let raw: RawPage<'_> = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::Protocol(format!("bad sync page: {e}")))?;
    let mut changes = Vec::with_capacity(raw.changes.len());
    for c in raw.changes {
        let Some(kind) = EntityKind::parse(&c.entity) else {
            continue;
        };
        let change = match (c.op.as_ref(), c.data) {
            ("delete", _) => PageChange {
                kind,
                id: c.id,
                stored: None,
                delta: Delta::Delete(kind, c.id),
            },
            ("upsert", Some(data)) => {
                let item = decode_item(kind, data.get(), staff).map_err(|e| {
                    ApiError::Protocol(format!(
                        "bad {} {} in the sync page: {e}",
                        kind.as_str(),
                        c.id
                    ))
                })?;
                let stored = match &item {
                    Item::Ticket(t) => Stored::Ticket {
                        version: t.version(),
                        blob: t.to_bytes(),
                    },
                    _ => Stored::Json(data.get().to_string()),
                };
                PageChange {
                    kind,
                    id: c.id,
                    stored: Some(stored),
                    delta: Delta::Upsert(item),
                }
            }
            (op, _) => {
                return Err(ApiError::Protocol(format!(
                    "unknown sync op `{op}` for {} {}",
                    kind.as_str(),
                    c.id
                )));
            }
        };
        changes.push(change);
    }
    Ok(Page {
        cursor: raw.cursor,
        reset: raw.reset,
        changes,
    })
}

/// Decodes one entity's JSON.
pub(crate) fn decode_item(
    kind: EntityKind,
    json: &str,
    staff: bool,
) -> Result<Item, serde_json::Error> {
    Ok(match kind {
        EntityKind::Ticket => {
            Item::Ticket(Box::new(Compact::from_ticket(&decode_ticket(json, staff)?)))
        }
        EntityKind::Portal if staff => {
            let settings: PortalOut = serde_json::from_str(json)?;
            Item::Portal(Box::new(PortalFor::Staff(Box::new(settings))))
        }
        EntityKind::Portal => {
            let public: PublicPortal = serde_json::from_str(json)?;
            Item::Portal(Box::new(PortalFor::Public(public)))
        }
        EntityKind::Domains => Item::Domains(serde_json::from_str(json)?),
        EntityKind::Inbox => Item::Inbox(serde_json::from_str(json)?),
        EntityKind::Rule => Item::Rule(serde_json::from_str(json)?),
        EntityKind::User => Item::User(serde_json::from_str(json)?),
        EntityKind::Contact => Item::Contact(serde_json::from_str(json)?),
        EntityKind::Company => Item::Company(serde_json::from_str(json)?),
    })
}

/// Decodes a ticket in the projection the account receives.
pub(crate) fn decode_ticket(json: &str, staff: bool) -> Result<TicketOut, serde_json::Error> {
    if staff {
        Ok(TicketOut::Staff(
            serde_json::from_str::<FlatRow>(json)?.into(),
        ))
    } else {
        Ok(TicketOut::Customer(serde_json::from_str::<CustomerTicket>(
            json,
        )?))
    }
}

/// [`TicketRow`] as it is on the wire: the ticket's fields and the row's side by side.
#[derive(Deserialize)]
struct FlatRow {
    id: i64,
    subject: String,
    description: String,
    stage: Stage,
    priority: Priority,
    category: String,
    inbox_id: i64,
    owner_id: Option<i64>,
    contact_id: i64,
    company_id: Option<i64>,
    source: Source,
    form_fields: BTreeMap<String, String>,
    tags: Vec<String>,
    created_at: String,
    updated_at: String,
    closed_at: Option<String>,
    version: i64,
    requester_name: String,
    requester_email: String,
    company_name: Option<String>,
    owner_name: Option<String>,
    inbox_name: String,
    message_count: i64,
}

impl From<FlatRow> for TicketRow {
    fn from(f: FlatRow) -> Self {
        TicketRow {
            ticket: Ticket {
                id: f.id,
                subject: f.subject,
                description: f.description,
                stage: f.stage,
                priority: f.priority,
                category: f.category,
                inbox_id: f.inbox_id,
                owner_id: f.owner_id,
                contact_id: f.contact_id,
                company_id: f.company_id,
                source: f.source,
                form_fields: f.form_fields,
                tags: f.tags,
                created_at: f.created_at,
                updated_at: f.updated_at,
                closed_at: f.closed_at,
                version: f.version,
            },
            requester_name: f.requester_name,
            requester_email: f.requester_email,
            company_name: f.company_name,
            owner_name: f.owner_name,
            inbox_name: f.inbox_name,
            message_count: f.message_count,
        }
    }
}
