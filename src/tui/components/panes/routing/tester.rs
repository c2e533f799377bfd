//! The rule tester: a draft ticket (subject, description, requester email and company,
//! category, priority, source, support-form fields — everything a condition can test) and where routing would send it — with the saved rules, or with the
//! rule being edited in place of its saved version.

use super::remote::TestState;
use super::rule_editor::form_keys;
use crate::client::View;
use crate::domain::routing::RoutingInput;
use crate::domain::text::strip_control;
use crate::domain::wire::{RouteDecision, RuleInput, RuleTestRequest};
use crate::domain::{Priority, RoutingRule, Source};
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::form::{Field, Form, Typing};
use ratatui::text::Line;

const SUBJECT: usize = 0;
const DESCRIPTION: usize = 1;
const EMAIL: usize = 2;
const COMPANY: usize = 3;
const CATEGORY: usize = 4;
const PRIORITY: usize = 5;
const SOURCE: usize = 6;
/// Index of the first support-form field.
const FORM: usize = 7;

/// An open tester.
#[derive(Debug, Clone)]
pub struct Tester {
    /// The draft ticket's fields.
    pub form: Form<()>,
    keys: Vec<String>,
    /// The edited rule tried in place of the saved ones: its id (`None`: new, on top).
    pub draft: Option<(Option<i64>, RuleInput)>,
}

fn saved(rule: &RoutingRule) -> RuleInput {
    RuleInput {
        name: rule.name.clone(),
        enabled: rule.enabled,
        position: None,
        match_mode: rule.match_mode,
        conditions: rule.conditions.clone(),
        then: rule.then.clone(),
    }
}

impl Tester {
    /// A tester with an empty draft ticket; `draft` is the rule being edited, if any.
    pub fn new(view: &View, draft: Option<(Option<i64>, RuleInput)>) -> Self {
        let keys = form_keys(view);
        let mut priorities = vec!["not set".to_string()];
        priorities.extend(Priority::ALL.iter().map(|p| p.as_str().to_string()));
        let mut fields = vec![
            Field::text("Subject", ""),
            Field::text("Description", ""),
            Field::text("Requester email", ""),
            Field::text("Requester company", ""),
            Field::text("Category", ""),
            Field::choice("Priority", priorities, 0),
            Field::choice(
                "Source",
                Source::ALL.iter().map(|s| s.as_str().to_string()).collect(),
                0,
            ),
        ];
        fields.extend(keys.iter().map(|k| Field::text(format!("Form: {k}"), "")));
        Tester {
            form: Form::new(fields, Typing::Direct),
            keys,
            draft,
        }
    }

    /// The request to send: the draft ticket, and the rules with the draft in place.
    pub fn request(&self, view: &View) -> RuleTestRequest {
        let form_fields = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), self.form.text(FORM + i).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let ticket = RoutingInput {
            subject: self.form.text(SUBJECT).into(),
            description: self.form.text(DESCRIPTION).into(),
            email: self.form.text(EMAIL).into(),
            company: self.form.text(COMPANY).into(),
            category: self.form.text(CATEGORY).into(),
            priority: self
                .form
                .choice(PRIORITY)
                .checked_sub(1)
                .and_then(|i| Priority::ALL.get(i).copied()),
            source: Source::ALL.get(self.form.choice(SOURCE)).copied(),
            form_fields,
        };
        let rules = self.draft.as_ref().map(|(id, draft)| {
            let mut rules: Vec<RuleInput> = Vec::new();
            if id.is_none() {
                rules.push(draft.clone());
            }
            for marked in &view.rules {
                rules.push(if Some(marked.item.id) == *id {
                    draft.clone()
                } else {
                    saved(&marked.item)
                });
            }
            for (i, rule) in rules.iter_mut().enumerate() {
                rule.position = i64::try_from(i).ok();
            }
            rules
        });
        RuleTestRequest { ticket, rules }
    }
}

/// What the tester shows for `state`.
pub fn result_lines(state: &TestState, view: &View, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    match state {
        TestState::Idle => vec![Line::styled(
            "Type a draft ticket, then run the test.",
            ctx.theme.muted,
        )],
        TestState::Running => vec![Line::styled("Testing…", ctx.theme.muted)],
        TestState::Failed(e) => vec![Line::styled(
            format!("Test failed: {}", strip_control(e)),
            ctx.theme.error,
        )],
        TestState::Done(d) => decision_lines(d, view, ctx),
    }
}

fn decision_lines(d: &RouteDecision, view: &View, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let rule = d.rule.as_ref().map_or(
        "no rule matched: the portal's default inbox".to_string(),
        |r| format!("rule \"{}\"", strip_control(&r.name)),
    );
    let inbox = d.inbox_id.map_or("none".to_string(), |id| {
        view.inbox_name(id)
            .map_or(format!("inbox {id}"), strip_control)
    });
    let owner = d.owner_id.map_or("nobody (unassigned)".to_string(), |id| {
        view.user_name(id)
            .map_or(format!("user {id}"), strip_control)
    });
    let priority = d.priority.map_or("unchanged", |p| p.as_str());
    vec![
        Line::styled("Result", ctx.theme.title),
        Line::raw(format!("  Matched:     {rule}")),
        Line::raw(format!("  Lands in:    {inbox}")),
        Line::raw(format!("  Assigned to: {owner}")),
        Line::raw(format!("  Priority:    {priority}")),
    ]
}
