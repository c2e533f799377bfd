//! Mail from a mailbox (`serve --imap`), against a real IMAP server (Dovecot, see
//! `imap_support`), over IMAPS and over IMAP with STARTTLS, both trusting the test's CA: a
//! new mail opens a ticket and is marked read, a reply to the ticket's reply address joins
//! it, a restarted server takes nothing twice (also a message it stored but did not mark),
//! a mailbox that was down is read once it is back, with IDLE new mail is taken as it
//! arrives (not at the next poll), one server per PostgreSQL database polls at a time, and staff (only) see the stored original of a mailed ticket and reply.

mod common;
mod imap_support;
mod mail_support;

use common::process::free_port;
use common::{ADA, CARLA, SAM, TestServer};
use deskport::server::mail_in::Inbound;
use deskport::server::mail_in::imap::ImapSource;
use deskport::server::{Limits, ServerConfig, mailer, open_store, serve_receiving};
use imap_support::{Dovecot, PASSWORD};
use mail_support::header;
use serde_json::Value;
use std::future::Future;
use std::time::{Duration, Instant};

/// Polls often, so the tests wait little.
const POLL: Duration = Duration::from_millis(200);

/// A demo server on `database` (SQLite in `dir` when `None`) taking mail from `dovecot`,
/// looking at least every `poll`.
async fn start_server(
    dir: tempfile::TempDir,
    database: Option<String>,
    dovecot: &Dovecot,
    implicit_tls: bool,
    poll: Duration,
) -> TestServer {
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo: true,
        demo_tickets: 12,
        smtp: None,
        database: database.clone(),
        trusted_proxy: None,
    };
    let source = ImapSource::new(
        &dovecot.url(implicit_tls),
        PASSWORD.into(),
        Some(&dovecot.ca_file()),
        poll,
    )
    .expect("IMAP source");
    let store = open_store(&config).await.expect("store opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let inbound = Inbound {
        smtp: None,
        imap: Some(source),
    };
    let server = serve_receiving(
        store,
        mailer(&config).expect("mailer"),
        listener,
        Limits::default(),
        inbound,
    )
    .await
    .expect("server starts");
    TestServer {
        server,
        dir,
        http: reqwest::Client::new(),
        database,
    }
}

/// Stops `ts` and starts a new server on its data.
async fn restart(ts: TestServer, dovecot: &Dovecot, implicit_tls: bool) -> TestServer {
    let TestServer {
        server,
        dir,
        database,
        ..
    } = ts;
    server.stop().await.expect("stops");
    start_server(dir, database, dovecot, implicit_tls, POLL).await
}

/// A running Dovecot and a server polling it (at least every `poll`), with Sam (agent)
/// signed in; `None` (the test skips) where Dovecot is missing.
async fn desk(implicit_tls: bool, poll: Duration) -> Option<(Dovecot, TestServer, String, String)> {
    if !imap_support::available() {
        return None;
    }
    let dovecot = Dovecot::start(free_port(), free_port());
    let dir = tempfile::tempdir().expect("dir");
    let ts = start_server(
        dir,
        common::stores::database(),
        &dovecot,
        implicit_tls,
        poll,
    )
    .await;
    let sam = ts.demo_login(SAM).await;
    let portal = ts.get("/portal", &sam).await.body;
    let domain = portal["email"]["inbound_domain"]
        .as_str()
        .or(portal["domain"].as_str())
        .expect("domain");
    let support = format!("support@{domain}");
    Some((dovecot, ts, sam, support))
}

/// A mail from `from` to `to`; its Message-ID is made from `id`, or it has none.
fn mail(from: &str, to: &str, subject: &str, id: Option<&str>, body: &str) -> String {
    let message_id = id
        .map(|id| format!("Message-ID: <{id}@acme.test>\r\n"))
        .unwrap_or_default();
    format!(
        "Return-Path: <{from}>\r\nFrom: {from}\r\nTo: {to}\r\nSubject: {subject}\r\n{message_id}\
Date: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n{body}\r\n"
    )
}

/// Waits (30 s at most) until `probe` finds something.
async fn wait_for<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The one ticket with `subject`, once it is there.
async fn ticket_titled(ts: &TestServer, staff: &str, subject: &str) -> Value {
    wait_for(subject, || async {
        ts.tickets_titled(staff, subject).await.into_iter().next()
    })
    .await
}

/// Waits until `n` messages of the mailbox are marked read.
async fn seen(dovecot: &Dovecot, n: usize) {
    wait_for(&format!("{n} messages marked read"), || async {
        (dovecot.seen() >= n).then_some(())
    })
    .await;
    assert_eq!(dovecot.seen(), n, "{}", dovecot.log());
}

