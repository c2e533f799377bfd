//! CCs by mail, through a real SMTP client to the server's listener and the server's mail to a
//! real sink (aiosmtpd): a new mail copying two colleagues of the requester and two others
//! copies the colleagues on the ticket and lists the others; "ticket created" and an agent's
//! reply reach the requester and both CCs (an internal note nobody); closing it mails them
//! too, assigning it only the agent; a CC's answer joins the thread as theirs
//! and the requester stays; a bounced reply is flagged on its message for staff only.

mod common;
mod mail_support;

use common::{CARLA, DAN, GINA};
use mail_support::desk::{Desk, desk, mail, send};
use mail_support::{header, mails_to, received};
use serde_json::{Value, json};

const PRIYA: &str = "priya@acme.test";
const OUTSIDER: &str = "someone@elsewhere.test";

/// Mails to `address` whose subject names `text`.
fn mails_about(maildir: &std::path::Path, address: &str, text: &str) -> Vec<String> {
    received(maildir)
        .into_iter()
        .filter(|m| header(m, "To").as_deref() == Some(address))
        .filter(|m| m.contains(text))
        .collect()
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colleagues_in_cc_are_copied_get_replies_and_may_answer_as_themselves() {
    let Some(Desk { ts, maildir, ada, sam, support, _sink, _dir, .. }) = desk().await else {
        return;
    };
    let cc = format!("Cc: Dan <{DAN}>, {PRIYA}, {GINA}, {OUTSIDER}\r\n");
    let opening = mail(CARLA, &support, "Badge reader broken", &cc, "None of us can get in.");
    assert_eq!(send(&ts, CARLA, &[&support], &opening).await.data, Some(250));
    let opened = ts.tickets_titled(&sam, "Badge reader broken").await;
    assert_eq!(opened.len(), 1, "one ticket");
    let ticket = &opened[0];
    let id = ticket["id"].as_i64().expect("id");
    let (dan_id, priya_id) = (ts.contact(&sam, DAN).await["id"].clone(), ts.contact(&sam, PRIYA).await["id"].clone());
    assert_eq!(ticket["ccs"], json!([dan_id, priya_id]), "the requester's colleagues, and only them");
    assert_eq!(ticket["mail_cc"], json!([DAN, PRIYA, GINA, OUTSIDER]), "the others are listed");
    assert_eq!(ticket["requester_email"], CARLA);

    // "Ticket created" reaches the requester and each CC, each their own mail, never the
    // addresses that were only listed.
    let mut created_ids = Vec::new();
    for (address, first_name) in [(CARLA, "Carla"), (DAN, "Dan"), (PRIYA, "Priya")] {
        let created = mails_to(&maildir, address, 1).await.remove(0);
        assert!(header(&created, "Subject").unwrap_or_default().contains("We received your request"), "{created}");
        assert!(created.contains(&format!("Hello {first_name}")), "{created}");
        let reply_to = header(&created, "Reply-To").unwrap_or_default();
        assert!(reply_to.contains(&format!("support+{id}.")), "{address}: {reply_to}");
        created_ids.push(header(&created, "Message-ID").expect("Message-ID"));
    }
    created_ids.sort();
    created_ids.dedup();
    assert_eq!(created_ids.len(), 3, "one mail each");

    // A note reaches nobody; the reply reaches the requester and each CC, never Gina.
    let note = ts.post(&format!("/tickets/{id}/messages"), &sam, json!({"body": "Call facilities", "internal": true})).await;
    assert_eq!(note.status, 201, "{}", note.text);
    let reply = ts.post(&format!("/tickets/{id}/messages"), &sam, json!({"body": "A technician is on the way."})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let reply_id = reply.body["id"].clone();
    let mut to_dan = Vec::new();
    // Each also has their "ticket created" mail, which the reply follows in their thread.
    for address in [CARLA, DAN, PRIYA] {
        let n = 2;
        let all = mails_to(&maildir, address, n).await;
        assert_eq!(all.len(), n, "{address}: {all:#?}");
        let got = mails_about(&maildir, address, "A technician is on the way.");
        assert_eq!(got.len(), 1, "{address}: one copy of the reply");
        assert!(header(&got[0], "Subject").unwrap_or_default().contains(&format!("[#{id}]")));
        assert_eq!(header(&got[0], "In-Reply-To"), header(&all[0], "Message-ID"), "{address}");
        if address == DAN {
            to_dan = got;
        }
    }
    assert!(received(&maildir).iter().all(|m| !m.contains("Call facilities")), "the note was mailed");
    for listed in [GINA, OUTSIDER] {
        assert!(mails_about(&maildir, listed, "Badge reader").is_empty(), "{listed} is not copied");
    }

    // Dan answers from his copy: his message joins the thread, Carla stays the requester.
    let reply_to = header(&to_dan[0], "Reply-To").expect("Reply-To");
    let reply_to = reply_to.trim_start_matches('<').trim_end_matches('>').to_string();
    let parent = header(&to_dan[0], "Message-ID").expect("Message-ID");
    let answer = mail(DAN, &reply_to, &format!("Re: [#{id}] Badge reader broken"),
        &format!("In-Reply-To: {parent}\r\nCc: {GINA}\r\n"), "Thanks, I will wait at the door.");
    assert_eq!(send(&ts, DAN, &[&reply_to], &answer).await.data, Some(250));
    let messages = ts.thread(&sam, &json!(id)).await;
    let last = messages.last().expect("Dan's answer");
    assert_eq!(last["body"], "Thanks, I will wait at the door.");
    assert_eq!(last["author"]["name"], "Dan Ito");
    assert_eq!((&last["channel"], &last["sender_address"]), (&json!("email"), &json!(DAN)));
    assert_eq!(last["cc"], json!([GINA]));
    let now = ts.get(&format!("/tickets/{id}"), &sam).await.body;
    assert_eq!((&now["requester_email"], &now["stage"]), (&json!(CARLA), &json!("waiting_on_us")), "{now}");
    assert!(ts.tickets_titled(&sam, &format!("Re: [#{id}] Badge reader broken")).await.is_empty(), "no second ticket");

    // Priya's copy bounces: staff see it on the reply, customers never do.
    let to_priya = mails_about(&maildir, PRIYA, "A technician is on the way.").remove(0);
    let bounced = header(&to_priya, "Message-ID").expect("Message-ID");
    let report = format!(
        "From: MAILER-DAEMON@mx.acme.test\r\nTo: {support}\r\nSubject: Undelivered\r\n\
Message-ID: <dsn-cc@mx.acme.test>\r\nAuto-Submitted: auto-replied\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nMailbox priya@acme.test does not exist.\r\n\
--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.test\r\n\r\n\
Final-Recipient: rfc822; priya@acme.test\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {bounced}\r\nTo: priya@acme.test\r\n\
--b--\r\n"
    );
    assert_eq!(send(&ts, "", &[&support], report.as_bytes()).await.data, Some(250));
    let staff_reply = ts.thread(&ada, &json!(id)).await.into_iter().find(|m| m["id"] == reply_id).expect("reply");
    let failures = staff_reply["mail_failures"].as_array().cloned().unwrap_or_default();
    assert_eq!(failures.len(), 1, "{staff_reply}");
    assert_eq!(failures[0]["recipient"], PRIYA);
    assert!(failures[0]["error"].as_str().unwrap_or_default().contains("does not exist"), "{staff_reply}");
    let carla = ts.demo_login(CARLA).await;
    let theirs: Vec<Value> = ts.get(&format!("/tickets/{id}"), &carla).await.body["messages"].as_array().cloned().unwrap_or_default();
    assert!(!theirs.is_empty());
    for m in &theirs {
        assert!(m.get("mail_failures").is_none() && m.get("sender_address").is_none() && m.get("cc").is_none(), "{m}");
    }
}
}

both_stores! {
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_mails_the_requester_and_ccs_and_assigning_only_the_agent() {
    let Some(Desk { ts, maildir, sam, support, _sink, _dir, .. }) = desk().await else {
        return;
    };
    let opening = mail(CARLA, &support, "Printer on fire", &format!("Cc: {DAN}, {GINA}\r\n"), "Smoke everywhere.");
    assert_eq!(send(&ts, CARLA, &[&support], &opening).await.data, Some(250));
    let ticket = ts.tickets_titled(&sam, "Printer on fire").await.remove(0);
    let id = ticket["id"].as_i64().expect("id");
    for address in [CARLA, DAN] {
        mails_to(&maildir, address, 1).await;
    }
    // The rules may have assigned it already (that agent has their mail); assign another.
    let users = ts.get("/users", &sam).await.body.as_array().cloned().expect("users");
    let email_of = |id: &Value| users.iter().find(|u| &u["id"] == id).map(|u| u["email"].as_str().expect("email").to_string());
    let first_owner = email_of(&ticket["owner_id"]);
    let agent = users.iter().find(|u| u["id"] != ticket["owner_id"]).expect("another agent");
    let agent_email = agent["email"].as_str().expect("email").to_string();
    ts.set_ticket(&sam, id, json!({"owner_id": agent["id"]})).await;
    ts.set_ticket(&sam, id, json!({"stage": "closed"})).await;

    // The queue sends in order: once both "closed" mails are in, everything before them is.
    for address in [CARLA, DAN] {
        let closed = mails_to(&maildir, address, 2).await.remove(1);
        assert!(header(&closed, "Subject").unwrap_or_default().starts_with(&format!("[#{id}] Closed: Printer on fire")), "{closed}");
    }
    let assigned = mails_about(&maildir, &agent_email, "Assigned to you: Printer on fire");
    assert_eq!(assigned.len(), 1, "{:#?}", received(&maildir));
    let about_it: Vec<String> = received(&maildir).into_iter().filter(|m| m.contains("Printer on fire")).collect();
    let mut recipients: Vec<String> = about_it.iter().filter_map(|m| header(m, "To")).collect();
    recipients.sort();
    let mut expected: Vec<String> = [CARLA, CARLA, DAN, DAN].map(String::from).into_iter().chain([agent_email]).chain(first_owner).collect();
    expected.sort();
    assert_eq!(recipients, expected, "never Gina, who was only listed");
}
}
