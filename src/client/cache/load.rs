//! Loading the whole cache into a [`View`]: tickets are read as text first and decoded on every
//! core in parallel (the decode is the cost; the read is a sequential scan).

use super::Cache;
use super::codec;
use crate::client::decode::decode_item;
use crate::client::error::ClientError;
use crate::client::session::Session;
use crate::client::view::{Delta, EntityKind, View};
use crate::domain::wire::TicketOut;

impl Cache {
    /// Builds the view from the cache: tickets, the other entities, the outbox and the time
    /// of the last sync.
    pub(crate) fn load_view(&self, session: &Session) -> Result<View, ClientError> {
        let mut view = View::new(session.account.clone(), session.server_url.clone());
        view.set_tickets(self.load_tickets()?);
        let mut stmt = self.conn.prepare("SELECT kind, id, data FROM entities")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
        let mut deltas = Vec::new();
        for row in rows {
            let (kind, id, data) = row?;
            let Some(kind) = EntityKind::parse(&kind) else {
                return Err(ClientError::Cache(format!("unknown entity kind `{kind}`")));
            };
            let item = decode_item(kind, &data, self.staff).map_err(|e| ClientError::Cache(format!("bad cached {} {id}: {e}", kind.as_str())))?;
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
    fn load_tickets(&self) -> Result<Vec<TicketOut>, ClientError> {
        let mut stmt = self.conn.prepare("SELECT data FROM tickets ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let blob = row.get_ref(0)?.as_blob().map_err(|e| ClientError::Cache(format!("bad cached ticket: {e}")))?;
            out.push(codec::decode(blob).map_err(|e| ClientError::Cache(e.to_string()))?);
        }
        Ok(out)
    }
}
