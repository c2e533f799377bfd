//! The Routing pane: the inboxes (with their assignment method, members and capacity) and the
//! routing rules in evaluation order, read from the client's view. Agents see it read-only.

use super::list::{ListCursor, draw_lines, pane_block, wire_name};
use super::{Component, DrawCtx, Outcome};
use crate::client::{Client, View};
use crate::domain::routing::{AssignNamed, AssignTarget, MatchValue};
use crate::domain::text::strip_control;
use crate::domain::{Condition, Inbox, RoutingRule};
use crate::tui::action::{Action, Command};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The Routing pane.
pub struct Routing {
    client: Client,
    read_only: bool,
    cursor: ListCursor,
    /// Rows at the last draw, for moving the cursor.
    rows: usize,
}

impl Routing {
    /// The pane over `client`'s view; `read_only` for agents.
    pub fn new(client: Client, read_only: bool) -> Self {
        Routing {
            client,
            read_only,
            cursor: ListCursor::default(),
            rows: 0,
        }
    }
}

fn inbox_line(
    inbox: &Inbox,
    pending: bool,
    is_default: bool,
    view: &View,
    ctx: DrawCtx<'_>,
) -> Line<'static> {
    let members: Vec<String> = inbox
        .members
        .iter()
        .map(|id| {
            view.user_name(*id)
                .map_or(format!("user {id}"), strip_control)
        })
        .collect();
    let mut details = vec![wire_name(&inbox.kind), wire_name(&inbox.assignment)];
    details.push(if members.is_empty() {
        "no members".to_string()
    } else {
        members.join(", ")
    });
    if let Some(cap) = inbox.capacity {
        details.push(format!("up to {cap} open each"));
    }
    let mut spans = vec![Span::styled(strip_control(&inbox.name), ctx.theme.title)];
    if is_default {
        spans.push(Span::raw(" (portal default)"));
    }
    spans.push(Span::styled(
        format!(" · {}", details.join(" · ")),
        ctx.theme.muted,
    ));
    if pending {
        spans.push(Span::styled("  (pending)", ctx.theme.warning));
    }
    Line::from(spans)
}

fn condition_text(c: &Condition) -> String {
    let value = match &c.value {
        MatchValue::One(v) => format!("\"{}\"", strip_control(v)),
        MatchValue::Many(vs) => format!(
            "[{}]",
            vs.iter()
                .map(|v| format!("\"{}\"", strip_control(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("{} {} {value}", wire_name(&c.field), wire_name(&c.op))
}

fn rule_lines(
    n: usize,
    rule: &RoutingRule,
    pending: bool,
    view: &View,
    ctx: DrawCtx<'_>,
) -> [Line<'static>; 2] {
    let state = if rule.enabled { "on " } else { "off" };
    let inbox = view
        .inbox_name(rule.then.inbox_id)
        .map_or(format!("inbox {}", rule.then.inbox_id), strip_control);
    let assign = match &rule.then.assign {
        AssignTarget::Named(AssignNamed::None) => "unassigned".to_string(),
        AssignTarget::Named(AssignNamed::InboxMethod) => "by the inbox's method".to_string(),
        AssignTarget::User { user_id } => view
            .user_name(*user_id)
            .map_or(format!("user {user_id}"), strip_control),
    };
    let mut outcome = format!("→ {inbox}, {assign}");
    if let Some(p) = rule.then.priority {
        outcome.push_str(&format!(", priority {}", p.as_str()));
    }
    let mut head = vec![
        Span::raw(format!("{n:>2}. ")),
        Span::styled(
            format!("[{state}] "),
            if rule.enabled {
                ctx.theme.base
            } else {
                ctx.theme.muted
            },
        ),
        Span::styled(strip_control(&rule.name), ctx.theme.title),
        Span::raw(format!(" {outcome}")),
    ];
    if pending {
        head.push(Span::styled("  (pending)", ctx.theme.warning));
    }
    let join = match wire_name(&rule.match_mode).as_str() {
        "any" => " or ",
        _ => " and ",
    };
    let conditions = if rule.conditions.is_empty() {
        "always".to_string()
    } else {
        format!(
            "if {}",
            rule.conditions
                .iter()
                .map(condition_text)
                .collect::<Vec<_>>()
                .join(join)
        )
    };
    [
        Line::from(head),
        Line::styled(format!("        {conditions}"), ctx.theme.muted),
    ]
}

fn lines(view: &View, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let default_inbox = match view.portal.as_ref().map(|p| &p.item) {
        Some(crate::domain::wire::PortalFor::Staff(p)) => p.settings.default_inbox_id,
        _ => None,
    };
    let mut out = vec![Line::styled(
        format!("Inboxes ({})", view.inboxes.len()),
        ctx.theme.title,
    )];
    if view.inboxes.is_empty() {
        out.push(Line::styled("  none yet", ctx.theme.muted));
    }
    for marked in view.inboxes.values() {
        out.push(inbox_line(
            &marked.item,
            marked.pending,
            default_inbox == Some(marked.item.id),
            view,
            ctx,
        ));
    }
    out.push(Line::default());
    out.push(Line::styled(
        format!(
            "Routing rules ({}), first match wins; otherwise the portal default inbox",
            view.rules.len()
        ),
        ctx.theme.title,
    ));
    if view.rules.is_empty() {
        out.push(Line::styled("  none yet", ctx.theme.muted));
    }
    for (i, marked) in view.rules.iter().enumerate() {
        out.extend(rule_lines(i + 1, &marked.item, marked.pending, view, ctx));
    }
    out
}

impl Component for Routing {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Routing, Context::List]
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
        let title = if self.read_only {
            "Routing (read-only)"
        } else {
            "Routing"
        };
        draw_lines(
            frame,
            area,
            pane_block(title.to_string(), ctx),
            lines,
            &mut self.cursor,
            ctx,
        );
    }
}
