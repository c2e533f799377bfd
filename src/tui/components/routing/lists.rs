//! The Routing pane's list: the inboxes with their method, members, capacity and load, then
//! the routing rules in evaluation order. Each line knows which item it belongs to.

use crate::client::View;
use crate::domain::routing::{AssignNamed, AssignTarget, MatchValue};
use crate::domain::text::strip_control;
use crate::domain::wire::{InboxOut, PortalFor};
use crate::domain::{Condition, Inbox, RoutingRule};
use crate::tui::components::DrawCtx;
use crate::tui::components::list::wire_name;
use ratatui::text::{Line, Span};
use std::collections::HashMap;

/// What a line of the list belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The inboxes' heading (or their empty note).
    Inboxes,
    /// An inbox, by id.
    Inbox(i64),
    /// The rules' heading (or their empty note).
    Rules,
    /// A rule, by its index in the view's order.
    Rule(usize),
}

/// The portal's default inbox, from the settings staff see.
pub fn default_inbox(view: &View) -> Option<i64> {
    match view.portal.as_ref().map(|p| &p.item) {
        Some(PortalFor::Staff(p)) => p.settings.default_inbox_id,
        _ => None,
    }
}

fn name_of(view: &View, id: i64) -> String {
    view.user_name(id)
        .map_or(format!("user {id}"), strip_control)
}

fn inbox_line(
    inbox: &Inbox,
    pending: bool,
    is_default: bool,
    load: Option<&InboxOut>,
    view: &View,
    ctx: DrawCtx<'_>,
) -> [Line<'static>; 2] {
    let members: Vec<String> = inbox.members.iter().map(|id| name_of(view, *id)).collect();
    let mut details = vec![wire_name(&inbox.kind), wire_name(&inbox.assignment)];
    details.push(if members.is_empty() {
        "no members".to_string()
    } else {
        members.join(", ")
    });
    details.push(inbox.capacity.map_or("no limit".to_string(), |cap| {
        format!("up to {cap} open each")
    }));
    let mut spans = vec![Span::styled(strip_control(&inbox.name), ctx.theme.title)];
    if is_default {
        spans.push(Span::raw(" (portal default)"));
    }
    if let Some(load) = load {
        spans.push(Span::raw(format!(
            " · {} open, {} unassigned",
            load.open, load.unassigned
        )));
    }
    if pending {
        spans.push(Span::styled("  (pending)", ctx.theme.warning));
    }
    [
        Line::from(spans),
        Line::styled(format!("    {}", details.join(" · ")), ctx.theme.muted),
    ]
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
    format!(
        "{} {} {value}",
        String::from(c.field.clone()),
        wire_name(&c.op)
    )
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
        AssignTarget::User { user_id } => name_of(view, *user_id),
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

/// The list's lines, each with what it belongs to.
pub fn lines(
    view: &View,
    load: &HashMap<i64, InboxOut>,
    ctx: DrawCtx<'_>,
) -> Vec<(Line<'static>, Target)> {
    let default = default_inbox(view);
    let mut out = vec![(
        Line::styled(
            format!("Inboxes and help desks ({})", view.inboxes.len()),
            ctx.theme.title,
        ),
        Target::Inboxes,
    )];
    if view.inboxes.is_empty() {
        out.push((Line::styled("  none yet", ctx.theme.muted), Target::Inboxes));
    }
    for marked in view.inboxes.values() {
        let inbox = &marked.item;
        let pair = inbox_line(
            inbox,
            marked.pending,
            default == Some(inbox.id),
            load.get(&inbox.id),
            view,
            ctx,
        );
        out.extend(pair.map(|line| (line, Target::Inbox(inbox.id))));
    }
    out.push((Line::default(), Target::Rules));
    out.push((
        Line::styled(
            format!(
                "Routing rules ({}), first match wins; otherwise the portal default inbox",
                view.rules.len()
            ),
            ctx.theme.title,
        ),
        Target::Rules,
    ));
    if view.rules.is_empty() {
        out.push((Line::styled("  none yet", ctx.theme.muted), Target::Rules));
    }
    for (i, marked) in view.rules.iter().enumerate() {
        for line in rule_lines(i + 1, &marked.item, marked.pending, view, ctx) {
            out.push((line, Target::Rule(i)));
        }
    }
    out
}

/// What each line of [`lines`] belongs to, without drawing them.
pub fn targets(view: &View) -> Vec<Target> {
    let mut out = vec![Target::Inboxes];
    if view.inboxes.is_empty() {
        out.push(Target::Inboxes);
    }
    for id in view.inboxes.keys() {
        out.extend([Target::Inbox(*id); 2]);
    }
    out.extend([Target::Rules; 2]);
    if view.rules.is_empty() {
        out.push(Target::Rules);
    }
    for i in 0..view.rules.len() {
        out.extend([Target::Rule(i); 2]);
    }
    out
}
