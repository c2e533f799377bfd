//! The sign-in screen: on the embedded demo server, a list of the demo accounts (role and
//! company beside each) to pick with the arrows and Enter; on a configured server, an email
//! and password form.

mod draw;

use crate::domain::Role;
use crate::domain::i18n::Arg;
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::{Component, DrawCtx, Outcome, Request, step};
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Cells an input field takes at least, so an empty one is visible.
const FIELD_WIDTH: usize = 32;

/// An account offered on the sign-in screen of the embedded demo server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
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
        /// Set once a sign-in code was emailed: the code field stands in for the password.
        code: Option<LineInput>,
    },
}

/// The line under the fields: what is under way, what went wrong, or what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    /// A request is under way (signing in, sending a code); keys wait.
    Busy(String),
    /// Signing in (or sending the code) failed.
    Error(String),
    /// Something to know, e.g. where the code went.
    Info(String),
    /// `Esc` had nothing left to clear: say which key quits.
    QuitHint,
}

/// The sign-in screen.
#[derive(Debug, Clone)]
pub struct SignIn {
    mode: Mode,
    /// Where the accounts live, for the heading.
    server: String,
    status: Option<Status>,
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
            status: None,
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
                code: None,
            },
            server: server.to_string(),
            status: None,
        }
    }

    /// Marks a sign-in as under way for `email`.
    pub fn set_busy(&mut self, email: &str) {
        self.status = Some(Status::Busy(tf(
            "signin-busy",
            &[("email", Arg::Text(email))],
        )));
    }

    /// Marks a sign-in code as being sent to `email`.
    pub fn set_sending_code(&mut self, email: &str) {
        self.status = Some(Status::Busy(tf(
            "signin-sending-code",
            &[("email", Arg::Text(email))],
        )));
    }

    /// Shows why signing in failed, and lets the user try again (the password, or the code,
    /// is cleared to be typed again).
    pub fn set_error(&mut self, message: String) {
        self.status = Some(Status::Error(tf(
            "signin-failed",
            &[("message", Arg::Text(&message))],
        )));
        if let Mode::Form {
            password,
            on_password,
            code,
            ..
        } = &mut self.mode
        {
            match code {
                Some(code) => code.clear(),
                None => password.clear(),
            }
            *on_password = true;
        }
    }

    /// Shows `message` as a problem to fix on this screen (not a failed sign-in).
    pub fn set_problem(&mut self, message: String) {
        self.status = Some(Status::Error(message));
    }

    /// A sign-in code was emailed to `email` (or `Err`: why not): asks for the code, or says
    /// why not and stays on the password.
    pub fn code_sent(&mut self, email: &str, result: Result<(), String>) {
        let Mode::Form {
            code, on_password, ..
        } = &mut self.mode
        else {
            return;
        };
        match result {
            Ok(()) => {
                *code = Some(LineInput::new(false));
                *on_password = true;
                self.status = Some(Status::Info(tf(
                    "signin-code-sent",
                    &[("email", Arg::Text(email))],
                )));
            }
            Err(why) => self.status = Some(Status::Error(why)),
        }
    }

    fn busy(&self) -> bool {
        matches!(self.status, Some(Status::Busy(_)))
    }

    /// The form field typing and pasting go to: the email, else the code when one is being
    /// entered, else the password; none while an account is being chosen.
    fn focused_field(&mut self) -> Option<&mut LineInput> {
        match &mut self.mode {
            Mode::Form {
                email,
                password,
                on_password,
                code,
            } => Some(match (*on_password, code) {
                (false, _) => email,
                (true, Some(code)) => code,
                (true, None) => password,
            }),
            Mode::Accounts { .. } => None,
        }
    }

    fn confirm(&mut self) -> Outcome {
        if self.busy() {
            return Outcome::Ignored;
        }
        let request = match &mut self.mode {
            Mode::Accounts { logins, selected } => match logins.accounts.get(*selected) {
                Some(a) => Ok(Request::SignIn {
                    email: a.email.clone(),
                    password: logins.password.clone(),
                }),
                None => return Outcome::Ignored,
            },
            Mode::Form {
                email,
                password,
                on_password,
                code,
            } => {
                let address = email.text().trim().to_string();
                let secret = code.as_ref().unwrap_or(password).text().trim().to_string();
                if address.is_empty() {
                    *on_password = false;
                    Err("signin-enter-email")
                } else if secret.is_empty() {
                    *on_password = true;
                    Err(if code.is_some() {
                        "signin-enter-code"
                    } else {
                        "signin-enter-password"
                    })
                } else if code.is_some() {
                    Ok(Request::SignInWithCode {
                        email: address,
                        code: secret,
                    })
                } else {
                    Ok(Request::SignIn {
                        email: address,
                        // The password as typed: spaces may be part of it.
                        password: password.text().to_string(),
                    })
                }
            }
        };
        match request {
            Ok(request) => Outcome::Request(request),
            Err(why) => {
                self.status = Some(Status::Error(t(why)));
                Outcome::Changed
            }
        }
    }

    /// `Ctrl-E`: emails a sign-in code to the typed address (the server says whether it
    /// offers password-less sign-in).
    fn request_code(&mut self) -> Outcome {
        if self.busy() {
            return Outcome::Ignored;
        }
        let Mode::Form {
            email, on_password, ..
        } = &mut self.mode
        else {
            return Outcome::Ignored;
        };
        let address = email.text().trim().to_string();
        if address.is_empty() {
            *on_password = false;
            self.status = Some(Status::Error(t("signin-email-first")));
            return Outcome::Changed;
        }
        Outcome::Request(Request::RequestCode { email: address })
    }

    /// `Esc`: leaves the code step, else clears the focused field; with nothing left to
    /// clear it says which key quits (so a stray `Esc` never drops the user into the shell
    /// with the rest of their typing).
    fn escape(&mut self) -> Outcome {
        if self.busy() {
            return Outcome::Ignored;
        }
        match &mut self.mode {
            Mode::Form {
                code: code @ Some(_),
                ..
            } => {
                *code = None;
                self.status = None;
            }
            Mode::Form {
                email,
                password,
                on_password,
                ..
            } => {
                let field = if *on_password { password } else { email };
                if field.text().is_empty() {
                    self.status = Some(Status::QuitHint);
                } else {
                    field.clear();
                    self.status = None;
                }
            }
            Mode::Accounts { .. } => self.status = Some(Status::QuitHint),
        }
        Outcome::Changed
    }
}

