//! A ticket's CCs in `ticket_ccs` on PostgreSQL (as `sqlite/ccs.rs`).

use super::sql::{Db, execute, get, row_opt};
use crate::domain::Ticket;
use crate::server::store::StoreResult;
use crate::server::store::shared::check_ccs;

/// Whether the contacts `ccs` may be copied on `ticket` (see [`check_ccs`]).
pub async fn check(c: &Db, ticket: &Ticket, ccs: &[i64]) -> StoreResult<()> {
    let mut found = Vec::with_capacity(ccs.len());
    for cc in ccs {
        let company = row_opt(c, "SELECT company_id FROM contacts WHERE id = $1", &[cc])
            .await?
            .map(|r| get::<Option<i64>>(&r, 0))
            .transpose()?;
        found.push((*cc, company));
    }
    Ok(check_ccs(ticket, &found)?)
}

/// Replaces the contacts copied on ticket `id` (checked by the caller).
pub async fn write_ccs(c: &Db, id: i64, ccs: &[i64]) -> StoreResult<()> {
    execute(c, "DELETE FROM ticket_ccs WHERE ticket_id = $1", &[&id]).await?;
    for cc in ccs {
        execute(
            c,
            "INSERT INTO ticket_ccs (ticket_id, contact_id) VALUES ($1, $2)",
            &[&id, cc],
        )
        .await?;
    }
    Ok(())
}
