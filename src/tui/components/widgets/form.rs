//! The one form widget: labelled fields (one-line text, multi-line text, a choice among
//! options, an on/off switch), the focused field, typing and pasting into it, per-field
//! problems to show under it, and whether anything changed since the form was opened (so
//! closing it asks first, with the app's one yes/no question). The Routing pane's editors and
//! tester, the Portal pane's settings and wizard, and the customer's support form all hold
//! one; each draws it with the layout that fits it (see `layout`).
//!
//! Fields take typed keys in one of two ways ([`Typing`]): directly while focused (Routing,
//! support form), or only between [`Form::begin_edit`] and [`Form::commit`] or
//! [`Form::cancel`] (Portal, whose rows answer the pane's keys otherwise). Either way a
//! multi-line text is typed into an editor that holds the cursor; a direct one writes each
//! keystroke into the field's value, an edited one when the edit is kept.

mod layout;
#[cfg(test)]
mod tests;
mod typing;

use crate::tui::components::step;
use crate::tui::components::widgets::input::LineInput;
use ratatui_textarea::TextArea;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Free text on one line.
    Text(LineInput),
    /// Free text on several lines.
    Lines(String),
    /// One of `options` (wire value, label shown).
    Choice {
        /// The choices.
        options: Vec<(String, String)>,
        /// The chosen one.
        at: usize,
    },
    /// On or off.
    Switch(bool),
}

impl Value {
    /// A one-line text value.
    pub fn text(s: &str) -> Self {
        Value::Text(LineInput::with_text(s, false))
    }

    /// A choice among `options`, on the one whose wire value is `current` (else the first).
    pub fn choice(options: Vec<(String, String)>, current: &str) -> Self {
        let at = options.iter().position(|(v, _)| v == current).unwrap_or(0);
        Value::Choice { options, at }
    }

    /// The text, the chosen wire value, or `on`/`off`.
    pub fn get(&self) -> &str {
        match self {
            Value::Text(input) => input.text(),
            Value::Lines(text) => text,
            Value::Choice { options, at } => options.get(*at).map_or("", |(v, _)| v.as_str()),
            Value::Switch(true) => "on",
            Value::Switch(false) => "off",
        }
    }

    /// Moves a choice by `delta` options (wrapping) or flips a switch; false for text.
    pub fn cycle(&mut self, delta: i64) -> bool {
        match self {
            Value::Choice { options, at } if !options.is_empty() => {
                let len = i64::try_from(options.len()).unwrap_or(1);
                let now = i64::try_from(*at).unwrap_or(0);
                *at = usize::try_from((now + delta).rem_euclid(len)).unwrap_or(0);
                true
            }
            Value::Switch(on) => {
                *on = !*on;
                true
            }
            _ => false,
        }
    }

    /// Whether two values say the same (a text cursor's place does not count).
    fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Choice { at: a, .. }, Value::Choice { at: b, .. }) => a == b,
            _ => self.get() == other.get(),
        }
    }
}

/// One labelled field; `id` says which field it is to the form's owner (a setting, a
/// submission path, or nothing when fields are known by position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<Id> {
    /// Which field this is.
    pub id: Id,
    /// What the field is called.
    pub label: String,
    /// Its value.
    pub value: Value,
    /// Whether it must be filled in (marked `*` where the layout shows it).
    pub required: bool,
}

impl<Id> Field<Id> {
    /// An optional field `id` called `label` holding `value`.
    pub fn new(id: Id, label: impl Into<String>, value: Value) -> Self {
        Field {
            id,
            label: label.into(),
            value,
            required: false,
        }
    }
}

impl Field<()> {
    /// A text field known by its position, holding `text`.
    pub fn text(label: impl Into<String>, text: &str) -> Self {
        Field::new((), label, Value::text(text))
    }

    /// A choice known by its position, among `options` (shown as they are), `index` chosen.
    pub fn choice(label: impl Into<String>, options: Vec<String>, index: usize) -> Self {
        let at = index.min(options.len().saturating_sub(1));
        let options = options.into_iter().map(|o| (o.clone(), o)).collect();
        Field::new((), label, Value::Choice { options, at })
    }
}

/// How the fields take typed keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Typing {
    /// The focused text field takes them whenever it has the focus, and Left, Right and
    /// Space move a focused choice.
    #[default]
    Direct,
    /// Only the field being edited takes them, from [`Form::begin_edit`] until
    /// [`Form::commit`] or [`Form::cancel`].
    OnEdit,
}

/// The field being edited: its value before the edit, and the editor of a multi-line text.
#[derive(Debug, Clone)]
struct Edit {
    before: Value,
    area: Option<TextArea<'static>>,
}

