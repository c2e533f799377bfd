//! The Portal pane's Mail section, for admins: the mail queue (queued, sent, failed with the
//! mail server's answer; a failed mail is retried), the quarantine of mail from unknown
//! senders (accepted or rejected after a yes), and the template editor with its live
//! preview, saved with the portal settings. Lists are fetched in the background through the
//! pane's `Tasks`; a decision's answer becomes the pane's message and the list is fetched again.

mod draw;
mod editor;
mod templates;

pub use draw::draw;

use super::{Message, Portal, Section};
use crate::domain::mail::EmailSettings;
use crate::domain::text::strip_control;
use crate::domain::wire::{MailState, QuarantinedMail, QueuedMail};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Question};
use crate::tui::components::{Outcome, step};
use crate::tui::keymap::Context;
use crate::tui::msg::{Answer, Done, TaskId};
use crossterm::event::KeyEvent;
use editor::Editor;

/// The pages of the Mail section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    /// The mail queue.
    #[default]
    Queue,
    /// Mail from unknown senders waiting for an admin.
    Quarantine,
    /// The template editor.
    Templates,
}

impl Page {
    const ALL: [Page; 3] = [Page::Queue, Page::Quarantine, Page::Templates];

    fn title(self) -> &'static str {
        match self {
            Page::Queue => "Queue",
            Page::Quarantine => "Quarantine",
            Page::Templates => "Templates",
        }
    }
}

/// What the Mail section holds: the lists as last fetched and the editor's edits.
#[derive(Debug, Default)]
pub struct Mail {
    page: Page,
    /// The queue as last fetched, or why it could not be; `None` before the first answer.
    queue: Option<Result<Vec<QueuedMail>, String>>,
    /// The quarantine as last fetched.
    quarantine: Option<Result<Vec<QuarantinedMail>, String>>,
    /// The selected row of the list shown.
    cursor: usize,
    /// Fetches on their way.
    loading: Vec<TaskId>,
    /// Retries and decisions on their way; each answer is said, then the list fetched again.
    acting: Vec<TaskId>,
    /// The editor, once the templates page was opened, and the settings it was filled from.
    editor: Option<(Editor, EmailSettings)>,
}

impl Mail {
    /// Whether the template editor holds edits not saved.
    pub(super) fn dirty(&self) -> bool {
        self.editor
            .as_ref()
            .is_some_and(|(editor, base)| editor.edited() != *base)
    }

    fn typing(&self) -> bool {
        self.editor.as_ref().is_some_and(|(e, _)| e.form.typing())
    }

    fn rows(&self) -> usize {
        match self.page {
            Page::Queue => self
                .queue
                .as_ref()
                .map_or(0, |q| q.as_ref().map_or(0, Vec::len)),
            Page::Quarantine => self
                .quarantine
                .as_ref()
                .map_or(0, |q| q.as_ref().map_or(0, Vec::len)),
            Page::Templates => self.editor.as_ref().map_or(0, |(e, _)| e.form.fields.len()),
        }
    }

    fn selected_mail(&self) -> Option<&QueuedMail> {
        self.queue.as_ref()?.as_ref().ok()?.get(self.cursor)
    }

    fn selected_quarantined(&self) -> Option<&QuarantinedMail> {
        self.quarantine.as_ref()?.as_ref().ok()?.get(self.cursor)
    }
}

impl Portal {
    /// Whether the Mail section is on screen (never during the setup wizard).
    pub(super) fn on_mail(&self) -> bool {
        self.draft.is_none() && self.current() == Section::Mail
    }

