//! The catalogue's completeness: every shipped language has exactly English's messages, with
//! the same placeholders, and each file parses.

use super::{Arg, Language, format, text};
use fluent_bundle::FluentResource;
use std::collections::{BTreeMap, BTreeSet};

/// Message id → the placeholders (`$name`) its text uses, read from a Fluent source.
fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let starts_message = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        let body = if starts_message {
            let (id, rest) = line.split_once('=').expect("a message line has `=`");
            let id = id.trim().to_string();
            assert!(!out.contains_key(&id), "message {id} is defined twice");
            out.insert(id.clone(), BTreeSet::new());
            current = Some(id);
            rest
        } else if line.starts_with('#') {
            continue;
        } else {
            line
        };
        let Some(id) = &current else { continue };
        let vars = out.get_mut(id).expect("inserted above");
        for piece in body.split('$').skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            vars.insert(name);
        }
    }
    out
}

#[test]
fn every_file_parses() {
    for language in Language::ALL {
        if let Err((_, errors)) = FluentResource::try_new(language.source().to_string()) {
            panic!("locales/{}/deskport.ftl: {errors:?}", language.tag());
        }
    }
}

#[test]
fn every_language_has_exactly_englishs_messages_and_placeholders() {
    let english = messages(Language::English.source());
    assert!(
        english.len() > 100,
        "English has {} messages",
        english.len()
    );
    for language in Language::ALL {
        let other = messages(language.source());
        let tag = language.tag();
        let lacking: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        assert!(lacking.is_empty(), "{tag} lacks {lacking:?}");
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "{tag} has messages English lacks: {extra:?}"
        );
        for (id, vars) in &english {
            assert_eq!(&other[id], vars, "{tag}: placeholders of {id}");
        }
    }
}

#[test]
fn the_parity_check_sees_a_missing_message_and_a_changed_placeholder() {
    let english = messages("a = A { $n }\nb = B\n");
    let other = messages("a = A { $m }\n");
    assert_ne!(english["a"], other["a"]);
    assert!(!other.contains_key("b"));
}

#[test]
fn plurals_follow_the_language() {
    let count = |l, n: i64| {
        format(
            l,
            "tickets-open-closed",
            &[("open", Arg::Number(n)), ("closed", Arg::Number(1))],
        )
    };
    assert_eq!(count(Language::English, 1), "1 open, 1 closed");
    assert_eq!(count(Language::English, 2), "2 open, 1 closed");
    assert_eq!(count(Language::Italian, 1), "1 aperto, 1 chiuso");
    assert_eq!(count(Language::Italian, 2), "2 aperti, 1 chiuso");
}

#[test]
fn a_missing_message_falls_back_to_english_then_to_its_id() {
    assert_eq!(
        text(Language::Italian, "no-such-message"),
        "no-such-message"
    );
    assert_eq!(text(Language::English, "tab-tickets"), "Tickets");
    assert_eq!(text(Language::Italian, "tab-tickets"), "Ticket");
}

#[test]
fn tags_name_languages_by_their_primary_subtag() {
    assert_eq!(Language::from_tag("it_IT.UTF-8"), Some(Language::Italian));
    assert_eq!(Language::from_tag("IT"), Some(Language::Italian));
    assert_eq!(Language::from_tag("en-GB"), Some(Language::English));
    assert_eq!(Language::from_tag("de"), None);
    assert_eq!(Language::or_english("C.UTF-8"), Language::English);
    assert_eq!(
        Language::from_accept_language("de-DE, it;q=0.8, en;q=0.5"),
        Some(Language::Italian)
    );
}
