//! End-to-end tests of the terminal app: the real `deskport` binary in a pseudo-terminal with
//! temporary data and config dirs, its screen parsed with vt100. Every step waits until the
//! screen shows what it should (with a timeout) instead of sleeping.

mod common;

use common::pty::{App, Dirs};
use std::path::Path;

fn find(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// The terminal is given back: after the last time the app entered the alternate screen
/// (and turned on mouse capture and bracketed paste), it left them again.
fn assert_restored(app: &App, cooked: &str) {
    let out = app.output();
    let entered = *find(&out, b"\x1b[?1049h")
        .last()
        .expect("the app entered the alternate screen");
    for (what, seq) in [
        ("alternate screen", &b"\x1b[?1049l"[..]),
        ("mouse capture", b"\x1b[?1000l"),
        ("bracketed paste", b"\x1b[?2004l"),
    ] {
        assert!(
            find(&out, seq).iter().any(|&i| i > entered),
            "{what} was not turned off"
        );
    }
    let parser = app.parser();
    let screen = parser.screen();
    assert!(!screen.alternate_screen());
    assert!(!screen.bracketed_paste());
    assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    assert_eq!(app.termios(), cooked, "raw mode was left on");
}

#[test]
fn embedded_start_admin_tabs_help_quit() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &[], &[], (100, 30));
    let cooked = app.termios();
    app.wait_for("Choose an account:");
    let screen = app.wait_for("▶ Ada Lovelace");
    assert!(
        screen.contains("customer · Acme") && screen.contains("not signed in · embedded"),
        "{screen}"
    );
    assert_ne!(app.termios(), cooked, "the app runs in raw mode");

    app.send("\r");
    let screen = app.wait_for("of 300");
    assert!(
        screen.contains("[1 Tickets]")
            && screen.contains("2 Routing")
            && screen.contains("3 Portal"),
        "{screen}"
    );
    app.wait_for("ada@deskport.test · admin · embedded │ ● online");

    app.send("2");
    app.wait_until("the routing tab", |s| {
        s.contains("[2 Routing]") && s.contains("Routing rules (4)")
    });

    app.send(":");
    app.wait_for("Commands");
    app.send("tickets");
    app.wait_for("▶ go to Tickets");
    app.send("\r");
    app.wait_until("the tickets tab", |s| {
        s.contains("[1 Tickets]") && !s.contains("Commands")
    });

    app.send("\t\t");
    app.wait_until("the portal tab", |s| {
        s.contains("[3 Portal]") && s.contains("[General]")
    });
    app.send("?");
    let help = app.wait_for("Help: Portal");
    assert!(
        help.contains("go to Routing") && help.contains("q, Ctrl-C"),
        "{help}"
    );
    app.send("\x1b");
    app.wait_until("help to close", |s| !s.contains("Help: Portal"));
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&app, &cooked);
    assert!(
        !dirs.data().join("embedded/server.lock").exists(),
        "the lock file is removed on quit"
    );
    let log = std::fs::read_to_string(dirs.data().join("logs/deskport.log")).unwrap();
    assert!(log.contains("embedded server started"), "{log}");
}

#[test]
fn customer_sees_no_routing_or_portal() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "carla@acme.test"], &[], (80, 24));
    let screen = app.wait_for("Your tickets · ");
    assert!(
        screen.contains("[1 Tickets]") && screen.contains("2 Account"),
        "{screen}"
    );
    assert!(
        !screen.contains("Routing") && !screen.contains("Portal ("),
        "{screen}"
    );
    app.send("3");
    app.send("2");
    app.wait_until("the account tab", |s| {
        s.contains("[2 Account]") && s.contains("carla@acme.test")
    });
    app.send(":");
    app.wait_for("Commands");
    app.send("routing");
    app.wait_for("no matching command");
    app.send("\x1b");
    app.wait_until("the palette to close", |s| !s.contains("Commands"));
    app.send("\x03");
    let status = app.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_panic_restores_the_terminal() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &[], &[("DESKPORT_TEST_PANIC", "1")], (80, 24));
    let cooked = app.termios();
    let status = app.wait_exit();
    assert!(!status.success());
    assert_restored(&app, &cooked);
    let text = String::from_utf8_lossy(&app.output()).to_string();
    assert!(text.contains("DESKPORT_TEST_PANIC"), "{text}");
}

#[test]
fn a_second_instance_joins_the_embedded_server() {
    let dirs = Dirs::new();
    let mut first = App::start(&dirs, &[], &[], (80, 24));
    let screen = first.wait_for("Choose an account:");
    let url = |s: &str| {
        s.split("embedded at ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_string)
    };
    let address = url(&screen).unwrap();
    let lock = std::fs::read_to_string(dirs.data().join("embedded/server.lock")).unwrap();
    assert!(lock.contains(&address), "{lock}");

    let mut second = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (80, 24));
    second.wait_for("sam@deskport.test · agent · embedded │ ● online");
    let mut third = App::start(&dirs, &[], &[], (80, 24));
    let screen = third.wait_for("Choose an account:");
    assert_eq!(url(&screen), Some(address));

    for app in [&mut third, &mut second, &mut first] {
        app.send("q");
        assert!(app.wait_exit().success());
    }
    assert!(
        Path::new(&dirs.data())
            .join("embedded/deskport.db")
            .exists()
    );
}

#[test]
fn a_joined_instance_takes_over_the_embedded_server_as_a_short_reconnect() {
    let dirs = Dirs::new();
    let mut host = App::start(&dirs, &[], &[], (80, 24));
    host.wait_for("Choose an account:");
    let mut joined = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (100, 30));
    joined.wait_for("● online");
    let before = joined.output().len();
    let lock = dirs.data().join("embedded/server.lock");
    host.kill_hard();

    // Until the joined app is back online on a server of its own, no screen it shows calls
    // the takeover an error or the server unreachable.
    let deadline = std::time::Instant::now() + common::pty::TIMEOUT;
    let pid = joined.pid().to_string();
    loop {
        let screen = joined.contents();
        for bad in ["Error", "error:", "refused", "offline", "cannot be reached"] {
            assert!(
                !screen.contains(bad),
                "{bad:?} during the takeover:\n{screen}"
            );
        }
        let owner = std::fs::read_to_string(&lock).unwrap_or_default();
        let taken = owner.lines().next() == Some(pid.as_str());
        let written = String::from_utf8_lossy(&joined.output()[before..]).to_string();
        if taken && written.contains("reconnecting") && screen.contains("● online") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no takeover; the screen shows:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let written = String::from_utf8_lossy(&joined.output()[before..]).to_string();
    for bad in ["Error", "error:", "refused"] {
        assert!(!written.contains(bad), "{bad:?} written: {written}");
    }
    joined.send("q");
    assert!(joined.wait_exit().success());
}

#[test]
fn sign_in_says_why_an_unknown_user_is_not_signed_in_and_esc_does_not_quit() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "nobody@example.test"], &[], (100, 30));
    app.wait_for("--user nobody@example.test: no such demo account; choose one");
    app.send("\x1b");
    app.wait_for_running("Nothing to clear; Ctrl-C quits.");
    app.send("\x03");
    assert!(app.wait_exit().success());
}
