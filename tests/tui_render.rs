//! Render tests of the terminal app: the real app state over a real client of a demo server,
//! drawn into ratatui's `TestBackend` at 80×24 and 120×40 and compared with insta snapshots.
//! The only thing that varies between runs, the time of the last sync, is masked.

mod common;

use chrono::TimeZone;
use common::code_in;
use common::render::{
    Drawn, app, app_on, buffer, ctrl, demo_logins, eml_files, key, lines, mail_when, next, render,
    render_hashed, serve, settle, shared_demo_url, signed_in_demo, synced_client, typed,
};
use crossterm::event::{Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use deskport::client::{Connection, SyncStatus};
use deskport::domain::Role;
use deskport::tui::components::widgets::status_bar::{self, Identity, StatusInfo};
use deskport::tui::components::{Binding, DrawCtx};
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use deskport::tui::{Msg, Server};
use ratatui::style::{Color, Modifier};

/// The embedded server at a fixed address, offering the demo accounts.
fn embedded() -> Server {
    Server::Embedded {
        url: "http://127.0.0.1:7878".into(),
        logins: demo_logins(),
    }
}

#[test]
fn signin_lists_the_demo_accounts_with_role_and_company() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(embedded(), dir.path()).0;
    insta::assert_snapshot!("signin_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("signin_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    let lines = lines(&mut app, 80, 24);
    let carla = lines
        .iter()
        .find(|l| l.contains("carla@acme.test"))
        .unwrap();
    assert!(
        carla.contains("▶ Carla Reyes") && carla.contains("customer · Acme"),
        "{carla}"
    );
}

#[test]
fn signin_form_for_a_configured_server() {
    let dir = tempfile::tempdir().unwrap();
    let remote = Server::Remote {
        url: "https://help.example.com".into(),
    };
    let mut app = app_on(remote, dir.path()).0;
    typed(&mut app, "ada@example.com");
    app.update(key(KeyCode::Tab));
    typed(&mut app, "secret");
    insta::assert_snapshot!("signin_form_80x24", render(&mut app, 80, 24));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("••••••") && !screen.contains("secret"));
}

#[test]
fn signin_help_and_palette() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(embedded(), dir.path()).0;
    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!("signin_help_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char(':')));
    insta::assert_snapshot!("signin_palette_80x24", render(&mut app, 80, 24));
}

#[test]
fn signin_form_checks_empty_fields_here_and_esc_clears_instead_of_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let remote = Server::Remote {
        url: "https://help.example.com".into(),
    };
    let (mut app, _rx) = app_on(remote, dir.path());
    typed(&mut app, "ada@example.com");
    app.update(key(KeyCode::Enter));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("enter a password"), "{screen}");
    assert!(!screen.contains("Signing in"), "nothing was sent: {screen}");
    app.update(key(KeyCode::BackTab));
    app.update(key(KeyCode::Esc));
    assert!(!app.should_quit());
    let screen = render(&mut app, 80, 24);
    assert!(
        !screen.contains("ada@example.com"),
        "Esc cleared the email: {screen}"
    );
    app.update(key(KeyCode::Esc));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Nothing to clear; Ctrl-C quits."),
        "{screen}"
    );
    assert!(!app.should_quit());
    app.update(key(KeyCode::Char('?')));
    app.update(key(KeyCode::Char(':')));
    app.update(key(KeyCode::F(1)));
    let help = render(&mut app, 80, 24);
    insta::assert_snapshot!("signin_form_help_80x24", help);
    assert!(
        !help.contains("palette") && !help.contains("commands"),
        "the palette cannot be opened on the form: {help}"
    );
    app.update(ctrl('c'));
    assert!(app.should_quit());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signin_by_emailed_code_when_the_server_offers_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let remote = Server::Remote { url };
    let (mut app, mut rx) = app_on(remote, dir.path());
    app.update(ctrl('e'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("enter your email first"), "{screen}");
    typed(&mut app, "carla@acme.test");
    app.update(ctrl('e'));
    let sent = next(&mut rx, |m| matches!(m, Msg::CodeSent { .. })).await;
    app.update(sent);
    insta::assert_snapshot!("signin_code_80x24", render_hashed(&mut app, 80, 24));
    let mail = mail_when(dir.path(), |m| m.contains("carla@acme.test")).await;
    assert_eq!(eml_files(dir.path()).len(), 1);
    typed(&mut app, &code_in(&mail));
    app.update(key(KeyCode::Enter));
    let signed_in = next(&mut rx, |m| matches!(m, Msg::SignedIn(_) | Msg::Consent(_))).await;
    assert!(!matches!(signed_in, Msg::SignedIn(Err(_))));
    app.update(signed_in);
    assert_eq!(
        app.client().unwrap().session().account.email,
        "carla@acme.test"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signin_by_code_says_so_when_the_server_does_not_offer_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), false).await;
    let remote = Server::Remote { url };
    let (mut app, mut rx) = app_on(remote, dir.path());
    typed(&mut app, "someone@example.test");
    app.update(ctrl('e'));
    let sent = next(&mut rx, |m| matches!(m, Msg::CodeSent { .. })).await;
    app.update(sent);
    let screen = render(&mut app, 100, 24);
    assert!(
        screen.contains("this portal does not offer sign-in by email code"),
        "{screen}"
    );
    assert!(
        screen.contains("Password"),
        "still on the password: {screen}"
    );
}

