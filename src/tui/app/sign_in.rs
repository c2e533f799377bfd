//! Signing in from the app: automatically at start (`--user`, a remembered session), with a
//! password or an emailed code from the sign-in screen, and the screen to go back to.

use super::{App, Screen};
use crate::client::Session;
use crate::domain::i18n::Arg;
use crate::tui::components::panes::signin::SignIn;
use crate::tui::components::widgets::status_bar::Notice;
use crate::tui::i18n::tf;
use crate::tui::session::{self, Secret, SignInPlan};
use crate::tui::{Options, Server};

impl App {
    /// Starts signing in without being asked, where the options say to: `--user` on the
    /// embedded server (a demo account; any other address is refused on the account list,
    /// saying why), or the remembered session of the configured one.
    pub fn start(&mut self) {
        let user = self.options.user.clone();
        match (&self.options.server, user) {
            (Server::Embedded { logins, .. }, Some(email)) => {
                let known = logins
                    .accounts
                    .iter()
                    .any(|a| a.email.eq_ignore_ascii_case(email.trim()));
                if known {
                    let password = logins.password.clone();
                    self.sign_in(email, Secret::Password(password));
                } else if let Screen::SignIn(screen) = &mut self.screen {
                    screen.set_problem(tf(
                        "signin-no-demo-account",
                        &[("email", Arg::Text(&email))],
                    ));
                }
            }
            (Server::Remote { url }, user) => match Session::load(&self.options.config_dir) {
                Ok(Some(s))
                    if &s.server_url == url
                        && user
                            .as_ref()
                            .is_none_or(|u| u.eq_ignore_ascii_case(&s.account.email)) =>
                {
                    if let Screen::SignIn(screen) = &mut self.screen {
                        screen.set_busy(&s.account.email);
                    }
                    self.signing_in = true;
                    session::resume(self.plan(), s, self.tx.clone());
                }
                Ok(_) => {}
                Err(e) => {
                    self.notice = Some(Notice {
                        text: e.to_string(),
                        error: true,
                    })
                }
            },
            (Server::Embedded { .. }, None) => {}
        }
    }

    fn plan(&self) -> SignInPlan {
        SignInPlan {
            server_url: self.options.server.url().to_string(),
            data_dir: self.options.data_dir.clone(),
            remember_in: matches!(self.options.server, Server::Remote { .. })
                .then(|| self.options.config_dir.clone()),
        }
    }

    pub(super) fn sign_in(&mut self, email: String, secret: Secret) {
        if let Screen::SignIn(screen) = &mut self.screen {
            screen.set_busy(&email);
        }
        self.signing_in = true;
        session::sign_in(self.plan(), email, secret, self.tx.clone());
    }

    /// Asks the server to email a sign-in code to `email`.
    pub(super) fn request_code(&mut self, email: String) {
        if let Screen::SignIn(screen) = &mut self.screen {
            screen.set_sending_code(&email);
        }
        let url = self.options.server.url().to_string();
        session::request_code(url, email, self.tx.clone());
    }
}

/// The sign-in screen for the configured server, `email` filled in if known.
pub(super) fn sign_in_screen(options: &Options, email: Option<&str>) -> SignIn {
    match &options.server {
        Server::Embedded { url, logins } => SignIn::accounts(url, logins.clone()),
        Server::Remote { url } => SignIn::form(url, email.or(options.user.as_deref())),
    }
}
