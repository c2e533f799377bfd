//! The SMTP session against a desk that keeps what it is handed.

use super::*;
use std::sync::Mutex;

/// What a session handed over: sender, recipients, message.
type Delivered = (String, Vec<String>, Vec<u8>);

/// Takes mail for `in@h.test` and keeps what it is handed.
#[derive(Default)]
struct Keeper(Mutex<Vec<Delivered>>);

#[async_trait::async_trait]
impl Desk for Keeper {
    async fn accepts(&self, recipient: &str) -> bool {
        recipient == "in@h.test"
    }
    async fn deliver(&self, sender: &str, recipients: &[String], message: Vec<u8>) -> Reply {
        if let Ok(mut kept) = self.0.lock() {
            kept.push((sender.into(), recipients.to_vec(), message));
        }
        Reply::new(250, "2.0.0 taken")
    }
}

/// Runs a session fed `input`; returns the reply codes it sent.
async fn talk(desk: &Keeper, input: &[u8], timeouts: SmtpTimeouts) -> Vec<u16> {
    let mut reader = tokio::io::BufReader::new(input);
    let mut out = Vec::new();
    serve(&mut reader, &mut out, desk, "h.test", timeouts)
        .await
        .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| l.len() >= 4 && &l[3..4] == " ")
        .map(|l| l[..3].parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_whole_session_delivers_one_unstuffed_message() {
    let desk = Keeper::default();
    let input = b"EHLO client\r\nMAIL FROM:<c@acme.test> SIZE=100\r\nRCPT TO:<other@h.test>\r\n\
RCPT TO:<in@h.test>\r\nDATA\r\nSubject: x\r\n\r\n..a dot\r\nline\r\n.\r\nNOOP\r\nRSET\r\nQUIT\r\n";
    let codes = talk(&desk, input, SmtpTimeouts::default()).await;
    assert_eq!(
        codes,
        vec![220, 250, 250, 550, 250, 354, 250, 250, 250, 221]
    );
    let kept = desk.0.lock().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].0, "c@acme.test");
    assert_eq!(kept[0].1, vec!["in@h.test".to_string()]);
    assert_eq!(kept[0].2, b"Subject: x\r\n\r\n.a dot\r\nline\r\n");
}

#[tokio::test]
async fn order_size_and_line_limits_are_kept() {
    let desk = Keeper::default();
    let long = format!("NOOP {}\r\n", "x".repeat(600));
    let input = format!(
        "MAIL FROM:<a@b.test>\r\nHELO c\r\nRCPT TO:<in@h.test>\r\nDATA\r\n{long}\
MAIL FROM:<a@b.test> SIZE=999999999\r\nBOGUS\r\n"
    );
    let codes = talk(&desk, input.as_bytes(), SmtpTimeouts::default()).await;
    assert_eq!(codes, vec![220, 503, 250, 503, 503, 500, 552, 502]);
    assert!(desk.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_client_that_only_talks_is_closed_but_one_sending_mail_is_not() {
    let desk = Keeper::default();
    let noops = "NOOP\r\n".repeat(MAX_COMMANDS + 5);
    let codes = talk(&desk, noops.as_bytes(), SmtpTimeouts::default()).await;
    assert_eq!(codes.len(), MAX_COMMANDS + 2, "greeting, the commands, 421");
    assert_eq!(codes.last(), Some(&421));
    let one = "MAIL FROM:<c@acme.test>\r\nRCPT TO:<in@h.test>\r\nDATA\r\nx\r\n.\r\n";
    let input = format!("HELO c\r\n{}QUIT\r\n", one.repeat(400));
    let codes = talk(&desk, input.as_bytes(), SmtpTimeouts::default()).await;
    assert_eq!(
        codes.last(),
        Some(&221),
        "no 421 for 1200 commands with mail"
    );
    assert_eq!(desk.0.lock().unwrap().len(), 400);
}

#[tokio::test]
async fn a_quiet_client_is_closed() {
    let desk = Keeper::default();
    let (client, server) = tokio::io::duplex(1024);
    let (read, mut write) = tokio::io::split(server);
    let mut reader = tokio::io::BufReader::new(read);
    let timeouts = SmtpTimeouts {
        command: Duration::from_millis(50),
        data_line: Duration::from_millis(50),
    };
    let session = serve(&mut reader, &mut write, &desk, "h.test", timeouts);
    tokio::time::timeout(Duration::from_secs(5), session)
        .await
        .expect("the session ends by itself")
        .unwrap();
    drop(client);
}
