//! Reads a received message (MIME, through `mail-parser`) into what threading and the store
//! need. Nothing here fails: a message that cannot be read as MIME is kept as its raw text.

use crate::domain::mail::inbound::{Origin, fold_reply, is_automatic};
use crate::domain::portal::{MAX_BODY, MAX_SUBJECT};
use crate::domain::text::{normalize_email, strip_control};
use mail_parser::{HeaderName, HeaderValue, MessageParser, MimeHeaders};

/// A received message as deskport uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMail {
    /// The `From` address, lower-cased, if it is an address.
    pub from: Option<String>,
    /// The `From` display name, if given.
    pub from_name: Option<String>,
    /// The subject, one line, at most the longest ticket subject.
    pub subject: String,
    /// `Message-ID` in angle brackets, if present.
    pub message_id: Option<String>,
    /// `In-Reply-To` then `References`, each in angle brackets, nearest first.
    pub parents: Vec<String>,
    /// Sent by a machine (auto-reply, list, bounce): never answered.
    pub automatic: bool,
    /// A delivery-status report: the Message-IDs of the mails it reports on.
    pub bounced: Option<Vec<String>>,
    /// The `Cc` addresses, lower-cased, in the mail's order, each once.
    pub cc: Vec<String>,
    /// What the customer wrote this time (quotes and signature folded away), or the raw
    /// text of a message that is not MIME.
    pub body: String,
}

/// `id` (a Message-ID or an address) without spaces and angle brackets.
fn bare(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>')
}

/// `id` in angle brackets, as Message-IDs are stored.
fn bracketed(id: &str) -> String {
    format!("<{}>", bare(id))
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![bracketed(id)],
        HeaderValue::TextList(list) => list.iter().map(|id| bracketed(id)).collect(),
        _ => Vec::new(),
    }
}

/// One line of display text from a header.
fn one_line(text: &str) -> String {
    strip_control(&text.replace(['\r', '\n'], " "))
        .trim()
        .to_string()
}

/// Reads `raw`; `envelope_from` (the SMTP `MAIL FROM`) stands in for a missing `From`.
pub fn read(raw: &[u8], envelope_from: &str) -> ReadMail {
    let Some(message) = MessageParser::default()
        .parse(raw)
        .filter(|m| m.from().is_some())
    else {
        return unreadable(raw, envelope_from);
    };
    let from_addr = message.from().and_then(|a| a.first());
    let from = from_addr
        .and_then(|a| a.address())
        .and_then(normalize_email)
        .or_else(|| normalize_email(envelope_from));
    let from_name = from_addr
        .and_then(|a| a.name())
        .map(one_line)
        .filter(|n| !n.is_empty());
    let subject: String = one_line(message.subject().unwrap_or_default())
        .chars()
        .take(MAX_SUBJECT)
        .collect();
    let mut parents = ids(message.in_reply_to());
    let mut references = ids(message.references());
    references.reverse();
    parents.extend(references);
    let origin = Origin {
        sender: from.as_deref().unwrap_or(envelope_from),
        auto_submitted: message.header_raw("Auto-Submitted"),
        precedence: message.header_raw("Precedence"),
    };
    let is_report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    let mut cc: Vec<String> = Vec::new();
    for address in message
        .header_values(HeaderName::Cc)
        .filter_map(HeaderValue::as_address)
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address().and_then(normalize_email))
    {
        if !cc.contains(&address) {
            cc.push(address);
        }
    }
    let text = message
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    ReadMail {
        automatic: is_automatic(&origin) || is_report,
        bounced: is_report.then(|| reported_ids(raw, message.message_id())),
        from,
        from_name,
        subject,
        message_id: message.message_id().map(bracketed),
        parents,
        cc,
        body: fold_reply(&strip_control(&text), MAX_BODY),
    }
}

/// Who a message taken from a mailbox was from and for, as its headers say (it has no SMTP
/// envelope): the sender from `Return-Path`, the recipients from `Delivered-To`,
/// `X-Original-To`, `To` and `Cc`, so a reply address is found wherever the mail server put
/// it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderEnvelope {
    /// `Return-Path`, or empty.
    pub sender: String,
    /// Every recipient address the headers name.
    pub recipients: Vec<String>,
}

/// Reads the [`HeaderEnvelope`] of `raw` (empty for a message that is not MIME).
pub fn header_envelope(raw: &[u8]) -> HeaderEnvelope {
    let Some(message) = MessageParser::default().parse_headers(raw) else {
        return HeaderEnvelope::default();
    };
    let sender = match message.return_path() {
        HeaderValue::Text(path) => bare(path).to_string(),
        _ => String::new(),
    };
    let recipients = ["Delivered-To", "X-Original-To", "To", "Cc"]
        .into_iter()
        .flat_map(|name| message.header_values(name))
        .flat_map(|value| match value {
            HeaderValue::Address(address) => address
                .iter()
                .filter_map(|a| a.address())
                .map(str::to_string)
                .collect(),
            HeaderValue::Text(text) => vec![bare(text).to_string()],
            _ => Vec::new(),
        })
        .collect();
    HeaderEnvelope { sender, recipients }
}

