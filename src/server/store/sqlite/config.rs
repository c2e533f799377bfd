//! Portal settings, domains, inboxes and routing rules.

use super::changes::append_change;
use super::rows::json;
use crate::domain::routing::{
    AssignNamed, AssignTarget, MatchMode, RoutingInput, first_match, pick_owner,
};
use crate::domain::{DomainInfo, Inbox, PortalSettings, RoutingRule, ValidationError};
use crate::server::store::{RouteDecision, RuleRef, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// The settings; an empty store yields an unconfigured portal on the first domain.
pub fn portal(conn: &Connection) -> StoreResult<PortalSettings> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT settings FROM portal WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match stored {
        Some(text) => Ok(serde_json::from_str(&text)?),
        None => {
            let first = domains(conn)?
                .into_iter()
                .next()
                .map(|d| d.host)
                .unwrap_or_else(|| "localhost.test".into());
            Ok(PortalSettings::unconfigured(&first))
        }
    }
}

/// Writes the settings after checking the version and validating them.
pub fn save_portal(
    conn: &Connection,
    next: &PortalSettings,
    expected_version: i64,
) -> StoreResult<()> {
    let current = portal(conn)?;
    if current.version != expected_version {
        return Err(StoreError::Conflict(current.version));
    }
    let inbox_ids: Vec<i64> = inboxes(conn)?.iter().map(|b| b.id).collect();
    next.validate(&domains(conn)?, &inbox_ids)?;
    conn.execute(
        "INSERT INTO portal (id, settings, version) VALUES (1, ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, version = excluded.version",
        params![serde_json::to_string(next)?, next.version],
    )?;
    append_change(conn, "portal", 0, "upsert", None)
}

