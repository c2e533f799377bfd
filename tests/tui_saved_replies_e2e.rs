//! A saved reply end to end in the real binary: Sam saves a reply with placeholders through
//! the API, signs in to `deskport` in a pseudo-terminal, opens a ticket of Carla's, presses
//! `r`, then `Ctrl-R`, finds the reply by typing part of its title, inserts it and sends it;
//! the server holds the reply with the contact's first name, the ticket's number and subject
//! and the agent's name filled in.

mod common;

use common::pty::{App, Dirs, eventually, number_after};
use common::{CARLA, SAM, demo_server};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_saved_reply_is_picked_filled_in_and_sent() {
    let ts = demo_server(20).await;
    let sam = ts.demo_login(SAM).await;
    let carla_id = ts.contact(&sam, CARLA).await["id"].clone();
    let subject = "Badge reader at door 3 beeps";
    let created = ts
        .post(
            "/tickets",
            &sam,
            json!({"subject": subject, "description": "It beeps red.", "contact_id": carla_id}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let saved = ts
        .post(
            "/saved-replies",
            &sam,
            json!({"title": "Fixed on site", "body": "Hi {first_name}, #{ticket_number} ({subject}) is fixed. {agent_name}"}),
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.text);

    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--server", &url], &[], (120, 40));
    app.sign_in_demo(SAM);
    app.send("[");
    app.send("/");
    app.send("Badge reader at door");
    app.wait_for("/Badge reader at door");
    app.send("\r");
    app.wait_for("Enter open ticket");
    app.send("\r");
    let screen = app.wait_for("── description");
    let id: i64 = number_after(&screen, "Ticket #");

    app.send("r");
    app.wait_for("Ctrl-S");
    app.send("\x12");
    app.wait_for("Saved replies");
    app.send("fixed site");
    app.wait_for("/ fixed site");
    app.send("\r");
    let expected = format!("Hi Carla, #{id} ({subject}) is fixed. Sam Carter");
    app.wait_for(&expected);
    app.send("\x13");

    let id = Value::from(id);
    eventually("the reply on the server", || async {
        ts.thread(&sam, &id)
            .await
            .iter()
            .any(|m| m["body"] == expected.as_str() && m["internal"] == false)
    })
    .await;
    app.send("q");
}
