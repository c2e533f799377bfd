//! The language the app speaks right now, and its lookups into the catalogue
//! ([`crate::domain::i18n`]). The app sets it before each frame from who is signed in (a
//! customer: their portal domain's language, so a change of domain shows at the next frame;
//! staff and the sign-in screen: [`crate::tui::Config::language`]), and every component asks
//! it for its words, so none needs the language passed down.

use crate::domain::i18n::{self, Arg, Language};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The current language, as its index in [`Language::ALL`]; one per process, as there is one
/// screen.
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// The language the app speaks now.
pub fn language() -> Language {
    let at = CURRENT.load(Ordering::Relaxed);
    Language::ALL.get(at).copied().unwrap_or_default()
}

/// Makes `language` the one the app speaks from now on.
pub fn set_language(language: Language) {
    let at = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0);
    CURRENT.store(at, Ordering::Relaxed);
}

/// Message `id` in the current language.
pub fn t(id: &str) -> String {
    i18n::text(language(), id)
}

/// Message `id` in the current language with `args` in its placeholders.
pub fn tf(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    i18n::format(language(), id, args)
}

/// The language named by the environment, as POSIX orders it: `LC_ALL`, `LC_MESSAGES`, then
/// `LANG`; `None` when none names a shipped language.
pub fn from_environment() -> Option<Language> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| Language::from_tag(&value))
}
