//! Render tests of the Tickets pane, for an agent and a customer, at 80×24 and 120×40: the
//! list with its preview, the list alone, the full thread, the owner picker with its counts,
//! marked rows and the bulk confirmation; a customer's preview with their support-form answers.
//! Also a few styles asserted directly (selected row, marked row, pending marker, internal
//! note), since snapshots drop styles, and the field block and message indent checked by row.

mod common;

use common::render::{Wired, buffer, client, lines, render, wired};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use deskport::client::Write;
use deskport::domain::wire::StaffTicketPatch;
use deskport::tui::components::Component;
use deskport::tui::components::panes::tickets::Tickets;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::time::{Duration, Instant};

fn act(pane: &mut Tickets, action: deskport::tui::action::Action) {
    pane.handle(action);
}

/// Opens the selected ticket and waits until its thread has arrived.
async fn open(pane: &mut Wired<Tickets>) {
    act(pane, deskport::tui::action::Action::Confirm);
    let deadline = Instant::now() + Duration::from_secs(10);
    while render(pane, 120, 40).contains("Loading the thread") {
        assert!(Instant::now() < deadline, "the thread did not load");
        pane.next(Duration::from_secs(10)).await;
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
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
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
    // The views do not all fit in 80 columns: the current one always shows, and `…` says
    // where views are left out.
    act(&mut pane, Action::NextQueue);
    act(&mut pane, Action::NextQueue);
    let bar = render(&mut pane, 80, 24)
        .lines()
        .nth(1)
        .unwrap_or("")
        .to_string();
    assert!(bar.contains("│… ") && bar.contains("[All 300]"), "{bar}");
    act(&mut pane, Action::PrevQueue);
    act(&mut pane, Action::PrevQueue);
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
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
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
    let mut pane = wired(|tasks| Tickets::new(offline.clone(), tasks));
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
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
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
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
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
async fn who_can_see(pane: &mut Wired<Tickets>) -> String {
    act(pane, deskport::tui::action::Action::WhoCanSee);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = render(pane, 120, 40);
        if !screen.contains("Asking the server") {
            return screen;
        }
        assert!(Instant::now() < deadline, "the audience did not load");
        pane.next(Duration::from_secs(10)).await;
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
    let mut pane = wired(|tasks| Tickets::new(ada.clone(), tasks));
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
    let mut pane = wired(|tasks| Tickets::new(offline.clone(), tasks));
    pane.set_filter(&format!("#{id} "));
    act(&mut pane, Action::WhoCanSee);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("needs the server"), "{screen}");
    offline.shutdown().await;

    let dir = tempfile::tempdir().unwrap();
    let customer = client("dan@acme.test", dir.path(), false).await;
    let mut pane = wired(|tasks| Tickets::new(customer.clone(), tasks));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_filter_is_remembered_when_kept_or_on_close_not_per_keystroke() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let state = client
        .cache_path()
        .parent()
        .unwrap()
        .join("tickets-sam_deskport_test.json");
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    type_filter(&mut pane, "invoice");
    assert_eq!(
        wired(|tasks| Tickets::new(client.clone(), tasks)).filter_text(),
        "invoice"
    );
    act(&mut pane, Action::Filter);
    // Re-opened, the filter is selected; End keeps it to add to.
    pane.input(&KeyEvent::new(KeyCode::End, KeyModifiers::NONE));
    for c in " owner:none".chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(!saved.contains("owner"), "written per keystroke: {saved}");
    drop(pane);
    let pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    assert_eq!(pane.filter_text(), "invoice owner:none", "kept on close");
    client.shutdown().await;
}

/// A ticket `client` sees whose support-form answers hold `key` (staff: an open one, so the
/// default view lists it; customers: one of their own).
fn with_answer(client: &deskport::client::Client, key: &str) -> i64 {
    use deskport::domain::wire::TicketOut;
    let view = client.view();
    view.tickets()
        .find(|t| match t.ticket() {
            TicketOut::Staff(row) => !t.is_closed() && row.ticket.form_fields.contains_key(key),
            TicketOut::Customer(c) => c.own && c.form_fields.contains_key(key),
        })
        .map(|t| t.id())
        .expect("a demo ticket with that answer")
}

/// Checks the full view drawn as `rows`: nothing touches the pane's side borders, and every
/// line of every message (a wrapped one too) keeps the message indent. Returns how many
/// message lines were checked.
fn assert_messages_indented(rows: &[String]) -> usize {
    let screen = rows.join("\n");
    let mut in_message = false;
    let mut checked = 0;
    for row in &rows[1..rows.len() - 1] {
        let cells: Vec<char> = row.chars().collect();
        let inner: String = cells[1..cells.len() - 1].iter().collect();
        assert!(
            inner.starts_with(' ') && inner.ends_with(' '),
            "nothing touches the border: {screen}"
        );
        if inner.trim_start().starts_with("── ") {
            in_message = true;
        } else if inner.trim().is_empty() {
            in_message = false;
        } else if in_message {
            assert!(
                inner.starts_with("   ") || inner.starts_with(" ┃ "),
                "every line of a message keeps the indent: {screen}"
            );
            checked += 1;
        }
    }
    checked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_category_tags_and_support_form_answers() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let id = with_answer(&client, "order_number");
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.set_filter(&format!("#{id} "));
    let screen = render(&mut pane, 120, 40);
    for wanted in [
        "│ Category  billing",
        "│ Tags      ",
        "│ Order or invoice number  ORD-",
    ] {
        assert!(
            screen.contains(wanted),
            "{wanted:?} in the preview: {screen}"
        );
    }
    open(&mut pane).await;
    let screen = render(&mut pane, 120, 40);
    for wanted in [
        "│ Category  billing",
        "│ Tags      ",
        "│ Order or invoice number  ORD-",
    ] {
        assert!(
            screen.contains(wanted),
            "{wanted:?} in the full view: {screen}"
        );
    }
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrapped_messages_keep_their_indent_off_the_border() {
    let dir = tempfile::tempdir().unwrap();
    let client = client("sam@deskport.test", dir.path(), false).await;
    let ids: Vec<i64> = client
        .view()
        .tickets()
        .filter(|t| !t.is_closed())
        .map(|t| t.id())
        .take(80)
        .collect();
    let mut long = None;
    for id in ids {
        let thread = client.ticket_detail(id).await.unwrap();
        let long_line =
            |m: &deskport::domain::wire::MessageOut| m.body.lines().any(|l| l.chars().count() > 90);
        if thread.detail.messages.iter().any(long_line) {
            long = Some(id);
            break;
        }
    }
    let id = long.expect("a demo ticket with a message longer than a line");
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.set_filter(&format!("#{id} "));
    open(&mut pane).await;
    for (w, h) in [(80, 24), (80, 60), (120, 40)] {
        let rows = lines(&mut pane, w, h);
        let checked = assert_messages_indented(&rows);
        assert!(checked > 0, "{}", rows.join("\n"));
    }
    let rows = lines(&mut pane, 80, 60);
    let text_at = |row: &String| row.starts_with("│   ") && row.chars().nth(4) != Some(' ');
    let wrapped = rows.windows(2).any(|w| text_at(&w[0]) && text_at(&w[1]));
    assert!(
        wrapped,
        "a message wrapped over two lines: {}",
        rows.join("\n")
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_preview_with_their_support_form_answers() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let client = client("carla@acme.test", dir.path(), false).await;
    let id = with_answer(&client, "contact_phone");
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    act(&mut pane, Action::TogglePreview);
    pane.set_filter(&format!("#{id} "));
    let screen = render(&mut pane, 80, 24);
    assert!(
        screen.contains("│ Phone number for a call back  +1 555 01"),
        "{screen}"
    );
    insta::assert_snapshot!("customer_preview_80x24", screen);
    let screen = render(&mut pane, 120, 40);
    assert!(
        !screen.contains("Tags") && !screen.contains("Owner"),
        "{screen}"
    );
    insta::assert_snapshot!("customer_preview_120x40", screen);
    open(&mut pane).await;
    let screen = render(&mut pane, 120, 40);
    assert!(
        screen.contains("│ Phone number for a call back  +1 555 01"),
        "the full view too: {screen}"
    );
    client.shutdown().await;
}

/// The header row of the ticket table at `width`×30.
fn header_at(pane: &mut Wired<Tickets>, width: u16) -> String {
    common::render::lines(pane, width, 30)
        .into_iter()
        .find(|l| l.contains("Subject"))
        .expect("a table header")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sort_key_cycles_only_through_the_columns_on_screen() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let client = common::render::client("sam@deskport.test", dir.path(), false).await;
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    // 120 columns with the preview beside the list, then 100 without it: both hide columns.
    for (width, toggle) in [(120, false), (100, true)] {
        if toggle {
            act(&mut pane, deskport::tui::action::Action::TogglePreview);
        }
        let header = header_at(&mut pane, width);
        assert!(!header.contains("Inbox"), "columns are hidden: {header}");
        let titles = [
            "#",
            "Subject",
            "Requester",
            "Company",
            "Stage",
            "Priority",
            "Owner",
        ];
        let shown = titles.iter().filter(|t| header.contains(*t)).count() + 1;
        for press in 0..2 * shown {
            act(&mut pane, Action::SortNext);
            let header = header_at(&mut pane, width);
            assert!(
                header.contains('▲') || header.contains('▼'),
                "press {press} at {width} columns sorts by a column on screen: {header}"
            );
        }
    }
    client.shutdown().await;
}

/// A ticket as the server has it, read by an admin over the API.
async fn on_server(url: &str, id: i64) -> serde_json::Value {
    let (ada, _) = common::pty::api_as(url, "ada@deskport.test").await;
    let detail = ada.ticket(id).await.unwrap().body;
    serde_json::to_value(&detail.ticket).unwrap()
}

/// Waits until the server's copy of ticket `id` passes `check`.
async fn until_on_server(
    url: &str,
    id: i64,
    what: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let ticket = on_server(url, id).await;
        if check(&ticket) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not reach the server: {ticket}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Replaces the text of the open prompt with `text` and applies it.
fn retype(pane: &mut Tickets, text: &str) {
    for _ in 0..200 {
        pane.input(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    for c in text.chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    act(pane, deskport::tui::action::Action::Confirm);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_tags_and_stage_keys_change_the_ticket_on_the_server() {
    use deskport::domain::Stage;
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = common::render::serve(dir.path(), true).await;
    let sam = common::render::synced_client(
        &url,
        "sam@deskport.test",
        deskport::server::demo::DEMO_PASSWORD,
        &dir.path().join("sam"),
        false,
    )
    .await;
    let id = sam
        .view()
        .tickets()
        .find(|t| !t.is_closed() && t.stage() != Some(Stage::New))
        .map(|t| t.id())
        .expect("an open ticket past the new stage");
    let mut pane = wired(|tasks| Tickets::new(sam.clone(), tasks));
    pane.set_filter(&format!("#{id} "));
    assert!(common::render::render(&mut pane, 120, 40).contains(&format!("▶  #{id} ")));

    act(&mut pane, Action::SetCategory);
    retype(&mut pane, "Refunds");
    until_on_server(&url, id, "the category", |t| t["category"] == "Refunds").await;

    act(&mut pane, Action::SetTags);
    retype(&mut pane, "vip, follow-up");
    until_on_server(&url, id, "the tags", |t| {
        let tags: Vec<&str> = t["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        tags.len() == 2 && tags.contains(&"vip") && tags.contains(&"follow-up")
    })
    .await;

    act(&mut pane, Action::SetStage);
    act(&mut pane, Action::Top);
    act(&mut pane, Action::Confirm);
    until_on_server(&url, id, "the stage", |t| t["stage"] == Stage::New.as_str()).await;
    sam.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_closes_and_reopens_a_ticket_with_x() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = common::render::serve(dir.path(), true).await;
    let carla = common::render::synced_client(
        &url,
        "carla@acme.test",
        deskport::server::demo::DEMO_PASSWORD,
        &dir.path().join("carla"),
        false,
    )
    .await;
    let id = carla
        .view()
        .tickets()
        .find(|t| !t.is_closed())
        .map(|t| t.id())
        .expect("an open ticket of Carla's");
    assert_ne!(on_server(&url, id).await["stage"], "closed");
    let mut pane = wired(|tasks| Tickets::new(carla.clone(), tasks));
    pane.set_filter(&format!("#{id} "));
    open(&mut pane).await;
    act(&mut pane, Action::ToggleClosed);
    let asked = render(&mut pane, 80, 24);
    assert!(asked.contains(&format!("Close #{id}? y/n")), "{asked}");
    act(&mut pane, Action::Close);
    assert!(
        !render(&mut pane, 80, 24).contains("y/n"),
        "no closes the question"
    );
    assert!(carla.view().outbox.is_empty(), "and sends nothing");
    assert_ne!(on_server(&url, id).await["stage"], "closed");
    act(&mut pane, Action::ToggleClosed);
    act(&mut pane, Action::Confirm);
    until_on_server(&url, id, "closing", |t| t["stage"] == "closed").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while carla
        .view()
        .ticket(id)
        .is_none_or(|t| !t.is_closed() || t.pending)
    {
        assert!(
            Instant::now() < deadline,
            "the client did not see it closed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    act(&mut pane, Action::ToggleClosed);
    assert!(
        !render(&mut pane, 80, 24).contains("y/n"),
        "reopening asks nothing"
    );
    until_on_server(&url, id, "reopening", |t| t["stage"] != "closed").await;
    carla.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_x_asks_before_closing_too() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = common::render::serve(dir.path(), true).await;
    let sam = common::render::synced_client(
        &url,
        "sam@deskport.test",
        deskport::server::demo::DEMO_PASSWORD,
        &dir.path().join("sam"),
        false,
    )
    .await;
    let id = sam
        .view()
        .tickets()
        .find(|t| !t.is_closed())
        .map(|t| t.id())
        .expect("an open ticket");
    let mut pane = wired(|tasks| Tickets::new(sam.clone(), tasks));
    pane.set_filter(&format!("#{id} "));
    act(&mut pane, Action::ToggleClosed);
    let asked = render(&mut pane, 80, 24);
    assert!(asked.contains(&format!("Close #{id}? y/n")), "{asked}");
    assert!(asked.contains("y/Enter: yes · n/Esc: no"), "{asked}");
    act(&mut pane, Action::Note);
    assert!(
        render(&mut pane, 80, 24).contains("y/n"),
        "other keys leave the question open"
    );
    // `q` too: handed on, it would quit the app from under the question.
    assert_ne!(
        pane.handle(Action::Quit),
        deskport::tui::components::Outcome::Ignored,
        "q is answered by the question, not passed on to quit"
    );
    assert!(
        render(&mut pane, 80, 24).contains("y/n"),
        "q leaves it open"
    );
    act(&mut pane, Action::Confirm);
    until_on_server(&url, id, "closing", |t| t["stage"] == "closed").await;
    sam.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_and_the_filter_survive_a_restart_of_the_pane() {
    use deskport::tui::action::Action;
    let dir = tempfile::tempdir().unwrap();
    let client = common::render::client("lin@deskport.test", dir.path(), false).await;
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    act(&mut pane, Action::NextQueue);
    type_filter(&mut pane, "invoice");
    let queue_bar = |pane: &mut Tickets| {
        common::render::lines(pane, 120, 40)
            .into_iter()
            .find(|l| l.contains("Unassigned"))
            .expect("the queue bar")
    };
    let before = queue_bar(&mut pane);
    assert!(before.contains("[Waiting on contact"), "{before}");
    let shown = pane.shown_len();
    drop(pane);
    let mut again = wired(|tasks| Tickets::new(client.clone(), tasks));
    assert_eq!(again.filter_text(), "invoice");
    assert_eq!(
        queue_bar(&mut again),
        before,
        "the same view, chosen on load"
    );
    assert_eq!(again.shown_len(), shown);
    client.shutdown().await;
}

/// The bottom two rows of the app at `width`×30, joined, spaces squeezed.
fn status_rows(app: &mut deskport::tui::app::App, width: u16) -> String {
    let rows = common::render::lines(app, width, 30);
    rows[rows.len() - 2..]
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_gets_the_whole_status_bar() {
    use deskport::client::{ClientEvent, WriteId};
    use deskport::tui::Msg;
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::render::signed_in_demo("sam@deskport.test", dir.path()).await;
    app.update(Msg::Client(ClientEvent::BulkDone {
        write: WriteId(1),
        description: "bulk change of 5 tickets".into(),
        succeeded: 5,
        failed: Vec::new(),
    }));
    let rows = status_rows(&mut app, 100);
    assert!(
        rows.contains("5 changed, 0 failed: bulk change of 5 tickets"),
        "counts first, whole: {rows}"
    );
    let message =
        "the host must be a domain name like help.acme.test, without a scheme, path or port";
    app.update(Msg::Client(ClientEvent::Rejected {
        write: WriteId(2),
        description: "adding the domain".into(),
        message: message.into(),
    }));
    let rows = status_rows(&mut app, 100);
    assert!(
        rows.contains(&format!("error: adding the domain refused: {message}")),
        "a long notice wraps onto the status line: {rows}"
    );
}

/// The hint bar (the last row) of the app at 120×40.
fn hint_bar(app: &mut deskport::tui::app::App) -> String {
    common::render::lines(app, 120, 40).pop().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn popups_of_the_pane_offer_no_tab_keys() {
    use common::render::{esc, key};
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::render::signed_in_demo("sam@deskport.test", dir.path()).await;
    app.update(key('?'));
    let help = common::render::render(&mut app, 120, 40);
    assert!(help.contains("next tab"), "the list offers tabs: {help}");
    app.update(esc());
    let popups = [
        ("a", "Owner of #"),
        ("c", "Category of #"),
        ("W", "Who can see #"),
        (" A", "Assign 1 ticket"),
    ];
    for (keys, what) in popups {
        for c in keys.chars() {
            app.update(key(c));
        }
        let screen = common::render::render(&mut app, 120, 40);
        assert!(screen.contains(what), "{keys:?} opens {what}: {screen}");
        let hints = hint_bar(&mut app);
        let cancel = if what.starts_with("Assign") {
            "n no"
        } else {
            "Esc"
        };
        assert!(hints.contains(cancel), "{hints}");
        assert!(
            !hints.contains("Tab"),
            "Tab does nothing under {what}: {hints}"
        );
        if keys == "a" {
            app.update(key('?'));
            let help = common::render::render(&mut app, 120, 40);
            assert!(!help.contains("next tab"), "nor in help: {help}");
            app.update(esc());
        }
        app.update(esc());
    }
}

/// A subject carrying a bidi override, zero-width characters and a NUL is stored as sent and
/// drawn without them: the list row reads in order and hides nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invisible_characters_never_reach_the_list_row() {
    use deskport::domain::wire::{StaffTicketInput, TicketInput, TicketOut};
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = common::render::serve(dir.path(), true).await;
    let client = common::render::synced_client(
        &url,
        "sam@deskport.test",
        deskport::server::demo::DEMO_PASSWORD,
        &dir.path().join("sam"),
        false,
    )
    .await;
    let api = client.api();
    let carla = api.contacts().await.unwrap();
    let carla = carla.iter().find(|c| c.email == "carla@acme.test").unwrap();
    let subject = "Refund spoof-7e2 \u{202e}gpj.exe\u{202c} ad\u{200b}min\u{200d}\u{feff}\u{0} \u{2066}ok\u{2069}\u{200f}";
    let input = TicketInput::Staff(StaffTicketInput {
        subject: subject.into(),
        description: "Hidden characters.".into(),
        contact_id: carla.id,
        priority: None,
        category: None,
        source: None,
        inbox_id: None,
        owner_id: None,
        tags: vec![],
        form_fields: Default::default(),
    });
    let TicketOut::Staff(row) = api.create_ticket(&input, None).await.unwrap() else {
        panic!("staff get the staff view");
    };
    assert_eq!(row.ticket.subject, subject, "stored as sent");
    client.sync_now().await.unwrap();
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    type_filter(&mut pane, "spoof-7e2");
    // Wide enough for the whole subject, so the row shows it uncut.
    let screen = lines(&mut pane, 200, 50);
    let row = screen
        .iter()
        .find(|l| l.contains("spoof-7e2"))
        .unwrap_or_else(|| panic!("the ticket is listed:\n{}", screen.join("\n")));
    assert!(row.contains("Refund spoof-7e2 gpj.exe admin ok"), "{row}");
    for line in &screen {
        assert!(
            !line
                .chars()
                .any(deskport::domain::text::is_invisible_format)
                && !line.contains('\0'),
            "{line:?}"
        );
    }
    client.shutdown().await;
}
