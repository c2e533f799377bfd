//! Drawing the Tickets pane: the queue bar with counts, the table, the preview beside it, the
//! filter line, and the full view of one ticket.

use super::Tickets;
use super::filter::Queue;
use super::glance::Figures;
use super::table::{self, Shown};
use super::thread;
use crate::client::{Connection, View};
use crate::domain::i18n::Arg;
use crate::domain::text::strip_control;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::pane_block;
use crate::tui::i18n;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Preview beside the list from this width on; below it, under the list, which then takes
/// the whole width (so at 120 columns subject, requester and company all fit).
const SIDE_BY_SIDE: u16 = 150;

/// Draws the whole pane.
pub fn pane(p: &mut Tickets, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
    let client = p.client.clone();
    let mut view = client.view();
    // The view may have changed since the rows were built (the engine runs alongside):
    // their indices would then name other tickets, so build them again first.
    while !p.rows.is_built_for(&view) {
        drop(view);
        p.refresh();
        view = client.view();
    }
    if let Some(open) = &mut p.open {
        let id = open.thread.id();
        let block = pane_block(i18n::tf("ticket-title", &[("id", Arg::Number(id))]), ctx);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let lines = open.thread.lines(&view, inner.width, ctx);
        let height = wrapped_height(&lines, inner.width);
        let max = height.saturating_sub(inner.height);
        open.scroll = open.scroll.min(max);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((open.scroll, 0)),
            inner,
        );
        return;
    }
    let figures = p.figures(&view);
    let title = match (&figures, p.staff) {
        (None, true) => "Tickets · loading…".to_string(),
        (None, false) => i18n::t("tickets-yours-loading"),
        (Some(f), true) if !p.marks.is_empty() => format!(
            "Tickets · {} of {} · {} marked",
            f.shown,
            f.total,
            p.marks.len()
        ),
        (Some(f), true) => format!("Tickets · {} of {}", f.shown, f.total),
        (Some(f), false) => i18n::tf("tickets-yours", &[("count", Arg::from(f.shown))]),
    };
    let block = pane_block(title, ctx);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let message = p.message.clone();
    let footer = p.filtering || !p.filter.text.is_empty() || message.is_some();
    let [bar, body, foot] = Layout::vertical([
        Constraint::Length(u16::from(p.staff)),
        Constraint::Fill(1),
        Constraint::Length(u16::from(footer)),
    ])
    .areas(inner);
    if p.staff {
        frame.render_widget(
            Paragraph::new(queue_bar(p, figures.as_ref(), usize::from(bar.width), ctx)),
            bar,
        );
    }
    if footer {
        frame.render_widget(Paragraph::new(filter_line(p, message, ctx)), foot);
    }
    let Some(figures) = figures else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                i18n::t("tickets-loading-cached"),
                ctx.theme.muted,
            )),
            body,
        );
        return;
    };
    if p.rows.shown().is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                empty_text(&view, p.filter.text.is_empty()),
                ctx.theme.muted,
            )),
            body,
        );
        return;
    }
    let (list, preview) = if p.preview {
        let wide = body.width >= SIDE_BY_SIDE;
        let layout = if wide {
            Layout::horizontal([Constraint::Percentage(62), Constraint::Fill(1)])
        } else {
            Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)])
        };
        let [list, preview] = layout.areas(body);
        (list, Some((preview, wide)))
    } else {
        (body, None)
    };
    let columns = p.columns(&view);
    p.drawn = table::visible(&columns, list).shown();
    let shown_rows = Shown {
        view: &view,
        rows: p.rows.shown(),
        length: figures.shown,
        columns: &columns,
        sort: p.sort,
        marks: &p.marks,
    };
    table::draw(frame, list, &shown_rows, &mut p.cursor, ctx);
    if let Some((area, wide)) = preview {
        draw_preview(p, &view, frame, area, wide, ctx);
    }
}

