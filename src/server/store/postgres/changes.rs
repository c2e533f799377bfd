//! The change log on PostgreSQL, and the pokes its commits send.
//!
//! Sequence numbers are taken before commit, so two transactions could commit out of order
//! and a sync cursor pass a lower number that becomes visible later. Every write transaction
//! therefore first takes one transaction-scoped advisory lock ([`WRITE_LOCK`], through
//! [`lock_writes`]), held until it commits or rolls back: writers run one after the other,
//! as on SQLite, so each number is taken only after every lower one committed (or was rolled
//! back, leaving a gap) and what a reader sees of the log is always a prefix. It also keeps
//! every write's check-then-change (a version, a code's attempts) as atomic as on SQLite.

use super::sql::{Db, Params, execute, get, rows};
use crate::domain::visibility::TicketScope;
use crate::server::store::shared::{ccs_text, parse_ccs};
use crate::server::store::{ChangeRow, Poke, StoreResult, Touched};
use std::sync::Arc;
use tokio::sync::{Mutex, broadcast};
use tokio_postgres::Row;

/// The advisory lock every write transaction holds until it ends.
const WRITE_LOCK: i64 = 0x6465_736b_0002;

/// Appends a change row. `before` is the ticket's scope before the write, so a ticket that
/// leaves a contact's scope can reach them as a delete.
pub async fn append_change(
    c: &Db,
    entity: &str,
    entity_id: i64,
    op: &str,
    before: Option<TicketScope>,
) -> StoreResult<()> {
    insert(c, entity, entity_id, op, before, false).await
}

/// Appends a ticket's upsert; `staff_only` marks a change customers cannot see.
pub async fn append_ticket_change(
    c: &Db,
    id: i64,
    before: Option<TicketScope>,
    staff_only: bool,
) -> StoreResult<()> {
    insert(c, "ticket", id, "upsert", before, staff_only).await
}

/// Takes the write lock for the rest of the transaction (again is harmless): the first
/// statement of every write.
pub async fn lock_writes(c: &Db) -> StoreResult<()> {
    execute(c, "SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).await?;
    Ok(())
}

async fn insert(
    c: &Db,
    entity: &str,
    entity_id: i64,
    op: &str,
    before: Option<TicketScope>,
    staff_only: bool,
) -> StoreResult<()> {
    let before = before.as_ref();
    let contact = before.map(|s| s.contact_id);
    let company = before.and_then(|s| s.company_id);
    let ccs = before.and_then(|s| ccs_text(&s.ccs));
    let params: Params = &[
        &entity,
        &entity_id,
        &op,
        &contact,
        &company,
        &staff_only,
        &ccs,
    ];
    execute(
        c,
        "INSERT INTO changes (entity, entity_id, op, contact_before, company_before, staff_only, ccs_before) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params,
    )
    .await?;
    Ok(())
}

/// The latest committed sequence number (0 when empty).
pub async fn current_seq(c: &Db) -> StoreResult<i64> {
    let found = rows(c, "SELECT COALESCE(MAX(seq), 0) FROM changes", &[]).await?;
    match found.first() {
        Some(r) => get(r, 0),
        None => Ok(0),
    }
}

/// The scope a row's contact, company and CC columns at `[contact, company, ccs]` name, if any.
fn scope_at(r: &Row, cols: [usize; 3]) -> StoreResult<Option<TicketScope>> {
    let contact: Option<i64> = get(r, cols[0])?;
    Ok(match contact {
        Some(contact_id) => Some(TicketScope {
            contact_id,
            company_id: get(r, cols[1])?,
            ccs: parse_ccs(get(r, cols[2])?),
        }),
        None => None,
    })
}

/// Change rows after `after`, oldest first.
pub async fn since(c: &Db, after: i64, limit: usize) -> StoreResult<Vec<ChangeRow>> {
    let limit = limit as i64;
    rows(
        c,
        "SELECT seq, entity, entity_id, op, contact_before, company_before, staff_only, ccs_before FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        &[&after, &limit],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(ChangeRow {
            seq: get(r, 0)?,
            entity: get(r, 1)?,
            entity_id: get(r, 2)?,
            op: get(r, 3)?,
            before: scope_at(r, [4, 5, 7])?,
            staff_only: get(r, 6)?,
        })
    })
    .collect()
}

