//! The PostgreSQL store: a pool of connections, each call a statement or a short transaction
//! on one of them, or inside the current request's held transaction when it has one (see
//! [`held`]). Many servers may share one database: everything that must hold across them
//! (sessions, lockouts, stored answers, the code key, the change log's order) lives in it, and
//! nothing read is kept in memory between requests.

mod account_prefs;
mod auth;
mod caller;
mod ccs;
mod changes;
mod config;
mod connect;
mod copy_in;
pub(super) mod held;
mod import;
mod inbound;
mod listen;
mod mail_queue;
mod people;
mod rate;
mod rows;
mod saved_replies;
mod schema;
mod sql;
mod staff_removal;
mod store_impl;
mod tickets;

use super::table_copy::{MoveReport, TableRows, TableSpec};
use super::{StoreError, StoreResult};
use changes::Announcer;
pub use connect::ConnectError;
use deadpool_postgres::{Object, Pool};
use held::{HeldConn, InTxn};
use sql::Db;
use std::sync::Arc;
use tokio::sync::broadcast;

/// The PostgreSQL implementation of [`super::Store`].
pub struct PostgresStore {
    pool: Pool,
    /// The portal settings last parsed, used while their version is current.
    settings: caller::SettingsMemo,
    announcer: Arc<Announcer>,
    ended: broadcast::Sender<String>,
    /// Pokes this server's streams for the other servers' commits; stops with the store.
    _listener: listen::Listener,
}

/// A connection for one call: pooled, or the request's held transaction.
enum Conn {
    Pooled(Box<Object>),
    Held(HeldConn),
}

impl Conn {
    fn db(&self) -> StoreResult<&Db> {
        match self {
            Conn::Pooled(o) => Ok(o),
            Conn::Held(h) => h.db(),
        }
    }
}

/// A write's transaction: its own, or a savepoint in the request's held transaction.
enum Writer {
    Own(Box<InTxn>),
    Held(HeldConn),
}

impl Writer {
    fn db(&self) -> StoreResult<&Db> {
        match self {
            Writer::Own(t) => t.db(),
            Writer::Held(h) => h.db(),
        }
    }
}

/// Runs `$body` (an expression using the connection `$db`) on a read connection.
macro_rules! pg_read {
    ($store:expr, |$db:ident| $body:expr) => {{
        let conn = $store.conn().await?;
        let $db = conn.db()?;
        $body.await
    }};
}

/// Runs `$body` (an expression using the connection `$db`) as one write: committed (or
/// released, inside a held transaction) when it succeeds, undone when it fails.
macro_rules! pg_write {
    ($store:expr, |$db:ident| $body:expr) => {{
        let writer = $store.begin().await?;
        let result = match writer.db() {
            Ok($db) => $body.await,
            Err(e) => Err(e),
        };
        $store.end(writer, result).await
    }};
}

use {pg_read, pg_write};

impl PostgresStore {
    /// Connects to the database at `url`, creating or migrating its schema.
    pub async fn open(url: &str) -> Result<Self, ConnectError> {
        let config = connect::parse(url)?;
        let at = connect::where_to(&config);
        let pool = connect::pool(config.clone())?;
        let conn = pool.get().await.map_err(|e| ConnectError::Unreachable {
            at: at.clone(),
            why: match &e {
                deadpool_postgres::PoolError::Backend(e) => sql::describe(e),
                other => other.to_string(),
            },
        })?;
        let schema = |e: StoreError| ConnectError::Unreachable {
            at: at.clone(),
            why: e.to_string(),
        };
        schema::migrate(&conn).await.map_err(schema)?;
        let seq = changes::current_seq(&conn).await.map_err(schema)?;
        let announcer = Arc::new(Announcer::new(broadcast::channel(256).0, seq));
        let listener = listen::start(config, pool.clone(), Arc::downgrade(&announcer));
        Ok(PostgresStore {
            pool,
            settings: Default::default(),
            announcer,
            ended: broadcast::channel(64).0,
            _listener: listener,
        })
    }

    /// A connection for a read.
    async fn conn(&self) -> StoreResult<Conn> {
        if let Some(held) = held::current()
            && let Some(open) = held.open().await
        {
            return Ok(Conn::Held(open));
        }
        Ok(Conn::Pooled(Box::new(self.pool.get().await?)))
    }

