//! An open thread follows its ticket: a reply sent from elsewhere (another client, a mail)
//! shows in the thread that is open, without a key, once the client's view has the change.

mod common;

use common::render::{open_thread, render, serve, settle, synced_client, wired};
use deskport::tui::components::Component;
use deskport::tui::components::panes::tickets::Tickets;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn login(http: &reqwest::Client, api: &str, email: &str) -> String {
    let answer: Value = http
        .post(format!("{api}/auth/login"))
        .json(&json!({"email": email, "password": "deskport-demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().expect("a token").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_from_elsewhere_shows_in_the_open_thread() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let api = format!("{url}/api/v1");
    let http = reqwest::Client::new();
    let carla = login(&http, &api, "carla@acme.test").await;
    let list: Value = http
        .get(format!("{api}/tickets?limit=1"))
        .bearer_auth(&carla)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"]
        .as_i64()
        .expect("one of Carla's tickets");

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
    open_thread(&mut pane, &format!("#{id}")).await;
    settle(&mut pane, 120, 40, "── description").await;
    let version = |client: &deskport::client::Client| client.view().ticket(id).map(|t| t.version());
    let before = version(&client);

    let reply = http
        .post(format!("{api}/tickets/{id}/messages"))
        .bearer_auth(&carla)
        .json(&json!({"body": "Second word from Carla."}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    let deadline = Instant::now() + Duration::from_secs(30);
    while version(&client) == before {
        assert!(
            Instant::now() < deadline,
            "the reply never reached the view"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stale = render(&mut pane, 120, 40);
    assert!(
        !stale.contains("Second word from Carla."),
        "the thread loaded once shows no reply of its own accord:\n{stale}"
    );
    pane.view_changed();
    let fresh = settle(&mut pane, 120, 40, "Second word from Carla.").await;
    assert!(fresh.contains(&format!("#{id}")), "{fresh}");
}
