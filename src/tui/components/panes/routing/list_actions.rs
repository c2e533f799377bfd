//! The Routing pane's list actions: opening the editors and the tester, enabling and moving
//! rules, making an inbox the portal's default (deleting is in `delete.rs`). Items still
//! waiting in the outbox to be created have no server id yet, so they cannot be changed until
//! the server has them.

use super::inbox_editor::InboxEditor;
use super::lists::{self, Target};
use super::remote::Job;
use super::rule_editor::RuleEditor;
use super::tester::Tester;
use super::{Mode, Routing, blank_rule_patch};
use crate::client::{View, Write};
use crate::domain::portal::PortalPatch;
use crate::domain::text::strip_control;
use crate::domain::wire::{PortalFor, RulePatch};
use crate::tui::action::Action;
use crate::tui::components::{Outcome, read_only_for_agents, step};

/// The list's actions that change something: what an agent's read-only pane refuses aloud.
const WRITES: [Action; 7] = [
    Action::New,
    Action::Edit,
    Action::Delete,
    Action::Toggle,
    Action::MoveDown,
    Action::MoveUp,
    Action::MakeDefault,
];

/// The name of `target` when it is a pending creation (a negative, outbox-made id).
pub(super) fn unsaved_name(target: Target, view: &View) -> Option<String> {
    let (id, name) = match target {
        Target::Inbox(id) => (id, view.inbox_name(id)?.to_string()),
        Target::Rule(i) => view
            .rules
            .get(i)
            .map(|m| (m.item.id, m.item.name.clone()))?,
        Target::Inboxes | Target::Rules => return None,
    };
    (id < 0).then(|| strip_control(&name))
}

impl Routing {
    pub(super) fn list_action(&mut self, action: Action) -> Outcome {
        let rows = lists::targets(&self.client.view()).len();
        if matches!(
            action,
            Action::Down | Action::Up | Action::Top | Action::Bottom
        ) || matches!(action, Action::PageDown | Action::PageUp)
        {
            return self.cursor.handle(action, rows);
        }
        if action == Action::Try {
            let tester = Tester::new(&self.client.view(), None);
            self.remote.clear_test();
            self.mode = Mode::Tester(Box::new(tester), None);
            return Outcome::Changed;
        }
        if self.read_only {
            if !WRITES.contains(&action) {
                return Outcome::Ignored;
            }
            self.remote
                .set_notice(read_only_for_agents("only admins change inboxes and rules"));
            return Outcome::Changed;
        }
        let target = self.target();
        let client = self.client.clone();
        let view = client.view();
        let changes_item = matches!(
            action,
            Action::Edit
                | Action::Toggle
                | Action::MoveDown
                | Action::MoveUp
                | Action::MakeDefault
                | Action::Delete
        );
        if changes_item && let Some(name) = target.and_then(|t| unsaved_name(t, &view)) {
            self.remote.set_notice(format!(
                "\"{name}\" is not on the server yet: try again once it is saved"
            ));
            return Outcome::Changed;
        }
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
                let name = strip_control(&rule.name);
                let (doing, done) = if rule.enabled {
                    ("disabling", "disabled")
                } else {
                    ("enabling", "enabled")
                };
                let job = Job::new(
                    format!("{doing} rule \"{name}\""),
                    format!("{done} rule \"{name}\""),
                );
                self.remote
                    .submit(Write::PatchRule { id: rule.id, patch }, job);
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
                let name = strip_control(&rule.item.name);
                let way = if delta > 0 { "down" } else { "up" };
                let job = Job::new(
                    format!("moving rule \"{name}\" {way} to #{}", j + 1),
                    format!("moved rule \"{name}\" {way} to #{}", j + 1),
                );
                let write = Write::PatchRule {
                    id: rule.item.id,
                    patch,
                };
                self.remote.submit(write, job);
                drop(view);
                self.cursor
                    .handle(if delta > 0 { Action::Down } else { Action::Up }, rows);
            }
            (Action::MakeDefault, Some(Target::Inbox(id))) => self.make_default(id, &view),
            (Action::Delete, Some(t @ (Target::Inbox(_) | Target::Rule(_)))) => {
                self.delete(t, &view, false);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Changed
    }
}

impl Routing {
    /// Makes inbox `id` the portal's default (new portal tickets no rule claims go there).
    fn make_default(&mut self, id: i64, view: &View) {
        let name = view.inbox_name(id).map(strip_control).unwrap_or_default();
        let settings = match view.portal.as_ref().map(|p| &p.item) {
            Some(PortalFor::Staff(s)) => &s.settings,
            Some(PortalFor::Public(_)) => return,
            None => {
                self.remote
                    .set_notice("the portal settings are not loaded yet");
                return;
            }
        };
        if settings.default_inbox_id == Some(id) {
            self.remote
                .set_notice(format!("\"{name}\" is already the portal's default inbox"));
            return;
        }
        let patch = PortalPatch {
            default_inbox_id: Some(id),
            ..PortalPatch::default()
        };
        let job = Job::new(
            format!("making \"{name}\" the portal's default inbox"),
            format!(
                "\"{name}\" is now the portal's default inbox: new tickets no rule claims go there"
            ),
        );
        let write = Write::PatchPortal {
            base_version: settings.version,
            patch,
        };
        self.remote.submit(write, job);
    }
}
