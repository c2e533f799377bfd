//! The thread as staff see a ticket that lives by mail: the ticket's CCs and the opening
//! mail's Cc above the description (which says it came by email, from whom), then each
//! message with its channel (portal or email), the sender's address and the mail's Cc, and
//! a staff reply whose mail bounced flagged with the answer. Rendered at 120×40 (insta) from
//! a real server whose store took the mail.

mod common;

use common::mailed::badge_reader_by_mail;
use common::render::{open_thread, render_dated, serve, synced_client, wired};
use deskport::domain::ticket::AuthorKind;
use deskport::domain::wire::MailState;
use deskport::server::store::{InboundAction, InboundMail, Reader};
use deskport::tui::components::panes::tickets::Tickets;
use std::time::{Duration, Instant};

const CARLA: &str = "carla@acme.test";
const DAN: &str = "dan@acme.test";
const GINA: &str = "gina@globex.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_channel_sender_cc_and_failed_mail_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = serve(dir.path(), true).await;
    let store = server.store.clone();
    let carla = store.contact_by_email(CARLA.into()).await.unwrap().unwrap();
    let dan = store.contact_by_email(DAN.into()).await.unwrap().unwrap();
    let mail = |id: &str, sender: &str, action| InboundMail {
        message_id: format!("<{id}@client.test>"),
        sender: sender.to_string(),
        subject: "Badge reader broken".into(),
        raw: String::new(),
        action,
    };
    let id = badge_reader_by_mail(
        store.as_ref(),
        "",
        vec![dan.id],
        vec![DAN.into(), GINA.into()],
    )
    .await;
    let sam = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "sam@deskport.test")
        .unwrap();
    store
        .add_message(
            id,
            AuthorKind::User,
            sam.id,
            "A technician is on the way.".into(),
            false,
        )
        .await
        .unwrap();
    // Bounced once the sender has settled it (a bounce must not race the sender).
    let deadline = Instant::now() + Duration::from_secs(30);
    let to_dan = loop {
        let mail = store
            .mail_queue(100)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.ticket_id == id && m.recipient == DAN)
            .expect("the reply's mail to the CC");
        if mail.state == MailState::Sent {
            break mail;
        }
        assert!(Instant::now() < deadline, "the mail was not sent: {mail:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    store
        .receive_mail(mail(
            "bounce",
            "mailer-daemon@mx.acme.test",
            InboundAction::Bounce {
                message_ids: vec![to_dan.message_id],
                report: "Mailbox dan@acme.test is full.".into(),
            },
        ))
        .await
        .unwrap();
    store
        .receive_mail(mail(
            "answer",
            DAN,
            InboundAction::Reply {
                ticket_id: id,
                contact_id: dan.id,
                body: "Thanks, I will wait at the door.".into(),
                cc: vec![GINA.into()],
            },
        ))
        .await
        .unwrap();
    assert_eq!(
        store
            .ticket(id, Reader::Staff)
            .await
            .unwrap()
            .ticket
            .contact_id,
        carla.id,
        "the requester stays"
    );

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
    open_thread(&mut pane, "Badge reader").await;
    let screen = render_dated(&mut pane, 120, 40);
    let ccs_at = screen.find("CCs: Dan Ito").expect("the CCs");
    let description_at = screen.find("── description").expect("the description");
    assert!(
        ccs_at < description_at,
        "the CCs head the thread:\n{screen}"
    );
    for shown in [
        "email from carla@acme.test",
        "CCs: Dan Ito",
        "The opening mail's cc: dan@acme.test, gina@globex.test",
        "· portal",
        "⚠ mail to dan@acme.test failed: bounced: Mailbox dan@acme.test is full.",
        "· email from dan@acme.test",
        "cc: gina@globex.test",
    ] {
        assert!(screen.contains(shown), "{shown} is not shown:\n{screen}");
    }
    insta::assert_snapshot!("staff_thread_with_mail_120x40", screen);
    drop(server);
}