/// The reply address of the "ticket created" mail about `subject` sent to `to`.
async fn reply_address(ts: &TestServer, to: &str, subject: &str) -> String {
    let data_dir = ts.data_dir();
    let confirmation = wait_for("the ticket-created mail", || async {
        common::mails(&data_dir).await.into_iter().find(|m| {
            header(m, "To").as_deref() == Some(to)
                && header(m, "Subject").is_some_and(|s| s.contains(subject))
        })
    })
    .await;
    let reply_to = header(&confirmation, "Reply-To").expect("Reply-To");
    reply_to
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailed_question_opens_a_ticket_and_the_reply_to_its_address_joins_it() {
    let Some((mut dovecot, ts, sam, support)) = desk(true, POLL).await else {
        return;
    };
    dovecot.deliver(&mail(CARLA, &support, "Toner is empty", Some("toner-1"), "Where do I order toner?"));
    let ticket = ticket_titled(&ts, &sam, "Toner is empty").await;
    assert_eq!(ticket["source"], "email");
    assert_eq!(ticket["requester_email"], CARLA);
    seen(&dovecot, 1).await;
    let address = reply_address(&ts, CARLA, "Toner is empty").await;
    assert!(address.starts_with(&format!("support+{}.", ticket["id"])), "{address}");
    // The subject names no ticket: only the reply address threads it.
    let reply = mail(CARLA, &address, "Re: toner", Some("toner-2"),
        "Found it, thanks.\r\n\r\nOn Mon, Support wrote:\r\n> Which model?");
    dovecot.deliver(&reply);
    let replied = wait_for("the reply in the thread", || async {
        let messages = ts.thread(&sam, &ticket["id"]).await;
        messages.into_iter().find(|m| m["body"] == "Found it, thanks.")
    })
    .await;
    assert_eq!(replied["author"]["kind"], "contact", "{replied}");
    seen(&dovecot, 2).await;
    assert!(ts.tickets_titled(&sam, "Re: toner").await.is_empty(), "no second ticket");
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_takes_nothing_twice_and_a_mailbox_that_was_down_is_read_when_back() {
    // STARTTLS this time.
    let Some((mut dovecot, ts, sam, support)) = desk(false, POLL).await else {
        return;
    };
    dovecot.deliver(&mail(CARLA, &support, "Before the restart", Some("restart-1"), "One."));
    ticket_titled(&ts, &sam, "Before the restart").await;
    seen(&dovecot, 1).await;
    let ts = restart(ts, &dovecot, false).await;
    let sam = ts.demo_login(SAM).await;
    dovecot.deliver(&mail(CARLA, &support, "After the restart", Some("restart-2"), "Two."));
    ticket_titled(&ts, &sam, "After the restart").await;
    seen(&dovecot, 2).await;
    assert_eq!(ts.tickets_titled(&sam, "Before the restart").await.len(), 1, "taken once");
    // Stored but never marked (a crash between the two): the same message, unread again. It
    // is marked now, and opens nothing; so is a repeat of a mail without a Message-ID.
    dovecot.deliver(&mail(CARLA, &support, "Before the restart", Some("restart-1"), "One."));
    let anonymous = mail(CARLA, &support, "No Message-ID", None, "Three.");
    dovecot.deliver(&anonymous);
    seen(&dovecot, 4).await;
    dovecot.deliver(&anonymous);
    seen(&dovecot, 5).await;
    assert_eq!(ts.tickets_titled(&sam, "Before the restart").await.len(), 1, "not taken twice");
    assert_eq!(ts.tickets_titled(&sam, "No Message-ID").await.len(), 1, "taken once by its bytes");
    // The IMAP server goes away: the server keeps serving, and takes the mail once it is back.
    dovecot.stop();
    dovecot.deliver(&mail(CARLA, &support, "While it was down", Some("down-1"), "Four."));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(ts.get("/me", &sam).await.status, 200, "the API still answers");
    assert!(ts.tickets_titled(&sam, "While it was down").await.is_empty());
    dovecot.resume();
    ticket_titled(&ts, &sam, "While it was down").await;
    seen(&dovecot, 6).await;
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_the_original_of_a_mailed_ticket_and_reply_and_customers_do_not() {
    let Some((mut dovecot, ts, sam, support)) = desk(true, POLL).await else {
        return;
    };
    let question = mail(CARLA, &support, "Scanner jams", Some("scan-1"),
        "It jams on page 2.\r\n\r\n-- \r\nCarla, Acme");
    dovecot.deliver(&question);
    let ticket = ticket_titled(&ts, &sam, "Scanner jams").await;
    let id = ticket["id"].as_i64().expect("id");
    let opening = ts.get(&format!("/tickets/{id}/original"), &sam).await;
    assert_eq!(opening.status, 200, "{}", opening.text);
    assert_eq!(opening.body["message_id"], "<scan-1@acme.test>");
    assert_eq!(opening.body["sender"], CARLA);
    let raw = opening.body["raw"].as_str().expect("raw");
    assert!(raw.contains("Subject: Scanner jams") && raw.contains("Carla, Acme"), "{raw}");
    let address = reply_address(&ts, CARLA, "Scanner jams").await;
    dovecot.deliver(&mail(CARLA, &address, "Re: Scanner jams", Some("scan-2"),
        "Page 3 too.\r\n\r\nOn Mon, Support wrote:\r\n> Which page?"));
    let reply = wait_for("the reply", || async {
        ts.thread(&sam, &ticket["id"]).await.into_iter().find(|m| m["body"] == "Page 3 too.")
    })
    .await;
    let path = format!("/tickets/{id}/messages/{}/original", reply["id"]);
    let original = ts.get(&path, &sam).await;
    assert_eq!(original.status, 200, "{}", original.text);
    let raw = original.body["raw"].as_str().expect("raw");
    assert!(raw.contains("> Which page?"), "the quote the thread left out: {raw}");
    // Not for customers, not for what did not come by mail, not for another ticket's id.
    let carla = ts.demo_login(CARLA).await;
    assert_eq!(ts.get(&path, &carla).await.status, 404);
    assert_eq!(ts.get(&format!("/tickets/{id}/original"), &carla).await.status, 404);
    let ada = ts.demo_login(ADA).await;
    let answer = ts.post(&format!("/tickets/{id}/messages"), &ada, serde_json::json!({"body": "On it."})).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let staff_reply = format!("/tickets/{id}/messages/{}/original", answer.body["id"]);
    common::assert_error(&ts.get(&staff_reply, &ada).await, 404);
    let other = ts.first_ticket_of(&sam, "dan@acme.test").await["id"].clone();
    common::assert_error(&ts.get(&format!("/tickets/{other}/original"), &sam).await, 404);
    let elsewhere = format!("/tickets/{other}/messages/{}/original", reply["id"]);
    common::assert_error(&ts.get(&elsewhere, &sam).await, 404);
    let anonymous = ts.call("GET", &path, None, None, &[]).await;
    common::assert_error(&anonymous, 401);
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_idle_new_mail_is_taken_as_it_arrives_not_at_the_next_poll() {
    // A poll interval no test waits for: only IDLE brings these mails in time.
    let Some((mut dovecot, ts, sam, support)) = desk(true, Duration::from_secs(600)).await else {
        return;
    };
    dovecot.deliver(&mail(CARLA, &support, "First while idle", Some("idle-1"), "One."));
    ticket_titled(&ts, &sam, "First while idle").await;
    seen(&dovecot, 1).await;
    for n in 2..=3 {
        let subject = format!("Mail {n} while idle");
        let delivered = Instant::now();
        dovecot.deliver(&mail(CARLA, &support, &subject, Some(&format!("idle-{n}")), "More."));
        ticket_titled(&ts, &sam, &subject).await;
        let took = delivered.elapsed();
        eprintln!("{subject}: a ticket {took:?} after it was delivered");
        assert!(took < Duration::from_secs(5), "{subject} took {took:?}");
        seen(&dovecot, n).await;
    }
}
}

/// On PostgreSQL one server at a time holds the mailbox turn; giving it up (or dying) lets
/// another take it. On SQLite, one server per file, the turn is always free.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_server_per_database_polls_at_a_time() {
    let sqlite = common::demo_server(0).await;
    let first = sqlite.server.store.mailbox_turn().await.expect("turn");
    assert!(
        first.is_some()
            && sqlite
                .server
                .store
                .mailbox_turn()
                .await
                .expect("turn")
                .is_some()
    );
    if !common::postgres::available() {
        return;
    }
    let database = common::postgres::fresh_database();
    let one = common::server_on(Some(database.clone()), true, 0).await;
    let two = common::server_on(Some(database), true, 0).await;
    let held = one.server.store.mailbox_turn().await.expect("turn");
    assert!(held.is_some(), "the first server gets the turn");
    let refused = two.server.store.mailbox_turn().await.expect("turn");
    assert!(refused.is_none(), "the second waits while the first polls");
    drop(held);
    let taken = wait_for("the turn to be free", || async {
        two.server.store.mailbox_turn().await.expect("turn")
    })
    .await;
    assert!(
        one.server
            .store
            .mailbox_turn()
            .await
            .expect("turn")
            .is_none()
    );
    drop(taken);
}
