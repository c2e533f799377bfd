//! The Routing pane: inboxes and help desks (method, members, capacity, load) and the routing
//! rules in evaluation order, with editors for both and a tester that shows where a draft
//! ticket would land. Agents see it read-only: only moving and the tester are offered.

mod ask;
mod delete;
mod editing;
mod inbox_editor;
mod list_actions;
mod lists;
mod remote;
mod rule_editor;
mod tester;
#[cfg(test)]
mod tests;

use crate::client::Client;
use crate::domain::text::strip_control;
use crate::domain::wire::RulePatch;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Ask, Question};
use crate::tui::components::widgets::form::Form;
use crate::tui::components::widgets::list::{ListCursor, pane_block};
use crate::tui::components::{Component, DrawCtx, Outcome, wrapped_rows};
use crate::tui::keymap::Context;
use crate::tui::msg::{Done, Tasks};
use crossterm::event::KeyEvent;
use delete::MovePrompt;
use inbox_editor::InboxEditor;
use lists::Target;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use remote::Remote;
use rule_editor::RuleEditor;
use tester::Tester;

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
    /// The selected item (an inbox or a rule, see [`lists::targets`]).
    cursor: ListCursor,
    /// The list's first line on screen.
    offset: usize,
    mode: Mode,
    /// The offer to move an inbox's tickets before deleting it, while it is open.
    prompt: Option<MovePrompt>,
    /// The yes/no question open over the pane, and what a yes does.
    question: Ask<ask::Then>,
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
    /// The pane over `client`'s view; `read_only` for agents; the server's answers come back
    /// through `tasks`.
    pub fn new(client: Client, read_only: bool, tasks: Tasks) -> Self {
        Routing {
            remote: Remote::new(client.clone(), tasks),
            client,
            read_only,
            cursor: ListCursor::default(),
            offset: 0,
            mode: Mode::List,
            prompt: None,
            question: Ask::default(),
        }
    }

    /// Whether the open editor or tester holds edits that quitting would lose.
    fn has_edits(&self) -> bool {
        match &self.mode {
            Mode::List => false,
            Mode::Rule(e) => e.form.is_edited(),
            Mode::Inbox(e) => e.form.is_edited(),
            Mode::Tester(t, editor) => {
                t.form.is_edited() || editor.as_ref().is_some_and(|e| e.form.is_edited())
            }
        }
    }

    fn target(&self) -> Option<Target> {
        lists::targets(&self.client.view())
            .get(self.cursor.selected())
            .copied()
    }

    fn form(&mut self) -> Option<&mut Form<()>> {
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

    /// The editor's and tester's commands, most used first, since the hint bar shows only
    /// what fits (the rest are under help).
    fn form_commands(&self) -> Vec<Command> {
        let (save, close) = match &self.mode {
            Mode::Rule(_) => ("save rule", "cancel"),
            Mode::Inbox(_) => ("save inbox", "cancel"),
            Mode::Tester(..) => ("run test", "back"),
            Mode::List => return Vec::new(),
        };
        let mut out = vec![
            Command::labelled(Action::Save, save),
            Command::labelled(Action::Close, close),
        ];
        let choice = match &self.mode {
            Mode::Rule(e) => !e.form.captures_text(),
            Mode::Inbox(e) => !e.form.captures_text(),
            Mode::Tester(t, _) => !t.form.captures_text(),
            Mode::List => false,
        };
        if choice {
            out.push(Command::labelled(Action::Toggle, "next choice"));
        }
        out.push(Command::new(Action::NextField));
        if let Mode::Rule(e) = &self.mode {
            out.push(Command::labelled(Action::Try, "test this draft"));
            out.push(Command::labelled(Action::New, "add condition"));
            if e.on_condition() {
                out.push(Command::labelled(Action::Delete, "remove condition"));
            }
        }
        out.push(Command::new(Action::PrevField));
        out
    }
}

