//! The quarantine, on both stores: on an invite-only portal, mail from an unknown sender is
//! taken by the SMTP listener (250) and waits until an admin accepts it (the sender becomes a
//! contact and the mail opens a ticket routed by the rules, confirmed by mail) or rejects it
//! (dropped, nobody mailed). Only admins see or decide. Mail goes in through a real SMTP
//! client (lettre) to the server's listener; the server's own mail goes to `.eml` files.

mod common;

use common::{ADA, CARLA, SAM, TestServer, assert_error, mails};
use deskport::server::mail::FileMailer;
use deskport::server::{Limits, ServerConfig, open_store, serve_receiving};
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{Value, json};
use std::sync::Arc;

const STRANGER: &str = "stranger@nowhere.test";

/// A demo server (invite-only) on the test's store, taking mail by SMTP.
async fn desk() -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo: true,
        demo_tickets: 5,
        smtp: None,
        database: common::stores::database(),
        trusted_proxy: None,
    };
    let store = open_store(&config).await.expect("store opens");
    let mailer = Arc::new(FileMailer::new(config.data_dir.join("mail")));
    let bind = || async {
        tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind")
    };
    let inbound = deskport::server::mail_in::Inbound {
        smtp: Some(bind().await),
        imap: None,
    };
    let server = serve_receiving(store, mailer, bind().await, Limits::default(), inbound)
        .await
        .expect("server starts");
    TestServer {
        server,
        dir,
        http: reqwest::Client::new(),
        database: config.database,
    }
}

/// The support address of the demo portal.
async fn support(ts: &TestServer, admin: &str) -> String {
    let portal = ts.get("/portal", admin).await.body;
    let domain = portal["email"]["inbound_domain"]
        .as_str()
        .or(portal["domain"].as_str())
        .expect("domain");
    format!("support@{domain}")
}

/// Sends a mail from `from` to `to` through lettre; the listener's reply code.
async fn send(ts: &TestServer, from: &str, to: &str, subject: &str, body: &str) -> u16 {
    let port = ts.server.smtp_addr.expect("smtp listener").port();
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .build();
    let envelope = Envelope::new(
        Some(from.parse().expect("from")),
        vec![to.parse().expect("to")],
    )
    .expect("envelope");
    let message = format!(
        "From: A Stranger <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\n\
         Message-ID: <{}@client.test>\r\n\r\n{body}\r\n",
        subject.replace(' ', "-")
    );
    match smtp.send_raw(&envelope, message.as_bytes()).await {
        Ok(reply) => u16::from(reply.code()),
        Err(e) => e.status().map_or(0, u16::from),
    }
}

async fn quarantine(ts: &TestServer, admin: &str) -> Vec<Value> {
    let a = ts.get("/mail/quarantine", admin).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.body.as_array().expect("a list").clone()
}