/// Fields with one of them focused.
#[derive(Debug, Clone)]
pub struct Form<Id> {
    /// The fields, in order.
    pub fields: Vec<Field<Id>>,
    /// The focused field.
    pub focus: usize,
    typing: Typing,
    /// The values as the form was opened, to tell whether there are edits to lose.
    pristine: Vec<Value>,
    edit: Option<Edit>,
    /// Problems to show under their fields, by field id.
    errors: Vec<(Id, String)>,
}

impl<Id> Default for Form<Id> {
    fn default() -> Self {
        Form {
            fields: Vec::new(),
            focus: 0,
            typing: Typing::default(),
            pristine: Vec::new(),
            edit: None,
            errors: Vec::new(),
        }
    }
}

impl<Id: Clone + PartialEq> Form<Id> {
    /// A form of `fields` taking keys as `typing` says, the first focused, with no edits yet.
    pub fn new(fields: Vec<Field<Id>>, typing: Typing) -> Self {
        Form {
            pristine: fields.iter().map(|f| f.value.clone()).collect(),
            fields,
            focus: 0,
            typing,
            edit: None,
            errors: Vec::new(),
        }
    }

    /// Takes the fields as they are now as the unedited state (for forms built in steps).
    pub fn mark_pristine(&mut self) {
        self.pristine = self.fields.iter().map(|f| f.value.clone()).collect();
    }

    /// Whether anything was changed since the form was opened.
    pub fn is_edited(&self) -> bool {
        self.fields.len() != self.pristine.len()
            || self
                .fields
                .iter()
                .zip(&self.pristine)
                .any(|(f, p)| !f.value.same(p))
    }

    /// The focused field.
    pub fn current(&self) -> Option<&Field<Id>> {
        self.fields.get(self.focus)
    }

    /// The value of field `id`, or "" when the form has no such field.
    pub fn get(&self, id: Id) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or("", |f| f.value.get())
    }

    /// Whether the form has a field `id`.
    pub fn has(&self, id: Id) -> bool {
        self.fields.iter().any(|f| f.id == id)
    }

    /// Sets the text of field `id`.
    pub fn set_text(&mut self, id: Id, text: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.value = Value::text(text);
        }
    }

    /// The text of field `i` ("" for a choice or a missing field), trimmed.
    pub fn text(&self, i: usize) -> &str {
        match self.fields.get(i).map(|f| &f.value) {
            Some(Value::Text(input)) => input.text().trim(),
            Some(Value::Lines(text)) => text.trim(),
            _ => "",
        }
    }

    /// The chosen index of field `i` (0 for text or a missing field).
    pub fn choice(&self, i: usize) -> usize {
        match self.fields.get(i).map(|f| &f.value) {
            Some(Value::Choice { at, .. }) => *at,
            _ => 0,
        }
    }

    /// Sets the problems to show, each under the field with its id.
    pub fn set_errors(&mut self, errors: Vec<(Id, String)>) {
        self.errors = errors;
    }

    /// The problems of field `id`.
    pub fn errors_of<'a>(&'a self, id: &'a Id) -> impl Iterator<Item = &'a str> + 'a {
        self.errors
            .iter()
            .filter(move |(of, _)| of == id)
            .map(|(_, message)| message.as_str())
    }

    /// Whether there are problems to show.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether the focused field takes typed characters now.
    pub fn captures_text(&self) -> bool {
        match self.typing {
            Typing::OnEdit => self.edit.is_some(),
            Typing::Direct => matches!(
                self.current().map(|f| &f.value),
                Some(Value::Text(_) | Value::Lines(_))
            ),
        }
    }

    /// Whether a field is being edited (started with [`Form::begin_edit`]).
    pub fn typing(&self) -> bool {
        self.edit.is_some()
    }

    /// Whether a multi-line text is being edited (Enter breaks the line there).
    pub fn typing_lines(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.area.is_some())
    }

    /// Focuses field `at` (kept within the fields), keeping what was typed in the one left.
    pub fn focus_on(&mut self, at: usize) {
        self.commit();
        self.focus = at.min(self.fields.len().saturating_sub(1));
    }

    /// Moves the focus by `delta` fields, stopping at the first and the last.
    pub fn move_focus(&mut self, delta: i64) {
        self.focus_on(step(self.focus, delta, self.fields.len()));
    }

    /// Moves the focused choice on by one (wrapping) or flips its switch; false for text.
    pub fn cycle(&mut self) -> bool {
        self.fields
            .get_mut(self.focus)
            .is_some_and(|f| f.value.cycle(1))
    }
}
