//! Drawing the sign-in screen: the demo account list or the email and password (or code)
//! form in a centred box, with the status line under the fields.

use super::{DemoAccount, DemoLogins, FIELD_WIDTH, Mode, SignIn, Status};
use crate::domain::i18n::Arg;
use crate::domain::text::strip_control;
use crate::tui::action::Action;
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{DrawCtx, centered};
use crate::tui::i18n::{self, t, tf};
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
                    tf("signin-demo-portal", &[("server", Arg::Text(&self.server))]),
                    ctx.theme.muted,
                ));
                lines.push(Line::raw(tf(
                    "signin-demo-password",
                    &[("password", Arg::Text(&logins.password))],
                )));
                lines.push(Line::default());
                lines.push(Line::styled(t("signin-choose-account"), ctx.theme.title));
                lines.extend(self.account_lines(logins, *selected, ctx));
            }
            Mode::Form {
                email,
                password,
                on_password,
                code,
            } => {
                lines.push(Line::styled(
                    tf("signin-server", &[("server", Arg::Text(&self.server))]),
                    ctx.theme.muted,
                ));
                lines.push(Line::default());
                let [email_label, password_label, code_label] =
                    ["signin-email", "signin-password", "signin-code"].map(t);
                // Every label as wide as the widest, so the fields line up in either mode.
                let label_width = [&email_label, &password_label, &code_label]
                    .iter()
                    .map(|l| l.chars().count())
                    .max()
                    .unwrap_or(0);
                let second = match code {
                    Some(code) => (code_label, code),
                    None => (password_label, password),
                };
                for (label, field, focused) in [
                    (email_label, email, !*on_password),
                    (second.0, second.1, *on_password),
                ] {
                    let label = format!("{label:<label_width$} ");
                    lines.push(field_line(&label, field, focused, ctx));
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
            .title(Line::styled(
                format!(" {} ", t("signin-title")),
                ctx.theme.title,
            ));
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
                let role = i18n::role(a.role);
                let role = match &a.company {
                    Some(company) => format!("{role} · {company}"),
                    None => role,
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
                    Some(key) => tf(
                        "signin-nothing-to-clear-key",
                        &[("key", Arg::Text(&key.to_string()))],
                    ),
                    None => t("signin-nothing-to-clear"),
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