/// Connected domains, by host.
pub fn domains(conn: &Connection) -> StoreResult<Vec<DomainInfo>> {
    let mut stmt =
        conn.prepare_cached("SELECT host, primary_language, system FROM domains ORDER BY host")?;
    let rows = stmt.query_map([], |r| {
        Ok(DomainInfo {
            host: r.get(0)?,
            primary_language: r.get(1)?,
            system: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Connects a domain.
pub fn add_domain(conn: &Connection, d: &DomainInfo) -> StoreResult<()> {
    d.validate()?;
    let exists: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM domains WHERE host = ?1",
        [&d.host],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::Duplicate(format!(
            "{} is already connected",
            d.host
        )));
    }
    conn.execute(
        "INSERT INTO domains (host, primary_language, system) VALUES (?1, ?2, ?3)",
        params![d.host, d.primary_language, d.system],
    )?;
    append_change(conn, "domain", 0, "upsert", None)
}

/// Removes a connected domain, unless it is a system domain or the portal's own.
pub fn remove_domain(conn: &Connection, host: &str) -> StoreResult<()> {
    let domain = domains(conn)?
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
    if portal(conn)?.domain == host {
        return Err(ValidationError::new(
            "host",
            "the portal is served on it; set another domain for the portal first",
        )
        .into());
    }
    conn.execute("DELETE FROM domains WHERE host = ?1", [host])?;
    append_change(conn, "domain", 0, "upsert", None)
}

fn inbox_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Inbox, i64)> {
    Ok((
        Inbox {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: serde_json::from_value(serde_json::Value::String(r.get(2)?)).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
            members: json(r, 3)?,
            assignment: serde_json::from_value(serde_json::Value::String(r.get(4)?)).map_err(
                |e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        4,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                },
            )?,
            capacity: r.get(5)?,
        },
        r.get(6)?,
    ))
}

fn inboxes_with_cursor(conn: &Connection) -> StoreResult<Vec<(Inbox, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind, members, assignment, capacity, rr_cursor FROM inboxes ORDER BY id",
    )?;
    let rows = stmt.query_map([], inbox_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Inboxes, by id.
pub fn inboxes(conn: &Connection) -> StoreResult<Vec<Inbox>> {
    Ok(inboxes_with_cursor(conn)?
        .into_iter()
        .map(|(b, _)| b)
        .collect())
}

pub(super) use crate::server::store::shared::enum_text;

fn check_members(conn: &Connection, inbox: &Inbox) -> StoreResult<()> {
    inbox.validate()?;
    let staff = super::people::staff_ids(conn)?;
    if let Some(m) = inbox.members.iter().find(|m| !staff.contains(m)) {
        return Err(ValidationError::new("members", format!("no staff user with id {m}")).into());
    }
    Ok(())
}

/// Creates an inbox; returns it with its id.
pub fn create_inbox(conn: &Connection, mut inbox: Inbox) -> StoreResult<Inbox> {
    check_members(conn, &inbox)?;
    conn.execute(
        "INSERT INTO inboxes (name, kind, members, assignment, capacity) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![inbox.name.trim(), enum_text(&inbox.kind)?, serde_json::to_string(&inbox.members)?, enum_text(&inbox.assignment)?, inbox.capacity],
    )?;
    inbox.id = conn.last_insert_rowid();
    inbox.name = inbox.name.trim().to_string();
    append_change(conn, "inbox", inbox.id, "upsert", None)?;
    Ok(inbox)
}

/// Replaces an inbox.
pub fn update_inbox(conn: &Connection, inbox: Inbox) -> StoreResult<Inbox> {
    check_members(conn, &inbox)?;
    let n = conn.execute(
        "UPDATE inboxes SET name = ?2, kind = ?3, members = ?4, assignment = ?5, capacity = ?6 WHERE id = ?1",
        params![inbox.id, inbox.name.trim(), enum_text(&inbox.kind)?, serde_json::to_string(&inbox.members)?, enum_text(&inbox.assignment)?, inbox.capacity],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "inbox", inbox.id, "upsert", None)?;
    Ok(inbox)
}

/// Deletes an inbox unless it is the default, holds open tickets or a rule points at it.
pub fn delete_inbox(conn: &Connection, id: i64) -> StoreResult<()> {
    if !inboxes(conn)?.iter().any(|b| b.id == id) {
        return Err(StoreError::NotFound);
    }
    if portal(conn)?.default_inbox_id == Some(id) {
        return Err(ValidationError::new(
            "inbox",
            "it is the portal's default inbox; choose another default first",
        )
        .into());
    }
    let open: i64 = conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE inbox_id = ?1 AND stage <> 'closed'",
        [id],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Err(ValidationError::new(
            "inbox",
            format!("it still holds {open} open tickets; move them first"),
        )
        .into());
    }
    if let Some(rule) = rules(conn)?.into_iter().find(|r| r.then.inbox_id == id) {
        return Err(ValidationError::new(
            "inbox",
            format!("routing rule `{}` sends tickets to it", rule.name),
        )
        .into());
    }
    let closed: i64 = conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE inbox_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if closed > 0 {
        return Err(ValidationError::new(
            "inbox",
            format!("{closed} closed tickets still belong to it; move them first"),
        )
        .into());
    }
    conn.execute("DELETE FROM inboxes WHERE id = ?1", [id])?;
    append_change(conn, "inbox", id, "delete", None)
}

/// Routing rules by position.
pub fn rules(conn: &Connection) -> StoreResult<Vec<RoutingRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, enabled, position, match_mode, conditions, outcome FROM routing_rules ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], |r| {
        let mode: String = r.get(4)?;
        Ok(RoutingRule {
            id: r.get(0)?,
            name: r.get(1)?,
            enabled: r.get(2)?,
            position: r.get(3)?,
            match_mode: if mode == "any" {
                MatchMode::Any
            } else {
                MatchMode::All
            },
            conditions: json(r, 5)?,
            then: json(r, 6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn check_rule(conn: &Connection, rule: &RoutingRule) -> StoreResult<()> {
    let staff = super::people::staff_ids(conn)?;
    Ok(rule.validate(&inboxes(conn)?, &staff)?)
}

/// Renumbers positions 0.. in the given order and records a change for each moved rule.
fn renumber(conn: &Connection, ordered: &[i64]) -> StoreResult<()> {
    for (pos, id) in ordered.iter().enumerate() {
        let n = conn.execute(
            "UPDATE routing_rules SET position = ?2 WHERE id = ?1 AND position <> ?2",
            params![id, pos as i64],
        )?;
        if n > 0 {
            append_change(conn, "rule", *id, "upsert", None)?;
        }
    }
    Ok(())
}

fn place(conn: &Connection, id: i64, position: i64) -> StoreResult<()> {
    let mut order: Vec<i64> = rules(conn)?
        .iter()
        .map(|r| r.id)
        .filter(|r| *r != id)
        .collect();
    let at = position.clamp(0, order.len() as i64) as usize;
    order.insert(at, id);
    renumber(conn, &order)
}

/// Creates a rule at its position (clamped to the end).
pub fn create_rule(conn: &Connection, mut rule: RoutingRule) -> StoreResult<RoutingRule> {
    check_rule(conn, &rule)?;
    conn.execute(
        "INSERT INTO routing_rules (name, enabled, position, match_mode, conditions, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![rule.name.trim(), rule.enabled, i64::MAX, enum_text(&rule.match_mode)?, serde_json::to_string(&rule.conditions)?, serde_json::to_string(&rule.then)?],
    )?;
    rule.id = conn.last_insert_rowid();
    append_change(conn, "rule", rule.id, "upsert", None)?;
    place(conn, rule.id, rule.position)?;
    find_rule(conn, rule.id)
}

fn find_rule(conn: &Connection, id: i64) -> StoreResult<RoutingRule> {
    rules(conn)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(StoreError::NotFound)
}

/// Replaces a rule and moves it to its position.
pub fn update_rule(conn: &Connection, rule: RoutingRule) -> StoreResult<RoutingRule> {
    check_rule(conn, &rule)?;
    let n = conn.execute(
        "UPDATE routing_rules SET name = ?2, enabled = ?3, match_mode = ?4, conditions = ?5, outcome = ?6 WHERE id = ?1",
        params![rule.id, rule.name.trim(), rule.enabled, enum_text(&rule.match_mode)?, serde_json::to_string(&rule.conditions)?, serde_json::to_string(&rule.then)?],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "rule", rule.id, "upsert", None)?;
    place(conn, rule.id, rule.position)?;
    find_rule(conn, rule.id)
}

/// Deletes a rule and closes the gap in positions.
pub fn delete_rule(conn: &Connection, id: i64) -> StoreResult<()> {
    if conn.execute("DELETE FROM routing_rules WHERE id = ?1", [id])? == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "rule", id, "delete", None)?;
    let order: Vec<i64> = rules(conn)?.iter().map(|r| r.id).collect();
    renumber(conn, &order)
}

/// Open tickets per owner.
pub fn open_counts(conn: &Connection) -> StoreResult<HashMap<i64, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT owner_id, COUNT(*) FROM tickets WHERE owner_id IS NOT NULL AND stage <> 'closed' GROUP BY owner_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u32))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Decides where a draft goes: first matching rule, else the default inbox, then the owner.
/// With `commit`, stores the inbox's advanced round-robin cursor.
pub fn route(
    conn: &Connection,
    draft: &RoutingInput,
    rules_override: Option<Vec<RoutingRule>>,
    commit: bool,
) -> StoreResult<RouteDecision> {
    let rules = match rules_override {
        Some(r) => r,
        None => rules(conn)?,
    };
    let matched = first_match(&rules, draft);
    let inbox_id = matched
        .map(|r| r.then.inbox_id)
        .or(portal(conn)?.default_inbox_id);
    let assign = matched
        .map(|r| r.then.assign.clone())
        .unwrap_or(AssignTarget::Named(AssignNamed::InboxMethod));
    let priority = matched.and_then(|r| r.then.priority).or(draft.priority);
    let mut owner_id = None;
    if let Some(inbox_id) = inbox_id {
        let (inbox, cursor) = inboxes_with_cursor(conn)?
            .into_iter()
            .find(|(b, _)| b.id == inbox_id)
            .ok_or_else(|| {
                ValidationError::new("inbox_id", format!("no inbox with id {inbox_id}"))
            })?;
        owner_id = match assign {
            AssignTarget::Named(AssignNamed::None) => None,
            AssignTarget::User { user_id } => Some(user_id),
            AssignTarget::Named(AssignNamed::InboxMethod) => {
                let pick = pick_owner(&inbox, &open_counts(conn)?, cursor);
                if commit && pick.next_cursor != cursor {
                    conn.execute(
                        "UPDATE inboxes SET rr_cursor = ?2 WHERE id = ?1",
                        params![inbox_id, pick.next_cursor],
                    )?;
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
