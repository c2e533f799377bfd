//! The Account pane (customers): who is signed in, the portal they use, and how many of their
//! tickets are open — all from the client's view.

use super::list::{ListCursor, draw_lines, pane_block, wire_name};
use super::portal::setting;
use super::{Component, DrawCtx, Outcome};
use crate::client::{Client, View};
use crate::domain::text::strip_control;
use crate::domain::wire::PortalFor;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The Account pane.
pub struct Account {
    client: Client,
    cursor: ListCursor,
    rows: usize,
}

impl Account {
    /// The pane over `client`'s view.
    pub fn new(client: Client) -> Self {
        Account {
            client,
            cursor: ListCursor::default(),
            rows: 0,
        }
    }
}

fn lines(view: &View, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let a = &view.account;
    let row = |label: &str, value: String| setting(label, value, ctx);
    let mut out = vec![Line::styled("You", ctx.theme.title)];
    out.push(row("Name", strip_control(&a.name)));
    out.push(row("Email", strip_control(&a.email)));
    out.push(row("Role", a.role.as_str().to_string()));
    if let Some(company) = a.company_id.and_then(|id| view.companies.get(&id)) {
        out.push(row("Company", strip_control(&company.name)));
    }
    let (open, closed) = view.tickets().fold((0usize, 0usize), |(o, c), t| {
        if t.is_closed() {
            (o, c + 1)
        } else {
            (o + 1, c)
        }
    });
    out.push(row("Tickets", format!("{open} open, {closed} closed")));
    out.push(Line::default());
    out.push(Line::styled("Portal", ctx.theme.title));
    match view.portal.as_ref().map(|m| &m.item) {
        Some(PortalFor::Public(p)) => {
            out.push(row("Name", strip_control(&p.name)));
            out.push(row("Address", strip_control(&p.portal_url)));
            out.push(row("Language", strip_control(&p.language)));
            out.push(row("Registration", wire_name(&p.access_mode)));
            out.push(row(
                "Sign-in by email code",
                if p.passwordless { "available" } else { "off" }.to_string(),
            ));
            if p.consent.enabled {
                out.push(row(
                    "Consent notice",
                    strip_control(&p.consent.text).replace('\n', " "),
                ));
            }
        }
        Some(PortalFor::Staff(p)) => out.push(row("Name", strip_control(&p.settings.name))),
        None => out.push(Line::styled("Loading…", ctx.theme.muted)),
    }
    out
}

impl Component for Account {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Account, Context::List]
    }

    fn commands(&self) -> Vec<Command> {
        ListCursor::commands()
    }

    fn handle(&mut self, action: Action) -> Outcome {
        self.cursor.handle(action, self.rows)
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        self.cursor.scroll(rows, self.rows)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let view = self.client.view();
        let lines = lines(&view, ctx);
        self.rows = lines.len();
        draw_lines(
            frame,
            area,
            pane_block("Account".to_string(), ctx),
            lines,
            &mut self.cursor,
            ctx,
        );
    }
}
