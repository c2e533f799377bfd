//! A request's one transaction on PostgreSQL (see [`crate::server::store::one_transaction`]):
//! a pooled connection with an open transaction, kept in a task-local from the request's
//! first write (or its claim of an idempotency key) until it settles. Reads inside the
//! request go to it, so they see what the request wrote. A request that stalls past
//! [`HOLD_LIMIT`] has its work committed (its transaction holds the change-log lock, which
//! every other writer waits for); a request dropped before it settles is rolled back, by
//! closing the connection rather than returning it to the pool mid-transaction.

use super::changes::Announcer;
use super::sql::Db;
use crate::server::store::{StoreError, StoreResult};
use deadpool_postgres::{Object, Pool};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio::time::Instant;

/// How long a request may leave its transaction unused before what it did is committed.
const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// A pooled connection inside `BEGIN`: committed or rolled back explicitly, and closed (so
/// the server rolls it back) if dropped before either.
pub struct InTxn {
    conn: Option<Object>,
}

impl InTxn {
    /// Begins a transaction on `conn`.
    pub async fn begin(conn: Object) -> StoreResult<Self> {
        conn.batch_execute("BEGIN").await?;
        Ok(InTxn { conn: Some(conn) })
    }

    /// The connection.
    pub fn db(&self) -> StoreResult<&Db> {
        self.conn
            .as_deref()
            .ok_or_else(|| StoreError::Database("the transaction has ended".into()))
    }

    /// Commits, then pokes this server's event streams with what was committed.
    pub async fn commit(mut self, announcer: &Announcer) -> StoreResult<()> {
        let conn = self.taken()?;
        match conn.batch_execute("COMMIT").await {
            Ok(()) => {
                announcer.announce(&conn).await;
                Ok(())
            }
            Err(e) => {
                drop(Object::take(conn));
                Err(e.into())
            }
        }
    }

    /// Rolls back and returns the connection to the pool.
    pub async fn rollback(mut self) {
        if let Ok(conn) = self.taken()
            && conn.batch_execute("ROLLBACK").await.is_err()
        {
            drop(Object::take(conn));
        }
    }

    fn taken(&mut self) -> StoreResult<Object> {
        self.conn
            .take()
            .ok_or_else(|| StoreError::Database("the transaction has ended".into()))
    }
}

impl Drop for InTxn {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Out of the pool and closed: the server rolls the transaction back.
            drop(Object::take(conn));
        }
    }
}

/// A request's open transaction.
pub struct Open {
    txn: InTxn,
    last_call: Instant,
    announcer: Arc<Announcer>,
}

type Slot = Arc<Mutex<Option<Open>>>;

/// The request's link to its transaction, once one is open.
#[derive(Clone, Default)]
pub struct Held {
    slot: Slot,
}

tokio::task_local! {
    static HELD: Held;
}

/// Runs one request so that its PostgreSQL calls share one transaction.
pub(in crate::server::store) async fn scope<F: Future>(request: F) -> F::Output {
    HELD.scope(Held::default(), request).await
}

/// Commits the current request's transaction, if it opened one.
pub(in crate::server::store) async fn settle() -> StoreResult<()> {
    let Some(held) = current() else {
        return Ok(());
    };
    let open = held.slot.lock().await.take();
    match open {
        Some(open) => open.txn.commit(&open.announcer).await,
        None => Ok(()),
    }
}

/// The current request's link, inside a request scope.
pub fn current() -> Option<Held> {
    HELD.try_with(Held::clone).ok()
}

/// The request's transaction, locked for one call; marks it used when the call ends.
pub struct HeldConn(OwnedMutexGuard<Option<Open>>);

impl HeldConn {
    /// The connection.
    pub fn db(&self) -> StoreResult<&Db> {
        match self.0.as_ref() {
            Some(open) => open.txn.db(),
            None => Err(StoreError::Database(
                "the request's transaction ended".into(),
            )),
        }
    }
}

impl Drop for HeldConn {
    fn drop(&mut self) {
        if let Some(open) = self.0.as_mut() {
            open.last_call = Instant::now();
        }
    }
}

impl Held {
    /// The open transaction, if the request has one.
    pub async fn open(&self) -> Option<HeldConn> {
        let guard = self.slot.clone().lock_owned().await;
        guard.is_some().then(|| HeldConn(guard))
    }

    /// The open transaction, begun now on a pooled connection if there is none.
    pub async fn open_or_begin(
        &self,
        pool: &Pool,
        announcer: &Arc<Announcer>,
    ) -> StoreResult<HeldConn> {
        let mut guard = self.slot.clone().lock_owned().await;
        if guard.is_none() {
            let txn = InTxn::begin(pool.get().await?).await?;
            *guard = Some(Open {
                txn,
                last_call: Instant::now(),
                announcer: announcer.clone(),
            });
            tokio::spawn(commit_when_stalled(Arc::downgrade(&self.slot)));
        }
        Ok(HeldConn(guard))
    }
}

/// Commits the request's transaction once it has gone unused for [`HOLD_LIMIT`]; ends when
/// the transaction does (settled, or dropped with its request, which rolls it back).
async fn commit_when_stalled(slot: Weak<Mutex<Option<Open>>>) {
    loop {
        let deadline = {
            let Some(strong) = slot.upgrade() else {
                return;
            };
            let guard = strong.lock().await;
            match guard.as_ref() {
                Some(open) => open.last_call + HOLD_LIMIT,
                None => return,
            }
        };
        tokio::time::sleep_until(deadline).await;
        let Some(strong) = slot.upgrade() else {
            return;
        };
        let mut guard = strong.lock().await;
        let stalled = match guard.as_ref() {
            Some(open) => open.last_call.elapsed() >= HOLD_LIMIT,
            None => return,
        };
        if stalled && let Some(open) = guard.take() {
            tracing::warn!("a request held its transaction too long; committing it");
            if let Err(e) = open.txn.commit(&open.announcer).await {
                tracing::error!("cannot commit a stalled request's writes: {e}");
            }
            return;
        }
    }
}
