//! The message catalogue: every word a customer reads, in each shipped language, from the
//! Fluent files under `locales/` (embedded in the binary). The server, the client, the TUI and
//! the CLI all take their text from here, so a language is added in one place.
//!
//! A message missing from a language falls back to English and is logged once per message
//! (not once per frame); `tests` fails the build's tests when a language lacks a message,
//! has one English does not, or uses other placeholders.

mod language;
#[cfg(test)]
mod tests;

pub use language::Language;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

/// A value put into a message's placeholder: text as it is, or a number that also picks the
/// plural form (`{ $count -> [one] … *[other] … }`).
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text inserted verbatim.
    Text(&'a str),
    /// A count or other number.
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(text)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

type Bundle = FluentBundle<FluentResource>;

/// One bundle per shipped language, in [`Language::ALL`] order, built on first use.
fn bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| Language::ALL.iter().map(|l| bundle(*l)).collect())
}

fn bundle(language: Language) -> Bundle {
    // A file that does not parse keeps the messages that do (the tests refuse such a file).
    let resource = FluentResource::try_new(language.source().to_string())
        .unwrap_or_else(|(partial, _)| partial);
    let mut bundle = FluentBundle::new_concurrent(vec![language.identifier()]);
    // Terminals show the isolation marks around placeholders as stray cells.
    bundle.set_use_isolating(false);
    // A duplicate message keeps its first text; the tests refuse duplicates.
    let _ = bundle.add_resource(resource);
    bundle
}

/// The text of message `id` in `language`, without placeholders.
pub fn text(language: Language, id: &str) -> String {
    format(language, id, &[])
}

/// The text of message `id` in `language` with `args` put into its placeholders; English when
/// the language lacks it (logged once), the id itself when English lacks it too.
pub fn format(language: Language, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let value = match *value {
            Arg::Text(t) => FluentValue::from(t),
            Arg::Number(n) => FluentValue::from(n),
        };
        fluent_args.set(*name, value);
    }
    let all = bundles();
    let found = [language, Language::English]
        .into_iter()
        .find_map(|l| Some((l, all.get(l.index())?.get_message(id)?.value()?)));
    let Some((used, pattern)) = found else {
        missing_once(language, id);
        return id.to_string();
    };
    if used != language {
        missing_once(language, id);
    }
    let mut errors = Vec::new();
    all.get(used.index())
        .map(|b| {
            b.format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned()
        })
        .unwrap_or_else(|| id.to_string())
}

/// Logs that `language` lacks message `id`, the first time only.
fn missing_once(language: Language, id: &str) {
    static SEEN: Mutex<BTreeSet<(Language, String)>> = Mutex::new(BTreeSet::new());
    let first = SEEN
        .lock()
        .map(|mut seen| seen.insert((language, id.to_string())))
        .unwrap_or(false);
    if first {
        tracing::warn!(
            language = language.tag(),
            message = id,
            "message missing from the catalogue; shown in English"
        );
    }
}
