//! The app's one yes/no question, asked before anything that loses work or changes many
//! things at once: discarding a reply, a note, a support form or an editor's edits, closing a
//! ticket, a bulk change, deleting. Every pane asks with this widget, so the question looks
//! the same everywhere and takes the same keys (the `[confirm]` keymap section: `y`/`Enter`
//! yes, `n`/`Esc` no).

use crate::tui::action::{Action, Command};
use crate::tui::components::{DrawCtx, centered};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

/// The keymap contexts a pane reads while its question is open.
pub const CONTEXTS: &[Context] = &[Context::Confirm];

/// What became of an action given to the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Not answered yet: any other key leaves the question open.
    Waiting,
    /// No: nothing happens.
    No,
    /// Yes: go ahead.
    Yes,
}

/// An open yes/no question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    title: String,
    text: String,
}

impl Question {
    /// Asks `text` ("Close #12?") in a popup titled `title` ("Close ticket").
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Question {
            title: title.into(),
            text: text.into(),
        }
    }

    /// The question asked.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The two answers, for the hint bar, help and the palette.
    pub fn commands() -> Vec<Command> {
        vec![
            Command::labelled(Action::Confirm, "yes"),
            Command::labelled(Action::Close, "no"),
        ]
    }

    /// The answer `action` gives.
    pub fn answer(action: Action) -> Answer {
        match action {
            Action::Confirm => Answer::Yes,
            Action::Close => Answer::No,
            _ => Answer::Waiting,
        }
    }

    /// Draws the question in the middle of `area`, with the keys that answer it.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let keys = |action: Action| {
            ctx.keymap
                .keys(Context::Confirm, action)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("/")
        };
        let (yes, no) = (keys(Action::Confirm), keys(Action::Close));
        let short = |k: &str| k.split('/').next().unwrap_or_default().to_string();
        let asked = format!("{} {}/{}", self.text, short(&yes), short(&no));
        let answers = format!("{yes}: yes · {no}: no");
        let longest = asked.chars().count().max(answers.chars().count());
        let width = u16::try_from(longest + 4)
            .unwrap_or(u16::MAX)
            .clamp(30, 70)
            .min(area.width);
        let inner = usize::from(width.saturating_sub(4)).max(1);
        let rows = asked.chars().count().div_ceil(inner) + answers.chars().count().div_ceil(inner);
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
        let popup = centered(area, width, height);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .padding(Padding::horizontal(1))
            .title(Line::styled(format!(" {} ", self.title), ctx.theme.title))
            .style(ctx.theme.popup);
        let lines = vec![
            Line::from(vec![
                Span::raw(self.text.clone()),
                Span::styled(format!(" {}/{}", short(&yes), short(&no)), ctx.theme.key),
            ]),
            Line::styled(answers, ctx.theme.muted),
        ];
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
            popup,
        );
    }
}

/// The "discard this draft?" step of an editor that would lose typed work on `Esc`. The
/// composer and the support form each hold one, so the question, its keys and what a yes or
/// a no does are the same in both.
#[derive(Debug, Default)]
pub struct Discard {
    question: Option<Question>,
}

impl Discard {
    /// Whether the question is open: every key is then an answer to it.
    pub fn asking(&self) -> bool {
        self.question.is_some()
    }

    /// Opens `question`.
    pub fn ask(&mut self, question: Question) {
        self.question = Some(question);
    }

    /// The open question, if any.
    pub fn question(&self) -> Option<&Question> {
        self.question.as_ref()
    }

    /// The answer `action` gives to the open question: a no closes it and keeps the draft,
    /// a yes means the editor closes, anything else leaves the question open.
    pub fn answer(&mut self, action: Action) -> Answer {
        let answer = Question::answer(action);
        if answer == Answer::No {
            self.question = None;
        }
        answer
    }

    /// Draws the open question, if any, over `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        if let Some(question) = &self.question {
            question.draw(frame, area, ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::components::test_draw::{buffer, rows};
    use crate::tui::keymap::{KeyCombo, Keymap};

    #[test]
    fn y_and_enter_say_yes_n_and_escape_say_no_other_keys_wait() {
        let keymap = Keymap::defaults().unwrap();
        let answer = |key: &str| {
            let combo: KeyCombo = key.parse().unwrap();
            keymap
                .action(Context::Confirm, combo)
                .map_or(Answer::Waiting, Question::answer)
        };
        assert_eq!(answer("y"), Answer::Yes);
        assert_eq!(answer("enter"), Answer::Yes);
        assert_eq!(answer("n"), Answer::No);
        assert_eq!(answer("esc"), Answer::No);
        assert_eq!(answer("x"), Answer::Waiting);
        assert_eq!(Question::answer(Action::Save), Answer::Waiting);
    }

    #[test]
    fn the_question_shows_its_title_text_and_keys() {
        let question = Question::new("Close ticket", "Close #12?");
        let screen = rows(&buffer(60, 8, |f, ctx| question.draw(f, f.area(), ctx)));
        let text = screen.join("\n");
        assert!(text.contains(" Close ticket "), "{text}");
        assert!(text.contains("Close #12? y/n"), "{text}");
        assert!(text.contains("y/Enter: yes · n/Esc: no"), "{text}");
    }
}
