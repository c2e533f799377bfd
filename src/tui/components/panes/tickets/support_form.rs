//! The customer's support form: subject, description and the portal's extra fields in a
//! popup. Tab and Shift-Tab move between fields, Left and Right (or Space) choose a select
//! field's option, `Ctrl-S` checks the form with the portal's own rules (every problem is
//! shown under its field) and sends a new ticket through the outbox, so it shows in the list
//! at once.
//! `Esc` closes it, asking first (the app's yes/no question) when anything was typed.

use super::layers::{Layer, Step, editor_contexts};
use super::{Outcome, Tickets};
use crate::client::Write;
use crate::domain::SupportForm;
use crate::domain::portal::FieldKind;
use crate::domain::wire::PortalFor;
use crate::domain::wire::{CustomerTicketInput, TicketInput};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{Answered, Ask, Question};
use crate::tui::components::widgets::form::{self, Field, Typing, Value};
use crate::tui::components::{Component, DrawCtx};
use crate::tui::i18n;
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::BTreeMap;

mod draw;

/// What became of an action or key given to the form.
#[derive(Debug)]
pub enum Filled {
    /// Still filling in.
    Editing,
    /// Closed without sending.
    Cancelled,
    /// Send this write.
    Submit(Box<Write>),
}

/// The open support form: the app's form widget with one field a submission path
/// (`subject`, `description`, `form_fields.<key>`), which is where `check_submission` puts
/// each problem.
#[derive(Debug)]
pub struct Form {
    form: SupportForm,
    fields: form::Form<String>,
    /// Whether Ctrl-S was pressed once: from then on the problems are checked as typed.
    checked: bool,
    /// "Discard this ticket?", while it is asked.
    discard: Ask<()>,
    /// What it finished with, for the pane.
    step: Option<Step>,
}

/// The form's field for `kind`, empty: a select field starts with no option chosen.
fn empty(kind: FieldKind, options: &[String]) -> Value {
    match kind {
        FieldKind::Select => {
            let mut choices = vec![(String::new(), i18n::t("form-choose"))];
            choices.extend(options.iter().map(|o| (o.clone(), o.clone())));
            Value::Choice {
                options: choices,
                at: 0,
            }
        }
        FieldKind::Multiline => Value::Lines(String::new()),
        _ => Value::text(""),
    }
}

impl Form {
    /// An empty form with the fields of `form`.
    pub fn new(form: SupportForm) -> Self {
        let fixed = |path: &str, label: &str, kind| Field {
            required: true,
            ..Field::new(path.to_string(), label, empty(kind, &[]))
        };
        let mut fields = vec![
            fixed("subject", &i18n::t("form-subject"), FieldKind::Text),
            fixed(
                "description",
                &i18n::t("form-description"),
                FieldKind::Multiline,
            ),
        ];
        fields.extend(form.fields.iter().map(|f| Field {
            required: f.required,
            ..Field::new(
                format!("form_fields.{}", f.key),
                f.label.clone(),
                empty(f.kind, &f.options),
            )
        }));
        Form {
            form,
            fields: form::Form::new(fields, Typing::Direct),
            checked: false,
            discard: Ask::default(),
            step: None,
        }
    }

    /// The problems of the form as `(field path, message)`, empty when it may be sent.
    fn check(&self) -> Vec<(String, String)> {
        let values = self.values();
        match self
            .form
            .check_submission(self.text(0), self.text(1), &values, i18n::language())
        {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    /// The value of field `at` as typed (a select's chosen option, "" before one is).
    fn text(&self, at: usize) -> &str {
        self.fields.fields.get(at).map_or("", |f| f.value.get())
    }

    fn values(&self) -> BTreeMap<String, String> {
        self.fields
            .fields
            .iter()
            .skip(2)
            .filter(|f| !f.value.get().trim().is_empty())
            .filter_map(|f| {
                let key = f.id.strip_prefix("form_fields.")?;
                Some((key.to_string(), f.value.get().trim().to_string()))
            })
            .collect()
    }

    /// Moves between fields (round from the last to the first), sends or cancels.
    fn act(&mut self, action: Action) -> Filled {
        let len = self.fields.fields.len().max(1);
        if self.asking() {
            return match self.discard.answer(action) {
                Answered::Yes(()) => Filled::Cancelled,
                Answered::No | Answered::Waiting | Answered::PassedOn => Filled::Editing,
            };
        }
        let focus = self.fields.focus;
        match action {
            Action::Close if self.fields.is_edited() => {
                let question =
                    Question::new(i18n::t("form-new-ticket"), i18n::t("form-discard-ticket"));
                self.discard.ask(question, ());
            }
            Action::NextField => self.fields.focus_on((focus + 1) % len),
            Action::PrevField => self.fields.focus_on((focus + len - 1) % len),
            Action::Close => return Filled::Cancelled,
            Action::Save => {
                self.checked = true;
                let errors = self.check();
                let sendable = errors.is_empty();
                self.fields.set_errors(errors);
                if sendable {
                    return Filled::Submit(Box::new(Write::CreateTicket(TicketInput::Customer(
                        CustomerTicketInput {
                            subject: self.text(0).trim().to_string(),
                            description: self.text(1).to_string(),
                            form_fields: self.values(),
                        },
                    ))));
                }
            }
            _ => {}
        }
        Filled::Editing
    }

    fn recheck(&mut self) {
        if self.checked {
            let errors = self.check();
            self.fields.set_errors(errors);
        }
    }
}

impl Layer for Form {
    fn take_step(&mut self) -> Option<Step> {
        self.step.take()
    }
}

impl Component for Form {
    fn contexts(&self) -> &'static [Context] {
        editor_contexts(self.asking())
    }

    fn commands(&self) -> Vec<Command> {
        if self.asking() {
            return self.discard.commands();
        }
        vec![
            Command::worded(Action::Save, "form-cmd-send"),
            Command::new(Action::NextField),
            Command::new(Action::PrevField),
            Command::worded(Action::Close, "form-cmd-cancel"),
        ]
    }

    fn handle(&mut self, action: Action) -> Outcome {
        self.step = match self.act(action) {
            Filled::Editing => None,
            Filled::Cancelled => Some(Step::Close),
            Filled::Submit(write) => Some(Step::Submit(write)),
        };
        Outcome::Changed
    }

    /// Whether it is asking whether to discard what was typed.
    fn asking(&self) -> bool {
        self.discard.asking()
    }

    /// Every key is the form's: text, or a select field's choice (Left, Right, Space).
    fn captures_text(&self) -> bool {
        !self.asking()
    }

    /// Typing into the focused field; Left and Right choose a select field's option, and Space
    /// goes on to the next option as Right does.
    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if !self.asking() && self.fields.key(key) {
            self.recheck();
        }
        Outcome::Changed
    }

