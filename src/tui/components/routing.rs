//! The Routing pane: inboxes and help desks (method, members, capacity, load) and the routing
//! rules in evaluation order, with editors for both and a tester that shows where a draft
//! ticket would land. Agents see it read-only: only moving and the tester are offered.

mod form;
mod inbox_editor;
mod lists;
mod remote;
mod rule_editor;
mod tester;

use super::list::{ListCursor, draw_lines, pane_block};
use super::{Component, DrawCtx, Outcome, step};
use crate::client::{Client, View, Write};
use crate::domain::portal::PortalPatch;
use crate::domain::text::strip_control;
use crate::domain::wire::{PortalFor, RulePatch};
use crate::tui::Msg;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;
use form::Form;
use inbox_editor::InboxEditor;
use lists::Target;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use remote::Remote;
use rule_editor::RuleEditor;
use tester::Tester;
use tokio::sync::mpsc::UnboundedSender;

/// What the pane shows.
enum Mode {
    List,
    Rule(RuleEditor),
    Inbox(InboxEditor),
    /// The tester, and the rule editor to go back to when it tests a draft.
    Tester(Box<Tester>, Option<RuleEditor>),
}

/// The Routing pane.
pub struct Routing {
    client: Client,
    read_only: bool,
    remote: Remote,
    cursor: ListCursor,
    /// What each list line belonged to at the last draw.
    targets: Vec<Target>,
    mode: Mode,
    /// An item whose deletion waits for the key to be pressed again.
    confirm_delete: Option<Target>,
}

fn blank_rule_patch() -> RulePatch {
    RulePatch {
        name: None,
        enabled: None,
        position: None,
        match_mode: None,
        conditions: None,
        then: None,
    }
}

impl Routing {
    /// The pane over `client`'s view; `read_only` for agents; `poke` asks for a redraw when
    /// a server answer arrives.
    pub fn new(client: Client, read_only: bool, poke: Option<UnboundedSender<Msg>>) -> Self {
        Routing {
            remote: Remote::new(client.clone(), poke),
            client,
            read_only,
            cursor: ListCursor::default(),
            targets: Vec::new(),
            mode: Mode::List,
            confirm_delete: None,
        }
    }

    fn target(&self) -> Option<Target> {
        self.targets.get(self.cursor.selected()).copied()
    }