/// Background work reaches the screen only as a message on the app's channel: the thread of
/// an opened ticket is not drawn until the app takes the `Msg::Done` carrying it, and taking
/// it asks for a redraw (no shared slot read behind the event loop's back, no faked client
/// event).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loaded_thread_arrives_as_a_message_and_asks_for_a_redraw() {
    let dir = tempfile::tempdir().unwrap();
    let url = shared_demo_url();
    let email = "sam@deskport.test";
    let password = deskport::server::demo::DEMO_PASSWORD;
    let client = synced_client(url, email, password, &dir.path().join(email), false).await;
    let (mut app, mut rx) = app(url, dir.path());
    assert!(app.update(Msg::SignedIn(Ok(client))));
    app.update(key(KeyCode::Enter));
    assert!(render(&mut app, 120, 40).contains("Loading the thread"));
    // The Account pane's reads (language, SSH keys) answer on the same channel.
    let is_thread = |m: &Msg| matches!(m, Msg::Done(d) if matches!(d.answer, deskport::tui::msg::Answer::Thread(_)));
    let done = next(&mut rx, is_thread).await;
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Loading the thread"),
        "nothing but the message brings the thread: {screen}"
    );
    assert!(app.update(done), "the answer asks for a redraw");
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("Loading the thread"), "{screen}");
    assert!(screen.contains("── reply · "), "{screen}");
}

/// The status bar alone, as the app draws it.
struct Bar(StatusBarState);

struct StatusBarState {
    identity: Identity,
    sync: SyncStatus,
    now: chrono::DateTime<chrono::Local>,
}

impl Drawn for Bar {
    fn draw_frame(&mut self, frame: &mut ratatui::Frame) {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let keymap = Keymap::defaults().unwrap();
        let ctx = DrawCtx {
            theme: &theme,
            keymap: &keymap,
            focused: true,
        };
        let hints: Vec<Binding> = Vec::new();
        let info = StatusInfo {
            identity: Some(&self.0.identity),
            server: "help.example.com",
            sync: Some(&self.0.sync),
            now: self.0.now,
            notice: None,
            hints: &hints,
        };
        status_bar::draw(frame, frame.area(), &info, ctx);
    }
}

