//! The app's state and the one place it changes: messages from the event loop become actions
//! (through the keymap of the focused context), actions go to the focused component first and
//! to the app's global handling if it ignores them.

use super::action::{Action, Command};
use super::components::help::{Help, HelpGroup};
use super::components::palette::Palette;
use super::components::signin::SignIn;
use super::components::status_bar::{self, Identity, Notice, StatusInfo};
use super::components::tabs::{self, TabKind};
use super::components::{Binding, Component, DrawCtx, Outcome, Request, bindings};
use super::config::Config;
use super::keymap::{Context, KeyCombo};
use super::session::{self, SignInPlan};
use super::{Msg, Options, Server};
use crate::client::{Client, ClientEvent, Session};
use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use tokio::sync::mpsc::UnboundedSender;

mod main_screen;
mod sync_text;

use main_screen::Main;

/// The smallest terminal the app draws in.
pub const MIN_SIZE: (u16, u16) = (60, 16);

enum Screen {
    SignIn(SignIn),
    Main(Box<Main>),
}

enum Overlay {
    Help(Help),
    Palette(Palette),
}

impl Overlay {
    fn component(&mut self) -> &mut dyn Component {
        match self {
            Overlay::Help(h) => h,
            Overlay::Palette(p) => p,
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
}

impl App {
    /// The app on its sign-in screen; `tx` is where background work reports back.
    pub fn new(config: Config, options: Options, tx: UnboundedSender<Msg>) -> Self {
        let screen = Screen::SignIn(sign_in_screen(&options, None));
        App { config, options, tx, screen, overlay: None, notice: None, quit: false, tab_rects: Vec::new() }
    }

    /// Starts signing in without being asked, where the options say to: `--user` on the
    /// embedded server, or the remembered session of the configured one.
    pub fn start(&mut self) {
        let user = self.options.user.clone();
        match (&self.options.server, user) {
            (Server::Embedded { logins, .. }, Some(email)) => {
                let password = logins.password.clone();
                self.sign_in(email, password);
            }
            (Server::Remote { url }, user) => match Session::load(&self.options.config_dir) {
                Ok(Some(s)) if &s.server_url == url && user.as_ref().is_none_or(|u| u.eq_ignore_ascii_case(&s.account.email)) => {
                    if let Screen::SignIn(screen) = &mut self.screen {
                        screen.set_busy(&s.account.email);
                    }
                    session::resume(self.plan(), s, self.tx.clone());
                }
                Ok(_) => {}
                Err(e) => self.notice = Some(Notice { text: e.to_string(), error: true }),
            },
            (Server::Embedded { .. }, None) => {}
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
            Screen::SignIn(_) => None,
        }
    }

    fn plan(&self) -> SignInPlan {
        SignInPlan {
            server_url: self.options.server.url().to_string(),
            data_dir: self.options.data_dir.clone(),
            remember_in: matches!(self.options.server, Server::Remote { .. }).then(|| self.options.config_dir.clone()),
        }
    }

    fn sign_in(&mut self, email: String, password: String) {
        if let Screen::SignIn(screen) = &mut self.screen {
            screen.set_busy(&email);
        }
        session::sign_in(self.plan(), email, password, self.tx.clone());
    }

    /// Applies one message; returns whether the screen needs drawing again.
    pub fn update(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Terminal(Event::Key(key)) if key.kind != KeyEventKind::Release => self.on_key(&key),
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
                self.overlay = None;
                self.screen = Screen::Main(Box::new(Main::new(client, self.tx.clone())));
                true
            }
            Msg::SignedIn(Err(message)) => {
                if let Screen::SignIn(screen) = &mut self.screen {
                    screen.set_error(message);
                }
                true
            }
            Msg::Client(event) => self.on_client(event),
        }
    }

    fn on_client(&mut self, event: ClientEvent) -> bool {
        match event {
            ClientEvent::Status(status) if status.connection == crate::client::Connection::SignedOut => self.signed_out(),
            ClientEvent::Conflict { description, .. } => {
                self.notice = Some(Notice { text: format!("conflict on {description}"), error: true });
            }
            ClientEvent::Rejected { description, message, .. } => {
                self.notice = Some(Notice { text: format!("{description} refused: {message}"), error: true });
            }
            ClientEvent::Status(_) | ClientEvent::ViewChanged { .. } | ClientEvent::Applied { .. } => {}
        }
        true
    }

    /// The server ended the session: back to the sign-in screen.
    fn signed_out(&mut self) {
        let Screen::Main(main) = &self.screen else { return };
        let client = main.client().clone();
        let email = client.session().account.email.clone();
        if matches!(self.options.server, Server::Remote { .. })
            && let Err(e) = Session::forget(&self.options.config_dir)
        {
            tracing::warn!("cannot forget the session: {e}");
        }
        tokio::spawn(async move { client.shutdown().await });
        let mut screen = sign_in_screen(&self.options, Some(&email));
        screen.set_error("the server ended the session; sign in again".to_string());
        self.overlay = None;
        self.screen = Screen::SignIn(screen);
    }

