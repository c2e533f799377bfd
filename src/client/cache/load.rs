//! Loading the whole cache into a [`View`]. Tickets are read and decoded in id ranges, one
//! per core, each on its own read connection (WAL allows concurrent readers): decoding is the
//! cost, so two cores halve the time to open the view.

use super::{Cache, MMAP_BYTES};
use crate::client::decode::decode_item;
use crate::client::error::ClientError;
use crate::client::glance::Glance;
use crate::client::session::Session;
use crate::client::view::compact::Compact;
use crate::client::view::{Delta, EntityKind, View, ViewTicket};
use rusqlite::{Connection, OpenFlags};

impl Cache {
    /// The view a start opens with: only the glance's tickets when `first_screen` and the
    /// cache holds a glance (see [`crate::client::glance`]), otherwise every ticket.
    pub(super) fn load_start(
        &self,
        session: &Session,
        first_screen: bool,
    ) -> Result<View, ClientError> {
        if first_screen
            && let Some(glance) = self.glance()?
            && let Some(tickets) = self.glance_tickets(&glance)?
        {
            tracing::info!(
                "opening on the first screen the last run left ({} tickets)",
                tickets.len()
            );
            let mut view = self.view_with(session, tickets)?;
            view.set_glance(glance);
            return Ok(view);
        }
        self.load_view(session)
    }

    /// Builds the whole view from the cache: every ticket, the other entities, the outbox
    /// and the time of the last sync.
    pub(crate) fn load_view(&self, session: &Session) -> Result<View, ClientError> {
        let tickets = self.load_tickets()?;
        self.view_with(session, tickets)
    }

    /// The glance's tickets, or `None` if one is missing (the glance is then not used).
    fn glance_tickets(&self, glance: &Glance) -> Result<Option<Vec<ViewTicket>>, ClientError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM tickets WHERE id = ?1")?;
        let mut out = Vec::with_capacity(glance.ids.len());
        for id in &glance.ids {
            let mut rows = stmt.query([id])?;
            let Some(row) = rows.next()? else {
                return Ok(None);
            };
            out.push(ticket_of(row)?);
        }
        Ok(Some(out))
    }

    /// A view holding `tickets`, with the other entities, the outbox and the time of the
    /// last sync.
    fn view_with(&self, session: &Session, tickets: Vec<ViewTicket>) -> Result<View, ClientError> {
        let mut view = View::new(session.account.clone(), session.server_url.clone());
        view.set_tickets(tickets);
        let mut stmt = self.conn.prepare("SELECT kind, id, data FROM entities")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut deltas = Vec::new();
        for row in rows {
            let (kind, id, data) = row?;
            let Some(kind) = EntityKind::parse(&kind) else {
                return Err(ClientError::Cache(format!("unknown entity kind `{kind}`")));
            };
            let item = decode_item(kind, &data, self.staff).map_err(|e| {
                ClientError::Cache(format!("bad cached {} {id}: {e}", kind.as_str()))
            })?;
            deltas.push(Delta::Upsert(item));
        }
        view.apply(deltas);
        view.set_outbox(self.outbox()?);
        view.status.last_sync = self
            .meta("last_sync")?
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc));
        Ok(view)
    }

    /// Every cached ticket, by id.
    pub(crate) fn load_tickets(&self) -> Result<Vec<ViewTicket>, ClientError> {
        let (lo, hi): (Option<i64>, Option<i64>) =
            self.conn
                .query_row("SELECT min(id), max(id) FROM tickets", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Vec::new());
        };
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4) as i64;
        let step = (hi - lo) / workers + 1;
        let ranges: Vec<(i64, i64)> = (0..workers)
            .map(|i| (lo + i * step, (lo + (i + 1) * step - 1).min(hi)))
            .filter(|(a, b)| a <= b)
            .collect();
        let Some((first, rest)) = ranges.split_first() else {
            return Ok(Vec::new());
        };
        let path = self.path.as_path();
        let parts: Vec<Result<Vec<ViewTicket>, ClientError>> = std::thread::scope(|s| {
            let spawned: Vec<_> = rest
                .iter()
                .map(|&range| {
                    s.spawn(move || {
                        let conn = Connection::open_with_flags(
                            path,
                            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                        )?;
                        conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
                        read_range(&conn, range)
                    })
                })
                .collect();
            let mut parts = vec![read_range(&self.conn, *first)];
            parts.extend(spawned.into_iter().map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(ClientError::Cache("a ticket reader failed".into())))
            }));
            parts
        });
        let mut parts = parts.into_iter();
        let mut out = parts.next().transpose()?.unwrap_or_default();
        for part in parts {
            out.extend(part?);
        }
        Ok(out)
    }
}

/// Reads and decodes the tickets with ids in `lo..=hi`, in order.
fn read_range(conn: &Connection, (lo, hi): (i64, i64)) -> Result<Vec<ViewTicket>, ClientError> {
    let mut stmt =
        conn.prepare("SELECT data FROM tickets WHERE id BETWEEN ?1 AND ?2 ORDER BY id")?;
    let mut rows = stmt.query([lo, hi])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(ticket_of(row)?);
    }
    Ok(out)
}

/// The ticket in a row whose first column is a cached ticket's bytes.
fn ticket_of(row: &rusqlite::Row<'_>) -> Result<ViewTicket, ClientError> {
    let blob = row
        .get_ref(0)?
        .as_blob()
        .map_err(|e| ClientError::Cache(format!("bad cached ticket: {e}")))?;
    Ok(ViewTicket::new(
        Compact::from_bytes(blob).map_err(|e| ClientError::Cache(e.to_string()))?,
    ))
}
