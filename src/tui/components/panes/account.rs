//! The Account pane (customers and staff): who is signed in, the portal they use, and how many
//! of their tickets are open — all from the client's view — with the account's own actions:
//! sign out, sign out everywhere, change the password (a small form over the pane), staff's
//! choice of the app's language (`language.rs`) and the SSH keys that sign in (`keys.rs`).

mod keys;
mod language;
mod password;

use crate::client::{Client, View};
use crate::domain::AccessMode;
use crate::domain::i18n::Arg;
use crate::domain::text::{cut_to_width, strip_control};
use crate::domain::wire::PortalFor;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Answered};
use crate::tui::components::widgets::list::{ListCursor, draw_lines, pane_block};
use crate::tui::components::widgets::text::setting;
use crate::tui::components::widgets::text::wrap;
use crate::tui::components::{Component, DrawCtx, Outcome};
use crate::tui::i18n::{self, t, tf};
use crate::tui::keymap::Context;
use crate::tui::msg::{Done, Tasks};
use crossterm::event::KeyEvent;
use keys::SshKeys;
use language::LanguageRow;
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
    /// Staff's language choice (customers read their portal domain's language).
    language: Option<LanguageRow>,
    keys: SshKeys,
    /// The line the first key's row is drawn on, so `d` knows which key is selected.
    keys_from: usize,
}

impl Account {
    /// The pane over `client`'s view; the password change answers through `tasks`.
    pub fn new(client: Client, tasks: Tasks) -> Self {
        let staff = client.session().account.role.is_staff();
        let language = staff.then(|| LanguageRow::load(&client, &tasks));
        let keys = SshKeys::load(&client, &tasks);
        Account {
            client,
            cursor: ListCursor::default(),
            rows: 0,
            form: None,
            changed: false,
            tasks,
            language,
            keys,
            keys_from: 0,
        }
    }

    /// The key on the selected row, if the selection is on one.
    fn selected_key(&self) -> Option<usize> {
        let at = self.cursor.selected().checked_sub(self.keys_from)?;
        (at < self.keys.count()).then_some(at)
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

/// The pane's lines: the account (with `language`, staff's choice), then the `keys` section,
/// then the portal; and where the keys' rows start (after their section's title).
fn lines(
    view: &View,
    language: Option<String>,
    keys: Vec<Line<'static>>,
    ctx: DrawCtx<'_>,
    width: usize,
) -> (Vec<Line<'static>>, usize) {
    let a = &view.account;
    // A value wider than the pane ends in `…`, so a cut address never passes for the whole.
    let room = width.saturating_sub(VALUE_INDENT);
    let row = |id: &str, value: String| setting(&t(id), cut_to_width(&value, room), ctx);
    let mut out = vec![Line::styled(t("account-you"), ctx.theme.title)];
    out.push(row("account-name", strip_control(&a.name)));
    out.push(row("account-email", strip_control(&a.email)));
    out.push(row("account-role", i18n::role(a.role)));
    if let Some(language) = language {
        out.push(row("account-app-language", language));
    }
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
    let keys_from = out.len() + 1;
    out.extend(keys);
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
                out.push(row("account-consent", text.next().unwrap_or_default()));
                out.extend(text.map(|more| setting("", more, ctx)));
            }
        }
        Some(PortalFor::Staff(p)) => {
            out.push(row("account-name", strip_control(&p.settings.name)));
        }
        None => out.push(Line::styled(t("account-loading"), ctx.theme.muted)),
    }
    (out, keys_from)
}

impl Component for Account {
    fn contexts(&self) -> &'static [Context] {
        if self.keys.asking() {
            confirm::CONTEXTS
        } else if self.form_open() || self.keys.adding() {
            &[Context::AccountForm]
        } else {
            &[Context::Account, Context::List]
        }
    }

    fn commands(&self) -> Vec<Command> {
        if self.keys.asking() {
            return self.keys.ask_commands();
        }
        if self.keys.adding() {
            return vec![
                Command::worded(Action::Confirm, "keys-cmd-add"),
                Command::worded(Action::Close, "form-cmd-cancel"),
            ];
        }
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
            Command::worded(Action::New, "keys-cmd-new"),
        ];
        if self.selected_key().is_some() {
            commands.push(Command::worded(Action::Delete, "keys-cmd-delete"));
        }
        if self.language.is_some() {
            commands.push(Command::worded(
                Action::ChooseLanguage,
                "account-cmd-language",
            ));
        }
        commands.extend(ListCursor::commands());
        commands
    }

    fn captures_text(&self) -> bool {
        self.form_open() || self.keys.adding()
    }

    fn modal(&self) -> bool {
        self.form_open() || self.keys.adding() || self.keys.asking()
    }

    fn asking(&self) -> bool {
        self.keys.asking()
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        let done = match &mut self.form {
            Some(form) => form.receive(done)?,
            None => done,
        };
        let done = match &mut self.language {
            Some(language) => language.receive(&self.client, done)?,
            None => done,
        };
        self.keys.receive(done)
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let (client, tasks) = (self.client.clone(), self.tasks.clone());
        if self.keys.asking() {
            return match self.keys.ask().answer(action) {
                Answered::PassedOn => Outcome::Ignored,
                Answered::Waiting | Answered::No => Outcome::Changed,
                Answered::Yes(id) => {
                    self.keys.delete(id, &client, &tasks);
                    Outcome::Changed
                }
            };
        }
        if self.keys.adding() {
            match action {
                Action::Confirm => self.keys.submit(&client, &tasks),
                Action::Close => self.keys.close_prompt(),
                _ => return Outcome::Ignored,
            }
            return Outcome::Changed;
        }
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
            Action::ChooseLanguage => match &mut self.language {
                Some(language) => {
                    language.next(&client, &tasks);
                    Outcome::Changed
                }
                None => Outcome::Ignored,
            },
            Action::New => {
                self.keys.open_prompt();
                Outcome::Changed
            }
            Action::Delete => match self.selected_key() {
                Some(at) => {
                    self.keys.ask_delete(at);
                    Outcome::Changed
                }
                None => Outcome::Ignored,
            },
            // Sign-out ends the screen: the app does it.
            Action::SignOut | Action::SignOutEverywhere => Outcome::Ignored,
            _ => self.cursor.handle(action, self.rows),
        }
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if self.keys.adding() {
            return if self.keys.key(key) {
                Outcome::Changed
            } else {
                Outcome::Ignored
            };
        }
        match self.open_form().map(|form| form.key(key)) {
            Some(true) => Outcome::Changed,
            _ => Outcome::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        if self.keys.adding() {
            self.keys.paste(text);
            return Outcome::Changed;
        }
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
        let width = usize::from(area.width.saturating_sub(2));
        let language = self.language.as_ref().map(|l| l.value(&self.client));
        let view = self.client.view();
        let mut lines = Vec::new();
        if self.changed {
            lines.push(Line::styled(t("account-password-changed"), ctx.theme.title));
            lines.push(Line::default());
        }
        let (account, keys_from) =
            self::lines(&view, language, self.keys.lines(ctx, width), ctx, width);
        self.keys_from = lines.len() + keys_from;
        lines.extend(account);
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
        self.keys.draw(frame, area, ctx);
    }
}
