//! The routing-rule editor: name, enabled, all/any, the conditions (field, operator, value,
//! support-form fields included) and the outcome (inbox, assignment, priority).

use crate::client::View;
use crate::domain::routing::{AssignNamed, AssignTarget, MatchMode, MatchValue, RuleOutcome};
use crate::domain::text::strip_control;
use crate::domain::wire::{PortalFor, RuleInput, RulePatch};
use crate::domain::{Condition, ConditionField, ConditionOp, Priority, RoutingRule};
use crate::tui::components::widgets::form::{Field, Form, Typing};
use crate::tui::components::widgets::list::wire_name;

const NAME: usize = 0;
const ENABLED: usize = 1;
const MATCH: usize = 2;
const INBOX: usize = 3;
const ASSIGN: usize = 4;
const PRIORITY: usize = 5;
/// Index of the first condition's first field; each condition has three.
const CONDITIONS: usize = 6;
const OPS: [ConditionOp; 3] = [ConditionOp::Contains, ConditionOp::Equals, ConditionOp::In];

/// An open rule editor.
#[derive(Debug, Clone)]
pub struct RuleEditor {
    /// The rule being edited; `None` for a new one (added at the top).
    pub id: Option<i64>,
    /// The fields.
    pub form: Form<()>,
    inboxes: Vec<i64>,
    assignees: Vec<AssignTarget>,
    condition_fields: Vec<ConditionField>,
}

/// The labels of condition number `n` (from 1): its field, operator and value.
fn condition_labels(n: usize) -> [String; 3] {
    [
        format!("If #{n} field"),
        format!("   #{n} is"),
        format!("   #{n} value"),
    ]
}

fn names<T: Clone + Into<String>>(items: &[T]) -> Vec<String> {
    items.iter().cloned().map(Into::into).collect()
}

/// The support form's field keys, from the portal settings staff see.
pub fn form_keys(view: &View) -> Vec<String> {
    match view.portal.as_ref().map(|p| &p.item) {
        Some(PortalFor::Staff(p)) => p
            .settings
            .support_form
            .fields
            .iter()
            .map(|f| f.key.clone())
            .collect(),
        _ => Vec::new(),
    }
}

impl RuleEditor {
    /// An editor for `rule`, or for a new rule when `None`, with the choices `view` offers.
    pub fn new(rule: Option<&RoutingRule>, view: &View) -> Self {
        let inboxes: Vec<i64> = view.inboxes.keys().copied().collect();
        let mut assignees = vec![
            AssignTarget::Named(AssignNamed::None),
            AssignTarget::Named(AssignNamed::InboxMethod),
        ];
        assignees.extend(
            view.users
                .keys()
                .map(|id| AssignTarget::User { user_id: *id }),
        );
        let mut condition_fields = vec![
            ConditionField::Subject,
            ConditionField::Description,
            ConditionField::Category,
            ConditionField::Priority,
            ConditionField::Company,
            ConditionField::EmailDomain,
            ConditionField::Source,
        ];
        condition_fields.extend(form_keys(view).into_iter().map(ConditionField::Form));
        for c in rule.iter().flat_map(|r| &r.conditions) {
            if !condition_fields.contains(&c.field) {
                condition_fields.push(c.field.clone());
            }
        }
        let inbox_names = inboxes
            .iter()
            .map(|id| {
                view.inbox_name(*id)
                    .map_or(format!("inbox {id}"), strip_control)
            })
            .collect();
        let assignee_names = assignees
            .iter()
            .map(|a| match a {
                AssignTarget::Named(AssignNamed::None) => "nobody (unassigned)".to_string(),
                AssignTarget::Named(AssignNamed::InboxMethod) => "by the inbox's method".into(),
                AssignTarget::User { user_id } => view
                    .user_name(*user_id)
                    .map_or(format!("user {user_id}"), strip_control),
            })
            .collect();
        let mut priorities = vec!["unchanged".to_string()];
        priorities.extend(Priority::ALL.iter().map(|p| p.as_str().to_string()));
        let then = rule.map(|r| &r.then);
        let fields = vec![
            Field::text(
                "Name",
                &rule.map_or(String::new(), |r| strip_control(&r.name)),
            ),
            Field::choice(
                "Enabled",
                names(&["yes", "no"]),
                usize::from(rule.is_some_and(|r| !r.enabled)),
            ),
            Field::choice(
                "Match",
                names(&["all conditions", "any condition"]),
                usize::from(rule.is_some_and(|r| r.match_mode == MatchMode::Any)),
            ),
            Field::choice(
                "Inbox",
                inbox_names,
                then.and_then(|t| inboxes.iter().position(|i| *i == t.inbox_id))
                    .unwrap_or(0),
            ),
            Field::choice(
                "Assign to",
                assignee_names,
                then.and_then(|t| assignees.iter().position(|a| *a == t.assign))
                    .unwrap_or(1),
            ),
            Field::choice(
                "Priority",
                priorities,
                then.and_then(|t| t.priority)
                    .and_then(|p| Priority::ALL.iter().position(|q| *q == p))
                    .map_or(0, |i| i + 1),
            ),
        ];
        let mut editor = RuleEditor {
            id: rule.map(|r| r.id),
            form: Form::new(fields, Typing::Direct),
            inboxes,
            assignees,
            condition_fields,
        };
        match rule {
            Some(r) => r
                .conditions
                .iter()
                .for_each(|c| editor.push_condition(Some(c))),
            None => editor.push_condition(None),
        }
        editor.form.mark_pristine();
        editor
    }

