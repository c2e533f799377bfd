//! What nearly every request reads, kept between writes: the parsed portal settings, the
//! resolved sessions (token hash → account and last-seen time) and whole serialised answers
//! (a customer's ticket list page). Serving them from memory leaves a repeated list request
//! no trip to the blocking pool at all.
//!
//! Every committed write (through the writer thread) bumps the generation and empties the
//! cache, so a session touched, signed out, expired or swept, or a ticket changed, is read
//! afresh. A value read before a bump is never stored after it. Everything is also
//! dropped when the wal-index header (the first bytes of the `-shm` file, which SQLite
//! rewrites on every commit: its change counter, frame count and salts) changed since they
//! were read, so a commit by another process (an admin tool, a test ageing a session) is
//! seen on the next request, as it was without the cache.

use crate::domain::PortalSettings;
use crate::server::store::Account;
use axum::body::Bytes;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// Most sessions kept; the memo starts over when full (a miss costs one read).
const MAX_SESSIONS: usize = 10_000;
/// Most answers kept.
const MAX_ANSWERS: usize = 4_096;
/// Most answer bytes kept (keys included).
const MAX_ANSWER_BYTES: usize = 64 << 20;

/// The wal-index header (first copy): changes with every commit by any connection.
type WalStamp = [u8; 48];

/// When a memo missed: the generation and WAL stamp seen before the value was read. A fill
/// with it is refused if anything was committed since, so a value read before a write is
/// never stored after it.
#[derive(Debug, Clone, Copy)]
pub struct FillFrom {
    generation: u64,
    wal: Option<WalStamp>,
}

impl FillFrom {
    /// A stamp no fill accepts: for reads that must not be cached (inside a request's open
    /// transaction, which may hold uncommitted writes) or a poisoned lock.
    pub(in crate::server::store) fn never() -> Self {
        FillFrom {
            generation: u64::MAX,
            wal: None,
        }
    }
}

struct MemoState<V> {
    generation: u64,
    wal: Option<WalStamp>,
    map: HashMap<String, V>,
    weight: usize,
}

/// Values by key, valid while nothing commits: emptied by [`Memo::invalidate`] and whenever
/// the WAL stamp a lookup brings differs from the one the values were read under. Bounded by
/// entries and by weight; it starts over when either would be exceeded.
struct Memo<V> {
    state: Mutex<MemoState<V>>,
    max_entries: usize,
    max_weight: usize,
    weigh: fn(&V) -> usize,
}

impl<V: Clone> Memo<V> {
    fn new(max_entries: usize, max_weight: usize, weigh: fn(&V) -> usize) -> Self {
        Memo {
            state: Mutex::new(MemoState {
                generation: 0,
                wal: None,
                map: HashMap::new(),
                weight: 0,
            }),
            max_entries,
            max_weight,
            weigh,
        }
    }

    /// The value of `key` if stored since the last commit (`wal` is the stamp now);
    /// otherwise what to fill with after reading it.
    fn get(&self, wal: Option<WalStamp>, key: &str) -> Result<V, FillFrom> {
        let Ok(mut s) = self.state.lock() else {
            return Err(FillFrom::never());
        };
        if s.wal != wal {
            s.map.clear();
            s.weight = 0;
            s.wal = wal;
        }
        match s.map.get(key) {
            Some(found) if wal.is_some() => Ok(found.clone()),
            _ => Err(FillFrom {
                generation: s.generation,
                wal,
            }),
        }
    }

    /// Where a value read from now on must fill from, without looking anything up. It takes
    /// the WAL stamp the last lookup saw instead of reading the file again: if something
    /// was committed since, the lookup before the fill sees a newer stamp and the fill is
    /// refused, and if the commit comes after that lookup, the next lookup drops the value.
    fn stamp(&self) -> FillFrom {
        match self.state.lock() {
            Ok(s) => FillFrom {
                generation: s.generation,
                wal: s.wal,
            },
            Err(_) => FillFrom::never(),
        }
    }

    /// Stores a value read after [`Memo::get`] missed, unless anything was committed since.
    fn fill(&self, from: FillFrom, key: String, value: V) {
        let key_len = key.len();
        let weight = key_len + (self.weigh)(&value);
        let Ok(mut s) = self.state.lock() else {
            return;
        };
        if from.wal.is_none()
            || s.generation != from.generation
            || s.wal != from.wal
            || weight > self.max_weight
        {
            return;
        }
        if s.map.len() >= self.max_entries || s.weight + weight > self.max_weight {
            s.map.clear();
            s.weight = 0;
        }
        if let Some(old) = s.map.insert(key, value) {
            // A concurrent miss filled the same key first: its weight is gone.
            s.weight -= key_len + (self.weigh)(&old);
        }
        s.weight += weight;
    }

