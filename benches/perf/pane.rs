//! Tickets pane figures, in-process over a synced client: a filter keystroke (filter + frame)
//! and scrolling one row / one page (action + frame), drawn into a 120×40 `TestBackend`.

use crate::report::{Figure, Goal, timed};
use color_eyre::eyre::Result;
use deskport::client::Client;
use deskport::tui::action::Action;
use deskport::tui::components::panes::tickets::Tickets;
use deskport::tui::components::{Component, DrawCtx};
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

const RUNS: usize = 200;

/// The pane figures for `client` (already synced).
pub fn figures(client: &Client) -> Result<Vec<Figure>> {
    let theme = Theme::shipped(ThemeChoice::Default, false)?;
    let keymap = Keymap::defaults()?;
    let ctx = DrawCtx {
        theme: &theme,
        keymap: &keymap,
        focused: true,
    };
    // Drawing and filtering start no background work: nothing listens for answers.
    let (tx, _answers) = tokio::sync::mpsc::unbounded_channel();
    let mut pane = Tickets::new(client.clone(), deskport::tui::msg::Tasks::new(tx));
    pane.set_filter("");
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let t = Instant::now();
    terminal.draw(|f| pane.draw(f, f.area(), ctx))?;
    let first = t.elapsed();

    let mut frame = |pane: &mut Tickets, before: &dyn Fn(&mut Tickets)| -> Result<Duration> {
        let t = Instant::now();
        before(pane);
        terminal.draw(|f| pane.draw(f, f.area(), ctx))?;
        Ok(t.elapsed())
    };
    let mut frames = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        frames.push(frame(&mut pane, &|_| {})?);
    }
    let mut rows = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        rows.push(frame(&mut pane, &|p| {
            p.handle(Action::Down);
        })?);
    }
    let mut pages = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        pages.push(frame(&mut pane, &|p| {
            p.handle(Action::PageDown);
        })?);
    }
    // Typing "printer" and erasing it again: narrowing keystrokes and widening ones.
    let typed = [
        "p", "pr", "pri", "prin", "print", "printe", "printer", "printe", "print", "prin", "pri",
        "pr", "p", "",
    ];
    let mut keys = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let text = typed[i % typed.len()];
        keys.push(frame(&mut pane, &|p| p.set_filter(text))?);
    }
    Ok(vec![
        timed(
            "one filter keystroke over 100k (filter + frame)",
            &keys,
            Goal::AtMost(5.0),
        ),
        timed(
            "scroll one row in the 100k list (frame)",
            &rows,
            Goal::AtMost(2.0),
        ),
        timed(
            "scroll one page in the 100k list (frame)",
            &pages,
            Goal::AtMost(2.0),
        ),
        timed("  one frame, nothing changed", &frames, Goal::Info),
        Figure {
            what: "  first frame after the sync (sorts 100k)".into(),
            value: first.as_secs_f64() * 1e3,
            unit: "ms",
            goal: Goal::Info,
            note: "one run".into(),
        },
    ])
}
