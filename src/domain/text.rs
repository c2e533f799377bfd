//! Text hygiene shared by every place that shows or checks user-supplied text.

/// Removes terminal control and escape sequences from text a customer typed, so drawing it
/// can never set the window title, clear the screen or move the cursor. Newlines and tabs
/// survive (tabs become spaces); every other control character is dropped, and an escape
/// sequence (CSI, OSC, DCS and friends) is dropped whole.
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
            c if c.is_control() => {}
            c => out.push(c),
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
}
