//! The fixed setup of the demo portal: domains, inboxes, settings, routing rules, staff,
//! companies and contacts.

use super::text::rfc3339;
use super::{BASE, BILLING_INBOX, DAY, PORTAL_DOMAIN, SUPPORT_INBOX, SYSTEM_DOMAIN};
use crate::domain::people::ConsentRecord;
use crate::domain::portal::{CustomerColumn, SortOrder, private_by_default};
use crate::domain::routing::{AssignNamed, AssignTarget, MatchMode, MatchValue, RuleOutcome};
use crate::domain::{
    Access, AccessMode, Assignment, Company, Condition, ConditionField, ConditionOp, Consent,
    Contact, DomainInfo, FieldKind, FormField, Inbox, InboxKind, PermissionMode, PortalSettings,
    Priority, Registration, Role, RoutingRule, Stage, SupportForm, TicketPermission, TicketView,
    User,
};
use std::collections::BTreeMap;

/// The domains: the portal's connected one, the vendor's system one and an Italian one.
pub fn domains() -> Vec<DomainInfo> {
    let d = |host: &str, lang: &str, system| DomainInfo {
        host: host.into(),
        primary_language: lang.into(),
        system,
    };
    vec![
        d(PORTAL_DOMAIN, "en", false),
        d(SYSTEM_DOMAIN, "en", true),
        d("assistenza.deskport.test", "it", false),
    ]
}

/// Support (round robin, the default) and Billing (least loaded, capacity 50), both staffed
/// by Sam and Lin.
pub fn inboxes() -> Vec<Inbox> {
    vec![
        Inbox {
            id: SUPPORT_INBOX,
            name: "Support".into(),
            kind: InboxKind::Inbox,
            members: vec![2, 3],
            assignment: Assignment::RoundRobin,
            capacity: None,
        },
        Inbox {
            id: BILLING_INBOX,
            name: "Billing".into(),
            kind: InboxKind::HelpDesk,
            members: vec![2, 3],
            assignment: Assignment::LeastLoaded,
            capacity: Some(50),
        },
    ]
}

/// The portal settings: configured, `contact` mode, consent required, a few optional fields.
pub fn portal() -> PortalSettings {
    let labels = [
        (Stage::New, "Open"),
        (Stage::WaitingOnContact, "Awaiting your reply"),
        (Stage::WaitingOnUs, "In progress"),
        (Stage::Closed, "Resolved"),
    ];
    let field = |key: &str, label: &str, kind, options: &[&str]| FormField {
        key: key.into(),
        label: label.into(),
        kind,
        required: false,
        options: options.iter().map(|o| o.to_string()).collect(),
        private: private_by_default(kind, key, label),
    };
    PortalSettings {
        name: "Deskport Demo Support".into(),
        domain: PORTAL_DOMAIN.into(),
        slug: "help".into(),
        default_inbox_id: Some(SUPPORT_INBOX),
        ticket_permission: TicketPermission {
            mode: PermissionMode::Contact,
            filter: vec![],
        },
        access: Access {
            mode: AccessMode::InviteOnly,
            passwordless: true,
            idle_timeout_minutes: 60,
        },
        ticket_view: TicketView {
            columns: vec![
                CustomerColumn::Id,
                CustomerColumn::Subject,
                CustomerColumn::Status,
                CustomerColumn::Updated,
            ],
            stage_labels: labels.iter().map(|&(s, l)| (s, l.to_string())).collect(),
            show_closed: true,
            default_sort: SortOrder {
                column: CustomerColumn::Updated,
                descending: true,
            },
        },
        consent: Consent {
            enabled: true,
            text: CONSENT_TEXT.into(),
            required: true,
            version: 1,
        },
        support_form: SupportForm {
            enabled: true,
            fields: vec![
                field(
                    "category",
                    "Category",
                    FieldKind::Select,
                    &["billing", "technical", "account", "other"],
                ),
                field(
                    "order_number",
                    "Order or invoice number",
                    FieldKind::Text,
                    &[],
                ),
                field(
                    "contact_phone",
                    "Phone number for a call back",
                    FieldKind::Text,
                    &[],
                ),
            ],
        },
        email: Default::default(),
        configured: true,
        version: 1,
    }
}

