//! The Account pane (customers): who is signed in, the portal they use, and how many of their
//! tickets are open — all from the client's view — with the account's own actions: sign out,
//! sign out everywhere, and change the password (a small form over the pane).

mod password;

use crate::client::{Client, View};
use crate::domain::AccessMode;
use crate::domain::i18n::Arg;
use crate::domain::text::{cut_to_width, strip_control};
use crate::domain::wire::PortalFor;
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::list::{ListCursor, draw_lines, pane_block};
use crate::tui::components::widgets::text::setting;
use crate::tui::components::widgets::text::wrap;
use crate::tui::components::{Component, DrawCtx, Outcome};
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::Context;
use crate::tui::msg::{Done, Tasks};
use crossterm::event::KeyEvent;
use password::PasswordForm;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Cells before a setting's value: the selection marker and the label column.
const VALUE_INDENT: usize = 2 + 23;

/// The Account pane.
pub struct Account {
    client: Client,
    cursor: ListCursor,
    rows: usize,
    form: Option<PasswordForm>,
    changed: bool,
    tasks: Tasks,
}

impl Account {
    /// The pane over `client`'s view; the password change answers through `tasks`.
    pub fn new(client: Client, tasks: Tasks) -> Self {
        Account {
            client,
            cursor: ListCursor::default(),
            rows: 0,
            form: None,
            changed: false,
            tasks,
        }
    }

    /// The change-password form, while it is being filled in (not once it succeeded).
    fn open_form(&mut self) -> Option<&mut PasswordForm> {
        if self.form.as_ref().is_some_and(PasswordForm::is_changed) {
            self.form = None;
            self.changed = true;
        }
        self.form.as_mut()
    }

    fn form_open(&self) -> bool {
        self.form.as_ref().is_some_and(|f| !f.is_changed())
    }
}

fn lines(view: &View, ctx: DrawCtx<'_>, width: usize) -> Vec<Line<'static>> {
    let a = &view.account;
    // A value wider than the pane ends in `…`, so a cut address never passes for the whole.
    let room = width.saturating_sub(VALUE_INDENT);
    let row = |id: &str, value: String| setting(&t(id), cut_to_width(&value, room), ctx);
    let mut out = vec![Line::styled(t("account-you"), ctx.theme.title)];
    out.push(row("account-name", strip_control(&a.name)));
    out.push(row("account-email", strip_control(&a.email)));
    out.push(row("account-role", t(&format!("role-{}", a.role.as_str()))));
    if let Some(company) = a.company_id.and_then(|id| view.companies.get(&id)) {
        out.push(row("account-company", strip_control(&company.name)));
    }
    let (open, closed) = view.tickets().fold((0usize, 0usize), |(o, c), t| {
        if t.is_closed() {
            (o, c + 1)
        } else {
            (o + 1, c)
        }
    });
    let counts = [("open", Arg::from(open)), ("closed", Arg::from(closed))];
    out.push(row("account-tickets", tf("tickets-open-closed", &counts)));
    out.push(Line::default());
    out.push(Line::styled(t("account-portal"), ctx.theme.title));
    match view.portal.as_ref().map(|m| &m.item) {
        Some(PortalFor::Public(p)) => {
            out.push(row("account-name", strip_control(&p.name)));
            out.push(row("account-address", strip_control(&p.portal_url)));
            out.push(row("account-language", strip_control(&p.language)));
            out.push(row(
                "account-registration",
                t(match p.access_mode {
                    AccessMode::InviteOnly => "access-invite-only",
                    AccessMode::SelfRegistration => "access-self-registration",
                }),
            ));
            out.push(row(
                "account-passwordless",
                t(if p.passwordless {
                    "account-available"
                } else {
                    "account-off"
                }),
            ));
            if p.consent.enabled {
                let text = wrap(&strip_control(&p.consent.text), room);
                let mut text = text.into_iter();
                out.push(row("help-consent", text.next().unwrap_or_default()));
                out.extend(text.map(|more| setting("", more, ctx)));
            }
        }
        Some(PortalFor::Staff(p)) => {
            out.push(row("account-name", strip_control(&p.settings.name)));
        }
        None => out.push(Line::styled(t("account-loading"), ctx.theme.muted)),
    }
    out
}

impl Component for Account {
    fn contexts(&self) -> &'static [Context] {
        if self.form_open() {
            &[Context::AccountForm]
        } else {
            &[Context::Account, Context::List]
        }
    }

    fn commands(&self) -> Vec<Command> {
        if self.form_open() {
            return vec![
                Command::worded(Action::Confirm, "account-cmd-next-change"),
                Command::worded(Action::Close, "form-cmd-cancel"),
                Command::new(Action::NextField),
                Command::new(Action::PrevField),
            ];
        }
        let mut commands = vec![
            Command::worded(Action::ChangePassword, "account-cmd-new-password"),
            Command::new(Action::SignOut),
            Command::new(Action::SignOutEverywhere),
        ];
        commands.extend(ListCursor::commands());
        commands
    }

    fn captures_text(&self) -> bool {
        self.form_open()
    }

    fn modal(&self) -> bool {
        self.form_open()
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        match &mut self.form {
            Some(form) => form.receive(done),
            None => Some(done),
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let (client, tasks) = (self.client.clone(), self.tasks.clone());
        if let Some(form) = self.open_form() {
            match action {
                Action::Confirm => form.confirm(&client, &tasks),
                Action::NextField => form.move_focus(true),
                Action::PrevField => form.move_focus(false),
                Action::Close => self.form = None,
                _ => return Outcome::Ignored,
            }
            return Outcome::Changed;
        }
        match action {
            Action::ChangePassword => {
                self.form = Some(PasswordForm::default());
                self.changed = false;
                Outcome::Changed
            }
            // Sign-out ends the screen: the app does it.
            Action::SignOut | Action::SignOutEverywhere => Outcome::Ignored,
            _ => self.cursor.handle(action, self.rows),
        }
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        match self.open_form().map(|form| form.key(key)) {
            Some(true) => Outcome::Changed,
            _ => Outcome::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        match self.open_form() {
            Some(form) => {
                form.paste(text);
                Outcome::Changed
            }
            None => Outcome::Ignored,
        }
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        self.cursor.scroll(rows, self.rows)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        self.open_form();
        let view = self.client.view();
        let mut lines = lines(&view, ctx, usize::from(area.width.saturating_sub(2)));
        if self.changed {
            lines.insert(
                0,
                Line::styled(t("account-password-changed"), ctx.theme.title),
            );
            lines.insert(1, Line::default());
        }
        self.rows = lines.len();
        draw_lines(
            frame,
            area,
            pane_block(t("tab-account"), ctx),
            lines,
            &mut self.cursor,
            ctx,
        );
        if let Some(form) = &self.form {
            form.draw(frame, area, ctx);
        }
    }
}
