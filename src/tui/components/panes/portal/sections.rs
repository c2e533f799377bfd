//! The rows of the Ticket view, Consent notice and Support form sections, and how they are
//! written back into the settings.

use super::form::{Field, FieldId, Form, Value};
use super::values::{field, opt, parse, split_list, wire};
use crate::domain::portal::{
    CustomerColumn, FieldKind, FormField, PortalSettings, private_by_default,
};
use crate::domain::text::kept_unless_edited;
use crate::domain::ticket::Stage;

/// Every column a customer's list can show, in their usual order.
pub const COLUMNS: [CustomerColumn; 7] = [
    CustomerColumn::Id,
    CustomerColumn::Subject,
    CustomerColumn::Status,
    CustomerColumn::Priority,
    CustomerColumn::Requester,
    CustomerColumn::Created,
    CustomerColumn::Updated,
];

fn column_options() -> Vec<(String, String)> {
    COLUMNS
        .iter()
        .map(|c| (wire(c), wire(c).replace('_', " ")))
        .collect()
}

/// Ticket view: one row a column (shown ones first, in their order), the customer label of
/// each stage, closed tickets, and the default sort.
pub fn ticket_view_rows(s: &PortalSettings) -> Vec<Field> {
    let v = &s.ticket_view;
    let hidden = COLUMNS.iter().filter(|c| !v.columns.contains(c));
    let mut rows: Vec<Field> = v
        .columns
        .iter()
        .chain(hidden)
        .map(|c| {
            field(
                FieldId::Column(*c),
                format!("Column {}", wire(c)),
                Value::Switch(v.columns.contains(c)),
            )
        })
        .collect();
    rows.extend(Stage::ALL.iter().map(|stage| {
        field(
            FieldId::StageLabel(*stage),
            format!("Label {}", stage.as_str().replace('_', " ")),
            Value::text(&v.label(*stage)),
        )
    }));
    rows.push(field(
        FieldId::ShowClosed,
        "Closed tickets listed",
        Value::Switch(v.show_closed),
    ));
    rows.push(field(
        FieldId::SortColumn,
        "Default sort",
        Value::choice(column_options(), &wire(&v.default_sort.column)),
    ));
    let order = vec![
        opt("desc", "newest / largest first"),
        opt("asc", "oldest / smallest first"),
    ];
    let current = if v.default_sort.descending {
        "desc"
    } else {
        "asc"
    };
    rows.push(field(
        FieldId::SortDescending,
        "  order",
        Value::choice(order, current),
    ));
    rows
}

/// Consent notice: on/off, the text, whether acceptance is required.
pub fn consent_rows(s: &PortalSettings) -> Vec<Field> {
    let c = &s.consent;
    vec![
        field(
            FieldId::ConsentEnabled,
            "Show the notice",
            Value::Switch(c.enabled),
        ),
        field(
            FieldId::ConsentText,
            "Notice text",
            Value::Lines(c.text.clone()),
        ),
        field(
            FieldId::ConsentRequired,
            "Acceptance required",
            Value::Switch(c.required),
        ),
    ]
}

/// Support form: on/off, then six rows a field.
pub fn support_form_rows(s: &PortalSettings) -> Vec<Field> {
    let f = &s.support_form;
    let mut rows = vec![field(
        FieldId::FormEnabled,
        "Customers open tickets",
        Value::Switch(f.enabled),
    )];
    for ff in &f.fields {
        rows.extend(form_field_rows(ff));
    }
    rows
}

/// The rows of one support-form field.
pub fn form_field_rows(f: &FormField) -> Vec<Field> {
    let kinds = vec![
        opt("text", "one line of text"),
        opt("multiline", "several lines"),
        opt("select", "one of the options"),
        opt("email", "email address"),
    ];
    vec![
        field(FieldId::FormKey, "Field key", Value::text(&f.key)),
        field(FieldId::FormLabel, "  label", Value::text(&f.label)),
        field(
            FieldId::FormKind,
            "  kind",
            Value::choice(kinds, &wire(&f.kind)),
        ),
        field(
            FieldId::FormRequired,
            "  required",
            Value::Switch(f.required),
        ),
        field(FieldId::FormPrivate, "  private", Value::Switch(f.private)),
        field(
            FieldId::FormOptions,
            "  options (select)",
            Value::text(&f.options.join(", ")),
        ),
    ]
}

/// A new support-form field, numbered so its key is unique among `form`'s.
pub fn new_form_field(form: &Form) -> FormField {
    let taken: Vec<&str> = form
        .fields
        .iter()
        .filter(|f| f.id == FieldId::FormKey)
        .map(|f| f.value.get())
        .collect();
    let n = (1..)
        .find(|n| !taken.contains(&format!("field_{n}").as_str()))
        .unwrap_or(1);
    let (key, label) = (format!("field_{n}"), format!("Field {n}"));
    FormField {
        private: private_by_default(FieldKind::Text, &key, &label),
        key,
        label,
        kind: FieldKind::Text,
        required: false,
        options: Vec::new(),
    }
}

/// For each support-form field of the rows, whether its kind, key or label makes it a contact
/// detail, which is private unless the admin says otherwise.
pub fn contact_details(form: &Form) -> Vec<bool> {
    form_fields(form)
        .iter()
        .map(|f| private_by_default(f.kind, &f.key, &f.label))
        .collect()
}