    /// Forgets everything and refuses fills from before.
    fn invalidate(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.generation = s.generation.wrapping_add(1);
            s.map.clear();
            s.weight = 0;
        }
    }
}

/// See the module documentation.
pub(super) struct ReadCache {
    portal: Memo<Arc<PortalSettings>>,
    sessions: Memo<(Account, i64)>,
    answers: Memo<Bytes>,
    shm_path: PathBuf,
    shm: OnceLock<Option<File>>,
}

/// The portal memo's one key.
const PORTAL: &str = "portal";

impl ReadCache {
    /// An empty cache for the database at `db_path` (in WAL mode).
    pub(super) fn new(db_path: &std::path::Path) -> Self {
        let mut shm = db_path.as_os_str().to_owned();
        shm.push("-shm");
        ReadCache {
            portal: Memo::new(1, usize::MAX, |_| 0),
            sessions: Memo::new(MAX_SESSIONS, usize::MAX, |_| 0),
            answers: Memo::new(MAX_ANSWERS, MAX_ANSWER_BYTES, Bytes::len),
            shm_path: PathBuf::from(shm),
            shm: OnceLock::new(),
        }
    }

    fn wal_stamp(&self) -> Option<WalStamp> {
        let file = self
            .shm
            .get_or_init(|| File::open(&self.shm_path).ok())
            .as_ref()?;
        let mut header = [0; 48];
        file.read_exact_at(&mut header, 0).ok()?;
        Some(header)
    }

    /// The settings when cached and nothing was committed since they were read; otherwise
    /// what to fill with after reading them.
    pub(super) fn portal(&self) -> Result<Arc<PortalSettings>, FillFrom> {
        self.portal.get(self.wal_stamp(), PORTAL)
    }

    /// Stores settings read after [`ReadCache::portal`] missed, unless anything was
    /// committed since.
    pub(super) fn fill_portal(&self, from: FillFrom, value: Arc<PortalSettings>) {
        self.portal.fill(from, PORTAL.to_string(), value);
    }

    /// The session of `token_hash` when cached and nothing was committed since it was read;
    /// otherwise what to fill with after reading it.
    pub(super) fn session(&self, token_hash: &str) -> Result<(Account, i64), FillFrom> {
        self.sessions.get(self.wal_stamp(), token_hash)
    }

    /// Stores a session read after [`ReadCache::session`] missed, unless anything was
    /// committed since.
    pub(super) fn fill_session(&self, from: FillFrom, token_hash: String, value: (Account, i64)) {
        self.sessions.fill(from, token_hash, value);
    }

    /// Where an answer built from what is read from now on must fill from; the lookup
    /// ([`ReadCache::answer`]) must come between this and the fill.
    pub(super) fn answer_stamp(&self) -> FillFrom {
        self.answers.stamp()
    }

    /// The answer kept under `key`, if nothing was committed since it was built.
    pub(super) fn answer(&self, key: &str) -> Option<Bytes> {
        self.answers.get(self.wal_stamp(), key).ok()
    }

    /// Keeps an answer built from reads made after `from` was taken, unless anything was
    /// committed since.
    pub(super) fn fill_answer(&self, from: FillFrom, key: String, body: Bytes) {
        self.answers.fill(from, key, body);
    }

    /// Forgets everything: called after every write, before its caller hears back.
    pub(super) fn invalidate(&self) {
        self.portal.invalidate();
        self.sessions.invalidate();
        self.answers.invalidate();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, User};

    fn account() -> (Account, i64) {
        let user = User {
            id: 7,
            email: "a@b.test".into(),
            name: "A".into(),
            role: Role::Agent,
        };
        (Account::User(user), 100)
    }

    fn wal_db(dir: &std::path::Path) -> (PathBuf, rusqlite::Connection) {
        let path = dir.join("t.db");
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.execute_batch("CREATE TABLE x (v INTEGER); INSERT INTO x VALUES (1);")
            .expect("create");
        (path, conn)
    }

    /// Reads once through the cache: a miss, then a fill.
    fn miss_then_fill(cache: &ReadCache) {
        let from = cache.session("h").expect_err("empty cache misses");
        cache.fill_session(from, "h".into(), account());
    }

