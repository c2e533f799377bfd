//! One transaction per idempotent request: from a request's first write until its answer is
//! stored, the writer thread keeps a single transaction open and runs that request's reads
//! and writes in it, so the write and the stored answer commit together (a crash in between
//! loses both, and a replay applies the write once). Other writers wait meanwhile.

use super::super::{StoreError, StoreResult};
use rusqlite::Connection;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// Work for a held transaction (or, for reads, for a pooled reader when none is open).
pub(super) type HeldJob = Box<dyn FnOnce(&Connection) + Send>;

/// How long the writer waits for a request's next call before committing what it did and
/// going back to other writers (a handler that stalls must not stop every write).
const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// What the request sends to its held transaction.
pub(super) enum HeldMsg {
    /// Run this in the transaction.
    Run(HeldJob),
    /// Commit, then say how it went.
    Finish(oneshot::Sender<StoreResult<()>>),
}

/// How a held transaction ends.
pub(super) enum End {
    /// Commit; tell the request if it asked.
    Commit(Option<oneshot::Sender<StoreResult<()>>>),
    /// The request was dropped before it answered: nothing it wrote was acknowledged.
    Rollback,
}

/// The request's link to its held transaction, once its first write opened one.
#[derive(Clone, Default)]
pub struct Held {
    open: Arc<Mutex<Option<mpsc::Sender<HeldMsg>>>>,
}

tokio::task_local! {
    static HELD: Held;
}

/// Runs one request so that its SQLite calls share one transaction from its first write on
/// (see [`crate::server::store::one_transaction`]).
pub(in crate::server::store) async fn scope<F: Future>(request: F) -> F::Output {
    HELD.scope(Held::default(), request).await
}

/// Commits the current request's held SQLite transaction, if it opened one.
pub(in crate::server::store) async fn settle() -> StoreResult<()> {
    let Some(sender) = current().and_then(|h| h.take()) else {
        return Ok(());
    };
    let (done, answer) = oneshot::channel();
    if sender.send(HeldMsg::Finish(done)).is_err() {
        // The writer already committed it after waiting too long.
        return Ok(());
    }
    answer
        .await
        .map_err(|_| StoreError::Database("the writer thread dropped a commit".into()))?
}

/// The current request's link, inside [`one_transaction`].
pub(super) fn current() -> Option<Held> {
    HELD.try_with(Held::clone).ok()
}

impl Held {
    fn take(&self) -> Option<mpsc::Sender<HeldMsg>> {
        self.open.lock().ok().and_then(|mut s| s.take())
    }

    /// Whether a transaction is open for this request.
    pub(super) fn is_open(&self) -> bool {
        self.open.lock().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Runs `job` in the open transaction; gives it back when none is open (any more).
    pub(super) fn submit(&self, job: HeldJob) -> Result<(), HeldJob> {
        let Ok(mut slot) = self.open.lock() else {
            return Err(job);
        };
        let Some(sender) = slot.as_ref() else {
            return Err(job);
        };
        let Err(mpsc::SendError(msg)) = sender.send(HeldMsg::Run(job)) else {
            return Ok(());
        };
        // The writer stopped holding (it waited too long): run elsewhere.
        *slot = None;
        match msg {
            HeldMsg::Run(job) => Err(job),
            HeldMsg::Finish(_) => Ok(()),
        }
    }

    /// Runs `job` in the open transaction, or (none open) makes the channel of a new one and
    /// gives `job` back with the receiver for the writer thread. One lock, so two calls of
    /// the same request never open two transactions.
    pub(super) fn submit_or_open(&self, job: HeldJob) -> Result<(), (HeldJob, Receiver)> {
        let mut slot = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let job = match slot.as_ref() {
            Some(sender) => match sender.send(HeldMsg::Run(job)) {
                Ok(()) => return Ok(()),
                Err(mpsc::SendError(HeldMsg::Run(job))) => job,
                Err(mpsc::SendError(HeldMsg::Finish(_))) => return Ok(()),
            },
            None => job,
        };
        let (tx, rx) = mpsc::channel();
        *slot = Some(tx);
        Err((job, rx))
    }
}

/// The writer thread's end of a held transaction's channel.
pub(super) type Receiver = mpsc::Receiver<HeldMsg>;

/// On the writer thread: runs the request's calls in `conn`'s open transaction until the
/// request settles, is dropped, or stalls past [`HOLD_LIMIT`].
pub(super) fn serve(conn: &Connection, calls: Receiver) -> End {
    loop {
        match calls.recv_timeout(HOLD_LIMIT) {
            Ok(HeldMsg::Run(job)) => job(conn),
            Ok(HeldMsg::Finish(done)) => return End::Commit(Some(done)),
            Err(RecvTimeoutError::Timeout) => {
                tracing::warn!("a request held the write transaction too long; committing it");
                while let Ok(msg) = calls.try_recv() {
                    match msg {
                        HeldMsg::Run(job) => job(conn),
                        HeldMsg::Finish(done) => return End::Commit(Some(done)),
                    }
                }
                return End::Commit(None);
            }
            Err(RecvTimeoutError::Disconnected) => return End::Rollback,
        }
    }
}

/// Runs a write inside the held transaction under a savepoint, so a failed write leaves the
/// transaction as it was (as its own transaction would have).
pub(super) fn in_savepoint<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> StoreResult<T>,
) -> StoreResult<T> {
    conn.execute_batch("SAVEPOINT held_write")?;
    match f(conn) {
        Ok(v) => {
            conn.execute_batch("RELEASE held_write")?;
            Ok(v)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO held_write; RELEASE held_write")?;
            Err(e)
        }
    }
}
