//! The field block at the top of the preview and of the full view: the ticket's number and
//! subject, then one field a line — for staff the routing fields, category and tags too — and
//! the answers given on the portal's support form, labelled as the form labels them.

use super::date_time;
use crate::client::{View, ViewTicket};
use crate::domain::SupportForm;
use crate::domain::text::strip_control;
use crate::domain::wire::{PortalFor, TicketOut};
use crate::tui::i18n;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};
use std::collections::BTreeMap;

/// Least width of the name column; longer names (form labels) are followed by two spaces
/// instead.
const NAME_WIDTH: usize = 10;
/// The fields every ticket shows, named in the current language (Italian names are longer).
const NAMED: [&str; 5] = [
    "column-stage",
    "column-priority",
    "column-requester",
    "column-created",
    "column-updated",
];

/// Width of the name column: [`NAME_WIDTH`], wider when a field every ticket shows has a
/// longer name in the current language, so their values still line up.
fn name_width() -> usize {
    NAMED
        .iter()
        .map(|id| i18n::t(id).chars().count() + 1)
        .fold(NAME_WIDTH, usize::max)
}

/// The portal's support form as the signed-in account sees it, for the labels of the answers.
pub fn support_form(view: &View) -> Option<&SupportForm> {
    view.portal.as_ref().map(|p| match &p.item {
        PortalFor::Staff(s) => &s.settings.support_form,
        PortalFor::Public(p) => &p.support_form,
    })
}

/// The ticket's title and fields, one a line; `form` labels the support-form answers.
pub fn summary(t: &ViewTicket, form: Option<&SupportForm>, theme: &Theme) -> Vec<Line<'static>> {
    let id = if t.id() < 0 {
        i18n::t("column-id-new")
    } else {
        format!("#{}", t.id())
    };
    let mut title = vec![Span::styled(
        format!("{id} {}", strip_control(t.subject())),
        theme.title,
    )];
    if t.pending {
        title.push(Span::styled(
            format!("  {}", i18n::t("thread-pending")),
            theme.warning,
        ));
    }
    let mut lines = vec![Line::from(title)];
    let mut field = |name: &str, value: &str| push_field(&mut lines, name, value, theme);
    field(
        &i18n::t("column-stage"),
        &strip_control(t.status()).replace('_', " "),
    );
    field(&i18n::t("column-priority"), &i18n::priority(t.priority()));
    field(&i18n::t("column-requester"), t.requester());
    if t.is_staff_view() {
        field("Email", t.requester_email().unwrap_or(""));
        field("Company", t.company().unwrap_or("—"));
        field("Owner", t.owner_name().unwrap_or("unassigned"));
        field("Inbox", t.inbox_name().unwrap_or(""));
        field("Category", or_dash(t.category()));
        field("Tags", or_dash(&t.tags().collect::<Vec<_>>().join(", ")));
    }
    for (label, value) in answers(t, form) {
        field(&label, &value);
    }
    field(&i18n::t("column-created"), &date_time(t.created_at()));
    field(&i18n::t("column-updated"), &date_time(t.updated_at()));
    lines
}

/// The support-form answers to show as `(label, value)`: staff see every ticket's, customers
/// their own tickets' (a colleague's phone number is not theirs to read). Fields the form
/// still has come first, in its order and under its labels; keys it no longer has follow
/// under their own names. A staff ticket's `category` answer is left out while the
/// ticket's category (shown above) still says the same.
fn answers(t: &ViewTicket, form: Option<&SupportForm>) -> Vec<(String, String)> {
    let mut values: BTreeMap<String, String> = match t.ticket() {
        TicketOut::Staff(row) => {
            let mut values = row.ticket.form_fields;
            if values.get("category") == Some(&row.ticket.category) {
                values.remove("category");
            }
            values
        }
        TicketOut::Customer(c) if c.own => c.form_fields,
        TicketOut::Customer(_) => BTreeMap::new(),
    };
    values.retain(|_, v| !v.trim().is_empty());
    let mut out = Vec::with_capacity(values.len());
    for f in form.map(|f| f.fields.as_slice()).unwrap_or_default() {
        if let Some(value) = values.remove(&f.key) {
            out.push((f.label.clone(), value));
        }
    }
    out.extend(values);
    out
}

fn or_dash(value: &str) -> &str {
    if value.trim().is_empty() {
        "—"
    } else {
        value
    }
}