/// The routing rules, in order; the last one is disabled.
pub fn rules() -> Vec<RoutingRule> {
    let rule = |id: i64, name: &str, match_mode, condition: Condition, then| RoutingRule {
        id,
        name: name.into(),
        enabled: true,
        position: id - 1,
        match_mode,
        conditions: vec![condition],
        then,
    };
    let cond = |field, op, value| Condition { field, op, value };
    let one = |s: &str| MatchValue::One(s.into());
    let then = |inbox_id, assign, priority| RuleOutcome {
        inbox_id,
        assign,
        priority,
    };
    let by_method = || AssignTarget::Named(AssignNamed::InboxMethod);
    let invoice = cond(
        ConditionField::Subject,
        ConditionOp::Contains,
        one("invoice"),
    );
    let form = cond(
        ConditionField::Form("category".into()),
        ConditionOp::Equals,
        one("billing"),
    );
    let words = MatchValue::Many(vec!["outage".into(), "down".into()]);
    let outage = cond(ConditionField::Subject, ConditionOp::Contains, words);
    let stark = cond(
        ConditionField::Company,
        ConditionOp::Equals,
        one("Stark Industries"),
    );
    let sam = AssignTarget::User { user_id: 2 };
    let lin = AssignTarget::User { user_id: 3 };
    let mut rules = vec![
        rule(
            1,
            "Invoices to Billing",
            MatchMode::All,
            invoice,
            then(BILLING_INBOX, by_method(), None),
        ),
        rule(
            2,
            "Billing form category",
            MatchMode::Any,
            form,
            then(BILLING_INBOX, by_method(), None),
        ),
        rule(
            3,
            "Urgent outages",
            MatchMode::Any,
            outage,
            then(SUPPORT_INBOX, sam, Some(Priority::Urgent)),
        ),
        rule(
            4,
            "Stark Industries to Lin",
            MatchMode::All,
            stark,
            then(SUPPORT_INBOX, lin, Some(Priority::High)),
        ),
    ];
    // A paused rule, to show that disabled rules never fire.
    rules[3].enabled = false;
    rules
}

/// Staff: (email, name, role); ids are positions + 1.
pub const STAFF: [(&str, &str, Role); 3] = [
    ("ada@deskport.test", "Ada Lovelace", Role::Admin),
    ("sam@deskport.test", "Sam Carter", Role::Agent),
    ("lin@deskport.test", "Lin Chen", Role::Agent),
];

/// The staff, each with `password_hash`.
pub fn users(password_hash: &str) -> Vec<(User, String)> {
    let user = |(i, &(email, name, role)): (usize, &(&str, &str, Role))| {
        let user = User {
            id: i as i64 + 1,
            email: email.into(),
            name: name.into(),
            role,
        };
        (user, password_hash.to_string())
    };
    STAFF.iter().enumerate().map(user).collect()
}

/// The companies of [`COMPANIES`].
pub fn companies() -> Vec<Company> {
    let company = |(i, &(name, domain)): (usize, &(&str, &str))| Company {
        id: i as i64 + 1,
        name: name.into(),
        domain: domain.into(),
    };
    COMPANIES.iter().enumerate().map(company).collect()
}

/// The contacts of [`CONTACTS`]; registered ones have `password_hash` and have accepted the
/// consent notice `consent_version` (nobody else can have accepted it yet).
pub fn contacts(password_hash: &str, consent_version: i64) -> Vec<(Contact, Option<String>)> {
    let contact =
        |(i, &(email, name, company, registration, plan, country)): (usize, &ContactRow)| {
            let registered = registration == Registration::Registered;
            let properties = BTreeMap::from([
                ("plan".to_string(), plan.to_string()),
                ("country".to_string(), country.to_string()),
            ]);
            let consent = registered.then(|| ConsentRecord {
                version: consent_version,
                accepted_at: rfc3339(BASE - 120 * DAY + i as i64 * 7_200),
            });
            let contact = Contact {
                id: i as i64 + 1,
                email: email.into(),
                name: name.into(),
                company_id: company.map(|c| c as i64 + 1),
                properties,
                registration,
                consent,
            };
            (contact, registered.then(|| password_hash.to_string()))
        };
    CONTACTS.iter().enumerate().map(contact).collect()
}

