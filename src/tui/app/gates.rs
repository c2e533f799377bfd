//! What stands between a user and the panes, and the ways out: the consent notice a customer
//! answers first (and again whenever the portal's text changes), the conflict dialog, and
//! signing out — by choice, by declining the notice, or because the server ended the session.

use super::{App, Overlay, Screen, sign_in_screen};
use crate::client::{Client, Session};
use crate::domain::i18n::{Arg, Language};
use crate::tui::Server;
use crate::tui::components::panes::consent::ConsentNotice;
use crate::tui::components::popups::conflict::{ConflictDialog, conflicts};
use crate::tui::components::widgets::status_bar::Notice;
use crate::tui::i18n::{t, tf};
use crate::tui::msg::{ConsentGate, Tasks};
use crate::tui::session;

/// A signed-in customer held at the consent notice.
pub struct ConsentScreen {
    /// The running client (its sync waits until the notice is accepted).
    pub client: Client,
    /// The notice.
    pub notice: ConsentNotice,
    /// The portal's language, the screen's until the customer is let in.
    pub language: Language,
}

/// Why the session ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// The server refused the session (expired, or ended elsewhere).
    ServerEnded,
    /// The user asked to sign out.
    SignedOut,
    /// The user asked to end every session of the account (this one included).
    SignedOutEverywhere,
    /// The customer declined the consent notice.
    Declined,
}

impl App {
    /// Shows the consent notice of `gate` in place of everything else — if it answers the
    /// sign-in under way or concerns the session shown (not one signed out meanwhile).
    pub(super) fn hold_at_consent(&mut self, gate: ConsentGate) -> bool {
        let token = &gate.client.session().token;
        let current = match &self.screen {
            Screen::SignIn(_) => self.signing_in,
            Screen::Main(main) => &main.client().session().token == token,
            Screen::Consent(c) => &c.client.session().token == token,
        };
        if !current {
            return false;
        }
        self.signing_in = false;
        self.overlay = None;
        let notice = ConsentNotice::new(&gate.notice.text, gate.notice.version, gate.error);
        self.screen = Screen::Consent(Box::new(ConsentScreen {
            client: gate.client,
            notice,
            language: gate.language,
        }));
        true
    }

    /// A customer's sync failed: ask the server whether a (new) consent notice is why.
    pub(super) fn recheck_consent(&mut self) {
        if let Screen::Main(main) = &self.screen
            && !main.client().session().account.role.is_staff()
        {
            session::recheck_consent(
                main.client().clone(),
                self.consent_check.clone(),
                self.tx.clone(),
            );
        }
    }

    /// Whether the customer's acceptance is on its way to the server (so declining waits).
    pub(super) fn answering_consent(&self) -> bool {
        matches!(&self.screen, Screen::Consent(c) if c.notice.is_busy())
    }

    /// Records the customer's acceptance of the notice shown.
    pub(super) fn accept_consent(&mut self) -> bool {
        let Screen::Consent(screen) = &mut self.screen else {
            return false;
        };
        if screen.notice.is_busy() {
            return false;
        }
        screen.notice.set_busy();
        session::accept_consent(
            screen.client.clone(),
            screen.notice.version(),
            self.tx.clone(),
        );
        true
    }

    /// Opens the conflict dialog, unless it is open already (or, when not `asked`, another
    /// popup is). When `asked` it only opens if a conflict waits; a conflict just reported
    /// opens it even before the view's outbox shows it. Returns whether anything changed.
    pub(super) fn show_conflicts(&mut self, asked: bool) -> bool {
        let Screen::Main(main) = &self.screen else {
            return false;
        };
        let open = match &self.overlay {
            Some(Overlay::Conflict(_)) => return false,
            Some(_) => asked,
            None => true,
        };
        let client = main.client().clone();
        if !open || asked && conflicts(&client.view()).next().is_none() {
            if asked {
                self.notice = Some(Notice {
                    text: t("conflicts-none"),
                    error: false,
                });
            }
            return asked;
        }
        self.overlay = Some(Overlay::Conflict(ConflictDialog::new(
            client,
            Tasks::new(self.tx.clone()),
        )));
        true
    }

    /// Ends the session and goes back to the sign-in screen, saying why. The remembered
    /// session is forgotten; unless the server already ended it, it is ended there too.
    pub(super) fn leave(&mut self, why: Leave) -> bool {
        let client = match &self.screen {
            Screen::Main(main) => main.client().clone(),
            Screen::Consent(c) => c.client.clone(),
            Screen::SignIn(_) => return false,
        };
        let email = client.session().account.email.clone();
        if matches!(self.options.server, Server::Remote { .. })
            && let Err(e) = Session::forget(&self.options.config_dir)
        {
            tracing::warn!("cannot forget the session: {e}");
        }
        let mut screen = sign_in_screen(&self.options, Some(&email));
        match why {
            Leave::ServerEnded => {
                tokio::spawn(async move { client.shutdown().await });
                screen.set_error(t("leave-server-ended"));
            }
            Leave::Declined => {
                session::sign_out(client, false);
                screen.set_error(t("leave-declined"));
            }
            Leave::SignedOut => {
                session::sign_out(client, false);
                self.notice = Some(Notice {
                    text: tf("leave-signed-out", &[("email", Arg::Text(&email))]),
                    error: false,
                });
            }
            Leave::SignedOutEverywhere => {
                session::sign_out(client, true);
                self.notice = Some(Notice {
                    text: tf(
                        "leave-signed-out-everywhere",
                        &[("email", Arg::Text(&email))],
                    ),
                    error: false,
                });
            }
        }
        self.overlay = None;
        self.screen = Screen::SignIn(screen);
        true
    }
}
