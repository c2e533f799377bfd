//! Decoding sync pages and cached entities. A page is read once into borrowed raw JSON per
//! change (kept verbatim for the cache), then each change is decoded straight into its type;
//! tickets go straight into the compact form (see `ticket.rs`).

mod ticket;

use super::error::ApiError;
use super::view::{Delta, EntityKind, Item};
use crate::domain::wire::{PortalFor, PortalOut, PublicPortal};
use serde::Deserialize;
use serde_json::value::RawValue;

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
        /// The compact form's bytes (see `Compact::to_bytes`).
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
        EntityKind::Ticket => Item::Ticket(Box::new(ticket::compact(json, staff)?)),
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
        EntityKind::SavedReply => Item::SavedReply(serde_json::from_str(json)?),
    })
}