/// Companies: (name, email domain). Ids are positions + 1.
pub const COMPANIES: &[(&str, &str)] = &[
    ("Acme", "acme.test"),
    ("Globex", "globex.test"),
    ("Initech", "initech.test"),
    ("Umbrella", "umbrella.test"),
    ("Stark Industries", "stark.test"),
    ("Hooli", "hooli.test"),
];

/// A demo contact: email, name, index into [`COMPANIES`], registration, plan, country.
pub type ContactRow = (
    &'static str,
    &'static str,
    Option<usize>,
    Registration,
    &'static str,
    &'static str,
);

/// Contacts. The first four are the named demo accounts; ids are positions + 1.
#[rustfmt::skip]
pub const CONTACTS: &[ContactRow] = &[
    ("carla@acme.test", "Carla Reyes", Some(0), Registration::Registered, "gold", "US"),
    ("dan@acme.test", "Dan Ito", Some(0), Registration::Registered, "standard", "JP"),
    ("gina@globex.test", "Gina Rossi", Some(1), Registration::Registered, "gold", "IT"),
    ("solo@example.test", "Sol O'Brien", None, Registration::Registered, "free", "IE"),
    ("priya@acme.test", "Priya Nair", Some(0), Registration::Registered, "standard", "IN"),
    ("tom@acme.test", "Tom Becker", Some(0), Registration::Invited, "standard", "DE"),
    ("yuki@acme.test", "Yuki Tanaka", Some(0), Registration::None, "free", "JP"),
    ("marco@globex.test", "Marco Bianchi", Some(1), Registration::Registered, "gold", "IT"),
    ("olga@globex.test", "Olga Petrova", Some(1), Registration::None, "standard", "PL"),
    ("ravi@globex.test", "Ravi Shah", Some(1), Registration::Invited, "free", "GB"),
    ("nora@initech.test", "Nora Lindqvist", Some(2), Registration::Registered, "standard", "SE"),
    ("felix@initech.test", "Felix Moreau", Some(2), Registration::None, "standard", "FR"),
    ("ines@initech.test", "Ines Duarte", Some(2), Registration::Invited, "free", "PT"),
    ("amara@umbrella.test", "Amara Okafor", Some(3), Registration::Registered, "gold", "NG"),
    ("lucas@umbrella.test", "Lucas Silva", Some(3), Registration::None, "standard", "BR"),
    ("hana@umbrella.test", "Hana Kim", Some(3), Registration::Invited, "standard", "KR"),
    ("owen@stark.test", "Owen Price", Some(4), Registration::Registered, "gold", "US"),
    ("elena@stark.test", "Elena Vargas", Some(4), Registration::None, "gold", "ES"),
    ("mei@stark.test", "Mei Wong", Some(4), Registration::Registered, "standard", "SG"),
    ("jonas@hooli.test", "Jonas Weber", Some(5), Registration::Registered, "free", "DE"),
    ("zoe@hooli.test", "Zoe Martin", Some(5), Registration::None, "free", "CA"),
    ("ali@hooli.test", "Ali Hassan", Some(5), Registration::Invited, "standard", "AE"),
    ("fran@example.test", "Fran Kowalski", None, Registration::Registered, "free", "PL"),
    ("noah@example.test", "Noah Williams", None, Registration::None, "free", "AU"),
    ("lee@example.test", "Lee Morgan", None, Registration::Invited, "standard", "NZ"),
];

/// The consent notice every registered demo contact has accepted.
pub const CONSENT_TEXT: &str = "We use the details you give us (your name, email address and the \
content of your tickets) only to answer your requests and improve our support. We keep ticket \
history for 24 months and never sell your data. You can ask for a copy or deletion of your data \
at any time at privacy@deskport.test.";
