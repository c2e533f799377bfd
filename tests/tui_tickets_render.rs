//! Render tests of the Tickets pane, for an agent and a customer, at 80×24 and 120×40: the
//! list with its preview, the list alone, the full thread, the owner picker with its counts,
//! marked rows and the bulk confirmation. Also a few styles asserted directly (selected row,
//! marked row, pending marker, internal note), since snapshots drop styles.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{Client, ClientConfig, Connection, Write, login};
use deskport::domain::wire::StaffTicketPatch;
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD};
use deskport::server::{ServerConfig, start};
use deskport::tui::components::tickets::Tickets;
use deskport::tui::components::{Component, DrawCtx};
use deskport::tui::keymap::Keymap;
use deskport::tui::theme::{Theme, ThemeChoice};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One demo server for the whole file, on its own runtime thread.
fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let config = ServerConfig {
                    data_dir: dir.path().join("server"),
                    demo: true,
                    demo_tickets: DEFAULT_TICKETS,
                    smtp: None,
                };
                let server = start(&config, "127.0.0.1:0".parse().unwrap())
                    .await
                    .unwrap();
                tx.send(format!("http://{}", server.addr)).unwrap();
                std::future::pending::<()>().await;
                drop((server, dir));
            });
        });
        rx.recv().unwrap()
    })
}

/// A client of `email` synced with the demo server (or, `offline`, reading the cache only).
async fn client(email: &str, dir: &std::path::Path, offline: bool) -> Client {
    let session = login(server_url(), email, DEMO_PASSWORD).await.unwrap();
    let mut config = ClientConfig::new(dir);
    config.offline = offline;
    let client = Client::start(config, session).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if offline {
            break;
        }
        let ready = {
            let view = client.view();
            view.status.connection == Connection::Online
                && view.status.last_sync.is_some()
                && view.portal.is_some()
        };
        if ready {
            break;
        }
        assert!(Instant::now() < deadline, "the client did not sync");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client
}

fn buffer(pane: &mut Tickets, width: u16, height: u16) -> Buffer {
    let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
    let keymap = Keymap::defaults().unwrap();
    let ctx = DrawCtx {
        theme: &theme,
        keymap: &keymap,
        focused: true,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| pane.draw(f, f.area(), ctx)).unwrap();
    terminal.backend().buffer().clone()
}

