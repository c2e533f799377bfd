//! A one-line text field (email, password, palette search): typing, Backspace/Delete,
//! Left/Right/Home/End, and pasted text with its line breaks and control characters removed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};

use crate::domain::text::strip_control;

/// A single-line editable text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position, in characters.
    cursor: usize,
    /// Draw bullets instead of the characters.
    masked: bool,
}

impl LineInput {
    /// An empty field; `masked` for passwords.
    pub fn new(masked: bool) -> Self {
        LineInput {
            text: String::new(),
            cursor: 0,
            masked,
        }
    }

    /// A field holding `text`, cursor at the end.
    pub fn with_text(text: &str, masked: bool) -> Self {
        let mut input = Self::new(masked);
        input.insert_str(text);
        input
    }

    /// The text typed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where the cursor is, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Empties the field.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Inserts text at the cursor, dropping control characters and line breaks.
    pub fn insert_str(&mut self, text: &str) {
        for c in strip_control(text).chars().filter(|c| !c.is_control()) {
            let at = self.byte_at(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
        }
    }

    /// Applies an editing key; returns whether it was one.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if plain => {
                self.insert_str(&c.to_string());
                true
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.clear();
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            KeyCode::Left if self.cursor > 0 => {
                self.cursor -= 1;
                true
            }
            KeyCode::Right if self.cursor < self.text.chars().count() => {
                self.cursor += 1;
                true
            }
            KeyCode::Home => {
                self.cursor = 0;
                true
            }
            KeyCode::End => {
                self.cursor = self.text.chars().count();
                true
            }
            KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right => true,
            _ => false,
        }
    }

    /// The field as a line: the text (or bullets), with the cursor cell reversed when
    /// `focused`.
    pub fn line(&self, style: ratatui::style::Style, focused: bool) -> Line<'static> {
        let shown: Vec<char> = if self.masked {
            vec!['•'; self.text.chars().count()]
        } else {
            self.text.chars().collect()
        };
        let mut spans = Vec::new();
        let before: String = shown[..self.cursor].iter().collect();
        spans.push(Span::styled(before, style));
        if focused {
            let at = shown
                .get(self.cursor)
                .map_or(" ".to_string(), char::to_string);
            spans.push(Span::styled(
                at,
                style.add_modifier(ratatui::style::Modifier::REVERSED),
            ));
            let after: String = shown
                .get(self.cursor + 1..)
                .unwrap_or_default()
                .iter()
                .collect();
            spans.push(Span::styled(after, style));
        } else {
            let after: String = shown[self.cursor..].iter().collect();
            spans.push(Span::styled(after, style));
        }
        Line::from(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut LineInput, code: KeyCode) {
        input.key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut input = LineInput::with_text("ac", false);
        press(&mut input, KeyCode::Left);
        press(&mut input, KeyCode::Char('b'));
        assert_eq!(input.text(), "abc");
        press(&mut input, KeyCode::Backspace);
        press(&mut input, KeyCode::Delete);
        assert_eq!(input.text(), "a");
        press(&mut input, KeyCode::Home);
        press(&mut input, KeyCode::Char('é'));
        assert_eq!(input.text(), "éa");
    }

    #[test]
    fn pasted_escape_sequences_and_newlines_are_dropped() {
        let mut input = LineInput::new(false);
        input.insert_str("a\u{1b}]0;title\u{7}b\nc\u{1b}[2Jd");
        assert_eq!(input.text(), "abcd");
    }

    #[test]
    fn a_masked_field_shows_bullets() {
        let input = LineInput::with_text("pw", true);
        let line = input.line(ratatui::style::Style::new(), false);
        assert_eq!(line.to_string(), "••");
    }
}
