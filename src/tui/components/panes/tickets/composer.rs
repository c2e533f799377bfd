//! The reply and internal-note composer: a popup editor over the Tickets pane, soft-wrapped
//! and multi-line. `Ctrl-S` sends through the outbox (the message shows at once in the
//! thread, marked pending); `Esc` closes, asking first (the app's yes/no question) when there
//! is a draft to lose;
//! `Ctrl-E` continues the text in `$EDITOR` and takes back what the editor saved; for staff,
//! `Ctrl-R` picks a saved reply and inserts it at the cursor with the ticket's details filled
//! in, highlighting each placeholder the ticket has no value for, for the agent to fill.

use super::layers::{Layer, Step, editor_contexts};
use super::thread::Thread;
use super::{Open, Outcome};
use crate::client::{View, ViewTicket, Write};
use crate::domain::SavedReply;
use crate::domain::i18n::Arg;
use crate::domain::saved_reply::{REPLY_PLACEHOLDERS, ReplyValues, fill_reply};
use crate::domain::wire::{MessageInput, PortalFor};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{Answered, Ask, Question};
use crate::tui::components::{Component, DrawCtx, Request};
use crate::tui::editor::{Edited, EditorJob};
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::Context;
use crate::tui::msg::{self, Done, TaskId};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};
use ratatui_textarea::{TextArea, WrapMode};

mod popup;
mod reply_picker;
pub(super) use popup::popup_in_pane;
use reply_picker::{Picked, ReplyPicker};

/// The longest message the server takes, in characters.
const MAX_CHARS: usize = 20_000;

/// What became of an action or key given to the composer.
#[derive(Debug)]
pub enum Composed {
    /// Still writing.
    Editing,
    /// Closed without sending.
    Discarded,
    /// Send this write.
    Send(Box<Write>),
    /// Continue the text in the external editor.
    External(EditorJob),
}

/// The open composer.
#[derive(Debug)]
pub struct Composer {
    ticket: i64,
    internal: bool,
    text: TextArea<'static>,
    /// "Discard this reply?", while it is asked.
    discard: Ask<()>,
    error: Option<String>,
    /// The external editor's job, until its text comes back.
    editing: Option<TaskId>,
    /// What it finished with, for the pane.
    step: Option<Step>,
    /// Staff: the saved replies and what their placeholders become on this ticket.
    saved: Option<Saved>,
    /// The saved-reply picker, while it is open.
    picker: Option<ReplyPicker>,
}

/// The saved replies a staff composer offers, as the view held them when it opened.
#[derive(Debug)]
struct Saved {
    replies: Vec<SavedReply>,
    values: ReplyValues,
}

/// What a saved reply's placeholders become on `ticket`, from the view: the requester, the
/// ticket, the signed-in agent and the portal's address.
fn reply_values(view: &View, ticket: &ViewTicket) -> ReplyValues {
    let portal_url = view.portal.as_ref().map(|p| match &p.item {
        PortalFor::Staff(s) => s.portal_url.clone(),
        PortalFor::Public(p) => p.portal_url.clone(),
    });
    ReplyValues {
        contact_name: Some(ticket.requester().to_string()),
        ticket_number: Some(ticket.id()),
        subject: Some(ticket.subject().to_string()),
        agent_name: Some(view.account.name.clone()),
        portal_url,
    }
}

impl Composer {
    /// A composer of a reply (or, `internal`, an internal note) on ticket `ticket`.
    pub fn new(ticket: i64, internal: bool) -> Self {
        let mut text = TextArea::default();
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        text.set_placeholder_text(t(if internal {
            "composer-placeholder-note"
        } else {
            "composer-placeholder-reply"
        }));
        Composer {
            ticket,
            internal,
            text,
            discard: Ask::default(),
            error: None,
            editing: None,
            step: None,
            saved: None,
            picker: None,
        }
    }

    /// Offers `replies` (`Ctrl-R`), filled in with `values`.
    fn with_saved_replies(mut self, replies: Vec<SavedReply>, values: ReplyValues) -> Self {
        self.saved = Some(Saved { replies, values });
        self.highlight_placeholders();
        self
    }