fn lines(pane: &mut Tickets, width: u16, height: u16) -> Vec<String> {
    let buffer = buffer(pane, width, height);
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

fn render(pane: &mut Tickets, width: u16, height: u16) -> String {
    lines(pane, width, height)
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn act(pane: &mut Tickets, action: deskport::tui::action::Action) {
    pane.handle(action);
}

/// Opens the selected ticket and waits until its thread has arrived.
async fn open(pane: &mut Tickets) {
    act(pane, deskport::tui::action::Action::Confirm);
    let deadline = Instant::now() + Duration::from_secs(10);
    while render(pane, 120, 40).contains("Loading the thread") {
        assert!(Instant::now() < deadline, "the thread did not load");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn type_filter(pane: &mut Tickets, text: &str) {
    act(pane, deskport::tui::action::Action::Filter);
    for c in text.chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    act(pane, deskport::tui::action::Action::Confirm);
}

fn style_at(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    (0..area.height).find_map(|y| {
        let line: Vec<&str> = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        let joined = line.concat();
        joined.find(needle).map(|byte| {
            let col = joined[..byte].chars().count();
            (u16::try_from(col).unwrap(), y)
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_list_preview_and_thread() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let mut pane = Tickets::new(client.clone());
    insta::assert_snapshot!("agent_list_preview_80x24", render(&mut pane, 80, 24));
    insta::assert_snapshot!("agent_list_preview_120x40", render(&mut pane, 120, 40));

    let buf = buffer(&mut pane, 120, 40);
    let (x, y) = style_at(&buf, "▶  #").unwrap();
    assert_eq!(
        buf[(x, y)].bg,
        Color::Cyan,
        "the selected row is highlighted"
    );
    assert_eq!(buf[(x + 30, y)].bg, Color::Cyan, "across the row");

    act(&mut pane, Action::TogglePreview);
    act(&mut pane, Action::NextQueue);
    insta::assert_snapshot!("agent_list_waiting_80x24", render(&mut pane, 80, 24));
    act(&mut pane, Action::PrevQueue);
    act(&mut pane, Action::SortNext);
    act(&mut pane, Action::SortReverse);
    let screen = render(&mut pane, 120, 40);
    assert!(
        screen.contains("# ▲"),
        "sorted by number, ascending: {screen}"
    );
    act(&mut pane, Action::SortNext);
    type_filter(&mut pane, "invoice stage:waiting_on_us");
    insta::assert_snapshot!("agent_list_filtered_120x40", render(&mut pane, 120, 40));

    open(&mut pane).await;
    insta::assert_snapshot!("agent_thread_120x40", render(&mut pane, 120, 40));
    insta::assert_snapshot!("agent_thread_80x24", render(&mut pane, 80, 24));
    act(&mut pane, Action::Close);
    assert!(render(&mut pane, 80, 24).contains("Tickets ·"));
    act(&mut pane, Action::SetPriority);
    act(&mut pane, Action::Down);
    insta::assert_snapshot!("agent_priority_picker_80x24", render(&mut pane, 80, 24));
    act(&mut pane, Action::Close);
    assert!(!render(&mut pane, 80, 24).contains("Priority of #"));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_notes_are_labelled_and_styled_apart() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("ada@deskport.test", dir.path(), false).await;
    let with_note = {
        let mut found = None;
        let ids: Vec<i64> = client.view().tickets().map(|t| t.id()).take(60).collect();
        for id in ids {
            let thread = client.ticket_detail(id).await.unwrap();
            if thread.detail.messages.iter().any(|m| m.internal) {
                found = Some(id);
                break;
            }
        }
        found.expect("a demo ticket with an internal note")
    };
    let mut pane = Tickets::new(client.clone());
    pane.set_filter(&format!("#{with_note} "));
    open(&mut pane).await;
    let buf = buffer(&mut pane, 120, 40);
    let (x, y) = style_at(&buf, "── internal note").expect("an internal note label");
    assert_eq!(buf[(x, y)].fg, Color::Yellow, "internal notes stand out");
    assert_eq!(
        buf[(x, y + 1)].symbol(),
        "┃",
        "and are barred, not only coloured"
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_shows_at_once_marked_pending() {
    let dir = tempfile::tempdir().unwrap();
    client("sam@deskport.test", dir.path(), false)
        .await
        .shutdown()
        .await;
    let offline = client("sam@deskport.test", dir.path(), true).await;
    let t = offline
        .view()
        .tickets()
        .find(|t| !t.is_closed())
        .cloned()
        .unwrap();
    let patch = StaffTicketPatch {
        owner_id: Some(Some(offline.session().account.id)),
        ..StaffTicketPatch::default()
    };
    offline
        .submit(Write::PatchTicket {
            id: t.id(),
            base_version: t.version(),
            patch,
        })
        .await
        .unwrap();
    let mut pane = Tickets::new(offline.clone());
    pane.handle(deskport::tui::action::Action::TogglePreview);
    pane.set_filter(&format!("#{} ", t.id()));
    let buf = buffer(&mut pane, 120, 40);
    let (x, y) = style_at(&buf, "⧗ pending").expect("a pending marker");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    assert!(lines(&mut pane, 120, 40)[y as usize].contains("Sam Carter"));
    offline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_list_and_thread() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("carla@acme.test", dir.path(), false).await;
    let mut pane = Tickets::new(client.clone());
    insta::assert_snapshot!("customer_list_80x24", render(&mut pane, 80, 24));
    insta::assert_snapshot!("customer_list_120x40", render(&mut pane, 120, 40));
    open(&mut pane).await;
    let screen = render(&mut pane, 120, 40);
    assert!(
        !screen.contains("internal note") && !screen.contains("Owner"),
        "{screen}"
    );
    insta::assert_snapshot!("customer_thread_120x40", screen);
    insta::assert_snapshot!("customer_thread_80x24", render(&mut pane, 80, 24));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_assign_picker_marks_and_bulk_confirmation() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let mut pane = Tickets::new(client.clone());
    act(&mut pane, Action::TogglePreview);

    act(&mut pane, Action::Assign);
    insta::assert_snapshot!("agent_assign_picker_80x24", render(&mut pane, 80, 24));
    let screen = render(&mut pane, 120, 40);
    insta::assert_snapshot!("agent_assign_picker_120x40", screen.clone());
    let users: Vec<(i64, String)> = client
        .view()
        .users
        .values()
        .map(|u| (u.id, u.name.clone()))
        .collect();
    assert!(users.len() >= 3, "the demo has three staff accounts");
    for (id, name) in users {
        let open = client
            .view()
            .tickets()
            .filter(|t| !t.is_closed() && t.owner_id() == Some(id))
            .count();
        let listed = format!("  {open} open ");
        assert!(
            screen
                .lines()
                .any(|l| l.contains(&name) && l.contains(&listed)),
            "{name} with {open} open tickets: {screen}"
        );
    }
    assert!(screen.contains("nobody"), "{screen}");
    act(&mut pane, Action::Close);

    act(&mut pane, Action::Mark);
    act(&mut pane, Action::Down);
    act(&mut pane, Action::MarkRange);
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("· 3 marked"), "{screen}");
    assert_eq!(screen.matches('✓').count(), 3, "{screen}");
    insta::assert_snapshot!("agent_marked_rows_80x24", render(&mut pane, 80, 24));
    let buf = buffer(&mut pane, 120, 40);
    let (x, y) = style_at(&buf, " ✓").unwrap();
    assert!(
        buf[(x + 4, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD),
        "marked rows are bold, not only ticked"
    );

    act(&mut pane, Action::Assign);
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("Owner of 3 marked"), "{screen}");
    act(&mut pane, Action::Top);
    act(&mut pane, Action::Confirm);
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("Assign 3 tickets to "), "{screen}");
    insta::assert_snapshot!("agent_bulk_confirm_120x40", screen);
    insta::assert_snapshot!("agent_bulk_confirm_80x24", render(&mut pane, 80, 24));
    act(&mut pane, Action::Close);
    let screen = render(&mut pane, 120, 40);
    assert!(
        !screen.contains("Assign 3") && screen.contains("3 marked"),
        "declining sends nothing and keeps the marks: {screen}"
    );
    assert_eq!(client.view().pending_writes(), 0);
    act(&mut pane, Action::Close);
    assert!(!render(&mut pane, 120, 40).contains("marked"));
    act(&mut pane, Action::MarkAll);
    let shown = pane.shown_len();
    assert!(render(&mut pane, 120, 40).contains(&format!("· {shown} marked")));
    act(&mut pane, Action::MarkAll);
    assert!(!render(&mut pane, 120, 40).contains("marked"));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_change_reports_successes_and_failures() {
    use deskport::client::ClientEvent;
    use deskport::domain::wire::BulkRequest;
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let mut events = client.subscribe();
    let patch = StaffTicketPatch {
        tags: Some(vec!["never-applied".into()]),
        ..StaffTicketPatch::default()
    };
    let write = Write::Bulk(BulkRequest {
        ids: vec![9_999_998, 9_999_999],
        patch,
    });
    let id = client.submit(write).await.unwrap();
    let done = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match events.recv().await {
                Ok(ClientEvent::BulkDone {
                    write,
                    succeeded,
                    failed,
                    ..
                }) if write == id => return (succeeded, failed),
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("{e}"),
            }
        }
    })
    .await
    .expect("the bulk change was answered");
    assert_eq!(done.0, 0);
    let ids: Vec<i64> = done.1.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [9_999_998, 9_999_999]);
    assert!(done.1[0].1.contains("no such ticket"), "{:?}", done.1);
    client.shutdown().await;
}

/// Opens "who can see this ticket?" and waits until the server's answer is drawn.
async fn who_can_see(pane: &mut Tickets) -> String {
    act(pane, deskport::tui::action::Action::WhoCanSee);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = render(pane, 120, 40);
        if !screen.contains("Asking the server") {
            return screen;
        }
        assert!(Instant::now() < deadline, "the audience did not load");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_can_see_a_ticket_for_staff_only() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let ada = client("ada@deskport.test", dir.path(), false).await;
    let id = ada
        .view()
        .tickets()
        .filter(|t| t.requester_email() == Some("dan@acme.test"))
        .map(|t| t.id())
        .min()
        .expect("a ticket of Dan's");
    let mut pane = Tickets::new(ada.clone());
    assert!(
        pane.commands()
            .iter()
            .any(|c| c.action == Action::WhoCanSee),
        "staff get the key in their hints"
    );
    pane.set_filter(&format!("#{id} "));
    let screen = who_can_see(&mut pane).await;
    assert!(
        screen.contains(&format!("Who can see #{id} · contact mode")),
        "{screen}"
    );
    assert!(
        screen.contains("Dan Ito  <dan@acme.test>") && screen.contains("own ticket"),
        "{screen}"
    );
    assert!(!screen.contains("Carla"), "own tickets only: {screen}");
    insta::assert_snapshot!("admin_who_can_see_120x40", screen);
    insta::assert_snapshot!("admin_who_can_see_80x24", render(&mut pane, 80, 24));
    let hints: Vec<Action> = pane.commands().iter().map(|c| c.action).collect();
    assert!(hints.contains(&Action::Close), "{hints:?}");
    act(&mut pane, Action::Close);
    assert!(!render(&mut pane, 120, 40).contains("Who can see"));

    open(&mut pane).await;
    let screen = who_can_see(&mut pane).await;
    assert!(
        screen.contains(&format!("Who can see #{id}")),
        "from the open ticket too: {screen}"
    );
    act(&mut pane, Action::Close);
    assert!(render(&mut pane, 120, 40).contains("── description"));
    ada.shutdown().await;

    let offline = client("ada@deskport.test", dir.path(), true).await;
    let mut pane = Tickets::new(offline.clone());
    pane.set_filter(&format!("#{id} "));
    act(&mut pane, Action::WhoCanSee);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("needs the server"), "{screen}");
    offline.shutdown().await;

    let dir = tempfile::tempdir().unwrap();
    let customer = client("dan@acme.test", dir.path(), false).await;
    let mut pane = Tickets::new(customer.clone());
    assert!(
        !pane
            .commands()
            .iter()
            .any(|c| c.action == Action::WhoCanSee),
        "customers do not get the key"
    );
    let before = render(&mut pane, 80, 24);
    act(&mut pane, Action::WhoCanSee);
    assert_eq!(render(&mut pane, 80, 24), before, "and it does nothing");
    customer.shutdown().await;
}