    fn push_condition(&mut self, c: Option<&Condition>) {
        let n = (self.form.fields.len() - CONDITIONS) / 3 + 1;
        let field = c
            .and_then(|c| self.condition_fields.iter().position(|f| *f == c.field))
            .unwrap_or(0);
        let op = c
            .and_then(|c| OPS.iter().position(|o| *o == c.op))
            .unwrap_or(0);
        let value = match c.map(|c| &c.value) {
            Some(MatchValue::One(v)) => strip_control(v),
            Some(MatchValue::Many(vs)) => vs
                .iter()
                .map(|v| strip_control(v))
                .collect::<Vec<_>>()
                .join(", "),
            None => String::new(),
        };
        let field_names = self
            .condition_fields
            .iter()
            .cloned()
            .map(String::from)
            .collect();
        let op_names = OPS.iter().map(wire_name).collect();
        let [field_label, op_label, value_label] = condition_labels(n);
        self.form
            .fields
            .push(Field::choice(field_label, field_names, field));
        self.form.fields.push(Field::choice(op_label, op_names, op));
        self.form.fields.push(Field::text(value_label, &value));
    }

    /// Adds an empty condition and focuses it.
    pub fn add_condition(&mut self) {
        self.push_condition(None);
        self.form.focus = self.form.fields.len() - 3;
    }

    /// Whether the focus is on a condition (which [`RuleEditor::remove_condition`] removes).
    pub fn on_condition(&self) -> bool {
        self.form.focus >= CONDITIONS
    }

    /// Removes the focused condition and only it (the others keep what they hold, empty or
    /// not yet valid ones included, and are numbered again); returns whether there was one.
    pub fn remove_condition(&mut self) -> bool {
        if !self.on_condition() {
            return false;
        }
        let start = CONDITIONS + (self.form.focus - CONDITIONS) / 3 * 3;
        self.form.fields.drain(start..start + 3);
        for (i, fields) in self.form.fields[CONDITIONS..].chunks_mut(3).enumerate() {
            for (field, label) in fields.iter_mut().zip(condition_labels(i + 1)) {
                field.label = label;
            }
        }
        self.form.focus = if start < self.form.fields.len() {
            start
        } else {
            start.saturating_sub(3).max(CONDITIONS - 1)
        };
        true
    }

    fn condition_count(&self) -> usize {
        (self.form.fields.len() - CONDITIONS) / 3
    }

    fn condition(&self, i: usize) -> Result<Condition, String> {
        let at = CONDITIONS + i * 3;
        let field = self
            .condition_fields
            .get(self.form.choice(at))
            .cloned()
            .ok_or("no field")?;
        let op = OPS
            .get(self.form.choice(at + 1))
            .copied()
            .unwrap_or(ConditionOp::Contains);
        let text = self.form.text(at + 2);
        let value = if op == ConditionOp::In {
            MatchValue::Many(
                text.split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(String::from)
                    .collect(),
            )
        } else {
            MatchValue::One(text.to_string())
        };
        op.check_value(&value)
            .map_err(|e| format!("condition #{}: {e}", i + 1))?;
        Ok(Condition { field, op, value })
    }

    /// The rule as written, or what is missing.
    pub fn input(&self) -> Result<RuleInput, String> {
        let name = self.form.text(NAME);
        if name.is_empty() {
            return Err("the rule needs a name".into());
        }
        let inbox_id = *self
            .inboxes
            .get(self.form.choice(INBOX))
            .ok_or("there is no inbox to send tickets to")?;
        let conditions = (0..self.condition_count())
            .map(|i| self.condition(i))
            .collect::<Result<Vec<_>, _>>()?;
        if conditions.is_empty() {
            return Err("add at least one condition (Ctrl-N)".into());
        }
        Ok(RuleInput {
            name: name.to_string(),
            enabled: self.form.choice(ENABLED) == 0,
            position: self.id.is_none().then_some(0),
            match_mode: if self.form.choice(MATCH) == 1 {
                MatchMode::Any
            } else {
                MatchMode::All
            },
            conditions,
            then: RuleOutcome {
                inbox_id,
                assign: self
                    .assignees
                    .get(self.form.choice(ASSIGN))
                    .cloned()
                    .unwrap_or(AssignTarget::Named(AssignNamed::None)),
                priority: self
                    .form
                    .choice(PRIORITY)
                    .checked_sub(1)
                    .and_then(|i| Priority::ALL.get(i).copied()),
            },
        })
    }

    /// The change to send for an existing rule.
    pub fn patch(input: RuleInput) -> RulePatch {
        RulePatch {
            name: Some(input.name),
            enabled: Some(input.enabled),
            position: None,
            match_mode: Some(input.match_mode),
            conditions: Some(input.conditions),
            then: Some(input.then),
        }
    }
}

#[cfg(test)]
mod tests;