    fn form(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::List => None,
            Mode::Rule(e) => Some(&mut e.form),
            Mode::Inbox(e) => Some(&mut e.form),
            Mode::Tester(t, _) => Some(&mut t.form),
        }
    }

    fn list_commands(&self) -> Vec<Command> {
        let mut out = ListCursor::commands();
        if !self.read_only {
            use Action::*;
            let edits: &[(Action, &'static str)] = match self.target() {
                Some(Target::Inbox(_)) => &[
                    (Edit, "edit inbox"),
                    (New, "new inbox"),
                    (MakeDefault, "make portal default"),
                    (Delete, "delete inbox"),
                ],
                Some(Target::Rule(_)) => &[
                    (Edit, "edit rule"),
                    (New, "new rule on top"),
                    (Toggle, "enable or disable"),
                    (MoveDown, "move rule down"),
                    (MoveUp, "move rule up"),
                    (Delete, "delete rule"),
                ],
                Some(Target::Inboxes) => &[(New, "new inbox")],
                Some(Target::Rules) | None => &[(New, "new rule on top")],
            };
            out.extend(edits.iter().map(|(a, l)| Command::labelled(*a, l)));
        }
        out.push(Command::labelled(Action::Try, "test routing"));
        out
    }

    fn form_commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::new(Action::NextField),
            Command::new(Action::PrevField),
        ];
        let choice = match &self.mode {
            Mode::Rule(e) => !e.form.captures_text(),
            Mode::Inbox(e) => !e.form.captures_text(),
            Mode::Tester(..) | Mode::List => false,
        };
        if choice {
            out.push(Command::labelled(Action::Toggle, "next choice"));
        }
        match &self.mode {
            Mode::Rule(e) => {
                out.push(Command::labelled(Action::Save, "save rule"));
                out.push(Command::labelled(Action::New, "add condition"));
                if e.on_condition() {
                    out.push(Command::labelled(Action::Delete, "remove condition"));
                }
                out.push(Command::labelled(Action::Try, "test this draft"));
                out.push(Command::labelled(Action::Close, "cancel"));
            }
            Mode::Inbox(_) => {
                out.push(Command::labelled(Action::Save, "save inbox"));
                out.push(Command::labelled(Action::Close, "cancel"));
            }
            Mode::Tester(..) => {
                out.push(Command::labelled(Action::Save, "run test"));
                out.push(Command::labelled(Action::Close, "back"));
            }
            Mode::List => {}
        }
        out
    }

    fn list_action(&mut self, action: Action) -> Outcome {
        let rows = self.targets.len();
        if matches!(
            action,
            Action::Down | Action::Up | Action::Top | Action::Bottom
        ) || matches!(action, Action::PageDown | Action::PageUp)
        {
            self.confirm_delete = None;
            return self.cursor.handle(action, rows);
        }
        if action == Action::Try {
            let tester = Tester::new(&self.client.view(), None);
            self.remote.clear_test();
            self.mode = Mode::Tester(Box::new(tester), None);
            return Outcome::Changed;
        }
        if self.read_only {
            return Outcome::Ignored;
        }
        let target = self.target();
        let view = self.client.view();
        match (action, target) {
            (Action::New, Some(Target::Inbox(_) | Target::Inboxes)) => {
                self.mode = Mode::Inbox(InboxEditor::new(None, &view));
            }
            (Action::New, _) => self.mode = Mode::Rule(RuleEditor::new(None, &view)),
            (Action::Edit, Some(Target::Inbox(id))) => {
                let inbox = view.inboxes.get(&id).map(|m| &m.item);
                self.mode = Mode::Inbox(InboxEditor::new(inbox, &view));
            }
            (Action::Edit, Some(Target::Rule(i))) => {
                let rule = view.rules.get(i).map(|m| &m.item);
                self.mode = Mode::Rule(RuleEditor::new(rule, &view));
            }
            (Action::Toggle, Some(Target::Rule(i))) => {
                let Some(rule) = view.rules.get(i).map(|m| &m.item) else {
                    return Outcome::Ignored;
                };
                let patch = RulePatch {
                    enabled: Some(!rule.enabled),
                    ..blank_rule_patch()
                };
                self.remote.submit(Write::PatchRule { id: rule.id, patch });
            }
            (Action::MoveDown | Action::MoveUp, Some(Target::Rule(i))) => {
                let delta = if action == Action::MoveDown { 1 } else { -1 };
                let j = step(i, delta, view.rules.len());
                let (Some(rule), Some(other)) = (view.rules.get(i), view.rules.get(j)) else {
                    return Outcome::Ignored;
                };
                if i == j {
                    return Outcome::Ignored;
                }
                let patch = RulePatch {
                    position: Some(other.item.position),
                    ..blank_rule_patch()
                };
                self.remote.submit(Write::PatchRule {
                    id: rule.item.id,
                    patch,
                });
                drop(view);
                self.cursor
                    .handle(if delta > 0 { Action::Down } else { Action::Up }, rows);
                self.cursor
                    .handle(if delta > 0 { Action::Down } else { Action::Up }, rows);
            }
            (Action::MakeDefault, Some(Target::Inbox(id))) => match &view.portal {
                Some(p) => match &p.item {
                    PortalFor::Staff(s) => {
                        let patch = PortalPatch {
                            default_inbox_id: Some(id),
                            ..PortalPatch::default()
                        };
                        self.remote.submit(Write::PatchPortal {
                            base_version: s.settings.version,
                            patch,
                        });
                    }
                    PortalFor::Public(_) => return Outcome::Ignored,
                },
                None => self
                    .remote
                    .set_notice("the portal settings are not loaded yet"),
            },
            (Action::Delete, Some(t @ (Target::Inbox(_) | Target::Rule(_)))) => {
                self.delete(t, &view);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Changed
    }

    fn delete(&mut self, target: Target, view: &View) {
        let (name, write) = match target {
            Target::Inbox(id) => (
                view.inbox_name(id).map(strip_control),
                Write::DeleteInbox { id },
            ),
            Target::Rule(i) => match view.rules.get(i) {
                Some(m) => (
                    Some(strip_control(&m.item.name)),
                    Write::DeleteRule { id: m.item.id },
                ),
                None => return,
            },
            Target::Inboxes | Target::Rules => return,
        };
        let name = name.unwrap_or_default();
        if self.confirm_delete == Some(target) {
            self.confirm_delete = None;
            self.remote.submit(write);
            self.remote.set_notice(format!("deleting \"{name}\"…"));
        } else {
            self.confirm_delete = Some(target);
            self.remote
                .set_notice(format!("press the delete key again to delete \"{name}\""));
        }
    }
}

impl Routing {
    fn form_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::NextField | Action::PrevField => {
                let delta = if action == Action::NextField { 1 } else { -1 };
                if let Some(form) = self.form() {
                    form.move_focus(delta);
                }
                Outcome::Changed
            }
            Action::Toggle => match self.form() {
                Some(form) if form.cycle() => Outcome::Changed,
                _ => Outcome::Ignored,
            },
            Action::Close => {
                self.mode = match std::mem::replace(&mut self.mode, Mode::List) {
                    Mode::Tester(_, Some(editor)) => Mode::Rule(editor),
                    _ => Mode::List,
                };
                self.remote.clear_test();
                Outcome::Changed
            }
            Action::Save => {
                self.save();
                Outcome::Changed
            }
            Action::New | Action::Delete | Action::Try => self.rule_form_action(action),
            _ => Outcome::Ignored,
        }
    }

    fn rule_form_action(&mut self, action: Action) -> Outcome {
        let Mode::Rule(editor) = &mut self.mode else {
            return Outcome::Ignored;
        };
        match action {
            Action::New => editor.add_condition(),
            Action::Delete if editor.remove_condition() => {}
            Action::Try => match editor.input() {
                Ok(draft) => {
                    let tester = Tester::new(&self.client.view(), Some((editor.id, draft)));
                    let editor = editor.clone();
                    self.remote.clear_test();
                    self.mode = Mode::Tester(Box::new(tester), Some(editor));
                }
                Err(e) => self.remote.set_notice(e),
            },
            _ => return Outcome::Ignored,
        }
        Outcome::Changed
    }

    fn save(&mut self) {
        let write = match &self.mode {
            Mode::Tester(tester, _) => {
                let request = tester.request(&self.client.view());
                self.remote.run_test(request);
                return;
            }
            Mode::Rule(editor) => editor.input().map(|input| match editor.id {
                Some(id) => Write::PatchRule {
                    id,
                    patch: RuleEditor::patch(input),
                },
                None => Write::CreateRule(input),
            }),
            Mode::Inbox(editor) => editor.input().map(|input| match editor.id {
                Some(id) => Write::PatchInbox {
                    id,
                    patch: InboxEditor::patch(input),
                },
                None => Write::CreateInbox(input),
            }),
            Mode::List => return,
        };
        match write {
            Ok(write) => {
                self.remote
                    .set_notice(format!("saved: {}", write.describe()));
                self.remote.submit(write);
                self.mode = Mode::List;
            }
            Err(e) => self.remote.set_notice(e),
        }
    }

    fn draw_form(&self, frame: &mut Frame, area: Rect, view: &View, ctx: DrawCtx<'_>) {
        let title = match &self.mode {
            Mode::Rule(e) if e.id.is_some() => "Edit routing rule",
            Mode::Rule(_) => "New routing rule (goes on top)",
            Mode::Inbox(e) if e.id.is_some() => "Edit inbox",
            Mode::Inbox(_) => "New inbox",
            Mode::Tester(t, _) if t.draft.is_some() => "Test routing with the draft rule",
            Mode::Tester(..) => "Test routing",
            Mode::List => return,
        };
        let block = pane_block(title.to_string(), ctx);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        match &self.mode {
            Mode::Rule(e) => e.form.draw(frame, inner, ctx),
            Mode::Inbox(e) => e.form.draw(frame, inner, ctx),
            Mode::Tester(t, _) => {
                let height = u16::try_from(t.form.fields.len()).unwrap_or(u16::MAX);
                let [top, _, bottom] = Layout::vertical([
                    Constraint::Length(height),
                    Constraint::Length(1),
                    Constraint::Min(0),
                ])
                .areas(inner);
                t.form.draw(frame, top, ctx);
                let lines = tester::result_lines(&self.remote.test(), view, ctx);
                frame.render_widget(Paragraph::new(lines), bottom);
            }
            Mode::List => {}
        }
    }
}

