//! One SSH connection: sign-in with the portal's accounts (keyboard-interactive, or a
//! registered public key: `public_key.rs`), then one
//! session channel with a pseudo-terminal, on which the app runs. Only the app: a command
//! (`ssh host cmd`), a subsystem (`sftp`), X11 and agent forwarding are refused, and so are
//! port forwards (russh refuses those unless asked otherwise).

use super::app_session::{self, AppChannel, AppHost};
use super::gate::Waiting;
use super::prompts::{code_prompt, sign_in_prompts};
use super::public_key;
use super::seats::Seats;
use deskport::domain::i18n::text;
use deskport::domain::wire::LoginResponse;
use deskport::tui::i18n::{LOCALE_VARIABLES, from_locale};
use deskport::tui::remote::RemoteInput;
use russh::server::{
    Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Response, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelOpenFailure, Pty};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Input reads waiting for a session's app at most; past it the connection is read no
/// further (so a client flooding keys slows only itself).
const INPUT_QUEUE: usize = 64;

/// What the user reads when asking for anything but the app.
const ONLY_THE_APP: &str =
    "deskport serves only its app here: connect with plain `ssh` (no command, no sftp).\r\n";

/// What the user reads when connecting without a terminal (`ssh -T`).
const NEEDS_A_TERMINAL: &str = "deskport needs a terminal: connect with `ssh -t`.\r\n";

/// One SSH connection's state.
pub struct Connection {
    host: Arc<AppHost>,
    seats: Arc<Seats>,
    peer: SocketAddr,
    /// Its place among the connections not signed in yet, until it signs in.
    waiting: Option<Waiting>,
    signed_in: Option<LoginResponse>,
    /// The email a sign-in code was just mailed to, while its code is asked for.
    code_for: Option<String>,
    channel: Option<ChannelId>,
    size: Option<(u16, u16)>,
    no_color: bool,
    /// The client's terminal draws no colour (its `TERM` says so).
    colourless_terminal: bool,
    /// The client's `LC_ALL`, `LC_MESSAGES` and `LANG` (OpenSSH sends them by default).
    locale: [Option<String>; 3],
    input: Option<mpsc::Sender<RemoteInput>>,
}

impl Connection {
    /// A new connection from `peer`.
    pub fn new(host: Arc<AppHost>, seats: Arc<Seats>, peer: SocketAddr, waiting: Waiting) -> Self {
        Connection {
            host,
            seats,
            peer,
            waiting: Some(waiting),
            signed_in: None,
            code_for: None,
            channel: None,
            size: None,
            no_color: false,
            colourless_terminal: false,
            locale: [None, None, None],
            input: None,
        }
    }

    /// Tells the user `message` on `channel` and closes it with exit status 1 (nothing else
    /// runs). The request was answered with success first: OpenSSH drops what a channel
    /// says after a failed request, so the user would never read why.
    fn refuse(
        channel: ChannelId,
        message: &str,
        session: &mut Session,
    ) -> Result<(), russh::Error> {
        session.extended_data(channel, 1, message.as_bytes().to_vec())?;
        session.exit_status_request(channel, 1)?;
        session.eof(channel)?;
        session.close(channel)
    }

    /// Answers a command or a subsystem: nothing runs, and the user reads why.
    fn only_the_app(channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        session.channel_success(channel)?;
        Self::refuse(channel, ONLY_THE_APP, session)
    }

    /// Lets `login` in: the connection leaves the gate's waiting places and its app may open.
    fn accept(&mut self, login: LoginResponse, how: &str) -> Auth {
        tracing::info!("SSH {how} of {} from {}", login.user.email, self.peer.ip());
        self.signed_in = Some(login);
        if let Some(waiting) = self.waiting.take() {
            waiting.signed_in();
        }
        Auth::Accept
    }

    async fn send(&mut self, input: RemoteInput) {
        if let Some(tx) = &self.input
            && tx.send(input).await.is_err()
        {
            self.input = None;
        }
    }
}

/// Whether a terminal named `term` (the pty request's `TERM`) draws no colour at all: `dumb`
/// and the DEC VT100 family.
fn colourless(term: &str) -> bool {
    term == "dumb"
        || ["vt100", "vt102", "vt220"]
            .iter()
            .any(|vt| term.starts_with(vt))
}

/// A window size from the request, within what a terminal can have.
fn window(columns: u32, rows: u32) -> (u16, u16) {
    let clamp = |n: u32| u16::try_from(n).unwrap_or(u16::MAX).max(1);
    (clamp(columns), clamp(rows))
}

