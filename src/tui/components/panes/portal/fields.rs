//! Which rows each wizard step and settings section has, how they are filled from the
//! settings, and how they are written back into a draft.

use super::form::{Field, FieldId, Form, Value};
use super::sections;
use super::values::{field, opt, parse, split_list, wire};
use crate::client::View;
use crate::domain::error::ValidationError;
use crate::domain::portal::{
    AccessMode, IDLE_TIMEOUTS, PermissionMode, PortalPatch, PortalSettings, PropertyFilter,
};
use crate::domain::routing::{ConditionOp, MatchValue};
use crate::domain::text::{kept_unless_edited, strip_control};
use crate::tui::components::widgets::list::wire_name;

/// A group of rows: a wizard step or a settings section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Wizard step 1: the name.
    Name,
    /// Wizard step 2: domain and slug.
    Domain,
    /// Settings: name, domain, slug, and a domain to connect.
    General,
    /// Default inbox and ticket permission.
    Tickets,
    /// Registration, password-less codes, idle timeout.
    Access,
    /// Columns, stage labels, closed tickets and sort of the customer's list.
    TicketView,
    /// The consent notice.
    Consent,
    /// The support form's extra fields.
    SupportForm,
}

/// The rows of `part`, filled from `s` and the view's domains and inboxes.
pub fn rows(part: Part, s: &PortalSettings, view: &View) -> Vec<Field> {
    let name = || field(FieldId::Name, "Name", Value::text(&s.name));
    let domain = || {
        field(
            FieldId::Domain,
            "Domain",
            Value::choice(domain_options(view), &s.domain),
        )
    };
    let slug = || field(FieldId::Slug, "Slug", Value::text(&s.slug));
    match part {
        Part::Name => vec![name()],
        Part::Domain => vec![domain(), slug(), new_host(), new_language()],
        Part::General => vec![name(), domain(), slug(), new_host(), new_language()],
        Part::Tickets => tickets_rows(s, view),
        Part::Access => {
            let a = &s.access;
            let modes = vec![
                opt("invite_only", "invite only (registration email)"),
                opt("self_registration", "self-registration"),
            ];
            let idle = IDLE_TIMEOUTS
                .iter()
                .map(|m| {
                    let label = if *m == 1440 {
                        "1 day".to_string()
                    } else {
                        format!("{m} minutes")
                    };
                    (m.to_string(), label)
                })
                .collect();
            vec![
                field(
                    FieldId::AccessMode,
                    "Who may register",
                    Value::choice(modes, &wire(&a.mode)),
                ),
                field(
                    FieldId::Passwordless,
                    "Password-less codes",
                    Value::Switch(a.passwordless),
                ),
                field(
                    FieldId::IdleTimeout,
                    "Idle timeout",
                    Value::choice(idle, &a.idle_timeout_minutes.to_string()),
                ),
            ]
        }
        Part::TicketView => sections::ticket_view_rows(s),
        Part::Consent => sections::consent_rows(s),
        Part::SupportForm => sections::support_form_rows(s),
    }
}

fn new_host() -> Field {
    field(FieldId::NewHost, "Connect domain: host", Value::text(""))
}

fn new_language() -> Field {
    field(
        FieldId::NewLanguage,
        "  primary language",
        Value::text("en"),
    )
}

/// Rebuilds the domain row when the connected domains changed, keeping the other rows.
pub fn sync_domain_rows(form: &mut Form, view: &View) {
    let Some(row) = form.fields.iter_mut().find(|f| f.id == FieldId::Domain) else {
        return;
    };
    let known = match &row.value {
        Value::Choice { options, .. } => options.len(),
        _ => return,
    };
    if known == view.domains.len() {
        return;
    }
    let current = row.value.get().to_string();
    row.value = Value::choice(domain_options(view), &current);
}

fn domain_options(view: &View) -> Vec<(String, String)> {
    view.domains
        .iter()
        .map(|d| {
            let system = if d.system { ", system" } else { "" };
            let host = strip_control(&d.host);
            (
                host.clone(),
                format!("{host} ({}{system})", strip_control(&d.primary_language)),
            )
        })
        .collect()
}

