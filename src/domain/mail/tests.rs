use super::*;

fn values() -> MailValues {
    MailValues {
        ticket_number: 123,
        subject: "Printer on fire".into(),
        recipient_name: "Carla Rossi".into(),
        requester: "Carla Rossi".into(),
        portal_url: "https://help.acme.test/support".into(),
        portal_name: "Acme Support".into(),
        message: "We sent a technician.".into(),
    }
}

#[test]
fn every_default_uses_only_known_placeholders_in_both_languages() {
    for language in ["en", "it"] {
        let templates = MailEvent::ALL
            .into_iter()
            .map(|e| (e, defaults::template(e, language)))
            .collect();
        let settings = EmailSettings {
            inbound_domain: None,
            templates,
        };
        assert_eq!(settings.validate(), Ok(()), "{language}");
    }
}

#[test]
fn the_portal_language_picks_the_defaults_and_overrides_win() {
    let settings = EmailSettings::default();
    let it = settings.template(MailEvent::TicketCreated, "it-IT");
    assert!(it.subject.starts_with("Abbiamo ricevuto"), "{it:?}");
    let en = settings.template(MailEvent::TicketCreated, "de");
    assert!(en.subject.starts_with("We received"), "{en:?}");
    let own = MailTemplate {
        subject: "Got it: {subject}".into(),
        body: "Ticket {ticket_number}".into(),
    };
    let settings = EmailSettings {
        inbound_domain: None,
        templates: [(MailEvent::TicketCreated, own.clone())].into(),
    };
    assert_eq!(settings.template(MailEvent::TicketCreated, "it"), own);
}

#[test]
fn rendering_fills_placeholders_and_tags_the_subject_once() {
    let created = defaults::template(MailEvent::TicketCreated, "en");
    let mail = render(&created, &values());
    assert_eq!(
        mail.subject,
        "[#123] We received your request: Printer on fire"
    );
    assert!(mail.body.starts_with("Hello Carla,"), "{}", mail.body);
    assert!(mail.body.contains("Its number is 123."));
    assert!(mail.body.contains("https://help.acme.test/support"));
    let tagged = MailTemplate {
        subject: "[#{ticket_number}] {subject}".into(),
        body: "{message}".into(),
    };
    let mail = render(&tagged, &values());
    assert_eq!(mail.subject, "[#123] Printer on fire");
    assert_eq!(mail.body, "We sent a technician.");
}

#[test]
fn values_are_not_filled_in_again_and_stray_braces_stay() {
    let mut v = values();
    v.subject = "{message} and {nope".into();
    let template = MailTemplate {
        subject: "{subject}".into(),
        body: "a {b c} {subject} {".into(),
    };
    let mail = render(&template, &v);
    assert_eq!(mail.subject, "[#123] {message} and {nope");
    assert_eq!(mail.body, "a {b c} {message} and {nope {");
}

#[test]
fn a_subject_is_one_line_whatever_the_ticket_subject_holds() {
    let mut v = values();
    v.subject = "one\r\nBcc: x@evil.test".into();
    let mail = render(&defaults::template(MailEvent::StaffReply, "en"), &v);
    assert!(!mail.subject.contains(['\r', '\n']), "{}", mail.subject);
}

#[test]
fn an_unknown_placeholder_is_refused_with_the_field_and_the_known_ones() {
    let settings = EmailSettings {
        inbound_domain: None,
        templates: [(
            MailEvent::StaffReply,
            MailTemplate {
                subject: "Re: {subject}".into(),
                body: "Hi {fist_name}".into(),
            },
        )]
        .into(),
    };
    let error = settings.validate().unwrap_err();
    assert_eq!(error.field, "email.templates.staff_reply.body");
    assert!(error.message.contains("{fist_name}"), "{}", error.message);
    for (known, _) in PLACEHOLDERS {
        assert!(error.message.contains(&format!("{{{known}}}")), "{known}");
    }
}

#[test]
fn empty_or_multi_line_subjects_and_bad_inbound_domains_are_refused() {
    let with = |subject: &str| EmailSettings {
        inbound_domain: None,
        templates: [(
            MailEvent::TicketClosed,
            MailTemplate {
                subject: subject.into(),
                body: "x".into(),
            },
        )]
        .into(),
    };
    assert_eq!(
        with(" ").validate().unwrap_err().field,
        "email.templates.ticket_closed.subject"
    );
    assert!(with("a\nb").validate().is_err());
    let bad_domain = EmailSettings {
        inbound_domain: Some("not a host".into()),
        templates: BTreeMap::new(),
    };
    assert_eq!(
        bad_domain.validate().unwrap_err().field,
        "email.inbound_domain"
    );
}
