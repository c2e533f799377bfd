//! Read-only text taller than its popup: where it is scrolled to, the moves that change that
//! (stopping at the end, as the last draw measured it), and the bordered popup that shows the
//! lines from there with "a–b of n" in its bottom border when they do not all fit. The popups
//! that only show text (who can see a ticket, the original mail) share it.

use crate::tui::action::Action;
use crate::tui::components::DrawCtx;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};
use std::cell::Cell;

/// Rows moved by page up and page down.
const PAGE: usize = 10;

/// How far a popup's text is scrolled.
#[derive(Debug, Default)]
pub struct Scroll {
    offset: usize,
    /// Lines of text and rows to show them in at the last draw, to stop at the end.
    drawn: Cell<(usize, usize)>,
}

impl Scroll {
    /// The first line shown.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Back to the first line (new text).
    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// Scrolls by `action` (down, up, pages, top, bottom); false for any other action.
    pub fn handle(&mut self, action: Action) -> bool {
        let (lines, rows) = self.drawn.get();
        let max = lines.saturating_sub(rows);
        self.offset = match action {
            Action::Down => self.offset.saturating_add(1),
            Action::Up => self.offset.saturating_sub(1),
            Action::PageDown => self.offset.saturating_add(PAGE),
            Action::PageUp => self.offset.saturating_sub(PAGE),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return false,
        }
        .min(max);
        true
    }

    /// Draws `lines` from the offset in a bordered popup at `popup` titled `title`.
    pub fn draw(
        &self,
        frame: &mut Frame,
        popup: Rect,
        title: String,
        lines: Vec<Line<'static>>,
        ctx: DrawCtx<'_>,
    ) {
        let rows = usize::from(popup.height.saturating_sub(2));
        let total = lines.len();
        self.drawn.set((total, rows));
        let scroll = self.offset.min(total.saturating_sub(rows));
        let mut block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .padding(Padding::horizontal(1))
            .title(Line::styled(title, ctx.theme.title));
        if total > rows {
            let shown = format!(" {}–{} of {total} ", scroll + 1, (scroll + rows).min(total));
            block = block.title_bottom(Line::styled(shown, ctx.theme.muted).right_aligned());
        }
        let visible: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(rows).collect();
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(visible).block(block), popup);
    }
}
