//! A demo server that takes mail by SMTP and sends its own to a sink, and a real SMTP client
//! (Python's smtplib) to write to it: what the tests of mail in share.

use super::{Sink, server_delivering};
use crate::common::process::free_port;
use crate::common::{ADA, SAM, TestServer};
use deskport::server::mail_sender::Delivery;
use std::time::Duration;

/// Tries every second, for as long as a test runs.
const EVERY_SECOND: Delivery = Delivery {
    first_retry: Duration::from_secs(1),
    max_retry: Duration::from_secs(1),
    max_attempts: 1000,
};

/// A demo server taking mail by SMTP and sending its own to a sink, with staff signed in.
pub struct Desk {
    pub ts: TestServer,
    pub maildir: std::path::PathBuf,
    /// Ada, admin.
    pub ada: String,
    /// Sam, agent.
    pub sam: String,
    /// `support@<reply domain>`.
    pub support: String,
    /// The reply domain.
    pub domain: String,
    /// The sink (stopped when dropped: a test binds it to keep it).
    pub _sink: Sink,
    /// Holds the sink's Maildir and the server's data (deleted when dropped).
    pub _dir: tempfile::TempDir,
}

/// Starts a sink and a [`Desk`]; `None` (the test skips) where aiosmtpd is missing.
pub async fn desk() -> Option<Desk> {
    if !super::available() {
        return None;
    }
    let dir = tempfile::tempdir().expect("dir");
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(free_port(), &maildir);
    let ts = server_delivering(sink.port, EVERY_SECOND, true).await;
    let (ada, sam) = (ts.demo_login(ADA).await, ts.demo_login(SAM).await);
    let portal = ts.get("/portal", &ada).await.body;
    let domain = portal["email"]["inbound_domain"]
        .as_str()
        .or(portal["domain"].as_str())
        .expect("domain")
        .to_string();
    Some(Desk {
        support: format!("support@{domain}"),
        domain,
        ts,
        maildir,
        ada,
        sam,
        _sink: sink,
        _dir: dir,
    })
}

/// The reply codes a real SMTP client got: to `MAIL`, to each `RCPT`, and to the message
/// (when a recipient was taken).
#[derive(Debug, serde::Deserialize)]
pub struct Codes {
    pub mail: u16,
    pub rcpt: Vec<u16>,
    pub data: Option<u16>,
}

const CLIENT: &str = r#"
import json, smtplib, sys
host, port, sender, rcpts, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(","), sys.argv[5]
message = open(path, "rb").read()
s = smtplib.SMTP(host, port, timeout=120)
s.ehlo("tester.test")
out = {"mail": s.mail(sender)[0], "rcpt": [s.rcpt(r)[0] for r in rcpts], "data": None}
if 250 in out["rcpt"]:
    try:
        out["data"] = s.data(message)[0]
    except smtplib.SMTPDataError as e:
        out["data"] = e.smtp_code
s.quit()
print(json.dumps(out))
"#;

/// Sends `message` from `sender` to `rcpts` through smtplib.
pub async fn send(ts: &TestServer, sender: &str, rcpts: &[&str], message: &[u8]) -> Codes {
    let port = ts.server.smtp_addr.expect("smtp listener").port();
    let file = ts.dir.path().join(format!("out-{}.eml", rand_suffix()));
    std::fs::write(&file, message).expect("write message");
    let out = tokio::process::Command::new("python3")
        .args(["-c", CLIENT, "127.0.0.1", &port.to_string(), sender])
        .arg(rcpts.join(","))
        .arg(&file)
        .output()
        .await
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "smtplib failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("codes")
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A plain mail.
pub fn mail(from: &str, to: &str, subject: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{}.{}@client.test>\r\n{extra_headers}\r\n{body}\r\n",
        subject.replace(' ', "-"),
        rand_suffix()
    )
    .into_bytes()
}