impl Component for Routing {
    fn contexts(&self) -> &'static [Context] {
        if self.question.asking() {
            return confirm::CONTEXTS;
        }
        match self.mode {
            Mode::List if self.prompt.is_none() => &[Context::Routing, Context::List],
            _ => &[Context::RoutingForm],
        }
    }

    fn commands(&self) -> Vec<Command> {
        if self.question.asking() {
            return self.question.commands();
        }
        if self.prompt.is_some() {
            return vec![Command::labelled(Action::Close, "keep the inbox")];
        }
        match self.mode {
            Mode::List => self.list_commands(),
            _ => self.form_commands(),
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        if self.prompt.is_some() {
            return match action {
                Action::Close => self.drop_prompt(),
                _ => Outcome::Ignored,
            };
        }
        if self.question.asking() {
            return self.answer(action);
        }
        self.remote.clear_notice();
        if action == Action::Quit && self.has_edits() {
            let question = Question::new("Unsaved edits", "Quit and drop your unsaved edits?");
            self.question
                .ask_again(question, ask::Then::Quit, Action::Quit);
            return Outcome::Changed;
        }
        match self.mode {
            Mode::List => self.list_action(action),
            _ => self.form_action(action),
        }
    }

    fn modal(&self) -> bool {
        self.prompt.is_some() || self.question.asking()
    }

    fn asking(&self) -> bool {
        self.question.asking()
    }

    fn captures_text(&self) -> bool {
        if self.question.asking() {
            return false;
        }
        if self.prompt.is_some() {
            return true;
        }
        match &self.mode {
            Mode::List => false,
            Mode::Rule(e) => e.form.captures_text(),
            Mode::Inbox(e) => e.form.captures_text(),
            Mode::Tester(t, _) => t.form.captures_text(),
        }
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if self.prompt.is_some() {
            self.remote.clear_notice();
            return self.prompt_key(key);
        }
        match self.form() {
            Some(form) => changed(form.key(key)),
            None => Outcome::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        if self.question.asking() {
            return Outcome::Ignored;
        }
        match self.form() {
            Some(form) => changed(form.paste(text)),
            None => Outcome::Ignored,
        }
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        self.remote.receive(done)
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
        self.remote.refresh_counts(view.revision());
        if let Some(refusal) = self.remote.settle(&view) {
            self.follow_refusal(refusal, &view);
        }
        let notices: Vec<String> = [
            self.remote
                .notice()
                .or_else(|| self.remote.counts_error())
                .map(str::to_string),
            self.prompt.as_ref().map(MovePrompt::text),
        ]
        .into_iter()
        .flatten()
        .collect();
        let area = draw_notices(frame, area, &notices, ctx);
        if !matches!(self.mode, Mode::List) {
            self.draw_form(frame, area, &view, ctx);
            self.draw_question(frame, area, ctx);
            return;
        }
        let items = lists::targets(&view);
        // Clamps the selection to the items (one may have gone) and sets the page size.
        self.cursor
            .window(items.len(), usize::from(area.height.saturating_sub(2)) / 2);
        let selected = items.get(self.cursor.selected()).copied();
        let title = if self.read_only {
            "Routing (read-only)"
        } else {
            "Routing"
        };
        lists::draw(
            frame,
            area,
            pane_block(title.to_string(), ctx),
            lists::lines(&view, self.remote.counts(), ctx),
            selected,
            &mut self.offset,
            ctx,
        );
        self.draw_question(frame, area, ctx);
    }
}

impl Routing {
    fn draw_question(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        self.question.draw(frame, area, ctx);
    }
}

/// Draws `notices` at the bottom of `area`, each wrapped to the width; returns the rest.
fn draw_notices(frame: &mut Frame, area: Rect, notices: &[String], ctx: DrawCtx<'_>) -> Rect {
    if notices.is_empty() {
        return area;
    }
    let width = usize::from(area.width).max(1);
    let rows: usize = notices.iter().map(|n| wrapped_rows(n, width)).sum();
    let height = u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(3));
    let [rest, bottom] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(area);
    let lines: Vec<Line> = notices
        .iter()
        .map(|n| Line::styled(strip_control(n), ctx.theme.warning))
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), bottom);
    rest
}
