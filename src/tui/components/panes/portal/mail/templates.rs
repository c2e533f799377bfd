//! The template editor's actions: filling it from the settings, moving, editing and cycling
//! its rows, discarding the edits, and saving them with the portal settings after the
//! domain's own check.

use super::super::Portal;
use super::super::form::FieldId;
use super::super::save::Saving;
use super::editor::{Editor, event_label};
use crate::domain::mail::EmailSettings;
use crate::domain::portal::PortalPatch;
use crate::tui::action::Action;
use crate::tui::components::Outcome;

impl Portal {
    /// Fills the editor from the settings when it has none yet, and again when they changed
    /// on the server while nothing was edited.
    pub(super) fn refresh_editor(&mut self, email: &EmailSettings, language: &str) {
        match &mut self.mail.editor {
            Some((editor, base)) if *base != *email => {
                if editor.edited() == *email || editor.edited() == *base {
                    let focus = editor.form.focus;
                    let event = editor.event();
                    *editor = Editor::new(email, language);
                    editor.show(event);
                    editor.form.focus = focus;
                    *base = email.clone();
                }
            }
            Some(_) => {}
            None => self.mail.editor = Some((Editor::new(email, language), email.clone())),
        }
    }

    pub(super) fn handle_templates(&mut self, action: Action) -> Outcome {
        let Some((editor, base)) = &mut self.mail.editor else {
            return Outcome::Ignored;
        };
        match action {
            Action::Down | Action::Up => {
                let delta = if action == Action::Down { 1 } else { -1 };
                editor.form.move_focus(delta);
                Outcome::Changed
            }
            Action::Confirm if editor.form.begin_edit() => {
                self.message = None;
                Outcome::Changed
            }
            Action::Confirm | Action::Toggle => {
                editor.cycle();
                Outcome::Changed
            }
            Action::Revert => {
                let event = editor.event();
                let language = editor.language().to_string();
                *editor = Editor::new(base, &language);
                editor.show(event);
                self.say("Template changes discarded.", false)
            }
            Action::Save => self.save_templates(),
            _ => Outcome::Ignored,
        }
    }

    pub(super) fn handle_template_typing(&mut self, action: Action) -> Outcome {
        let Some((editor, _)) = &mut self.mail.editor else {
            return Outcome::Ignored;
        };
        match action {
            Action::Confirm | Action::NextField | Action::PrevField => {
                editor.form.commit();
                Outcome::Changed
            }
            Action::Close => {
                editor.form.cancel();
                self.say("Edit cancelled.", false)
            }
            Action::Save => {
                editor.form.commit();
                self.save_templates()
            }
            Action::Quit => self.guard(action).unwrap_or(Outcome::Ignored),
            _ => Outcome::Ignored,
        }
    }

    /// Saves every template edit with `If-Match` through the outbox, after the domain's own
    /// check; a refused row shows why under it.
    pub(super) fn save_templates(&mut self) -> Outcome {
        let Some(settings) = Portal::settings(&self.client.view()) else {
            return self.say("The portal settings are not loaded yet.", true);
        };
        let Some((editor, _)) = &mut self.mail.editor else {
            return self.say("Nothing to save.", false);
        };
        let email = match editor.check() {
            Ok(email) => email,
            Err(e) => {
                let text = format!(
                    "Not saved: the {} mail's {}: {}",
                    event_label(e.event),
                    if e.row == FieldId::MailBody {
                        "body"
                    } else {
                        "subject"
                    },
                    e.text
                );
                editor.show(e.event);
                editor.error = Some(e);
                return self.say(text, true);
            }
        };
        editor.error = None;
        if email == settings.email {
            return self.say("Nothing to save.", false);
        }
        let patch = PortalPatch {
            email: Some(email),
            ..PortalPatch::default()
        };
        let saving = Saving::new(
            "Mail templates",
            "Saved the mail templates.".into(),
            settings.version,
            "Saving the mail templates…".into(),
        );
        let announced = saving.announced();
        self.submit(settings.version, patch, saving);
        self.say(announced, false)
    }
}
