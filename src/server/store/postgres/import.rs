//! Bulk loading of a whole data set in one transaction: tickets, messages and their change
//! rows go in as arrays (one statement per few thousand rows, not one per row), and every id
//! sequence is moved past the ids loaded, so later inserts do not collide with them.

use super::changes::append_change;
use super::sql::{Db, execute, get, row};
use crate::domain::ticket::AuthorKind;
use crate::server::store::shared::enum_text;
use crate::server::store::{ImportBatch, StoreError, StoreResult};

/// Rows per array statement.
const CHUNK: usize = 5_000;

/// Tables whose ids come from a sequence.
const SEQUENCED: &[&str] = &[
    "users",
    "companies",
    "contacts",
    "inboxes",
    "routing_rules",
    "tickets",
    "messages",
];

/// Whether the store holds nothing yet: no staff and no domains.
pub async fn is_empty(c: &Db) -> StoreResult<bool> {
    get(
        &row(
            c,
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM domains) = 0",
            &[],
        )
        .await?,
        0,
    )
}

/// Inserts `batch` into an empty store, keeping its ids, and logs one change per entity.
pub async fn import(c: &Db, b: &ImportBatch) -> StoreResult<()> {
    if !is_empty(c).await? {
        return Err(StoreError::Duplicate(
            "the store already holds data; import needs an empty database".into(),
        ));
    }
    for d in &b.domains {
        execute(
            c,
            "INSERT INTO domains (host, primary_language, system) VALUES ($1, $2, $3)",
            &[&d.host, &d.primary_language, &d.system],
        )
        .await?;
    }
    for (u, hash) in &b.users {
        execute(
            c,
            "INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)",
            &[&u.id, &u.email, &u.name, &u.role.as_str(), hash],
        )
        .await?;
        append_change(c, "user", u.id, "upsert", None).await?;
    }
    for co in &b.companies {
        execute(
            c,
            "INSERT INTO companies (id, name, domain) VALUES ($1, $2, $3)",
            &[&co.id, &co.name, &co.domain],
        )
        .await?;
        append_change(c, "company", co.id, "upsert", None).await?;
    }
    for (ct, hash) in &b.contacts {
        execute(
            c,
            "INSERT INTO contacts (id, email, name, company_id, properties, registration, consent_version, consent_at, password_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &ct.id,
                &ct.email,
                &ct.name,
                &ct.company_id,
                &serde_json::to_string(&ct.properties)?,
                &ct.registration.as_str(),
                &ct.consent.as_ref().map(|x| x.version),
                &ct.consent.as_ref().map(|x| x.accepted_at.clone()),
                hash,
            ],
        )
        .await?;
        append_change(c, "contact", ct.id, "upsert", None).await?;
    }
    for i in &b.inboxes {
        let capacity = i.capacity.map(i64::from);
        execute(
            c,
            "INSERT INTO inboxes (id, name, kind, members, assignment, capacity) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&i.id, &i.name, &enum_text(&i.kind)?, &serde_json::to_string(&i.members)?, &enum_text(&i.assignment)?, &capacity],
        )
        .await?;
        append_change(c, "inbox", i.id, "upsert", None).await?;
    }
    for r in &b.rules {
        execute(
            c,
            "INSERT INTO routing_rules (id, name, enabled, position, match_mode, conditions, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&r.id, &r.name, &r.enabled, &r.position, &enum_text(&r.match_mode)?, &serde_json::to_string(&r.conditions)?, &serde_json::to_string(&r.then)?],
        )
        .await?;
        append_change(c, "rule", r.id, "upsert", None).await?;
    }
    tickets(c, b).await?;
    messages(c, b).await?;
    if let Some(p) = &b.portal {
        let inbox_ids: Vec<i64> = b.inboxes.iter().map(|i| i.id).collect();
        p.validate(&b.domains, &inbox_ids)?;
        execute(
            c,
            "INSERT INTO portal (id, settings, version) VALUES (1, $1, $2)",
            &[&serde_json::to_string(p)?, &p.version],
        )
        .await?;
        append_change(c, "portal", 0, "upsert", None).await?;
    }
    for table in SEQUENCED {
        execute(
            c,
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1), (SELECT MAX(id) FROM {table}) IS NOT NULL)"
            ),
            &[],
        )
        .await?;
    }
    Ok(())
}

