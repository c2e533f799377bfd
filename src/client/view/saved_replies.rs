//! Saved replies as shown: the server's copies with pending writes on top, so a reply saved
//! offline is in the picker at once (with a negative id until the server numbers it).

use super::Marked;
use crate::client::write::{Write, WriteId};
use crate::domain::SavedReply;
use std::collections::BTreeMap;

/// The replies with pending creations (negative ids, personal until the server says
/// otherwise), changes and deletions applied, by title.
pub(super) fn shown(
    base: &BTreeMap<i64, SavedReply>,
    pending: &[&Write],
    ids: &[WriteId],
    me: i64,
) -> Vec<Marked<SavedReply>> {
    let mut out: BTreeMap<i64, Marked<SavedReply>> = base
        .iter()
        .map(|(id, r)| {
            let item = r.clone();
            (
                *id,
                Marked {
                    item,
                    pending: false,
                },
            )
        })
        .collect();
    for (w, wid) in pending.iter().zip(ids) {
        match w {
            Write::CreateSavedReply(input) => {
                let item = SavedReply {
                    id: -wid.0,
                    title: input.title.clone(),
                    body: input.body.clone(),
                    owner_id: (!input.shared).then_some(me),
                };
                out.insert(
                    -wid.0,
                    Marked {
                        item,
                        pending: true,
                    },
                );
            }
            Write::PatchSavedReply { id, patch } => {
                if let Some(m) = out.get_mut(id) {
                    if let Some(v) = &patch.title {
                        m.item.title.clone_from(v);
                    }
                    if let Some(v) = &patch.body {
                        m.item.body.clone_from(v);
                    }
                    if let Some(shared) = patch.shared {
                        m.item.owner_id = (!shared).then_some(me);
                    }
                    m.pending = true;
                }
            }
            Write::DeleteSavedReply { id } => {
                out.remove(id);
            }
            _ => {}
        }
    }
    let mut list: Vec<Marked<SavedReply>> = out.into_values().collect();
    list.sort_by(|a, b| {
        a.item
            .title
            .to_lowercase()
            .cmp(&b.item.title.to_lowercase())
    });
    list
}
