//! The app's state and the one place it changes: messages from the event loop become actions
//! (through the keymap of the focused context), actions go to the focused component first and
//! to the app's global handling if it ignores them.

use super::Options;
use super::action::Action;
use super::components::panes::signin::SignIn;
use super::components::popups::conflict::ConflictDialog;
use super::components::popups::help::Help;
use super::components::popups::palette::Palette;
use super::components::widgets::status_bar::Notice;
use super::components::{Component, Outcome, Request};
use super::config::Config;
use super::editor::EditorJob;
use super::i18n::tf;
use super::keymap::{Context, KeyCombo};
use super::msg::{Done, Msg};
use super::session::Secret;
use crate::client::{Client, ClientEvent};
use crate::domain::i18n::Arg;
use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tokio::sync::mpsc::UnboundedSender;

mod commands;
mod draw;
mod gates;
mod main_screen;
mod sign_in;

use gates::{ConsentScreen, Leave};
use main_screen::Main;
use sign_in::sign_in_screen;

/// The smallest terminal the app draws in.
pub const MIN_SIZE: (u16, u16) = (60, 16);

enum Screen {
    SignIn(SignIn),
    /// A signed-in customer who must answer the consent notice first.
    Consent(Box<ConsentScreen>),
    Main(Box<Main>),
}

enum Overlay {
    Help(Help),
    Palette(Palette),
    Conflict(ConflictDialog),
}

impl Overlay {
    fn component(&mut self) -> &mut dyn Component {
        match self {
            Overlay::Help(h) => h,
            Overlay::Palette(p) => p,
            Overlay::Conflict(c) => c,
        }
    }
}

/// The whole app state.
pub struct App {
    config: Config,
    options: Options,
    tx: UnboundedSender<Msg>,
    screen: Screen,
    overlay: Option<Overlay>,
    notice: Option<Notice>,
    quit: bool,
    tab_rects: Vec<Rect>,
    /// Text waiting to be continued in the external editor (the event loop runs it).
    editor: Option<EditorJob>,
    /// Set while the server is being asked whether a new consent notice must be accepted.
    consent_check: Arc<AtomicBool>,
    /// A sign-in is under way (its answer may be the consent notice).
    signing_in: bool,
}

impl App {
    /// The app on its sign-in screen; `tx` is where background work reports back.
    pub fn new(config: Config, options: Options, tx: UnboundedSender<Msg>) -> Self {
        let screen = Screen::SignIn(sign_in_screen(&options, None));
        App {
            config,
            options,
            tx,
            screen,
            overlay: None,
            notice: None,
            quit: false,
            tab_rects: Vec::new(),
            editor: None,
            consent_check: Arc::default(),
            signing_in: false,
        }
    }

    /// Whether the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The running client, once signed in.
    pub fn client(&self) -> Option<&Client> {
        match &self.screen {
            Screen::Main(m) => Some(m.client()),
            Screen::Consent(c) => Some(&c.client),
            Screen::SignIn(_) => None,
        }
    }

    /// The first screen to leave for the next start (signed in, on the main screen).
    pub fn first_screen(&mut self) -> Option<crate::client::Glance> {
        match &mut self.screen {
            Screen::Main(m) => m.first_screen(),
            Screen::Consent(_) | Screen::SignIn(_) => None,
        }
    }

    /// The text a component asked to continue in the external editor, if any; the event loop
    /// runs the editor and hands the result back through the job.
    pub fn take_editor(&mut self) -> Option<EditorJob> {
        self.editor.take()
    }