    /// Begins a write: its own transaction, or (inside a request) a savepoint in the
    /// request's transaction, opened now if needed. Either way it first takes the write lock.
    async fn begin(&self) -> StoreResult<Writer> {
        let writer = match held::current() {
            Some(held) => {
                let open = held.open_or_begin(&self.pool, &self.announcer).await?;
                open.db()?.batch_execute("SAVEPOINT held_write").await?;
                Writer::Held(open)
            }
            None => Writer::Own(Box::new(InTxn::begin(self.pool.get().await?).await?)),
        };
        changes::lock_writes(writer.db()?).await?;
        Ok(writer)
    }

    /// Ends a write begun by [`PostgresStore::begin`] with its result.
    async fn end<T>(&self, writer: Writer, result: StoreResult<T>) -> StoreResult<T> {
        match writer {
            Writer::Held(open) => {
                let undo = if result.is_ok() {
                    "RELEASE SAVEPOINT held_write"
                } else {
                    "ROLLBACK TO SAVEPOINT held_write; RELEASE SAVEPOINT held_write"
                };
                open.db()?.batch_execute(undo).await?;
                result
            }
            Writer::Own(txn) => match result {
                Ok(value) => {
                    txn.commit(&self.announcer).await?;
                    Ok(value)
                }
                Err(e) => {
                    txn.rollback().await;
                    Err(e)
                }
            },
        }
    }

    /// Tells open event streams of these sessions that they were ended.
    fn announce_ended(&self, token_hashes: Vec<String>) {
        for hash in token_hashes {
            let _ = self.ended.send(hash);
        }
    }

    /// The moved tables as this database defines them: where `deskport migrate` copies a
    /// SQLite portal to. Refuses a database that already holds a portal.
    pub async fn move_target(&self) -> StoreResult<Vec<TableSpec>> {
        pg_read!(self, |c| async move {
            let taken = copy_in::occupied(c).await?;
            if !taken.is_empty() {
                return Err(copy_in::not_empty(&taken));
            }
            copy_in::table_specs(c).await
        })
    }

    /// Loads the tables of a SQLite portal and its code key into this empty database, in one
    /// transaction: a failure leaves it empty.
    pub async fn load_moved(
        &self,
        tables: Vec<TableRows>,
        code_key: Option<Vec<u8>>,
    ) -> StoreResult<MoveReport> {
        pg_write!(self, |c| async {
            let report = copy_in::load(c, &tables, code_key.as_deref()).await?;
            analyze(c).await?;
            Ok(report)
        })
    }

    /// The code key in the database, `fresh` stored first if there was none.
    async fn stored_code_key(&self, fresh: &[u8]) -> StoreResult<Vec<u8>> {
        pg_write!(self, |c| auth::code_key(c, fresh))
    }

    /// Claims an idempotency key for the rest of the current request on every server: a
    /// transaction-scoped advisory lock on a hash of it, in the request's transaction (begun
    /// now). False when another request, on any server, holds it.
    async fn claim(&self, name: String) -> StoreResult<bool> {
        let Some(held) = held::current() else {
            return Err(StoreError::Database(
                "an idempotency key can only be claimed inside a request's transaction".into(),
            ));
        };
        let open = held.open_or_begin(&self.pool, &self.announcer).await?;
        let row = sql::row(
            open.db()?,
            "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
            &[&name],
        )
        .await?;
        sql::get(&row, 0)
    }
}

/// Gathers the planner's statistics after a bulk load, inside the load's transaction (ANALYZE
/// samples the rows its own transaction inserted), so they are committed with the rows.
/// Until autovacuum gets to new rows (a minute or more later), PostgreSQL plans as if the
/// tables held a default guess; and the first read of the change log after the commit (the
/// poke for the load) would otherwise be planned before ANALYZE ran: after 100 000 demo
/// tickets it took 100 statements of 140–260 ms each, where with statistics they take about
/// 6 ms.
async fn analyze(c: &Db) -> StoreResult<()> {
    c.batch_execute("ANALYZE").await?;
    Ok(())
}