/// A refusal that lets the client go on with a key or the keyboard-interactive sign-in.
fn try_another_way() -> Auth {
    Auth::Reject {
        proceed_with_methods: Some(public_key::methods()),
        partial_success: false,
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(try_another_way())
    }

    /// Asks for the email and the password (the SSH user name is not used) and checks them
    /// with the portal's own sign-in; when the portal mails sign-in codes, an empty password
    /// has a code mailed instead, which is asked for next. Words in the portal's language.
    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        let language = self.host.door.language().await;
        let Some(response) = response else {
            self.code_for = None;
            let mails_codes = self.host.door.mails_codes().await;
            return Ok(sign_in_prompts(language, mails_codes, None));
        };
        let answers: Vec<String> = response
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect();
        let door = &self.host.door;
        let signed_in = match (self.code_for.take(), answers.as_slice()) {
            (Some(email), [code]) => door.sign_in_with_code(self.peer, email, code.clone()).await,
            (None, [email, password]) if password.is_empty() && door.mails_codes().await => {
                return match door.send_code(self.peer, email.clone()).await {
                    Ok(()) => {
                        self.code_for = Some(email.clone());
                        Ok(code_prompt(language, email))
                    }
                    Err(refused) => Ok(sign_in_prompts(language, true, Some(refused))),
                };
            }
            (None, [email, password]) => {
                door.sign_in(self.peer, email.clone(), password.clone())
                    .await
            }
            // Not the answers to the prompts sent: refused like a wrong password.
            _ => Err(text(language, "error-wrong-login")),
        };
        match signed_in {
            Ok(login) => Ok(self.accept(login, "sign-in")),
            // Asked again with the reason (the API's lockout and rate limits bound the tries,
            // and the gate the time).
            Err(reason) => {
                tracing::info!("SSH sign-in refused from {}: {reason}", self.peer.ip());
                let mails_codes = door.mails_codes().await;
                Ok(sign_in_prompts(language, mails_codes, Some(reason)))
            }
        }
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if public_key::worth_a_signature(offer.public_key) {
            Ok(Auth::Accept)
        } else {
            Ok(try_another_way())
        }
    }

    /// A key whose signature russh verified: its registered owner is signed in (the SSH
    /// user name is not used); any other key falls back to the keyboard-interactive sign-in.
    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match self
            .host
            .door
            .sign_in_by_key(self.peer, key.public_key)
            .await
        {
            Ok(login) => Ok(self.accept(login, "key sign-in")),
            Err(reason) => {
                tracing::info!("SSH key refused from {}: {reason}", self.peer.ip());
                Ok(try_another_way())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() || self.signed_in.is_none() {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        } else {
            self.channel = Some(channel.id());
            reply.accept().await;
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        columns: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.size = Some(window(columns, rows));
        self.colourless_terminal = colourless(term);
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if name == "NO_COLOR" {
            self.no_color = !value.is_empty();
            session.channel_success(channel)
        } else if let Some(at) = LOCALE_VARIABLES.iter().position(|v| *v == name) {
            self.locale[at] = Some(value.to_string());
            session.channel_success(channel)
        } else {
            session.channel_failure(channel)
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (Some(login), Some(ours)) = (self.signed_in.clone(), self.channel) else {
            return session.channel_failure(channel);
        };
        if ours != channel || self.input.is_some() {
            return session.channel_failure(channel);
        }
        session.channel_success(channel)?;
        let Some(size) = self.size else {
            return Self::refuse(channel, NEEDS_A_TERMINAL, session);
        };
        let seat = match self.seats.take(&login.user.email) {
            Ok(seat) => seat,
            Err(message) => {
                return Self::refuse(channel, &format!("{message}\r\n"), session);
            }
        };
        let (tx, rx) = mpsc::channel(INPUT_QUEUE);
        self.input = Some(tx);
        let host = self.host.clone();
        let app_channel = AppChannel {
            handle: session.handle(),
            id: channel,
            peer: self.peer,
            size,
            no_color: self.no_color || self.colourless_terminal,
            language: from_locale(self.locale.clone()),
        };
        tokio::spawn(async move {
            app_session::run(&host, app_channel, login, rx, seat).await;
        });
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _command: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        Self::only_the_app(channel, session)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        Self::only_the_app(channel, session)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.send(RemoteInput::Bytes(data.to_vec())).await;
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        columns: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (columns, rows) = window(columns, rows);
        self.size = Some((columns, rows));
        self.send(RemoteInput::Resize(columns, rows)).await;
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.input = None;
        Ok(())
    }

    async fn channel_close(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.input = None;
        Ok(())
    }
}
