//! Property tests of the parsers that read text from outside: the sync cursor, routing
//! condition fields and conditions, the Server-Sent-Events stream, key names, and the
//! `config.toml` / `keymap.toml` / `theme.toml` files. None may panic on any input; what they
//! refuse they refuse with a message (and, for files, the file and a line inside it).
//! The Tickets filter and the cursor as the server reads it are in `prop_parsers_live.rs`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use deskport::client::events::{SseEvent, SseParser};
use deskport::domain::routing::{Condition, ConditionField};
use deskport::server::sync::cursor::Cursor;
use deskport::tui::config::Config;
use deskport::tui::keymap::{KeyCombo, Keymap};
use proptest::collection::vec;
use proptest::prelude::*;
use std::str::FromStr;

/// Text shaped like a cursor's plain form: kinds, dots, numbers (signed, huge, hex) and junk.
fn cursor_plain() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        Just("s".to_string()),
        Just("l".to_string()),
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| format!("{n:x}")),
        "[0-9a-fA-F+-]{1,20}",
        ".{0,4}",
    ];
    vec(part, 0..6).prop_map(|parts| parts.join("."))
}

/// Words that often appear in deskport's TOML files, and TOML punctuation.
fn toml_atom() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[global]".to_string()),
        Just("[tickets]".to_string()),
        Just("[list]".to_string()),
        Just("[styles]".to_string()),
        Just("[nope]".to_string()),
        Just("theme".to_string()),
        Just("mouse".to_string()),
        Just("quit".to_string()),
        Just("help".to_string()),
        Just("base".to_string()),
        Just("=".to_string()),
        Just("\"mono\"".to_string()),
        Just("true".to_string()),
        Just("[\"q\", \"ctrl-c\"]".to_string()),
        Just("[\"ctrl-\"]".to_string()),
        Just("{ fg = \"red\", modifiers = [\"bold\"] }".to_string()),
        Just("{ fg = \"nope\" }".to_string()),
        Just("\n".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("# note".to_string()),
        "[a-z_-]{1,10}",
        ".{0,6}",
    ]
}

fn toml_text() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(toml_atom(), 0..30).prop_map(|atoms| atoms.join(" ")),
        vec(toml_atom(), 0..30).prop_map(|atoms| atoms.join("\n")),
        ".{0,200}",
    ]
}

