//! Render tests of the Routing pane: the real app over a real client of a demo server, drawn
//! into `TestBackend` at 80×24 and 120×40 — the list, the rule and inbox editors and the
//! tester, for an admin and (read-only) for an agent. Nothing here changes the demo data
//! (`tui_routing_writes.rs` has the tests that do).

mod common;

use common::render::{Wired, buffer, ctrl, key, lines, render, settle, signed_in_demo, typed};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use deskport::tui::Msg;
use deskport::tui::app::App;
use ratatui::style::Color;

/// An app on the Routing tab with the inbox counts loaded.
async fn routing(email: &str, dir: &std::path::Path) -> Wired<App> {
    let mut app = signed_in_demo(email, dir).await;
    app.update(key(KeyCode::Char('2')));
    settle(&mut app, 80, 24, "open, ").await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_list_with_counts_and_edit_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    insta::assert_snapshot!("admin_list_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("admin_list_120x40", render(&mut app, 120, 40));
    typed(&mut app, "jj");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("▶  1. [on ] Invoices to Billing")
            && screen.contains("Space enable or disable")
            && screen.contains("J move rule down"),
        "{screen}"
    );
    let buffer = buffer(&mut app, 120, 40);
    assert_eq!(
        (buffer[(60, 9)].bg, buffer[(60, 10)].bg),
        (Color::Cyan, Color::Cyan),
        "the selected rule is highlighted, its conditions line too"
    );
    app.update(key(KeyCode::Char('?')));
    let help = render(&mut app, 120, 40);
    for label in ["move rule up", "edit rule", "delete rule", "test routing"] {
        assert!(help.contains(label), "{label} in {help}");
    }
    insta::assert_snapshot!("admin_help_on_a_rule_80x24", render(&mut app, 80, 24));
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_rule_editor_and_inbox_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    typed(&mut app, "jj");
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("admin_rule_editor_80x24", render(&mut app, 80, 24));
    app.update(ctrl('n'));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "bill");
    insta::assert_snapshot!("admin_rule_editor_120x40", render(&mut app, 120, 40));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("#2 value  bill") && screen.contains("F1 more"),
        "{screen}"
    );
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(
        KeyCode::F(1),
        KeyModifiers::NONE,
    ))));
    let help = render(&mut app, 120, 40);
    assert!(
        help.contains("Ctrl-D") && help.contains("remove condition"),
        "what the bar cuts is in help: {help}"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    assert!(
        render(&mut app, 80, 24).contains("Drop your edits to this rule? y/n"),
        "Esc over edits asks"
    );
    typed(&mut app, "y");
    typed(&mut app, "gj");
    app.update(key(KeyCode::Char('e')));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Char(' ')));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Assignment") && screen.contains("‹manual›"),
        "{screen}"
    );
    insta::assert_snapshot!("admin_inbox_editor_80x24", screen);
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Enter));
    assert!(
        render(&mut app, 80, 24).contains("least loaded"),
        "Esc drops the edit"
    );
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_tests_a_draft_rule_before_saving() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    typed(&mut app, "Gn");
    typed(&mut app, "Printers to Lin");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    // From "by the inbox's method" past Ada and Sam to Lin.
    for _ in 0..3 {
        app.update(key(KeyCode::Char(' ')));
    }
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    typed(&mut app, "printer");
    app.update(ctrl('t'));
    typed(&mut app, "The printer is on fire");
    app.update(ctrl('s'));
    let screen = settle(&mut app, 80, 24, "Lands in:").await;
    assert!(
        screen.contains("rule \"Printers to Lin\"") && screen.contains("Assigned to: Lin Chen"),
        "{screen}"
    );
    insta::assert_snapshot!("admin_tester_draft_80x24", screen);
    insta::assert_snapshot!("admin_tester_draft_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Esc));
    assert!(
        render(&mut app, 80, 24).contains("New routing rule"),
        "Esc goes back to the editor"
    );
    app.update(key(KeyCode::Esc));
    let asked = render(&mut app, 80, 24);
    assert!(
        asked.contains("Drop your edits to this rule? y/n"),
        "Esc over a draft asks: {asked}"
    );
    insta::assert_snapshot!("admin_drop_edits_question_80x24", asked);
    typed(&mut app, "y");
    assert!(
        render(&mut app, 80, 24).contains("Routing rules (4)"),
        "nothing saved"
    );
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_sees_routing_read_only_and_may_test() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("sam@deskport.test", dir.path()).await;
    insta::assert_snapshot!("agent_list_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("agent_list_120x40", render(&mut app, 120, 40));
    typed(&mut app, "jj");
    for c in ['e', 'n', 'd', 'J', ' ', 'D'] {
        app.update(key(KeyCode::Char(c)));
    }
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Routing (read-only)") && screen.contains("[on ] Invoices to Billing"),
        "edit keys do nothing: {screen}"
    );
    app.update(key(KeyCode::Char('?')));
    let help = render(&mut app, 120, 40);
    for label in [
        "edit",
        "move rule",
        "delete",
        "enable or disable",
        "make portal default",
    ] {
        assert!(!help.contains(label), "{label} offered to an agent: {help}");
    }
    assert!(help.contains("test routing"), "{help}");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('t')));
    typed(&mut app, "invoice 12");
    app.update(ctrl('s'));
    let screen = settle(&mut app, 80, 24, "Lands in:").await;
    assert!(screen.contains("rule \"Invoices to Billing\""), "{screen}");
    insta::assert_snapshot!("agent_tester_80x24", screen);
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_key_tells_an_agent_the_pane_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("sam@deskport.test", dir.path()).await;
    let writes = [
        KeyCode::Char('n'),
        KeyCode::Char('e'),
        KeyCode::Enter,
        KeyCode::Char('d'),
        KeyCode::Char('J'),
        KeyCode::Char('K'),
        KeyCode::Char(' '),
        KeyCode::Char('D'),
    ];
    // The first row is an inbox's, the third a rule's.
    for (row, moves) in [("inbox", ""), ("rule", "jj")] {
        typed(&mut app, moves);
        for write in writes {
            // Moving away and back clears the last notice and keeps the row.
            typed(&mut app, "jk");
            let quiet = render(&mut app, 80, 24);
            assert!(!quiet.contains("Read-only for agents"), "{quiet}");
            app.update(key(write));
            let screen = render(&mut app, 80, 24);
            assert!(
                screen.contains("Read-only for agents: only admins change inboxes and rules."),
                "{write:?} on a {row} says why it does nothing: {screen}"
            );
        }
    }
    insta::assert_snapshot!("agent_read_only_notice_80x24", render(&mut app, 80, 24));
    assert!(
        app.client().unwrap().view().outbox.is_empty(),
        "nothing was sent"
    );
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_over_unsaved_edits_asks_first_and_help_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    typed(&mut app, "je");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    let lines = lines(&mut app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("Edit inbox"))
            && lines[23].trim_end().ends_with("q quit  ? more"),
        "a cut hint bar ends with `? more`: {lines:#?}"
    );
    typed(&mut app, "q");
    assert!(app.should_quit(), "nothing edited yet: q quits at once");
    if let Some(client) = app.client() {
        client.shutdown().await;
    }

    let dir = tempfile::tempdir().unwrap();
    let mut app = routing("ada@deskport.test", dir.path()).await;
    typed(&mut app, "je");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Char(' ')));
    let edited = render(&mut app, 80, 24);
    typed(&mut app, "q");
    assert!(
        !app.should_quit(),
        "q on a choice field does not drop the edit"
    );
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Quit and drop your unsaved edits? y/n"),
        "{screen}"
    );
    insta::assert_snapshot!("admin_quit_question_80x24", screen);
    typed(&mut app, "?");
    let help = render(&mut app, 120, 40);
    for label in ["yes", "no"] {
        assert!(help.contains(label), "{label} in {help}");
    }
    app.update(key(KeyCode::Esc));
    typed(&mut app, "n");
    assert_eq!(render(&mut app, 80, 24), edited, "no keeps the edit");
    typed(&mut app, "?");
    let help = render(&mut app, 120, 40);
    for label in ["next choice", "save inbox", "cancel"] {
        assert!(help.contains(label), "{label} in {help}");
    }
    app.update(key(KeyCode::Esc));
    assert_eq!(render(&mut app, 80, 24), edited, "the edit survives help");
    app.update(key(KeyCode::Esc));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Drop your edits to this inbox? y/n"),
        "Esc asks before dropping edits: {screen}"
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(render(&mut app, 80, 24), edited, "Esc again is no");
    typed(&mut app, "q");
    assert!(!app.should_quit(), "asked again");
    typed(&mut app, "q");
    assert!(app.should_quit(), "q over the quit question is yes");
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}
