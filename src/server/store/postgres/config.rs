//! Portal settings, domains, inboxes and routing rules.

use super::changes::append_change;
use super::sql::{Db, execute, get, json, row, row_opt, rows};
use crate::domain::routing::{
    AssignNamed, AssignTarget, MatchMode, RoutingInput, first_match, pick_owner,
};
use crate::domain::{DomainInfo, Inbox, PortalSettings, RoutingRule, ValidationError};
use crate::server::store::shared::enum_text;
use crate::server::store::{RouteDecision, RuleRef, StoreError, StoreResult};
use std::collections::HashMap;
use tokio_postgres::Row;

/// The settings; an empty store yields an unconfigured portal on the first domain.
pub async fn portal(c: &Db) -> StoreResult<PortalSettings> {
    match row_opt(c, "SELECT settings FROM portal WHERE id = 1", &[]).await? {
        Some(r) => json(&r, 0),
        None => {
            let first = domains(c)
                .await?
                .into_iter()
                .next()
                .map(|d| d.host)
                .unwrap_or_else(|| "localhost.test".into());
            Ok(PortalSettings::unconfigured(&first))
        }
    }
}

/// Writes the settings after checking the version and validating them.
pub async fn save_portal(c: &Db, next: &PortalSettings, expected_version: i64) -> StoreResult<()> {
    let current = portal(c).await?;
    if current.version != expected_version {
        return Err(StoreError::Conflict(current.version));
    }
    let inbox_ids: Vec<i64> = inboxes(c).await?.iter().map(|b| b.id).collect();
    next.validate(&domains(c).await?, &inbox_ids)?;
    execute(
        c,
        "INSERT INTO portal (id, settings, version) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, version = excluded.version",
        &[&serde_json::to_string(next)?, &next.version],
    )
    .await?;
    append_change(c, "portal", 0, "upsert", None).await
}

/// Connected domains, by host.
pub async fn domains(c: &Db) -> StoreResult<Vec<DomainInfo>> {
    rows(
        c,
        "SELECT host, primary_language, system FROM domains ORDER BY host",
        &[],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(DomainInfo {
            host: get(r, 0)?,
            primary_language: get(r, 1)?,
            system: get(r, 2)?,
        })
    })
    .collect()
}

/// Connects a domain.
pub async fn add_domain(c: &Db, d: &DomainInfo) -> StoreResult<()> {
    d.validate()?;
    if row_opt(c, "SELECT 1 FROM domains WHERE host = $1", &[&d.host])
        .await?
        .is_some()
    {
        return Err(StoreError::Duplicate(format!(
            "{} is already connected",
            d.host
        )));
    }
    execute(
        c,
        "INSERT INTO domains (host, primary_language, system) VALUES ($1, $2, $3)",
        &[&d.host, &d.primary_language, &d.system],
    )
    .await?;
    append_change(c, "domain", 0, "upsert", None).await
}

/// Removes a connected domain, unless it is a system domain or the portal's own.
pub async fn remove_domain(c: &Db, host: &str) -> StoreResult<()> {
    let domain = domains(c)
        .await?
        .into_iter()
        .find(|d| d.host == host)
        .ok_or(StoreError::NotFound)?;
    if domain.system {
        return Err(ValidationError::new(
            "host",
            "it is a system domain; those come with the server",
        )
        .into());
    }
    if portal(c).await?.domain == host {
        return Err(ValidationError::new(
            "host",
            "the portal is served on it; set another domain for the portal first",
        )
        .into());
    }
    execute(c, "DELETE FROM domains WHERE host = $1", &[&host]).await?;
    append_change(c, "domain", 0, "upsert", None).await
}

/// A unit enum from its stored wire name.
fn enum_from<T: serde::de::DeserializeOwned>(r: &Row, i: usize) -> StoreResult<T> {
    Ok(serde_json::from_value(serde_json::Value::String(get(
        r, i,
    )?))?)
}

fn inbox_from_row(r: &Row) -> StoreResult<(Inbox, i64)> {
    let capacity: Option<i64> = get(r, 5)?;
    Ok((
        Inbox {
            id: get(r, 0)?,
            name: get(r, 1)?,
            kind: enum_from(r, 2)?,
            members: json(r, 3)?,
            assignment: enum_from(r, 4)?,
            capacity: capacity.and_then(|n| u32::try_from(n).ok()),
        },
        get(r, 6)?,
    ))
}

async fn inboxes_with_cursor(c: &Db) -> StoreResult<Vec<(Inbox, i64)>> {
    rows(
        c,
        "SELECT id, name, kind, members, assignment, capacity, rr_cursor FROM inboxes ORDER BY id",
        &[],
    )
    .await?
    .iter()
    .map(inbox_from_row)
    .collect()
}

/// Inboxes, by id.
pub async fn inboxes(c: &Db) -> StoreResult<Vec<Inbox>> {
    Ok(inboxes_with_cursor(c)
        .await?
        .into_iter()
        .map(|(b, _)| b)
        .collect())
}

