//! The Portal pane. While the portal is not configured, admins get the four-step setup wizard
//! (name, domain, tickets, access); afterwards the settings in sections (General, Tickets,
//! Access with the contacts and their invitations, Ticket view, Consent notice, Support form,
//! and an overview of everything), each saved with `If-Match` through the client's outbox.
//! Agents see everything read-only. Text rows take typed keys only while being edited.

mod ask;
mod commands;
mod customer_list;
mod draw;
mod fields;
mod form;
mod groups;
mod keys;
mod mail;
mod overview;
mod preview;
mod save;
mod sections;
mod ssh;
mod tasks;
mod values;
mod view_as;
mod wizard;

use crate::client::{Client, View};
use crate::domain::portal::{PortalPatch, PortalSettings};
use crate::domain::wire::PortalFor;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Ask};
use crate::tui::components::widgets::form::Typing;
use crate::tui::components::widgets::list::ListCursor;
use crate::tui::components::{Component, DrawCtx, Outcome, read_only_for_agents};
use crate::tui::keymap::Context;
use crate::tui::msg::{Answer, Done, TaskId, Tasks};
use crossterm::event::KeyEvent;
use fields::Part;
use form::Form;
use ratatui::Frame;
use ratatui::layout::Rect;

/// The settings sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Name, domain and slug, connecting a domain.
    General,
    /// Default inbox and ticket permission.
    Tickets,
    /// Registration and sign-in, and the contacts' invitations.
    Access,
    /// What customers see in their ticket list.
    TicketView,
    /// The consent notice.
    Consent,
    /// The support form's fields.
    SupportForm,
    /// The mail queue, the quarantine and the mail templates (admins).
    Mail,
    /// Every setting, read-only.
    Overview,
}

impl Section {
    const ALL: [Section; 8] = [
        Section::General,
        Section::Tickets,
        Section::Access,
        Section::TicketView,
        Section::Consent,
        Section::SupportForm,
        Section::Mail,
        Section::Overview,
    ];

    fn title(self) -> &'static str {
        match self {
            Section::General => "General",
            Section::Tickets => "Tickets",
            Section::Access => "Access",
            Section::TicketView => "Ticket view",
            Section::Consent => "Consent",
            Section::SupportForm => "Support form",
            Section::Mail => "Mail",
            Section::Overview => "Overview",
        }
    }

    fn part(self) -> Option<Part> {
        match self {
            Section::General => Some(Part::General),
            Section::Tickets => Some(Part::Tickets),
            Section::Access => Some(Part::Access),
            Section::TicketView => Some(Part::TicketView),
            Section::Consent => Some(Part::Consent),
            Section::SupportForm => Some(Part::SupportForm),
            Section::Mail | Section::Overview => None,
        }
    }
}

/// The wizard's steps, in order.
const STEPS: [(Part, &str); 4] = [
    (Part::Name, "Name"),
    (Part::Domain, "Domain"),
    (Part::Tickets, "Tickets"),
    (Part::Access, "Access"),
];

/// A message under the form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    text: String,
    error: bool,
}

