//! Removing a staff user: one transaction that deactivates the account and takes it out of
//! everything that could still give it work or a way in (as the SQLite store does).

use super::auth::delete_sessions_of;
use super::changes::append_change;
use super::config::{inboxes_with_cursor, rules, update_inbox, update_rule};
use super::people::users;
use super::sql::{Db, execute, get, rows};
use super::tickets::update;
use crate::domain::routing::{AssignNamed, AssignTarget};
use crate::domain::{Role, User};
use crate::server::store::shared::unix_now;
use crate::server::store::{Account, Reader, StoreError, StoreResult, TicketChange};

/// Removes staff user `id` on behalf of `by` (the name kept as the last author of the
/// tickets it unassigns): marks the row removed (it stays, so tickets keep their names),
/// refuses the last admin, takes the user out of every inbox (keeping the round-robin turn
/// on the member who was next), turns rules that assigned to them into "leave unassigned",
/// unassigns their open tickets, drops their pending sign-in codes and ends their sessions.
/// Every step logs its change, so clients sync it. Returns the user and the ended sessions'
/// token hashes.
pub async fn remove_user(c: &Db, id: i64, by: &str) -> StoreResult<(User, Vec<String>)> {
    let staff = users(c).await?;
    let user = staff
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .ok_or(StoreError::NotFound)?;
    if user.role == Role::Admin && staff.iter().filter(|u| u.role == Role::Admin).count() == 1 {
        return Err(StoreError::LastAdmin);
    }
    execute(
        c,
        "UPDATE users SET removed_at = $2 WHERE id = $1",
        &[&id, &unix_now()],
    )
    .await?;
    append_change(c, "user", id, "delete", None).await?;
    leave_inboxes(c, id).await?;
    for mut rule in rules(c).await? {
        if rule.then.assign == (AssignTarget::User { user_id: id }) {
            rule.then.assign = AssignTarget::Named(AssignNamed::None);
            update_rule(c, rule).await?;
        }
    }
    let owned: Vec<i64> = rows(
        c,
        "SELECT id FROM tickets WHERE owner_id = $1 AND stage <> 'closed' ORDER BY id",
        &[&id],
    )
    .await?
    .iter()
    .map(|r| get(r, 0))
    .collect::<StoreResult<_>>()?;
    let unassign = TicketChange {
        owner_id: Some(None),
        ..TicketChange::default()
    };
    for ticket in owned {
        update(c, ticket, &unassign, Reader::Staff, None, by).await?;
    }
    execute(c, "DELETE FROM codes WHERE email = $1", &[&user.email]).await?;
    // Their SSH keys sign in no more, and may be registered again by someone else.
    execute(
        c,
        "DELETE FROM ssh_keys WHERE account_kind = 'user' AND account_id = $1",
        &[&id],
    )
    .await?;
    let ended = delete_sessions_of(c, &Account::User(user.clone()), None).await?;
    Ok((user, ended))
}

/// Takes user `id` out of every inbox's members. The round-robin cursor is an index into the
/// members, so it moves back one when a member before it leaves.
async fn leave_inboxes(c: &Db, id: i64) -> StoreResult<()> {
    for (mut inbox, cursor) in inboxes_with_cursor(c).await? {
        let Some(at) = inbox.members.iter().position(|m| *m == id) else {
            continue;
        };
        inbox.members.remove(at);
        let inbox_id = inbox.id;
        update_inbox(c, inbox).await?;
        if (at as i64) < cursor {
            execute(
                c,
                "UPDATE inboxes SET rr_cursor = $2 WHERE id = $1",
                &[&inbox_id, &(cursor - 1)],
            )
            .await?;
        }
    }
    Ok(())
}