    /// The keymap contexts of the Mail section (the pane's question comes first).
    pub(super) fn mail_contexts(&self) -> &'static [Context] {
        match self.mail.editor.as_ref().map(|(e, _)| &e.form) {
            _ if self.question.asking() => confirm::CONTEXTS,
            Some(form) if self.mail.page == Page::Templates && form.typing_lines() => {
                &[Context::Composer]
            }
            Some(form) if self.mail.page == Page::Templates && form.typing() => {
                &[Context::PortalField]
            }
            _ => &[Context::PortalMail],
        }
    }

    /// Whether typed keys are the template editor's text.
    pub(super) fn mail_typing(&self) -> bool {
        self.on_mail() && self.mail.page == Page::Templates && self.mail.typing()
    }

    /// What the Mail section offers now.
    pub(super) fn mail_commands(&self) -> Vec<Command> {
        let mut out = Vec::new();
        if self.mail_typing() {
            let keep = match self.mail_contexts() {
                [Context::Composer] => Action::NextField,
                _ => Action::Confirm,
            };
            return vec![
                Command::labelled(keep, "keep the text"),
                Command::labelled(Action::Close, "cancel the edit"),
                Command::labelled(Action::Save, "keep and save"),
            ];
        }
        if !self.read_only {
            match self.mail.page {
                Page::Queue => out.push(Command::labelled(Action::Retry, "retry the failed mail")),
                Page::Quarantine => {
                    out.push(Command::labelled(Action::Accept, "accept the mail"));
                    out.push(Command::labelled(Action::Decline, "reject the mail"));
                }
                Page::Templates => {
                    out.push(Command::labelled(Action::Confirm, "edit or change the row"));
                    out.push(Command::labelled(Action::Toggle, "change choice"));
                    out.push(Command::labelled(Action::Save, "save the templates"));
                    out.push(Command::labelled(Action::Revert, "discard changes"));
                }
            }
            out.push(Command::labelled(Action::NextQueue, "next mail page"));
            out.push(Command::labelled(Action::PrevQueue, "previous mail page"));
            out.push(Command::labelled(Action::Down, "next row"));
            out.push(Command::labelled(Action::Up, "previous row"));
        }
        out.push(Command::labelled(Action::NextStep, "next section"));
        out.push(Command::labelled(Action::PrevStep, "previous section"));
        out
    }

    /// An action in the Mail section (the pane's question already answered).
    pub(super) fn handle_mail(&mut self, action: Action) -> Outcome {
        if self.mail_typing() {
            return self.handle_template_typing(action);
        }
        match action {
            Action::NextStep | Action::PrevStep => {
                if let Some(held) = self.guard(action) {
                    return held;
                }
                self.mail = Mail::default();
                self.switch_section(if action == Action::NextStep { 1 } else { -1 })
            }
            Action::NextTab
            | Action::PrevTab
            | Action::Tab1
            | Action::Tab2
            | Action::Tab3
            | Action::Tab4
            | Action::Quit => self.guard(action).unwrap_or(Outcome::Ignored),
            _ if self.read_only => Outcome::Ignored,
            Action::NextQueue | Action::PrevQueue => {
                let delta = if action == Action::NextQueue { 1 } else { -1 };
                let n = Page::ALL.len() as i64;
                let at = Page::ALL
                    .iter()
                    .position(|p| *p == self.mail.page)
                    .unwrap_or(0) as i64;
                self.mail.page =
                    Page::ALL[usize::try_from((at + delta).rem_euclid(n)).unwrap_or(0)];
                self.mail.cursor = 0;
                self.message = None;
                self.fetch();
                Outcome::Changed
            }
            Action::Down | Action::Up if self.mail.page != Page::Templates => {
                let delta = if action == Action::Down { 1 } else { -1 };
                self.mail.cursor = step(self.mail.cursor, delta, self.mail.rows());
                Outcome::Changed
            }
            Action::Retry if self.mail.page == Page::Queue => self.retry(),
            Action::Accept | Action::Decline if self.mail.page == Page::Quarantine => {
                self.decide(action)
            }
            _ if self.mail.page == Page::Templates => self.handle_templates(action),
            _ => Outcome::Ignored,
        }
    }

    /// Fetches the list of the page shown.
    pub(super) fn fetch(&mut self) {
        let client = self.client.clone();
        let task = match self.mail.page {
            Page::Queue => self.tasks.spawn(async move {
                Answer::MailQueue(client.api().mail_queue().await.map_err(|e| e.to_string()))
            }),
            Page::Quarantine => self.tasks.spawn(async move {
                Answer::Quarantine(client.api().quarantine().await.map_err(|e| e.to_string()))
            }),
            Page::Templates => return,
        };
        self.mail.loading.push(task);
    }

    /// Fetches the page's list the first time it is shown.
    pub(super) fn fetch_unless_known(&mut self) {
        let known = match self.mail.page {
            Page::Queue => self.mail.queue.is_some(),
            Page::Quarantine => self.mail.quarantine.is_some(),
            Page::Templates => true,
        };
        if !known && self.mail.loading.is_empty() && !self.read_only {
            self.fetch();
        }
    }

    fn retry(&mut self) -> Outcome {
        let Some(mail) = self.mail.selected_mail() else {
            return self.say("No mail selected.", true);
        };
        if mail.state != MailState::Failed {
            let text = format!(
                "Only a failed mail is retried; this one is {}.",
                mail.state.as_str()
            );
            return self.say(text, true);
        }
        let (id, to) = (mail.id, strip_control(&mail.recipient));
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            match client.api().retry_mail(id).await {
                Ok(_) => report(format!("The mail to {to} is queued again."), false),
                Err(e) => report(format!("The mail to {to} was not retried: {e}"), true),
            }
        });
        self.mail.acting.push(task);
        self.say("Retrying…", false)
    }

    /// Accepts or rejects the selected quarantined mail: asks first, and the yes (the same
    /// key again, or the question's yes) comes back as the same action.
    fn decide(&mut self, action: Action) -> Outcome {
        let Some(mail) = self.mail.selected_quarantined() else {
            return self.say("No mail waits in the quarantine.", true);
        };
        let (id, from) = (mail.id, strip_control(&mail.sender));
        let accept = action == Action::Accept;
        if !self.warned {
            let question = if accept {
                Question::new(
                    "Accept mail",
                    format!(
                        "Accept the mail from {from}? They become a contact and it opens a ticket."
                    ),
                )
            } else {
                Question::new(
                    "Reject mail",
                    format!("Reject the mail from {from}? It is dropped and nobody is mailed."),
                )
            };
            self.question.ask_again(question, action, action);
            return Outcome::Changed;
        }
        self.warned = false;
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            match client.api().decide_quarantined(id, accept).await {
                Ok(d) => match d.ticket_id {
                    Some(ticket) => report(
                        format!("Accepted the mail from {from}: ticket #{ticket}."),
                        false,
                    ),
                    None => report(format!("Rejected the mail from {from}."), false),
                },
                Err(e) => report(format!("The mail from {from} is still waiting: {e}"), true),
            }
        });
        self.mail.acting.push(task);
        self.say(
            if accept {
                "Accepting…"
            } else {
                "Rejecting…"
            },
            false,
        )
    }

    /// Takes the answers the Mail section waits for; any other message is given back.
    pub(super) fn mail_background(&mut self, done: Done) -> Option<Done> {
        if let Some(at) = self.mail.loading.iter().position(|t| *t == done.task) {
            self.mail.loading.remove(at);
            match done.answer {
                Answer::MailQueue(list) => self.mail.queue = Some(list),
                Answer::Quarantine(list) => self.mail.quarantine = Some(list),
                other => tracing::warn!("a mail list answered {other:?}"),
            }
            self.mail.cursor = self.mail.cursor.min(self.mail.rows().saturating_sub(1));
            return None;
        }
        let Some(at) = self.mail.acting.iter().position(|t| *t == done.task) else {
            return Some(done);
        };
        self.mail.acting.remove(at);
        match done.answer {
            Answer::Report { text, error } => self.message = Some(Message { text, error }),
            other => tracing::warn!("a mail action answered {other:?}"),
        }
        self.fetch();
        None
    }

    /// Typed keys while a template row is edited.
    pub(super) fn mail_input(&mut self, key: &KeyEvent) -> Outcome {
        let Some((editor, _)) = &mut self.mail.editor else {
            return Outcome::Ignored;
        };
        if !editor.form.key(key) {
            return Outcome::Ignored;
        }
        editor.error = None;
        self.warned = false;
        Outcome::Changed
    }

    /// Pasted text while a template row is edited.
    pub(super) fn mail_paste(&mut self, text: &str) -> Outcome {
        let Some((editor, _)) = &mut self.mail.editor else {
            return Outcome::Ignored;
        };
        if editor.form.paste(text) {
            Outcome::Changed
        } else {
            Outcome::Ignored
        }
    }
}

fn report(text: String, error: bool) -> Answer {
    Answer::Report { text, error }
}
