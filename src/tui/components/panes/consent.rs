//! The consent notice a customer answers before anything else: the portal's text (control
//! characters stripped), wrapped and scrollable, with accept and decline. The app acts on the
//! answer (recording it, or signing out); this screen only shows the notice and scrolls it.

use crate::domain::i18n::Arg;
use crate::domain::text::strip_control;
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::list::pane_block;
use crate::tui::components::widgets::text::wrap;
use crate::tui::components::{Component, DrawCtx, Outcome};
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// The consent screen.
#[derive(Debug)]
pub struct ConsentNotice {
    text: String,
    version: i64,
    error: Option<String>,
    busy: bool,
    scroll: usize,
    page: usize,
}

impl ConsentNotice {
    /// The notice `text` of consent version `version`; `error` says why an earlier answer
    /// did not go through.
    pub fn new(text: &str, version: i64, error: Option<String>) -> Self {
        ConsentNotice {
            text: strip_control(text),
            version,
            error,
            busy: false,
            scroll: 0,
            page: 1,
        }
    }

    /// The version accepting records.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Marks the answer as on its way (further answers wait for it).
    pub fn set_busy(&mut self) {
        self.busy = true;
        self.error = None;
    }

    /// Whether an answer is on its way.
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    fn scroll_by(&mut self, rows: i64) -> Outcome {
        let now = i64::try_from(self.scroll).unwrap_or(i64::MAX);
        self.scroll = usize::try_from(now.saturating_add(rows).max(0)).unwrap_or(0);
        Outcome::Changed
    }
}

impl Component for ConsentNotice {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Consent]
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::worded(Action::Accept, "consent-cmd-accept"),
            Command::worded(Action::Decline, "consent-cmd-decline"),
            Command::worded(Action::Down, "help-scroll-down"),
            Command::worded(Action::Up, "help-scroll-up"),
            Command::new(Action::PageDown),
            Command::new(Action::PageUp),
        ]
    }

    fn handle(&mut self, action: Action) -> Outcome {
        let page = i64::try_from(self.page.max(1)).unwrap_or(1);
        match action {
            Action::Down => self.scroll_by(1),
            Action::Up => self.scroll_by(-1),
            Action::PageDown => self.scroll_by(page),
            Action::PageUp => self.scroll_by(-page),
            _ => Outcome::Ignored,
        }
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        self.scroll_by(i64::from(rows))
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let block = pane_block(t("help-consent"), ctx);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [intro, body, footer] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(2),
        ])
        .areas(inner.inner(ratatui::layout::Margin::new(1, 0)));
        frame.render_widget(
            Paragraph::new(Line::styled(t("consent-intro"), theme.muted)).wrap(Wrap { trim: true }),
            intro,
        );
        let lines = wrap(&self.text, usize::from(body.width));
        let height = usize::from(body.height);
        self.page = height.max(1);
        self.scroll = self.scroll.min(lines.len().saturating_sub(height));
        let shown: Vec<Line> = lines
            .iter()
            .skip(self.scroll)
            .take(height)
            .map(|l| Line::raw(l.clone()))
            .collect();
        frame.render_widget(Paragraph::new(shown), body);
        let more = lines.len() > self.scroll + height;
        let position = if lines.len() > height {
            let end = (self.scroll + height).min(lines.len());
            tf(
                "consent-lines",
                &[
                    ("first", Arg::from(self.scroll + 1)),
                    ("last", Arg::from(end)),
                    ("total", Arg::from(lines.len())),
                ],
            )
        } else {
            String::new()
        };
        let status = match (&self.error, self.busy) {
            (Some(e), _) => Line::styled(e.clone(), theme.error),
            (None, true) => Line::styled(t("consent-recording"), theme.muted),
            (None, false) if more => Line::styled(
                tf("consent-more-below", &[("position", Arg::Text(&position))]),
                theme.muted,
            ),
            (None, false) => Line::styled(position, theme.muted),
        };
        let keys = |a: Action| {
            ctx.keymap
                .keys(Context::Consent, a)
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        let answer = Line::from(vec![
            ratatui::text::Span::styled(keys(Action::Accept), theme.key),
            ratatui::text::Span::raw(format!(" {}    ", t("consent-accept"))),
            ratatui::text::Span::styled(keys(Action::Decline), theme.key),
            ratatui::text::Span::raw(format!(" {}", t("consent-decline"))),
        ]);
        frame.render_widget(Paragraph::new(vec![status, answer]), footer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_control_sequences_and_scrolls_within_bounds() {
        let mut c = ConsentNotice::new("a\u{1b}]0;title\u{7}b", 3, None);
        assert_eq!(c.text, "ab");
        assert_eq!(c.version(), 3);
        c.handle(Action::Up);
        assert_eq!(c.scroll, 0);
        assert_eq!(c.handle(Action::Accept), Outcome::Ignored);
    }
}
