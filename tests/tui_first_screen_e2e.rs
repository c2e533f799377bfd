//! The first screen, end to end: quitting the app leaves the list's first rows and figures
//! in the cache, and the next start opens on them (the log says so) before loading the other
//! tickets: its very first list frame already shows the whole list's figures, and then the
//! same screen as the last run. The embedded demo server comes back on the same address, so
//! its clients keep their caches (and first screens) from run to run.

mod common;

use common::pty::{App, Dirs, server_url};
use common::{SAM, TestServer, demo_server};
use deskport::client::login;

/// The first `Tickets · …` title in everything the app wrote, up to the border after it.
fn first_title(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    let at = text.find("Tickets · ").expect("a list title was drawn");
    text[at..]
        .chars()
        .take_while(|c| *c != '─' && *c != '\u{1b}')
        .collect()
}

/// Whether `screen` shows the whole list: its title and the signed-in status bar.
fn drawn(screen: &str) -> bool {
    screen.contains("of 300") && screen.contains("sam@deskport.test · agent")
}

/// The list's title, queue bar, header and first rows.
fn first_rows(screen: &str) -> Vec<String> {
    screen.lines().skip(1).take(8).map(str::to_string).collect()
}

/// Waits until the app's log (written by a background thread) says `text`.
fn logged(path: &std::path::Path, text: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let log = std::fs::read_to_string(path).unwrap_or_default();
        if log.contains(text) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the log never said {text:?}: {log}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A demo server of `tickets` tickets (on the returned runtime) and fresh dirs in which Sam's
/// session is remembered, with the server's URL.
fn sam_remembered(tickets: usize) -> (tokio::runtime::Runtime, TestServer, Dirs, String) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ts = rt.block_on(demo_server(tickets));
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    let session = rt
        .block_on(login(&url, SAM, common::DEMO_PASSWORD))
        .unwrap();
    session.save(&dirs.config()).unwrap();
    (rt, ts, dirs, url)
}

fn start(dirs: &Dirs, url: &str) -> App {
    App::start(dirs, &["--server", url], &[("RUST_LOG", "info")], (120, 30))
}

#[test]
fn quitting_leaves_the_first_screen_and_the_next_start_opens_on_it() {
    let (_rt, _ts, dirs, url) = sam_remembered(300);

    let mut app = start(&dirs, &url);
    let first = app.wait_until("the list drawn whole", drawn);
    app.send("q");
    assert!(app.wait_exit().success());
    let log_path = dirs.data().join("logs").join("deskport.log");
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        !log.contains("opening on the first screen"),
        "nothing left yet: {log}"
    );

    let mut app = start(&dirs, &url);
    app.wait_until("the list drawn whole", drawn);
    logged(&log_path, "opening on the first screen the last run left");
    let title = first_title(&app.output());
    assert!(
        title.contains("of 300"),
        "the first list frame has the whole list's figures: {title}"
    );
    // A frame arrives in pieces: compare whole ones (the one with the status bar, which is
    // drawn last and changes from the sign-in screen's).
    app.wait_until("the same screen as the last run", |screen| {
        drawn(screen) && first_rows(screen) == first_rows(&first)
    });
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn the_embedded_server_keeps_its_address_so_caches_and_first_screens_carry_over() {
    let dirs = Dirs::new();
    let embedded =
        |dirs: &Dirs| App::start(dirs, &["--user", SAM], &[("RUST_LOG", "info")], (120, 30));
    let mut app = embedded(&dirs);
    app.wait_until("the list", |s| {
        s.contains("Tickets · ") && s.contains(" of ")
    });
    let url = server_url(&dirs);
    app.send("q");
    assert!(app.wait_exit().success());

    let mut app = embedded(&dirs);
    app.wait_until("the list", |s| {
        s.contains("Tickets · ") && s.contains(" of ")
    });
    assert_eq!(server_url(&dirs), url, "the same address as the last run");
    logged(
        &dirs.data().join("logs").join("deskport.log"),
        "opening on the first screen the last run left",
    );
    let caches = std::fs::read_dir(dirs.data().join("cache"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "sqlite"))
        .count();
    assert_eq!(caches, 1, "one cache for the one account, reused");
    app.send("q");
    assert!(app.wait_exit().success());
}

#[test]
fn the_first_sync_leaves_the_cursor_on_the_first_row() {
    // More tickets than one sync page, so the list is drawn while it fills.
    let (_rt, _ts, dirs, url) = sam_remembered(6_000);
    let mut app = start(&dirs, &url);
    let screen = app.wait_until("the first sync done", |s| {
        s.contains("of 6000") && s.contains("· synced")
    });
    let first_row = screen.lines().nth(4).unwrap_or_default();
    assert!(
        first_row.contains('▶'),
        "the cursor on the first row:\n{screen}"
    );
    app.send("q");
    assert!(app.wait_exit().success());
}
