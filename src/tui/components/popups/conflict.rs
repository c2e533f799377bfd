//! The conflict dialog: a change of mine that ran into someone else's newer one, shown field by
//! field — what the server has now ("theirs") beside what my change would set ("mine"), only
//! for the fields my change touches — with a key to keep theirs and one to apply mine. Every
//! conflicting write waits in the client's outbox, so the dialog reads its queue from the
//! view: closing it loses nothing, and it can be opened again at any time.

mod headline;

use crate::client::{Client, OutboxEntry, OutboxState, Resolution, View, WriteId};
use crate::domain::i18n::Arg;
use crate::domain::text::strip_control;
use crate::domain::wire::{StaffTicketPatch, TicketOut};
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::list::wire_name;
use crate::tui::components::{Component, DrawCtx, Outcome, Request, centered, wrapped_rows};
use crate::tui::i18n;
use crate::tui::keymap::Context;
use crate::tui::msg::{Answer, Done, TaskId, Tasks};
use chrono::Utc;
use headline::{headline, last_change};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Row, Table, Wrap};

/// One field of a conflicting change: the server's value and mine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    /// The field's name as the user knows it.
    pub field: String,
    /// On the server now.
    pub theirs: String,
    /// What my change would set.
    pub mine: String,
}

/// The conflict dialog.
pub struct ConflictDialog {
    client: Client,
    tasks: Tasks,
    selected: usize,
    resolving: Vec<WriteId>,
    /// Resolutions on their way, until each is settled or refused.
    settling: Vec<TaskId>,
    error: Option<String>,
}

impl ConflictDialog {
    /// The dialog over `client`'s conflicts; resolutions answer through `tasks`, so one
    /// that fails is shown here.
    pub fn new(client: Client, tasks: Tasks) -> Self {
        ConflictDialog {
            client,
            tasks,
            selected: 0,
            resolving: Vec::new(),
            settling: Vec::new(),
            error: None,
        }
    }

    /// The conflicts still to settle, in the order they happened.
    fn queue(&mut self) -> Vec<OutboxEntry> {
        let view = self.client.view();
        let waiting: Vec<OutboxEntry> = conflicts(&view).cloned().collect();
        drop(view);
        self.resolving
            .retain(|id| waiting.iter().any(|e| e.id == *id));
        let queue: Vec<OutboxEntry> = waiting
            .into_iter()
            .filter(|e| !self.resolving.contains(&e.id))
            .collect();
        self.selected = self.selected.min(queue.len().saturating_sub(1));
        queue
    }

    fn resolve(&mut self, resolution: Resolution) -> Outcome {
        let queue = self.queue();
        let Some(entry) = queue.get(self.selected) else {
            return Outcome::Request(Request::Close);
        };
        let id = entry.id;
        self.resolving.push(id);
        self.error = None;
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            let settled = client.resolve_conflict(id, resolution).await;
            Answer::Settled(settled.map_err(|e| format!("could not settle {id}: {e}")))
        });
        self.settling.push(task);
        if queue.len() <= 1 {
            Outcome::Request(Request::Close)
        } else {
            Outcome::Changed
        }
    }
}

/// The writes in `view`'s outbox that wait for the user to settle a conflict.
pub fn conflicts(view: &View) -> impl Iterator<Item = &OutboxEntry> {
    view.outbox
        .iter()
        .filter(|e| matches!(e.state, OutboxState::Conflict(_)))
}

/// Contacts by name ("none" for an empty list), as a CC change shows them.
fn contact_names(view: &View, ids: &[i64]) -> String {
    match ids {
        [] => "none".to_string(),
        ids => view.contact_names(ids).join(", "),
    }
}

