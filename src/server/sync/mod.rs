//! The sync feed: what changed since a cursor, filtered for one viewer by the same visibility
//! rule as every other read, with a full snapshot whenever the viewer's scope changed.

pub mod cursor;
pub mod poke;

use crate::domain::visibility::{ReadScope, can_see, listed_for, scope_fingerprint};
use crate::domain::wire::{TicketRow, portal_for, ticket_for};
use crate::domain::{PortalSettings, Viewer};
use crate::server::store::{Reader, Store, StoreResult};
use cursor::Cursor;
use serde::Serialize;
use serde_json::value::{RawValue, to_raw_value};
use std::collections::HashMap;

/// One change as the server sends it: the wire shape of [`crate::domain::wire::Change`], with
/// the entity serialised to JSON text once instead of built as a `serde_json::Value` tree and
/// serialised again (that tree per ticket was most of a 100 000-ticket snapshot's time).
#[derive(Debug, Serialize)]
pub struct Change {
    entity: String,
    op: String,
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Box<RawValue>>,
}

/// A page of the feed as the server sends it: the wire shape of
/// [`crate::domain::wire::SyncPage`], holding [`Change`]s.
#[derive(Debug, Serialize)]
pub struct SyncPage {
    cursor: String,
    reset: bool,
    changes: Vec<Change>,
    has_more: bool,
}

fn upsert<T: Serialize>(entity: &str, id: i64, value: &T) -> StoreResult<Change> {
    Ok(Change {
        entity: entity.into(),
        op: "upsert".into(),
        id,
        data: Some(to_raw_value(value)?),
    })
}

fn delete(entity: &str, id: i64) -> Change {
    Change {
        entity: entity.into(),
        op: "delete".into(),
        id,
        data: None,
    }
}

fn ticket_change(viewer: &Viewer, portal: &PortalSettings, row: TicketRow) -> StoreResult<Change> {
    let id = row.ticket.id;
    upsert("ticket", id, &ticket_for(viewer, portal, row))
}

/// Everything but tickets, as a snapshot sends it.
async fn meta_snapshot(
    store: &dyn Store,
    viewer: &Viewer,
    portal: &PortalSettings,
) -> StoreResult<Vec<Change>> {
    let domains = store.domains().await?;
    let mut out = vec![upsert(
        "portal",
        0,
        &portal_for(viewer, portal.clone(), &domains),
    )?];
    if viewer.is_staff() {
        out.push(upsert("domains", 0, &domains)?);
        for u in store.users().await? {
            out.push(upsert("user", u.id, &u)?);
        }
        for c in store.companies().await? {
            out.push(upsert("company", c.id, &c)?);
        }
        for i in store.inboxes().await? {
            out.push(upsert("inbox", i.id, &i)?);
        }
        for r in store.rules().await? {
            out.push(upsert("rule", r.id, &r)?);
        }
        for c in store.contacts().await? {
            out.push(upsert("contact", c.id, &c)?);
        }
        if let Viewer::Staff { user_id, .. } = viewer {
            for r in store.saved_replies(*user_id).await? {
                out.push(upsert("saved_reply", r.id, &r)?);
            }
        }
    }
    Ok(out)
}