async fn check_members(c: &Db, inbox: &Inbox) -> StoreResult<()> {
    inbox.validate()?;
    let staff = super::people::staff_ids(c).await?;
    if let Some(m) = inbox.members.iter().find(|m| !staff.contains(m)) {
        return Err(ValidationError::new("members", format!("no staff user with id {m}")).into());
    }
    Ok(())
}

/// Creates an inbox; returns it with its id.
pub async fn create_inbox(c: &Db, mut inbox: Inbox) -> StoreResult<Inbox> {
    check_members(c, &inbox).await?;
    inbox.name = inbox.name.trim().to_string();
    let capacity = inbox.capacity.map(i64::from);
    let added = row(
        c,
        "INSERT INTO inboxes (name, kind, members, assignment, capacity) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &[&inbox.name, &enum_text(&inbox.kind)?, &serde_json::to_string(&inbox.members)?, &enum_text(&inbox.assignment)?, &capacity],
    )
    .await?;
    inbox.id = get(&added, 0)?;
    append_change(c, "inbox", inbox.id, "upsert", None).await?;
    Ok(inbox)
}

/// Replaces an inbox.
pub async fn update_inbox(c: &Db, inbox: Inbox) -> StoreResult<Inbox> {
    check_members(c, &inbox).await?;
    let capacity = inbox.capacity.map(i64::from);
    let n = execute(
        c,
        "UPDATE inboxes SET name = $2, kind = $3, members = $4, assignment = $5, capacity = $6 WHERE id = $1",
        &[&inbox.id, &inbox.name.trim(), &enum_text(&inbox.kind)?, &serde_json::to_string(&inbox.members)?, &enum_text(&inbox.assignment)?, &capacity],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "inbox", inbox.id, "upsert", None).await?;
    Ok(inbox)
}

async fn count(c: &Db, sql: &str, id: i64) -> StoreResult<i64> {
    get(&row(c, sql, &[&id]).await?, 0)
}

/// Deletes an inbox unless it is the default, holds open tickets or a rule points at it.
pub async fn delete_inbox(c: &Db, id: i64) -> StoreResult<()> {
    if !inboxes(c).await?.iter().any(|b| b.id == id) {
        return Err(StoreError::NotFound);
    }
    if portal(c).await?.default_inbox_id == Some(id) {
        return Err(ValidationError::new(
            "inbox",
            "it is the portal's default inbox; choose another default first",
        )
        .into());
    }
    let open = count(
        c,
        "SELECT COUNT(*) FROM tickets WHERE inbox_id = $1 AND stage <> 'closed'",
        id,
    )
    .await?;
    if open > 0 {
        return Err(ValidationError::new(
            "inbox",
            format!("it still holds {open} open tickets; move them first"),
        )
        .into());
    }
    if let Some(rule) = rules(c).await?.into_iter().find(|r| r.then.inbox_id == id) {
        return Err(ValidationError::new(
            "inbox",
            format!("routing rule `{}` sends tickets to it", rule.name),
        )
        .into());
    }
    let closed = count(c, "SELECT COUNT(*) FROM tickets WHERE inbox_id = $1", id).await?;
    if closed > 0 {
        return Err(ValidationError::new(
            "inbox",
            format!("{closed} closed tickets still belong to it; move them first"),
        )
        .into());
    }
    execute(c, "DELETE FROM inboxes WHERE id = $1", &[&id]).await?;
    append_change(c, "inbox", id, "delete", None).await
}

/// Routing rules by position.
pub async fn rules(c: &Db) -> StoreResult<Vec<RoutingRule>> {
    rows(
        c,
        "SELECT id, name, enabled, position, match_mode, conditions, outcome FROM routing_rules ORDER BY position, id",
        &[],
    )
    .await?
    .iter()
    .map(|r| {
        let mode: &str = get(r, 4)?;
        Ok(RoutingRule {
            id: get(r, 0)?,
            name: get(r, 1)?,
            enabled: get(r, 2)?,
            position: get(r, 3)?,
            match_mode: if mode == "any" {
                MatchMode::Any
            } else {
                MatchMode::All
            },
            conditions: json(r, 5)?,
            then: json(r, 6)?,
        })
    })
    .collect()
}

async fn check_rule(c: &Db, rule: &RoutingRule) -> StoreResult<()> {
    let staff = super::people::staff_ids(c).await?;
    Ok(rule.validate(&inboxes(c).await?, &staff)?)
}

/// Renumbers positions 0.. in the given order and records a change for each moved rule.
async fn renumber(c: &Db, ordered: &[i64]) -> StoreResult<()> {
    for (pos, id) in ordered.iter().enumerate() {
        let pos = pos as i64;
        let n = execute(
            c,
            "UPDATE routing_rules SET position = $2 WHERE id = $1 AND position <> $2",
            &[id, &pos],
        )
        .await?;
        if n > 0 {
            append_change(c, "rule", *id, "upsert", None).await?;
        }
    }
    Ok(())
}

