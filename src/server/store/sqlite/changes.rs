//! The change log: one sequence, appended inside every write transaction.

use crate::domain::visibility::TicketScope;
use crate::server::store::shared::{ccs_text, parse_ccs};
use crate::server::store::{ChangeRow, StoreResult, Touched};
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
    insert(conn, entity, entity_id, op, before, false)
}

/// Appends a ticket's upsert; `staff_only` marks a change customers cannot see (an internal
/// note, a reassignment), which their feeds and event streams skip.
pub fn append_ticket_change(
    conn: &Connection,
    id: i64,
    before: Option<TicketScope>,
    staff_only: bool,
) -> StoreResult<()> {
    insert(conn, "ticket", id, "upsert", before, staff_only)
}

fn insert(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    op: &str,
    before: Option<TicketScope>,
    staff_only: bool,
) -> StoreResult<()> {
    let before = before.as_ref();
    conn.prepare_cached(
        "INSERT INTO changes (entity, entity_id, op, contact_before, company_before, staff_only, ccs_before) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![entity, entity_id, op, before.map(|s| s.contact_id), before.and_then(|s| s.company_id), staff_only, before.and_then(|s| ccs_text(&s.ccs))])?;
    Ok(())
}

/// The latest sequence number (0 when empty).
pub fn current_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM changes")?
        .query_row([], |r| r.get(0))
}

/// The scope a row's contact, company and CC columns at `[contact, company, ccs]` name, if any.
fn scope_at(r: &rusqlite::Row<'_>, cols: [usize; 3]) -> rusqlite::Result<Option<TicketScope>> {
    let contact: Option<i64> = r.get(cols[0])?;
    Ok(match contact {
        Some(contact_id) => Some(TicketScope {
            contact_id,
            company_id: r.get(cols[1])?,
            ccs: parse_ccs(r.get::<_, Option<String>>(cols[2])?.as_deref()),
        }),
        None => None,
    })
}

/// Change rows after `after`, oldest first.
pub fn since(conn: &Connection, after: i64, limit: usize) -> StoreResult<Vec<ChangeRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entity, entity_id, op, contact_before, company_before, staff_only, ccs_before FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        Ok(ChangeRow {
            seq: r.get(0)?,
            entity: r.get(1)?,
            entity_id: r.get(2)?,
            op: r.get(3)?,
            before: scope_at(r, [4, 5, 7])?,
            staff_only: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the changes after `after` touched, with each ticket's scope as it is now: what the
/// event streams filter their pokes by.
pub fn touched_since(conn: &Connection, after: i64) -> StoreResult<Vec<Touched>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ch.entity, ch.entity_id, ch.contact_before, ch.company_before, t.contact_id, t.company_id, ch.staff_only, \
         ch.ccs_before, (SELECT string_agg(CAST(x.contact_id AS TEXT), ',') FROM ticket_ccs x WHERE x.ticket_id = t.id) \
         FROM changes ch LEFT JOIN tickets t ON ch.entity = 'ticket' AND t.id = ch.entity_id \
         WHERE ch.seq > ?1 ORDER BY ch.seq",
    )?;
    let rows = stmt.query_map([after], |r| {
        let entity: String = r.get(0)?;
        Ok(match entity.as_str() {
            "ticket" => Touched::Ticket {
                before: scope_at(r, [2, 3, 7])?,
                now: scope_at(r, [4, 5, 8])?,
                staff_only: r.get(6)?,
            },
            "portal" => Touched::Portal,
            "contact" => Touched::Contact(r.get(1)?),
            _ => Touched::StaffList,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
