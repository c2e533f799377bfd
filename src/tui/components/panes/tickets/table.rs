//! The ticket table: a header and only the rows on screen, built from a window of the
//! filtered indices, with a scrollbar. Nothing here touches the tickets off screen.

use super::columns::{Column, Fitted, fitting};
use super::marks::Marks;
use super::rows::Sort;
use crate::client::View;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::ListCursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table};

/// What the table shows.
pub struct Shown<'a> {
    /// The view the indices point into.
    pub view: &'a View,
    /// The rows, as view indices in order.
    pub rows: &'a [u32],
    /// How many rows the list has, for the scrollbar: more than `rows` holds while a glance
    /// stands in for the list (see `client::glance`).
    pub length: usize,
    /// The columns wanted (narrow tables drop some).
    pub columns: &'a [Column],
    /// The sort, marked in the header.
    pub sort: Sort,
    /// The tickets marked for a bulk change: `✓` beside them, in bold.
    pub marks: &'a Marks,
}

/// The columns of `columns` that `draw` shows in `area`, with their widths; the rest do not
/// fit (the sort key cycles through the shown ones only).
pub fn visible(columns: &[Column], area: Rect) -> Fitted {
    fitting(columns, area.width.saturating_sub(3))
}

/// Draws `shown` in `area`: a header, the rows on screen and a scrollbar.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    shown: &Shown<'_>,
    cursor: &mut ListCursor,
    ctx: DrawCtx<'_>,
) {
    let (view, rows_in) = (shown.view, shown.rows);
    if area.height < 2 || area.width < 4 {
        return;
    }
    let body = area.height.saturating_sub(1);
    let fitted = visible(shown.columns, area);
    let cols = &fitted.columns;
    let range = cursor.window(rows_in.len(), usize::from(body));
    let selected = cursor.selected();
    let header = Row::new(
        std::iter::once(Cell::from("  ")).chain(cols.iter().map(|(c, _)| {
            let arrow = match shown.sort {
                Sort {
                    column,
                    descending: true,
                } if column == *c => " ▼",
                Sort {
                    column,
                    descending: false,
                } if column == *c => " ▲",
                _ => "",
            };
            Cell::from(format!("{}{arrow}", c.title()))
        })),
    )
    .style(ctx.theme.muted.add_modifier(Modifier::BOLD));
    let rows: Vec<Row> = rows_in[range.clone()]
        .iter()
        .enumerate()
        .filter_map(|(n, &i)| {
            let t = view.ticket_at(i as usize)?;
            let is_selected = range.start + n == selected;
            let is_marked = shown.marks.contains(t.id());
            let marker = Line::from(vec![
                Span::raw(if is_selected { "▶" } else { " " }),
                Span::styled(if is_marked { "✓" } else { " " }, ctx.theme.key),
            ]);
            let cells =
                std::iter::once(Cell::from(marker)).chain(cols.iter().map(|&(c, width)| {
                    if c == Column::Subject && t.pending {
                        const PENDING: &str = "⧗ pending ";
                        let room = width.saturating_sub(PENDING.chars().count() as u16);
                        Cell::from(Line::from(vec![
                            Span::styled(PENDING, ctx.theme.warning),
                            Span::raw(c.cell(t, room, fitted.short_stages)),
                        ]))
                    } else if c == Column::Id {
                        Cell::from(Span::styled(
                            c.cell(t, width, fitted.short_stages),
                            ctx.theme.muted,
                        ))
                    } else {
                        Cell::from(c.cell(t, width, fitted.short_stages))
                    }
                }));
            let style = match (is_selected, is_marked) {
                (true, false) => ctx.theme.selected,
                (true, true) => ctx.theme.selected.add_modifier(Modifier::BOLD),
                (false, true) => Style::default().add_modifier(Modifier::BOLD),
                (false, false) => Style::default(),
            };
            Some(Row::new(cells).style(style))
        })
        .collect();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(2))
        .chain(cols.iter().map(|(_, width)| Constraint::Length(*width)))
        .collect();
    let table = Table::new(rows, widths).header(header).column_spacing(1);
    let table_area = Rect {
        width: area.width.saturating_sub(1),
        ..area
    };
    frame.render_widget(table, table_area);
    let length = shown.length.max(rows_in.len());
    if length > usize::from(body) {
        let mut state = ScrollbarState::new(length).position(selected);
        let bar_area = Rect {
            y: area.y + 1,
            height: body,
            ..area
        };
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            bar_area,
            &mut state,
        );
    }
}