#[test]
fn the_status_bar_drops_whole_parts_when_narrow() {
    let synced = chrono::Local
        .with_ymd_and_hms(2026, 3, 4, 14, 3, 22)
        .single()
        .unwrap();
    let mut bar = Bar(StatusBarState {
        identity: Identity {
            email: "ada@deskport.test".into(),
            role: Role::Admin,
        },
        sync: SyncStatus {
            connection: Connection::Offline,
            last_sync: Some(synced.with_timezone(&chrono::Utc)),
            pending_writes: 2,
            ..SyncStatus::default()
        },
        now: synced + chrono::TimeDelta::hours(1),
    });
    for width in [60, 80, 120] {
        let shown = render(&mut bar, width, 2);
        insta::assert_snapshot!(format!("status_bar_offline_pending_{width}"), shown);
        assert!(
            shown.contains("○ offline") && shown.contains("2 pending"),
            "{shown}"
        );
    }
    bar.0.sync.conflicts = 1;
    let shown = render(&mut bar, 60, 2);
    assert!(shown.contains("1 conflict (! to settle)"), "{shown}");
}

#[test]
fn too_small_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(embedded(), dir.path()).0;
    insta::assert_snapshot!("too_small_50x10", render(&mut app, 50, 10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_tabs_status_bar_help_and_palette() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in_demo("ada@deskport.test", dir.path()).await;
    insta::assert_snapshot!("admin_tickets_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("admin_tickets_120x40", render(&mut app, 120, 40));
    insta::assert_snapshot!("admin_tickets_100x30", render(&mut app, 100, 30));
    insta::assert_snapshot!("admin_tickets_200x50", render(&mut app, 200, 50));

    let buffer = buffer(&mut app, 80, 24);
    let active_tab = &buffer[(10, 0)];
    assert_eq!(active_tab.symbol(), "[");
    assert_eq!(active_tab.bg, Color::Cyan);
    assert!(active_tab.modifier.contains(Modifier::BOLD));
    assert_eq!(
        buffer[(1, 4)].symbol(),
        "▶",
        "the selected row is marked, not only coloured"
    );
    assert_eq!(buffer[(1, 4)].bg, Color::Cyan);
    assert_eq!(
        buffer[(60, 4)].bg,
        Color::Cyan,
        "the selection spans the row"
    );

    app.update(key(KeyCode::Char('2')));
    insta::assert_snapshot!("admin_routing_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Tab));
    insta::assert_snapshot!("admin_portal_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::BackTab));
    app.update(key(KeyCode::BackTab));

    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!("admin_help_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("admin_help_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Char('q')));
    assert!(!app.should_quit(), "q closes help rather than quitting");

    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "port");
    insta::assert_snapshot!("admin_palette_80x24", render(&mut app, 80, 24));
    assert!(!app.should_quit());
    app.update(key(KeyCode::Enter));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("[3 Portal]"), "{screen}");

    app.update(Msg::Terminal(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 14,
        row: 0,
        modifiers: KeyModifiers::NONE,
    })));
    assert!(
        render(&mut app, 80, 24).contains("[1 Tickets]"),
        "a click on a tab shows it"
    );
    app.update(Msg::Terminal(Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 20,
        row: 10,
        modifiers: KeyModifiers::NONE,
    })));
    let lines = lines(&mut app, 80, 24);
    assert!(
        lines[7].contains("▶  #297"),
        "the wheel moves the selection: {}",
        lines[7]
    );

    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_gets_read_only_routing_and_portal() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in_demo("sam@deskport.test", dir.path()).await;
    insta::assert_snapshot!("agent_tickets_80x24", render(&mut app, 80, 24));
    app.update(key(KeyCode::Char('3')));
    insta::assert_snapshot!("agent_portal_80x24", render(&mut app, 80, 24));
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_gets_tickets_and_account_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in_demo("carla@acme.test", dir.path()).await;
    insta::assert_snapshot!("customer_tickets_80x24", render(&mut app, 80, 24));
    insta::assert_snapshot!("customer_tickets_120x40", render(&mut app, 120, 40));
    app.update(key(KeyCode::Char('3')));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("[1 Tickets]")
            && !screen.contains("Routing")
            && !screen.contains("Portal ("),
        "{screen}"
    );
    app.update(key(KeyCode::Char('2')));
    // The keys section is read in the background: wait for it.
    insta::assert_snapshot!(
        "customer_account_80x24",
        settle(&mut app, 80, 24, "None yet").await
    );
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "routing");
    assert!(render(&mut app, 80, 24).contains("no matching command"));
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}