impl Component for Routing {
    fn contexts(&self) -> &'static [Context] {
        match self.mode {
            Mode::List => &[Context::Routing, Context::List],
            _ => &[Context::RoutingForm],
        }
    }

    fn commands(&self) -> Vec<Command> {
        match self.mode {
            Mode::List => self.list_commands(),
            _ => self.form_commands(),
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        self.remote.clear_notice();
        match self.mode {
            Mode::List => self.list_action(action),
            _ => self.form_action(action),
        }
    }

    fn captures_text(&self) -> bool {
        match &self.mode {
            Mode::List => false,
            Mode::Rule(e) => e.form.captures_text(),
            Mode::Inbox(e) => e.form.captures_text(),
            Mode::Tester(t, _) => t.form.captures_text(),
        }
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        match self.form() {
            Some(form) if form.key(key) => Outcome::Changed,
            _ => Outcome::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        match self.form() {
            Some(form) if form.paste(text) => Outcome::Changed,
            _ => Outcome::Ignored,
        }
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        match self.mode {
            Mode::List => self.cursor.scroll(rows, self.targets.len()),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let client = self.client.clone();
        let view = client.view();
        self.remote.refresh_counts(view.revision());
        let notice = self.remote.notice().or_else(|| self.remote.counts_error());
        let (area, notice_area) = match &notice {
            Some(_) => {
                let [a, n] =
                    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
                (a, Some(n))
            }
            None => (area, None),
        };
        if let (Some(text), Some(at)) = (notice, notice_area) {
            let line = Line::styled(strip_control(&text), ctx.theme.warning);
            frame.render_widget(Paragraph::new(line), at);
        }
        if !matches!(self.mode, Mode::List) {
            self.draw_form(frame, area, &view, ctx);
            return;
        }
        let (lines, targets): (Vec<_>, Vec<_>) = lists::lines(&view, &self.remote.counts(), ctx)
            .into_iter()
            .unzip();
        self.targets = targets;
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
