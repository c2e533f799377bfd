//! The app's lookups into the catalogue ([`crate::domain::i18n`]) in the language of the
//! moment on the drawing thread ([`crate::client::language`]). The app sets that language
//! before each frame from who is signed in (a customer: their portal domain's language, so a
//! change of domain shows at the next frame; staff and the sign-in screen:
//! [`crate::tui::Config::language`]), and every component asks here for its words, so none
//! needs the language passed down.

use crate::domain::Priority;
use crate::domain::i18n::{self, Arg, Language};
use crate::domain::people::Role;

pub use crate::client::language::{current as language, set as set_language};

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
    from_locale(LOCALE_VARIABLES.map(|name| std::env::var(name).ok()))
}

/// The variables that name a user's language, in the order POSIX weighs them.
pub const LOCALE_VARIABLES: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The language named by the values of [`LOCALE_VARIABLES`] (the first one set wins), from
/// this process's environment or from what an SSH client sent.
pub fn from_locale(values: [Option<String>; 3]) -> Option<Language> {
    values
        .into_iter()
        .flatten()
        .find(|value| !value.is_empty())
        .and_then(|value| Language::from_tag(&value))
}

/// The date of an RFC 3339 timestamp as the current language writes dates (`format-date`),
/// for the list's columns and the command line's table; the first ten characters as they are
/// when it does not parse.
pub fn date(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => at.format(&t("format-date")).to_string(),
        Err(_) => rfc3339.chars().take(10).collect(),
    }
}

/// A role's name in the current language (`customer`, `cliente`…).
pub fn role(role: Role) -> String {
    t(&format!("role-{}", role.as_str()))
}

/// A priority as the current language names it.
pub fn priority(priority: Priority) -> String {
    t(&format!("priority-{}", priority.as_str()))
}
