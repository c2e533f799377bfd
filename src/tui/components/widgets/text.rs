//! Text helpers the panes, popups and widgets share: wrapping a text to a width, a
//! "label  value" row with the labels aligned, server text made safe on one line, and a
//! binding's keys as help shows them. They live here rather than in the pane that
//! first needed them, so no pane or widget imports another pane.

use crate::domain::text::strip_control;
use crate::tui::components::DrawCtx;
use crate::tui::keymap::KeyCombo;
use ratatui::text::{Line, Span};

/// A "label  value" row with the labels aligned.
pub fn setting(label: &str, value: String, ctx: DrawCtx<'_>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<22} "), ctx.theme.muted),
        Span::raw(value),
    ])
}

/// Text from the server or a mail made safe to draw on one line: control and escape
/// sequences stripped (see [`strip_control`]), line breaks turned into spaces.
pub fn one_line(text: &str) -> String {
    strip_control(text).replace('\n', " ")
}

/// `text` wrapped at word boundaries to `width` characters (words longer than a line are
/// split); blank lines are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut len = 0;
        for word in paragraph.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            while word.len() > width {
                if len > 0 {
                    out.push(std::mem::take(&mut line));
                    len = 0;
                }
                out.push(word.drain(..width).collect());
            }
            if word.is_empty() {
                continue;
            }
            if len > 0 && len + 1 + word.len() > width {
                out.push(std::mem::take(&mut line));
                len = 0;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            len += word.len();
            line.extend(word);
        }
        out.push(line);
    }
    out
}

/// The keys of a binding as help and hints show them: "j, ↓".
pub fn keys_text(keys: &[KeyCombo]) -> String {
    if keys.is_empty() {
        return "(palette)".to_string();
    }
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words_keeps_blank_lines_and_splits_long_words() {
        assert_eq!(
            wrap("one two three\n\nabcdefgh", 7),
            ["one two", "three", "", "abcdefg", "h"]
        );
    }
}