fn tickets_rows(s: &PortalSettings, view: &View) -> Vec<Field> {
    let mut inboxes = vec![opt("", "none chosen")];
    inboxes.extend(view.inboxes.values().map(|m| {
        let i = &m.item;
        (
            i.id.to_string(),
            format!("{} ({})", strip_control(&i.name), wire_name(&i.kind)),
        )
    }));
    let current = s
        .default_inbox_id
        .map(|i| i.to_string())
        .unwrap_or_default();
    let modes = vec![
        opt("contact", "own tickets only"),
        opt("company", "primary company's tickets plus own"),
        opt(
            "contact_filter",
            "company tickets for contacts matching a filter",
        ),
    ];
    let perm = &s.ticket_permission;
    let mut rows = vec![
        field(
            FieldId::Inbox,
            "Default inbox",
            Value::choice(inboxes, &current),
        ),
        field(
            FieldId::Mode,
            "Ticket permission",
            Value::choice(modes, &wire(&perm.mode)),
        ),
    ];
    if perm.mode == PermissionMode::ContactFilter {
        for f in &perm.filter {
            let value = match &f.value {
                MatchValue::One(v) => v.clone(),
                MatchValue::Many(vs) => vs.join(", "),
            };
            rows.extend(filter_rows(&f.property, &wire(&f.op), &value));
        }
        if perm.filter.is_empty() {
            rows.extend(filter_rows("", "equals", ""));
        }
    }
    rows
}

/// The rows of one filter condition.
pub fn filter_rows(property: &str, op: &str, value: &str) -> Vec<Field> {
    let ops = vec![
        opt("equals", "equals"),
        opt("contains", "contains"),
        opt("in", "in (comma-separated)"),
    ];
    vec![
        field(
            FieldId::FilterProperty,
            "  Condition: property",
            Value::text(property),
        ),
        field(FieldId::FilterOp, "    operator", Value::choice(ops, op)),
        field(FieldId::FilterValue, "    value", Value::text(value)),
    ]
}

/// Shows the filter rows exactly when the mode row says `contact_filter`.
pub fn sync_filter_rows(form: &mut Form) {
    let wanted = form.get(FieldId::Mode) == "contact_filter";
    if wanted == form.has(FieldId::FilterProperty) {
        return;
    }
    if wanted {
        let at = form
            .fields
            .iter()
            .position(|f| f.id == FieldId::Mode)
            .map_or(form.fields.len(), |i| i + 1);
        for (i, row) in filter_rows("", "equals", "").into_iter().enumerate() {
            form.fields.insert(at + i, row);
        }
    } else {
        form.fields.retain(|f| {
            !matches!(
                f.id,
                FieldId::FilterProperty | FieldId::FilterOp | FieldId::FilterValue
            )
        });
        form.focus = form.focus.min(form.fields.len().saturating_sub(1));
    }
}

/// Writes the rows of `form` into `s` (rows it lacks leave their settings alone).
pub fn apply(form: &Form, s: &mut PortalSettings) {
    for f in &form.fields {
        let v = f.value.get();
        match f.id {
            FieldId::Name => s.name = kept_unless_edited(&s.name, v.trim()),
            FieldId::Domain if !v.is_empty() => s.domain = v.to_string(),
            FieldId::Slug => s.slug = kept_unless_edited(&s.slug, v.trim()),
            FieldId::Inbox => s.default_inbox_id = v.parse().ok(),
            FieldId::Mode => {
                if let Some(m) = parse(v) {
                    s.ticket_permission.mode = m;
                }
            }
            FieldId::AccessMode => {
                if let Some(m) = parse::<AccessMode>(v) {
                    s.access.mode = m;
                }
            }
            FieldId::Passwordless => s.access.passwordless = v == "on",
            FieldId::IdleTimeout => {
                if let Ok(m) = v.parse() {
                    s.access.idle_timeout_minutes = m;
                }
            }
            _ => {}
        }
    }
    if form.get(FieldId::Mode) == "contact_filter" {
        s.ticket_permission.filter = conditions(form);
    }
    sections::apply(form, s);
}

