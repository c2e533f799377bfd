//! The saved-reply manager (staff), opened from the `:` palette over the Tickets pane: the
//! shared replies and the agent's own, read from the view (pending changes marked); `n` new,
//! `e` edit, `d` delete (asks first), `s` share or unshare (admins). Changes go through the
//! outbox like every other write, so they work offline; the server has the last word (an
//! unknown placeholder is caught here first with the same domain check).

use super::composer::popup_in_pane;
use super::layers::{Layer, Step, editor_contexts};
use crate::client::{Client, Write};
use crate::domain::SavedReply;
use crate::domain::text::strip_control;
use crate::domain::wire::{SavedReplyInput, SavedReplyPatch};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Answered, Ask, Question};
use crate::tui::components::widgets::form::{Field, Form, Typing, Value};
use crate::tui::components::{Component, DrawCtx, Outcome, step};
use crate::tui::keymap::Context;
use crate::tui::msg::{self, Answer, Done, TaskId, Tasks};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// What a yes to the manager's question does.
#[derive(Debug, Clone, Copy)]
enum Then {
    /// Delete this reply.
    Delete(i64),
    /// Drop the form's edits.
    Discard,
}

/// A reply being written: a new one (`id` none) or an existing one.
#[derive(Debug)]
struct Editing {
    id: Option<i64>,
    form: Form<()>,
}

/// The open manager.
#[derive(Debug)]
pub struct RepliesManager {
    client: Client,
    tasks: Tasks,
    admin: bool,
    selected: usize,
    editing: Option<Editing>,
    ask: Ask<Then>,
    message: Option<String>,
    recording: Vec<TaskId>,
    step: Option<Step>,
}

impl RepliesManager {
    /// A manager over `client`'s saved replies; `admin` may change the shared ones.
    pub fn new(client: Client, tasks: Tasks, admin: bool) -> Self {
        RepliesManager {
            client,
            tasks,
            admin,
            selected: 0,
            editing: None,
            ask: Ask::default(),
            message: None,
            recording: Vec::new(),
            step: None,
        }
    }

    fn replies(&self) -> Vec<SavedReply> {
        let view = self.client.view();
        view.saved_replies.iter().map(|r| r.item.clone()).collect()
    }

    fn chosen(&self) -> Option<SavedReply> {
        self.replies().into_iter().nth(self.selected)
    }

    /// The chosen reply if this account may change it, else why not (in `message`).
    fn changeable(&mut self) -> Option<SavedReply> {
        let reply = self.chosen()?;
        if reply.id < 0 {
            self.message = Some("Not on the server yet: change it once it is sent.".into());
            None
        } else if reply.is_shared() && !self.admin {
            self.message = Some("Only admins change shared replies.".into());
            None
        } else {
            Some(reply)
        }
    }

    fn record(&mut self, write: Write) {
        let task = self
            .tasks
            .spawn(msg::record(self.client.clone(), vec![write]));
        self.recording.push(task);
    }

    fn open_form(&mut self, reply: Option<SavedReply>) {
        let (title, body) = reply.as_ref().map_or((String::new(), String::new()), |r| {
            (r.title.clone(), r.body.clone())
        });
        let fields = vec![
            Field::text("Title", &title),
            Field::new((), "Text", Value::Lines(body)),
        ];
        self.editing = Some(Editing {
            id: reply.map(|r| r.id),
            form: Form::new(fields, Typing::Direct),
        });
    }

    /// Checks the form with the domain's rule and records the write; the form stays open
    /// with the problem when the check fails.
    fn save(&mut self) {
        let Some(editing) = &self.editing else {
            return;
        };
        let title = editing.form.text(0).to_string();
        let body = editing.form.text(1).to_string();
        let candidate = SavedReply {
            id: editing.id.unwrap_or(0),
            title: title.clone(),
            body: body.clone(),
            owner_id: None,
        };
        if let Err(e) = candidate.validate() {
            self.message = Some(format!("{}: {}", e.field, e.message));
            return;
        }
        let write = match editing.id {
            Some(id) => Write::PatchSavedReply {
                id,
                patch: SavedReplyPatch {
                    title: Some(title),
                    body: Some(body),
                    shared: None,
                },
            },
            None => Write::CreateSavedReply(SavedReplyInput {
                title,
                body,
                shared: false,
            }),
        };
        self.editing = None;
        self.message = None;
        self.record(write);
    }

    fn act_editing(&mut self, action: Action) {
        let edited = self.editing.as_ref().is_some_and(|e| e.form.is_edited());
        match action {
            Action::NextField | Action::PrevField => {
                if let Some(editing) = &mut self.editing {
                    let next = (editing.form.focus + 1) % 2;
                    editing.form.focus_on(next);
                }
            }
            Action::Save => self.save(),
            Action::Close if edited => {
                let question = Question::new("Saved reply", "Drop your changes?");
                self.ask.ask(question, Then::Discard);
            }
            Action::Close => self.editing = None,
            _ => {}
        }
    }

