//! A one-line prompt for a ticket's category or tags, prefilled with the current value and
//! checked the way the server checks it, so a mistake is shown inline instead of being refused
//! later: a category is at most 40 characters on one line (empty: none); tags are separated by
//! commas or spaces, at most 20, each 1–32 of `a-z`, `0-9`, `-` and `_`.

use crate::domain::ticket::{check_category, check_tag};
use crate::domain::wire::StaffTicketPatch;
use crate::tui::action::Action;
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{DrawCtx, centered};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// The most tags a ticket may have.
const MAX_TAGS: usize = 20;

/// What the prompt edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The category.
    Category,
    /// The tags.
    Tags,
}

/// What became of an action given to the prompt.
#[derive(Debug)]
pub enum Prompted {
    /// Still editing (perhaps with an error shown).
    Editing,
    /// Closed without a change.
    Cancelled,
    /// This valid change was entered.
    Done(StaffTicketPatch),
}

/// The open prompt.
#[derive(Debug)]
pub struct Prompt {
    field: Field,
    ticket: i64,
    input: LineInput,
    hint: String,
    error: Option<String>,
}

impl Prompt {
    /// A prompt for `field` of ticket `ticket`, holding `current`; `known` lists values in
    /// use elsewhere, shown as a hint.
    pub fn new(field: Field, ticket: i64, current: &str, known: &[String]) -> Self {
        let hint = match field {
            Field::Category if known.is_empty() => "empty for none".to_string(),
            Field::Category => format!("in use: {}", known.join(", ")),
            Field::Tags => "separate with commas or spaces; a-z 0-9 - _".to_string(),
        };
        Prompt {
            field,
            ticket,
            input: LineInput::with_text(current, false),
            hint,
            error: None,
        }
    }

    /// The ticket it changes.
    pub fn ticket(&self) -> i64 {
        self.ticket
    }

    /// Enter checks and applies, Esc cancels.
    pub fn handle(&mut self, action: Action) -> Prompted {
        match action {
            Action::Close => Prompted::Cancelled,
            Action::Confirm => {
                let text = self.input.text();
                let checked = match self.field {
                    Field::Category => parse_category(text).map(|c| StaffTicketPatch {
                        category: Some(c),
                        ..StaffTicketPatch::default()
                    }),
                    Field::Tags => parse_tags(text).map(|t| StaffTicketPatch {
                        tags: Some(t),
                        ..StaffTicketPatch::default()
                    }),
                };
                match checked {
                    Ok(patch) => Prompted::Done(patch),
                    Err(e) => {
                        self.error = Some(e);
                        Prompted::Editing
                    }
                }
            }
            _ => Prompted::Editing,
        }
    }

    /// Edits the text.
    pub fn input(&mut self, key: &KeyEvent) {
        if self.input.key(key) {
            self.error = None;
        }
    }

    /// Inserts pasted text (line breaks and control characters dropped).
    pub fn paste(&mut self, text: &str) {
        self.input.insert_str(text);
        self.error = None;
    }

    /// Draws the prompt in the middle of `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let name = match self.field {
            Field::Category => "Category",
            Field::Tags => "Tags",
        };
        let popup = centered(area, 60, 5);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(
                format!(" {name} of #{} ", self.ticket),
                ctx.theme.title,
            ));
        let below = match &self.error {
            Some(e) => Line::styled(e.clone(), ctx.theme.error),
            None => Line::styled(self.hint.clone(), ctx.theme.muted),
        };
        let lines = vec![
            self.input.line(ctx.theme.input, true),
            below,
            Line::styled("Enter: apply · Esc: cancel", ctx.theme.muted),
        ];
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

/// The category typed, trimmed, if the server would take it.
pub fn parse_category(text: &str) -> Result<String, String> {
    let category = text.trim();
    if check_category(category) {
        Ok(category.to_string())
    } else {
        Err(format!(
            "a category is at most 40 characters (this has {})",
            category.chars().count()
        ))
    }
}

/// The tags typed (commas or spaces between them, repeats dropped), if the server would take
/// them.
pub fn parse_tags(text: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(|c: char| c == ',' || c.is_whitespace()) {
        if tag.is_empty() || tags.iter().any(|t| t == tag) {
            continue;
        }
        if !check_tag(tag) {
            return Err(format!(
                "\"{tag}\" is not a tag: use 1–32 of a-z, 0-9, - and _"
            ));
        }
        tags.push(tag.to_string());
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("at most {MAX_TAGS} tags (this has {})", tags.len()));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn tags_split_on_commas_and_spaces_and_repeats_go() {
        assert_eq!(
            parse_tags(" vip, billing  late-fee,vip ").unwrap(),
            ["vip", "billing", "late-fee"]
        );
        assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn tags_the_server_would_refuse_are_refused_with_the_reason() {
        let e = parse_tags("ok, Bad").unwrap_err();
        assert!(e.contains("\"Bad\""), "{e}");
        assert!(parse_tags(&"x".repeat(33)).is_err());
        let many: Vec<String> = (0..21).map(|n| format!("t{n}")).collect();
        assert!(
            parse_tags(&many.join(" "))
                .unwrap_err()
                .contains("at most 20")
        );
    }

    #[test]
    fn categories_are_trimmed_and_limited() {
        assert_eq!(parse_category("  billing ").unwrap(), "billing");
        assert_eq!(parse_category("").unwrap(), "");
        assert!(parse_category(&"c".repeat(41)).is_err());
    }

    #[test]
    fn the_prompt_starts_with_the_current_value_and_shows_errors_until_edited() {
        let mut p = Prompt::new(Field::Tags, 5, "vip", &[]);
        p.input(&KeyEvent::new(KeyCode::Char('!'), KeyModifiers::NONE));
        assert!(matches!(p.handle(Action::Confirm), Prompted::Editing));
        assert!(p.error.is_some());
        p.input(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        assert!(p.error.is_none());
        match p.handle(Action::Confirm) {
            Prompted::Done(patch) => assert_eq!(patch.tags, Some(vec!["vip".to_string()])),
            other => panic!("{other:?}"),
        }
        let mut p = Prompt::new(Field::Category, 5, "billing", &[]);
        match p.handle(Action::Confirm) {
            Prompted::Done(patch) => assert_eq!(patch.category.as_deref(), Some("billing")),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.ticket(), 5);
        assert!(matches!(p.handle(Action::Close), Prompted::Cancelled));
    }
}
