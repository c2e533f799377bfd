//! The editable rows of the portal's settings and setup wizard: text fields, multi-line
//! texts, choices that cycle, and on/off switches, one a row. A text row takes typed keys
//! only while it is being edited (Enter starts, Enter or Tab confirms, Esc cancels), so the
//! app's keys keep working everywhere else in the pane.

use crate::domain::portal::CustomerColumn;
use crate::domain::ticket::Stage;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::input::LineInput;
use crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// Which setting a row edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    /// Portal name.
    Name,
    /// Domain host, among the connected domains.
    Domain,
    Slug,
    /// Host of a domain to connect.
    NewHost,
    /// Primary language of the domain to connect.
    NewLanguage,
    /// Default inbox or help desk.
    Inbox,
    /// Ticket permission mode.
    Mode,
    /// Contact property a filter condition looks at (the first row of a condition).
    FilterProperty,
    /// How the condition compares.
    FilterOp,
    /// What the condition compares with (comma-separated for `in`).
    FilterValue,
    /// Invite-only or self-registration.
    AccessMode,
    /// Password-less codes.
    Passwordless,
    /// Idle timeout.
    IdleTimeout,
    /// Whether customers see a column; the rows' order is the columns' order.
    Column(CustomerColumn),
    /// The customer label of a stage.
    StageLabel(Stage),
    /// Whether closed tickets are listed.
    ShowClosed,
    /// Default sort column.
    SortColumn,
    /// Default sort direction.
    SortDescending,
    /// Whether the consent notice is shown.
    ConsentEnabled,
    /// The consent notice text.
    ConsentText,
    /// Whether customers must accept the notice.
    ConsentRequired,
    /// Whether customers may open tickets with the support form.
    FormEnabled,
    /// A support-form field's key (the first row of a field).
    FormKey,
    /// A support-form field's label.
    FormLabel,
    /// A support-form field's kind.
    FormKind,
    /// Whether a support-form field is required.
    FormRequired,
    /// Whether only the requester and staff see a support-form field's answer.
    FormPrivate,
    /// A select field's options, comma-separated.
    FormOptions,
    /// Which mail template the editor shows.
    MailEvent,
    /// The language whose default wording the editor starts from.
    MailLanguage,
    /// The template's subject.
    MailSubject,
    /// The template's body.
    MailBody,
}

/// What a row holds.
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
            Value::Lines(text) => text,
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
    pub label: String,
    /// Its value.
    pub value: Value,
}

/// The row being edited: its value before the edit, and the editor of a multi-line text.
#[derive(Debug, Clone)]
struct Edit {
    before: Value,
    area: Option<TextArea<'static>>,
}

/// Rows with a selection.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// The rows.
    pub fields: Vec<Field>,
    /// Index of the selected row.
    pub selected: usize,
    edit: Option<Edit>,
}

impl Form {
    /// A form over `fields`, the first selected.
    pub fn new(fields: Vec<Field>) -> Self {
        Form {
            fields,
            selected: 0,
            edit: None,
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

    /// Whether a text row is being edited, so typed keys are text.
    pub fn typing(&self) -> bool {
        self.edit.is_some()
    }

    /// Whether a multi-line text is being edited (Enter breaks the line there).
    pub fn typing_lines(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.area.is_some())
    }

    /// Starts editing the selected row if it holds text; returns whether it does.
    pub fn begin_edit(&mut self) -> bool {
        let Some(field) = self.fields.get(self.selected) else {
            return false;
        };
        let area = match &field.value {
            Value::Text(_) => None,
            Value::Lines(text) => {
                let mut area = TextArea::new(text.lines().map(str::to_string).collect());
                area.set_wrap_mode(WrapMode::WordOrGlyph);
                area.move_cursor(CursorMove::Bottom);
                area.move_cursor(CursorMove::End);
                Some(area)
            }
            _ => return false,
        };
        self.edit = Some(Edit {
            before: field.value.clone(),
            area,
        });
        true
    }

    /// The rows as they were when the current edit began (the rows as they are when nothing
    /// is being edited): a text row takes each keystroke at once, so what an edit changed is
    /// only seen against this copy.
    pub fn before_edit(&self) -> Form {
        let mut form = Form::new(self.fields.clone());
        if let (Some(edit), Some(field)) = (&self.edit, form.fields.get_mut(self.selected)) {
            field.value = edit.before.clone();
        }
        form
    }

    /// Keeps what was typed and stops editing.
    pub fn commit(&mut self) {
        if let Some(Edit {
            area: Some(area), ..
        }) = self.edit.take()
            && let Some(field) = self.fields.get_mut(self.selected)
        {
            field.value = Value::Lines(area.lines().join("\n"));
        }
    }

    /// Puts the row back as it was before the edit and stops editing.
    pub fn cancel(&mut self) {
        if let Some(edit) = self.edit.take()
            && let Some(field) = self.fields.get_mut(self.selected)
        {
            field.value = edit.before;
        }
    }

    /// The editor of the multi-line text being edited.
    pub fn area_mut(&mut self) -> Option<&mut TextArea<'static>> {
        self.edit.as_mut().and_then(|e| e.area.as_mut())
    }

    /// Gives a key to the row being edited; returns whether it took it.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let Some(edit) = &mut self.edit else {
            return false;
        };
        if let Some(area) = &mut edit.area {
            return area.input(*key);
        }
        match self.fields.get_mut(self.selected).map(|f| &mut f.value) {
            Some(Value::Text(input)) => input.key(key),
            _ => false,
        }
    }

    /// Pastes into the row being edited.
    pub fn paste(&mut self, text: &str) -> bool {
        let Some(edit) = &mut self.edit else {
            return false;
        };
        if let Some(area) = &mut edit.area {
            let clean: String = text
                .replace("\r\n", "\n")
                .chars()
                .filter(|c| *c == '\n' || !c.is_control())
                .collect();
            return area.insert_str(clean);
        }
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

    /// The rows as lines; `editable` shows the choice arrows, and the row being edited its
    /// cursor.
    pub fn lines(&self, editable: bool, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let width = self
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            .max(20);
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let here = i == self.selected;
                let editing = here && self.edit.is_some();
                let mut spans = vec![
                    Span::raw(if here { "▶ " } else { "  " }),
                    Span::styled(format!("{:<width$} ", f.label), ctx.theme.muted),
                ];
                match &f.value {
                    Value::Text(input) => {
                        spans.push(Span::raw("["));
                        spans.extend(input.line(ctx.theme.input, editing).spans);
                        spans.push(Span::raw("]"));
                    }
                    Value::Lines(text) => {
                        let first = text.lines().next().unwrap_or("");
                        let more = text.lines().count().saturating_sub(1);
                        let tail = if editing {
                            " (editing below)".to_string()
                        } else if more > 0 {
                            format!(" (+{more} lines)")
                        } else {
                            String::new()
                        };
                        spans.push(Span::styled(format!("\"{first}\""), ctx.theme.input));
                        spans.push(Span::styled(tail, ctx.theme.muted));
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