/// The fields `entry`'s write touches, with the server's value now (from `view`) and the
/// write's.
pub fn diff(view: &View, entry: &OutboxEntry) -> Vec<FieldDiff> {
    use crate::client::Write;
    let row = |field: &str, theirs: String, mine: String| FieldDiff {
        field: field.to_string(),
        theirs: strip_control(&theirs),
        mine: strip_control(&mine),
    };
    match &entry.write {
        Write::PatchTicket { id, patch, .. } => {
            let server = view.ticket(*id).map(|t| t.server());
            ticket_diff(view, server.as_ref(), patch, row)
        }
        Write::SetClosed { id, closed, .. } => {
            let theirs = match view.ticket(*id).map(|t| t.server()) {
                Some(TicketOut::Staff(r)) => wire_name(&r.ticket.stage),
                Some(TicketOut::Customer(c)) => c.status_label,
                None => GONE.to_string(),
            };
            let mine = i18n::t(if *closed {
                "conflict-closed"
            } else {
                "conflict-reopened"
            });
            vec![row(&i18n::t("conflict-status"), theirs, mine)]
        }
        Write::SetCcs { id, ccs, .. } => {
            let names = |ids: &[i64]| contact_names(view, ids);
            let theirs = match view.ticket(*id).map(|t| t.server()) {
                Some(TicketOut::Staff(r)) => names(&r.ticket.ccs),
                _ => GONE.to_string(),
            };
            vec![row("CCs", theirs, names(&ccs.contact_ids))]
        }
        Write::PatchPortal { patch, .. } => {
            let theirs = view
                .portal
                .as_ref()
                .and_then(|p| serde_json::to_value(&p.item).ok());
            let mine = serde_json::to_value(patch).ok();
            let Some(serde_json::Value::Object(mine)) = mine else {
                return Vec::new();
            };
            mine.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(key, value)| {
                    let now = theirs
                        .as_ref()
                        .and_then(|t| t.get(key))
                        .map_or_else(|| GONE.to_string(), ToString::to_string);
                    row(key, now, value.to_string())
                })
                .collect()
        }
        other => vec![row("Change", String::new(), other.describe())],
    }
}

const GONE: &str = "(not visible any more)";

fn ticket_diff(
    view: &View,
    server: Option<&TicketOut>,
    patch: &StaffTicketPatch,
    row: impl Fn(&str, String, String) -> FieldDiff,
) -> Vec<FieldDiff> {
    let staff = match server {
        Some(TicketOut::Staff(r)) => Some(r),
        _ => None,
    };
    let theirs = |f: &dyn Fn(&crate::domain::wire::TicketRow) -> String| {
        staff.map_or_else(|| GONE.to_string(), f)
    };
    let user = |id: Option<i64>| match id {
        Some(id) => view
            .user_name(id)
            .map_or_else(|| format!("user {id}"), str::to_string),
        None => "unassigned".to_string(),
    };
    let mut out = Vec::new();
    if let Some(subject) = &patch.subject {
        out.push(row(
            "Subject",
            theirs(&|r| r.ticket.subject.clone()),
            subject.clone(),
        ));
    }
    if let Some(stage) = patch.stage {
        let now = theirs(&|r| wire_name(&r.ticket.stage));
        out.push(row("Stage", now, wire_name(&stage)));
    }
    if let Some(priority) = patch.priority {
        let now = theirs(&|r| wire_name(&r.ticket.priority));
        out.push(row("Priority", now, wire_name(&priority)));
    }
    if let Some(category) = &patch.category {
        out.push(row(
            "Category",
            theirs(&|r| r.ticket.category.clone()),
            category.clone(),
        ));
    }
    if let Some(owner) = patch.owner_id {
        let now = theirs(&|r| match &r.owner_name {
            Some(name) => name.clone(),
            None => user(r.ticket.owner_id),
        });
        out.push(row("Owner", now, user(owner)));
    }
    if let Some(inbox) = patch.inbox_id {
        let mine = view
            .inbox_name(inbox)
            .map_or_else(|| format!("inbox {inbox}"), str::to_string);
        out.push(row("Inbox", theirs(&|r| r.inbox_name.clone()), mine));
    }
    if let Some(tags) = &patch.tags {
        out.push(row(
            "Tags",
            theirs(&|r| r.ticket.tags.join(", ")),
            tags.join(", "),
        ));
    }
    out
}