/// Answers `GET /sync` for `viewer` from `cursor`, at most `limit` tickets or changes a page.
pub async fn page(
    store: &dyn Store,
    viewer: &Viewer,
    cursor: Cursor,
    limit: usize,
) -> StoreResult<SyncPage> {
    let portal = store.portal().await?;
    let fp = scope_fingerprint(viewer, &portal);
    match cursor {
        Cursor::Live { seq, fp: old } if old == fp => {
            live_page(store, viewer, &portal, seq, fp, limit).await
        }
        Cursor::Snapshot {
            seq,
            after,
            fp: old,
        } if old == fp => snapshot_page(store, viewer, &portal, seq, after, fp, limit, false).await,
        _ => {
            let seq = store.current_seq().await?;
            snapshot_page(store, viewer, &portal, seq, 0, fp, limit, true).await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn snapshot_page(
    store: &dyn Store,
    viewer: &Viewer,
    portal: &PortalSettings,
    seq: i64,
    after: i64,
    fp: u64,
    limit: usize,
    first: bool,
) -> StoreResult<SyncPage> {
    let mut changes = if first {
        meta_snapshot(store, viewer, portal).await?
    } else {
        Vec::new()
    };
    let rows = store
        .tickets_by_id(
            ReadScope::of(viewer, &portal.ticket_permission),
            after,
            limit,
        )
        .await?;
    let done = rows.len() < limit;
    let last = rows.last().map(|r| r.ticket.id).unwrap_or(after);
    for row in rows {
        if listed_for(viewer, portal, &row.ticket) {
            changes.push(ticket_change(viewer, portal, row)?);
        }
    }
    let (cursor, has_more) = if done {
        (Cursor::Live { seq, fp }, store.current_seq().await? > seq)
    } else {
        (
            Cursor::Snapshot {
                seq,
                after: last,
                fp,
            },
            true,
        )
    };
    Ok(SyncPage {
        cursor: cursor.encode(),
        reset: first,
        changes,
        has_more,
    })
}

async fn live_page(
    store: &dyn Store,
    viewer: &Viewer,
    portal: &PortalSettings,
    seq: i64,
    fp: u64,
    limit: usize,
) -> StoreResult<SyncPage> {
    let mut rows = store.changes(seq, limit + 1).await?;
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next_seq = rows.last().map(|r| r.seq).unwrap_or(seq);
    let staff = viewer.is_staff();
    // What customers cannot see does not reach their feed: not even as an unchanged upsert.
    rows.retain(|r| staff || !r.staff_only);
    // Keep each entity once, at its last position; remember whether the viewer could see a
    // ticket before any of its changes in this page.
    let mut order: Vec<(String, i64)> = Vec::new();
    let mut seen_before: HashMap<i64, bool> = HashMap::new();
    for r in &rows {
        let key = (r.entity.clone(), r.entity_id);
        order.retain(|k| k != &key);
        order.push(key);
        if r.entity == "ticket" {
            let before = r
                .before
                .as_ref()
                .is_some_and(|s| can_see(viewer, &portal.ticket_permission, s));
            *seen_before.entry(r.entity_id).or_default() |= before;
        }
    }
    let ticket_ids: Vec<i64> = order
        .iter()
        .filter(|(e, _)| e == "ticket")
        .map(|(_, id)| *id)
        .collect();
    let mut tickets: HashMap<i64, TicketRow> = store
        .tickets_in(ticket_ids, Reader::of(viewer))
        .await?
        .into_iter()
        .map(|r| (r.ticket.id, r))
        .collect();
    let mut changes = Vec::with_capacity(order.len());
    let mut lists = StaffLists::for_viewer(viewer);
    for (entity, id) in order {
        match entity.as_str() {
            "ticket" => match tickets.remove(&id) {
                Some(row) if listed_for(viewer, portal, &row.ticket) => {
                    changes.push(ticket_change(viewer, portal, row)?)
                }
                Some(row) => {
                    let visible_now =
                        can_see(viewer, &portal.ticket_permission, &(&row.ticket).into());
                    if visible_now || seen_before.get(&id).copied().unwrap_or(false) {
                        changes.push(delete("ticket", id));
                    }
                }
                None if seen_before.get(&id).copied().unwrap_or(false) => {
                    changes.push(delete("ticket", id))
                }
                None => {}
            },
            "portal" => {
                let domains = store.domains().await?;
                changes.push(upsert(
                    "portal",
                    0,
                    &portal_for(viewer, portal.clone(), &domains),
                )?);
            }
            _ if !staff => {}
            other => {
                if let Some(change) = lists.change(store, other, id).await? {
                    changes.push(change);
                }
            }
        }
    }
    Ok(SyncPage {
        cursor: Cursor::Live { seq: next_seq, fp }.encode(),
        reset: false,
        changes,
        has_more,
    })
}

/// Staff-only entity lists, loaded at most once per page.
struct StaffLists {
    /// The staff user whose own saved replies the page carries (0 for none).
    user_id: i64,
    loaded: HashMap<String, HashMap<i64, Box<RawValue>>>,
}

impl StaffLists {
    fn for_viewer(viewer: &Viewer) -> Self {
        StaffLists {
            user_id: match viewer {
                Viewer::Staff { user_id, .. } => *user_id,
                _ => 0,
            },
            loaded: HashMap::new(),
        }
    }

    async fn change(
        &mut self,
        store: &dyn Store,
        entity: &str,
        id: i64,
    ) -> StoreResult<Option<Change>> {
        if entity == "domain" {
            return Ok(Some(upsert("domains", 0, &store.domains().await?)?));
        }
        if !self.loaded.contains_key(entity) {
            let values: HashMap<i64, Box<RawValue>> = match entity {
                "inbox" => to_map(store.inboxes().await?, |x| x.id)?,
                "rule" => to_map(store.rules().await?, |x| x.id)?,
                "user" => to_map(store.users().await?, |x| x.id)?,
                "contact" => to_map(store.contacts().await?, |x| x.id)?,
                "company" => to_map(store.companies().await?, |x| x.id)?,
                "saved_reply" => to_map(store.saved_replies(self.user_id).await?, |x| x.id)?,
                _ => return Ok(None),
            };
            self.loaded.insert(entity.to_string(), values);
        }
        Ok(Some(
            match self.loaded.get(entity).and_then(|m| m.get(&id)) {
                Some(v) => Change {
                    entity: entity.into(),
                    op: "upsert".into(),
                    id,
                    data: Some(v.clone()),
                },
                None => delete(entity, id),
            },
        ))
    }
}

fn to_map<T: Serialize>(
    items: Vec<T>,
    id: impl Fn(&T) -> i64,
) -> StoreResult<HashMap<i64, Box<RawValue>>> {
    items
        .into_iter()
        .map(|x| Ok((id(&x), to_raw_value(&x)?)))
        .collect()
}
