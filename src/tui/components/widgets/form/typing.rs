//! Typing into a form: the edit of one field (started, kept or cancelled), the editor of a
//! multi-line text, and keys and pasted text given to the focused field.

use super::{Edit, Form, Typing, Value};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

impl<Id: Clone + PartialEq> Form<Id> {
    /// Starts editing the focused field if it holds text; returns whether it does.
    pub fn begin_edit(&mut self) -> bool {
        let Some(field) = self.fields.get(self.focus) else {
            return false;
        };
        let area = match &field.value {
            Value::Text(_) => None,
            Value::Lines(text) => {
                let mut area = TextArea::new(text.split('\n').map(str::to_string).collect());
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

    /// The fields as they were when the current edit began (as they are when nothing is
    /// being edited): a field takes each keystroke at once, so what an edit changed is only
    /// seen against this copy.
    pub fn before_edit(&self) -> Form<Id> {
        let mut form = self.clone();
        form.edit = None;
        if let (Some(edit), Some(field)) = (&self.edit, form.fields.get_mut(self.focus)) {
            field.value = edit.before.clone();
        }
        form
    }

    /// Keeps what was typed and stops editing.
    pub fn commit(&mut self) {
        self.sync_lines();
        self.edit = None;
    }

    /// Puts the field back as it was before the edit and stops editing.
    pub fn cancel(&mut self) {
        if let Some(edit) = self.edit.take()
            && let Some(field) = self.fields.get_mut(self.focus)
        {
            field.value = edit.before;
        }
    }

    /// The editor of the multi-line text being edited.
    pub fn area_mut(&mut self) -> Option<&mut TextArea<'static>> {
        self.edit.as_mut().and_then(|e| e.area.as_mut())
    }

    /// Where the cursor of the focused text is, as (line, column) in characters.
    pub(super) fn cursor(&self) -> Option<(usize, usize)> {
        if let Some(area) = self.edit.as_ref().and_then(|e| e.area.as_ref()) {
            let at = area.cursor();
            return Some((at.0, at.1));
        }
        match self.current().map(|f| &f.value) {
            Some(Value::Text(input)) => Some((0, input.cursor())),
            Some(Value::Lines(text)) => {
                let last = text.split('\n').next_back().unwrap_or("");
                Some((text.matches('\n').count(), last.chars().count()))
            }
            _ => None,
        }
    }

    /// The editor of the focused multi-line text, opened when typing is direct and it is not
    /// open yet.
    fn lines_editor(&mut self) -> Option<&mut TextArea<'static>> {
        if self.typing == Typing::Direct && self.edit.is_none() {
            let lines = matches!(self.current().map(|f| &f.value), Some(Value::Lines(_)));
            if lines {
                self.begin_edit();
            }
        }
        self.area_mut()
    }

    /// Writes the multi-line editor's text into its field after a key, when typing is
    /// direct (an `OnEdit` field keeps its value until the edit is kept, so the pane sees no
    /// change while the editor is open).
    fn typed_lines(&mut self) {
        if self.typing == Typing::Direct {
            self.sync_lines();
        }
    }

    /// Writes the multi-line editor's text into its field.
    fn sync_lines(&mut self) {
        let text = match self.edit.as_ref().and_then(|e| e.area.as_ref()) {
            Some(area) => area.lines().join("\n"),
            None => return,
        };
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.value = Value::Lines(text);
        }
    }

    /// Gives a key to the focused field; returns whether it took it.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        if self.typing == Typing::OnEdit && self.edit.is_none() {
            return false;
        }
        if let Some(area) = self.lines_editor() {
            let taken = area.input(*key);
            self.typed_lines();
            return taken;
        }
        let direct = self.typing == Typing::Direct;
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(Value::Text(input)) => input.key(key),
            Some(value @ (Value::Choice { .. } | Value::Switch(_))) if direct => match key.code {
                KeyCode::Left => value.cycle(-1),
                KeyCode::Right | KeyCode::Char(' ') => value.cycle(1),
                _ => false,
            },
            _ => false,
        }
    }

    /// Pastes into the focused text (line breaks become spaces on one line); returns whether
    /// it is one.
    pub fn paste(&mut self, text: &str) -> bool {
        if self.typing == Typing::OnEdit && self.edit.is_none() {
            return false;
        }
        let text = text.replace("\r\n", "\n");
        if let Some(area) = self.lines_editor() {
            let clean: String = text
                .chars()
                .filter(|c| *c == '\n' || !c.is_control())
                .collect();
            let taken = area.insert_str(clean);
            self.typed_lines();
            return taken;
        }
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(Value::Text(input)) => {
                input.insert_str(&text.replace(['\n', '\r'], " "));
                true
            }
            _ => false,
        }
    }
}
