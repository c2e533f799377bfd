//! Removing a staff user: one transaction that deactivates the account and takes it out of
//! everything that could still give it work or a way in.

use super::auth::delete_sessions_of;
use super::changes::append_change;
use super::config::{inboxes_with_cursor, rules, update_inbox, update_rule};
use super::people::users;
use super::rows::unix_now;
use super::tickets::update;
use crate::domain::routing::{AssignNamed, AssignTarget};
use crate::domain::{Role, User};
use crate::server::store::{Account, Reader, StoreError, StoreResult, TicketChange};
use rusqlite::{Connection, params};

/// Removes staff user `id` on behalf of `by` (the name kept as the last author of the
/// tickets it unassigns): marks the row removed (it stays, so tickets keep their names),
/// refuses the last admin, takes the user out of every inbox (keeping the round-robin turn
/// on the member who was next), turns rules that assigned to them into "leave unassigned",
/// unassigns their open tickets, drops their pending sign-in codes and ends their sessions.
/// Every step logs its change, so clients sync it. Returns the user and the ended sessions'
/// token hashes.
pub fn remove_user(conn: &Connection, id: i64, by: &str) -> StoreResult<(User, Vec<String>)> {
    let staff = users(conn)?;
    let user = staff
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .ok_or(StoreError::NotFound)?;
    if user.role == Role::Admin && staff.iter().filter(|u| u.role == Role::Admin).count() == 1 {
        return Err(StoreError::LastAdmin);
    }
    conn.execute(
        "UPDATE users SET removed_at = ?2 WHERE id = ?1",
        params![id, unix_now()],
    )?;
    append_change(conn, "user", id, "delete", None)?;
    leave_inboxes(conn, id)?;
    for mut rule in rules(conn)? {
        if rule.then.assign == (AssignTarget::User { user_id: id }) {
            rule.then.assign = AssignTarget::Named(AssignNamed::None);
            update_rule(conn, rule)?;
        }
    }
    let owned: Vec<i64> = conn
        .prepare_cached("SELECT id FROM tickets WHERE owner_id = ?1 AND stage <> 'closed'")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let unassign = TicketChange {
        owner_id: Some(None),
        ..TicketChange::default()
    };
    for ticket in owned {
        update(conn, ticket, &unassign, Reader::Staff, None, by)?;
    }
    conn.execute("DELETE FROM codes WHERE email = ?1", [&user.email])?;
    // Their SSH keys sign in no more, and may be registered again by someone else.
    conn.execute(
        "DELETE FROM ssh_keys WHERE account_kind = 'user' AND account_id = ?1",
        [id],
    )?;
    let ended = delete_sessions_of(conn, &Account::User(user.clone()), None)?;
    Ok((user, ended))
}

/// Takes user `id` out of every inbox's members. The round-robin cursor is an index into the
/// members, so it moves back one when a member before it leaves.
fn leave_inboxes(conn: &Connection, id: i64) -> StoreResult<()> {
    for (mut inbox, cursor) in inboxes_with_cursor(conn)? {
        let Some(at) = inbox.members.iter().position(|m| *m == id) else {
            continue;
        };
        inbox.members.remove(at);
        let inbox_id = inbox.id;
        update_inbox(conn, inbox)?;
        if (at as i64) < cursor {
            conn.execute(
                "UPDATE inboxes SET rr_cursor = ?2 WHERE id = ?1",
                params![inbox_id, cursor - 1],
            )?;
        }
    }
    Ok(())
}