async fn tickets(c: &Db, b: &ImportBatch) -> StoreResult<()> {
    let mut counts = std::collections::HashMap::<i64, i64>::new();
    for m in &b.messages {
        *counts.entry(m.ticket_id).or_default() += 1;
    }
    for chunk in b.tickets.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|t| t.id).collect();
        let text = |f: fn(&crate::domain::Ticket) -> String| -> Vec<String> {
            chunk.iter().map(f).collect()
        };
        let form_fields = chunk
            .iter()
            .map(|t| serde_json::to_string(&t.form_fields))
            .collect::<Result<Vec<_>, _>>()?;
        let tags = chunk
            .iter()
            .map(|t| serde_json::to_string(&t.tags))
            .collect::<Result<Vec<_>, _>>()?;
        let inbox: Vec<i64> = chunk.iter().map(|t| t.inbox_id).collect();
        let owner: Vec<Option<i64>> = chunk.iter().map(|t| t.owner_id).collect();
        let contact: Vec<i64> = chunk.iter().map(|t| t.contact_id).collect();
        let company: Vec<Option<i64>> = chunk.iter().map(|t| t.company_id).collect();
        let closed: Vec<Option<String>> = chunk.iter().map(|t| t.closed_at.clone()).collect();
        let version: Vec<i64> = chunk.iter().map(|t| t.version).collect();
        let message_count: Vec<i64> = ids
            .iter()
            .map(|id| counts.get(id).copied().unwrap_or(0))
            .collect();
        execute(
            c,
            "INSERT INTO tickets (id, subject, description, stage, priority, category, inbox_id, owner_id, contact_id, company_id, \
             source, form_fields, tags, created_at, updated_at, closed_at, version, message_count, public_version, public_updated_at) \
             SELECT id, subject, description, stage, priority, category, inbox_id, owner_id, contact_id, company_id, \
             source, form_fields, tags, created_at, updated_at, closed_at, version, message_count, version, updated_at \
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], \
             $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bigint[], $18::bigint[]) \
             AS t(id, subject, description, stage, priority, category, inbox_id, owner_id, contact_id, company_id, \
             source, form_fields, tags, created_at, updated_at, closed_at, version, message_count)",
            &[
                &ids,
                &text(|t| t.subject.clone()),
                &text(|t| t.description.clone()),
                &text(|t| t.stage.as_str().to_string()),
                &text(|t| t.priority.as_str().to_string()),
                &text(|t| t.category.clone()),
                &inbox,
                &owner,
                &contact,
                &company,
                &text(|t| t.source.as_str().to_string()),
                &form_fields,
                &tags,
                &text(|t| t.created_at.clone()),
                &text(|t| t.updated_at.clone()),
                &closed,
                &version,
                &message_count,
            ],
        )
        .await?;
        execute(
            c,
            "INSERT INTO changes (entity, entity_id, op) SELECT 'ticket', id, 'upsert' FROM UNNEST($1::bigint[]) WITH ORDINALITY AS u(id, n) ORDER BY n",
            &[&ids],
        )
        .await?;
    }
    Ok(())
}

async fn messages(c: &Db, b: &ImportBatch) -> StoreResult<()> {
    for chunk in b.messages.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|m| m.id).collect();
        let ticket: Vec<i64> = chunk.iter().map(|m| m.ticket_id).collect();
        let kind: Vec<&str> = chunk
            .iter()
            .map(|m| {
                if m.author_kind == AuthorKind::User {
                    "user"
                } else {
                    "contact"
                }
            })
            .collect();
        let author: Vec<i64> = chunk.iter().map(|m| m.author_id).collect();
        let body: Vec<&str> = chunk.iter().map(|m| m.body.as_str()).collect();
        let internal: Vec<bool> = chunk.iter().map(|m| m.internal).collect();
        let created: Vec<&str> = chunk.iter().map(|m| m.created_at.as_str()).collect();
        execute(
            c,
            "INSERT INTO messages (id, ticket_id, author_kind, author_id, body, internal, created_at) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::boolean[], $7::text[])",
            &[&ids, &ticket, &kind, &author, &body, &internal, &created],
        )
        .await?;
    }
    Ok(())
}
