//! The sign-in screen: on the embedded demo server, a list of the demo accounts (role and
//! company beside each) to pick with the arrows and Enter; on a configured server, an email
//! and password form.

use super::input::LineInput;
use super::{Component, DrawCtx, Outcome, Request, centered, step};
use crate::domain::Role;
use crate::domain::text::strip_control;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Padding, Paragraph, Wrap};

/// Cells an input field takes at least, so an empty one is visible.
const FIELD_WIDTH: usize = 32;

/// An account offered on the sign-in screen of the embedded demo server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The contact's company, if any.
    pub company: Option<String>,
}

/// The demo accounts and their shared password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogins {
    /// The accounts, in the order to list them.
    pub accounts: Vec<DemoAccount>,
    /// The password every one of them has.
    pub password: String,
}

#[derive(Debug, Clone)]
enum Mode {
    Accounts {
        logins: DemoLogins,
        selected: usize,
    },
    Form {
        email: LineInput,
        password: LineInput,
        on_password: bool,
    },
}

/// The sign-in screen.
#[derive(Debug, Clone)]
pub struct SignIn {
    mode: Mode,
    /// Where the accounts live, for the heading.
    server: String,
    /// Set while a sign-in is under way.
    busy: Option<String>,
    error: Option<String>,
}

impl SignIn {
    /// The account list of the embedded demo server at `server`.
    pub fn accounts(server: &str, logins: DemoLogins) -> Self {
        SignIn {
            mode: Mode::Accounts {
                logins,
                selected: 0,
            },
            server: server.to_string(),
            busy: None,
            error: None,
        }
    }

    /// The email and password form for `server`, with `email` filled in if known.
    pub fn form(server: &str, email: Option<&str>) -> Self {
        let email = LineInput::with_text(email.unwrap_or_default(), false);
        let on_password = !email.text().is_empty();
        SignIn {
            mode: Mode::Form {
                email,
                password: LineInput::new(true),
                on_password,
            },
            server: server.to_string(),
            busy: None,
            error: None,
        }
    }

    /// Marks a sign-in as under way for `email`.
    pub fn set_busy(&mut self, email: &str) {
        self.busy = Some(email.to_string());
        self.error = None;
    }

    /// Shows why signing in failed, and lets the user try again.
    pub fn set_error(&mut self, message: String) {
        self.busy = None;
        self.error = Some(message);
        if let Mode::Form {
            password,
            on_password,
            ..
        } = &mut self.mode
        {
            password.clear();
            *on_password = true;
        }
    }

    fn confirm(&self) -> Outcome {
        if self.busy.is_some() {
            return Outcome::Ignored;
        }
        match &self.mode {
            Mode::Accounts { logins, selected } => match logins.accounts.get(*selected) {
                Some(a) => Outcome::Request(Request::SignIn {
                    email: a.email.clone(),
                    password: logins.password.clone(),
                }),
                None => Outcome::Ignored,
            },
            Mode::Form {
                email, password, ..
            } => Outcome::Request(Request::SignIn {
                email: email.text().trim().to_string(),
                password: password.text().to_string(),
            }),
        }
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
}

impl Component for SignIn {
    fn contexts(&self) -> &'static [Context] {
        &[Context::SignIn]
    }

    fn commands(&self) -> Vec<Command> {
        match self.mode {
            Mode::Accounts { .. } => vec![
                Command::labelled(Action::Confirm, "sign in"),
                Command::labelled(Action::Down, "next account"),
                Command::labelled(Action::Up, "previous account"),
            ],
            Mode::Form { .. } => vec![
                Command::labelled(Action::Confirm, "sign in"),
                Command::new(Action::NextField),
                Command::new(Action::PrevField),
            ],
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match (&mut self.mode, action) {
            (_, Action::Confirm) => self.confirm(),
            (_, Action::Quit) => Outcome::Request(Request::Quit),
            (Mode::Accounts { logins, selected }, Action::Down | Action::Up) => {
                let delta = if action == Action::Down { 1 } else { -1 };
                *selected = step(*selected, delta, logins.accounts.len());
                Outcome::Changed
            }
            (
                Mode::Form { on_password, .. },
                Action::NextField | Action::PrevField | Action::Down | Action::Up,
            ) => {
                *on_password = !*on_password;
                Outcome::Changed
            }
            _ => Outcome::Ignored,
        }
    }

    fn captures_text(&self) -> bool {
        matches!(self.mode, Mode::Form { .. })
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        match &mut self.mode {
            Mode::Form {
                email,
                password,
                on_password,
            } => {
                let field = if *on_password { password } else { email };
                if field.key(key) {
                    Outcome::Changed
                } else {
                    Outcome::Ignored
                }
            }
            Mode::Accounts { .. } => Outcome::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        match &mut self.mode {
            Mode::Form {
                email,
                password,
                on_password,
            } => {
                (if *on_password { password } else { email }).insert_str(text);
                Outcome::Changed
            }
            Mode::Accounts { .. } => Outcome::Ignored,
        }
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        match &mut self.mode {
            Mode::Accounts { logins, selected } => {
                *selected = step(*selected, i64::from(rows), logins.accounts.len());
                Outcome::Changed
            }
            Mode::Form { .. } => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
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
            } => {
                lines.push(Line::styled(
                    format!("Server: {}", self.server),
                    ctx.theme.muted,
                ));
                lines.push(Line::default());
                for (label, field, focused) in [
                    ("Email    ", email, !*on_password),
                    ("Password ", password, *on_password),
                ] {
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
                    lines.push(line);
                }
            }
        }
        lines.push(Line::default());
        if let Some(email) = &self.busy {
            lines.push(Line::styled(
                format!("Signing in as {email}…"),
                ctx.theme.warning,
            ));
        } else if let Some(error) = &self.error {
            lines.push(Line::styled(
                format!("Cannot sign in: {error}"),
                ctx.theme.error,
            ));
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
}
