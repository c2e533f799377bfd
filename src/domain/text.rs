//! Text hygiene shared by every place that shows or checks user-supplied text.

/// Removes terminal control and escape sequences from text a customer typed, so drawing it
/// can never set the window title, clear the screen or move the cursor. Newlines and tabs
/// survive (tabs become spaces); every other control character is dropped, and an escape
/// sequence (CSI, OSC, DCS and friends) is dropped whole. Invisible format characters go
/// too (see [`is_invisible_format`]): a bidi override could make a subject read differently
/// from what it says, and zero-width characters could make two names look the same.
pub fn strip_control(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{9e}' | '\u{9f}' | '\u{98}' => {
                skip_until_terminator(&mut chars)
            }
            c if c.is_control() || is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` is a character that changes how the text around it is shown without showing
/// itself: bidi embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C), zero-width spaces and joiners (U+200B–U+200D, U+2060, U+FEFF),
/// and the other invisible operators and deprecated format controls of U+2061–U+206F.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
    )
}

/// Writes each invisible format character of JSON text as a `\uXXXX` escape, so JSON printed
/// to a terminal keeps every value exact (a parser reads the same strings) and still cannot
/// reorder or hide what is shown. Valid because JSON allows such characters only in strings.
pub fn escape_invisible_in_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_invisible_format(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_until_terminator(chars),
        _ => {}
    }
}

/// CSI: parameters and intermediates run until a final byte in `@`..=`~`.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/PM/APC strings run until BEL, ST (`ESC \`) or the C1 ST.
fn skip_until_terminator(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Longest run of non-space characters an error message repeats from its input.
pub const ECHO_WORD_MAX: usize = 64;

/// Bounds text that may repeat what a caller sent (an unknown key, a bad value), so an error
/// answer stays small however large the input was: every run of non-space characters is cut
/// to [`ECHO_WORD_MAX`] characters and the whole to `max_bytes` bytes as JSON encodes them,
/// each cut marked with `…`.
pub fn bound_echo(text: &str, max_bytes: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_bytes));
    let (mut bytes, mut run) = (0, 0);
    for c in text.chars() {
        run = if c.is_whitespace() { 0 } else { run + 1 };
        if run > ECHO_WORD_MAX {
            if run == ECHO_WORD_MAX + 1 {
                out.push('…');
                bytes += '…'.len_utf8();
            }
            continue;
        }
        let cost = match c {
            '"' | '\\' | '\n' | '\t' | '\r' => 2,
            c if c.is_control() => 6,
            c => c.len_utf8(),
        };
        if bytes + cost > max_bytes.saturating_sub('…'.len_utf8()) {
            out.push('…');
            break;
        }
        bytes += cost;
        out.push(c);
    }
    out
}

/// What a stored text becomes after an editor showed it: editors hold text as
/// [`strip_control`] shows it, so an untouched field (its text the stored one as shown) keeps
/// the stored value exactly, invisible characters included, and showing a setting never
/// rewrites it; a field that was edited becomes what was typed.
pub fn kept_unless_edited(stored: &str, typed: &str) -> String {
    if strip_control(stored).trim() == typed.trim() {
        stored.to_string()
    } else {
        typed.to_string()
    }
}

/// Checks an email address the way a help desk needs: one `@`, a non-empty local part and a
/// host with a dot, no spaces or control characters. Returns the address lower-cased.
pub fn normalize_email(input: &str) -> Option<String> {
    let email = input.trim().to_lowercase();
    let (local, host) = email.split_once('@')?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !host.contains('@')
        && is_valid_host(host)
        && host.contains('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    ok.then_some(email)
}

/// A DNS host name: dot-separated labels of `[a-z0-9-]`, 1–63 chars each, no label starting or
/// ending with `-`, 253 chars in all at most.
pub fn is_valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// `text` in at most `width` terminal cells: as it is when it fits, else cut and ending in
/// `…` (wide characters count two cells, combining marks none), so a cut never passes for
/// the whole text.
pub fn cut_to_width(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Each `{word}` placeholder in `text` with its byte range (braces included) and its name;
/// a brace not around a word (letters, digits, `_`) is plain text. Mail templates and saved
/// replies both write placeholders this way, and both check and fill them through this.
pub fn placeholder_spans(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    text.match_indices('{').filter_map(move |(open, _)| {
        let after = &text[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        let word = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        word.then_some((open..open + close + 2, name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_title_and_clear_sequences() {
        let hostile = "Hi\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H there\u{1b}P1;2|x\u{1b}\\!";
        assert_eq!(strip_control(hostile), "Hi there!");
    }

    #[test]
    fn keeps_newlines_and_unicode() {
        assert_eq!(strip_control("Grüße\r\n\tok"), "Grüße\n    ok");
    }

    #[test]
    fn c1_csi_is_removed() {
        assert_eq!(strip_control("a\u{9b}31mb"), "ab");
    }

    #[test]
    fn bidi_controls_and_marks_are_removed() {
        let spoof = "invoice\u{202e}fdp.exe\u{202c} \u{202a}a\u{202b}b\u{202d}c\u{2066}d\u{2067}e\u{2068}f\u{2069}";
        assert_eq!(strip_control(spoof), "invoicefdp.exe abcdef");
        assert_eq!(strip_control("x\u{200e}y\u{200f}z\u{061c}!"), "xyz!");
    }

    #[test]
    fn zero_width_characters_and_nul_are_removed() {
        let hidden = "ad\u{200b}min\u{200c} \u{200d}Ca\u{2060}rla\u{feff}\u{0}!";
        assert_eq!(strip_control(hidden), "admin Carla!");
    }

    #[test]
    fn visible_unicode_next_to_format_ranges_survives() {
        // Neighbours of the removed ranges: en dash, ellipsis, superscript zero, Arabic letters.
        let text = "a\u{2013}b\u{2026}c\u{2070}d \u{0628}\u{061f} \u{1f600}";
        assert_eq!(strip_control(text), text);
    }

    #[test]
    fn json_keeps_invisible_characters_as_escapes() {
        let value = "a\u{202e}b\u{200b}c\u{0}";
        let json = serde_json::to_string(value).unwrap_or_default();
        let escaped = escape_invisible_in_json(&json);
        assert_eq!(escaped, r#""a\u202eb\u200bc\u0000""#);
        let back: String = serde_json::from_str(&escaped).unwrap_or_default();
        assert_eq!(back, value);
    }

    #[test]
    fn echoes_are_bounded_per_word_and_in_all() {
        let key = "k".repeat(10_000);
        let message = format!("unknown field `{key}`, expected `subject`");
        let short = bound_echo(&message, 400);
        assert_eq!(
            short,
            format!("unknown field `{}… expected `subject`", "k".repeat(63))
        );
        let many = "word ".repeat(10_000);
        let short = bound_echo(&many, 400);
        assert!(
            short.len() <= 400 && short.ends_with('…'),
            "{}",
            short.len()
        );
        // JSON writes a NUL as `\u0000`: six bytes each count against the budget.
        let nul = " \u{0}".repeat(1_000);
        let json = serde_json::to_string(&bound_echo(&nul, 400)).unwrap_or_default();
        assert!(json.len() <= 400 + 2, "{}", json.len());
        assert_eq!(bound_echo("is required", 400), "is required");
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Carla@Acme.test ").as_deref(),
            Some("carla@acme.test")
        );
        for bad in ["", "x", "@a.b", "a@", "a@b", "a b@c.d", "a@@b.c", "a@-b.c"] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn cutting_to_a_width_ends_in_an_ellipsis_and_counts_wide_characters() {
        assert_eq!(cut_to_width("Acme", 4), "Acme");
        assert_eq!(cut_to_width("Acme Corporation", 6), "Acme …");
        assert_eq!(cut_to_width("日本語のチケット", 7), "日本語…");
        assert_eq!(cut_to_width("e\u{301}tude", 3), "e\u{301}t…");
        assert_eq!(cut_to_width("abc", 1), "…");
        assert_eq!(cut_to_width("abc", 0), "");
    }

    #[test]
    fn hosts() {
        assert!(is_valid_host("support.acme.test"));
        assert!(!is_valid_host("Acme.test"));
        assert!(!is_valid_host("a..b"));
        assert!(!is_valid_host("-a.b"));
        assert!(!is_valid_host(&"a".repeat(64)));
    }

    #[test]
    fn an_untouched_field_keeps_the_stored_text_an_edited_one_the_typed() {
        let stored = "Desk \u{202e}port\u{202c} Demo";
        assert_eq!(kept_unless_edited(stored, "Desk port Demo"), stored);
        assert_eq!(
            kept_unless_edited(stored, "Desk port Demo 2"),
            "Desk port Demo 2"
        );
        assert_eq!(kept_unless_edited("plain", "plain"), "plain");
    }

    #[test]
    fn placeholder_spans_name_words_in_braces_only() {
        let text = "Hi {first_name}, {not a word} {x}{";
        let found: Vec<_> = placeholder_spans(text).collect();
        assert_eq!(found, vec![(3..15, "first_name"), (30..33, "x")]);
        assert_eq!(&text[3..15], "{first_name}");
    }
}