    /// Marks every known placeholder still in the text, so one left unfilled is seen.
    fn highlight_placeholders(&mut self) {
        if self.saved.is_none() {
            return;
        }
        let names: Vec<&str> = REPLY_PLACEHOLDERS.iter().map(|(name, _)| *name).collect();
        let pattern = format!(r"\{{({})\}}", names.join("|"));
        if let Err(e) = self.text.set_search_pattern(pattern) {
            tracing::warn!("the placeholder pattern does not compile: {e}");
        }
    }

    /// Takes an action while the picker is open: a chosen reply goes in at the cursor.
    fn pick(&mut self, action: Action) {
        let Some(picker) = &mut self.picker else {
            return;
        };
        match picker.act(action) {
            Picked::Open => {}
            Picked::Closed => self.picker = None,
            Picked::Chosen(body) => {
                self.picker = None;
                if let Some(saved) = &self.saved {
                    self.text.insert_str(fill_reply(&body, &saved.values));
                }
            }
        }
    }

    /// The popup's title, e.g. `Reply to #123`.
    pub fn title(&self) -> String {
        let id = [("id", Arg::Number(self.ticket))];
        if self.internal {
            tf("composer-title-note", &id)
        } else {
            tf("composer-title-reply", &id)
        }
    }

    /// The text written so far, lines joined with newlines.
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    /// Sends or closes; other actions are swallowed so keys never leak to the pane.
    fn act(&mut self, action: Action) -> Composed {
        if self.picker.is_some() {
            self.pick(action);
            return Composed::Editing;
        }
        if self.asking() {
            return match self.discard.answer(action) {
                Answered::Yes(()) => Composed::Discarded,
                Answered::No | Answered::Waiting | Answered::PassedOn => Composed::Editing,
            };
        }
        match action {
            Action::Close if self.body().trim().is_empty() => return Composed::Discarded,
            Action::Close => {
                let question = t(if self.internal {
                    "composer-discard-note"
                } else {
                    "composer-discard-reply"
                });
                self.discard.ask(Question::new(self.title(), question), ());
            }
            Action::Save => return self.send(),
            Action::SavedReplies => {
                if let Some(saved) = &self.saved {
                    self.error = None;
                    self.picker = Some(ReplyPicker::new(saved.replies.clone()));
                }
            }
            Action::ExternalEditor => {
                let job = EditorJob::new(self.body());
                self.editing = Some(job.task());
                self.error = None;
                return Composed::External(job);
            }
            _ => {}
        }
        Composed::Editing
    }

    fn send(&mut self) -> Composed {
        let body = self.body();
        let len = body.trim().chars().count();
        if len == 0 {
            self.error = Some(t("composer-empty"));
            return Composed::Editing;
        }
        if body.chars().count() > MAX_CHARS {
            self.error = Some(tf("composer-too-long", &[("max", Arg::from(MAX_CHARS))]));
            return Composed::Editing;
        }
        Composed::Send(Box::new(Write::Message {
            ticket_id: self.ticket,
            input: MessageInput {
                body,
                internal: self.internal,
            },
        }))
    }

    /// Takes in what the external editor saved, once it has exited: the saved text replaces
    /// the draft; if the editor failed, the draft stays and the failure is shown. Any other
    /// message is given back.
    fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.editing) {
            Ok(msg::Answer::Edited(edited)) => {
                self.editing = None;
                self.finish_editing(edited);
                None
            }
            Ok(other) => {
                tracing::warn!("the external editor answered {other:?}");
                None
            }
            Err(done) => Some(done),
        }
    }

    fn finish_editing(&mut self, edited: Edited) {
        match edited {
            Ok(text) => {
                let mut area = TextArea::new(text.split('\n').map(str::to_string).collect());
                area.set_wrap_mode(WrapMode::WordOrGlyph);
                area.set_placeholder_text(self.text.placeholder_text().to_string());
                area.move_cursor(ratatui_textarea::CursorMove::Bottom);
                area.move_cursor(ratatui_textarea::CursorMove::End);
                self.text = area;
                self.highlight_placeholders();
            }
            Err(e) => {
                let why = e.to_string();
                self.error = Some(tf("composer-editor-failed", &[("why", Arg::Text(&why))]));
            }
        }
    }

    /// Draws the popup over `area`.
    fn draw_popup(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let popup = popup_in_pane(frame, area, 100, 24);
        let theme = ctx.theme;
        let border = if self.internal {
            theme.warning
        } else {
            theme.border_focused
        };
        let footer = if let Some(e) = &self.error {
            Line::styled(format!(" {e} "), theme.error)
        } else {
            Line::styled(format!(" {} ", t("composer-hint")), theme.muted)
        };
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(border)
            .title(Line::styled(format!(" {} ", self.title()), theme.title))
            .title_bottom(footer);
        self.text.set_block(block);
        self.text.set_placeholder_style(theme.muted);
        self.text
            .set_cursor_line_style(ratatui::style::Style::default());
        self.text.set_search_style(
            theme
                .warning
                .add_modifier(ratatui::style::Modifier::REVERSED),
        );
        frame.render_widget(&self.text, popup);
        self.discard.draw(frame, popup, ctx);
        if let Some(picker) = &self.picker {
            picker.draw(frame, popup, ctx);
        }
    }
}