impl Message {
    /// The message as drawn under the form: an error in the error style.
    fn line(&self, ctx: DrawCtx<'_>) -> ratatui::text::Line<'static> {
        let style = if self.error {
            ctx.theme.error
        } else {
            ctx.theme.base
        };
        ratatui::text::Line::styled(self.text.clone(), style)
    }
}

/// The Portal pane.
pub struct Portal {
    client: Client,
    read_only: bool,
    section: usize,
    /// Wizard step (0–3), while the wizard runs.
    step: usize,
    form: Form,
    /// The settings the form was filled from (its `If-Match` version).
    base: Option<PortalSettings>,
    /// The wizard's settings so far.
    draft: Option<PortalSettings>,
    message: Option<Message>,
    /// The user said yes to leaving unsaved changes: the next leaving action goes through.
    warned: bool,
    /// "Leave without saving?", while it is asked, with the action that would leave.
    question: Ask<Action>,
    /// Rows of the overview at the last draw.
    rows: usize,
    overview: ListCursor,
    /// Its background work answers through these.
    tasks: Tasks,
    /// Domain connections and invitations on their way; each answer becomes the message.
    reporting: Vec<TaskId>,
    /// The "view as contact" popup, while open.
    viewing: Option<view_as::ViewAs>,
    /// The save waiting for the server's answer.
    saving: Option<save::Saving>,
    /// The Mail section's lists and template edits.
    mail: mail::Mail,
    /// The overview's SSH row (admins).
    ssh: ssh::SshRow,
}

impl Portal {
    /// The pane over `client`'s view; `read_only` for agents; its background work answers
    /// through `tasks`.
    pub fn new(client: Client, read_only: bool, tasks: Tasks) -> Self {
        Portal {
            client,
            read_only,
            section: 0,
            step: 0,
            form: Form::default(),
            base: None,
            draft: None,
            message: None,
            warned: false,
            question: Ask::default(),
            rows: 0,
            overview: ListCursor::default(),
            tasks,
            reporting: Vec::new(),
            viewing: None,
            saving: None,
            mail: mail::Mail::default(),
            ssh: ssh::SshRow::default(),
        }
    }

    fn settings(view: &View) -> Option<PortalSettings> {
        match view.portal.as_ref().map(|m| &m.item) {
            Some(PortalFor::Staff(p)) => Some(p.settings.clone()),
            _ => None,
        }
    }

    /// Whether the setup wizard is (or is about to be) on screen.
    fn in_wizard(&self) -> bool {
        self.draft.is_some() || self.wizard(&self.client.view())
    }

    fn wizard(&self, view: &View) -> bool {
        !self.read_only && Self::settings(view).is_some_and(|s| !s.configured)
    }

    fn current(&self) -> Section {
        Section::ALL[self.section]
    }

    /// Refills the form from the view when nothing is being edited, or when it shows another
    /// part than the one on screen.
    fn refresh(&mut self, view: &View) {
        let Some(settings) = Self::settings(view) else {
            return;
        };
        fields::sync_domain_rows(&mut self.form, view);
        if self.wizard(view) {
            let draft = self.draft.get_or_insert_with(|| settings.clone());
            if self.base.is_none() {
                self.form = Form::new(
                    fields::rows(STEPS[self.step].0, draft, view),
                    Typing::OnEdit,
                );
                self.base = Some(settings);
            }
            return;
        }
        self.draft = None;
        let stale = self.base.as_ref().is_none_or(|b| *b != settings);
        if self.base.is_none() || (stale && !self.dirty() && !self.form.typing()) {
            self.load(&settings, view);
        }
    }

    fn load(&mut self, settings: &PortalSettings, view: &View) {
        let selected = self.form.focus;
        let rows = self
            .current()
            .part()
            .map_or_else(Vec::new, |p| fields::rows(p, settings, view));
        self.form = Form::new(rows, Typing::OnEdit);
        self.form.focus = selected;
        self.base = Some(settings.clone());
    }

    /// The change the form makes to the settings it was filled from.
    fn patch(&self) -> Option<PortalPatch> {
        let base = self.base.as_ref()?;
        let mut after = base.clone();
        fields::apply(&self.form, &mut after);
        let patch = fields::diff(base, &after);
        (patch != PortalPatch::default()).then_some(patch)
    }

    fn dirty(&self) -> bool {
        self.draft.is_none() && self.patch().is_some()
    }

    fn say(&mut self, text: impl Into<String>, error: bool) -> Outcome {
        self.message = Some(Message {
            text: text.into(),
            error,
        });
        Outcome::Changed
    }

    fn refuse(&mut self) -> Outcome {
        self.say(
            read_only_for_agents("only admins change portal settings"),
            true,
        )
    }

