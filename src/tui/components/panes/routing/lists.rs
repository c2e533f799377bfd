//! The Routing pane's list: the inboxes with their method, members, capacity and load, then
//! the routing rules in evaluation order. Each line knows which item it belongs to, and the
//! cursor moves by item: an inbox or a rule is two lines, selected and highlighted together.

use crate::client::View;
use crate::domain::routing::{AssignNamed, AssignTarget, MatchValue};
use crate::domain::text::strip_control;
use crate::domain::wire::{InboxOut, PortalFor};
use crate::domain::{Condition, Inbox, RoutingRule};
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::{highlight_row, mark, wire_name};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::collections::HashMap;

/// What a line of the list belongs to; the items among them are what the cursor selects.
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

/// The items the cursor moves over, in list order: each inbox and each rule, or a section's
/// heading when the section is empty (so `n` there still knows what to create).
pub fn targets(view: &View) -> Vec<Target> {
    let mut out: Vec<Target> = view.inboxes.keys().map(|id| Target::Inbox(*id)).collect();
    if out.is_empty() {
        out.push(Target::Inboxes);
    }
    if view.rules.is_empty() {
        out.push(Target::Rules);
    }
    out.extend((0..view.rules.len()).map(Target::Rule));
    out
}

/// Draws the list in `area` inside `block`, every line of the selected item marked and
/// highlighted; `offset` is the first line shown, kept so the selected item is in view.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    block: Block<'static>,
    lines: Vec<(Line<'static>, Target)>,
    selected: Option<Target>,
    offset: &mut usize,
    ctx: DrawCtx<'_>,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height).max(1);
    // The blank line between the sections belongs to no item on screen.
    let mine = |(line, t): &(Line<'static>, Target)| Some(*t) == selected && line.width() > 0;
    let first = lines.iter().position(mine).unwrap_or(0);
    let last = lines.iter().rposition(mine).unwrap_or(first);
    if last >= *offset + height {
        *offset = last + 1 - height;
    }
    if first < *offset {
        *offset = first;
    }
    *offset = (*offset).min(lines.len().saturating_sub(height));
    let mut marked = false;
    let mut rows = Vec::new();
    let shown: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(*offset)
        .take(height)
        .map(|(i, item)| {
            let on = mine(&item);
            let (line, _) = item;
            if on {
                rows.push(i - *offset);
            }
            let line = mark(line, on && !marked);
            marked |= on;
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
    for row in rows {
        highlight_row(frame, inner, Some(row), ctx);
    }
}
