//! Drawing the sign-in screen: the demo account list or the email and password (or code)
//! form in a centred box, with the status line under the fields.

use super::{DemoAccount, DemoLogins, FIELD_WIDTH, Mode, SignIn, Status};
use crate::domain::text::strip_control;
use crate::tui::action::Action;
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{DrawCtx, centered};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Padding, Paragraph, Wrap};

impl SignIn {
    /// Draws the account list or the form, and the status line under it, in a box centred
    /// in `area`.
    pub(super) fn draw_screen(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let mut lines = Vec::new();
        match &self.mode {
            Mode::Accounts { logins, selected } => {
                lines.push(Line::styled(
                    format!("Demo portal, embedded at {}", self.server),
                    ctx.theme.muted,
                ));
                lines.push(Line::raw(format!(
                    "Every demo account's password is {}.",
                    logins.password
                )));
                lines.push(Line::default());
                lines.push(Line::styled("Choose an account:", ctx.theme.title));
                lines.extend(self.account_lines(logins, *selected, ctx));
            }
            Mode::Form {
                email,
                password,
                on_password,
                code,
            } => {
                lines.push(Line::styled(
                    format!("Server: {}", self.server),
                    ctx.theme.muted,
                ));
                lines.push(Line::default());
                let second = match code {
                    Some(code) => ("Code     ", code),
                    None => ("Password ", password),
                };
                for (label, field, focused) in [
                    ("Email    ", email, !*on_password),
                    (second.0, second.1, *on_password),
                ] {
                    lines.push(field_line(label, field, focused, ctx));
                }
            }
        }
        lines.push(Line::default());
        if let Some(line) = self.status_line(ctx) {
            lines.push(line);
        }
        let width = lines.iter().map(Line::width).max().unwrap_or(0).max(40);
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let popup = centered(area, u16::try_from(width + 4).unwrap_or(u16::MAX), height);
        let block = Block::bordered()
            .padding(Padding::horizontal(1))
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(" Sign in to deskport ", ctx.theme.title));
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            popup,
        );
    }

    fn account_lines(
        &self,
        logins: &DemoLogins,
        selected: usize,
        ctx: DrawCtx<'_>,
    ) -> Vec<Line<'static>> {
        let width = |f: fn(&DemoAccount) -> usize| logins.accounts.iter().map(f).max().unwrap_or(0);
        let name_w = width(|a| a.name.chars().count());
        let email_w = width(|a| a.email.chars().count());
        logins
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let chosen = i == selected;
                let style = if chosen {
                    ctx.theme.selected
                } else {
                    ctx.theme.base
                };
                let role = match &a.company {
                    Some(company) => format!("{} · {}", a.role.as_str(), company),
                    None => a.role.as_str().to_string(),
                };
                Line::from(vec![
                    Span::styled(if chosen { "▶ " } else { "  " }, style),
                    Span::styled(format!("{:<name_w$}  ", strip_control(&a.name)), style),
                    Span::styled(format!("{:<email_w$}  ", a.email), style),
                    Span::styled(role, if chosen { style } else { ctx.theme.muted }),
                ])
            })
            .collect()
    }

    fn status_line(&self, ctx: DrawCtx<'_>) -> Option<Line<'static>> {
        Some(match self.status.as_ref()? {
            Status::Busy(text) => Line::styled(text.clone(), ctx.theme.warning),
            Status::Error(text) => Line::styled(text.clone(), ctx.theme.error),
            Status::Info(text) => Line::styled(text.clone(), ctx.theme.base),
            Status::QuitHint => {
                let keys = ctx.keymap.keys(Context::SignIn, Action::Quit);
                let text = match keys.first() {
                    Some(key) => format!("Nothing to clear; {key} quits."),
                    None => "Nothing to clear.".to_string(),
                };
                Line::styled(text, ctx.theme.muted)
            }
        })
    }
}

/// One labelled input field of the form, padded so an empty one shows.
fn field_line(label: &str, field: &LineInput, focused: bool, ctx: DrawCtx<'_>) -> Line<'static> {
    let marker = if focused { "▶ " } else { "  " };
    let mut line = field.line(ctx.theme.input, focused);
    let pad = FIELD_WIDTH.saturating_sub(line.width());
    line.spans
        .push(Span::styled(" ".repeat(pad), ctx.theme.input));
    line.spans.insert(
        0,
        Span::styled(
            format!("{marker}{label}"),
            if focused {
                ctx.theme.title
            } else {
                ctx.theme.base
            },
        ),
    );
    line
}
