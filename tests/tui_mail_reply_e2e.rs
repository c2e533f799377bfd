//! An agent answers a mailed ticket from the app, end to end: Carla mails the desk through a
//! real SMTP client (the ticket opens, she gets its confirmation at a real SMTP sink,
//! aiosmtpd), Sam signs in to the real `deskport` binary in a pseudo-terminal, replies, and
//! the reply reaches Carla threaded under that confirmation (`Message-ID`, `In-Reply-To`,
//! `References`, `[#n]` in the subject, the `support+<n>.<token>@` reply address). Then he
//! copies Dan on the ticket with `C`, and his next reply reaches Dan too.

mod common;
mod mail_support;

use common::pty::{App, Dirs, eventually, number_after};
use common::{CARLA, DAN, SAM};
use mail_support::desk::{desk, mail, send};
use mail_support::{header, mails_to};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agent_replies_in_the_app_and_the_mail_is_threaded_then_reaches_a_new_cc() {
    let Some(desk) = desk().await else {
        return;
    };
    let subject = "Projector in room 4 is dead";
    let opening = mail(
        CARLA,
        &desk.support,
        subject,
        "",
        "It shows no picture at all.",
    );
    let codes = send(&desk.ts, CARLA, &[&desk.support], &opening).await;
    assert_eq!(codes.data, Some(250), "{codes:?}");
    let confirmation = mails_to(&desk.maildir, CARLA, 1).await.remove(0);
    let confirmation_id = header(&confirmation, "Message-ID").expect("a Message-ID");

    let url = format!("http://{}", desk.ts.server.addr);
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--server", &url], &[], (120, 40));
    app.sign_in_demo(SAM);
    // Every ticket (the rules may have given it an owner already), then the filter.
    app.send("[");
    app.send("/");
    app.send("Projector in room");
    app.wait_for("/Projector in room");
    app.send("\r");
    app.wait_for("Enter open ticket");
    app.send("\r");
    let screen = app.wait_for("── description");
    let id: i64 = number_after(&screen, "Ticket #");
    assert!(
        screen.contains(&format!("email from {CARLA}")),
        "the channel: {screen}"
    );

    // The reply, threaded under the confirmation Carla got.
    app.send("r");
    app.wait_for("Ctrl-S");
    app.send("A technician is on the way.");
    app.send("\x13");
    let mails = mails_to(&desk.maildir, CARLA, 2).await;
    let reply = &mails[1];
    assert!(reply.contains("A technician is on the way."), "{reply}");
    let reply_id = header(reply, "Message-ID").expect("a Message-ID");
    assert!(
        reply_id.starts_with('<') && reply_id != confirmation_id,
        "{reply_id}"
    );
    assert_eq!(header(reply, "In-Reply-To"), Some(confirmation_id.clone()));
    assert_eq!(header(reply, "References"), Some(confirmation_id.clone()));
    let reply_subject = header(reply, "Subject").expect("a subject");
    assert!(
        reply_subject.starts_with(&format!("[#{id}] ")),
        "{reply_subject}"
    );
    let reply_to = header(reply, "Reply-To").expect("a Reply-To");
    let token = reply_to
        .strip_prefix(&format!("support+{id}."))
        .and_then(|rest| rest.strip_suffix(&format!("@{}", desk.domain)))
        .unwrap_or_else(|| panic!("reply address {reply_to}"));
    let key = desk
        .ts
        .server
        .store
        .code_key()
        .await
        .expect("the server key");
    assert!(key.check_reply_token(id, token), "{reply_to}");

    // `C`: copy Dan; the thread names him, the server has him.
    app.send("C");
    app.wait_for(&format!("CCs of #{id}"));
    app.send("dan");
    app.wait_for("[ ] Dan Ito");
    app.send(" ");
    app.wait_for("[x] Dan Ito");
    app.send("\r");
    app.wait_for("CCs: Dan Ito");
    let sam = desk.sam.clone();
    eventually("the CC on the server", || async {
        let ticket = desk.ts.get(&format!("/tickets/{id}"), &sam).await.body;
        ticket["ccs"].as_array().is_some_and(|ccs| ccs.len() == 1)
    })
    .await;

    // The next reply reaches the CC as well as the requester.
    app.send("r");
    app.wait_for("Ctrl-S");
    app.send("Dan, please meet him at the door.");
    app.send("\x13");
    let to_dan = mails_to(&desk.maildir, DAN, 1).await.remove(0);
    assert!(
        to_dan.contains("Dan, please meet him at the door."),
        "{to_dan}"
    );
    assert!(
        header(&to_dan, "Subject").is_some_and(|s| s.starts_with(&format!("[#{id}] "))),
        "{to_dan}"
    );
    let to_carla = mails_to(&desk.maildir, CARLA, 3).await.remove(2);
    assert!(to_carla.contains("Dan, please meet him at the door."));
    assert_eq!(header(&to_carla, "In-Reply-To"), Some(reply_id));
    app.send("q");
    app.wait_exit();
}
