//! Where the Tickets pane's editors (the composer and the support form) sit: inside the pane,
//! never on its border, with a cleared margin so nothing of the pane shows beside them.

use crate::tui::components::centered;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::widgets::Clear;

/// Places a popup of at most `width`×`height` inside the pane drawn over `area` (never on its
/// border), with a blank margin of one cell around it, and clears both, so nothing of the
/// pane shows through beside the popup's frame. Returns where to draw the popup.
pub fn popup_in_pane(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let room = area.inner(Margin::new(1, 1));
    let popup = centered(
        room,
        width.min(room.width.saturating_sub(2)),
        height.min(room.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, popup.outer(Margin::new(1, 1)).intersection(room));
    popup
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::{Block, Paragraph};

    /// Draws a pane full of `x` with a border, then a bordered popup from `popup_in_pane`.
    fn draw(width: u16, height: u16, max_w: u16, max_h: u16) -> (Vec<String>, Rect) {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let mut popup = Rect::default();
        terminal
            .draw(|f| {
                let area = f.area();
                let filler = "x".repeat(usize::from(width));
                let text = vec![filler.as_str(); usize::from(height)].join("\n");
                f.render_widget(Paragraph::new(text).block(Block::bordered()), area);
                popup = popup_in_pane(f, area, max_w, max_h);
                f.render_widget(Block::bordered(), popup);
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        let rows = (0..height)
            .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
            .collect();
        (rows, popup)
    }

    #[test]
    fn the_popup_stays_off_the_border_with_a_blank_margin() {
        for (w, h, max_w, max_h) in [(80, 24, 100, 24), (120, 40, 100, 24), (80, 24, 90, 99)] {
            let (rows, popup) = draw(w, h, max_w, max_h);
            let screen = rows.join("\n");
            assert!(
                rows[0].starts_with('┌') && rows[0].ends_with('┐'),
                "{screen}"
            );
            let last = &rows[usize::from(h) - 1];
            assert!(last.starts_with('└') && last.ends_with('┘'), "{screen}");
            for row in &rows[1..usize::from(h) - 1] {
                assert!(row.starts_with('│') && row.ends_with('│'), "{screen}");
            }
            let top = &rows[usize::from(popup.y)];
            let left = usize::from(popup.x);
            let chars: Vec<char> = top.chars().collect();
            assert_eq!(chars[left], '┌', "{screen}");
            assert_eq!(
                chars[left - 1],
                ' ',
                "a blank margin left of the popup: {screen}"
            );
            let right = left + usize::from(popup.width);
            assert_eq!(chars[right], ' ', "and right of it: {screen}");
            let above: Vec<char> = rows[usize::from(popup.y) - 1].chars().collect();
            assert!(
                above[left - 1..=right].iter().all(|c| *c == ' '),
                "and above it: {screen}"
            );
            let below: Vec<char> = rows[usize::from(popup.bottom())].chars().collect();
            assert!(
                below[left - 1..=right].iter().all(|c| *c == ' '),
                "and below it: {screen}"
            );
        }
    }
}