    fn switch_section(&mut self, delta: i64) -> Outcome {
        let leaving = if delta > 0 {
            Action::NextStep
        } else {
            Action::PrevStep
        };
        if let Some(o) = self.guard(leaving) {
            return o;
        }
        let n = Section::ALL.len() as i64;
        let at = (self.section as i64 + delta).rem_euclid(n);
        self.section = usize::try_from(at).unwrap_or(0);
        self.base = None;
        self.form = Form::default();
        self.rows = 0;
        self.message = None;
        let client = self.client.clone();
        self.refresh(&client.view());
        Outcome::Changed
    }

    fn total_rows(&self) -> usize {
        if self.current() == Section::Access && self.draft.is_none() {
            self.form.fields.len() + self.client.view().contacts.len()
        } else {
            self.form.fields.len()
        }
    }
}

impl Component for Portal {
    fn contexts(&self) -> &'static [Context] {
        if self.on_mail() {
            self.mail_contexts()
        } else if self.question.asking() {
            confirm::CONTEXTS
        } else if self.form.typing_lines() {
            &[Context::Composer]
        } else if self.form.typing() {
            &[Context::PortalField]
        } else {
            &[Context::Portal]
        }
    }

    fn commands(&self) -> Vec<Command> {
        commands::commands(self)
    }

    fn handle(&mut self, action: Action) -> Outcome {
        if self.question.asking() {
            return self.answer(action);
        }
        if self.on_mail() {
            return self.handle_mail(action);
        }
        if let Some(v) = &mut self.viewing {
            return match action {
                Action::Close => {
                    self.viewing = None;
                    Outcome::Changed
                }
                Action::Down | Action::Up => {
                    v.scroll(if action == Action::Down { 1 } else { -1 });
                    Outcome::Changed
                }
                Action::Quit
                | Action::Help
                | Action::Palette
                | Action::NextTab
                | Action::PrevTab
                | Action::Tab1
                | Action::Tab2
                | Action::Tab3
                | Action::Tab4 => Outcome::Ignored,
                _ => Outcome::Changed,
            };
        }
        if self.form.typing() {
            return self.handle_editing(action);
        }
        self.handle_rows(action)
    }

    fn modal(&self) -> bool {
        self.question.asking()
    }

    fn asking(&self) -> bool {
        self.question.asking()
    }

    fn captures_text(&self) -> bool {
        !self.read_only && (self.form.typing() || self.mail_typing()) && !self.question.asking()
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if self.mail_typing() {
            return self.mail_input(key);
        }
        if self.read_only || !self.form.key(key) {
            return Outcome::Ignored;
        }
        self.warned = false;
        self.message = None;
        Outcome::Changed
    }

    fn paste(&mut self, text: &str) -> Outcome {
        if self.mail_typing() {
            return self.mail_paste(text);
        }
        if !self.read_only && self.form.paste(text) {
            Outcome::Changed
        } else {
            Outcome::Ignored
        }
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        let done = self.mail_background(done)?;
        let done = self.ssh.receive(done)?;
        let done = match &mut self.saving {
            Some(saving) => saving.receive(done)?,
            None => done,
        };
        let done = match &mut self.viewing {
            Some(viewing) => viewing.receive(done, &self.client.view())?,
            None => done,
        };
        let at = self.reporting.iter().position(|t| *t == done.task);
        let Some(at) = at else {
            return Some(done);
        };
        self.reporting.remove(at);
        match done.answer {
            Answer::Report { text, error } => self.message = Some(Message { text, error }),
            other => tracing::warn!("a portal call answered {other:?}"),
        }
        None
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        if self.form.typing() {
            return Outcome::Ignored;
        }
        self.form.focus =
            crate::tui::components::step(self.form.focus, i64::from(rows), self.total_rows());
        Outcome::Changed
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let client = self.client.clone();
        let view = client.view();
        self.refresh(&view);
        self.settle(&view);
        if self.on_mail() {
            mail::draw(self, &view, frame, area, ctx);
        } else {
            draw::draw(self, &view, frame, area, ctx);
        }
        if let Some(v) = &mut self.viewing {
            v.draw(frame, area, ctx);
        }
        self.question.draw(frame, area, ctx);
    }
}
