//! The reply and internal-note composer: a popup editor over the Tickets pane, soft-wrapped
//! and multi-line. `Ctrl-S` sends through the outbox (the message shows at once in the
//! thread, marked pending); `Esc` closes, asking first (the app's yes/no question) when there
//! is a draft to lose;
//! `Ctrl-E` continues the text in `$EDITOR` and takes back what the editor saved.

use super::thread::Thread;
use super::{Layer, Open, Outcome};
use crate::client::Write;
use crate::domain::wire::MessageInput;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{Answer, Discard, Question};
use crate::tui::components::{DrawCtx, Request};
use crate::tui::editor::{Edited, EditorJob};
use crate::tui::msg::{self, Done, TaskId};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};
use ratatui_textarea::{TextArea, WrapMode};

mod popup;
pub(super) use popup::popup_in_pane;

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
    discard: Discard,
    error: Option<String>,
    /// The external editor's job, until its text comes back.
    editing: Option<TaskId>,
}

impl Composer {
    /// A composer of a reply (or, `internal`, an internal note) on ticket `ticket`.
    pub fn new(ticket: i64, internal: bool) -> Self {
        let mut text = TextArea::default();
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        text.set_placeholder_text(if internal {
            "Write a note for the team; the customer never sees it."
        } else {
            "Write your reply."
        });
        Composer {
            ticket,
            internal,
            text,
            discard: Discard::default(),
            error: None,
            editing: None,
        }
    }

    /// The popup's title, e.g. `Reply to #123`.
    pub fn title(&self) -> String {
        if self.internal {
            format!("Internal note on #{} (staff only)", self.ticket)
        } else {
            format!("Reply to #{}", self.ticket)
        }
    }

    /// The text written so far, lines joined with newlines.
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    /// Whether it is asking whether to discard the draft.
    pub fn asking(&self) -> bool {
        self.discard.asking()
    }

    /// The actions it offers now.
    pub fn commands(&self) -> Vec<Command> {
        if self.asking() {
            return Question::commands();
        }
        vec![
            Command::labelled(Action::Save, "send"),
            Command::labelled(Action::Close, "discard"),
            Command::new(Action::ExternalEditor),
        ]
    }

    /// Sends or closes; other actions are swallowed so keys never leak to the pane.
    pub fn handle(&mut self, action: Action) -> Composed {
        if self.asking() {
            return match self.discard.answer(action) {
                Answer::Yes => Composed::Discarded,
                Answer::No | Answer::Waiting => Composed::Editing,
            };
        }
        match action {
            Action::Close if self.body().trim().is_empty() => return Composed::Discarded,
            Action::Close => {
                let what = if self.internal { "note" } else { "reply" };
                self.discard
                    .ask(Question::new(self.title(), format!("Discard this {what}?")));
            }
            Action::Save => return self.send(),
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
            self.error = Some("Write something first.".into());
            return Composed::Editing;
        }
        if body.chars().count() > MAX_CHARS {
            self.error = Some(format!("At most {MAX_CHARS} characters, please."));
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

    /// A key no binding took: text for the editor (none while the question is open).
    pub fn input(&mut self, key: &KeyEvent) -> Composed {
        if self.asking() {
            return Composed::Editing;
        }
        self.error = None;
        self.text.input(*key);
        Composed::Editing
    }

    /// Takes in what the external editor saved, once it has exited: the saved text replaces
    /// the draft; if the editor failed, the draft stays and the failure is shown. Any other
    /// message is given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
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
            }
            Err(e) => self.error = Some(format!("{e}; your text is kept")),
        }
    }

    /// Pasted text, inserted at the cursor.
    pub fn paste(&mut self, text: &str) {
        if !self.asking() {
            self.error = None;
            let clean: String = text
                .replace("\r\n", "\n")
                .chars()
                .filter(|c| *c == '\n' || !c.is_control())
                .collect();
            self.text.insert_str(clean);
        }
    }

    /// Draws the popup over `area`.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
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
            Line::styled(" Ctrl-S send · Esc discard · Ctrl-E $EDITOR ", theme.muted)
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
        frame.render_widget(&self.text, popup);
        self.discard.draw(frame, popup, ctx);
    }
}

impl super::Tickets {
    /// Opens the composer on the target ticket: a reply, or (`internal`, staff) a note.
    pub(super) fn compose(&mut self, internal: bool) -> Outcome {
        match self.target() {
            Some(t) if self.staff || !internal => {
                self.layer = Some(Layer::Composer(Box::new(Composer::new(t.id(), internal))));
                Outcome::Changed
            }
            _ => Outcome::Ignored,
        }
    }

    /// Applies what the composer made of a key or action: sends, closes or goes on.
    pub(super) fn composed(&mut self, composed: Composed) -> Outcome {
        match composed {
            Composed::Editing => {}
            Composed::External(job) => return Outcome::Request(Request::Editor(job)),
            Composed::Discarded => self.layer = None,
            Composed::Send(write) => {
                self.layer = None;
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
                    self.send(ticket, *write);
                }
            }
        }
        Outcome::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn typed(c: &mut Composer, text: &str) {
        for ch in text.chars() {
            c.input(&KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
        }
    }

    #[test]
    fn sends_the_text_as_a_message_of_the_right_kind() {
        let mut c = Composer::new(12, true);
        assert_eq!(c.title(), "Internal note on #12 (staff only)");
        assert!(matches!(c.handle(Action::Save), Composed::Editing));
        typed(&mut c, "hi");
        c.input(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        typed(&mut c, "there");
        match c.handle(Action::Save) {
            Composed::Send(write) => {
                let Write::Message { ticket_id, input } = *write else {
                    panic!("{write:?}");
                };
                assert_eq!(ticket_id, 12);
                assert_eq!(input.body, "hi\nthere");
                assert!(input.internal);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn escape_asks_before_losing_a_draft() {
        let mut c = Composer::new(3, false);
        assert!(matches!(c.handle(Action::Close), Composed::Discarded));
        let mut c = Composer::new(3, false);
        typed(&mut c, "draft");
        assert!(matches!(c.handle(Action::Close), Composed::Editing));
        assert_eq!(
            c.discard.question().map(Question::text),
            Some("Discard this reply?")
        );
        typed(&mut c, "zz");
        assert!(matches!(c.handle(Action::Save), Composed::Editing));
        assert!(c.asking(), "other keys leave the question open");
        assert!(matches!(c.handle(Action::Close), Composed::Editing));
        assert_eq!(c.body(), "draft", "no keeps the draft");
        assert!(!c.asking());
        c.handle(Action::Close);
        assert!(matches!(c.handle(Action::Confirm), Composed::Discarded));
    }
}
