//! The Account tab's SSH keys: the account's public keys (comment and fingerprint), read from
//! the server when the pane opens; `a` opens a one-line prompt to paste a `.pub` line into,
//! `d` on a key's row asks, then removes it. The server checks each key; its refusal is
//! shown in the prompt, which stays open with what was pasted.

use crate::client::Client;
use crate::domain::text::{cut_to_width, strip_control};
use crate::domain::wire::SshKeyOut;
use crate::tui::action::Command;
use crate::tui::components::popups::confirm::{Ask, Question};
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::widgets::text::setting;
use crate::tui::components::{DrawCtx, centered};
use crate::tui::i18n::{t, tf};
use crate::tui::msg::{Answer, Done, TaskId, Tasks};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph, Wrap};

/// The prompt's width, in cells.
const WIDTH: u16 = 72;

/// The keys section's state.
#[derive(Debug, Default)]
pub struct SshKeys {
    /// The keys, once read.
    keys: Option<Vec<SshKeyOut>>,
    /// The read, addition or removal on its way.
    task: Option<TaskId>,
    /// Why the last call failed (shown in the prompt while it is open, else in the section).
    problem: Option<String>,
    /// The paste prompt, while open.
    adding: Option<LineInput>,
    /// "Delete this key?", with the key's id.
    ask: Ask<i64>,
}

impl SshKeys {
    /// Reads the account's keys from the server.
    pub fn load(client: &Client, tasks: &Tasks) -> Self {
        let mut keys = SshKeys::default();
        let c = client.clone();
        keys.start(tasks, async move { c.api().ssh_keys().await });
        keys
    }

    fn start<F>(&mut self, tasks: &Tasks, call: F)
    where
        F: Future<Output = Result<Vec<SshKeyOut>, crate::client::ApiError>> + Send + 'static,
    {
        self.task = Some(
            tasks.spawn(async move { Answer::SshKeys(call.await.map_err(|e| e.to_string())) }),
        );
    }

    /// How many keys are listed.
    pub fn count(&self) -> usize {
        self.keys.as_ref().map_or(0, Vec::len)
    }

    /// Whether the paste prompt is open.
    pub fn adding(&self) -> bool {
        self.adding.is_some()
    }

    /// Whether "Delete this key?" is open.
    pub fn asking(&self) -> bool {
        self.ask.asking()
    }

    /// The answers to the open question, for the hint bar, help and the palette.
    pub fn ask_commands(&self) -> Vec<Command> {
        self.ask.commands()
    }

    /// The open question, for its answers.
    pub fn ask(&mut self) -> &mut Ask<i64> {
        &mut self.ask
    }

    /// Opens the paste prompt.
    pub fn open_prompt(&mut self) {
        self.adding = Some(LineInput::new(false));
        self.problem = None;
    }

    /// Closes the paste prompt, dropping what was pasted.
    pub fn close_prompt(&mut self) {
        self.adding = None;
        self.problem = None;
    }

    /// A key typed into the open prompt; whether it was taken.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        self.adding.as_mut().is_some_and(|input| input.key(key))
    }

    /// Text pasted into the open prompt (a `.pub` file's line; its line break is dropped).
    pub fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.adding {
            input.insert_str(text.trim());
        }
    }

    /// Sends the pasted line to the server; the prompt closes once the server took it.
    pub fn submit(&mut self, client: &Client, tasks: &Tasks) {
        let Some(line) = self.adding.as_ref().map(|i| i.text().trim().to_string()) else {
            return;
        };
        if line.is_empty() {
            self.problem = Some(t("keys-paste-first"));
            return;
        }
        let c = client.clone();
        self.start(tasks, async move {
            c.api().add_ssh_key(&line).await?;
            c.api().ssh_keys().await
        });
    }

    /// Asks before removing the key at `index` of the list.
    pub fn ask_delete(&mut self, index: usize) {
        let Some(key) = self.keys.as_ref().and_then(|k| k.get(index)) else {
            return;
        };
        let question = Question::new(
            t("keys-delete-title"),
            tf(
                "keys-delete-question",
                &[("fingerprint", (&key.fingerprint).into())],
            ),
        );
        self.ask.ask(question, key.id);
    }

    /// Removes key `id` on the server (a yes to the question).
    pub fn delete(&mut self, id: i64, client: &Client, tasks: &Tasks) {
        let c = client.clone();
        self.start(tasks, async move {
            c.api().delete_ssh_key(id).await?;
            c.api().ssh_keys().await
        });
    }

    /// Takes the server's answer: the list as it is now, or why the call failed.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(Answer::SshKeys(Ok(keys))) => {
                self.task = None;
                self.keys = Some(keys);
                self.adding = None;
                self.problem = None;
                None
            }
            Ok(Answer::SshKeys(Err(why))) => {
                self.task = None;
                self.problem = Some(why);
                None
            }
            Ok(_) => {
                self.task = None;
                None
            }
            Err(done) => Some(done),
        }
    }

    /// The section's lines: a title, then one row per key (comment, then fingerprint), or
    /// what stands instead; `width` is the pane's inner width.
    pub fn lines(&self, ctx: DrawCtx<'_>, width: usize) -> Vec<Line<'static>> {
        let mut out = vec![Line::styled(t("keys-title"), ctx.theme.title)];
        let room = width.saturating_sub(super::VALUE_INDENT);
        match &self.keys {
            None => out.push(Line::styled(t("account-loading"), ctx.theme.muted)),
            Some(keys) if keys.is_empty() => {
                out.push(Line::styled(t("keys-none"), ctx.theme.muted));
            }
            Some(keys) => out.extend(keys.iter().map(|key| {
                let comment = match strip_control(&key.comment) {
                    c if c.is_empty() => key.algorithm.clone(),
                    c => c,
                };
                setting(
                    &cut_to_width(&comment, 22),
                    cut_to_width(&key.fingerprint, room),
                    ctx,
                )
            })),
        }
        if let (Some(why), None) = (&self.problem, &self.adding) {
            out.push(Line::styled(strip_control(why), ctx.theme.error));
        }
        out
    }

    /// Draws the paste prompt or the question, if open, over `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        self.ask.draw(frame, area, ctx);
        let Some(input) = &self.adding else {
            return;
        };
        let theme = ctx.theme;
        // The refusal sits above the pasted line, which wraps over several rows (a key
        // with its comment takes three at 80 columns) and would push it out of sight.
        let said = match (&self.problem, self.task) {
            (Some(why), _) => Line::styled(strip_control(why), theme.error),
            (None, Some(_)) => Line::styled(t("keys-adding"), theme.muted),
            (None, None) => Line::from(Span::styled(t("keys-paste-hint"), theme.muted)),
        };
        let lines = vec![
            Line::styled(t("keys-paste"), theme.muted),
            said,
            Line::default(),
            input.line(theme.input, true),
        ];
        let popup = centered(area, WIDTH, 8);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border_focused)
            .padding(Padding::horizontal(1))
            .title(Line::styled(
                format!(" {} ", t("keys-add-title")),
                theme.title,
            ));
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
            popup,
        );
    }
}
