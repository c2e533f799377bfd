//! The inbox editor: name, kind, members, assignment method and capacity.

use crate::client::View;
use crate::domain::text::strip_control;
use crate::domain::wire::{InboxInput, InboxPatch};
use crate::domain::{Assignment, Inbox, InboxKind};
use crate::tui::components::widgets::form::{Field, Form, Typing};
use crate::tui::components::widgets::list::wire_name;

const NAME: usize = 0;
const KIND: usize = 1;
const METHOD: usize = 2;
const CAPACITY: usize = 3;
/// Index of the first member switch; one per staff user.
const MEMBERS: usize = 4;
const KINDS: [InboxKind; 2] = [InboxKind::Inbox, InboxKind::HelpDesk];
const METHODS: [Assignment; 3] = [
    Assignment::Manual,
    Assignment::RoundRobin,
    Assignment::LeastLoaded,
];

/// An open inbox editor.
#[derive(Debug, Clone)]
pub struct InboxEditor {
    /// The inbox being edited; `None` for a new one.
    pub id: Option<i64>,
    /// The fields.
    pub form: Form<()>,
    /// Staff user ids, one per member switch.
    staff: Vec<i64>,
    /// The members as they were, to keep their round-robin order.
    before: Vec<i64>,
}

fn yes_no(on: bool) -> Field<()> {
    Field::choice("", vec!["no".into(), "yes".into()], usize::from(on))
}

impl InboxEditor {
    /// An editor for `inbox`, or for a new one when `None`.
    pub fn new(inbox: Option<&Inbox>, view: &View) -> Self {
        let staff: Vec<i64> = view.users.keys().copied().collect();
        let before = inbox.map_or(Vec::new(), |i| i.members.clone());
        let mut fields = vec![
            Field::text(
                "Name",
                &inbox.map_or(String::new(), |i| strip_control(&i.name)),
            ),
            Field::choice(
                "Kind",
                KINDS.iter().map(wire_name).collect(),
                inbox
                    .and_then(|i| KINDS.iter().position(|k| *k == i.kind))
                    .unwrap_or(0),
            ),
            Field::choice(
                "Assignment",
                METHODS.iter().map(wire_name).collect(),
                inbox
                    .and_then(|i| METHODS.iter().position(|m| *m == i.assignment))
                    .unwrap_or(0),
            ),
            Field::text(
                "Capacity (open each; empty: no limit)",
                &inbox
                    .and_then(|i| i.capacity)
                    .map_or(String::new(), |c| c.to_string()),
            ),
        ];
        for id in &staff {
            let mut field = yes_no(before.contains(id));
            field.label = format!(
                "Member: {}",
                view.user_name(*id)
                    .map_or(format!("user {id}"), strip_control)
            );
            fields.push(field);
        }
        InboxEditor {
            id: inbox.map(|i| i.id),
            form: Form::new(fields, Typing::Direct),
            staff,
            before,
        }
    }

    /// The inbox as written, or what is wrong.
    pub fn input(&self) -> Result<InboxInput, String> {
        let name = self.form.text(NAME);
        if name.is_empty() || name.chars().count() > 60 {
            return Err("the name must be 1–60 characters".into());
        }
        let capacity = match self.form.text(CAPACITY) {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err("capacity is a whole number from 1, or empty for no limit".into()),
            },
        };
        let chosen: Vec<i64> = self
            .staff
            .iter()
            .enumerate()
            .filter(|(i, _)| self.form.choice(MEMBERS + i) == 1)
            .map(|(_, id)| *id)
            .collect();
        let mut members: Vec<i64> = self
            .before
            .iter()
            .filter(|id| chosen.contains(id))
            .copied()
            .collect();
        members.extend(chosen.iter().filter(|id| !self.before.contains(id)));
        Ok(InboxInput {
            name: name.to_string(),
            kind: KINDS[self.form.choice(KIND).min(KINDS.len() - 1)],
            members,
            assignment: METHODS[self.form.choice(METHOD).min(METHODS.len() - 1)],
            capacity,
        })
    }

    /// The change to send for an existing inbox.
    pub fn patch(input: InboxInput) -> InboxPatch {
        InboxPatch {
            name: Some(input.name),
            kind: Some(input.kind),
            members: Some(input.members),
            assignment: Some(input.assignment),
            capacity: Some(input.capacity),
        }
    }
}