/// The filter conditions the rows hold, in order.
fn conditions(form: &Form) -> Vec<PropertyFilter> {
    let mut out: Vec<PropertyFilter> = Vec::new();
    for f in &form.fields {
        let v = f.value.get();
        match (f.id, out.last_mut()) {
            (FieldId::FilterProperty, _) => out.push(PropertyFilter {
                property: v.trim().to_string(),
                op: ConditionOp::Equals,
                value: MatchValue::One(String::new()),
            }),
            (FieldId::FilterOp, Some(c)) => c.op = parse(v).unwrap_or(ConditionOp::Equals),
            (FieldId::FilterValue, Some(c)) => {
                c.value = if c.op == ConditionOp::In {
                    MatchValue::Many(split_list(v))
                } else {
                    MatchValue::One(v.trim().to_string())
                };
            }
            _ => {}
        }
    }
    out
}

/// The patch that turns `before` into `after`, for the settings these rows edit.
pub fn diff(before: &PortalSettings, after: &PortalSettings) -> PortalPatch {
    fn changed<T: PartialEq + Clone>(a: &T, b: &T) -> Option<T> {
        (a != b).then(|| b.clone())
    }
    PortalPatch {
        name: changed(&before.name, &after.name),
        domain: changed(&before.domain, &after.domain),
        slug: changed(&before.slug, &after.slug),
        default_inbox_id: changed(&before.default_inbox_id, &after.default_inbox_id).flatten(),
        ticket_permission: changed(&before.ticket_permission, &after.ticket_permission),
        access: changed(&before.access, &after.access),
        ticket_view: changed(&before.ticket_view, &after.ticket_view),
        consent: changed(&before.consent, &after.consent),
        support_form: changed(&before.support_form, &after.support_form),
        email: changed(&before.email, &after.email),
        configured: None,
    }
}

/// The settings fields an error about `field` belongs to, as the wizard step that edits them
/// (1–4).
pub fn step_of(field: &str) -> usize {
    match field {
        "name" => 1,
        "domain" | "slug" => 2,
        f if f.starts_with("default_inbox") || f.starts_with("ticket_permission") => 3,
        _ => 4,
    }
}

/// A validation error as a sentence a reader can act on: `Slug must be …`,
/// `Columns: at least one column must be shown.`, or which choice to make.
pub fn explain(e: &ValidationError) -> String {
    let message = e.message.trim_end_matches('.');
    if e.field == "default_inbox_id" {
        return if message.contains("needs a default inbox") {
            "Choose the default inbox: a configured portal needs one.".to_string()
        } else {
            format!("Choose the default inbox again: {message}.")
        };
    }
    let name = human(&e.field);
    if message.starts_with("must ") {
        format!("{name} {message}.")
    } else {
        format!("{name}: {message}.")
    }
}

/// A validation error's field path as a reader would name it: `Property` for
/// `ticket_permission.filter[0].property`.
fn human(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field).replace('_', " ");
    let mut chars = last.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_read_as_sentences() {
        let mut s = PortalSettings::unconfigured("help.example.com");
        s.configured = true;
        let domains = [crate::domain::DomainInfo {
            host: "help.example.com".into(),
            primary_language: "en".into(),
            system: false,
        }];
        let e = s.validate(&domains, &[1]).expect_err("no default inbox");
        assert_eq!(
            explain(&e),
            "Choose the default inbox: a configured portal needs one."
        );
        let slug = ValidationError::new("slug", "must be 1–64 of a-z");
        assert_eq!(explain(&slug), "Slug must be 1–64 of a-z.");
        let columns =
            ValidationError::new("ticket_view.columns", "at least one column must be shown");
        assert_eq!(
            explain(&columns),
            "Columns: at least one column must be shown."
        );
    }
}