/// Change rows [`touched_since`] reads per statement. A fixed bound makes the statement's
/// generic plan the right one (walk `changes_pkey` from the cursor, fetch each ticket by
/// its key): without it the generic plan assumes a third of the log matches `seq > $1` and
/// hash-joins a scan of every ticket, 100–250 ms for the one row a commit adds, and a pooled
/// connection whose first reads covered a demo import's thousands of rows switched to that
/// plan for good (custom plans that large make the generic one look cheaper).
const TOUCHED_BATCH: usize = 1000;

/// What the changes after `after` touched, with each ticket's scope as it is now, and the
/// highest sequence number read.
async fn touched_since(c: &Db, after: i64) -> StoreResult<(i64, Vec<Touched>)> {
    let sql = format!(
        "SELECT ch.seq, ch.entity, ch.entity_id, ch.contact_before, ch.company_before, t.contact_id, t.company_id, ch.staff_only, \
         ch.ccs_before, (SELECT string_agg(CAST(x.contact_id AS TEXT), ',') FROM ticket_ccs x WHERE x.ticket_id = t.id) \
         FROM changes ch LEFT JOIN tickets t ON ch.entity = 'ticket' AND t.id = ch.entity_id \
         WHERE ch.seq > $1 ORDER BY ch.seq LIMIT {TOUCHED_BATCH}"
    );
    let mut last = after;
    let mut touched = Vec::new();
    loop {
        let found = rows(c, &sql, &[&last]).await?;
        for r in &found {
            last = get(r, 0)?;
            let entity: &str = get(r, 1)?;
            touched.push(match entity {
                "ticket" => Touched::Ticket {
                    before: scope_at(r, [3, 4, 8])?,
                    now: scope_at(r, [5, 6, 9])?,
                    staff_only: get(r, 7)?,
                },
                "portal" => Touched::Portal,
                "contact" => Touched::Contact(get(r, 2)?),
                _ => Touched::StaffList,
            });
        }
        if found.len() < TOUCHED_BATCH {
            return Ok((last, touched));
        }
    }
}

/// Turns committed change rows into pokes for this server's event streams: after each
/// commit, everything committed past the last poke is read and sent as one [`Poke`]. It is
/// the one place change rows become pokes, so a listener for other servers' commits
/// (LISTEN/NOTIFY) only has to call [`Announcer::announce`].
pub struct Announcer {
    changed: broadcast::Sender<Arc<Poke>>,
    poked_up_to: Mutex<i64>,
}

impl Announcer {
    /// Pokes for commits after `seq`.
    pub fn new(changed: broadcast::Sender<Arc<Poke>>, seq: i64) -> Self {
        Announcer {
            changed,
            poked_up_to: Mutex::new(seq),
        }
    }

    /// A receiver of the pokes.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Poke>> {
        self.changed.subscribe()
    }

    /// Sends one poke for what was committed since the last one, if anything was.
    pub async fn announce(&self, c: &Db) {
        let mut up_to = self.poked_up_to.lock().await;
        let poke = match touched_since(c, *up_to).await {
            Ok((_, touched)) if touched.is_empty() => return,
            Ok((seq, touched)) => Poke { seq, touched },
            Err(e) => {
                tracing::error!("cannot read what a commit changed: {e}");
                match current_seq(c).await {
                    Ok(seq) if seq > *up_to => Poke {
                        seq,
                        touched: vec![Touched::Unknown],
                    },
                    _ => return,
                }
            }
        };
        *up_to = poke.seq;
        // Nobody listening is no error.
        let _ = self.changed.send(Arc::new(poke));
    }
}
