//! Drawing the Portal pane and listing its commands.

use super::fields::{self, Part};

use super::overview::settings_lines;
use super::preview;
use super::{Portal, STEPS, Section};
use crate::client::{OutboxState, View};
use crate::domain::people::Registration;
use crate::domain::portal::{AccessMode, PermissionMode, PortalSettings};
use crate::domain::text::strip_control;
use crate::domain::wire::PortalFor;
use crate::tui::action::Action;
use crate::tui::components::widgets::list::{draw_lines, pane_block};
use crate::tui::components::widgets::text::setting;
use crate::tui::components::{DrawCtx, Outcome};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Moves through the overview's rows.
pub fn scroll_overview(p: &mut Portal, action: Action) -> Outcome {
    p.overview.handle(action, p.rows)
}

fn system_domain(view: &View, host: &str) -> bool {
    view.domains.iter().any(|d| d.host == host && d.system)
}

fn language(view: &View, host: &str) -> String {
    view.domains
        .iter()
        .find(|d| d.host == host)
        .map_or_else(|| "unknown".into(), |d| strip_control(&d.primary_language))
}

fn info(part: Part, s: &PortalSettings, view: &View, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let warn = |text: &str| {
        Line::from(vec![
            Span::styled("Warning: ", ctx.theme.warning),
            Span::raw(text.to_string()),
        ])
    };
    let system_warning = "system domain: no registration emails are sent from it.";
    let mut out = Vec::new();
    match part {
        Part::Name => {
            out.push(Line::raw(
                "The name is the title customers see (their terminal's title bar).",
            ));
        }
        Part::Domain | Part::General => {
            out.push(setting("Portal URL", strip_control(&s.portal_url()), ctx));
            out.push(setting(
                "Language",
                format!(
                    "{} (the domain's primary language)",
                    language(view, &s.domain)
                ),
                ctx,
            ));
            if system_domain(view, &s.domain) {
                out.push(warn(system_warning));
            }
        }
        Part::Tickets => {
            out.push(Line::raw(
                "New portal tickets no routing rule claims go to the default inbox.",
            ));
            out.push(Line::raw(match s.ticket_permission.mode {
                PermissionMode::Contact => "A contact sees only their own tickets.",
                PermissionMode::Company => "A contact sees their primary company's tickets plus their own.",
                PermissionMode::ContactFilter => {
                    "Contacts matching the filter see their company's tickets; others only their own."
                }
            }));
        }
        Part::Access => {
            out.push(Line::raw(match s.access.mode {
                AccessMode::InviteOnly => {
                    "Contacts register from an invitation email (to their email)."
                }
                AccessMode::SelfRegistration => {
                    "Any existing contact may register with their email."
                }
            }));
            out.push(Line::raw(
                "Codes last 15 minutes; 10 failed sign-ins lock the account.",
            ));
            if system_domain(view, &s.domain) {
                out.push(warn(system_warning));
            }
        }
        Part::TicketView => out.push(Line::raw(
            "Space shows or hides a column, J/K move it; Enter edits a stage's label.",
        )),
        Part::Consent => out.push(Line::raw(format!(
            "Changing the text asks every customer to accept it again (now version {}).",
            s.consent.version
        ))),
        Part::SupportForm => {
            out.push(Line::raw(
                "Subject and description are always asked. n adds a field, d removes, J/K move.",
            ));
            out.push(Line::raw(
                "A private field's answer is for the requester and staff only, not colleagues.",
            ));
        }
    }
    out
}

fn trouble_line(view: &View, ctx: DrawCtx<'_>) -> Option<Line<'static>> {
    let text = match Portal::trouble(view)?.1 {
        OutboxState::Conflict(c) => {
            let now = c
                .server_version
                .map_or(String::new(), |v| format!(" (now version {v})"));
            format!(
                "Conflict: someone else changed the portal settings{now}. Ctrl-S saves yours over them, Ctrl-R keeps theirs."
            )
        }
        OutboxState::Rejected { message, .. } => {
            format!(
                "Refused by the server: {}. Ctrl-R dismisses it.",
                strip_control(&message)
            )
        }
        OutboxState::Pending => return None,
    };
    Some(Line::styled(text, ctx.theme.error))
}

/// The wizard's steps or the sections, the one shown marked.
pub(super) fn header(p: &Portal, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    if p.draft.is_some() {
        let steps: Vec<Span> = STEPS
            .iter()
            .enumerate()
            .flat_map(|(i, (_, name))| {
                let here = i == p.step;
                let text = if here {
                    format!("[{} {name}]", i + 1)
                } else {
                    format!(" {} {name} ", i + 1)
                };
                let style = if here {
                    ctx.theme.tab_active
                } else {
                    ctx.theme.tab
                };
                [
                    Span::styled(text, style),
                    Span::raw(if i + 1 < STEPS.len() { " › " } else { "" }),
                ]
            })
            .collect();
        return vec![
            Line::styled(
                format!(
                    "Set up the customer portal · step {} of {}",
                    p.step + 1,
                    STEPS.len()
                ),
                ctx.theme.title,
            ),
            Line::from(steps),
        ];
    }
    let tabs: Vec<Span> = Section::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // No gap between the names: all eight fit in 80 columns.
            if i == p.section {
                Span::styled(format!("[{}]", s.title()), ctx.theme.tab_active)
            } else {
                Span::styled(format!(" {} ", s.title()), ctx.theme.tab)
            }
        })
        .collect();
    vec![Line::from(tabs)]
}

