//! The SQLite store: one writer connection on its own thread (writes, and the change
//! sequence, in commit order) and a small pool of reader connections used through
//! `spawn_blocking`, so no SQLite call ever runs on an async thread.

mod account_prefs;
mod auth;
mod cache;
mod ccs;
mod changes;
mod config;
mod export;
pub(super) mod held;
mod import;
mod inbound;
mod mail_queue;
mod people;
mod rows;
mod saved_replies;
mod schema;
mod staff_removal;
mod store_impl;
mod tickets;

use super::{Poke, StoreError, StoreResult, Touched};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::{broadcast, oneshot};

pub use cache::FillFrom;
pub use changes::append_change;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// Reader connections kept open; more are opened on demand and dropped when the pool is full.
const READER_POOL: usize = 16;

/// The SQLite implementation of [`super::Store`].
pub struct SqliteStore {
    path: PathBuf,
    writer: mpsc::Sender<Job>,
    readers: Arc<Mutex<Vec<Connection>>>,
    changed: broadcast::Sender<Arc<Poke>>,
    ended: broadcast::Sender<String>,
    cache: Arc<cache::ReadCache>,
    /// Rate-limit counters: in memory, as this process is the only server on the file.
    limiter: super::rate::RateLimiter,
}

fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating and migrating) the database at `path` and starts the writer thread.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let mut conn = open_connection(path)?;
        schema::migrate(&mut conn)?;
        let last_seq = changes::current_seq(&conn)?;
        let (changed, _) = broadcast::channel(256);
        let (writer, jobs) = mpsc::channel::<Job>();
        let notify = changed.clone();
        let cache = Arc::new(cache::ReadCache::new(path));
        std::thread::Builder::new()
            .name("deskport-store-writer".into())
            .spawn(move || writer_loop(conn, jobs, notify, last_seq))
            .map_err(|e| StoreError::Database(format!("cannot start the writer thread: {e}")))?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer,
            readers: Arc::new(Mutex::new(Vec::new())),
            changed,
            ended: broadcast::channel(64).0,
            cache,
            limiter: Default::default(),
        })
    }

    /// The database file: the server keeps its other files (the code key) beside it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every row of the tables `specs` name, read at one moment: the source of a move to
    /// PostgreSQL (`deskport migrate`).
    pub async fn export(
        &self,
        specs: Vec<super::table_copy::TableSpec>,
    ) -> StoreResult<Vec<super::table_copy::TableRows>> {
        self.read(move |c| export::read_tables(c, &specs)).await
    }

    /// Opens the file afresh, read-only, and reads its portal table. Pooled readers keep
    /// pages in memory and the writer keeps its descriptor, so only a fresh open notices a
    /// file that was removed, replaced or corrupted under the running server.
    async fn check_file(&self) -> StoreResult<()> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let conn =
                Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            conn.query_row("SELECT COUNT(*) FROM portal", [], |r| r.get::<_, i64>(0))?;
            Ok::<(), rusqlite::Error>(())
        })
        .await
        .map_err(|e| StoreError::Database(format!("the database check failed: {e}")))?
        .map_err(|e| {
            // SQLite's own words for the failure, without the file's path: `/healthz` is public.
            let why = match &e {
                rusqlite::Error::SqliteFailure(failure, _) => failure.to_string(),
                other => other.to_string(),
            };
            StoreError::Database(format!("cannot read the database file ({why})"))
        })
    }

    /// Tells open event streams of these sessions that they were ended.
    fn announce_ended(&self, token_hashes: Vec<String>) {
        for hash in token_hashes {
            let _ = self.ended.send(hash);
        }
    }

    /// Runs `f` on a reader connection on the blocking pool, or inside the current request's
    /// held transaction when it has one (so it sees what the request wrote).
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: held::HeldJob = Box::new(move |c: &Connection| {
            let _ = tx.send(f(c));
        });
        let job = match held::current() {
            Some(h) => match h.submit(job) {
                Ok(()) => return answer(rx, "a held read").await,
                Err(job) => job,
            },
            None => job,
        };
        let readers = self.readers.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().map_err(|_| poisoned())?.pop();
            let conn = match pooled {
                Some(c) => c,
                None => open_connection(&path)?,
            };
            job(&conn);
            let mut pool = readers.lock().map_err(|_| poisoned())?;
            if pool.len() < READER_POOL {
                pool.push(conn);
            }
            Ok::<(), StoreError>(())
        })
        .await
        .map_err(|e| StoreError::Database(format!("reader task failed: {e}")))??;
        answer(rx, "a read").await
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer thread; commits on `Ok`.
    /// Inside [`held::one_transaction`] the transaction stays open for the rest of the request
    /// instead (see [`held`]).
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let cache = self.cache.clone();
        let job: Job = match held::current() {
            Some(request) => {
                let in_held: held::HeldJob = Box::new(move |c: &Connection| {
                    let result = held::in_savepoint(c, f);
                    cache.invalidate();
                    let _ = tx.send(result);
                });
                match request.submit_or_open(in_held) {
                    Ok(()) => return answer(rx, "a held write").await,
                    Err((first, calls)) => self.open_held(first, calls),
                }
            }
            None => Box::new(move |conn: &mut Connection| {
                let result = (|| {
                    let txn = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let value = f(&txn)?;
                    txn.commit()?;
                    Ok(value)
                })();
                // Before the caller hears back and before the change is announced, so nobody
                // who learns of the write can still read the settings from before it.
                cache.invalidate();
                let _ = tx.send(result);
            }),
        };
        self.writer
            .send(job)
            .map_err(|_| StoreError::Database("the writer thread has stopped".into()))?;
        answer(rx, "a write").await
    }

    /// The writer job that opens a request's held transaction with its first write.
    fn open_held(&self, first: held::HeldJob, calls: held::Receiver) -> Job {
        let cache = self.cache.clone();
        Box::new(move |conn: &mut Connection| {
            let txn = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
                Ok(t) => t,
                Err(e) => {
                    tracing::error!("cannot begin a request's transaction: {e}");
                    return;
                }
            };
            first(&txn);
            let end = held::serve(&txn, calls);
            match end {
                held::End::Commit(done) => {
                    let result = txn.commit().map_err(StoreError::from);
                    cache.invalidate();
                    match done {
                        Some(done) => {
                            let _ = done.send(result);
                        }
                        None => {
                            if let Err(e) = result {
                                tracing::error!("cannot commit a stalled request's writes: {e}");
                            }
                        }
                    }
                }
                held::End::Rollback => {
                    drop(txn);
                    cache.invalidate();
                }
            }
        })
    }

    /// The portal settings, from the cache when nothing was committed since they were read.
    async fn cached_portal(&self) -> StoreResult<Arc<crate::domain::PortalSettings>> {
        if open_transaction() {
            // Settings this request may have changed but not committed: never cached.
            return self.read(config::portal).await.map(Arc::new);
        }
        let from = match self.cache.portal() {
            Ok(p) => return Ok(p),
            Err(from) => from,
        };
        let fresh = Arc::new(self.read(config::portal).await?);
        self.cache.fill_portal(from, fresh.clone());
        Ok(fresh)
    }

    /// A session, from the cache when nothing was committed since it was read.
    async fn cached_session(
        &self,
        token_hash: String,
    ) -> StoreResult<Option<(super::Account, i64)>> {
        if open_transaction() {
            return self.read(move |c| auth::session(c, &token_hash)).await;
        }
        let from = match self.cache.session(&token_hash) {
            Ok(found) => return Ok(Some(found)),
            Err(from) => from,
        };
        let key = token_hash.clone();
        let found = self.read(move |c| auth::session(c, &key)).await?;
        if let Some(value) = &found {
            self.cache.fill_session(from, token_hash, value.clone());
        }
        Ok(found)
    }
}