    /// The component with the keyboard: the popup if one is open, else the screen's pane.
    fn target(&mut self) -> &mut dyn Component {
        if let Some(overlay) = &mut self.overlay {
            return overlay.component();
        }
        match &mut self.screen {
            Screen::SignIn(s) => s,
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
        let action = contexts.iter().chain([&Context::Global]).find_map(|c| keymap.action(*c, combo));
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
        let rows = if self.overlay.is_none() && matches!(self.screen, Screen::Main(_)) { 3 } else { 1 };
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
                match (self.tab_rects.iter().position(|r| r.contains(at)), &mut self.screen) {
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
                self.sign_in(email, password);
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
            _ if self.overlay.is_some() => false,
            _ => match &mut self.screen {
                Screen::Main(main) => main.tab_action(action),
                Screen::SignIn(_) => false,
            },
        }
    }

    /// The commands of the screen's pane and those that work everywhere, with their keys,
    /// under the title of the pane.
    fn groups(&mut self) -> (String, Vec<HelpGroup>) {
        let global = self.global_commands();
        let (title, contexts, commands, typing) = match &mut self.screen {
            Screen::SignIn(s) => ("Sign in".to_string(), s.contexts(), s.commands(), s.captures_text()),
            Screen::Main(m) => {
                let title = m.title();
                let pane = m.pane();
                (title, pane.contexts(), pane.commands(), pane.captures_text())
            }
        };
        let keymap = &self.config.keymap;
        let groups = vec![
            HelpGroup { title: title.clone(), bindings: bindings(keymap, contexts, &commands, typing) },
            HelpGroup { title: "Everywhere".to_string(), bindings: bindings(keymap, contexts, &global, typing) },
        ];
        (title, groups)
    }

    fn help(&mut self) -> Help {
        let (title, groups) = self.groups();
        Help::new(&title, groups)
    }

    fn palette(&mut self) -> Palette {
        let (_, groups) = self.groups();
        Palette::new(groups.into_iter().flat_map(|g| g.bindings).filter(|b| b.action != Action::Palette).collect())
    }

    fn global_commands(&self) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Screen::Main(main) = &self.screen {
            commands.extend(main.tab_commands());
        }
        commands.extend([Command::new(Action::Help), Command::new(Action::Palette), Command::new(Action::Quit)]);
        commands
    }

    /// The hint bar's bindings: the popup's, or the pane's followed by the global ones.
    fn hints(&mut self) -> Vec<Binding> {
        if let Some(overlay) = &mut self.overlay {
            let c = overlay.component();
            return bindings(&self.config.keymap, c.contexts(), &c.commands(), c.captures_text());
        }
        let (_, groups) = self.groups();
        groups.into_iter().flat_map(|g| g.bindings).filter(|b| !matches!(b.action, Action::Tab1 | Action::Tab2 | Action::Tab3 | Action::PrevTab)).collect()
    }

    /// Draws the whole screen.
    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let ctx = DrawCtx { theme: &self.config.theme, keymap: &self.config.keymap, focused: true };
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            let text = format!(
                "The terminal is {}×{}; deskport needs at least {}×{}. Make the window larger, or press q to quit.",
                area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
            );
            frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.warning)).wrap(Wrap { trim: true }), area);
            return;
        }
        let hints = self.hints();
        let ctx = DrawCtx { theme: &self.config.theme, keymap: &self.config.keymap, focused: true };
        let [top, body, bottom] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(2)]).areas(area);
        let server = self.options.server.label();
        let (identity, sync) = match &mut self.screen {
            Screen::SignIn(s) => {
                frame.render_widget(Line::styled(" deskport", ctx.theme.title), top);
                s.draw(frame, body, ctx);
                (None, None)
            }
            Screen::Main(m) => {
                self.tab_rects = tabs::draw(frame, top, m.tabs(), m.active(), ctx);
                m.pane().draw(frame, body, ctx);
                let account = &m.client().session().account;
                let identity = Identity { email: account.email.clone(), role: account.role };
                (Some(identity), Some(sync_text::status(&m.client().view())))
            }
        };
        if let Some(overlay) = &mut self.overlay {
            overlay.component().draw(frame, body, ctx);
        }
        let info = StatusInfo { identity: identity.as_ref(), server: &server, sync: sync.as_ref(), notice: self.notice.as_ref(), hints: &hints };
        status_bar::draw(frame, bottom, &info, ctx);
    }
}

fn sign_in_screen(options: &Options, email: Option<&str>) -> SignIn {
    match &options.server {
        Server::Embedded { url, logins } => SignIn::accounts(url, logins.clone()),
        Server::Remote { url } => SignIn::form(url, email.or(options.user.as_deref())),
    }
}

/// The action that shows tab `kind`.
pub fn tab_label(kind: TabKind) -> &'static str {
    match kind {
        TabKind::Tickets => "go to Tickets",
        TabKind::Routing => "go to Routing",
        TabKind::Portal => "go to Portal",
        TabKind::Account => "go to Account",
    }
}