impl Component for SignIn {
    fn contexts(&self) -> &'static [Context] {
        &[Context::SignIn]
    }

    fn commands(&self) -> Vec<Command> {
        match &self.mode {
            Mode::Accounts { .. } => vec![
                Command::worded(Action::Confirm, "signin-cmd-sign-in"),
                Command::worded(Action::Down, "signin-cmd-next-account"),
                Command::worded(Action::Up, "signin-cmd-previous-account"),
            ],
            // The code comes before Tab: the hint bar keeps the first that fit, and Tab is
            // the one a user tries anyway (Italian's longer words leave room for one of them
            // at 80 columns).
            Mode::Form { code: Some(_), .. } => vec![
                Command::worded(Action::Confirm, "signin-cmd-with-code"),
                Command::worded(Action::RequestCode, "signin-cmd-new-code"),
                Command::new(Action::NextField),
                Command::worded(Action::Close, "signin-cmd-back"),
            ],
            Mode::Form { .. } => vec![
                Command::worded(Action::Confirm, "signin-cmd-sign-in"),
                Command::worded(Action::RequestCode, "signin-cmd-email-code"),
                Command::new(Action::NextField),
                Command::worded(Action::Close, "signin-cmd-clear"),
                Command::new(Action::PrevField),
            ],
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match (&mut self.mode, action) {
            (_, Action::Confirm) => self.confirm(),
            (_, Action::Quit) => Outcome::Request(Request::Quit),
            (_, Action::Close) => self.escape(),
            (_, Action::RequestCode) => self.request_code(),
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
        if self.focused_field().is_some_and(|field| field.key(key)) {
            Outcome::Changed
        } else {
            Outcome::Ignored
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        match self.focused_field() {
            Some(field) => {
                field.insert_str(text);
                Outcome::Changed
            }
            None => Outcome::Ignored,
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
        self.draw_screen(frame, area, ctx);
    }
}