/// A message that is not MIME: its raw text is the body, its sender the envelope's.
fn unreadable(raw: &[u8], envelope_from: &str) -> ReadMail {
    let text = strip_control(&String::from_utf8_lossy(raw));
    let text = if text.trim().is_empty() {
        "(empty message)".to_string()
    } else {
        text
    };
    ReadMail {
        from: normalize_email(envelope_from),
        from_name: None,
        subject: String::new(),
        message_id: None,
        parents: Vec::new(),
        cc: Vec::new(),
        automatic: is_automatic(&Origin {
            sender: envelope_from,
            ..Origin::default()
        }),
        bounced: None,
        body: fold_reply(&text, MAX_BODY),
    }
}

/// The Message-IDs a delivery report quotes from the mail it returns (its `message/rfc822`
/// or `text/rfc822-headers` part), other than the report's own.
fn reported_ids(raw: &[u8], own: Option<&str>) -> Vec<String> {
    let own = own.map(bracketed);
    let text = String::from_utf8_lossy(raw);
    let mut found: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("message-id")
                .then(|| bracketed(value))
        })
        .filter(|id| Some(id) != own.as_ref() && id.len() > 2)
        .collect();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_preferred_and_threading_headers_are_read() {
        let raw = "From: Carla Rossi <Carla@Acme.test>\r\nTo: support@h.test\r\nSubject: Re: [#4] Printer\r\n\
Message-ID: <abc@acme.test>\r\nIn-Reply-To: <q1@h.test>\r\nReferences: <q0@h.test> <q1@h.test>\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
It works now.\r\n\r\nOn Mon, Ada wrote:\r\n> old\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>HTML</p>\r\n--b--\r\n";
        let mail = read(raw.as_bytes(), "bounce@acme.test");
        assert_eq!(mail.from.as_deref(), Some("carla@acme.test"));
        assert_eq!(mail.from_name.as_deref(), Some("Carla Rossi"));
        assert_eq!(mail.subject, "Re: [#4] Printer");
        assert_eq!(mail.message_id.as_deref(), Some("<abc@acme.test>"));
        assert_eq!(
            mail.parents,
            vec!["<q1@h.test>", "<q1@h.test>", "<q0@h.test>"]
        );
        assert_eq!(mail.body, "It works now.");
        assert!(mail.cc.is_empty());
        assert!(!mail.automatic);
        assert_eq!(mail.bounced, None);
    }

    #[test]
    fn the_header_envelope_names_every_recipient_header() {
        let raw = "Return-Path: <bounce@acme.test>\r\nDelivered-To: support+4.tok@h.test\r\n\
From: c@acme.test\r\nTo: Help <support@h.test>, other@acme.test\r\nCc: boss@acme.test\r\n\
Subject: x\r\n\r\nbody\r\n";
        let envelope = header_envelope(raw.as_bytes());
        assert_eq!(envelope.sender, "bounce@acme.test");
        assert_eq!(
            envelope.recipients,
            vec![
                "support+4.tok@h.test",
                "support@h.test",
                "other@acme.test",
                "boss@acme.test"
            ]
        );
        assert_eq!(header_envelope(b"\x00\xff"), HeaderEnvelope::default());
    }

    #[test]
    fn cc_addresses_are_read_lower_cased_and_once() {
        let raw = "From: c@acme.test\r\nCc: Dan <Dan@Acme.test>, e@acme.test\r\nCc: dan@acme.test, \
Team: f@globex.test;\r\nSubject: x\r\n\r\nHi\r\n";
        let mail = read(raw.as_bytes(), "");
        assert_eq!(
            mail.cc,
            vec!["dan@acme.test", "e@acme.test", "f@globex.test"],
            "every Cc header, groups included"
        );
    }

    #[test]
    fn html_only_mail_becomes_readable_text() {
        let raw = "From: c@acme.test\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n\
<html><body><p>Hello <b>there</b></p><script>x</script></body></html>\r\n";
        let mail = read(raw.as_bytes(), "");
        assert!(mail.body.contains("Hello there"), "{}", mail.body);
        assert!(!mail.body.contains('<'), "{}", mail.body);
    }

    #[test]
    fn garbage_is_kept_as_text_and_reports_are_recognised() {
        let mail = read(b"\x00\xff not mime at all\x1b[2J", "c@acme.test");
        assert_eq!(mail.from.as_deref(), Some("c@acme.test"));
        assert!(mail.body.contains("not mime at all"), "{}", mail.body);
        assert!(!mail.body.contains('\u{1b}'));
        let report = "From: MAILER-DAEMON@mx.acme.test\r\nSubject: Undelivered\r\nMessage-ID: <r@mx>\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/plain\r\n\r\nGone.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n\
Status: 5.1.1\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <sent1@h.test>\r\n--b--\r\n";
        let mail = read(report.as_bytes(), "");
        assert!(mail.automatic);
        assert_eq!(mail.bounced, Some(vec!["<sent1@h.test>".to_string()]));
    }
}
