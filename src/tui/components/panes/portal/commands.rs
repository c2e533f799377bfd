//! What the Portal pane offers at the moment, with what each action does there.

use super::fields::{self, Part};
use super::form::{FieldId, Value};
use super::{Portal, STEPS, Section};
use crate::tui::action::{Action, Command};

/// What the pane offers right now.
pub fn commands(p: &Portal) -> Vec<Command> {
    if p.question.asking() {
        return p.question.commands();
    }
    if p.on_mail() {
        return p.mail_commands();
    }
    if p.viewing.is_some() {
        return vec![
            Command::labelled(Action::Close, "close the list"),
            Command::labelled(Action::Down, "scroll down"),
            Command::labelled(Action::Up, "scroll up"),
        ];
    }
    if p.form.typing() {
        let keep = if p.form.typing_lines() {
            Action::NextField
        } else {
            Action::Confirm
        };
        return vec![
            Command::labelled(keep, "keep the text"),
            Command::labelled(Action::Close, "cancel the edit"),
            Command::labelled(Action::Save, "keep and save"),
        ];
    }
    let rows = [
        Command::labelled(Action::Down, "next row"),
        Command::labelled(Action::Up, "previous row"),
    ];
    if p.in_wizard() {
        let last = p.step + 1 == STEPS.len();
        let next = if last { "finish setup" } else { "next step" };
        let mut out = vec![
            Command::labelled(Action::NextStep, next),
            Command::labelled(Action::PrevStep, "back"),
            Command::labelled(Action::Toggle, "change choice"),
        ];
        out.extend(confirm(p));
        out.push(Command::labelled(Action::Save, next));
        out.extend(group_commands(p));
        out.extend(rows);
        return out;
    }
    let mut out = Vec::new();
    if !p.read_only && p.current() != Section::Overview {
        out.push(Command::labelled(Action::Save, "save section"));
        out.push(Command::labelled(Action::Toggle, "change choice"));
        out.extend(confirm(p));
        out.push(Command::labelled(Action::Revert, "discard changes"));
        out.extend(group_commands(p));
    }
    out.push(Command::labelled(Action::NextStep, "next section"));
    out.push(Command::labelled(Action::PrevStep, "previous section"));
    out.extend(rows);
    out
}

fn group_commands(p: &Portal) -> Vec<Command> {
    match p.part() {
        Some(Part::Tickets) if p.form.has(FieldId::FilterProperty) => vec![
            Command::labelled(Action::New, "add a condition"),
            Command::labelled(Action::Delete, "remove the condition"),
        ],
        Some(Part::TicketView) => vec![
            Command::labelled(Action::MoveUp, "move the column up"),
            Command::labelled(Action::MoveDown, "move the column down"),
        ],
        Some(Part::SupportForm) => vec![
            Command::labelled(Action::New, "add a field"),
            Command::labelled(Action::Delete, "remove the field"),
            Command::labelled(Action::MoveUp, "move the field up"),
            Command::labelled(Action::MoveDown, "move the field down"),
        ],
        Some(Part::Access) if p.draft.is_none() => vec![Command::labelled(
            Action::ViewAs,
            "view the portal as the contact",
        )],
        _ => Vec::new(),
    }
}

/// What Enter does on the selected row, if anything: edit a text, change a choice or invite
/// the contact. Until the pane's first draw fills the form, the rows come from the view, so
/// the hint bar is right on the first visit too.
fn confirm(p: &Portal) -> Option<Command> {
    let view = p.client.view();
    let part = if p.in_wizard() {
        Some(STEPS[p.step].0)
    } else {
        p.current().part()
    };
    let unloaded;
    let rows = if p.form.fields.is_empty() {
        let settings = p.draft.clone().or_else(|| Portal::settings(&view));
        unloaded = match (part, settings) {
            (Some(part), Some(s)) => fields::rows(part, &s, &view),
            _ => Vec::new(),
        };
        &unloaded
    } else {
        &p.form.fields
    };
    let label = match rows.get(p.form.focus).map(|f| &f.value) {
        Some(Value::Text(_) | Value::Lines(_)) => "edit the text",
        Some(_) => "change choice",
        None if part == Some(Part::Access)
            && !p.in_wizard()
            && p.form.focus - rows.len() < view.contacts.len() =>
        {
            "invite contact"
        }
        None => return None,
    };
    Some(Command::labelled(Action::Confirm, label))
}