/// One `name value` line (more when the value has several), both stripped of control
/// sequences; continuation lines line up under the value.
fn push_field(lines: &mut Vec<Line<'static>>, name: &str, value: &str, theme: &Theme) {
    let name = strip_control(name).replace('\n', " ");
    let width = name.chars().count();
    let column = name_width();
    let head = if width < column {
        format!("{name:<column$}")
    } else {
        format!("{name}  ")
    };
    let indent = " ".repeat(head.chars().count());
    let value = strip_control(value);
    let mut rows = value.lines();
    lines.push(Line::from(vec![
        Span::styled(head, theme.muted),
        Span::raw(rows.next().unwrap_or("").to_string()),
    ]));
    for row in rows {
        lines.push(Line::from(vec![
            Span::raw(indent.clone()),
            Span::raw(row.to_string()),
        ]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::portal::{FieldKind, FormField};
    use crate::domain::wire::{CustomerTicket, TicketRow};
    use crate::domain::{Priority, Source, Stage, Ticket};
    use crate::tui::theme::ThemeChoice;

    fn form() -> SupportForm {
        let field = |key: &str, label: &str| FormField {
            key: key.into(),
            label: label.into(),
            kind: FieldKind::Text,
            required: false,
            options: Vec::new(),
            private: false,
        };
        SupportForm {
            enabled: true,
            fields: vec![
                field("category", "Category"),
                field("order_number", "Order or invoice number"),
                field("contact_phone", "Phone"),
            ],
        }
    }

    fn answers_given() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("category".into(), "billing".into()),
            ("order_number".into(), "ORD-1\u{1b}]0;owned\u{7}42".into()),
            ("contact_phone".into(), "+1 555 0100".into()),
            ("legacy_key".into(), "kept\nover two lines".into()),
        ])
    }

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    fn customer(own: bool) -> ViewTicket {
        ViewTicket::draft(&TicketOut::Customer(CustomerTicket {
            id: 7,
            subject: "Invoice".into(),
            description: "Wrong total".into(),
            status_label: "Open".into(),
            closed: false,
            priority: Priority::Medium,
            requester_name: "Carla".into(),
            own,
            form_fields: answers_given(),
            created_at: "2026-11-01T10:00:00Z".into(),
            updated_at: "2026-11-02T10:00:00Z".into(),
            closed_at: None,
            version: 1,
            updated_by: None,
        }))
    }

    fn staff(category: &str) -> ViewTicket {
        ViewTicket::draft(&TicketOut::Staff(TicketRow {
            ticket: Ticket {
                id: 7,
                subject: "Invoice".into(),
                description: "Wrong total".into(),
                stage: Stage::New,
                priority: Priority::High,
                category: category.into(),
                inbox_id: 1,
                owner_id: None,
                contact_id: 3,
                company_id: None,
                source: Source::Portal,
                form_fields: answers_given(),
                tags: vec!["vip".into(), "refund".into()],
                created_at: "2026-11-01T10:00:00Z".into(),
                updated_at: "2026-11-02T10:00:00Z".into(),
                closed_at: None,
                version: 1,
                ccs: Vec::new(),
            },
            requester_name: "Carla".into(),
            requester_email: "carla@acme.test".into(),
            company_name: None,
            owner_name: None,
            inbox_name: "Billing".into(),
            message_count: 1,
            updated_by: None,
            mail_cc: Vec::new(),
        }))
    }

    #[test]
    fn staff_see_category_tags_and_every_answer_under_the_form_labels() {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let lines = text(&summary(&staff("billing"), Some(&form()), &theme));
        let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix));
        assert!(
            lines.contains(&"Category  billing".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"Tags      vip, refund".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"Order or invoice number  ORD-142".to_string()),
            "labelled by the form, control sequences stripped: {lines:#?}"
        );
        assert!(
            lines.contains(&"Phone     +1 555 0100".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"legacy_key  kept".to_string())
                && lines.contains(&"            over two lines".to_string()),
            "an unknown key under its own name, lines aligned: {lines:#?}"
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("Category")).count(),
            1,
            "the category answer is not repeated: {lines:#?}"
        );
        assert!(
            at("Order").unwrap() < at("Phone").unwrap(),
            "in the form's order"
        );
        assert!(at("Phone").unwrap() < at("legacy_key").unwrap());
        assert!(at("Tags").unwrap() < at("Order").unwrap());

        let lines = text(&summary(&staff("technical"), None, &theme));
        assert!(
            lines.contains(&"Category  technical".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"category  billing".to_string())
                && lines.contains(&"order_number  ORD-142".to_string()),
            "a changed category keeps the customer's answer; no form, keys: {lines:#?}"
        );
    }

    #[test]
    fn customers_see_their_own_answers_only_and_never_tags() {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let lines = text(&summary(&customer(true), Some(&form()), &theme));
        assert!(
            lines.contains(&"Category  billing".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"Order or invoice number  ORD-142".to_string()),
            "{lines:#?}"
        );
        assert!(!lines.iter().any(|l| l.starts_with("Tags")), "{lines:#?}");
        let lines = text(&summary(&customer(false), Some(&form()), &theme));
        assert!(
            !lines.iter().any(|l| l.contains("555") || l.contains("ORD")),
            "a colleague's answers stay private: {lines:#?}"
        );
    }
}