    /// Pasted text, added to the focused field (one line unless it takes several).
    fn paste(&mut self, text: &str) -> Outcome {
        if !self.asking() && self.fields.paste(text) {
            self.recheck();
        }
        Outcome::Changed
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        self.draw_popup(frame, area, ctx);
    }
}

impl Tickets {
    /// Opens the support form (customers, when the portal takes new tickets).
    pub(super) fn open_form(&mut self) -> Outcome {
        let form = match self.client.view().portal.as_ref().map(|p| &p.item) {
            Some(PortalFor::Public(p)) if p.support_form.enabled => p.support_form.clone(),
            _ => return Outcome::Ignored,
        };
        if self.staff {
            return Outcome::Ignored;
        }
        self.open_layer(Form::new(form));
        Outcome::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::portal::FormField;
    use crate::tui::components::Component;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn form() -> Form {
        Form::new(SupportForm {
            enabled: true,
            fields: vec![FormField {
                key: "product".into(),
                label: "Product".into(),
                kind: FieldKind::Select,
                required: true,
                options: vec!["App".into(), "Web".into()],
                private: false,
            }],
        })
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(f: &mut Form, text: &str) {
        for c in text.chars() {
            f.input(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn every_error_lands_on_its_field_and_clears_as_it_is_fixed() {
        let mut f = form();
        assert!(matches!(f.act(Action::Save), Filled::Editing));
        let errors = f.check();
        let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["subject", "description", "form_fields.product"]);
        assert_eq!(f.fields.errors_of(&"subject".to_string()).count(), 1);
        typed(&mut f, "Login fails");
        assert_eq!(
            f.fields.errors_of(&"subject".to_string()).count(),
            0,
            "rechecked as typed"
        );
        f.act(Action::NextField);
        typed(&mut f, "Since");
        f.input(&key(KeyCode::Enter));
        typed(&mut f, "Monday");
        f.act(Action::NextField);
        f.input(&key(KeyCode::Left));
        assert_eq!(f.text(2), "Web", "Left wraps to the last option");
        f.input(&key(KeyCode::Right));
        assert_eq!(f.text(2), "", "then back to no choice");
        f.input(&key(KeyCode::Right));
        assert!(!f.fields.has_errors());
        match f.act(Action::Save) {
            Filled::Submit(write) => {
                let Write::CreateTicket(TicketInput::Customer(t)) = *write else {
                    panic!("{write:?}");
                };
                assert_eq!(t.subject, "Login fails");
                assert_eq!(t.description, "Since\nMonday");
                assert_eq!(
                    t.form_fields.get("product").map(String::as_str),
                    Some("App")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn space_cycles_a_choice_like_right_and_still_types_in_text_fields() {
        let mut f = form();
        typed(&mut f, "No login");
        assert_eq!(f.text(0), "No login", "Space types a space in text");
        f.act(Action::PrevField);
        f.input(&key(KeyCode::Char(' ')));
        assert_eq!(f.text(2), "App");
        f.input(&key(KeyCode::Char(' ')));
        assert_eq!(f.text(2), "Web");
        f.input(&key(KeyCode::Char(' ')));
        assert_eq!(f.text(2), "", "and round to no choice");
    }

    #[test]
    fn tab_wraps_around_and_select_fields_take_no_typing() {
        let mut f = form();
        f.act(Action::PrevField);
        assert_eq!(f.fields.focus, 2);
        typed(&mut f, "x");
        assert_eq!(f.text(2), "");
        f.act(Action::NextField);
        assert_eq!(f.fields.focus, 0);
        assert!(matches!(f.act(Action::Close), Filled::Cancelled));
    }

    #[test]
    fn escape_asks_before_losing_what_was_typed() {
        let mut f = form();
        typed(&mut f, "Help");
        assert!(matches!(f.act(Action::Close), Filled::Editing));
        assert_eq!(
            f.discard.question().map(Question::text),
            Some("Discard this ticket?")
        );
        typed(&mut f, "x");
        f.paste("pasted");
        assert!(f.asking(), "other keys leave the question open");
        assert_eq!(f.text(0), "Help", "and are not typed");
        assert!(
            matches!(f.act(Action::Close), Filled::Editing),
            "no keeps it"
        );
        assert!(!f.asking());
        assert!(matches!(f.act(Action::Close), Filled::Editing));
        assert!(
            matches!(f.act(Action::Confirm), Filled::Cancelled),
            "yes discards"
        );
    }
}
