//! The Portal pane's Mail section drawn headless (snapshots at 80×24 and 120×40): the queue
//! with mails a real SMTP server refused (the server's answer under each, `r` retries one),
//! the quarantine with the waiting mail's text (accepted after a yes), and the template
//! editor beside its live preview, where an unknown placeholder is refused on its row. The
//! server mails its own SMTP listener, which refuses customers' addresses with 550, and mail
//! comes in through it from a real SMTP client (lettre).

mod common;

use common::render::*;
use crossterm::event::KeyCode;
use deskport::domain::mail::MailEvent;
use deskport::domain::wire::PortalFor;
use deskport::server::demo::DEMO_PASSWORD;
use deskport::server::mail::SmtpMailer;
use deskport::server::mail_sender::Delivery;
use deskport::server::{Limits, RunningServer, ServerConfig, open_store, serve_receiving};
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ADA: &str = "ada@deskport.test";
const STRANGER: &str = "stranger@nowhere.test";

/// A demo server mailing its own SMTP listener, which takes mail for the portal only.
async fn server(dir: &Path) -> (RunningServer, String) {
    let config = ServerConfig {
        data_dir: dir.join("server"),
        demo: true,
        demo_tickets: 5,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let store = open_store(&config).await.unwrap();
    let smtp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = smtp.local_addr().unwrap().port();
    let mailer = SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), None).unwrap();
    let limits = Limits {
        mail: Delivery {
            first_retry: Duration::from_secs(3600),
            max_retry: Duration::from_secs(3600),
            max_attempts: 5,
        },
        ..Limits::default()
    };
    let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = serve_receiving(
        store,
        Arc::new(mailer),
        api,
        limits,
        deskport::server::mail_in::Inbound {
            smtp: Some(smtp),
            imap: None,
        },
    )
    .await
    .unwrap();
    let url = format!("http://{}", server.addr);
    (server, url)
}