    /// Applies one message; returns whether the screen needs drawing again.
    pub fn update(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Terminal(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                self.on_key(&key)
            }
            Msg::Terminal(Event::Mouse(mouse)) => self.on_mouse(mouse),
            Msg::Terminal(Event::Paste(text)) => {
                let outcome = self.target().paste(&text);
                self.apply(outcome)
            }
            Msg::Terminal(Event::Resize(..)) => true,
            Msg::Terminal(_) => false,
            Msg::TerminalFailed(e) => {
                tracing::error!("terminal input failed: {e}");
                self.quit = true;
                false
            }
            Msg::SignedIn(Ok(client)) => {
                self.signing_in = false;
                self.overlay = None;
                self.screen = Screen::Main(Box::new(Main::new(client, self.tx.clone())));
                true
            }
            Msg::CodeSent { email, sent } => {
                if let Screen::SignIn(screen) = &mut self.screen {
                    screen.code_sent(&email, sent);
                }
                true
            }
            Msg::SignedIn(Err(message)) => {
                self.signing_in = false;
                if let Screen::SignIn(screen) = &mut self.screen {
                    screen.set_error(message);
                }
                true
            }
            Msg::Client(event) => self.on_client(event),
            Msg::Consent(gate) => self.hold_at_consent(*gate),
            Msg::Done(done) => self.on_done(done),
        }
    }

    /// Hands the answer of background work to the popup or pane that started it; an answer
    /// nobody waits for any more (its popup was closed) is dropped.
    fn on_done(&mut self, done: Done) -> bool {
        let done = match &mut self.overlay {
            Some(overlay) => match overlay.component().background(done) {
                Some(done) => done,
                None => return true,
            },
            None => done,
        };
        match &mut self.screen {
            Screen::Main(main) => main.background(done).is_none(),
            Screen::SignIn(_) | Screen::Consent(_) => false,
        }
    }

    fn on_client(&mut self, event: ClientEvent) -> bool {
        match event {
            ClientEvent::Status(status)
                if status.connection == crate::client::Connection::SignedOut =>
            {
                self.leave(Leave::ServerEnded);
            }
            ClientEvent::Status(status) if status.last_error.is_some() => {
                self.recheck_consent();
            }
            ClientEvent::Conflict { description, .. } => {
                self.notice = Some(Notice {
                    text: tf("notice-conflict", &[("what", Arg::Text(&description))]),
                    error: true,
                });
                self.show_conflicts(false);
            }
            ClientEvent::Rejected {
                description,
                message,
                ..
            } => {
                self.notice = Some(Notice {
                    text: tf(
                        "notice-refused",
                        &[
                            ("what", Arg::Text(&description)),
                            ("why", Arg::Text(&message)),
                        ],
                    ),
                    error: true,
                });
            }
            ClientEvent::BulkDone {
                description,
                succeeded,
                failed,
                ..
            } => {
                let counts = format!("{succeeded} changed, {} failed", failed.len());
                let text = match failed.first() {
                    None => format!("{counts}: {description}"),
                    Some((id, why)) => format!("{counts}: {description} (#{id}: {why})"),
                };
                self.notice = Some(Notice {
                    text,
                    error: !failed.is_empty(),
                });
            }
            ClientEvent::ViewChanged { .. } => {
                if let Screen::Main(main) = &mut self.screen {
                    main.open_setup();
                    main.view_changed();
                }
            }
            ClientEvent::Status(_) | ClientEvent::Applied { .. } => {}
        }
        true
    }

    /// The component with the keyboard: the popup if one is open, else the screen's pane.
    fn target(&mut self) -> &mut dyn Component {
        if let Some(overlay) = &mut self.overlay {
            return overlay.component();
        }
        match &mut self.screen {
            Screen::SignIn(s) => s,
            Screen::Consent(c) => &mut c.notice,
            Screen::Main(m) => m.pane(),
        }
    }

    fn on_key(&mut self, key: &KeyEvent) -> bool {
        let cleared = self.notice.take().is_some();
        let combo = KeyCombo::from_event(key);
        let (contexts, typing) = {
            let target = self.target();
            (target.contexts(), target.captures_text())
        };
        if typing && combo.is_text() {
            let outcome = self.target().input(key);
            return self.apply(outcome) || cleared;
        }
        let keymap = &self.config.keymap;
        let action = contexts
            .iter()
            .chain([&Context::Global])
            .find_map(|c| keymap.action(*c, combo));
        let changed = match action {
            Some(action) => self.dispatch(action),
            None if typing => {
                let outcome = self.target().input(key);
                self.apply(outcome)
            }
            None => false,
        };
        changed || cleared
    }

    fn on_mouse(&mut self, mouse: MouseEvent) -> bool {
        let rows = if self.overlay.is_none() && matches!(self.screen, Screen::Main(_)) {
            3
        } else {
            1
        };
        match mouse.kind {
            MouseEventKind::ScrollDown => {
                let outcome = self.target().scroll(rows);
                self.apply(outcome)
            }
            MouseEventKind::ScrollUp => {
                let outcome = self.target().scroll(-rows);
                self.apply(outcome)
            }
            MouseEventKind::Down(MouseButton::Left) if self.overlay.is_none() => {
                let at = Position::new(mouse.column, mouse.row);
                match (
                    self.tab_rects.iter().position(|r| r.contains(at)),
                    &mut self.screen,
                ) {
                    (Some(i), Screen::Main(main)) => main.show(i),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Gives `action` to the focused component, then to the app.
    pub fn dispatch(&mut self, action: Action) -> bool {
        match self.target().handle(action) {
            Outcome::Ignored => self.global(action),
            outcome => self.apply(outcome),
        }
    }

    fn apply(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Ignored => false,
            Outcome::Changed => true,
            Outcome::Request(Request::SignIn { email, password }) => {
                self.sign_in(email, Secret::Password(password));
                true
            }
            Outcome::Request(Request::SignInWithCode { email, code }) => {
                self.sign_in(email, Secret::Code(code));
                true
            }
            Outcome::Request(Request::RequestCode { email }) => {
                self.request_code(email);
                true
            }
            Outcome::Request(Request::Notice(notice)) => {
                self.notice = Some(notice);
                true
            }
            Outcome::Request(Request::Close) => {
                self.overlay = None;
                true
            }
            Outcome::Request(Request::Run(action)) => {
                self.overlay = None;
                self.dispatch(action);
                true
            }
            Outcome::Request(Request::Quit) => {
                self.quit = true;
                true
            }
            Outcome::Request(Request::Editor(job)) => {
                self.editor = Some(job);
                true
            }
        }
    }

    fn global(&mut self, action: Action) -> bool {
        match action {
            Action::Quit => {
                self.quit = true;
                true
            }
            Action::Help => {
                self.overlay = match self.overlay.take() {
                    Some(Overlay::Help(_)) => None,
                    _ => Some(Overlay::Help(self.help())),
                };
                true
            }
            Action::Palette => {
                self.overlay = match self.overlay.take() {
                    Some(Overlay::Palette(_)) => None,
                    _ => Some(Overlay::Palette(self.palette())),
                };
                true
            }
            Action::Conflicts => self.show_conflicts(true),
            _ if self.overlay.is_some() => false,
            Action::SignOut => self.leave(Leave::SignedOut),
            Action::SignOutEverywhere => self.leave(Leave::SignedOutEverywhere),
            Action::Accept => self.accept_consent(),
            Action::Decline if !self.answering_consent() => self.leave(Leave::Declined),
            _ => match &mut self.screen {
                Screen::Main(main) => main.tab_action(action),
                Screen::SignIn(_) | Screen::Consent(_) => false,
            },
        }
    }
}
