//! What the pane's actions do: moving between rows and sections, editing a text row (Enter
//! starts, Enter or Tab keeps, Esc cancels), changing choices, and adding, removing and
//! moving filter conditions, support-form fields and columns.

use super::fields::{self, Part};
use super::form::FieldId;
use super::sections;
use super::{Portal, STEPS, Section, draw, tasks};
use crate::tui::action::Action;
use crate::tui::components::Outcome;

impl Portal {
    /// The part of the settings on screen: the wizard's step or the section's.
    pub(super) fn part(&self) -> Option<Part> {
        if self.draft.is_some() {
            Some(STEPS[self.step].0)
        } else {
            self.current().part()
        }
    }

    /// An action while a text row is being edited.
    pub(super) fn handle_editing(&mut self, action: Action) -> Outcome {
        match action {
            Action::Confirm => {
                self.message = None;
                self.commit_edit();
                let id = self.form.current().map(|f| f.id);
                let host = self.form.get(FieldId::NewHost).trim().to_string();
                if matches!(id, Some(FieldId::NewHost | FieldId::NewLanguage)) && !host.is_empty() {
                    return self.connect_domain();
                }
                Outcome::Changed
            }
            Action::NextField | Action::PrevField => {
                self.message = None;
                self.commit_edit();
                let delta = if action == Action::NextField { 1 } else { -1 };
                self.form.focus =
                    crate::tui::components::step(self.form.focus, delta, self.total_rows());
                Outcome::Changed
            }
            Action::Close => {
                self.form.cancel();
                self.say("Edit cancelled.", false)
            }
            Action::Save => {
                self.commit_edit();
                if self.draft.is_some() {
                    self.wizard_step(1)
                } else {
                    self.save()
                }
            }
            Action::Quit => self.guard(action).unwrap_or(Outcome::Ignored),
            _ => Outcome::Ignored,
        }
    }

    /// An action while no row is being edited.
    pub(super) fn handle_rows(&mut self, action: Action) -> Outcome {
        let wizard = self.draft.is_some();
        let editing = !self.read_only && (wizard || self.current() != Section::Overview);
        match action {
            Action::NextTab
            | Action::PrevTab
            | Action::Tab1
            | Action::Tab2
            | Action::Tab3
            | Action::Tab4 => self.guard(action).unwrap_or(Outcome::Ignored),
            Action::Quit => self.guard(action).unwrap_or(Outcome::Ignored),
            Action::NextStep if wizard => self.wizard_step(1),
            Action::PrevStep if wizard => self.wizard_step(-1),
            Action::Save if wizard => self.wizard_step(1),
            Action::NextStep => self.switch_section(1),
            Action::PrevStep => self.switch_section(-1),
            Action::Down | Action::Up if self.current() == Section::Overview && !wizard => {
                draw::scroll_overview(self, action)
            }
            Action::Down | Action::Up => {
                let delta = if action == Action::Down { 1 } else { -1 };
                self.form.focus =
                    crate::tui::components::step(self.form.focus, delta, self.total_rows());
                Outcome::Changed
            }
            Action::Confirm
            | Action::Toggle
            | Action::Save
            | Action::Revert
            | Action::New
            | Action::Delete
            | Action::MoveDown
            | Action::MoveUp
                if !editing =>
            {
                self.refuse()
            }
            Action::Confirm => self.confirm(),
            Action::Toggle => {
                self.change_choice();
                Outcome::Changed
            }
            Action::Save => self.save(),
            Action::Revert => self.revert(),
            Action::ViewAs => self.view_as(),
            Action::New => self.add_group(),
            Action::Delete => self.remove_group(),
            Action::MoveDown | Action::MoveUp => {
                if self.form.move_group(action == Action::MoveDown) {
                    self.message = None;
                    Outcome::Changed
                } else {
                    self.say("Only columns, form fields and conditions move.", true)
                }
            }
            _ => Outcome::Ignored,
        }
    }

    /// Enter on a row: invites the contact, starts editing a text, or changes a choice.
    fn confirm(&mut self) -> Outcome {
        let fields = self.form.fields.len();
        if self.form.focus >= fields {
            let index = self.form.focus - fields;
            let Some((text, task)) = tasks::invite(&self.client, &self.tasks, index) else {
                return Outcome::Ignored;
            };
            self.reporting.push(task);
            return self.say(text, false);
        }
        if self.form.begin_edit() {
            let keys = if self.form.typing_lines() {
                "Tab keeps the text, Esc cancels."
            } else {
                "Enter or Tab keeps the text, Esc cancels."
            };
            return self.say(format!("Editing: {keys}"), false);
        }
        self.change_choice();
        Outcome::Changed
    }

    /// Keeps the text being edited; a support-form field it makes a contact detail turns
    /// private.
    fn commit_edit(&mut self) {
        let before = sections::contact_details(&self.form.before_edit());
        self.form.commit();
        self.privatise(&before);
    }

    /// Changes the selected choice; the message about the old value goes with it.
    fn change_choice(&mut self) {
        let before = sections::contact_details(&self.form);
        if self.form.cycle() {
            fields::sync_filter_rows(&mut self.form);
            self.message = None;
            self.warned = false;
            self.privatise(&before);
        }
    }

    fn privatise(&mut self, before: &[bool]) {
        if sections::privatise_new_contact_details(&mut self.form, before) {
            self.say(
                "A contact detail: its answer is now private (the requester and staff only).",
                false,
            );
        }
    }

    fn connect_domain(&mut self) -> Outcome {
        let host = self.form.get(FieldId::NewHost).trim().to_lowercase();
        let language = self.form.get(FieldId::NewLanguage).trim().to_string();
        match tasks::add_domain(&self.client, &self.tasks, host, language) {
            Ok((text, task)) => {
                self.reporting.push(task);
                self.form.set_text(FieldId::NewHost, "");
                self.say(text, false)
            }
            Err(text) => self.say(text, true),
        }
    }

    /// Adds a filter condition (Tickets) or a support-form field after the selected one.
    fn add_group(&mut self) -> Outcome {
        match self.part() {
            Some(Part::Tickets) if self.form.has(FieldId::FilterProperty) => {
                let end = self.form.fields.len();
                self.form
                    .insert_group(fields::filter_rows("", "equals", ""), end);
                self.say("Condition added: Enter edits its property.", false)
            }
            Some(Part::Tickets) => self.say(
                "Conditions belong to the \"contacts matching a filter\" permission.",
                true,
            ),
            Some(Part::SupportForm) => {
                let new = sections::new_form_field(&self.form);
                let end = self.form.fields.len();
                self.form.insert_group(sections::form_field_rows(&new), end);
                self.say(format!("Field {} added.", new.key), false)
            }
            _ => Outcome::Ignored,
        }
    }

    /// Removes the selected filter condition or support-form field.
    fn remove_group(&mut self) -> Outcome {
        let id = self
            .form
            .group()
            .and_then(|g| self.form.fields.get(g.start))
            .map(|f| f.id);
        match id {
            Some(FieldId::FilterProperty | FieldId::FormKey) => {
                self.form.remove_group();
                let what = if id == Some(FieldId::FormKey) {
                    "Field removed."
                } else {
                    "Condition removed."
                };
                self.say(what, false)
            }
            _ => self.say("Select a condition or form field to remove.", true),
        }
    }
}
