//! Drawing the whole screen: tab bar, the shown pane, a popup, the status bar; or a note when
//! the terminal is too small.

use super::{App, MIN_SIZE, Screen};
use crate::client::Client;
use crate::domain::i18n::{Arg, Language};
use crate::domain::wire::PortalFor;
use crate::tui::components::widgets::status_bar::{self, Identity, StatusInfo};
use crate::tui::components::widgets::tabs;
use crate::tui::components::{Component, DrawCtx};
use crate::tui::i18n;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

impl App {
    /// The language to speak now: a customer's portal language once the app knows it (so a
    /// change of the portal's domain shows at the next frame); staff's own choice from the
    /// Account tab once read (so changing it shows at the next frame); else the configured one
    /// (config file, else `LANG`/`LC_MESSAGES`, else English).
    fn language(&self) -> Language {
        let portal_language = |client: &Client| {
            let view = client.view();
            match view.portal.as_ref().map(|m| &m.item) {
                Some(PortalFor::Public(p)) => Some(Language::or_english(&p.language)),
                Some(PortalFor::Staff(_)) | None => None,
            }
        };
        match &self.screen {
            Screen::Main(m) if !m.client().session().account.role.is_staff() => {
                portal_language(m.client()).unwrap_or(self.config.language)
            }
            Screen::Consent(c) => c.language,
            Screen::Main(m) => m
                .client()
                .chosen_language()
                .get()
                .unwrap_or(self.config.language),
            Screen::SignIn(_) => self.config.language,
        }
    }

    /// Draws the whole screen.
    pub fn draw(&mut self, frame: &mut Frame) {
        let language = self.language();
        i18n::set_language(language);
        if let Screen::Main(m) = &self.screen {
            m.client().api().set_language(language);
        }
        let area = frame.area();
        let ctx = DrawCtx {
            theme: &self.config.theme,
            keymap: &self.config.keymap,
            focused: true,
        };
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            let size = |n: u16| Arg::Number(i64::from(n));
            let text = i18n::tf(
                "too-small",
                &[
                    ("width", size(area.width)),
                    ("height", size(area.height)),
                    ("min_width", size(MIN_SIZE.0)),
                    ("min_height", size(MIN_SIZE.1)),
                ],
            );
            frame.render_widget(
                Paragraph::new(Line::styled(text, ctx.theme.warning)).wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        let hints = self.hints();
        let ctx = DrawCtx {
            theme: &self.config.theme,
            keymap: &self.config.keymap,
            focused: true,
        };
        let [top, body, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(2),
        ])
        .areas(area);
        let server = self.options.server.label();
        let (identity, sync) = match &mut self.screen {
            Screen::SignIn(s) => {
                frame.render_widget(Line::styled(" deskport", ctx.theme.title), top);
                s.draw(frame, body, ctx);
                (None, None)
            }
            Screen::Consent(c) => {
                frame.render_widget(Line::styled(" deskport", ctx.theme.title), top);
                c.notice.draw(frame, body, ctx);
                let account = &c.client.session().account;
                let identity = Identity {
                    email: account.email.clone(),
                    role: account.role,
                };
                (Some(identity), None)
            }
            Screen::Main(m) => {
                self.tab_rects = tabs::draw(frame, top, m.tabs(), m.active(), ctx);
                m.pane().draw(frame, body, ctx);
                let account = &m.client().session().account;
                let identity = Identity {
                    email: account.email.clone(),
                    role: account.role,
                };
                (Some(identity), Some(m.client().view().status.clone()))
            }
        };
        if let Some(overlay) = &mut self.overlay {
            overlay.component().draw(frame, body, ctx);
        }
        let info = StatusInfo {
            identity: identity.as_ref(),
            server: &server,
            sync: sync.as_ref(),
            now: chrono::Local::now(),
            notice: self.notice.as_ref(),
            hints: &hints,
        };
        status_bar::draw(frame, bottom, &info, ctx);
    }
}
