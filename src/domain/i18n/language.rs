//! The languages deskport ships and the one rule that turns a language tag (`it`, `it-IT`,
//! `it_IT.UTF-8`) into one of them.

use unic_langid::LanguageIdentifier;

/// A language the catalogue (and the default mail templates) are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Language {
    /// The reference language: every message exists in it.
    #[default]
    English,
    Italian,
}

impl Language {
    /// Every shipped language, English first.
    pub const ALL: [Language; 2] = [Language::English, Language::Italian];

    /// The language a tag names by its primary subtag (`it`, `it-IT`, `it_IT.UTF-8` are
    /// Italian); `None` for a language deskport does not ship.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_', '.', '@']).next()?;
        Language::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// [`Language::from_tag`], English for a language deskport does not ship.
    pub fn or_english(tag: &str) -> Language {
        Language::from_tag(tag).unwrap_or_default()
    }

    /// The first shipped language of an HTTP `Accept-Language` value, in the order given
    /// (quality values are not weighed: clients send their one language first).
    pub fn from_accept_language(header: &str) -> Option<Language> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(|tag| Language::from_tag(tag.trim()))
    }

    /// The primary language subtag, as used in `Accept-Language` and domain settings.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Italian => "it",
        }
    }

    /// Its place in [`Language::ALL`].
    pub fn index(self) -> usize {
        match self {
            Language::English => 0,
            Language::Italian => 1,
        }
    }

    /// The identifier Fluent picks plural rules by (the tags above always parse).
    pub(super) fn identifier(self) -> LanguageIdentifier {
        self.tag().parse().unwrap_or_default()
    }

    /// The Fluent source of the language's messages.
    pub(super) fn source(self) -> &'static str {
        match self {
            Language::English => include_str!("../../../locales/en/deskport.ftl"),
            Language::Italian => include_str!("../../../locales/it/deskport.ftl"),
        }
    }
}