/// Two staff replies (their mails are refused) and a stranger's mail (quarantined).
async fn mail_traffic(server: &RunningServer, url: &str) {
    let sam = deskport::client::login(url, "sam@deskport.test", DEMO_PASSWORD)
        .await
        .unwrap();
    let http = reqwest::Client::new();
    for ticket in [1, 2] {
        let answer = http
            .post(format!("{url}/api/v1/tickets/{ticket}/messages"))
            .bearer_auth(&sam.token)
            .json(&serde_json::json!({"body": "We are on it.", "internal": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server
        .store
        .mail_queue(10)
        .await
        .unwrap()
        .iter()
        .all(|m| m.last_error.is_some())
    {
        assert!(
            Instant::now() < deadline,
            "the replies' mails were never tried"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let portal = server.store.portal().await.unwrap();
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(server.smtp_addr.unwrap().port())
        .build();
    let domain = portal
        .email
        .inbound_domain
        .clone()
        .unwrap_or(portal.domain.clone());
    let to = format!("support@{domain}");
    let envelope =
        Envelope::new(Some(STRANGER.parse().unwrap()), vec![to.parse().unwrap()]).unwrap();
    let message = format!(
        "From: Stella Stranger <{STRANGER}>\r\nTo: {to}\r\nSubject: Do you ship to Mars?\r\n\
         Message-ID: <mars@nowhere.test>\r\n\r\nHello,\r\ndo you ship to Mars?\r\nStella\r\n"
    );
    smtp.send_raw(&envelope, message.as_bytes()).await.unwrap();
}

/// `render_hashed`, today's date and the time after it masked (`YYYY-MM-DD HH:MM`).
fn dated(app: &mut impl Drawn, width: u16, height: u16) -> String {
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let text = render_hashed(app, width, height);
    let mut pieces = text.split(&today);
    let mut out = pieces.next().unwrap_or_default().to_string();
    for piece in pieces {
        out.push_str("YYYY-MM-DD");
        let b = piece.as_bytes();
        let timed = b.len() >= 6 && b[0] == b' ' && b[3] == b':';
        out.push_str(if timed { " HH:MM" } else { "" });
        out.push_str(if timed { &piece[6..] } else { piece });
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_see_the_queue_decide_on_the_quarantine_and_edit_templates() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = server(dir.path()).await;
    mail_traffic(&server, &url).await;
    let mut app = signed_in(&url, ADA, DEMO_PASSWORD, dir.path()).await;
    app.update(key(KeyCode::Char('3')));
    wait_for(&mut app, "[General]").await;
    send(&mut app, (0..6).map(|_| key(KeyCode::PageDown)));
    let queue = wait_for(&mut app, "2 mails: 0 waiting, 2 failed").await;
    assert!(
        queue.contains("server said:") && queue.contains("such mailbox here"),
        "{queue}"
    );
    insta::assert_snapshot!("mail_queue_80x24", queue);
    insta::assert_snapshot!("mail_queue_120x40", render_hashed(&mut app, 120, 40));
    send(&mut app, [key('r')]);
    wait_for(&mut app, "is queued again.").await;

    send(&mut app, [key(']')]);
    wait_for(&mut app, "Do you ship to Mars?").await;
    insta::assert_snapshot!("mail_quarantine_80x24", dated(&mut app, 80, 24));
    insta::assert_snapshot!("mail_quarantine_120x40", dated(&mut app, 120, 40));
    send(&mut app, [key('a')]);
    wait_for(&mut app, "Accept the mail from stranger@nowhere.test?").await;
    send(&mut app, [key('y')]);
    let accepted = settle(&mut app, 120, 40, "No mail waits in the quarantine").await;
    assert!(
        accepted.contains("Accepted the mail from stranger@nowhere.test: ticket #"),
        "{accepted}"
    );

    send(&mut app, [key(']')]);
    settle(
        &mut app,
        120,
        40,
        "Preview: ticket created mail to Carla Rossi",
    )
    .await;
    send(&mut app, [key(KeyCode::Down), key(KeyCode::Down)]);
    edit(&mut app, "Got it: {subject}");
    let edited = settle(
        &mut app,
        120,
        40,
        "[#1042] Got it: Invoice shows the wrong VAT",
    )
    .await;
    assert!(edited.contains("* modified"), "{edited}");
    insta::assert_snapshot!("mail_templates_80x24", render_hashed(&mut app, 80, 24));
    insta::assert_snapshot!("mail_templates_120x40", render_hashed(&mut app, 120, 40));
    edit(&mut app, "Hi {nickname}");
    send(&mut app, [ctrl('s')]);
    let refused = settle(&mut app, 120, 40, "✗ unknown placeholder {nickname}").await;
    assert!(
        refused.contains("known placeholders: {ticket_number}"),
        "{refused}"
    );
    assert!(refused.contains("Not saved"), "{refused}");
    insta::assert_snapshot!(
        "mail_templates_refused_120x40",
        render_hashed(&mut app, 120, 40)
    );
    edit(&mut app, "Got it, {first_name}: {subject}");
    send(&mut app, [ctrl('s')]);
    wait_for(&mut app, "Saved the mail templates.").await;
    let client = app.client().unwrap().clone();
    let PortalFor::Staff(portal) = client.api().portal().await.unwrap().body else {
        panic!("staff see the staff settings");
    };
    let saved = &portal.settings.email.templates[&MailEvent::TicketCreated];
    assert_eq!(saved.subject, "Got it, {first_name}: {subject}");
    assert_eq!(
        portal.settings.email.templates.len(),
        1,
        "only the edited mail"
    );

    // Editing the body: the editor takes the rows' place, the placeholders stay in sight
    // (whole, wrapped), and the preview stays beside it where there is room.
    send(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    let narrow = settle(&mut app, 80, 24, "Tab keeps · Esc cancels").await;
    assert!(narrow.contains("Placeholders: {ticket_number}"), "{narrow}");
    assert!(narrow.contains("{requester}"), "{narrow}");
    assert!(narrow.contains("Hello {first_name},"), "{narrow}");
    insta::assert_snapshot!("mail_templates_body_80x24", narrow);
    let wide = render_hashed(&mut app, 120, 40);
    assert!(wide.contains("Preview: ticket created mail"), "{wide}");
    assert!(wide.contains("Hello Carla,"), "{wide}");
    insta::assert_snapshot!("mail_templates_body_120x40", wide);
}
