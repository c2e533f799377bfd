//! The language deskport speaks to its user. Words are drawn in the language of the drawing
//! thread: the local app and every app served over SSH draw on a thread of their own, and
//! each sets its language before a frame (from the customer's portal, or staff's own choice),
//! so two users of one process never get each other's words. Each API client carries the
//! language it asks the server for (`Accept-Language`), so the server's messages match the
//! screen whatever thread a request is sent from.

use super::session::{Session, cache_path};
use crate::domain::i18n::Language;
use rusqlite::{Connection, OpenFlags};
use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    /// This thread's language, once the thread chose one.
    static CURRENT: Cell<Option<Language>> = const { Cell::new(None) };
}

/// The process's language (as an index in [`Language::ALL`]): a thread that chose none
/// speaks it, and so do API clients made there (the local app's sign-in, the CLI).
static PROCESS: AtomicUsize = AtomicUsize::new(0);

/// The language spoken on this thread now: its own choice, else the process's.
pub fn current() -> Language {
    CURRENT
        .with(Cell::get)
        .unwrap_or_else(|| index_to_language(PROCESS.load(Ordering::Relaxed)))
}

/// Makes `language` the one spoken on this thread from now on.
pub fn set(language: Language) {
    CURRENT.with(|c| c.set(Some(language)));
}

/// Makes `language` the process's: the language of the one user a local app or the CLI
/// serves. Never called for an app served over SSH, whose process serves many users.
pub fn set_for_process(language: Language) {
    PROCESS.store(language.index(), Ordering::Relaxed);
}

fn index_to_language(at: usize) -> Language {
    Language::ALL.get(at).copied().unwrap_or_default()
}

/// A language shared by the clones of one API client: the app changes it while requests go
/// out from other threads.
#[derive(Debug, Clone)]
pub struct SharedLanguage(Arc<AtomicUsize>);

impl SharedLanguage {
    /// Starts as `language`.
    pub fn new(language: Language) -> Self {
        let shared = SharedLanguage(Arc::new(AtomicUsize::new(0)));
        shared.set(language);
        shared
    }

    /// The language now.
    pub fn get(&self) -> Language {
        index_to_language(self.0.load(Ordering::Relaxed))
    }

    /// Makes `language` the one asked for from now on.
    pub fn set(&self, language: Language) {
        self.0.store(language.index(), Ordering::Relaxed);
    }
}

/// The language the signed-in person chose for the app (kept on the server, read and set
/// through `/me/language`), once known; `None` while unknown or automatic. Shared by the
/// clones of one client, so the pane that changes it and the app that draws in it agree.
#[derive(Debug, Clone, Default)]
pub struct ChosenLanguage(Arc<AtomicUsize>);

impl ChosenLanguage {
    /// The choice now.
    pub fn get(&self) -> Option<Language> {
        self.0
            .load(Ordering::Relaxed)
            .checked_sub(1)
            .map(index_to_language)
    }

    /// Makes `language` the choice (`None`: automatic).
    pub fn set(&self, language: Option<Language>) {
        self.0
            .store(language.map_or(0, |l| l.index() + 1), Ordering::Relaxed);
    }
}

/// The language of `session`'s portal as its cache last heard it (every sync brings the
/// portal's settings): what a one-shot command shows a customer in without asking the
/// server first. `None` before the first sync, or when the cache cannot be read; the cache
/// is only read, never created.
pub fn cached_portal_language(data_dir: &Path, session: &Session) -> Option<Language> {
    #[derive(serde::Deserialize)]
    struct Spoken {
        language: String,
    }
    let path = cache_path(data_dir, &session.server_url, &session.account);
    if !path.exists() {
        return None;
    }
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let data: String = conn
        .query_row(
            "SELECT data FROM entities WHERE kind = 'portal' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok()?;
    let spoken: Spoken = serde_json::from_str(&data).ok()?;
    Language::from_tag(&spoken.language)
}