/// Turns "private" on for each support-form field an edit has just made a contact detail
/// (`before` is what [`contact_details`] said before it), so naming a field "phone" keeps
/// its answers from colleagues without another keypress; the admin may turn it off again.
/// Returns whether any was turned on.
pub fn privatise_new_contact_details(form: &mut Form, before: &[bool]) -> bool {
    let after = contact_details(form);
    let (mut group, mut changed) = (None, false);
    for f in &mut form.fields {
        match f.id {
            FieldId::FormKey => group = Some(group.map_or(0, |g| g + 1)),
            FieldId::FormPrivate => {
                let became = group
                    .is_some_and(|g| after.get(g) == Some(&true) && before.get(g) == Some(&false));
                if became && f.value == Value::Switch(false) {
                    f.value = Value::Switch(true);
                    changed = true;
                }
            }
            _ => {}
        }
    }
    changed
}

/// Writes the rows of these sections that `form` has into `s`.
pub fn apply(form: &Form, s: &mut PortalSettings) {
    if form.has(FieldId::ShowClosed) {
        apply_ticket_view(form, s);
    }
    for f in &form.fields {
        let v = f.value.get();
        match f.id {
            FieldId::ConsentEnabled => s.consent.enabled = v == "on",
            FieldId::ConsentText => s.consent.text = kept_unless_edited(&s.consent.text, v),
            FieldId::ConsentRequired => s.consent.required = v == "on",
            FieldId::FormEnabled => s.support_form.enabled = v == "on",
            _ => {}
        }
    }
    if form.has(FieldId::FormEnabled) {
        s.support_form.fields = form_fields(form);
    }
}

fn apply_ticket_view(form: &Form, s: &mut PortalSettings) {
    let v = &mut s.ticket_view;
    v.columns = form
        .fields
        .iter()
        .filter_map(|f| match f.id {
            FieldId::Column(c) if f.value.get() == "on" => Some(c),
            _ => None,
        })
        .collect();
    for f in &form.fields {
        let text = f.value.get();
        match f.id {
            FieldId::StageLabel(stage) => {
                let label = text.trim();
                let stored = v.label(stage);
                if kept_unless_edited(&stored, label) == stored {
                    continue;
                }
                if label == stage.default_label() {
                    v.stage_labels.remove(&stage);
                } else {
                    v.stage_labels.insert(stage, label.to_string());
                }
            }
            FieldId::ShowClosed => v.show_closed = text == "on",
            FieldId::SortColumn => {
                if let Some(c) = parse(text) {
                    v.default_sort.column = c;
                }
            }
            FieldId::SortDescending => v.default_sort.descending = text == "desc",
            _ => {}
        }
    }
}

/// The support-form fields the rows hold, in order.
fn form_fields(form: &Form) -> Vec<FormField> {
    let mut out: Vec<FormField> = Vec::new();
    for f in &form.fields {
        let v = f.value.get();
        match (f.id, out.last_mut()) {
            (FieldId::FormKey, _) => out.push(FormField {
                key: v.trim().to_string(),
                label: String::new(),
                kind: FieldKind::Text,
                required: false,
                options: Vec::new(),
                private: false,
            }),
            (FieldId::FormLabel, Some(ff)) => ff.label = v.trim().to_string(),
            (FieldId::FormKind, Some(ff)) => ff.kind = parse(v).unwrap_or(FieldKind::Text),
            (FieldId::FormRequired, Some(ff)) => ff.required = v == "on",
            (FieldId::FormPrivate, Some(ff)) => ff.private = v == "on",
            (FieldId::FormOptions, Some(ff)) if ff.kind == FieldKind::Select => {
                ff.options = split_list(v);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::components::widgets::form::Typing;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn settings_with(fields: Vec<FormField>) -> PortalSettings {
        let mut s = PortalSettings::unconfigured("help.example.com");
        s.support_form.fields = fields;
        s
    }

    #[test]
    fn the_private_row_round_trips_and_contact_details_turn_private() {
        let mut form = Form::new(support_form_rows(&settings_with(vec![])), Typing::OnEdit);
        let new = new_form_field(&form);
        assert!(!new.private, "a new text field is public");
        let end = form.fields.len();
        form.insert_group(form_field_rows(&new), end);
        let before = contact_details(&form);
        assert!(!privatise_new_contact_details(&mut form, &before));
        // The admin names it a phone number, typed into the row: it turns private once.
        let label = form.fields.iter().position(|f| f.id == FieldId::FormLabel);
        form.focus = label.unwrap_or_default();
        assert!(form.begin_edit());
        for c in " (mobile)".chars() {
            form.key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert!(form.get(FieldId::FormLabel).contains("(mobile)"));
        let before = contact_details(&form.before_edit());
        form.commit();
        assert!(privatise_new_contact_details(&mut form, &before));
        let mut s = settings_with(vec![]);
        apply(&form, &mut s);
        assert!(s.support_form.fields[0].private);
        // Turned off again, it stays off while it stays a contact detail.
        let row = form
            .fields
            .iter()
            .position(|f| f.id == FieldId::FormPrivate);
        form.focus = row.unwrap_or_default();
        assert!(form.cycle());
        let before = contact_details(&form);
        form.set_text(FieldId::FormLabel, "Phone");
        assert!(!privatise_new_contact_details(&mut form, &before));
        apply(&form, &mut s);
        assert!(!s.support_form.fields[0].private);
    }
}
