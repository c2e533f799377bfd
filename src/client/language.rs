//! The language this process speaks to its user. The TUI sets it (from the customer's portal,
//! or staff's own choice) and reads its words in it; the API client asks the server for it
//! (`Accept-Language`), so the server's messages match the screen. One per process, as there
//! is one user and one screen.

use crate::domain::i18n::Language;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The current language, as its index in [`Language::ALL`].
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// The language spoken now.
pub fn current() -> Language {
    let at = CURRENT.load(Ordering::Relaxed);
    Language::ALL.get(at).copied().unwrap_or_default()
}

/// Makes `language` the one spoken from now on.
pub fn set(language: Language) {
    let at = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0);
    CURRENT.store(at, Ordering::Relaxed);
}
