//! Ticket mail out, against a real SMTP server (aiosmtpd): a staff reply arrives with its
//! threading headers and a reply address only this server could make, an internal note sends
//! nothing, a sink that is down for a while gets each mail once when it is back, an Italian
//! portal writes Italian, and a template with an unknown placeholder is refused.

mod common;
mod mail_support;

use common::process::free_port;
use common::{ADA, CARLA, SAM, TestServer, assert_error};
use deskport::server::mail_sender::Delivery;
use deskport::server::store::Store;
use deskport::server::store::sqlite::SqliteStore;
use mail_support::{Sink, header, mails_to, received, server_delivering, wait_for_mails};
use serde_json::{Value, json};
use std::time::Duration;

/// Tries every second, for as long as a test runs.
const EVERY_SECOND: Delivery = Delivery {
    first_retry: Duration::from_secs(1),
    max_retry: Duration::from_secs(1),
    max_attempts: 1000,
};

/// A demo server whose mail goes to `smtp_port`, retrying every second.
async fn server_mailing(smtp_port: u16) -> TestServer {
    server_delivering(smtp_port, EVERY_SECOND, false).await
}

async fn reply(ts: &TestServer, token: &str, ticket: &Value, body: &str, internal: bool) {
    let path = format!("/tickets/{}/messages", ticket["id"]);
    let a = ts
        .post(&path, token, json!({"body": body, "internal": internal}))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
}