impl Layer for Composer {
    fn take_step(&mut self) -> Option<Step> {
        self.step.take()
    }
}

impl Component for Composer {
    fn contexts(&self) -> &'static [Context] {
        if self.picker.is_some() {
            return &[Context::Palette];
        }
        editor_contexts(self.asking())
    }

    fn commands(&self) -> Vec<Command> {
        if self.picker.is_some() {
            return ReplyPicker::commands();
        }
        if self.asking() {
            return self.discard.commands();
        }
        let mut commands = vec![
            Command::worded(Action::Save, "form-cmd-send"),
            Command::worded(Action::Close, "composer-cmd-discard"),
            Command::new(Action::ExternalEditor),
        ];
        if self.saved.is_some() {
            commands.push(Command::new(Action::SavedReplies));
        }
        commands
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match self.act(action) {
            Composed::Editing => {}
            Composed::External(job) => return Outcome::Request(Request::Editor(job)),
            Composed::Discarded => self.step = Some(Step::Close),
            Composed::Send(write) => self.step = Some(Step::Reply(write)),
        }
        Outcome::Changed
    }

    /// Whether it is asking whether to discard the draft.
    fn asking(&self) -> bool {
        self.discard.asking()
    }

    fn captures_text(&self) -> bool {
        !self.asking()
    }

    /// A key no binding took: text for the editor (none while the question is open).
    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if let Some(picker) = &mut self.picker {
            picker.input(key);
        } else if !self.asking() {
            self.error = None;
            self.text.input(*key);
        }
        Outcome::Changed
    }

    /// Pasted text, inserted at the cursor.
    fn paste(&mut self, text: &str) -> Outcome {
        if let Some(picker) = &mut self.picker {
            picker.paste(text);
        } else if !self.asking() {
            self.error = None;
            let clean: String = text
                .replace("\r\n", "\n")
                .chars()
                .filter(|c| *c == '\n' || !c.is_control())
                .collect();
            self.text.insert_str(clean);
        }
        Outcome::Changed
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        self.receive(done)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        self.draw_popup(frame, area, ctx);
    }
}

impl super::Tickets {
    /// Opens the composer on the target ticket: a reply, or (`internal`, staff) a note.
    pub(super) fn compose(&mut self, internal: bool) -> Outcome {
        match self.target() {
            Some(t) if self.staff => {
                let composer = {
                    let view = self.client.view();
                    let replies = view.saved_replies.iter().map(|r| r.item.clone()).collect();
                    Composer::new(t.id(), internal)
                        .with_saved_replies(replies, reply_values(&view, &t))
                };
                self.open_layer(composer);
                Outcome::Changed
            }
            Some(t) if !internal => {
                self.open_layer(Composer::new(t.id(), false));
                Outcome::Changed
            }
            _ => Outcome::Ignored,
        }
    }

    /// Sends the composer's reply or note on its ticket, showing the ticket's thread
    /// scrolled to the end, where the message shows at once.
    pub(super) fn reply(&mut self, write: Write) {
        if let Some(ticket) = write.ticket_id() {
            match &mut self.open {
                Some(open) => open.scroll = u16::MAX,
                None => {
                    let thread = Thread::load(&self.client, ticket, &self.tasks);
                    self.open = Some(Open {
                        thread,
                        scroll: u16::MAX,
                    });
                }
            }
            self.send(ticket, write);
        }
    }
}

#[cfg(test)]
mod tests;
