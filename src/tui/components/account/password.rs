//! The Account pane's change-password form: the current password, the new one and the new
//! one again, all masked. It checks that the two new ones are alike and sends the change in
//! the background; the server judges the rest, and its refusal (a wrong current password, a
//! short new one) is shown in the form, which stays open with what was typed, the focus on
//! the field at fault when the refusal names one (a wrong current password).

use crate::client::{ApiError, Client, ClientEvent};
use crate::domain::text::strip_control;
use crate::tui::Msg;
use crate::tui::components::input::LineInput;
use crate::tui::components::{DrawCtx, centered};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

/// The fields, in order.
const LABELS: [&str; 3] = ["Current password", "New password", "New password again"];
/// The request's name of each field, in the same order, as a refusal names the field at fault.
const FIELD_NAMES: [&str; 3] = ["old_password", "new_password", "new_password"];
/// The popup's width, in cells.
const WIDTH: u16 = 64;

/// Where the change stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Being typed (with why the last try was refused, if it was).
    Editing(Option<String>),
    /// Sent; waiting for the server.
    Sending,
    /// The server changed the password.
    Changed,
}

/// The open form.
#[derive(Debug)]
pub struct PasswordForm {
    fields: [LineInput; 3],
    /// The focused field; shared, so the server's answer can move it to the field at fault.
    focus: Arc<AtomicUsize>,
    phase: Arc<Mutex<Phase>>,
}

impl Default for PasswordForm {
    fn default() -> Self {
        PasswordForm {
            fields: std::array::from_fn(|_| LineInput::new(true)),
            focus: Arc::default(),
            phase: Arc::new(Mutex::new(Phase::Editing(None))),
        }
    }
}

impl PasswordForm {
    /// Where the change stands now.
    pub fn phase(&self) -> Phase {
        self.phase
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether the password was changed (without copying the phase's message).
    pub fn is_changed(&self) -> bool {
        matches!(
            *self.phase.lock().unwrap_or_else(PoisonError::into_inner),
            Phase::Changed
        )
    }

    fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = phase;
    }

    fn focus(&self) -> usize {
        self.focus.load(Ordering::Relaxed)
    }

    fn set_focus(&self, field: usize) {
        self.focus.store(field, Ordering::Relaxed);
    }

    /// Moves the focus to the next (or previous) field, wrapping around.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.set_focus((self.focus() + if forward { 1 } else { n - 1 }) % n);
    }

    /// An editing key or pasted text for the focused field; whether it was taken.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let focus = self.focus();
        self.phase() != Phase::Sending && self.fields[focus].key(key)
    }

    /// Pasted text for the focused field.
    pub fn paste(&mut self, text: &str) {
        if self.phase() != Phase::Sending {
            let focus = self.focus();
            self.fields[focus].insert_str(text);
        }
    }

    /// Enter: the next field, or from the last one, checks the form and sends the change
    /// through `client`; `notify` hears when the answer is in, so the app redraws.
    pub fn confirm(&mut self, client: &Client, notify: Option<UnboundedSender<Msg>>) {
        if self.phase() == Phase::Sending {
            return;
        }
        if self.focus() + 1 < self.fields.len() {
            self.move_focus(true);
            return;
        }
        let [old, new, again] = self.fields.each_ref().map(|f| f.text().to_string());
        let refused = if old.is_empty() {
            Some("Type your current password.".to_string())
        } else if new != again {
            Some("The two new passwords differ.".to_string())
        } else {
            None
        };
        if let Some(why) = refused {
            self.set(Phase::Editing(Some(why)));
            return;
        }
        self.set(Phase::Sending);
        let (phase, focus) = (self.phase.clone(), self.focus.clone());
        let client = client.clone();
        tokio::spawn(async move {
            let answer = match client.api().change_password(&old, &new).await {
                Ok(()) => Phase::Changed,
                Err(ApiError::Offline(_)) => Phase::Editing(Some(
                    "The server cannot be reached; try again later.".to_string(),
                )),
                Err(e) => {
                    if let Some(at) = at_fault(&e) {
                        focus.store(at, Ordering::Relaxed);
                    }
                    Phase::Editing(Some(e.to_string()))
                }
            };
            *phase.lock().unwrap_or_else(PoisonError::into_inner) = answer;
            if let Some(tx) = notify {
                let revision = client.view().revision();
                let _ = tx.send(Msg::Client(ClientEvent::ViewChanged { revision }));
            }
        });
    }

    /// Draws the form as a popup centred in `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        let focus = self.focus();
        for (i, (label, field)) in LABELS.iter().zip(&self.fields).enumerate() {
            let focused = i == focus;
            let mut line = field.line(theme.input, focused);
            let style = if focused { theme.key } else { theme.muted };
            line.spans
                .insert(0, Span::styled(format!("{label:<20} "), style));
            lines.push(line);
        }
        lines.push(Line::default());
        lines.push(match self.phase() {
            Phase::Editing(Some(why)) => Line::styled(strip_control(&why), theme.error),
            Phase::Editing(None) => Line::styled(
                "Your other sessions end; this one stays signed in.",
                theme.muted,
            ),
            Phase::Sending => Line::styled("Changing the password…", theme.muted),
            Phase::Changed => Line::styled("Password changed.", theme.muted),
        });
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let popup = centered(area, WIDTH, height);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border_focused)
            .padding(Padding::horizontal(1))
            .title(Line::styled(" Change password ", theme.title));
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

/// The first field a refusal names as at fault, if it names one.
fn at_fault(refusal: &ApiError) -> Option<usize> {
    match refusal {
        ApiError::Rejected {
            field: Some(field), ..
        } => FIELD_NAMES.iter().position(|name| name == field),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_wraps_and_typing_goes_to_the_focused_field() {
        let mut form = PasswordForm::default();
        form.paste("old");
        form.move_focus(true);
        form.paste("new");
        form.move_focus(false);
        form.move_focus(false);
        assert_eq!(form.focus(), 2);
        assert_eq!(form.fields[0].text(), "old");
        assert_eq!(form.fields[1].text(), "new");
    }

    #[test]
    fn a_refusal_that_names_a_field_points_at_it() {
        let refusal = |field: Option<&str>| ApiError::Rejected {
            status: 400,
            code: "invalid".into(),
            message: "no".into(),
            field: field.map(String::from),
        };
        assert_eq!(at_fault(&refusal(Some("old_password"))), Some(0));
        assert_eq!(at_fault(&refusal(Some("new_password"))), Some(1));
        assert_eq!(at_fault(&refusal(None)), None);
        assert_eq!(at_fault(&ApiError::NotFound), None);
    }
}
