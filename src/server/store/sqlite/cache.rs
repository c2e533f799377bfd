//! What nearly every request reads, kept between writes: the parsed portal settings and the
//! resolved sessions (token hash → account and last-seen time). Serving both from memory
//! leaves a list request one trip to the blocking pool (its own query) instead of three.
//!
//! Every committed write (through the writer thread) bumps the generation and empties the
//! cache, so a session touched, signed out, expired or swept is read afresh. A value read
//! before a bump is never stored after it. Sessions are also dropped when the wal-index
//! header (the first bytes of the `-shm` file, which SQLite rewrites on every commit: its
//! change counter, frame count and salts) changed since they were read, so a commit by
//! another process (an admin tool, a test ageing a session) is seen on the next request,
//! as it was without the cache.

use crate::domain::PortalSettings;
use crate::server::store::Account;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, RwLock};

/// Most sessions kept; the cache starts over when full (a miss costs one read).
const MAX_SESSIONS: usize = 10_000;

/// The wal-index header (first copy): changes with every commit by any connection.
type WalStamp = [u8; 48];

/// Where a miss must fill from: the generation and WAL stamp seen before the read.
#[derive(Clone, Copy)]
pub(super) struct FillFrom {
    generation: u64,
    wal: Option<WalStamp>,
}

#[derive(Default)]
struct Sessions {
    generation: u64,
    wal: Option<WalStamp>,
    map: HashMap<String, (Account, i64)>,
}

/// See the module documentation.
pub(super) struct ReadCache {
    portal: RwLock<(u64, Option<PortalSettings>)>,
    sessions: Mutex<Sessions>,
    shm_path: PathBuf,
    shm: OnceLock<Option<File>>,
}

impl ReadCache {
    /// An empty cache for the database at `db_path` (in WAL mode).
    pub(super) fn new(db_path: &std::path::Path) -> Self {
        let mut shm = db_path.as_os_str().to_owned();
        shm.push("-shm");
        ReadCache {
            portal: RwLock::new((0, None)),
            sessions: Mutex::new(Sessions::default()),
            shm_path: PathBuf::from(shm),
            shm: OnceLock::new(),
        }
    }

    /// The cached settings, or on a miss the generation to fill with.
    pub(super) fn get(&self) -> Result<PortalSettings, u64> {
        match self.portal.read() {
            Ok(guard) => guard.1.clone().ok_or(guard.0),
            Err(_) => Err(u64::MAX),
        }
    }

    /// Stores settings read at `generation`, unless a write came since.
    pub(super) fn fill(&self, generation: u64, value: &PortalSettings) {
        if let Ok(mut guard) = self.portal.write()
            && guard.0 == generation
        {
            guard.1 = Some(value.clone());
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

    /// The session of `token_hash` when cached and nothing was committed since it was read;
    /// otherwise what to fill with after reading it.
    pub(super) fn session(&self, token_hash: &str) -> Result<(Account, i64), FillFrom> {
        let wal = self.wal_stamp();
        let Ok(mut s) = self.sessions.lock() else {
            return Err(FillFrom {
                generation: u64::MAX,
                wal: None,
            });
        };
        if s.wal != wal {
            s.map.clear();
            s.wal = wal;
        }
        match s.map.get(token_hash) {
            Some(found) if wal.is_some() => Ok(found.clone()),
            _ => Err(FillFrom {
                generation: s.generation,
                wal,
            }),
        }
    }

    /// Stores a session read after [`ReadCache::session`] missed, unless anything was
    /// committed since.
    pub(super) fn fill_session(&self, from: FillFrom, token_hash: String, value: (Account, i64)) {
        let Ok(mut s) = self.sessions.lock() else {
            return;
        };
        if from.wal.is_none() || s.generation != from.generation || s.wal != from.wal {
            return;
        }
        if s.map.len() >= MAX_SESSIONS {
            s.map.clear();
        }
        s.map.insert(token_hash, value);
    }

    /// Forgets everything: called after every write, before its caller hears back.
    pub(super) fn invalidate(&self) {
        if let Ok(mut guard) = self.portal.write() {
            guard.0 = guard.0.wrapping_add(1);
            guard.1 = None;
        }
        if let Ok(mut s) = self.sessions.lock() {
            s.generation = s.generation.wrapping_add(1);
            s.map.clear();
        }
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
}
