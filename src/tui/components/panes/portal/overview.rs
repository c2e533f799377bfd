//! The read-only overview of every portal setting, one a row: what agents see, and the
//! sections (ticket view, consent notice, support form) the pane shows without editing.

use crate::client::View;
use crate::domain::routing::MatchValue;
use crate::domain::text::strip_control;
use crate::domain::wire::PortalOut;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::wire_name;
use crate::tui::components::widgets::text::setting;
use ratatui::text::Line;

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// Every setting of `p` as aligned rows, with the view's domains and inbox names, and for
/// admins the `ssh` rows: where the app is served over SSH, with the host key's fingerprint.
pub fn settings_lines(
    p: &PortalOut,
    view: &View,
    ssh: &[(&str, String)],
    ctx: DrawCtx<'_>,
) -> Vec<Line<'static>> {
    let s = &p.settings;
    let mut out = Vec::new();
    let row = |label: &str, value: String| setting(label, value, ctx);
    out.push(row("Name", strip_control(&s.name)));
    out.push(row("Portal URL", strip_control(&p.portal_url)));
    let domain_note = if p.system_domain {
        " (system domain: no registration emails are sent)"
    } else {
        ""
    };
    out.push(row(
        "Domain",
        format!("{}{domain_note}", strip_control(&s.domain)),
    ));
    out.push(row("Slug", strip_control(&s.slug)));
    for (label, value) in ssh {
        out.push(row(label, value.clone()));
    }
    let domains: Vec<String> = view
        .domains
        .iter()
        .map(|d| {
            format!(
                "{} ({}{})",
                strip_control(&d.host),
                strip_control(&d.primary_language),
                if d.system { ", system" } else { "" }
            )
        })
        .collect();
    out.push(row("Domains", domains.join(", ")));
    out.push(row(
        "Language",
        format!("{} (from the domain)", strip_control(&p.language)),
    ));
    let inbox = match s.default_inbox_id {
        Some(id) => view
            .inbox_name(id)
            .map_or(format!("inbox {id}"), strip_control),
        None => "none".to_string(),
    };
    out.push(row("Default inbox", inbox));
    let mut visibility = wire_name(&s.ticket_permission.mode);
    for f in &s.ticket_permission.filter {
        let value = match &f.value {
            MatchValue::One(v) => strip_control(v),
            MatchValue::Many(vs) => vs
                .iter()
                .map(|v| strip_control(v))
                .collect::<Vec<_>>()
                .join(", "),
        };
        visibility.push_str(&format!(
            "; {} {} {value}",
            strip_control(&f.property),
            wire_name(&f.op)
        ));
    }
    out.push(row("Ticket visibility", visibility));
    out.push(row("Access", wire_name(&s.access.mode)));
    out.push(row(
        "Passwordless sign-in",
        on_off(s.access.passwordless).to_string(),
    ));
    out.push(row(
        "Idle timeout",
        format!("{} minutes", s.access.idle_timeout_minutes),
    ));
    let columns: Vec<String> = s.ticket_view.columns.iter().map(wire_name).collect();
    out.push(row("Customer columns", columns.join(", ")));
    out.push(row(
        "Closed tickets listed",
        if s.ticket_view.show_closed {
            "yes"
        } else {
            "no"
        }
        .to_string(),
    ));
    let order = if s.ticket_view.default_sort.descending {
        "newest first"
    } else {
        "oldest first"
    };
    out.push(row(
        "Default sort",
        format!(
            "{} ({order})",
            wire_name(&s.ticket_view.default_sort.column)
        ),
    ));
    out.push(row("Stage labels", String::new()));
    for (stage, label) in &s.ticket_view.stage_labels {
        out.push(row(
            &format!("  {}", stage.as_str().replace('_', " ")),
            strip_control(label),
        ));
    }
    let required = if s.consent.required {
        ", acceptance required"
    } else {
        ""
    };
    out.push(row(
        "Consent notice",
        format!(
            "{}{required} (version {})",
            on_off(s.consent.enabled),
            s.consent.version
        ),
    ));
    out.push(row(
        "Consent text",
        strip_control(&s.consent.text).replace('\n', " "),
    ));
    out.push(row(
        "Support form",
        on_off(s.support_form.enabled).to_string(),
    ));
    for f in &s.support_form.fields {
        let required = if f.required { "required" } else { "optional" };
        out.push(row(
            &format!("  field {}", strip_control(&f.key)),
            format!(
                "{} ({}, {required})",
                strip_control(&f.label),
                wire_name(&f.kind)
            ),
        ));
    }
    out.push(row(
        "Setup",
        if s.configured {
            "finished"
        } else {
            "not finished"
        }
        .to_string(),
    ));
    out.push(row("Version", s.version.to_string()));
    out
}
