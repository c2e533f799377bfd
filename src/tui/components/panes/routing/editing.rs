//! The Routing pane's editors and tester: moving between fields, switching choices, adding
//! and removing conditions, saving through the outbox and running the tester.

use super::inbox_editor::InboxEditor;
use super::remote::Job;
use super::rule_editor::RuleEditor;
use super::tester::{self, Tester};
use super::{Mode, Routing, changed};
use crate::client::{View, Write};
use crate::domain::text::strip_control;
use crate::tui::action::Action;
use crate::tui::components::widgets::list::pane_block;
use crate::tui::components::{DrawCtx, Outcome};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

/// How saving a `kind` ("rule", "inbox") named `name` is told: created when `new`.
fn saving(kind: &str, name: &str, new: bool) -> Job {
    let name = strip_control(name);
    let (doing, done) = if new {
        ("creating", "created")
    } else {
        ("saving", "saved")
    };
    Job::new(
        format!("{doing} {kind} \"{name}\""),
        format!("{done} {kind} \"{name}\""),
    )
}

impl Routing {
    pub(super) fn form_action(&mut self, action: Action) -> Outcome {
        match action {
            Action::NextField | Action::PrevField => {
                let delta = if action == Action::NextField { 1 } else { -1 };
                if let Some(form) = self.form() {
                    form.move_focus(delta);
                }
                Outcome::Changed
            }
            Action::Toggle => changed(self.form().is_some_and(|f| f.cycle())),
            Action::Close => self.close_editor(),
            Action::Save => {
                self.save();
                Outcome::Changed
            }
            Action::New | Action::Delete | Action::Try => self.rule_form_action(action),
            _ => Outcome::Ignored,
        }
    }

    /// Leaves the editor or tester (the tester of a draft goes back to its rule editor).
    pub(super) fn leave_form(&mut self) -> Outcome {
        self.mode = match std::mem::replace(&mut self.mode, Mode::List) {
            Mode::Tester(_, Some(editor)) => Mode::Rule(editor),
            _ => Mode::List,
        };
        self.remote.clear_test();
        Outcome::Changed
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
        let sent = match &self.mode {
            Mode::Tester(tester, _) => {
                let request = tester.request(&self.client.view());
                self.remote.run_test(request);
                return;
            }
            Mode::Rule(editor) => editor.input().map(|input| {
                let job = saving("rule", &input.name, editor.id.is_none());
                let write = match editor.id {
                    Some(id) => Write::PatchRule {
                        id,
                        patch: RuleEditor::patch(input),
                    },
                    None => Write::CreateRule(input),
                };
                (write, job)
            }),
            Mode::Inbox(editor) => editor.input().map(|input| {
                let job = saving("inbox", &input.name, editor.id.is_none());
                let write = match editor.id {
                    Some(id) => Write::PatchInbox {
                        id,
                        patch: InboxEditor::patch(input),
                    },
                    None => Write::CreateInbox(input),
                };
                (write, job)
            }),
            Mode::List => return,
        };
        match sent {
            Ok((write, job)) => {
                self.remote.submit(write, job);
                self.mode = Mode::List;
            }
            Err(e) => self.remote.set_notice(e),
        }
    }

    pub(super) fn draw_form(&self, frame: &mut Frame, area: Rect, view: &View, ctx: DrawCtx<'_>) {
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
            Mode::Rule(e) => e.form.draw_aligned(frame, inner, ctx),
            Mode::Inbox(e) => e.form.draw_aligned(frame, inner, ctx),
            Mode::Tester(t, _) => {
                let height = u16::try_from(t.form.fields.len()).unwrap_or(u16::MAX);
                let [top, _, bottom] = Layout::vertical([
                    Constraint::Length(height),
                    Constraint::Length(1),
                    Constraint::Min(0),
                ])
                .areas(inner);
                t.form.draw_aligned(frame, top, ctx);
                let lines = tester::result_lines(self.remote.test(), view, ctx);
                frame.render_widget(Paragraph::new(lines), bottom);
            }
            Mode::List => {}
        }
    }
}
