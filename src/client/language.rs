//! The language deskport speaks to its user. Words are drawn in the language of the drawing
//! thread: the local app and every app served over SSH draw on a thread of their own, and
//! each sets its language before a frame (from the customer's portal, or staff's own choice),
//! so two users of one process never get each other's words. Each API client carries the
//! language it asks the server for (`Accept-Language`), so the server's messages match the
//! screen whatever thread a request is sent from.

use crate::domain::i18n::Language;
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    /// This thread's language.
    static CURRENT: Cell<Language> = Cell::new(Language::default());
}

/// The language spoken on this thread now.
pub fn current() -> Language {
    CURRENT.with(Cell::get)
}

/// Makes `language` the one spoken on this thread from now on.
pub fn set(language: Language) {
    CURRENT.with(|c| c.set(language));
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
        let at = self.0.load(Ordering::Relaxed);
        Language::ALL.get(at).copied().unwrap_or_default()
    }

    /// Makes `language` the one asked for from now on.
    pub fn set(&self, language: Language) {
        let at = Language::ALL
            .iter()
            .position(|l| *l == language)
            .unwrap_or(0);
        self.0.store(at, Ordering::Relaxed);
    }
}
