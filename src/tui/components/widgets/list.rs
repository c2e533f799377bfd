//! What the list panes share: a cursor that moves over rows and keeps the selected one in
//! view, drawing only the rows on screen, and the pane frame.

use crate::tui::action::{Action, Command};
use crate::tui::components::{DrawCtx, Outcome, step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph};
use std::ops::Range;

/// A selection in a list of rows and the first row on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    selected: usize,
    offset: usize,
    /// Rows on screen at the last draw.
    page: usize,
}

impl ListCursor {
    /// The movement commands every list offers.
    pub fn commands() -> Vec<Command> {
        vec![
            Command::new(Action::Down),
            Command::new(Action::Up),
            Command::worded(Action::Top, "list-first-row"),
            Command::worded(Action::Bottom, "list-last-row"),
            Command::new(Action::PageDown),
            Command::new(Action::PageUp),
        ]
    }

    /// The selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Selects row `index` (clamped to the rows at the next draw).
    pub fn select(&mut self, index: usize) {
        self.selected = index;
    }

    /// Moves for a movement action over `len` rows.
    pub fn handle(&mut self, action: Action, len: usize) -> Outcome {
        let page = i64::try_from(self.page.max(1)).unwrap_or(1);
        self.selected = match action {
            Action::Down => step(self.selected, 1, len),
            Action::Up => step(self.selected, -1, len),
            Action::Top => 0,
            Action::Bottom => len.saturating_sub(1),
            Action::PageDown => step(self.selected, page, len),
            Action::PageUp => step(self.selected, -page, len),
            _ => return Outcome::Ignored,
        };
        Outcome::Changed
    }

    /// Moves by `rows` (mouse wheel).
    pub fn scroll(&mut self, rows: i32, len: usize) -> Outcome {
        self.selected = step(self.selected, i64::from(rows), len);
        Outcome::Changed
    }

    /// The rows to draw in `height` lines out of `len`, scrolling just enough to show the
    /// selection.
    pub fn window(&mut self, len: usize, height: usize) -> Range<usize> {
        self.page = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.page {
            self.offset = self.selected + 1 - self.page;
        }
        self.offset = self.offset.min(len.saturating_sub(self.page));
        self.offset..(self.offset + self.page).min(len)
    }
}

/// The frame of a pane: bordered, titled, focus shown by the border style and the title's
/// marker.
pub fn pane_block(title: String, ctx: DrawCtx<'_>) -> Block<'static> {
    let (marker, border) = if ctx.focused {
        ("▶ ", ctx.theme.border_focused)
    } else {
        ("", ctx.theme.border)
    };
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(Line::styled(format!(" {marker}{title} "), ctx.theme.title))
}

/// Draws `lines` (all rows of a short list) in a pane, the selected one marked.
pub fn draw_lines(
    frame: &mut Frame,
    area: Rect,
    block: Block<'static>,
    lines: Vec<Line<'static>>,
    cursor: &mut ListCursor,
    ctx: DrawCtx<'_>,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let range = cursor.window(lines.len(), usize::from(inner.height));
    let selected = cursor.selected();
    let start = range.start;
    let shown: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
        .map(|(i, line)| mark(line, i == selected))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
    highlight_row(frame, inner, selected.checked_sub(start), ctx);
}

/// A row with the selection marker when `selected`, padding otherwise.
pub fn mark(mut line: Line<'static>, selected: bool) -> Line<'static> {
    line.spans
        .insert(0, if selected { "▶ " } else { "  " }.into());
    line
}

/// Gives row `row` of `area` (if it is there) the selection style, across the whole width.
pub fn highlight_row(frame: &mut Frame, area: Rect, row: Option<usize>, ctx: DrawCtx<'_>) {
    if let Some(row) = row
        .and_then(|r| u16::try_from(r).ok())
        .filter(|r| *r < area.height)
    {
        frame.buffer_mut().set_style(
            Rect {
                y: area.y + row,
                height: 1,
                ..area
            },
            ctx.theme.selected,
        );
    }
}

/// The name an enum has on the wire (`round_robin`), shown with spaces (`round robin`).
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        Ok(other) => other.to_string(),
        Err(_) => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection() {
        let mut c = ListCursor::default();
        assert_eq!(c.window(100, 10), 0..10);
        c.handle(Action::Bottom, 100);
        assert_eq!(c.window(100, 10), 90..100);
        c.handle(Action::PageUp, 100);
        assert_eq!(c.selected(), 89);
        assert_eq!(c.window(100, 10), 89..99);
        assert_eq!(c.window(5, 10), 0..5);
        assert_eq!(c.selected(), 4);
        assert_eq!(c.window(0, 10), 0..0);
    }
}