fn draw_preview(
    p: &Tickets,
    view: &View,
    frame: &mut Frame,
    area: Rect,
    wide: bool,
    ctx: DrawCtx<'_>,
) {
    let block = Block::new()
        .borders(if wide { Borders::LEFT } else { Borders::TOP })
        .border_style(ctx.theme.border)
        .title(Line::styled(
            format!(" {} ", i18n::t("tickets-preview")),
            ctx.theme.muted,
        ));
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let Some(t) = p.selected_id(view).and_then(|id| view.ticket(id)) else {
        return;
    };
    let mut lines = thread::summary(t, thread::support_form(view), ctx.theme);
    lines.push(Line::raw(""));
    lines.extend(
        strip_control(t.description())
            .lines()
            .map(|l| Line::raw(l.to_string())),
    );
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        i18n::t("tickets-preview-enter"),
        ctx.theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The views with their counts, the current one in brackets. When they do not all fit in
/// `width` columns, the line shows the ones around the current view and `…` where views are
/// left out, so the current view always shows and a cut never passes for the whole list.
fn queue_bar(
    p: &Tickets,
    figures: Option<&Figures>,
    width: usize,
    ctx: DrawCtx<'_>,
) -> Line<'static> {
    const SEPARATOR: &str = " │ ";
    let items: Vec<Span<'static>> = Queue::ALL
        .iter()
        .map(|q| {
            let text = match figures {
                Some(f) => format!("{} {}", q.label(), f.queue(*q)),
                None => format!("{} …", q.label()),
            };
            if *q == p.queue {
                Span::styled(
                    format!("[{text}]"),
                    ctx.theme.tab_active.add_modifier(Modifier::BOLD),
                )
            } else {
                Span::styled(text, ctx.theme.tab)
            }
        })
        .collect();
    let current = Queue::ALL.iter().position(|q| *q == p.queue).unwrap_or(0);
    let cells = |from: usize, to: usize| -> usize {
        items[from..to].iter().map(|s| s.width()).sum::<usize>()
            + SEPARATOR.chars().count() * (to - from - 1)
    };
    // The first view shown: the earliest that leaves room for the current one, with `… `
    // before it when views are left out.
    let mut first = 0;
    while first < current && cells(first, current + 1) + if first > 0 { 2 } else { 0 } > width {
        first += 1;
    }
    let lead = if first > 0 { 2 } else { 0 };
    let mut last = current + 1;
    while last < items.len() {
        let tail = if last + 1 < items.len() { 2 } else { 0 };
        if lead + cells(first, last + 1) + tail > width {
            break;
        }
        last += 1;
    }
    let mut spans = Vec::new();
    if first > 0 {
        spans.push(Span::styled("… ", ctx.theme.muted));
    }
    for (n, item) in items[first..last].iter().enumerate() {
        if n > 0 {
            spans.push(Span::styled(SEPARATOR, ctx.theme.muted));
        }
        spans.push(item.clone());
    }
    if last < items.len() {
        spans.push(Span::styled(" …", ctx.theme.muted));
    }
    Line::from(spans)
}

fn filter_line(p: &Tickets, message: Option<String>, ctx: DrawCtx<'_>) -> Line<'static> {
    if let Some(m) = message {
        return Line::styled(m, ctx.theme.error);
    }
    let typed = if p.filtering && p.filter.selected {
        ctx.theme.selected
    } else {
        ctx.theme.base
    };
    let mut spans = vec![
        Span::styled("/", ctx.theme.key),
        Span::styled(p.filter.text.clone(), typed),
    ];
    if p.filtering && p.filter.selected {
        spans.push(Span::styled(
            format!("  {}", i18n::t("tickets-filter-selected")),
            ctx.theme.muted,
        ));
    } else if p.filtering {
        spans.push(Span::styled("▏", ctx.theme.key));
    }
    if !p.query.unknown.is_empty() {
        spans.push(Span::styled(
            format!(
                "   {}",
                i18n::tf(
                    "tickets-filter-unknown",
                    &[("words", Arg::Text(&p.query.unknown.join(" ")))]
                )
            ),
            ctx.theme.warning,
        ));
    }
    Line::from(spans)
}

fn empty_text(view: &View, unfiltered: bool) -> String {
    i18n::t(match (view.status.last_sync, view.status.connection) {
        (None, Connection::Offline) => "tickets-empty-offline",
        (None, _) => "tickets-empty-loading",
        (Some(_), _) if unfiltered => "tickets-empty",
        (Some(_), _) => "tickets-empty-filtered",
    })
}

/// Lines `lines` take when wrapped to `width` cells (an estimate: wrapping at words may take
/// a little more).
fn wrapped_height(lines: &[Line<'_>], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}