    fn act_list(&mut self, action: Action) {
        let len = self.replies().len();
        self.message = None;
        match action {
            Action::Down => self.selected = step(self.selected, 1, len),
            Action::Up => self.selected = step(self.selected, -1, len),
            Action::New => self.open_form(None),
            Action::Edit | Action::Confirm => {
                if let Some(reply) = self.changeable() {
                    self.open_form(Some(reply));
                }
            }
            Action::Delete => {
                if let Some(reply) = self.changeable() {
                    let text = format!("Delete \"{}\"?", strip_control(&reply.title));
                    self.ask
                        .ask(Question::new("Saved reply", text), Then::Delete(reply.id));
                }
            }
            Action::Toggle if !self.admin => {
                self.message = Some("Only admins share replies with the team.".into());
            }
            Action::Toggle => {
                if let Some(reply) = self.changeable() {
                    let patch = SavedReplyPatch {
                        shared: Some(!reply.is_shared()),
                        ..SavedReplyPatch::default()
                    };
                    self.record(Write::PatchSavedReply {
                        id: reply.id,
                        patch,
                    });
                }
            }
            Action::Close => self.step = Some(Step::Close),
            _ => {}
        }
    }

    fn draw_list(&self, width: u16, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let view = self.client.view();
        if view.saved_replies.is_empty() {
            return vec![Line::styled(
                "No saved replies yet: n writes one.",
                theme.muted,
            )];
        }
        view.saved_replies
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let scope = if r.item.is_shared() {
                    "shared"
                } else {
                    "yours"
                };
                let pending = if r.pending { " (pending)" } else { "" };
                let title = strip_control(&r.item.title);
                let room = usize::from(width).saturating_sub(scope.len() + pending.len() + 6);
                let title = crate::domain::text::cut_to_width(&title, room);
                let style = if i == self.selected {
                    theme.selected
                } else {
                    theme.popup
                };
                let marker = if i == self.selected { "▶ " } else { "  " };
                Line::from(vec![
                    Span::styled(format!("{marker}{title}"), style),
                    Span::styled(format!("  {scope}{pending}"), theme.muted),
                ])
            })
            .collect()
    }
}

impl Layer for RepliesManager {
    fn take_step(&mut self) -> Option<Step> {
        self.step.take()
    }
}

impl Component for RepliesManager {
    fn contexts(&self) -> &'static [Context] {
        if self.ask.asking() {
            return confirm::CONTEXTS;
        }
        match self.editing {
            Some(_) => editor_contexts(false),
            None => &[Context::SavedReplies, Context::List],
        }
    }

    fn commands(&self) -> Vec<Command> {
        if self.ask.asking() {
            return self.ask.commands();
        }
        if self.editing.is_some() {
            return vec![
                Command::labelled(Action::Save, "save the reply"),
                Command::new(Action::NextField),
                Command::labelled(Action::Close, "back to the list"),
            ];
        }
        let mut commands = vec![
            Command::labelled(Action::New, "new saved reply"),
            Command::labelled(Action::Edit, "edit the reply"),
            Command::labelled(Action::Delete, "delete the reply"),
        ];
        if self.admin {
            commands.push(Command::labelled(Action::Toggle, "share / unshare"));
        }
        commands.extend([
            Command::new(Action::Down),
            Command::new(Action::Up),
            Command::labelled(Action::Close, "close saved replies"),
        ]);
        commands
    }

    fn handle(&mut self, action: Action) -> Outcome {
        if self.ask.asking() {
            match self.ask.answer(action) {
                Answered::Yes(Then::Delete(id)) => self.record(Write::DeleteSavedReply { id }),
                Answered::Yes(Then::Discard) => self.editing = None,
                Answered::No | Answered::Waiting | Answered::PassedOn => {}
            }
        } else if self.editing.is_some() {
            self.act_editing(action);
        } else {
            self.act_list(action);
        }
        Outcome::Changed
    }

    fn asking(&self) -> bool {
        self.ask.asking()
    }

    fn captures_text(&self) -> bool {
        self.editing.is_some() && !self.ask.asking()
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if let Some(editing) = &mut self.editing
            && !self.ask.asking()
        {
            editing.form.key(key);
            self.message = None;
        }
        Outcome::Changed
    }

    fn paste(&mut self, text: &str) -> Outcome {
        if let Some(editing) = &mut self.editing
            && !self.ask.asking()
        {
            editing.form.paste(text);
        }
        Outcome::Changed
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        let at = self.recording.iter().position(|t| *t == done.task)?;
        self.recording.remove(at);
        if let Answer::Recorded(Err(why)) = done.answer {
            self.message = Some(format!("Not saved: {why}"));
        }
        None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let popup = popup_in_pane(frame, area, 90, 22);
        let footer = match &self.message {
            Some(m) => Line::styled(format!(" {m} "), theme.error),
            None => Line::styled(
                " {first_name} {ticket_number} {subject} {agent_name} {portal_url} ",
                theme.muted,
            ),
        };
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border_focused)
            .title(Line::styled(" Saved replies ", theme.title))
            .title_bottom(footer);
        let lines = match &self.editing {
            Some(editing) => editing.form.stacked(ctx).0,
            None => self.draw_list(popup.width, ctx),
        };
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            popup,
        );
        self.ask.draw(frame, popup, ctx);
    }
}
