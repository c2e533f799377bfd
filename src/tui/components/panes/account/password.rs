//! The Account pane's change-password form: the current password, the new one and the new
//! one again, all masked. It checks that the two new ones are alike and sends the change in
//! the background; the server judges the rest, and its refusal (a wrong current password, a
//! short new one) is shown in the form, which stays open with what was typed, the focus on
//! the field at fault when the refusal names one (a wrong current password).

use crate::client::{ApiError, Client};
use crate::domain::text::strip_control;
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{DrawCtx, centered};
use crate::tui::i18n::t;
use crate::tui::msg::{Answer, Done, PasswordRefusal, TaskId, Tasks};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};

/// The catalogue messages naming the fields, in order.
const LABELS: [&str; 3] = ["password-current", "password-new", "password-again"];
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
    focus: usize,
    phase: Phase,
    /// The change on its way to the server, until it is answered.
    task: Option<TaskId>,
}

impl Default for PasswordForm {
    fn default() -> Self {
        PasswordForm {
            fields: std::array::from_fn(|_| LineInput::new(true)),
            focus: 0,
            phase: Phase::Editing(None),
            task: None,
        }
    }
}

impl PasswordForm {
    /// Whether the password was changed.
    pub fn is_changed(&self) -> bool {
        self.phase == Phase::Changed
    }

    fn set(&mut self, phase: Phase) {
        self.phase = phase;
    }

    /// Takes the server's answer to the change sent; any other message is given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(Answer::PasswordChanged(answer)) => {
                self.task = None;
                self.phase = match answer {
                    Ok(()) => Phase::Changed,
                    Err(PasswordRefusal { why, field }) => {
                        if let Some(at) = field {
                            self.focus = at;
                        }
                        Phase::Editing(Some(why))
                    }
                };
                None
            }
            Ok(other) => {
                tracing::warn!("the password change answered {other:?}");
                None
            }
            Err(done) => Some(done),
        }
    }

    /// Moves the focus to the next (or previous) field, wrapping around.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = (self.focus + if forward { 1 } else { n - 1 }) % n;
    }

    /// An editing key or pasted text for the focused field; whether it was taken.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        self.phase != Phase::Sending && self.fields[self.focus].key(key)
    }

    /// Pasted text for the focused field.
    pub fn paste(&mut self, text: &str) {
        if self.phase != Phase::Sending {
            self.fields[self.focus].insert_str(text);
        }
    }

    /// Enter: the next field, or from the last one, checks the form and sends the change
    /// through `client`; the answer comes back through `tasks` for [`PasswordForm::receive`].
    pub fn confirm(&mut self, client: &Client, tasks: &Tasks) {
        if self.phase == Phase::Sending {
            return;
        }
        if self.focus + 1 < self.fields.len() {
            self.move_focus(true);
            return;
        }
        let [old, new, again] = self.fields.each_ref().map(|f| f.text().to_string());
        let refused = if old.is_empty() {
            Some(t("password-type-current"))
        } else if new != again {
            Some(t("password-differ"))
        } else {
            None
        };
        if let Some(why) = refused {
            self.set(Phase::Editing(Some(why)));
            return;
        }
        self.set(Phase::Sending);
        let client = client.clone();
        let task = tasks.spawn(async move {
            let answer = match client.api().change_password(&old, &new).await {
                Ok(()) => Ok(()),
                Err(ApiError::Offline(_)) => Err(PasswordRefusal {
                    why: t("password-offline"),
                    field: None,
                }),
                Err(e) => Err(PasswordRefusal {
                    field: at_fault(&e),
                    why: e.to_string(),
                }),
            };
            Answer::PasswordChanged(answer)
        });
        self.task = Some(task);
    }

    /// Draws the form as a popup centred in `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        let focus = self.focus;
        for (i, (label, field)) in LABELS.iter().zip(&self.fields).enumerate() {
            let focused = i == focus;
            let mut line = field.line(theme.input, focused);
            let style = if focused { theme.key } else { theme.muted };
            let label = t(label);
            line.spans
                .insert(0, Span::styled(format!("{label:<20} "), style));
            lines.push(line);
        }
        lines.push(Line::default());
        lines.push(match &self.phase {
            Phase::Editing(Some(why)) => Line::styled(strip_control(why), theme.error),
            Phase::Editing(None) => Line::styled(t("password-sessions-end"), theme.muted),
            Phase::Sending => Line::styled(t("password-changing"), theme.muted),
            Phase::Changed => Line::styled(t("password-changed"), theme.muted),
        });
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let popup = centered(area, WIDTH, height);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border_focused)
            .padding(Padding::horizontal(1))
            .title(Line::styled(
                format!(" {} ", t("password-title")),
                theme.title,
            ));
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
        assert_eq!(form.focus, 2);
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