async fn queue(ts: &TestServer, admin: &str) -> Vec<Value> {
    let a = ts.get("/mail/queue", admin).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.body.as_array().expect("a list").clone()
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_reply_arrives_threaded_and_an_internal_note_sends_nothing() {
    if !mail_support::available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(free_port(), &maildir);
    let ts = server_mailing(sink.port).await;
    let sam = ts.demo_login(SAM).await;
    let ada = ts.demo_login(ADA).await;
    let ticket = ts.first_ticket_of(&sam, CARLA).await;
    let id = ticket["id"].as_i64().expect("id");

    reply(&ts, &sam, &ticket, "We sent a technician.", false).await;
    let first = wait_for_mails(&maildir, 1).await.remove(0);
    assert_eq!(header(&first, "To").as_deref(), Some(CARLA));
    let subject = header(&first, "Subject").expect("subject");
    assert!(subject.starts_with(&format!("[#{id}] ")), "{subject}");
    assert!(first.contains("We sent a technician."), "{first}");
    let first_id = header(&first, "Message-ID").expect("a Message-ID");
    assert!(first_id.starts_with('<') && first_id.ends_with("@support.deskport.test>"));
    assert_eq!(
        header(&first, "In-Reply-To"),
        None,
        "the first mail of its thread"
    );
    // The reply address carries a token only this server's key makes, for this ticket only.
    let reply_to = header(&first, "Reply-To").expect("a Reply-To");
    let token = reply_to
        .strip_prefix(&format!("support+{id}."))
        .and_then(|rest| rest.strip_suffix("@support.deskport.test"))
        .unwrap_or_else(|| panic!("reply address {reply_to}"));
    let key = ts.server.store.code_key().await.expect("the server key");
    assert!(key.check_reply_token(id, token));
    assert!(!key.check_reply_token(id + 1, token));

    reply(&ts, &sam, &ticket, "their contract ends in May", true).await;
    reply(&ts, &sam, &ticket, "The technician is on the way.", false).await;
    let mails = wait_for_mails(&maildir, 2).await;
    let second = &mails[1];
    assert!(second.contains("The technician is on the way."), "{second}");
    assert_eq!(header(second, "In-Reply-To"), Some(first_id.clone()));
    assert_eq!(header(second, "References"), Some(first_id.clone()));
    assert_eq!(header(second, "Reply-To"), Some(reply_to));

    // The queue keeps each Message-ID and says both were sent; nothing else was queued or sent.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = received(&maildir);
    assert_eq!(mails.len(), 2, "the note sent nothing: {mails:#?}");
    assert!(mails.iter().all(|m| !m.contains("contract ends")));
    let listed = queue(&ts, &ada).await;
    assert_eq!(listed.len(), 2, "{listed:#?}");
    assert!(
        listed
            .iter()
            .all(|m| m["state"] == "sent" && m["attempts"] == 1)
    );
    assert_eq!(listed[1]["message_id"], first_id.as_str());
    // Customers and agents do not see the queue.
    let carla = ts.demo_login(CARLA).await;
    assert_error(&ts.get("/mail/queue", &carla).await, 403);
    assert_error(&ts.get("/mail/queue", &sam).await, 403);
    drop(sink);
}

}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_queued_while_the_sink_is_down_is_sent_once_when_it_returns() {
    if !mail_support::available() {
        return;
    }
    let port = free_port();
    let ts = server_mailing(port).await;
    let sam = ts.demo_login(SAM).await;
    let ada = ts.demo_login(ADA).await;
    let tickets: Vec<Value> = ts.all_tickets(&sam).await.into_iter().take(3).collect();
    for (i, ticket) in tickets.iter().enumerate() {
        reply(&ts, &sam, ticket, &format!("answer number {i}"), false).await;
    }
    // Down: every mail waits with the reason, and is tried again.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let listed = queue(&ts, &ada).await;
        let retried = listed.iter().all(|m| {
            m["state"] == "queued"
                && m["attempts"].as_i64() >= Some(2)
                && m["last_error"]
                    .as_str()
                    .is_some_and(|e| e.contains("Connection refused"))
        });
        if listed.len() == 3 && retried {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{listed:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let dir = tempfile::tempdir().expect("dir");
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(port, &maildir);
    let mails = wait_for_mails(&maildir, 3).await;
    // A few more retry periods: nothing arrives twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mails_later = received(&maildir);
    assert_eq!(mails_later.len(), 3, "{mails_later:#?}");
    for i in 0..3 {
        let with = mails
            .iter()
            .filter(|m| m.contains(&format!("answer number {i}")));
        assert_eq!(with.count(), 1, "answer {i}");
    }
    let listed = queue(&ts, &ada).await;
    assert!(listed.iter().all(|m| m["state"] == "sent"), "{listed:#?}");
    drop(sink);
}

}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_italian_portal_mails_in_italian_and_templates_refuse_unknown_placeholders() {
    if !mail_support::available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(free_port(), &maildir);
    let ts = server_mailing(sink.port).await;
    let ada = ts.demo_login(ADA).await;
    let a = ts
        .post(
            "/domains",
            &ada,
            json!({"host": "assistenza.acme.test", "primary_language": "it"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    ts.set_portal(&ada, json!({"domain": "assistenza.acme.test"}))
        .await;

    let carla = ts.contact(&ada, CARLA).await;
    let new_ticket = json!({"subject": "Stampante in fiamme", "description": "Aiuto", "contact_id": carla["id"]});
    let a = ts.post("/tickets", &ada, new_ticket).await;
    assert_eq!(a.status, 201, "{}", a.text);
    let id = a.body["id"].as_i64().expect("id");
    let mail = mails_to(&maildir, CARLA, 1).await.remove(0);
    assert_eq!(
        header(&mail, "Subject"),
        Some(format!(
            "[#{id}] Abbiamo ricevuto la tua richiesta: Stampante in fiamme"
        ))
    );
    let reply_to = header(&mail, "Reply-To").expect("a Reply-To");
    assert!(reply_to.ends_with("@assistenza.acme.test"), "{reply_to}");

    // An unknown placeholder is refused at save, naming the field and the known ones.
    let typo = json!({"email": {"templates": {"staff_reply": {"subject": "Re: {subject}", "body": "Ciao {nome}"}}}});
    let a = ts.patch_portal(&ada, typo).await;
    assert_error(&a, 400);
    assert_eq!(a.body["error"]["field"], "email.templates.staff_reply.body");
    let message = a.body["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("{nome}") && message.contains("{first_name}"),
        "{message}"
    );
    // A valid override is what the next mail says.
    let own = json!({"email": {"templates": {"staff_reply": {"subject": "Risposta: {subject}", "body": "{first_name}: {message}"}}}});
    ts.set_portal(&ada, own).await;
    let ticket = json!({"id": id});
    reply(&ts, &ada, &ticket, "Arriva il tecnico.", false).await;
    let mails = mails_to(&maildir, CARLA, 2).await;
    assert_eq!(
        header(&mails[1], "Subject"),
        Some(format!("[#{id}] Risposta: Stampante in fiamme"))
    );
    assert!(
        mails[1].contains("Carla: Arriva il tecnico."),
        "{}",
        mails[1]
    );
    drop(sink);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_mails_the_requester_and_assigning_mails_the_agent() {
    if !mail_support::available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(free_port(), &maildir);
    let ts = server_mailing(sink.port).await;
    let ada = ts.demo_login(ADA).await;
    let ticket = ts.first_ticket_of(&ada, CARLA).await;
    let id = ticket["id"].as_i64().expect("id");
    if ticket["stage"] == "closed" {
        ts.set_ticket(&ada, id, json!({"stage": "waiting_on_us"}))
            .await;
    }
    let sam_id = ts
        .get("/users", &ada)
        .await
        .body
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == SAM)
        .expect("sam")["id"]
        .clone();
    ts.set_ticket(&ada, id, json!({"owner_id": Value::Null}))
        .await;
    ts.set_ticket(&ada, id, json!({"owner_id": sam_id})).await;
    let assigned = mails_to(&maildir, SAM, 1).await.remove(0);
    let subject = header(&assigned, "Subject").expect("subject");
    assert!(
        subject.starts_with(&format!("[#{id}] Assigned to you: ")),
        "{subject}"
    );
    ts.set_ticket(&ada, id, json!({"stage": "closed"})).await;
    let closed = mails_to(&maildir, CARLA, 1).await.remove(0);
    let subject = header(&closed, "Subject").expect("subject");
    assert!(
        subject.starts_with(&format!("[#{id}] Closed: ")),
        "{subject}"
    );
    assert!(
        closed.contains("opens again"),
        "says how to reopen: {closed}"
    );
    // The requester's and the agent's threads are apart: neither answers the other's mail.
    assert_eq!(header(&closed, "In-Reply-To"), None);
    drop(sink);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_mail_shows_the_reason_and_an_admin_retry_sends_it() {
    if !mail_support::available() {
        return;
    }
    let port = free_port();
    let once = Delivery {
        max_attempts: 1,
        ..EVERY_SECOND
    };
    let ts = server_delivering(port, once, false).await;
    let sam = ts.demo_login(SAM).await;
    let ada = ts.demo_login(ADA).await;
    let ticket = ts.first_ticket_of(&sam, CARLA).await;
    reply(&ts, &sam, &ticket, "Try this first.", false).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let failed = loop {
        let listed = queue(&ts, &ada).await;
        if let Some(m) = listed.into_iter().find(|m| m["state"] == "failed") {
            break m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the mail never failed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let reason = failed["last_error"].as_str().expect("the reason");
    assert!(reason.contains("Connection refused"), "{reason}");

    let dir = tempfile::tempdir().expect("dir");
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(port, &maildir);
    let path = format!("/mail/queue/{}/retry", failed["id"]);
    assert_error(&ts.post(&path, &sam, json!(null)).await, 403);
    let a = ts.post(&path, &ada, json!(null)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["state"], "queued");
    let mails = wait_for_mails(&maildir, 1).await;
    assert!(mails[0].contains("Try this first."));
    // A sent mail is not sent again, and an unknown one is a 404.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while queue(&ts, &ada).await[0]["state"] != "sent" {
        assert!(std::time::Instant::now() < deadline, "never marked sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        assert_error(&ts.post(&path, &ada, json!(null)).await, 400),
        "invalid"
    );
    assert_error(
        &ts.post("/mail/queue/999999/retry", &ada, json!(null)).await,
        404,
    );
    drop(sink);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_and_its_mail_commit_together_or_not_at_all() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("deskport.db");
    let store = SqliteStore::open(&path).expect("store opens");
    store
        .import(deskport::server::demo::demo_batch(3, "x"))
        .await
        .expect("demo imports");
    let before = store.messages(1).await.expect("thread").len();
    // A queue that refuses every mail: the reply that causes one must not be kept either.
    rusqlite::Connection::open(&path)
        .expect("db")
        .execute_batch(
            "CREATE TRIGGER refuse_mail BEFORE INSERT ON mail_queue \
             BEGIN SELECT RAISE(ABORT, 'the queue is full'); END;",
        )
        .expect("trigger");
    let author = deskport::domain::ticket::AuthorKind::User;
    let refused = store
        .add_message(1, author, 1, "an answer".into(), false)
        .await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(store.messages(1).await.expect("thread").len(), before);
    assert!(store.mail_queue(10).await.expect("queue").is_empty());
    // An internal note queues no mail, so it is kept.
    store
        .add_message(1, author, 1, "a note".into(), true)
        .await
        .expect("a note needs no mail");
    assert_eq!(store.messages(1).await.expect("thread").len(), before + 1);
}
