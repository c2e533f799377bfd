//! Who tickets can be assigned to: the staff accounts the client knows, each with the number
//! of open tickets they own in the client's view (pending changes included), so the picker
//! shows the load before one chooses.

use crate::client::View;
use std::collections::HashMap;

/// One staff account as the owner picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// User id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Open (not closed) tickets they own.
    pub open: usize,
    /// The signed-in user.
    pub me: bool,
}

/// The staff accounts of `view`, by name, with their open-ticket counts; `me` is marked.
pub fn agents(view: &View, me: i64) -> Vec<Agent> {
    let mut open: HashMap<i64, usize> = HashMap::new();
    for t in view.tickets().filter(|t| !t.is_closed()) {
        if let Some(owner) = t.owner_id() {
            *open.entry(owner).or_default() += 1;
        }
    }
    let mut list: Vec<Agent> = view
        .users
        .values()
        .map(|u| Agent {
            id: u.id,
            name: u.name.clone(),
            open: open.get(&u.id).copied().unwrap_or(0),
            me: u.id == me,
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    list
}
