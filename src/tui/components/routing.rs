//! The Routing pane: inboxes and help desks (method, members, capacity, load) and the routing
//! rules in evaluation order, with editors for both and a tester that shows where a draft
//! ticket would land. Agents see it read-only: only moving and the tester are offered.

mod editing;
mod form;
mod inbox_editor;
mod lists;
mod remote;
mod rule_editor;
mod tester;
#[cfg(test)]
mod tests;

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
use ratatui::widgets::{Paragraph, Wrap};
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

fn changed(yes: bool) -> Outcome {
    if yes {
        Outcome::Changed
    } else {
        Outcome::Ignored
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
            mode: Mode::List,
            confirm_delete: None,
        }
    }

    fn target(&self) -> Option<Target> {
        lists::targets(&self.client.view())
            .get(self.cursor.selected())
            .copied()
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
        let mut out = Vec::new();
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
        out.extend(ListCursor::commands());
        out
    }

    fn form_commands(&self) -> Vec<Command> {
        let mut out = Vec::new();
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
        out.push(Command::new(Action::NextField));
        out.push(Command::new(Action::PrevField));
        out
    }

    fn list_action(&mut self, action: Action) -> Outcome {
        let rows = lists::targets(&self.client.view()).len();
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
        let client = self.client.clone();
        let view = client.view();
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
        self.remote.clear_notice(&self.client.view());
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
            Some(form) => changed(form.key(key)),
            None => Outcome::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        match self.form() {
            Some(form) => changed(form.paste(text)),
            None => Outcome::Ignored,
        }
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        match self.mode {
            Mode::List => self
                .cursor
                .scroll(rows, lists::targets(&self.client.view()).len()),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let client = self.client.clone();
        let view = client.view();
        // Read before asking again, so one draw never mixes old and new answers.
        let load = self.remote.counts();
        self.remote.refresh_counts(view.revision());
        let notice = self
            .remote
            .refusal(&view)
            .or_else(|| self.remote.notice())
            .or_else(|| self.remote.counts_error());
        let area = match notice {
            Some(text) => {
                let wide = text.chars().count() > usize::from(area.width);
                let height = if wide { 2 } else { 1 };
                let [a, n] =
                    Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(area);
                let line = Line::styled(strip_control(&text), ctx.theme.warning);
                frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), n);
                a
            }
            None => area,
        };
        if !matches!(self.mode, Mode::List) {
            self.draw_form(frame, area, &view, ctx);
            return;
        }
        let (lines, targets): (Vec<_>, Vec<_>) =
            lists::lines(&view, &load, ctx).into_iter().unzip();
        debug_assert_eq!(targets, lists::targets(&view), "lines and targets agree");
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