async fn place(c: &Db, id: i64, position: i64) -> StoreResult<()> {
    let mut order: Vec<i64> = rules(c)
        .await?
        .iter()
        .map(|r| r.id)
        .filter(|r| *r != id)
        .collect();
    let at = position.clamp(0, order.len() as i64) as usize;
    order.insert(at, id);
    renumber(c, &order).await
}

/// Creates a rule at its position (clamped to the end).
pub async fn create_rule(c: &Db, mut rule: RoutingRule) -> StoreResult<RoutingRule> {
    check_rule(c, &rule).await?;
    let added = row(
        c,
        "INSERT INTO routing_rules (name, enabled, position, match_mode, conditions, outcome) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[&rule.name.trim(), &rule.enabled, &i64::MAX, &enum_text(&rule.match_mode)?, &serde_json::to_string(&rule.conditions)?, &serde_json::to_string(&rule.then)?],
    )
    .await?;
    rule.id = get(&added, 0)?;
    append_change(c, "rule", rule.id, "upsert", None).await?;
    place(c, rule.id, rule.position).await?;
    find_rule(c, rule.id).await
}

async fn find_rule(c: &Db, id: i64) -> StoreResult<RoutingRule> {
    rules(c)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(StoreError::NotFound)
}

/// Replaces a rule and moves it to its position.
pub async fn update_rule(c: &Db, rule: RoutingRule) -> StoreResult<RoutingRule> {
    check_rule(c, &rule).await?;
    let n = execute(
        c,
        "UPDATE routing_rules SET name = $2, enabled = $3, match_mode = $4, conditions = $5, outcome = $6 WHERE id = $1",
        &[&rule.id, &rule.name.trim(), &rule.enabled, &enum_text(&rule.match_mode)?, &serde_json::to_string(&rule.conditions)?, &serde_json::to_string(&rule.then)?],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "rule", rule.id, "upsert", None).await?;
    place(c, rule.id, rule.position).await?;
    find_rule(c, rule.id).await
}

/// Deletes a rule and closes the gap in positions.
pub async fn delete_rule(c: &Db, id: i64) -> StoreResult<()> {
    if execute(c, "DELETE FROM routing_rules WHERE id = $1", &[&id]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "rule", id, "delete", None).await?;
    let order: Vec<i64> = rules(c).await?.iter().map(|r| r.id).collect();
    renumber(c, &order).await
}

/// Open tickets per owner.
pub async fn open_counts(c: &Db) -> StoreResult<HashMap<i64, u32>> {
    rows(
        c,
        "SELECT owner_id, COUNT(*) FROM tickets WHERE owner_id IS NOT NULL AND stage <> 'closed' GROUP BY owner_id",
        &[],
    )
    .await?
    .iter()
    .map(|r| Ok((get(r, 0)?, get::<i64>(r, 1)? as u32)))
    .collect()
}

/// Decides where a draft goes: first matching rule, else the default inbox, then the owner.
/// With `commit`, stores the inbox's advanced round-robin cursor.
pub async fn route(
    c: &Db,
    draft: &RoutingInput,
    rules_override: Option<Vec<RoutingRule>>,
    commit: bool,
) -> StoreResult<RouteDecision> {
    let rules = match rules_override {
        Some(r) => r,
        None => rules(c).await?,
    };
    let matched = first_match(&rules, draft);
    let default_inbox = portal(c).await?.default_inbox_id;
    let inbox_id = matched.map(|r| r.then.inbox_id).or(default_inbox);
    let assign = matched
        .map(|r| r.then.assign.clone())
        .unwrap_or(AssignTarget::Named(AssignNamed::InboxMethod));
    let priority = matched.and_then(|r| r.then.priority).or(draft.priority);
    let mut owner_id = None;
    if let Some(inbox_id) = inbox_id {
        let (inbox, cursor) = inboxes_with_cursor(c)
            .await?
            .into_iter()
            .find(|(b, _)| b.id == inbox_id)
            .ok_or_else(|| {
                ValidationError::new("inbox_id", format!("no inbox with id {inbox_id}"))
            })?;
        owner_id = match assign {
            AssignTarget::Named(AssignNamed::None) => None,
            AssignTarget::User { user_id } => Some(user_id),
            AssignTarget::Named(AssignNamed::InboxMethod) => {
                let pick = pick_owner(&inbox, &open_counts(c).await?, cursor);
                if commit && pick.next_cursor != cursor {
                    execute(
                        c,
                        "UPDATE inboxes SET rr_cursor = $2 WHERE id = $1",
                        &[&inbox_id, &pick.next_cursor],
                    )
                    .await?;
                }
                pick.owner
            }
        };
    }
    Ok(RouteDecision {
        rule: matched.map(|r| RuleRef {
            id: r.id,
            name: r.name.clone(),
        }),
        inbox_id,
        owner_id,
        priority,
    })
}
