//! Unit tests of the portal settings rules.

use super::*;
use crate::domain::i18n::Language;

fn domains() -> Vec<DomainInfo> {
    vec![DomainInfo {
        host: "help.acme.test".into(),
        primary_language: "en".into(),
        system: false,
    }]
}

fn configured() -> PortalSettings {
    let mut p = PortalSettings::unconfigured("help.acme.test");
    p.default_inbox_id = Some(1);
    p.configured = true;
    p
}

#[test]
fn slugs() {
    for ok in ["a", "help", "help-desk-2", &"a".repeat(64)] {
        assert!(check_slug(ok).is_ok(), "{ok}");
    }
    for bad in ["", "-a", "a-", "Help", "a b", "a/b", "é", &"a".repeat(65)] {
        assert!(check_slug(bad).is_err(), "{bad}");
    }
}

#[test]
fn names() {
    assert!(check_name("Acme Support").is_ok());
    assert!(check_name("  ").is_err());
    assert!(check_name(&"x".repeat(81)).is_err());
    assert!(check_name("a\nb").is_err());
}

#[test]
fn valid_settings_pass_and_unknown_domain_fails() {
    let p = configured();
    assert_eq!(p.validate(&domains(), &[1]), Ok(()));
    let mut q = p.clone();
    q.domain = "elsewhere.test".into();
    assert_eq!(q.validate(&domains(), &[1]).unwrap_err().field, "domain");
    assert_eq!(
        p.validate(&domains(), &[2]).unwrap_err().field,
        "default_inbox_id"
    );
    assert_eq!(p.portal_url(), "https://help.acme.test/support");
}

#[test]
fn idle_timeout_must_be_one_of_four() {
    let mut p = configured();
    p.access.idle_timeout_minutes = 30;
    assert_eq!(
        p.validate(&domains(), &[1]).unwrap_err().field,
        "access.idle_timeout_minutes"
    );
}

#[test]
fn contact_filter_needs_conditions_and_matches_properties() {
    let mut perm = TicketPermission {
        mode: PermissionMode::ContactFilter,
        filter: vec![],
    };
    assert!(perm.validate().is_err());
    perm.filter.push(PropertyFilter {
        property: "plan".into(),
        op: ConditionOp::In,
        value: MatchValue::Many(vec!["gold".into(), "platinum".into()]),
    });
    assert!(perm.validate().is_ok());
    let gold = BTreeMap::from([("plan".to_string(), "gold".to_string())]);
    let free = BTreeMap::from([("plan".to_string(), "free".to_string())]);
    assert!(perm.grants_company(&gold));
    assert!(!perm.grants_company(&free));
    assert!(!perm.grants_company(&BTreeMap::new()));
}

#[test]
fn form_fields_are_validated() {
    let mut p = configured();
    p.support_form.fields = vec![FormField {
        key: "Bad Key".into(),
        label: "x".into(),
        kind: FieldKind::Text,
        required: false,
        options: vec![],
        private: false,
    }];
    assert!(
        p.validate(&domains(), &[1])
            .unwrap_err()
            .field
            .ends_with(".key")
    );
    p.support_form.fields[0].key = "plan".into();
    p.support_form.fields[0].kind = FieldKind::Select;
    assert!(
        p.validate(&domains(), &[1])
            .unwrap_err()
            .field
            .ends_with(".options")
    );
    p.support_form.fields[0].options = vec!["a".into()];
    assert!(p.validate(&domains(), &[1]).is_ok());
    p.support_form.fields.push(p.support_form.fields[0].clone());
    assert!(
        p.validate(&domains(), &[1])
            .unwrap_err()
            .message
            .contains("twice")
    );
}

#[test]
fn submissions_are_checked_against_the_form() {
    let form = SupportForm {
        enabled: true,
        fields: vec![
            FormField {
                key: "area".into(),
                label: "Area".into(),
                kind: FieldKind::Select,
                required: true,
                options: vec!["billing".into(), "tech".into()],
                private: false,
            },
            FormField {
                key: "cc".into(),
                label: "CC".into(),
                kind: FieldKind::Email,
                required: false,
                options: vec![],
                private: true,
            },
        ],
    };
    let ok = BTreeMap::from([("area".to_string(), "tech".to_string())]);
    assert!(
        form.check_submission("Printer", "It jams", &ok, Language::English)
            .is_ok()
    );
    let bad = BTreeMap::from([
        ("area".to_string(), "sales".to_string()),
        ("cc".to_string(), "not-an-email".to_string()),
        ("extra".to_string(), "x".to_string()),
    ]);
    let errors = form
        .check_submission("", "", &bad, Language::English)
        .unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "subject",
            "description",
            "form_fields.extra",
            "form_fields.area",
            "form_fields.cc"
        ]
    );
    let missing = form
        .check_submission("s", "d", &BTreeMap::new(), Language::English)
        .unwrap_err();
    assert_eq!(missing[0].field, "form_fields.area");
}

