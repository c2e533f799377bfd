//! The editable rows of the portal's settings and setup wizard: text fields, choices that
//! cycle, and on/off switches, one a row.

use crate::tui::components::DrawCtx;
use crate::tui::components::input::LineInput;
use crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};

/// Which setting a row edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    /// Portal name.
    Name,
    /// Domain host, among the connected domains.
    Domain,
    /// Slug.
    Slug,
    /// Host of a domain to connect.
    NewHost,
    /// Primary language of the domain to connect.
    NewLanguage,
    /// Default inbox or help desk.
    Inbox,
    /// Ticket permission mode.
    Mode,
    /// Contact property the filter looks at.
    FilterProperty,
    /// How the filter compares.
    FilterOp,
    /// What the filter compares with (comma-separated for `in`).
    FilterValue,
    /// Invite-only or self-registration.
    AccessMode,
    /// Password-less codes.
    Passwordless,
    /// Idle timeout.
    IdleTimeout,
}

/// What a row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Free text.
    Text(LineInput),
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
    /// A text value.
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
            Value::Choice { options, at } => options.get(*at).map_or("", |(v, _)| v.as_str()),
            Value::Switch(true) => "on",
            Value::Switch(false) => "off",
        }
    }

    /// Moves a choice on by one (wrapping) or flips a switch; false for text.
    pub fn cycle(&mut self) -> bool {
        match self {
            Value::Choice { options, at } if !options.is_empty() => {
                *at = (*at + 1) % options.len();
                true
            }
            Value::Switch(on) => {
                *on = !*on;
                true
            }
            _ => false,
        }
    }
}

/// One editable row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The setting.
    pub id: FieldId,
    /// What the row is called.
    pub label: &'static str,
    /// Its value.
    pub value: Value,
}

/// Rows with a selection.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// The rows.
    pub fields: Vec<Field>,
    /// Index of the selected row.
    pub selected: usize,
}

impl Form {
    /// A form over `fields`, the first selected.
    pub fn new(fields: Vec<Field>) -> Self {
        Form {
            fields,
            selected: 0,
        }
    }

    /// The value of row `id`, or "" when the form has no such row.
    pub fn get(&self, id: FieldId) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or("", |f| f.value.get())
    }

    /// Whether the form has a row `id`.
    pub fn has(&self, id: FieldId) -> bool {
        self.fields.iter().any(|f| f.id == id)
    }

    /// Sets the text of row `id`.
    pub fn set_text(&mut self, id: FieldId, text: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.value = Value::text(text);
        }
    }

    /// The selected row.
    pub fn current(&self) -> Option<&Field> {
        self.fields.get(self.selected)
    }

    /// Whether the selected row takes typed text.
    pub fn typing(&self) -> bool {
        matches!(self.current().map(|f| &f.value), Some(Value::Text(_)))
    }

    /// Gives a key to the selected text row; returns whether it edited it.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        match self.fields.get_mut(self.selected).map(|f| &mut f.value) {
            Some(Value::Text(input)) => input.key(key),
            _ => false,
        }
    }

    /// Pastes into the selected text row.
    pub fn paste(&mut self, text: &str) -> bool {
        match self.fields.get_mut(self.selected).map(|f| &mut f.value) {
            Some(Value::Text(input)) => {
                input.insert_str(text);
                true
            }
            _ => false,
        }
    }

    /// Cycles the selected choice or switch.
    pub fn cycle(&mut self) -> bool {
        self.fields
            .get_mut(self.selected)
            .is_some_and(|f| f.value.cycle())
    }

    /// Moves the selection by `delta`, clamped.
    pub fn step(&mut self, delta: i64) {
        self.selected = crate::tui::components::step(self.selected, delta, self.fields.len());
    }

    /// The rows as lines; `editable` shows the cursor and the choice arrows.
    pub fn lines(&self, editable: bool, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let here = i == self.selected;
                let mut spans = vec![
                    Span::raw(if here { "▶ " } else { "  " }),
                    Span::styled(format!("{:<20} ", f.label), ctx.theme.muted),
                ];
                match &f.value {
                    Value::Text(input) => {
                        spans.push(Span::raw("["));
                        spans.extend(input.line(ctx.theme.input, here && editable).spans);
                        spans.push(Span::raw("]"));
                    }
                    Value::Choice { options, at } => {
                        let label = options.get(*at).map_or("none", |(_, l)| l.as_str());
                        let arrows = if editable { " ◂▸" } else { "" };
                        spans.push(Span::raw(format!("‹ {label} ›{arrows}")));
                    }
                    Value::Switch(on) => {
                        spans.push(Span::raw(if *on { "[x] on" } else { "[ ] off" }));
                    }
                }
                let line = Line::from(spans);
                if here {
                    line.style(ctx.theme.selected)
                } else {
                    line
                }
            })
            .collect()
    }
}
