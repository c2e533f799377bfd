//! The customer's support form: subject, description and the portal's extra fields in a
//! popup. Tab and Shift-Tab move between fields, Left and Right (or Space) choose a select
//! field's option, `Ctrl-S` checks the form with the portal's own rules (every problem is
//! shown under its field) and sends a new ticket through the outbox, so it shows in the list
//! at once.
//! `Esc` closes it, asking first (the app's yes/no question) when anything was typed.

use super::{Layer, Outcome, Tickets};
use crate::client::Write;
use crate::domain::SupportForm;
use crate::domain::portal::FieldKind;
use crate::domain::wire::PortalFor;
use crate::domain::wire::{CustomerTicketInput, TicketInput};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{Answer, Discard, Question};
use crossterm::event::{KeyCode, KeyEvent};
use std::collections::BTreeMap;

mod draw;

/// One field of the form as typed.
#[derive(Debug, Clone)]
struct Entry {
    /// Where check_submission reports its errors: `subject`, `description`, `form_fields.x`.
    path: String,
    label: String,
    kind: FieldKind,
    required: bool,
    options: Vec<String>,
    value: String,
}

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

/// The open support form.
#[derive(Debug)]
pub struct Form {
    form: SupportForm,
    entries: Vec<Entry>,
    focus: usize,
    errors: Vec<(String, String)>,
    checked: bool,
    /// "Discard this ticket?", while it is asked.
    discard: Discard,
}

impl Form {
    /// An empty form with the fields of `form`.
    pub fn new(form: SupportForm) -> Self {
        let fixed = |path: &str, label: &str, kind| Entry {
            path: path.into(),
            label: label.into(),
            kind,
            required: true,
            options: Vec::new(),
            value: String::new(),
        };
        let mut entries = vec![
            fixed("subject", "Subject", FieldKind::Text),
            fixed("description", "Description", FieldKind::Multiline),
        ];
        entries.extend(form.fields.iter().map(|f| Entry {
            path: format!("form_fields.{}", f.key),
            label: f.label.clone(),
            kind: f.kind,
            required: f.required,
            options: f.options.clone(),
            value: String::new(),
        }));
        Form {
            form,
            entries,
            focus: 0,
            errors: Vec::new(),
            checked: false,
            discard: Discard::default(),
        }
    }

    /// Whether anything was typed or chosen, so closing would lose it.
    fn is_edited(&self) -> bool {
        self.entries.iter().any(|e| !e.value.trim().is_empty())
    }