#[test]
fn patch_bumps_versions_and_consent_on_text_change() {
    let p = configured();
    let same_text = PortalPatch {
        consent: Some(p.consent.clone()),
        ..Default::default()
    }
    .apply(&p);
    assert_eq!(same_text.version, p.version + 1);
    assert_eq!(same_text.consent.version, p.consent.version);
    let mut c = p.consent.clone();
    c.text = "New terms".into();
    let changed = PortalPatch {
        consent: Some(c),
        ..Default::default()
    }
    .apply(&p);
    assert_eq!(changed.consent.version, p.consent.version + 1);
}

#[test]
fn consent_needed_until_current_version_accepted() {
    let mut p = configured();
    p.consent = Consent {
        enabled: true,
        text: "Terms".into(),
        required: true,
        version: 2,
    };
    let mut contact = Contact {
        id: 1,
        email: "a@b.test".into(),
        name: "A".into(),
        company_id: None,
        properties: BTreeMap::new(),
        registration: crate::domain::Registration::Registered,
        consent: None,
    };
    assert!(p.consent_needed(&contact));
    contact.consent = Some(crate::domain::people::ConsentRecord {
        version: 1,
        accepted_at: "t".into(),
    });
    assert!(p.consent_needed(&contact));
    contact.consent = Some(crate::domain::people::ConsentRecord {
        version: 2,
        accepted_at: "t".into(),
    });
    assert!(!p.consent_needed(&contact));
}

#[test]
fn contact_details_are_private_unless_the_form_says_otherwise() {
    // A portal stored before fields had `private`: contact details turn private, the rest not.
    let stored = r#"{"enabled": true, "fields": [
        {"key": "cc", "label": "Copy to", "kind": "email"},
        {"key": "contact_phone", "label": "Call-back number", "kind": "text"},
        {"key": "reach", "label": "Your mobile", "kind": "text"},
        {"key": "plan", "label": "Plan", "kind": "select", "options": ["gold"]},
        {"key": "work_email", "label": "Work address", "kind": "text", "private": false},
        {"key": "order", "label": "Order", "kind": "text", "private": true}
    ]}"#;
    let form: SupportForm = serde_json::from_str(stored).expect("an old form loads");
    let private: Vec<bool> = form.fields.iter().map(|f| f.private).collect();
    assert_eq!(private, [true, true, true, false, false, true]);
    let unknown = r#"{"key": "a", "label": "A", "kind": "text", "secret": true}"#;
    assert!(serde_json::from_str::<FormField>(unknown).is_err());
    let again: SupportForm =
        serde_json::from_str(&serde_json::to_string(&form).expect("json")).expect("reloads");
    assert_eq!(again, form);

    let answers = BTreeMap::from(
        [
            ("cc", "a@b.test"),
            ("contact_phone", "555"),
            ("plan", "gold"),
            ("work_email", "w@b.test"),
            ("order", "42"),
            ("home_phone", "556"),
            ("old_field", "kept"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    assert_eq!(form.answers_for(answers.clone(), true), answers);
    let colleague = form.answers_for(answers, false);
    assert_eq!(
        colleague.keys().collect::<Vec<_>>(),
        ["old_field", "plan", "work_email"],
        "an answer no field describes is judged by its key"
    );
}

#[test]
fn unknown_answers_are_named_once_however_many() {
    let form = SupportForm {
        enabled: true,
        fields: vec![],
    };
    let many: BTreeMap<String, String> = (0..5000)
        .map(|i| (format!("k{i:05}"), "v".to_string()))
        .collect();
    let errors = form
        .check_submission("s", "d", &many, Language::English)
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "form_fields.k00000");
    assert!(
        errors[0].message.contains("4999 other keys"),
        "{}",
        errors[0].message
    );
    let huge = BTreeMap::from([("k".repeat(100_000), "v".to_string())]);
    let errors = form
        .check_submission("s", "d", &huge, Language::English)
        .unwrap_err();
    assert!(errors[0].field.len() < 200, "{}", errors[0].field.len());
}