/// Writes `text` as `name` in a fresh config dir and loads the whole config from it; when it
/// is refused, the error names that file, a line inside it (if any) and a reason.
fn check_config_file(name: &str, text: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let file = dir.path().join(name);
    std::fs::write(&file, text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    match Config::load(dir.path(), false, None) {
        Ok(_) => {}
        Err(e) => {
            prop_assert_eq!(&e.file, &file);
            prop_assert!(!e.message.trim().is_empty(), "an empty message");
            if let Some(line) = e.line {
                let lines = text.split('\n').count();
                prop_assert!(
                    (1..=lines).contains(&line),
                    "line {} of a {}-line file",
                    line,
                    lines
                );
            }
            let shown = e.to_string();
            prop_assert!(shown.starts_with(&file.display().to_string()), "{}", shown);
        }
    }
    Ok(())
}

/// SSE text for `events`, with LF or CRLF line ends and comment lines between fields.
fn sse_text(events: &[(String, Vec<String>)], crlf: bool, comments: bool) -> String {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    for (name, data) in events {
        if comments {
            out.push_str(&format!(": keep-alive{nl}"));
        }
        out.push_str(&format!("event: {name}{nl}"));
        for line in data {
            out.push_str(&format!("data: {line}{nl}"));
        }
        out.push_str(nl);
    }
    out
}

/// Feeds `bytes` to a fresh parser in pieces cut at `cuts` (positions, any order).
fn feed_in_pieces(bytes: &[u8], cuts: &[usize]) -> Vec<SseEvent> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    let mut parser = SseParser::default();
    let mut events = Vec::new();
    for pair in at.windows(2) {
        events.extend(parser.feed(&bytes[pair[0]..pair[1]]));
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cursor_decode_never_panics_and_what_it_accepts_is_canonical(plain in cursor_plain()) {
        let text = URL_SAFE_NO_PAD.encode(&plain);
        if let Some(cursor) = Cursor::decode(&text) {
            prop_assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
            match cursor {
                Cursor::Start => prop_assert!(plain.is_empty()),
                Cursor::Live { seq, .. } => prop_assert!(seq >= 0),
                Cursor::Snapshot { seq, after, .. } => prop_assert!(seq >= 0 && after >= 0),
            }
        }
    }

    #[test]
    fn cursor_decode_survives_any_bytes_and_text(bytes in vec(any::<u8>(), 0..64), text in ".{0,80}") {
        let _ = Cursor::decode(&URL_SAFE_NO_PAD.encode(&bytes));
        let _ = Cursor::decode(&text);
    }

    #[test]
    fn snapshot_cursors_round_trip(seq in 0i64..=i64::MAX, after in 0i64..=i64::MAX, fp in any::<u64>()) {
        let c = Cursor::Snapshot { seq, after, fp };
        prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
    }

    #[test]
    fn condition_fields_parse_exactly_the_documented_names(s in prop_oneof![
        "(form:)?[a-z_]{0,12}",
        ".{0,20}",
        Just("form:".to_string()),
    ]) {
        let known = ["subject", "description", "category", "priority", "company", "email_domain", "source"];
        let expected_ok = known.contains(&s.as_str())
            || s.strip_prefix("form:").is_some_and(|k| !k.is_empty());
        match ConditionField::try_from(s.clone()) {
            Ok(field) => {
                prop_assert!(expected_ok, "accepted {:?}", s);
                prop_assert_eq!(String::from(field), s);
            }
            Err(message) => {
                prop_assert!(!expected_ok, "refused {:?}", s);
                prop_assert!(message.contains("unknown condition field"), "{}", message);
            }
        }
    }

    #[test]
    fn conditions_from_any_json_parse_or_fail_with_a_message(
        field in prop_oneof![Just("\"subject\"".to_string()), Just("\"form:plan\"".to_string()), Just("\"form:\"".to_string()), Just("7".to_string()), "\"[a-z:]{0,8}\""],
        op in prop_oneof![Just("\"equals\"".to_string()), Just("\"contains\"".to_string()), Just("\"in\"".to_string()), Just("\"like\"".to_string()), Just("null".to_string())],
        value in prop_oneof![Just("\"x\"".to_string()), Just("[\"a\", \"b\"]".to_string()), Just("[]".to_string()), Just("{}".to_string()), Just("3".to_string()), "\"[^\"\\\\]{0,8}\""],
        extra in prop_oneof![Just(String::new()), Just(", \"other\": 1".to_string())],
    ) {
        let json = format!("{{\"field\": {field}, \"op\": {op}, \"value\": {value}{extra}}}");
        match serde_json::from_str::<Condition>(&json) {
            Ok(c) => {
                prop_assert!(extra.is_empty(), "unknown fields are refused: {}", json);
                let back = serde_json::to_string(&c).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(serde_json::from_str::<Condition>(&back).ok(), Some(c.clone()));
                // Shape errors are messages, not panics.
                if let Err(m) = c.op.check_value(&c.value) {
                    prop_assert!(!m.is_empty());
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn sse_parser_survives_any_bytes_cut_anywhere(bytes in vec(any::<u8>(), 0..300), cuts in vec(any::<usize>(), 0..8)) {
        let whole = SseParser::default().feed(&bytes);
        prop_assert_eq!(feed_in_pieces(&bytes, &cuts), whole);
    }

    #[test]
    fn sse_parser_reads_back_what_a_server_writes(
        events in vec(("[a-z]{1,8}", vec("[^\r\n]{0,12}", 1..4)), 0..6),
        crlf in any::<bool>(),
        comments in any::<bool>(),
        cuts in vec(any::<usize>(), 0..8),
    ) {
        let text = sse_text(&events, crlf, comments);
        let got = feed_in_pieces(text.as_bytes(), &cuts);
        let want: Vec<SseEvent> = events
            .iter()
            .map(|(name, data)| SseEvent { event: name.clone(), data: data.join("\n") })
            .collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn key_names_parse_or_explain(s in prop_oneof![
        "((ctrl|alt|shift|CTRL|Alt)-){0,3}([a-z]|f[0-9]{1,2}|enter|esc|space|pageup|tab|.{0,3})",
        ".{0,10}",
    ]) {
        match KeyCombo::from_str(&s) {
            // Display is the hint bar's label ("PgUp", "Ctrl-C"), not a parseable name.
            Ok(key) => prop_assert!(!key.to_string().is_empty()),
            Err(message) => prop_assert!(message.contains("unknown key"), "{}", message),
        }
    }

    #[test]
    fn config_toml_loads_or_names_file_and_line(text in toml_text()) {
        check_config_file("config.toml", &text)?;
    }

    #[test]
    fn keymap_toml_loads_or_names_file_and_line(text in toml_text()) {
        check_config_file("keymap.toml", &text)?;
        let file = tempfile::NamedTempFile::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(file.path(), &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(e) = Keymap::load(file.path()) {
            prop_assert_eq!(e.file.as_path(), file.path());
        }
    }

    #[test]
    fn theme_toml_loads_or_names_file_and_line(text in toml_text()) {
        check_config_file("theme.toml", &text)?;
    }
}

#[test]
fn a_missing_config_dir_loads_the_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = Config::load(&dir.path().join("absent"), false, None).expect("defaults load");
    assert_eq!(config.keymap, Keymap::defaults().expect("defaults"));
}
