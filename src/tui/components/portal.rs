//! The Portal pane. While the portal is not configured, admins get the four-step setup wizard
//! (name, domain, tickets, access); afterwards the settings in sections (General, Tickets,
//! Access with the contacts and their invitations, and an overview of the rest), each saved
//! with `If-Match` through the client's outbox. Agents see everything read-only.

mod draw;
mod fields;
mod form;
mod overview;
mod tasks;
mod wizard;

pub use overview::setting;

use super::list::ListCursor;
use super::{Component, DrawCtx, Outcome};
use crate::client::{Client, OutboxState, Resolution, View, Write, WriteId};
use crate::domain::portal::{PortalPatch, PortalSettings};
use crate::domain::wire::PortalFor;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;
use fields::Part;
use form::{FieldId, Form};
use ratatui::Frame;
use ratatui::layout::Rect;
use tasks::Slot;

/// The settings sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Name, domain and slug, connecting a domain.
    General,
    /// Default inbox and ticket permission.
    Tickets,
    /// Registration and sign-in, and the contacts' invitations.
    Access,
    /// Every setting, read-only.
    Overview,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::General,
        Section::Tickets,
        Section::Access,
        Section::Overview,
    ];

    fn title(self) -> &'static str {
        match self {
            Section::General => "General",
            Section::Tickets => "Tickets",
            Section::Access => "Access",
            Section::Overview => "Overview",
        }
    }

    fn part(self) -> Option<Part> {
        match self {
            Section::General => Some(Part::General),
            Section::Tickets => Some(Part::Tickets),
            Section::Access => Some(Part::Access),
            Section::Overview => None,
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
    /// The user was told about unsaved changes and may now leave.
    warned: bool,
    /// Rows of the overview at the last draw.
    rows: usize,
    overview: ListCursor,
    results: Slot,
}

impl Portal {
    /// The pane over `client`'s view; `read_only` for agents.
    pub fn new(client: Client, read_only: bool) -> Self {
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
            rows: 0,
            overview: ListCursor::default(),
            results: Slot::default(),
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
                self.form = Form::new(fields::rows(STEPS[self.step].0, draft, view));
                self.base = Some(settings);
            }
            return;
        }
        self.draft = None;
        let stale = self.base.as_ref().is_none_or(|b| *b != settings);
        if self.base.is_none() || (stale && !self.dirty()) {
            self.load(&settings, view);
        }
    }

    fn load(&mut self, settings: &PortalSettings, view: &View) {
        let selected = self.form.selected;
        let rows = self
            .current()
            .part()
            .map_or_else(Vec::new, |p| fields::rows(p, settings, view));
        self.form = Form::new(rows);
        self.form.selected = selected;
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
        self.say("Read-only: only admins change portal settings.", true)
    }

    /// The latest portal write the server refused or found in conflict.
    fn trouble(view: &View) -> Option<(WriteId, OutboxState)> {
        view.outbox
            .iter()
            .rev()
            .find(|e| matches!(e.write, Write::PatchPortal { .. }) && !e.is_pending())
            .map(|e| (e.id, e.state.clone()))
    }

    fn submit(&mut self, base_version: i64, patch: PortalPatch) {
        tasks::submit(
            &self.client,
            Write::PatchPortal {
                base_version,
                patch,
            },
        );
        self.base = None;
        self.warned = false;
    }

    fn save(&mut self) -> Outcome {
        let view = self.client.view();
        if let Some((id, OutboxState::Conflict(_))) = Self::trouble(&view) {
            drop(view);
            tasks::resolve(&self.client, id, Resolution::ApplyMine);
            return self.say("Saving your version over the server's…", false);
        }
        let (Some(base), Some(patch)) = (self.base.clone(), self.patch()) else {
            drop(view);
            return self.say("Nothing to save.", false);
        };
        let mut after = base.clone();
        fields::apply(&self.form, &mut after);
        let inbox_ids: Vec<i64> = view.inboxes.keys().copied().collect();
        let checked = after.validate(&view.domains, &inbox_ids);
        drop(view);
        if let Err(e) = checked {
            return self.say(
                format!("Not saved: {} {}.", fields::human(&e.field), e.message),
                true,
            );
        }
        self.submit(base.version, patch);
        self.say(format!("Saving {}…", self.current().title()), false)
    }

    fn revert(&mut self) -> Outcome {
        let trouble = Self::trouble(&self.client.view());
        if let Some((id, _)) = trouble {
            tasks::resolve(&self.client, id, Resolution::KeepTheirs);
        }
        self.base = None;
        self.warned = false;
        self.say("Changes discarded; showing the server's settings.", false)
    }

    fn switch_section(&mut self, delta: i64) -> Outcome {
        if let Some(o) = self.guard() {
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

    /// Holds the user back once when leaving unsaved changes.
    fn guard(&mut self) -> Option<Outcome> {
        if self.dirty() && !self.warned {
            self.warned = true;
            return Some(self.say(
                "Unsaved changes: Ctrl-S saves, Ctrl-R discards; the same key again leaves without saving.",
                true,
            ));
        }
        self.warned = false;
        None
    }

    fn confirm(&mut self) -> Outcome {
        let fields = self.form.fields.len();
        if self.form.selected >= fields {
            let index = self.form.selected - fields;
            return tasks::invite(&self.client, index, &self.results)
                .map_or(Outcome::Ignored, |t| self.say(t, false));
        }
        match self.form.current().map(|f| f.id) {
            Some(FieldId::NewHost | FieldId::NewLanguage) => {
                let host = self.form.get(FieldId::NewHost).trim().to_lowercase();
                let language = self.form.get(FieldId::NewLanguage).trim().to_string();
                match tasks::add_domain(&self.client, host, language, &self.results) {
                    Ok(text) => {
                        self.form.set_text(FieldId::NewHost, "");
                        self.say(text, false)
                    }
                    Err(text) => self.say(text, true),
                }
            }
            _ if self.form.cycle() => {
                fields::sync_filter_rows(&mut self.form);
                Outcome::Changed
            }
            _ => {
                self.form.step(1);
                Outcome::Changed
            }
        }
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
        &[Context::Portal]
    }

    fn commands(&self) -> Vec<Command> {
        draw::commands(self)
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let wizard = self.draft.is_some();
        let editing = !self.read_only && (wizard || self.current() != Section::Overview);
        match action {
            Action::NextTab | Action::PrevTab | Action::Tab1 | Action::Tab2 | Action::Tab3 => {
                self.guard().unwrap_or(Outcome::Ignored)
            }
            Action::Quit => self.guard().unwrap_or(Outcome::Ignored),
            Action::NextStep if wizard => self.wizard_step(1),
            Action::PrevStep if wizard => self.wizard_step(-1),
            Action::Save if wizard => self.wizard_step(1),
            Action::NextStep => self.switch_section(1),
            Action::PrevStep => self.switch_section(-1),
            Action::Down | Action::Up if self.current() == Section::Overview && !wizard => {
                draw::scroll_overview(self, action)
            }
            Action::Down => {
                self.form.selected = super::step(self.form.selected, 1, self.total_rows());
                Outcome::Changed
            }
            Action::Up => {
                self.form.selected = super::step(self.form.selected, -1, self.total_rows());
                Outcome::Changed
            }
            Action::Confirm if self.read_only && self.form.selected < self.form.fields.len() => {
                Outcome::Ignored
            }
            Action::Confirm | Action::Toggle | Action::Save | Action::Revert if !editing => {
                self.refuse()
            }
            Action::Confirm => self.confirm(),
            Action::Toggle => {
                if self.form.cycle() {
                    fields::sync_filter_rows(&mut self.form);
                }
                Outcome::Changed
            }
            Action::Save => self.save(),
            Action::Revert => self.revert(),
            _ => Outcome::Ignored,
        }
    }

    fn captures_text(&self) -> bool {
        !self.read_only && self.form.typing()
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if self.read_only || !self.form.key(key) {
            return Outcome::Ignored;
        }
        self.warned = false;
        self.message = None;
        Outcome::Changed
    }

    fn paste(&mut self, text: &str) -> Outcome {
        if !self.read_only && self.form.paste(text) {
            Outcome::Changed
        } else {
            Outcome::Ignored
        }
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        self.form.selected = super::step(self.form.selected, i64::from(rows), self.total_rows());
        Outcome::Changed
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let client = self.client.clone();
        let view = client.view();
        self.refresh(&view);
        if let Some((text, error)) = self.results.take() {
            self.message = Some(Message { text, error });
        }
        draw::draw(self, &view, frame, area, ctx);
    }
}
