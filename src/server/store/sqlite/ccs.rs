//! A ticket's CCs in `ticket_ccs`: checked against the ticket's company, and replaced whole.

use crate::domain::Ticket;
use crate::server::store::StoreResult;
use crate::server::store::shared::check_ccs;
use rusqlite::{Connection, OptionalExtension};

/// Whether the contacts `ccs` may be copied on `ticket` (see [`check_ccs`]).
pub fn check(conn: &Connection, ticket: &Ticket, ccs: &[i64]) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached("SELECT company_id FROM contacts WHERE id = ?1")?;
    let found = ccs
        .iter()
        .map(|cc| {
            let company: Option<Option<i64>> = stmt.query_row([cc], |r| r.get(0)).optional()?;
            Ok((*cc, company))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(check_ccs(ticket, &found)?)
}

/// Replaces the contacts copied on ticket `id` (checked by the caller).
pub fn write_ccs(conn: &Connection, id: i64, ccs: &[i64]) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM ticket_ccs WHERE ticket_id = ?1")?
        .execute([id])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO ticket_ccs (ticket_id, contact_id) VALUES (?1, ?2)")?;
    for cc in ccs {
        insert.execute([id, *cc])?;
    }
    Ok(())
}
