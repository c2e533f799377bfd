//! Render tests of the Tickets pane's editors at 80×24 and 120×40: the internal-note composer
//! of an agent and the reply composer of a customer with a draft typed in and the discard
//! question, and the customer's support form with its inline errors and a choice made with
//! Space. Each editor sits inside the pane with a blank margin round it. The tests that send
//! something use a server of their own, so the shared one stays as the snapshots show it.

mod common;

use common::render::{client, lines, render, serve, synced_client, wired};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use deskport::client::Client;
use deskport::server::demo::DEMO_PASSWORD;
use deskport::tui::action::Action;
use deskport::tui::components::Component;
use deskport::tui::components::panes::tickets::Tickets;
use std::time::{Duration, Instant};

fn typed(pane: &mut Tickets, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        pane.input(&KeyEvent::new(code, KeyModifiers::NONE));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_internal_note_composer() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.handle(Action::Note);
    assert!(pane.captures_text(), "the composer takes typed letters");
    typed(
        &mut pane,
        "Checked the logs: the printer driver crashed twice overnight, both times right after the nightly backup started.\nWill ask the customer for the model.",
    );
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("(staff only)"), "{screen}");
    insta::assert_snapshot!("composer_agent_note_80x24", screen);
    let title = "Internal note on #";
    assert_clear_margin(&lines(&mut pane, 80, 24), title);
    insta::assert_snapshot!("composer_agent_note_120x40", render(&mut pane, 120, 40));
    assert_clear_margin(&lines(&mut pane, 120, 40), title);
    pane.handle(Action::Close);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("Discard this note? y/n"), "{screen}");
    typed(&mut pane, "y");
    assert!(!pane.captures_text(), "the draft is gone");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_reply_composer() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, client) = own_server("carla@acme.test", dir.path()).await;
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.handle(Action::Note);
    assert!(!pane.captures_text(), "customers write no internal notes");
    pane.handle(Action::Reply);
    typed(&mut pane, "Thanks, that fixed it.\nBest, Carla");
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("Reply to #"), "{screen}");
    insta::assert_snapshot!("composer_customer_reply_120x40", screen);
    assert_clear_margin(&lines(&mut pane, 120, 40), "Reply to #");
    insta::assert_snapshot!("composer_customer_reply_80x24", render(&mut pane, 80, 24));
    assert_clear_margin(&lines(&mut pane, 80, 24), "Reply to #");
    pane.handle(Action::Save);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = render(&mut pane, 120, 40);
        if screen.contains("reply · you · (pending)") || screen.contains("Best, Carla") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the reply did not show: {screen}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_support_form_with_inline_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, client) = own_server("carla@acme.test", dir.path()).await;
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    let before = pane.shown_len();
    pane.handle(Action::New);
    assert!(pane.captures_text(), "the form takes typed letters");
    typed(&mut pane, "Printer offline");
    pane.handle(Action::Save);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("✗ Description is required"), "{screen}");
    insta::assert_snapshot!("support_form_errors_80x24", screen);
    assert_clear_margin(&lines(&mut pane, 80, 24), "New ticket");
    pane.handle(Action::NextField);
    typed(&mut pane, "It shows offline since this morning.");
    let screen = render(&mut pane, 80, 24);
    assert!(
        !screen.contains("✗") && !screen.contains("Space choose"),
        "{screen}"
    );
    pane.handle(Action::NextField);
    let screen = render(&mut pane, 80, 24);
    assert!(
        screen.contains("╰ ←/→ or Space choose · Ctrl-S send"),
        "a choice field says how to choose: {screen}"
    );
    pane.input(&KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE));
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("◀ billing ▶"), "Space chose: {screen}");
    insta::assert_snapshot!("support_form_120x40", screen);
    assert_clear_margin(&lines(&mut pane, 120, 40), "New ticket");
    pane.handle(Action::Save);
    assert!(!pane.captures_text(), "sent: {}", render(&mut pane, 80, 24));
    let deadline = Instant::now() + Duration::from_secs(10);
    while pane.shown_len() == before {
        assert!(Instant::now() < deadline, "the new ticket did not show");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(render(&mut pane, 120, 40).contains("Printer offline"));
    client.shutdown().await;
}

/// A demo server for one test (it writes) and a synced client of `email` on it.
async fn own_server(
    email: &str,
    dir: &std::path::Path,
) -> (deskport::server::RunningServer, Client) {
    let (server, url) = serve(dir, true).await;
    let client = synced_client(&url, email, DEMO_PASSWORD, &dir.join("client"), false).await;
    (server, client)
}

/// Checks the editor popup titled `title` in `rows`: it sits inside the pane's border with a
/// blank margin of one cell all round, so nothing of the pane shows beside its frame.
fn assert_clear_margin(rows: &[String], title: &str) {
    let screen = rows.join("\n");
    let grid: Vec<Vec<char>> = rows.iter().map(|r| r.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|r| r.contains(&format!("╭ {title}")))
        .unwrap_or_else(|| panic!("no {title:?} popup: {screen}"));
    let left = grid[top].iter().position(|c| *c == '╭').unwrap();
    let right = grid[top].iter().rposition(|c| *c == '╮').unwrap();
    let bottom = (top + 1..rows.len())
        .find(|y| grid[*y][left] == '╰')
        .unwrap_or_else(|| panic!("the popup has no bottom: {screen}"));
    assert!(top >= 2 && left >= 2, "inside the pane: {screen}");
    assert!(
        bottom + 2 < rows.len() && right + 2 < grid[top].len(),
        "{screen}"
    );
    for (y, row) in grid.iter().enumerate().take(bottom + 2).skip(top - 1) {
        for x in [left - 1, right + 1] {
            assert_eq!(row[x], ' ', "blank at ({x}, {y}): {screen}");
        }
    }
    for y in [top - 1, bottom + 1] {
        let margin = &grid[y][left - 1..=right + 1];
        assert!(
            margin.iter().all(|c| *c == ' '),
            "blank above and below, row {y}: {screen}"
        );
    }
}
