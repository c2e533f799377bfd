//! The live previews beside the Ticket view, Consent notice and Support form sections: what
//! a customer sees with the settings as edited (saved or not), and the consent text's editor
//! while it is being edited.

use super::customer_list::{self, CustomerRow, fit};
use super::form::Form;
use crate::domain::portal::{FieldKind, PortalSettings};
use crate::domain::text::strip_control;
use crate::domain::ticket::{Priority, Stage};
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::wire_name;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// Builds a preview's lines from the settings, for a width.
pub type Lines = fn(&PortalSettings, usize, DrawCtx<'_>) -> Vec<Line<'static>>;

/// A sample ticket of the preview: number, subject, stage, priority, requester, opened,
/// last changed.
type Sample = (
    i64,
    &'static str,
    Stage,
    Priority,
    &'static str,
    &'static str,
    &'static str,
);

/// The tickets a sample customer has, the same in every preview.
const SAMPLES: [Sample; 4] = [
    (
        1042,
        "Invoice shows the wrong VAT",
        Stage::WaitingOnUs,
        Priority::High,
        "Carla Rossi",
        "2026-11-20",
        "2026-11-26",
    ),
    (
        1037,
        "Cannot reset my password",
        Stage::WaitingOnContact,
        Priority::Medium,
        "Dan Brown",
        "2026-11-18",
        "2026-11-25",
    ),
    (
        1051,
        "Export to CSV is empty",
        Stage::New,
        Priority::Low,
        "Carla Rossi",
        "2026-11-24",
        "2026-11-24",
    ),
    (
        998,
        "Change of billing address",
        Stage::Closed,
        Priority::Medium,
        "Carla Rossi",
        "2026-10-30",
        "2026-11-02",
    ),
];

/// A sample customer's ticket list as the settings `s` show it, `room` characters wide.
pub fn ticket_list(s: &PortalSettings, room: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let v = &s.ticket_view;
    let mut rows: Vec<CustomerRow> = SAMPLES
        .iter()
        .filter(|t| v.show_closed || t.2 != Stage::Closed)
        .map(|t| CustomerRow {
            id: t.0,
            subject: t.1.to_string(),
            status: strip_control(&v.label(t.2)),
            priority: t.3,
            requester: t.4.to_string(),
            created_at: t.5.to_string(),
            updated_at: t.6.to_string(),
        })
        .collect();
    customer_list::sort(&mut rows, v);
    let mut out = vec![customer_list::header(v, room, ctx)];
    out.extend(customer_list::lines(&rows, v, room));
    let order = if v.default_sort.descending {
        "descending"
    } else {
        "ascending"
    };
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(
            "Sorted by {} ({order}); closed tickets {}.",
            wire_name(&v.default_sort.column),
            if v.show_closed { "listed" } else { "hidden" }
        ),
        ctx.theme.muted,
    ));
    out
}

/// The support form as a customer fills it in, its inputs sized to `room`.
pub fn support_form(s: &PortalSettings, room: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let f = &s.support_form;
    if !f.enabled {
        return vec![Line::styled(
            "The form is off: customers cannot open tickets in the portal.",
            ctx.theme.warning,
        )];
    }
    let row = |label: &str, required: bool, input: String| {
        let star = if required { " *" } else { "" };
        Line::from(vec![
            Span::styled(fit(&format!("{label}{star}"), 18), ctx.theme.muted),
            Span::raw(" "),
            Span::styled(input, ctx.theme.input),
        ])
    };
    let blank = format!("[{}]", " ".repeat(room.saturating_sub(21).clamp(4, 30)));
    let mut out = vec![
        row("Subject", true, blank.clone()),
        row("Description", true, blank.clone()),
        Line::raw(format!("{:19}{blank}", "")),
    ];
    for ff in &f.fields {
        let label = strip_control(&ff.label);
        match ff.kind {
            FieldKind::Text => out.push(row(&label, ff.required, blank.clone())),
            FieldKind::Email => out.push(row(&label, ff.required, "[name@example.com]".into())),
            FieldKind::Multiline => {
                out.push(row(&label, ff.required, blank.clone()));
                out.push(Line::raw(format!("{:19}{blank}", "")));
            }
            FieldKind::Select => {
                let options: Vec<String> = ff.options.iter().map(|o| strip_control(o)).collect();
                out.push(row(
                    &label,
                    ff.required,
                    format!("‹ {} ›", options.join(" | ")),
                ));
            }
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled("* required", ctx.theme.muted));
    out
}

/// The consent notice as customers are shown it (wrapped when drawn, whatever `_room`).
pub fn consent(s: &PortalSettings, _room: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let c = &s.consent;
    if !c.enabled {
        return vec![Line::styled(
            "The notice is off: customers are not shown it.",
            ctx.theme.warning,
        )];
    }
    let mut out: Vec<Line> = strip_control(&c.text)
        .lines()
        .map(|l| Line::raw(l.to_string()))
        .collect();
    out.push(Line::raw(""));
    out.push(if c.required {
        Line::raw("[ ] I accept (required to use the portal)")
    } else {
        Line::styled("(for information; no acceptance asked)", ctx.theme.muted)
    });
    out
}

/// Draws `lines` under `title` into `area`, wrapped, or the consent text's editor while it
/// is being edited.
pub fn draw(
    form: &mut Form,
    (title, lines): (&str, Vec<Line<'static>>),
    frame: &mut Frame,
    area: Rect,
    ctx: DrawCtx<'_>,
) {
    if let Some(editor) = form.area_mut() {
        editor.set_block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(ctx.theme.border_focused)
                .title(Line::styled(" Notice text ", ctx.theme.title))
                .title_bottom(Line::styled(" Tab keeps · Esc cancels ", ctx.theme.muted)),
        );
        editor.set_cursor_line_style(ratatui::style::Style::default());
        frame.render_widget(&*editor, area);
        return;
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(ctx.theme.border)
        .title(Line::styled(format!(" {title} "), ctx.theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