    #[test]
    fn a_session_is_served_until_anything_commits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, conn) = wal_db(dir.path());
        let cache = ReadCache::new(&path);
        miss_then_fill(&cache);
        assert_eq!(cache.session("h").ok(), Some(account()));
        // A write through the store.
        cache.invalidate();
        assert!(cache.session("h").is_err());
        // A commit by another connection, not through the store.
        miss_then_fill(&cache);
        assert!(cache.session("h").is_ok());
        conn.execute("UPDATE x SET v = v + 1", []).expect("update");
        assert!(cache.session("h").is_err(), "an outside commit empties it");
    }

    #[test]
    fn a_read_from_before_a_write_is_not_stored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, conn) = wal_db(dir.path());
        let cache = ReadCache::new(&path);
        let from = cache.session("h").expect_err("empty cache misses");
        cache.invalidate();
        cache.fill_session(from, "h".into(), account());
        assert!(cache.session("h").is_err());
        let from = cache.session("h").expect_err("still empty");
        conn.execute("UPDATE x SET v = v + 1", []).expect("update");
        cache.fill_session(from, "h".into(), account());
        assert!(cache.session("h").is_err());
    }

    #[test]
    fn an_answer_is_served_until_anything_commits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, conn) = wal_db(dir.path());
        let cache = ReadCache::new(&path);
        let keep = |cache: &ReadCache| {
            // A lookup first, as a request's session lookup comes before its stamp.
            let _ = cache.answer("k");
            let from = cache.answer_stamp();
            assert!(cache.answer("k").is_none());
            cache.fill_answer(from, "k".into(), Bytes::from_static(b"page"));
        };
        keep(&cache);
        assert_eq!(cache.answer("k").as_deref(), Some(&b"page"[..]));
        assert!(cache.answer("other").is_none(), "keys are kept apart");
        cache.invalidate();
        assert!(cache.answer("k").is_none(), "a store write empties it");
        keep(&cache);
        assert!(cache.answer("k").is_some());
        conn.execute("UPDATE x SET v = v + 1", []).expect("update");
        assert!(cache.answer("k").is_none(), "an outside commit empties it");
    }

    #[test]
    fn an_answer_from_reads_before_a_commit_is_not_served() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, conn) = wal_db(dir.path());
        let cache = ReadCache::new(&path);
        let body = Bytes::from_static(b"stale");
        assert!(cache.answer("k").is_none());
        let from = cache.answer_stamp();
        cache.invalidate();
        cache.fill_answer(from, "k".into(), body.clone());
        assert!(cache.answer("k").is_none(), "a store write came between");
        // An outside commit between the stamp and the lookup before the fill.
        let from = cache.answer_stamp();
        conn.execute("UPDATE x SET v = v + 1", []).expect("update");
        assert!(cache.answer("k").is_none());
        cache.fill_answer(from, "k".into(), body.clone());
        assert!(cache.answer("k").is_none(), "refused at the fill");
        // An outside commit between the lookup and the fill.
        let from = cache.answer_stamp();
        assert!(cache.answer("k").is_none());
        conn.execute("UPDATE x SET v = v + 1", []).expect("update");
        cache.fill_answer(from, "k".into(), body.clone());
        assert!(cache.answer("k").is_none(), "dropped at the next lookup");
        // An outside commit before the stamp that no lookup saw yet.
        conn.execute("UPDATE x SET v = v + 1", []).expect("update");
        let from = cache.answer_stamp();
        assert!(cache.answer("k").is_none());
        cache.fill_answer(from, "k".into(), body);
        assert!(
            cache.answer("k").is_none(),
            "the stamp was older than the read"
        );
    }

    #[test]
    fn a_memo_stays_within_its_bounds() {
        let memo: Memo<Bytes> = Memo::new(3, 100, Bytes::len);
        let wal = Some([1; 48]);
        let fill = |key: &str, len: usize| {
            let from = memo.get(wal, key).expect_err("a miss");
            memo.fill(from, key.into(), Bytes::from(vec![b'x'; len]));
        };
        let held = || {
            let s = memo.state.lock().expect("lock");
            (s.map.len(), s.weight)
        };
        for key in ["a", "b", "c", "d"] {
            fill(key, 10);
            assert!(held().0 <= 3, "at most 3 entries");
        }
        assert!(memo.get(wal, "d").is_ok(), "the newest is kept");
        fill("e", 60);
        fill("f", 60);
        let (entries, weight) = held();
        assert!(weight <= 100, "weight {weight} within 100");
        assert_eq!(
            weight, 61,
            "started over, then kept f alone ({entries} entries)"
        );
        fill("g", 200);
        assert!(
            memo.get(wal, "g").is_err(),
            "heavier than the bound: not kept"
        );
        assert!(held().1 <= 100);
    }
}
