//! The Tickets pane: the tickets the signed-in account may see, newest first, read straight
//! from the client's view (only the rows on screen are built).

use super::list::{ListCursor, highlight_row, mark, pane_block};
use super::{Component, DrawCtx, Outcome};
use crate::client::{Client, Connection, View, ViewTicket};
use crate::domain::text::strip_control;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The Tickets pane.
pub struct Tickets {
    client: Client,
    cursor: ListCursor,
}

impl Tickets {
    /// The pane over `client`'s view.
    pub fn new(client: Client) -> Self {
        Tickets {
            client,
            cursor: ListCursor::default(),
        }
    }
}

/// One ticket as a row: number, status, subject, and whether a write is still pending.
pub fn ticket_row(t: &ViewTicket, id_width: usize, ctx: DrawCtx<'_>) -> Line<'static> {
    let id = if t.id() < 0 {
        "new".to_string()
    } else {
        format!("#{}", t.id())
    };
    let status: String = strip_control(t.status())
        .replace('_', " ")
        .chars()
        .take(20)
        .collect();
    let mut spans = vec![
        Span::styled(format!("{id:>id_width$}  "), ctx.theme.muted),
        Span::raw(format!("{status:<20}  ")),
        Span::raw(strip_control(t.subject()).replace('\n', " ")),
    ];
    if t.pending {
        spans.push(Span::styled("  (pending)", ctx.theme.warning));
    }
    Line::from(spans)
}

fn empty_text(view: &View) -> &'static str {
    match (view.status.last_sync, view.status.connection) {
        (None, Connection::Offline) => "Offline, and nothing cached yet.",
        (None, _) => "Loading tickets…",
        (Some(_), _) => "No tickets to show.",
    }
}

impl Component for Tickets {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Tickets, Context::List]
    }

    fn commands(&self) -> Vec<Command> {
        ListCursor::commands()
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let len = self.client.view().ticket_count();
        self.cursor.handle(action, len)
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        let len = self.client.view().ticket_count();
        self.cursor.scroll(rows, len)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let view = self.client.view();
        let count = view.ticket_count();
        let title = if view.is_staff() {
            format!("Tickets · {count}")
        } else {
            format!("Your tickets · {count}")
        };
        let block = pane_block(title, ctx);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if count == 0 {
            frame.render_widget(
                Paragraph::new(Line::styled(empty_text(&view), ctx.theme.muted)),
                inner,
            );
            return;
        }
        let range = self.cursor.window(count, usize::from(inner.height));
        let id_width = range
            .clone()
            .filter_map(|i| view.ticket_at(i))
            .map(|t| t.id().to_string().len() + 1)
            .max()
            .unwrap_or(2)
            .max(3);
        let selected = self.cursor.selected();
        let start = range.start;
        let rows: Vec<Line> = range
            .filter_map(|i| {
                view.ticket_at(i)
                    .map(|t| mark(ticket_row(t, id_width, ctx), i == selected))
            })
            .collect();
        frame.render_widget(Paragraph::new(rows), inner);
        highlight_row(frame, inner, selected.checked_sub(start), ctx);
    }
}