impl Component for ConflictDialog {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Conflict]
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        let Some(at) = self.settling.iter().position(|t| *t == done.task) else {
            return Some(done);
        };
        self.settling.remove(at);
        if let Answer::Settled(Err(e)) = done.answer {
            self.error = Some(e);
        }
        None
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::worded(Action::Revert, "conflict-keep-theirs"),
            Command::worded(Action::Save, "conflict-apply-mine"),
            Command::worded(Action::Down, "conflict-next"),
            Command::worded(Action::Up, "conflict-previous"),
            Command::worded(Action::Close, "conflict-decide-later"),
        ]
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Revert => self.resolve(Resolution::KeepTheirs),
            Action::Save => self.resolve(Resolution::ApplyMine),
            Action::Down | Action::Up => {
                let len = self.queue().len();
                let delta = if action == Action::Down { 1 } else { -1 };
                self.selected = crate::tui::components::step(self.selected, delta, len);
                Outcome::Changed
            }
            Action::Close => Outcome::Request(Request::Close),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let queue = self.queue();
        let entry = queue.get(self.selected);
        let mut intro = Vec::new();
        let mut rows = Vec::new();
        if let Some(entry) = entry {
            let message = match &entry.state {
                OutboxState::Conflict(info) => strip_control(&info.message),
                _ => String::new(),
            };
            let changed = last_change(&self.client.view(), entry);
            intro.push(Line::styled(
                headline(&entry.write.describe(), changed.as_ref(), Utc::now()),
                theme.title,
            ));
            let message = [("message", Arg::Text(&message))];
            intro.push(Line::styled(
                i18n::tf("conflict-server", &message),
                theme.muted,
            ));
            rows = diff(&self.client.view(), entry);
        } else {
            intro.push(Line::raw(i18n::t("conflict-nothing")));
        }
        if let Some(e) = &self.error {
            intro.push(Line::styled(e.clone(), theme.error));
        }
        let width = area.width.saturating_sub(4).min(100);
        // A long headline (a long name) wraps: count the rows it takes inside the border.
        let inner_width = usize::from(width.saturating_sub(2).max(1));
        let intro_rows: usize = intro
            .iter()
            .map(|l| wrapped_rows(&l.to_string(), inner_width))
            .sum();
        let intro_height = u16::try_from(intro_rows).unwrap_or(u16::MAX);
        let table_height = u16::try_from(rows.len() + 1).unwrap_or(u16::MAX);
        let height = (intro_height + table_height + 4).min(area.height);
        let popup = centered(area, width, height);
        let title = match queue.len() {
            0 => format!(" {} ", i18n::t("conflict-title")),
            n => {
                let at = [
                    ("at", Arg::from(self.selected + 1)),
                    ("count", Arg::from(n)),
                ];
                format!(" {} ", i18n::tf("conflict-title-of", &at))
            }
        };
        let key = |a: Action| {
            ctx.keymap
                .keys(Context::Conflict, a)
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        let footer = Line::from(vec![
            Span::raw(" "),
            Span::styled(key(Action::Revert), theme.key),
            Span::raw(format!(" {} · ", i18n::t("conflict-keep-theirs"))),
            Span::styled(key(Action::Save), theme.key),
            Span::raw(format!(" {} · ", i18n::t("conflict-apply-mine"))),
            Span::styled(key(Action::Close), theme.key),
            Span::raw(format!(" {} ", i18n::t("conflict-later"))),
        ]);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.error)
            .title(Line::styled(title, theme.title))
            .title_bottom(footer);
        let inner = block.inner(popup);
        frame.render_widget(Clear, popup);
        frame.render_widget(block, popup);
        let [top, table_area] =
            Layout::vertical([Constraint::Length(intro_height + 1), Constraint::Fill(1)])
                .areas(inner);
        frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), top);
        if rows.is_empty() {
            return;
        }
        let header = Row::new(["conflict-field", "conflict-theirs", "conflict-mine"].map(i18n::t))
            .style(theme.title);
        let table = Table::new(
            rows.into_iter()
                .map(|d| Row::new([d.field, d.theirs, d.mine])),
            [
                Constraint::Length(10),
                Constraint::Fill(1),
                Constraint::Fill(1),
            ],
        )
        .header(header)
        .column_spacing(2);
        frame.render_widget(table, table_area);
    }
}
