//! The CC picker (`C`) and the original-mail viewer (`o`) of the Tickets pane, as staff see
//! them over a ticket that came by mail, rendered at 80×24 and 120×40 (insta) from a real
//! server whose store took the mail: the picker opens on the ticket's CCs among the
//! requester's colleagues and its choice reaches the server through the outbox; the viewer
//! shows the mail's headers and its whole text, quoted history included, and never the
//! escape sequences the mail carried.

mod common;

use common::mailed::badge_reader_by_mail;
use common::render::{Wired, render_dated, serve, synced_client, wired};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use deskport::domain::Source;
use deskport::server::store::Reader;
use deskport::tui::action::Action;
use deskport::tui::components::panes::tickets::Tickets;
use deskport::tui::components::{Component, Outcome, Request};
use std::time::{Duration, Instant};

const DAN: &str = "dan@acme.test";
const PRIYA: &str = "priya@acme.test";

/// The mail as it arrived: a title-setting OSC and a screen clear hidden in its text, a
/// signature and the quoted history the thread folds away.
const RAW: &str = "Return-Path: <carla@acme.test>\r\n\
From: Carla Reyes <carla@acme.test>\r\n\
To: support@acme-help.deskport-sites.test\r\n\
Cc: dan@acme.test\r\n\
Subject: Badge reader broken\r\n\
Message-ID: <open@client.test>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
None of us can get in.\x1b]0;pwned\x07\x1b[2J\r\n\
\r\n\
-- \r\n\
Carla Reyes, Facilities\r\n\
\r\n\
On Fri, 4 Dec 2026, Sam Carter wrote:\r\n\
> Badge readers were serviced last week.\r\n";

fn typed(pane: &mut Wired<Tickets>, text: &str) {
    for c in text.chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// Draws until `gone` is no longer on the screen (10 s at most); returns the 120×40 screen.
async fn until_gone(pane: &mut Wired<Tickets>, gone: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = render_dated(pane, 120, 40);
        if !screen.contains(gone) {
            return screen;
        }
        assert!(Instant::now() < deadline, "still {gone}:\n{screen}");
        pane.next(Duration::from_secs(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_pick_ccs_among_colleagues_and_read_the_original_mail_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = serve(dir.path(), true).await;
    let store = server.store.clone();
    let contact = |email: &'static str| {
        let store = store.clone();
        async move { store.contact_by_email(email.into()).await.unwrap().unwrap() }
    };
    let (dan, priya) = (contact(DAN).await, contact(PRIYA).await);
    let id = badge_reader_by_mail(store.as_ref(), RAW, vec![dan.id], vec![DAN.into()]).await;

    let client_dir = tempfile::tempdir().unwrap();
    let client = synced_client(
        &url,
        "sam@deskport.test",
        "deskport-demo",
        client_dir.path(),
        false,
    )
    .await;
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.handle(Action::Filter);
    typed(&mut pane, "Badge reader");
    pane.handle(Action::Confirm);

    // The picker: the requester's colleagues, the current CC ticked.
    pane.handle(Action::EditCcs);
    let small = render_dated(&mut pane, 80, 24);
    for shown in [
        &format!("CCs of #{id} · Acme"),
        "[x] Dan Ito",
        "[ ] Priya Nair",
        "1 copied",
    ] {
        assert!(small.contains(shown), "{shown} is not shown:\n{small}");
    }
    assert!(
        !small.contains("] Carla Reyes"),
        "not the requester:\n{small}"
    );
    insta::assert_snapshot!("cc_picker_80x24", small);
    insta::assert_snapshot!("cc_picker_120x40", render_dated(&mut pane, 120, 40));

    // Search, copy Priya, save: the outbox takes it to the server.
    typed(&mut pane, "pri ");
    let screen = render_dated(&mut pane, 120, 40);
    assert!(
        screen.contains("[x] Priya Nair") && screen.contains("2 copied"),
        "{screen}"
    );
    pane.handle(Action::Confirm);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let ccs = store.ticket(id, Reader::Staff).await.unwrap().ticket.ccs;
        if ccs == vec![dan.id, priya.id] {
            break;
        }
        assert!(Instant::now() < deadline, "the server has {ccs:?}");
        pane.next(Duration::from_millis(200)).await;
    }

    // The thread names both CCs above the description, which says how the ticket came.
    pane.handle(Action::Confirm);
    let thread = until_gone(&mut pane, "Loading the thread").await;
    let ccs_at = thread.find("CCs: Dan Ito, Priya Nair").expect("the CCs");
    let description_at = thread
        .find("── description · Carla Reyes")
        .expect("the description");
    assert!(ccs_at < description_at, "{thread}");
    assert!(thread.contains("· email from carla@acme.test"), "{thread}");

    // The original: headers, then the whole text with its quote, and no escape sequence.
    pane.handle(Action::ShowOriginal);
    let screen = until_gone(&mut pane, "Asking the server").await;
    for shown in [
        "Original mail 1 of 1",
        "from carla@acme.test",
        "Cc: dan@acme.test",
        "Message-ID: <open@client.test>",
        "None of us can get in.",
        "> Badge readers were serviced last week.",
    ] {
        assert!(screen.contains(shown), "{shown} is not shown:\n{screen}");
    }
    assert!(
        !screen.contains("pwned") && !screen.contains('\u{1b}'),
        "{screen}"
    );
    insta::assert_snapshot!("original_mail_120x40", screen);
    insta::assert_snapshot!("original_mail_80x24", render_dated(&mut pane, 80, 24));
    pane.handle(Action::Close);

    // A ticket that did not come by mail (in the Unassigned view the pane opens on) says so.
    pane.handle(Action::Close);
    let portal = client
        .view()
        .tickets()
        .find(|t| t.source() == Some(Source::Portal) && t.owner_id().is_none() && !t.is_closed())
        .map(|t| t.id())
        .expect("an unassigned demo ticket from the portal");
    pane.set_filter(&format!("#{portal}"));
    pane.handle(Action::ShowOriginal);
    let screen = until_gone(&mut pane, "Asking the server").await;
    assert!(screen.contains("did not come by mail"), "{screen}");
    pane.handle(Action::Close);

    // A requester of no company: no CCs, and the status line says why.
    let alone = client
        .view()
        .tickets()
        .find(|t| t.company_id().is_none() && t.owner_id().is_none() && !t.is_closed())
        .map(|t| t.id())
        .expect("an unassigned demo ticket of a contact without a company");
    pane.set_filter(&format!("#{alone}"));
    match pane.handle(Action::EditCcs) {
        Outcome::Request(Request::Notice(notice)) => {
            assert!(notice.text.contains("belongs to no company"), "{notice:?}");
        }
        other => panic!("no notice: {other:?}"),
    }
    assert!(!pane.modal(), "no picker opened");
    drop(server);
}
