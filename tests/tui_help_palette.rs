//! Help (`?`) and the palette (`:`) list the same actions, built from one list, and every
//! action of the keymap's `[global]` section that works on a screen is in both — on every
//! tab of every role, `!` (settle conflicts) included whether or not there are conflicts.

mod common;

use common::render::{key, render, send, signed_in_demo, typed};
use crossterm::event::KeyCode;
use deskport::tui::action::Action;
use deskport::tui::keymap::Context;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_global_action_is_in_help_and_the_palette_on_every_tab_of_every_role() {
    for (email, tabs) in [
        ("ada@deskport.test", 4),
        ("sam@deskport.test", 4),
        ("carla@acme.test", 2),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = signed_in_demo(email, dir.path()).await;
        for tab in 0..tabs {
            let digit = char::from_digit(tab + 1, 10).unwrap();
            app.update(key(KeyCode::Char(digit)));
            render(&mut app, 120, 40);
            let (help, palette) = app.offered();
            let without_itself: Vec<Action> = help
                .iter()
                .copied()
                .filter(|a| *a != Action::Palette)
                .collect();
            assert_eq!(
                palette, without_itself,
                "{email}, tab {digit}: the palette lists what help lists"
            );
            for &action in Context::Global.actions() {
                let applies = match action {
                    Action::Tab3 => tabs >= 3,
                    Action::Tab4 => tabs == 4,
                    _ => true,
                };
                assert_eq!(
                    help.contains(&action),
                    applies,
                    "{email}, tab {digit}: {action} in help"
                );
                if action != Action::Palette {
                    assert_eq!(
                        palette.contains(&action),
                        applies,
                        "{email}, tab {digit}: {action} in the palette"
                    );
                }
            }
        }
        app.update(key(KeyCode::Char('?')));
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("!") && screen.contains("resolve conflicts"),
            "{email}: `!` is in help: {screen}"
        );
        app.update(key(KeyCode::Esc));
        app.update(key(KeyCode::Char(':')));
        for c in "conflicts".chars() {
            app.update(key(KeyCode::Char(c)));
        }
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("resolve conflicts"),
            "{email}: `!` is in the palette: {screen}"
        );
        app.update(key(KeyCode::Enter));
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("no conflicts to settle"),
            "{email}: run from the palette, it says there is nothing to settle: {screen}"
        );
        if let Some(client) = app.client() {
            client.shutdown().await;
        }
    }
}

/// While a yes/no question is open the hint bar lists what it takes (its answers, help and
/// the palette), not quit: `q` leaves the question open, since quitting would drop what it
/// asks about.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hint_bar_of_an_open_question_lists_what_it_takes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in_demo("sam@deskport.test", dir.path()).await;
    let hints = |app: &mut deskport::tui::app::App| {
        common::render::lines(app, 80, 24)
            .pop()
            .expect("the hint bar")
    };
    assert!(hints(&mut app).contains("q quit"), "{}", hints(&mut app));
    send(&mut app, [key('n')]);
    typed(&mut app, "A draft");
    send(&mut app, [key(KeyCode::Esc)]);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Discard this note? y/n"), "{screen}");
    let bar = hints(&mut app);
    assert!(
        bar.contains("y yes") && bar.contains("n no") && bar.contains("? help"),
        "{bar}"
    );
    assert!(!bar.contains("quit"), "q does not quit here: {bar}");
    send(&mut app, [key('q')]);
    assert!(render(&mut app, 80, 24).contains("Discard this note? y/n"));
}
