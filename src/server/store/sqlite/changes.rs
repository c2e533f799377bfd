//! The change log: one sequence, appended inside every write transaction.

use crate::domain::visibility::TicketScope;
use crate::server::store::{ChangeRow, StoreResult};
use rusqlite::{Connection, params};

/// Appends a change row. `before` is the ticket's scope before the write, so a ticket that
/// leaves a contact's scope can reach them as a delete.
pub fn append_change(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    op: &str,
    before: Option<TicketScope>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO changes (entity, entity_id, op, contact_before, company_before) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![entity, entity_id, op, before.map(|s| s.contact_id), before.and_then(|s| s.company_id)])?;
    Ok(())
}

/// The latest sequence number (0 when empty).
pub fn current_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM changes")?
        .query_row([], |r| r.get(0))
}

/// Change rows after `after`, oldest first.
pub fn since(conn: &Connection, after: i64, limit: usize) -> StoreResult<Vec<ChangeRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entity, entity_id, op, contact_before, company_before FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        let contact: Option<i64> = r.get(4)?;
        Ok(ChangeRow {
            seq: r.get(0)?,
            entity: r.get(1)?,
            entity_id: r.get(2)?,
            op: r.get(3)?,
            before: contact.map(|contact_id| TicketScope {
                contact_id,
                company_id: r.get(5).ok().flatten(),
            }),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