fn contact_lines(
    view: &View,
    first: usize,
    selected: usize,
    ctx: DrawCtx<'_>,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        "Contacts (Enter invites: the email goes to the contact's email)",
        ctx.theme.muted,
    )];
    if view.contacts.is_empty() {
        out.push(Line::styled("  No contacts yet.", ctx.theme.muted));
    }
    for (j, c) in view.contacts.values().enumerate() {
        let state = match c.registration {
            Registration::None => "not invited",
            Registration::Invited => "invited",
            Registration::Registered => "registered",
        };
        let here = first + j == selected;
        let line = Line::raw(format!(
            "{}{:<32} {:<22} {state}",
            if here { "▶ " } else { "  " },
            strip_control(&c.email),
            strip_control(&c.name)
        ));
        out.push(if here {
            line.style(ctx.theme.selected)
        } else {
            line
        });
    }
    out
}

/// Draws the pane.
pub fn draw(p: &mut Portal, view: &View, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
    let wizard = p.draft.is_some();
    let pending = view.portal.as_ref().is_some_and(|m| m.pending);
    let mut title = match (wizard, p.read_only) {
        (true, _) => "Portal setup".to_string(),
        (false, true) => "Portal (read-only)".to_string(),
        (false, false) => "Portal".to_string(),
    };
    if p.dirty() {
        title.push_str(" · * modified, not saved");
    }
    if pending {
        title.push_str(" · saving…");
    }
    let staff = match view.portal.as_ref().map(|m| &m.item) {
        Some(PortalFor::Staff(s)) => Some(s.as_ref().clone()),
        _ => None,
    };
    let Some(out) = staff else {
        let text = if view.portal.is_some() {
            "Portal settings are for staff."
        } else {
            "Loading portal settings…"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, ctx.theme.muted)).block(pane_block(title, ctx)),
            area,
        );
        return;
    };
    let part = if wizard {
        Some(STEPS[p.step].0)
    } else {
        p.current().part()
    };
    let Some(part) = part else {
        let mut lines = Vec::new();
        if !out.settings.configured {
            lines.push(Line::styled(
                "Setup not finished: an admin runs the setup wizard.",
                ctx.theme.warning,
            ));
        }
        let ssh = if p.read_only {
            Vec::new()
        } else {
            p.ssh.fetch_unless_known(&p.client, &p.tasks);
            p.ssh.rows()
        };
        lines.extend(settings_lines(&out, view, &ssh, ctx));
        p.rows = lines.len();
        let block = pane_block(title, ctx);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [top, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(header(p, ctx)), top);
        draw_lines(
            frame,
            body,
            ratatui::widgets::Block::new(),
            lines,
            &mut p.overview,
            ctx,
        );
        return;
    };
    let mut draft = p.draft.clone().unwrap_or_else(|| out.settings.clone());
    fields::apply(&p.form, &mut draft);
    let mut footer = info(part, &draft, view, ctx);
    if let Some(line) = trouble_line(view, ctx) {
        footer.push(line);
    }
    footer.extend(p.message.iter().map(|m| m.line(ctx)));
    let editable = !p.read_only;
    let block = pane_block(title, ctx);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let head = header(p, ctx);
    let footer_height = u16::try_from(footer.len() + 1).unwrap_or(u16::MAX);
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(u16::try_from(head.len() + 1).unwrap_or(2)),
        Constraint::Fill(1),
        Constraint::Length(footer_height),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), top);
    let side: Option<(&str, preview::Lines)> = match part {
        Part::TicketView => Some(("Preview: a customer's list", preview::ticket_list)),
        Part::Consent => Some(("Preview: the notice", preview::consent)),
        Part::SupportForm => Some(("Preview: the support form", preview::support_form)),
        _ => None,
    };
    let rows_area = match side {
        Some((name, lines)) => {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(middle);
            let width = usize::from(right.width.saturating_sub(2));
            let text = lines(&draft, width, ctx);
            preview::draw(&mut p.form, (name, text), frame, right, ctx);
            left
        }
        None => middle,
    };
    let mut body = p.form.rows(editable, usize::from(rows_area.width), ctx);
    let fields = body.len();
    if part == Part::Access && !wizard {
        body.push(Line::raw(""));
        body.extend(contact_lines(view, fields, p.form.focus, ctx));
    }
    let line_of_selected = if p.form.focus >= fields {
        p.form.focus + 2
    } else {
        p.form.focus
    };
    let height = usize::from(rows_area.height.max(1));
    let offset = line_of_selected.saturating_sub(height - 1);
    let shown: Vec<Line> = body.into_iter().skip(offset).collect();
    frame.render_widget(Paragraph::new(shown), rows_area);
    frame.render_widget(Paragraph::new(footer).wrap(Wrap { trim: true }), bottom);
}
