//! The app's one yes/no question, asked before anything that loses work or changes many
//! things at once: discarding a reply, a note, a support form or an editor's edits, closing a
//! ticket, a bulk change, deleting. Every pane asks with this widget, so the question looks
//! the same everywhere and takes the same keys (the `[confirm]` keymap section: `y`/`Enter`
//! yes, `n`/`Esc` no).

use crate::tui::action::{Action, Command};
use crate::tui::components::{DrawCtx, centered};
use crate::tui::i18n::t;
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
            Command::worded(Action::Confirm, "confirm-yes"),
            Command::worded(Action::Close, "confirm-no"),
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
        let answers = format!("{yes}: {} · {no}: {}", t("confirm-yes"), t("confirm-no"));
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

/// A yes/no question a pane or editor keeps open until it is answered, with what a yes does
/// (`T`): the one way to ask before dropping edits (the composer's draft, a form's fields,
/// the Routing editors, the Portal settings), deleting, a bulk change or quitting. `again`
/// is the key that asked, when pressing it once more says yes ("Quit?" and `q`).
#[derive(Debug)]
pub struct Ask<T> {
    open: Option<(Question, T, Option<Action>)>,
}

impl<T> Default for Ask<T> {
    fn default() -> Self {
        Ask { open: None }
    }
}

/// What an action made of an open [`Ask`].
#[derive(Debug, PartialEq, Eq)]
pub enum Answered<T> {
    /// Not an answer: help or the palette, which open over the question.
    PassedOn,
    /// Not answered yet: any other key leaves the question open.
    Waiting,
    /// No: the question closed and nothing happens.
    No,
    /// Yes: the question closed; do this.
    Yes(T),
}

impl<T> Ask<T> {
    /// Whether the question is open: every key is then an answer to it.
    pub fn asking(&self) -> bool {
        self.open.is_some()
    }

    /// Opens `question`; a yes does `then`.
    pub fn ask(&mut self, question: Question, then: T) {
        self.open = Some((question, then, None));
    }

    /// Opens `question` asked by the key of `again`, which says yes when pressed again.
    pub fn ask_again(&mut self, question: Question, then: T, again: Action) {
        self.open = Some((question, then, Some(again)));
    }

    /// The open question, if any.
    pub fn question(&self) -> Option<&Question> {
        self.open.as_ref().map(|(question, ..)| question)
    }

    /// What a yes would do, while the question is open.
    pub fn then(&self) -> Option<&T> {
        self.open.as_ref().map(|(_, then, _)| then)
    }

    /// The answers, for the hint bar, help and the palette; quit is listed too when it is
    /// what asked, since it says yes and is offered nowhere else meanwhile.
    pub fn commands(&self) -> Vec<Command> {
        let mut answers = Question::commands();
        if let Some((_, _, Some(Action::Quit))) = &self.open {
            answers.push(Command::new(Action::Quit));
        }
        answers
    }

    /// The answer `action` gives to the open question: a no closes it, a yes closes it and
    /// gives back what to do, help and the palette pass on, anything else leaves it open.
    pub fn answer(&mut self, action: Action) -> Answered<T> {
        let Some((_, _, again)) = &self.open else {
            return Answered::Waiting;
        };
        if matches!(action, Action::Help | Action::Palette) {
            return Answered::PassedOn;
        }
        let answer = if *again == Some(action) {
            Answer::Yes
        } else {
            Question::answer(action)
        };
        match answer {
            Answer::Waiting => Answered::Waiting,
            Answer::No => {
                self.open = None;
                Answered::No
            }
            Answer::Yes => match self.open.take() {
                Some((_, then, _)) => Answered::Yes(then),
                None => Answered::Waiting,
            },
        }
    }

    /// Draws the open question, if any, over `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        if let Some(question) = self.question() {
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
    fn ask_gives_back_what_a_yes_does_and_the_asking_key_says_yes_again() {
        let mut ask = Ask::default();
        ask.ask(Question::new("Delete", "Delete it?"), 7);
        assert_eq!(ask.answer(Action::Help), Answered::PassedOn);
        assert_eq!(ask.answer(Action::Save), Answered::Waiting);
        assert_eq!(ask.answer(Action::Close), Answered::No);
        assert!(!ask.asking());
        ask.ask_again(Question::new("Quit", "Quit?"), 8, Action::Quit);
        assert!(ask.commands().iter().any(|c| c.action == Action::Quit));
        assert_eq!(ask.answer(Action::Quit), Answered::Yes(8));
        assert!(!ask.asking());
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