/// Whether the current request holds a transaction open: what it reads there may include
/// its own uncommitted writes, so nothing read there is served from or kept in the cache.
fn open_transaction() -> bool {
    held::current().is_some_and(|h| h.is_open())
}

/// The result a job sent back, or an error if the job was dropped unrun.
async fn answer<T>(rx: oneshot::Receiver<StoreResult<T>>, what: &str) -> StoreResult<T> {
    rx.await
        .map_err(|_| StoreError::Database(format!("the store dropped {what}")))?
}

fn poisoned() -> StoreError {
    StoreError::Database("reader pool lock poisoned".into())
}

fn writer_loop(
    mut conn: Connection,
    jobs: mpsc::Receiver<Job>,
    changed: broadcast::Sender<Arc<Poke>>,
    mut last_seq: i64,
) {
    while let Ok(job) = jobs.recv() {
        job(&mut conn);
        match changes::current_seq(&conn) {
            Ok(seq) if seq != last_seq => {
                let touched = changes::touched_since(&conn, last_seq).unwrap_or_else(|e| {
                    tracing::error!("cannot read what a commit changed: {e}");
                    vec![Touched::Unknown]
                });
                last_seq = seq;
                // Nobody listening is no error.
                let _ = changed.send(Arc::new(Poke { seq, touched }));
            }
            Ok(_) => {}
            Err(e) => tracing::error!("cannot read the change sequence: {e}"),
        }
    }
}
