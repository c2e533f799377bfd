//! Bulk loading of a whole data set in one transaction with reused prepared statements
//! (100 000 tickets in well under a second; one transaction per row would take minutes).

use super::changes::append_change;
use super::config::enum_text;
use crate::domain::ticket::AuthorKind;
use crate::server::store::{ImportBatch, StoreError, StoreResult};
use rusqlite::{Connection, params};

/// Whether the store holds nothing yet: no staff and no domains (a fresh data dir).
pub fn is_empty(conn: &Connection) -> StoreResult<bool> {
    Ok(conn.query_row(
        "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM domains) = 0",
        [],
        |r| r.get(0),
    )?)
}

/// Inserts `batch` into an empty store, keeping its ids, and logs one change per entity.
pub fn import(conn: &Connection, b: &ImportBatch) -> StoreResult<()> {
    if !is_empty(conn)? {
        return Err(StoreError::Duplicate(
            "the store already holds data; import needs an empty data dir".into(),
        ));
    }
    for d in &b.domains {
        conn.execute(
            "INSERT INTO domains (host, primary_language, system) VALUES (?1, ?2, ?3)",
            params![d.host, d.primary_language, d.system],
        )?;
    }
    for (u, hash) in &b.users {
        conn.execute(
            "INSERT INTO users (id, email, name, role, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![u.id, u.email, u.name, u.role.as_str(), hash],
        )?;
        append_change(conn, "user", u.id, "upsert", None)?;
    }
    for co in &b.companies {
        conn.execute(
            "INSERT INTO companies (id, name, domain) VALUES (?1, ?2, ?3)",
            params![co.id, co.name, co.domain],
        )?;
        append_change(conn, "company", co.id, "upsert", None)?;
    }
    {
        let mut stmt = conn.prepare(
            "INSERT INTO contacts (id, email, name, company_id, properties, registration, consent_version, consent_at, password_hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (c, hash) in &b.contacts {
            stmt.execute(params![
                c.id,
                c.email,
                c.name,
                c.company_id,
                serde_json::to_string(&c.properties)?,
                c.registration.as_str(),
                c.consent.as_ref().map(|x| x.version),
                c.consent.as_ref().map(|x| x.accepted_at.clone()),
                hash
            ])?;
            append_change(conn, "contact", c.id, "upsert", None)?;
        }
    }
    for i in &b.inboxes {
        conn.execute(
            "INSERT INTO inboxes (id, name, kind, members, assignment, capacity) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![i.id, i.name, enum_text(&i.kind)?, serde_json::to_string(&i.members)?, enum_text(&i.assignment)?, i.capacity],
        )?;
        append_change(conn, "inbox", i.id, "upsert", None)?;
    }
    for r in &b.rules {
        conn.execute(
            "INSERT INTO routing_rules (id, name, enabled, position, match_mode, conditions, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![r.id, r.name, r.enabled, r.position, enum_text(&r.match_mode)?, serde_json::to_string(&r.conditions)?, serde_json::to_string(&r.then)?],
        )?;
        append_change(conn, "rule", r.id, "upsert", None)?;
    }
    let mut counts = std::collections::HashMap::<i64, i64>::new();
    for m in &b.messages {
        *counts.entry(m.ticket_id).or_default() += 1;
    }
    {
        let mut stmt = conn.prepare(
            "INSERT INTO tickets (id, subject, description, stage, priority, category, inbox_id, owner_id, contact_id, company_id, \
             source, form_fields, tags, created_at, updated_at, closed_at, version, message_count, public_version, public_updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?17, ?15)",
        )?;
        let mut change = conn.prepare(
            "INSERT INTO changes (entity, entity_id, op) VALUES ('ticket', ?1, 'upsert')",
        )?;
        for t in &b.tickets {
            stmt.execute(params![
                t.id,
                t.subject,
                t.description,
                t.stage.as_str(),
                t.priority.as_str(),
                t.category,
                t.inbox_id,
                t.owner_id,
                t.contact_id,
                t.company_id,
                t.source.as_str(),
                serde_json::to_string(&t.form_fields)?,
                serde_json::to_string(&t.tags)?,
                t.created_at,
                t.updated_at,
                t.closed_at,
                t.version,
                counts.get(&t.id).copied().unwrap_or(0)
            ])?;
            change.execute([t.id])?;
        }
    }
    {
        let mut stmt = conn.prepare(
            "INSERT INTO messages (id, ticket_id, author_kind, author_id, body, internal, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for m in &b.messages {
            let kind = if m.author_kind == AuthorKind::User {
                "user"
            } else {
                "contact"
            };
            stmt.execute(params![
                m.id,
                m.ticket_id,
                kind,
                m.author_id,
                m.body,
                m.internal,
                m.created_at
            ])?;
        }
    }
    if let Some(p) = &b.portal {
        let inbox_ids: Vec<i64> = b.inboxes.iter().map(|i| i.id).collect();
        p.validate(&b.domains, &inbox_ids)?;
        conn.execute(
            "INSERT INTO portal (id, settings, version) VALUES (1, ?1, ?2)",
            params![serde_json::to_string(p)?, p.version],
        )?;
        append_change(conn, "portal", 0, "upsert", None)?;
    }
    Ok(())
}
