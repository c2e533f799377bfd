//! Mail in, through a real SMTP client (Python's smtplib) to the server's SMTP listener, with
//! the server's own mail going to a real sink (aiosmtpd): a new mail from a contact opens a
//! ticket, a reply lands in its thread without the quote, a stranger holding another
//! ticket's reply address opens their own ticket, an auto-reply is never answered, a repeated
//! Message-ID is taken once, a foreign recipient gets 550, an oversize mail 552, an unknown
//! sender's mail waits in the quarantine of an invite-only portal until an admin accepts it,
//! and a message that is not MIME is kept as text.

mod common;
mod mail_support;

use common::{CARLA, DAN, SAM};
use mail_support::desk::{Desk, desk, mail, send};
use mail_support::{header, mails_to, received};
use std::time::Duration;
both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contacts_mail_opens_a_ticket_and_the_reply_threads_without_the_quote() {
    let Some(Desk { ts, maildir, sam, support, _sink, _dir, .. }) = desk().await else {
        return;
    };
    let codes = send(&ts, CARLA, &[&support], &mail(CARLA, &support, "Printer on fire", "", "It smokes.\r\n.leading dot")).await;
    assert_eq!((codes.mail, codes.rcpt.clone(), codes.data), (250, vec![250], Some(250)));
    let opened = ts.tickets_titled(&sam, "Printer on fire").await;
    assert_eq!(opened.len(), 1, "one ticket");
    let ticket = &opened[0];
    assert_eq!(ticket["source"], "email");
    assert_eq!(ticket["requester_email"], CARLA);
    let description = ticket["description"].as_str().unwrap_or_default();
    assert!(description.contains("It smokes.\n.leading dot"), "{ticket}");
    // The requester hears their ticket exists, with a reply address.
    let confirmation = mails_to(&maildir, CARLA, 1).await.remove(0);
    assert!(header(&confirmation, "Subject").unwrap_or_default().contains("Printer on fire"));
    let reply_to = header(&confirmation, "Reply-To").expect("Reply-To");
    let reply_to = reply_to.trim_start_matches('<').trim_end_matches('>').to_string();
    let parent = header(&confirmation, "Message-ID").expect("Message-ID");
    // Closed meanwhile: the reply reopens it, as any customer reply does.
    let id = ticket["id"].as_i64().expect("id");
    ts.set_ticket(&sam, id, serde_json::json!({"stage": "closed"})).await;
    let answer = mail(CARLA, &reply_to, "Re: Printer on fire", &format!("In-Reply-To: {parent}\r\n"),
        "Still smoking after a restart.\r\n\r\nOn Mon, 7 Dec 2026, Support <support@x> wrote:\r\n> Did you restart it?\r\n");
    let codes = send(&ts, CARLA, &[&reply_to], &answer).await;
    assert_eq!(codes.data, Some(250));
    let messages = ts.thread(&sam, &ticket["id"]).await;
    let last = messages.last().expect("the reply");
    assert_eq!(last["body"], "Still smoking after a restart.");
    let now = ts.get(&format!("/tickets/{id}"), &sam).await.body;
    assert_eq!(now["stage"], "waiting_on_us", "{now}");
    assert_eq!(ts.tickets_titled(&sam, "Re: Printer on fire").await.len(), 0, "no second ticket");
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_with_another_tickets_reply_address_opens_their_own_ticket() {
    let Some(Desk { ts, sam, domain, _sink, _dir, .. }) = desk().await else {
        return;
    };
    let carlas = ts.first_ticket_of(&sam, CARLA).await;
    let id = carlas["id"].as_i64().expect("id");
    let key = ts.server.store.code_key().await.expect("key");
    let address = format!("support+{id}.{}@{domain}", key.reply_token(id));
    let before = ts.thread(&sam, &carlas["id"]).await.len();
    let codes = send(&ts, DAN, &[&address], &mail(DAN, &address, &format!("Re: [#{id}] hello"), "", "Me too!")).await;
    assert_eq!(codes.data, Some(250));
    assert_eq!(ts.thread(&sam, &carlas["id"]).await.len(), before, "Carla's thread is untouched");
    let opened = ts.tickets_titled(&sam, &format!("Re: [#{id}] hello")).await;
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["requester_email"], DAN);
    // A forged token threads nothing either: the subject tag is Dan's to use only on his own.
    let forged = format!("support+{id}.00000000000000000000@{domain}");
    let codes = send(&ts, CARLA, &[&forged], &mail(CARLA, &forged, "forged token", "", "x")).await;
    assert_eq!(codes.data, Some(250));
    assert_eq!(ts.tickets_titled(&sam, "forged token").await.len(), 1, "a new ticket");
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auto_reply_gets_no_answer_a_bounce_is_recorded_and_a_repeat_is_taken_once() {
    let Some(Desk { ts, maildir, ada, sam, support, _sink, _dir, .. }) = desk().await else {
        return;
    };
    let auto = mail(CARLA, &support, "Out of office", "Auto-Submitted: auto-replied\r\n", "I am away.");
    assert_eq!(send(&ts, CARLA, &[&support], &auto).await.data, Some(250));
    let bulk = mail(CARLA, &support, "Newsletter", "Precedence: bulk\r\n", "News.");
    assert_eq!(send(&ts, CARLA, &[&support], &bulk).await.data, Some(250));
    let human = mail(CARLA, &support, "A real question", "", "How do I print?");
    for _ in 0..2 {
        assert_eq!(send(&ts, CARLA, &[&support], &human).await.data, Some(250));
    }
    assert_eq!(ts.tickets_titled(&sam, "Out of office").await.len(), 1, "the auto-reply is kept");
    assert_eq!(ts.tickets_titled(&sam, "A real question").await.len(), 1, "one ticket for one Message-ID");
    // The human's confirmation arrives; none for the machines, sent before it.
    mails_to(&maildir, CARLA, 1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let subjects: Vec<String> = received(&maildir)
        .iter()
        .filter(|m| header(m, "To").as_deref() == Some(CARLA))
        .filter_map(|m| header(m, "Subject"))
        .collect();
    assert_eq!(subjects.iter().filter(|s| s.contains("A real question")).count(), 1, "{subjects:?}");
    assert!(!subjects.iter().any(|s| s.contains("Out of office") || s.contains("Newsletter")), "{subjects:?}");
    // A bounce of that confirmation is recorded on its queued mail, and opens no ticket.
    let confirmation = mails_to(&maildir, CARLA, 1).await.remove(0);
    let bounced_id = header(&confirmation, "Message-ID").expect("Message-ID");
    let report = format!(
        "From: MAILER-DAEMON@mx.acme.test\r\nTo: {support}\r\nSubject: Undelivered Mail Returned to Sender\r\n\
Message-ID: <dsn1@mx.acme.test>\r\nAuto-Submitted: auto-replied\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nMailbox carla@acme.test is full.\r\n\
--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.test\r\n\r\n\
Final-Recipient: rfc822; carla@acme.test\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n\
--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {bounced_id}\r\nTo: carla@acme.test\r\n\
--b--\r\n"
    );
    assert_eq!(send(&ts, "", &[&support], report.as_bytes()).await.data, Some(250));
    assert!(ts.tickets_titled(&sam, "Undelivered Mail Returned to Sender").await.is_empty());
    let queue = ts.get("/mail/queue", &ada).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let row = queue.body.as_array().expect("queue").iter().find(|m| m["message_id"] == bounced_id.as_str()).cloned().expect("the bounced mail");
    assert_eq!(row["state"], "failed", "{row}");
    assert!(row["last_error"].as_str().unwrap_or_default().contains("Mailbox carla@acme.test is full"), "{row}");
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_recipients_oversize_strangers_and_garbage() {
    let Some(Desk { ts, maildir, ada, sam, support, domain, _sink, _dir, .. }) = desk().await else {
        return;
    };
    let foreign = ["sales@".to_string() + &domain, "support@elsewhere.test".to_string()];
    let codes = send(&ts, CARLA, &[&foreign[0], &foreign[1]], b"Subject: x\r\n\r\nx").await;
    assert_eq!((codes.rcpt, codes.data), (vec![550, 550], None));
    let mut big = mail(CARLA, &support, "Huge", "", "").to_vec();
    big.extend(std::iter::repeat_n(b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n".as_slice(), 26 * 1024 * 1024 / 65).flatten());
    assert_eq!(send(&ts, CARLA, &[&support], &big).await.data, Some(552));
    assert!(ts.tickets_titled(&sam, "Huge").await.is_empty());
    // On an invite-only portal, an unknown sender's mail waits in the quarantine; an admin
    // accepts it: the sender becomes a contact, the ticket opens and its confirmation goes out.
    let stranger = "stranger@nowhere.test";
    let codes = send(&ts, stranger, &[&support], &mail(stranger, &support, "Hi from a stranger", "", "?")).await;
    assert_eq!(codes.data, Some(250));
    assert!(ts.tickets_titled(&sam, "Hi from a stranger").await.is_empty());
    let waiting = ts.get("/mail/quarantine", &ada).await.body;
    let id = waiting[0]["id"].as_i64().expect("the stranger's mail waits");
    assert_eq!(waiting[0]["sender"], stranger);
    let accepted = ts.post(&format!("/mail/quarantine/{id}/accept"), &ada, serde_json::json!(null)).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(ts.tickets_titled(&sam, "Hi from a stranger").await.len(), 1);
    let confirmation = mails_to(&maildir, stranger, 1).await.remove(0);
    assert!(header(&confirmation, "Subject").unwrap_or_default().contains("Hi from a stranger"));
    // On a portal open to self-registration, the stranger becomes a contact with a ticket.
    let access = serde_json::json!({"mode": "self_registration", "passwordless": false, "idle_timeout_minutes": 60});
    ts.set_portal(&ada, serde_json::json!({ "access": access })).await;
    // Staff are no strangers: their mail is refused for good, not retried.
    let from_staff = mail(SAM, &support, "Mail from an agent", "", "?");
    assert_eq!(send(&ts, SAM, &[&support], &from_staff).await.data, Some(550));
    let newcomer = "newcomer@nowhere.test";
    let again = mail(newcomer, &support, "Hi from a newcomer", "", "?");
    assert_eq!(send(&ts, newcomer, &[&support], &again).await.data, Some(250));
    let opened = ts.tickets_titled(&sam, "Hi from a newcomer").await;
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["requester_email"], newcomer);
    assert_eq!(ts.contact(&sam, newcomer).await["email"], newcomer);
    // A message that is not MIME at all is kept as its text.
    let garbage = b"\x00\x01{{{ this is not a mail header\r\nnor MIME \xff\xfe but words\r\n";
    assert_eq!(send(&ts, CARLA, &[&support], garbage).await.data, Some(250));
    let opened = ts.tickets_titled(&sam, "(no subject)").await;
    assert_eq!(opened.len(), 1);
    let detail = ts.get(&format!("/tickets/{}", opened[0]["id"]), &sam).await;
    assert!(detail.text.contains("but words"), "{}", detail.text);
    assert_eq!(opened[0]["requester_email"], CARLA);
}
}
