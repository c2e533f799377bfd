//! Render test of the composer's saved-reply picker at 80×24 and 120×40: an agent's reply
//! composer with `Ctrl-R` open over it, listing the shared replies and the agent's own with
//! the chosen one's text below; typing narrows the list; `Enter` inserts the reply filled in.

mod common;

use common::render::{render, serve, synced_client, wired};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use deskport::client::{ApiClient, login};
use deskport::domain::wire::SavedReplyInput;
use deskport::server::demo::DEMO_PASSWORD;
use deskport::tui::action::Action;
use deskport::tui::components::Component;
use deskport::tui::components::panes::tickets::Tickets;
use std::time::{Duration, Instant};

async fn save(url: &str, email: &str, title: &str, body: &str, shared: bool) {
    let session = login(url, email, DEMO_PASSWORD).await.unwrap();
    let api = ApiClient::new(url).unwrap().with_token(session.token);
    let input = SavedReplyInput {
        title: title.into(),
        body: body.into(),
        shared,
    };
    api.create_saved_reply(&input, None).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_reply_picker_over_the_reply_composer() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let ada = "ada@deskport.test";
    let sam = "sam@deskport.test";
    save(
        &url,
        ada,
        "Password reset",
        "Hi {first_name}, use the link on {portal_url} to reset it.",
        true,
    )
    .await;
    save(
        &url,
        ada,
        "Refund issued",
        "Hi {first_name}, the refund for #{ticket_number} is on its way.",
        true,
    )
    .await;
    save(
        &url,
        sam,
        "Sam's sign-off",
        "Thanks for your patience!\n{agent_name}",
        false,
    )
    .await;
    save(&url, ada, "Ada's own", "Not for Sam", false).await;
    let client = synced_client(&url, sam, DEMO_PASSWORD, &dir.path().join("client"), false).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while client.view().saved_replies.len() < 3 {
        assert!(Instant::now() < deadline, "the saved replies did not sync");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.handle(Action::Reply);
    pane.handle(Action::SavedReplies);
    let screen = render(&mut pane, 80, 24);
    assert!(screen.contains("Saved replies"), "{screen}");
    assert!(
        !screen.contains("Ada's own"),
        "another's personal reply: {screen}"
    );
    insta::assert_snapshot!("saved_reply_picker_80x24", screen);
    insta::assert_snapshot!("saved_reply_picker_120x40", render(&mut pane, 120, 40));

    for c in "refund".chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let screen = render(&mut pane, 120, 40);
    assert!(
        screen.contains("Refund issued") && !screen.contains("Password reset"),
        "{screen}"
    );
    pane.handle(Action::Confirm);
    let screen = render(&mut pane, 120, 40);
    assert!(
        !screen.contains("Saved replies"),
        "the picker closed: {screen}"
    );
    assert!(screen.contains("the refund for #"), "{screen}");
    assert!(
        !screen.contains("{ticket_number}") && !screen.contains("{first_name}"),
        "{screen}"
    );
    client.shutdown().await;

    // The cache keeps them: a client that never reaches the server still offers them.
    let offline = synced_client(&url, sam, DEMO_PASSWORD, &dir.path().join("client"), true).await;
    let titles: Vec<String> = offline
        .view()
        .saved_replies
        .iter()
        .map(|r| r.item.title.clone())
        .collect();
    assert_eq!(
        titles,
        ["Password reset", "Refund issued", "Sam's sign-off"]
    );
    offline.shutdown().await;
}

/// The manager opened from the palette: an admin writes a reply (refused first for an unknown
/// placeholder, named in the footer), shares it, and deletes another after saying yes; each
/// change reaches the server through the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_writes_shares_and_deletes_replies_through_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let ada = "ada@deskport.test";
    save(&url, ada, "Old apology", "Sorry, {first_name}.", false).await;
    let client = synced_client(&url, ada, DEMO_PASSWORD, &dir.path().join("client"), false).await;
    let session = login(&url, ada, DEMO_PASSWORD).await.unwrap();
    let api = ApiClient::new(&url).unwrap().with_token(session.token);
    let mut pane = wired(|tasks| Tickets::new(client.clone(), tasks));
    pane.handle(Action::ManageSavedReplies);
    let screen = render(&mut pane, 120, 40);
    assert!(
        screen.contains("Old apology") && screen.contains("yours"),
        "{screen}"
    );

    pane.handle(Action::New);
    typed(&mut pane, "Welcome");
    pane.handle(Action::NextField);
    typed(&mut pane, "Hello {frist_name}");
    pane.handle(Action::Save);
    let screen = render(&mut pane, 120, 40);
    assert!(
        screen.contains("unknown placeholder {frist_name}"),
        "{screen}"
    );
    for _ in 0.."{frist_name}".len() {
        pane.input(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    typed(&mut pane, "{first_name}");
    pane.handle(Action::Save);
    let replies = until(&api, |r| r.iter().any(|r| r.title == "Welcome")).await;
    let welcome = replies.iter().find(|r| r.title == "Welcome").unwrap();
    assert_eq!(welcome.body, "Hello {first_name}");
    assert!(!welcome.is_shared());

    // The list is by title: Old apology, Welcome. Share Welcome, delete Old apology.
    until_view(&client, |v| {
        v.saved_replies.len() == 2 && v.saved_replies.iter().all(|r| r.item.id > 0)
    })
    .await;
    pane.handle(Action::Down);
    pane.handle(Action::Toggle);
    until(&api, |r| {
        r.iter().any(|r| r.title == "Welcome" && r.is_shared())
    })
    .await;
    pane.handle(Action::Up);
    pane.handle(Action::Delete);
    let screen = render(&mut pane, 120, 40);
    assert!(screen.contains("Delete \"Old apology\"?"), "{screen}");
    pane.handle(Action::Confirm);
    until(&api, |r| r.len() == 1).await;
    pane.handle(Action::Close);
    assert!(!pane.captures_text());
    client.shutdown().await;
}

fn typed(pane: &mut Tickets, text: &str) {
    for c in text.chars() {
        pane.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// The server's saved replies once `check` holds of them.
async fn until(
    api: &ApiClient,
    check: impl Fn(&[deskport::domain::SavedReply]) -> bool,
) -> Vec<deskport::domain::SavedReply> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let replies = api.saved_replies().await.unwrap();
        if check(&replies) {
            return replies;
        }
        assert!(Instant::now() < deadline, "not on the server: {replies:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn until_view(
    client: &deskport::client::Client,
    check: impl Fn(&deskport::client::View) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check(&client.view()) {
        assert!(Instant::now() < deadline, "the view did not catch up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