/// `deskport mail quarantine` (`--json` or the table) over the server's data dir or database.
fn cli_quarantine(ts: &TestServer, json: bool) -> String {
    let mut cmd = common::process::deskport(ts.dir.path());
    cmd.args(["mail", "quarantine"])
        .stdout(std::process::Stdio::piped());
    if json {
        cmd.arg("--json");
    }
    match &ts.database {
        Some(url) => cmd.args(["--database", url.as_str()]),
        None => cmd.arg("--data-dir").arg(ts.data_dir()),
    };
    let out = cmd.output().expect("deskport mail quarantine runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

async fn titled(ts: &TestServer, staff: &str, subject: &str) -> Vec<Value> {
    ts.all_tickets(staff)
        .await
        .into_iter()
        .filter(|t| t["subject"] == subject)
        .collect()
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_senders_mail_waits_until_an_admin_accepts_it() {
    let ts = desk().await;
    let (ada, sam, carla) = (ts.demo_login(ADA).await, ts.demo_login(SAM).await, ts.demo_login(CARLA).await);
    let to = support(&ts, &ada).await;
    let subject = "Site outage seen from outside";
    assert_eq!(send(&ts, STRANGER, &to, subject, "Your site is down for us.").await, 250);
    assert!(titled(&ts, &sam, subject).await.is_empty(), "no ticket yet");
    let waiting = quarantine(&ts, &ada).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let mail = &waiting[0];
    assert_eq!((mail["sender"].as_str(), mail["name"].as_str()), (Some(STRANGER), Some("A Stranger")));
    assert_eq!(mail["subject"], subject);
    assert_eq!(mail["body"], "Your site is down for us.");
    let accept = format!("/mail/quarantine/{}/accept", mail["id"]);
    // The command line lists it too, as the API does.
    let listed: Value = serde_json::from_str(&cli_quarantine(&ts, true)).expect("JSON");
    assert_eq!(listed, Value::Array(waiting.clone()));
    let table = cli_quarantine(&ts, false);
    assert!(table.contains(STRANGER) && table.contains("Your site is down for us.") && table.contains("1 mail waiting"), "{table}");
    // Agents and customers neither see nor decide.
    assert_error(&ts.get("/mail/quarantine", &sam).await, 403);
    assert_error(&ts.get("/mail/quarantine", &carla).await, 403);
    assert_error(&ts.post(&accept, &sam, json!(null)).await, 403);
    assert_error(&ts.post(&accept, &carla, json!(null)).await, 403);
    assert_eq!(quarantine(&ts, &ada).await.len(), 1, "still waiting");

    let a = ts.post(&accept, &ada, json!(null)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["accepted"], true);
    let opened = titled(&ts, &sam, subject).await;
    assert_eq!(opened.len(), 1);
    let ticket = &opened[0];
    assert_eq!(Some(ticket["id"].as_i64().expect("id")), a.body["ticket_id"].as_i64());
    assert_eq!((ticket["requester_email"].as_str(), ticket["source"].as_str()), (Some(STRANGER), Some("email")));
    // Routed by the rules as a known contact's mail is: "outage" is urgent, for Sam.
    assert_eq!((ticket["priority"].as_str(), ticket["owner_id"].as_i64()), (Some("urgent"), Some(2)), "{ticket}");
    assert_eq!(ts.contact(&sam, STRANGER).await["name"], "A Stranger");
    assert!(quarantine(&ts, &ada).await.is_empty());
    assert!(cli_quarantine(&ts, false).contains("no mail waits in the quarantine"));
    assert_error(&ts.post(&accept, &ada, json!(null)).await, 404);
    // The new contact hears their ticket exists.
    let queue = ts.get("/mail/queue", &ada).await.body;
    let confirmations = queue.as_array().expect("queue").iter()
        .filter(|m| m["recipient"] == STRANGER && m["event"] == "ticket_created").count();
    assert_eq!(confirmations, 1, "{queue}");
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_mail_is_dropped_and_nobody_is_mailed() {
    let ts = desk().await;
    let (ada, sam) = (ts.demo_login(ADA).await, ts.demo_login(SAM).await);
    let to = support(&ts, &ada).await;
    // The other rules hold: staff addresses are still refused, not quarantined.
    assert_eq!(send(&ts, SAM, &to, "From an agent", "?").await, 550);
    assert_eq!(send(&ts, STRANGER, &to, "Cheap pills", "Buy now.").await, 250);
    let waiting = quarantine(&ts, &ada).await;
    assert_eq!(waiting.len(), 1, "only the stranger's mail waits: {waiting:?}");
    let reject = format!("/mail/quarantine/{}/reject", waiting[0]["id"]);
    assert_error(&ts.post(&reject, &sam, json!(null)).await, 403);
    let a = ts.post(&reject, &ada, json!(null)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!((a.body["accepted"].as_bool(), a.body["ticket_id"].as_i64()), (Some(false), None));
    assert!(quarantine(&ts, &ada).await.is_empty());
    assert!(titled(&ts, &sam, "Cheap pills").await.is_empty(), "no ticket");
    let contacts = ts.get("/contacts", &sam).await.body;
    assert!(!contacts.to_string().contains(STRANGER), "no contact");
    let queue = ts.get("/mail/queue", &ada).await.body;
    assert!(!queue.to_string().contains(STRANGER), "nothing queued for them: {queue}");
    assert!(!mails(&ts.data_dir()).await.iter().any(|m| m.contains(STRANGER)), "nothing sent");
    // Decided once: accepting it now is a 404; an unknown id and a bad limit are refused.
    let accept = reject.replace("reject", "accept");
    assert_error(&ts.post(&accept, &ada, json!(null)).await, 404);
    assert_error(&ts.post("/mail/quarantine/999999/reject", &ada, json!(null)).await, 404);
    assert_error(&ts.get("/mail/quarantine?limit=0", &ada).await, 400);
}
}
