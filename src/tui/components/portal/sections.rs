//! The rows of the Ticket view, Consent notice and Support form sections, and how they are
//! written back into the settings.

use super::fields::{field, opt, parse, split_list, wire};
use super::form::{Field, FieldId, Form, Value};
use crate::domain::portal::{CustomerColumn, FieldKind, FormField, PortalSettings};
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

/// Support form: on/off, then five rows a field.
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
    FormField {
        key: format!("field_{n}"),
        label: format!("Field {n}"),
        kind: FieldKind::Text,
        required: false,
        options: Vec::new(),
    }
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
            FieldId::ConsentText => s.consent.text = v.to_string(),
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
                if label == v.label(stage) {
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
            }),
            (FieldId::FormLabel, Some(ff)) => ff.label = v.trim().to_string(),
            (FieldId::FormKind, Some(ff)) => ff.kind = parse(v).unwrap_or(FieldKind::Text),
            (FieldId::FormRequired, Some(ff)) => ff.required = v == "on",
            (FieldId::FormOptions, Some(ff)) if ff.kind == FieldKind::Select => {
                ff.options = split_list(v);
            }
            _ => {}
        }
    }
    out
}
