//! The live previews beside the Ticket view, Consent notice and Support form sections: what
//! a customer sees with the settings as edited (saved or not), and the consent text's editor
//! while it is being edited.

use super::form::Form;
use crate::domain::portal::{CustomerColumn, FieldKind, PortalSettings};
use crate::domain::text::strip_control;
use crate::domain::ticket::Stage;
use crate::tui::components::DrawCtx;
use crate::tui::components::list::wire_name;
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
    &'static str,
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
        "high",
        "Carla Rossi",
        "2026-11-20",
        "2026-11-26",
    ),
    (
        1037,
        "Cannot reset my password",
        Stage::WaitingOnContact,
        "normal",
        "Dan Brown",
        "2026-11-18",
        "2026-11-25",
    ),
    (
        1051,
        "Export to CSV is empty",
        Stage::New,
        "low",
        "Carla Rossi",
        "2026-11-24",
        "2026-11-24",
    ),
    (
        998,
        "Change of billing address",
        Stage::Closed,
        "normal",
        "Carla Rossi",
        "2026-10-30",
        "2026-11-02",
    ),
];

fn priority_rank(p: &str) -> u8 {
    match p {
        "low" => 0,
        "normal" => 1,
        "high" => 2,
        _ => 3,
    }
}

fn cell(t: &Sample, c: CustomerColumn, s: &PortalSettings) -> String {
    match c {
        CustomerColumn::Id => format!("#{}", t.0),
        CustomerColumn::Subject => t.1.to_string(),
        CustomerColumn::Status => strip_control(&s.ticket_view.label(t.2)),
        CustomerColumn::Priority => t.3.to_string(),
        CustomerColumn::Requester => t.4.to_string(),
        CustomerColumn::Created => t.5.to_string(),
        CustomerColumn::Updated => t.6.to_string(),
    }
}

/// How wide a column is; the subject takes what the others leave of `room` (at least 8).
fn width(c: CustomerColumn, columns: &[CustomerColumn], room: usize) -> usize {
    let fixed = |c: CustomerColumn| match c {
        CustomerColumn::Id => 5,
        CustomerColumn::Status => 14,
        CustomerColumn::Priority => 8,
        CustomerColumn::Requester => 11,
        CustomerColumn::Created | CustomerColumn::Updated => 10,
        CustomerColumn::Subject => 0,
    };
    if c != CustomerColumn::Subject {
        return fixed(c);
    }
    let others: usize = columns.iter().map(|c| fixed(*c) + 1).sum();
    room.saturating_sub(others).clamp(8, 40)
}

fn fit(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        format!("{text:<width$}")
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A sample customer's ticket list as the settings `s` show it, `room` characters wide.
pub fn ticket_list(s: &PortalSettings, room: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let v = &s.ticket_view;
    let mut rows: Vec<&Sample> = SAMPLES
        .iter()
        .filter(|t| v.show_closed || t.2 != Stage::Closed)
        .collect();
    let key = |t: &Sample| -> (u8, String) {
        match v.default_sort.column {
            CustomerColumn::Id => (0, format!("{:08}", t.0)),
            CustomerColumn::Priority => (priority_rank(t.3), String::new()),
            c => (0, cell(t, c, s)),
        }
    };
    rows.sort_by_key(|t| key(t));
    if v.default_sort.descending {
        rows.reverse();
    }
    let row = |cells: Vec<String>| {
        let text = cells.join(" ");
        fit(text.trim_end(), room).trim_end().to_string()
    };
    let mut out = vec![Line::styled(
        row(v
            .columns
            .iter()
            .map(|c| fit(&wire_name(c), width(*c, &v.columns, room)))
            .collect()),
        ctx.theme.title,
    )];
    for t in rows {
        out.push(Line::raw(row(v
            .columns
            .iter()
            .map(|c| fit(&cell(t, *c, s), width(*c, &v.columns, room)))
            .collect())));
    }
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