    /// Whether it is asking whether to discard what was typed.
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
            Command::new(Action::NextField),
            Command::new(Action::PrevField),
            Command::labelled(Action::Close, "cancel"),
        ]
    }

    /// The problems of the form as `(field path, message)`, empty when it may be sent.
    fn check(&self) -> Vec<(String, String)> {
        let values = self.values();
        match self
            .form
            .check_submission(self.text(0), self.text(1), &values)
        {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    fn text(&self, at: usize) -> &str {
        self.entries.get(at).map_or("", |e| e.value.as_str())
    }

    fn values(&self) -> BTreeMap<String, String> {
        self.entries
            .iter()
            .skip(2)
            .filter(|e| !e.value.trim().is_empty())
            .filter_map(|e| {
                let key = e.path.strip_prefix("form_fields.")?;
                Some((key.to_string(), e.value.trim().to_string()))
            })
            .collect()
    }

    /// Moves between fields, sends or cancels.
    pub fn handle(&mut self, action: Action) -> Filled {
        let len = self.entries.len();
        if self.asking() {
            return match self.discard.answer(action) {
                Answer::Yes => Filled::Cancelled,
                Answer::No | Answer::Waiting => Filled::Editing,
            };
        }
        match action {
            Action::Close if self.is_edited() => {
                self.discard
                    .ask(Question::new("New ticket", "Discard this ticket?"));
            }
            Action::NextField => self.focus = (self.focus + 1) % len.max(1),
            Action::PrevField => self.focus = (self.focus + len.max(1) - 1) % len.max(1),
            Action::Close => return Filled::Cancelled,
            Action::Save => {
                self.checked = true;
                self.errors = self.check();
                if self.errors.is_empty() {
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

    /// Typing into the focused field; Left and Right choose a select field's option, and Space
    /// goes on to the next option as Right does.
    pub fn input(&mut self, key: &KeyEvent) {
        if self.asking() {
            return;
        }
        let Some(entry) = self.entries.get_mut(self.focus) else {
            return;
        };
        match (entry.kind, key.code) {
            (FieldKind::Select, KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')) => {
                let at = entry.options.iter().position(|o| *o == entry.value);
                let len = entry.options.len() + 1;
                let now = at.map_or(0, |n| n + 1);
                let delta = if key.code == KeyCode::Left { -1 } else { 1 };
                let next = (i64::try_from(now).unwrap_or(0) + delta)
                    .rem_euclid(i64::try_from(len).unwrap_or(1));
                entry.value = usize::try_from(next)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|n| entry.options.get(n).cloned())
                    .unwrap_or_default();
            }
            (FieldKind::Select, _) => return,
            (_, KeyCode::Char(c)) => entry.value.push(c),
            (_, KeyCode::Backspace) => {
                entry.value.pop();
            }
            (FieldKind::Multiline, KeyCode::Enter) => entry.value.push('\n'),
            _ => return,
        }
        self.recheck();
    }

    /// Pasted text, added to the focused field (one line unless it takes several).
    pub fn paste(&mut self, text: &str) {
        if self.asking() {
            return;
        }
        if let Some(entry) = self.entries.get_mut(self.focus) {
            let multi = entry.kind == FieldKind::Multiline;
            if entry.kind != FieldKind::Select {
                entry.value.extend(
                    text.chars()
                        .map(|c| if c == '\n' && !multi { ' ' } else { c })
                        .filter(|c| *c == '\n' || !c.is_control()),
                );
            }
        }
        self.recheck();
    }

    fn recheck(&mut self) {
        if self.checked {
            self.errors = self.check();
        }
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
        self.layer = Some(Layer::Form(Form::new(form)));
        Outcome::Changed
    }

    /// Applies what the form made of an action: sends, closes or goes on.
    pub(super) fn filled(&mut self, filled: Filled) -> Outcome {
        match filled {
            Filled::Editing => {}
            Filled::Cancelled => self.layer = None,
            Filled::Submit(write) => {
                self.layer = None;
                self.submit(*write);
            }
        }
        Outcome::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::portal::FormField;
    use crossterm::event::KeyModifiers;

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
        text.chars().for_each(|c| f.input(&key(KeyCode::Char(c))));
    }

    #[test]
    fn every_error_lands_on_its_field_and_clears_as_it_is_fixed() {
        let mut f = form();
        assert!(matches!(f.handle(Action::Save), Filled::Editing));
        let paths: Vec<&str> = f.errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["subject", "description", "form_fields.product"]);
        typed(&mut f, "Login fails");
        assert_eq!(f.errors.len(), 2, "rechecked as typed: {:?}", f.errors);
        f.handle(Action::NextField);
        typed(&mut f, "Since");
        f.input(&key(KeyCode::Enter));
        typed(&mut f, "Monday");
        f.handle(Action::NextField);
        f.input(&key(KeyCode::Left));
        assert_eq!(f.text(2), "Web", "Left wraps to the last option");
        f.input(&key(KeyCode::Right));
        assert_eq!(f.text(2), "", "then back to no choice");
        f.input(&key(KeyCode::Right));
        assert!(f.errors.is_empty());
        match f.handle(Action::Save) {
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
        f.handle(Action::PrevField);
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
        f.handle(Action::PrevField);
        assert_eq!(f.focus, 2);
        typed(&mut f, "x");
        assert_eq!(f.text(2), "");
        f.handle(Action::NextField);
        assert_eq!(f.focus, 0);
        assert!(matches!(f.handle(Action::Close), Filled::Cancelled));
    }

    #[test]
    fn escape_asks_before_losing_what_was_typed() {
        let mut f = form();
        typed(&mut f, "Help");
        assert!(matches!(f.handle(Action::Close), Filled::Editing));
        assert_eq!(
            f.discard.question().map(Question::text),
            Some("Discard this ticket?")
        );
        typed(&mut f, "x");
        f.paste("pasted");
        assert!(f.asking(), "other keys leave the question open");
        assert_eq!(f.text(0), "Help", "and are not typed");
        assert!(
            matches!(f.handle(Action::Close), Filled::Editing),
            "no keeps it"
        );
        assert!(!f.asking());
        assert!(matches!(f.handle(Action::Close), Filled::Editing));
        assert!(
            matches!(f.handle(Action::Confirm), Filled::Cancelled),
            "yes discards"
        );
    }
}
