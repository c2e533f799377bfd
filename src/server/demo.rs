//! The demo portal: a deterministic data set (staff, companies, contacts, inboxes, routing
//! rules, tickets with threads) that `--demo` and the embedded server start from.
//!
//! Everything comes from a fixed-seed PRNG and a fixed base date (2026-11-20T09:00:00Z), so two
//! runs give the same portal and tests can rely on it. The generator is a pure function and
//! cheap enough to build 100 000 tickets for benchmarks.

#[path = "demo_text.rs"]
mod text;

use crate::domain::people::ConsentRecord;
use crate::domain::portal::{CustomerColumn, SortOrder};
use crate::domain::routing::{
    AssignNamed, AssignTarget, MatchMode, MatchValue, RoutingInput, RuleOutcome, first_match,
};
use crate::domain::ticket::AuthorKind;
use crate::domain::{
    Access, AccessMode, Assignment, Company, Condition, ConditionField, ConditionOp, Consent,
    Contact, DomainInfo, FieldKind, FormField, Inbox, InboxKind, Message, PermissionMode,
    PortalSettings, Priority, Registration, Role, RoutingRule, Source, Stage, SupportForm, Ticket,
    TicketPermission, TicketView, User,
};
use crate::server::store::ImportBatch;
use std::collections::BTreeMap;
use text::{COMPANIES, CONTACTS, Kind, TOPICS};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "deskport-demo";
/// How many tickets the demo portal has unless a caller asks for more (benchmarks).
pub const DEFAULT_TICKETS: usize = 300;
/// The connected domain the demo portal lives on.
pub const PORTAL_DOMAIN: &str = "support.deskport.test";
/// The vendor-provided (system) domain also listed in the demo.
pub const SYSTEM_DOMAIN: &str = "acme-help.deskport-sites.test";
/// Id of the "Support" inbox (the portal's default inbox).
pub const SUPPORT_INBOX: i64 = 1;
/// Id of the "Billing" help desk.
pub const BILLING_INBOX: i64 = 2;

/// Staff: (email, name, role); ids are positions + 1.
const STAFF: [(&str, &str, Role); 3] = [
    ("ada@deskport.test", "Ada Lovelace", Role::Admin),
    ("sam@deskport.test", "Sam Carter", Role::Agent),
    ("lin@deskport.test", "Lin Chen", Role::Agent),
];
/// The first contacts are the named demo accounts (Carla, Dan, Gina, Sol).
const NAMED_CONTACTS: usize = 4;
/// Tickets from the newest end that always get a full thread, however many tickets there are.
const RICH_THREADS: usize = 300;
const DAY: i64 = 86_400;
/// "Now" in the demo: 2026-11-20T09:00:00Z, as Unix seconds.
const BASE: i64 = days_from_civil(2026, 11, 20) * DAY + 9 * 3_600;

/// An account shown on the sign-in screen; every one signs in with [`DEMO_PASSWORD`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    /// Sign-in address.
    pub email: &'static str,
    /// `Admin`, `Agent` or `Customer` (`role.as_str()` gives the wire name).
    pub role: Role,
    /// Display name.
    pub name: &'static str,
    /// The contact's company name; `None` for staff and company-less contacts.
    pub company: Option<&'static str>,
}

/// The demo accounts shown on the sign-in screen: the three staff, then the four registered
/// contacts (Carla and Dan of Acme, Gina of Globex, Sol without a company).
pub fn demo_accounts() -> Vec<DemoAccount> {
    let staff = STAFF.iter().map(|&(email, name, role)| DemoAccount {
        email,
        role,
        name,
        company: None,
    });
    let contacts = CONTACTS[..NAMED_CONTACTS]
        .iter()
        .map(|&(email, name, company, ..)| DemoAccount {
            email,
            role: Role::Customer,
            name,
            company: company.map(|c| COMPANIES[c].0),
        });
    staff.chain(contacts).collect()
}

/// Builds the demo portal with `tickets` tickets in all. `password_hash` is one precomputed
/// Argon2 PHC string (of [`DEMO_PASSWORD`]) used for every account, so seeding hashes once.
/// Deterministic: the same arguments always give the same data.
pub fn demo_batch(tickets: usize, password_hash: &str) -> ImportBatch {
    let portal = portal();
    let rules = rules();
    let users = STAFF
        .iter()
        .enumerate()
        .map(|(i, &(email, name, role))| {
            let user = User {
                id: i as i64 + 1,
                email: email.into(),
                name: name.into(),
                role,
            };
            (user, password_hash.to_string())
        })
        .collect();
    let companies = COMPANIES
        .iter()
        .enumerate()
        .map(|(i, &(name, domain))| Company {
            id: i as i64 + 1,
            name: name.into(),
            domain: domain.into(),
        })
        .collect();
    let contacts = contacts(password_hash, portal.consent.version);
    let (tickets, messages) =
        tickets_and_messages(tickets, &rules, &mut Rng(0x5EED_DE5C_2026_1120));
    ImportBatch {
        portal: Some(portal),
        domains: domains(),
        users,
        companies,
        contacts,
        inboxes: inboxes(),
        rules,
        tickets,
        messages,
    }
}

fn domains() -> Vec<DomainInfo> {
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

fn inboxes() -> Vec<Inbox> {
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

fn portal() -> PortalSettings {
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
            text: text::CONSENT_TEXT.into(),
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
        configured: true,
        version: 1,
    }
}

fn rules() -> Vec<RoutingRule> {
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

fn contacts(password_hash: &str, consent_version: i64) -> Vec<(Contact, Option<String>)> {
    let rows = CONTACTS.iter().enumerate();
    rows.map(
        |(i, &(email, name, company, registration, plan, country))| {
            let registered = registration == Registration::Registered;
            let properties = BTreeMap::from([
                ("plan".to_string(), plan.to_string()),
                ("country".to_string(), country.to_string()),
            ]);
            // Only contacts who registered can have accepted the notice (the current version).
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
        },
    )
    .collect()
}

/// Requester (contact index) of each ticket, and whether it must carry a full thread: the named
/// contacts get three tickets each first, then every other contact three, then at random.
fn requesters(n: usize, rng: &mut Rng) -> Vec<(usize, bool)> {
    let mut out = Vec::with_capacity(n);
    out.extend((0..3 * NAMED_CONTACTS).map(|i| (i % NAMED_CONTACTS, true)));
    let others = CONTACTS.len() - NAMED_CONTACTS;
    out.extend((0..3 * others).map(|i| (NAMED_CONTACTS + i % others, false)));
    out.truncate(n);
    while out.len() < n {
        let c = if rng.chance(30) {
            rng.below(NAMED_CONTACTS)
        } else {
            rng.below(CONTACTS.len())
        };
        out.push((c, false));
    }
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    out
}

fn tickets_and_messages(
    n: usize,
    rules: &[RoutingRule],
    rng: &mut Rng,
) -> (Vec<Ticket>, Vec<Message>) {
    let mut tickets = Vec::with_capacity(n);
    let mut messages = Vec::with_capacity(n * 2);
    // Created times rise with the id over the 89 days before BASE - 1 day.
    let (start, span) = (BASE - 90 * DAY, 89 * DAY);
    let step = (span / n.max(1) as i64).max(1);
    for (i, (ci, full)) in requesters(n, rng).into_iter().enumerate() {
        let id = i as i64 + 1;
        let (email, _, company, _, plan, _) = CONTACTS[ci];
        let topic = rng.pick(TOPICS);
        let billing = topic.category == "billing";
        let mut subject = rng.pick(&topic.subjects).to_string();
        if subject.contains("{n}") {
            subject = subject.replace("{n}", &format!("INV-{}", 10_000 + rng.below(90_000)));
        }
        let mut description = String::new();
        if rng.chance(40) {
            description.push_str(rng.pick(text::OPENERS));
            description.push(' ');
        }
        description.push_str(topic.detail);
        if rng.chance(50) {
            description.push(' ');
            description.push_str(rng.pick(text::CLOSERS));
        }
        let stage = *rng.weighted(&[
            (Stage::New, 20),
            (Stage::WaitingOnContact, 20),
            (Stage::WaitingOnUs, 20),
            (Stage::Closed, 40),
        ]);
        let priority = *rng.weighted(&[
            (Priority::Low, 20),
            (Priority::Medium, 45),
            (Priority::High, 25),
            (Priority::Urgent, 10),
        ]);
        let source = *rng.weighted(&[
            (Source::Portal, 55),
            (Source::Email, 35),
            (Source::Agent, 6),
            (Source::Api, 4),
        ]);
        let mut form_fields = BTreeMap::new();
        if source == Source::Portal && rng.chance(70) {
            form_fields.insert("category".to_string(), topic.category.to_string());
            if billing && rng.chance(50) {
                form_fields.insert(
                    "order_number".to_string(),
                    format!("ORD-{}", 100_000 + rng.below(900_000)),
                );
            }
            if rng.chance(15) {
                form_fields.insert(
                    "contact_phone".to_string(),
                    format!("+1 555 01{:02}", rng.below(100)),
                );
            }
        }
        let mut tags = Vec::new();
        if let Some(tag) = topic.tag.filter(|_| rng.chance(60)) {
            tags.push(tag.to_string());
        }
        if plan == "gold" && rng.chance(50) {
            tags.push("vip".to_string());
        }
        // Route the way the server would, so the demo agrees with its own rules.
        let input = RoutingInput {
            subject,
            description,
            category: topic.category.to_string(),
            priority: Some(priority),
            company: company
                .map(|c| COMPANIES[c].0)
                .unwrap_or_default()
                .to_string(),
            email: email.to_string(),
            source: Some(source),
            form_fields,
        };
        let rule = first_match(rules, &input);
        let default_inbox = if billing {
            BILLING_INBOX
        } else {
            SUPPORT_INBOX
        };
        let inbox_id = rule.map_or(default_inbox, |r| r.then.inbox_id);
        let agent = 2 + rng.below(2) as i64;
        let unassigned = if stage == Stage::New {
            rng.chance(50)
        } else {
            rng.chance(8)
        };
        let owner_id = match rule.map(|r| &r.then.assign) {
            Some(AssignTarget::User { user_id }) => Some(*user_id),
            Some(AssignTarget::Named(AssignNamed::None)) => None,
            _ => (!unassigned).then_some(agent),
        };
        let priority = rule.and_then(|r| r.then.priority).unwrap_or(priority);

        let created = start + (i as i64 * span) / n as i64 + rng.range(0, step);
        let len = if full {
            3 + rng.below(2)
        } else if n <= 1000 || i + RICH_THREADS >= n {
            1 + rng.below(4)
        } else {
            rng.below(3)
        };
        let kinds = text::thread(stage, len);
        let gap_max = (2 * DAY)
            .min((BASE - created) / (kinds.len() as i64 + 1))
            .max(1_200);
        let mut at = created;
        for kind in kinds {
            at += rng.range(600, gap_max);
            let staff = owner_id.unwrap_or(agent);
            let (author_kind, author_id, internal, pool) = match kind {
                Kind::Note => {
                    let by = if rng.chance(15) { 1 } else { staff };
                    (
                        AuthorKind::User,
                        by,
                        true,
                        if billing {
                            text::BILLING_NOTES
                        } else {
                            text::NOTES
                        },
                    )
                }
                Kind::Ask => (AuthorKind::User, staff, false, text::ASKS),
                Kind::Resolve => (
                    AuthorKind::User,
                    staff,
                    false,
                    if billing {
                        text::BILLING_RESOLVES
                    } else {
                        text::RESOLVES
                    },
                ),
                Kind::Info => (AuthorKind::Contact, ci as i64 + 1, false, text::INFOS),
                Kind::Thanks => (AuthorKind::Contact, ci as i64 + 1, false, text::THANKS),
            };
            messages.push(Message {
                id: messages.len() as i64 + 1,
                ticket_id: id,
                author_kind,
                author_id,
                body: rng.pick(pool).to_string(),
                internal,
                created_at: rfc3339(at),
            });
        }
        if kinds.is_empty() && stage != Stage::New {
            at += rng.range(3_600, DAY / 2);
        }
        let updated_at = rfc3339(at);
        tickets.push(Ticket {
            id,
            subject: input.subject,
            description: input.description,
            stage,
            priority,
            category: input.category,
            inbox_id,
            owner_id,
            contact_id: ci as i64 + 1,
            company_id: company.map(|c| c as i64 + 1),
            source,
            form_fields: input.form_fields,
            tags,
            created_at: rfc3339(created),
            closed_at: (stage == Stage::Closed).then(|| updated_at.clone()),
            updated_at,
            version: 1,
        });
    }
    (tickets, messages)
}

/// splitmix64: tiny, fast and good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..hi`, or `lo` when the range is empty.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + (self.next() % (hi - lo) as u64) as i64
        }
    }

    /// True `pct` times in a hundred.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items`, each as likely as its weight.
    fn weighted<'a, T>(&mut self, items: &'a [(T, u64)]) -> &'a T {
        let mut roll = self.next() % items.iter().map(|(_, w)| w).sum::<u64>().max(1);
        for (item, w) in items {
            if roll < *w {
                return item;
            }
            roll -= w;
        }
        &items[items.len() - 1].0
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds as RFC 3339 UTC with milliseconds, e.g. `2026-10-03T14:22:05.000Z`.
fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(DAY), secs.rem_euclid(DAY));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s) = (rem / 3_600, rem % 3_600 / 60, rem % 60);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::portal::check_subject;
    use crate::domain::ticket::{check_category, check_tag};
    use std::collections::{HashMap, HashSet};

    fn batch(n: usize) -> ImportBatch {
        demo_batch(n, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
    }

    fn assert_unique(what: &str, ids: impl Iterator<Item = i64>) {
        let ids: Vec<i64> = ids.collect();
        let set: HashSet<i64> = ids.iter().copied().collect();
        assert_eq!(set.len(), ids.len(), "{what} ids repeat");
        assert!(ids.iter().all(|&id| id >= 1), "{what} ids start at 1");
    }

    #[test]
    fn ids_are_unique_and_references_consistent() {
        for n in [20, DEFAULT_TICKETS, 3_000] {
            let b = batch(n);
            assert_eq!(b.tickets.len(), n);
            assert_unique("user", b.users.iter().map(|(u, _)| u.id));
            assert_unique("company", b.companies.iter().map(|c| c.id));
            assert_unique("contact", b.contacts.iter().map(|(c, _)| c.id));
            assert_unique("inbox", b.inboxes.iter().map(|i| i.id));
            assert_unique("rule", b.rules.iter().map(|r| r.id));
            assert_unique("ticket", b.tickets.iter().map(|t| t.id));
            assert_unique("message", b.messages.iter().map(|m| m.id));
            let staff: Vec<i64> = b.users.iter().map(|(u, _)| u.id).collect();
            let contacts: HashMap<i64, &Contact> =
                b.contacts.iter().map(|(c, _)| (c.id, c)).collect();
            let inbox_ids: Vec<i64> = b.inboxes.iter().map(|i| i.id).collect();
            let form = &b.portal.as_ref().expect("portal").support_form;
            for c in contacts.values() {
                assert!(
                    c.company_id
                        .is_none_or(|id| b.companies.iter().any(|co| co.id == id))
                );
            }
            for i in &b.inboxes {
                assert!(i.members.iter().all(|m| staff.contains(m)));
            }
            let tickets: HashMap<i64, &Ticket> = b.tickets.iter().map(|t| (t.id, t)).collect();
            for t in &b.tickets {
                let c = contacts[&t.contact_id];
                assert_eq!(t.company_id, c.company_id, "ticket {}", t.id);
                assert!(inbox_ids.contains(&t.inbox_id));
                assert!(t.owner_id.is_none_or(|o| staff.contains(&o)));
                assert!(t.updated_at >= t.created_at, "ticket {}", t.id);
                assert_eq!(t.closed_at.is_some(), t.stage == Stage::Closed);
                assert!(t.closed_at.as_ref().is_none_or(|at| *at == t.updated_at));
                assert!(check_subject(&t.subject).is_ok() && check_category(&t.category));
                assert!(t.tags.iter().all(|g| check_tag(g)), "{:?}", t.tags);
                let checked = form.check_submission(&t.subject, &t.description, &t.form_fields);
                assert!(checked.is_ok(), "{checked:?}");
            }
            for m in &b.messages {
                let t = tickets[&m.ticket_id];
                match m.author_kind {
                    AuthorKind::User => assert!(staff.contains(&m.author_id)),
                    AuthorKind::Contact => {
                        assert_eq!(m.author_id, t.contact_id);
                        assert!(!m.internal);
                    }
                }
                assert!(m.created_at > t.created_at && m.created_at <= t.updated_at);
            }
        }
    }

    #[test]
    fn named_contacts_have_three_tickets_with_internal_notes() {
        for n in [20, DEFAULT_TICKETS] {
            let b = batch(n);
            let version = b.portal.as_ref().expect("portal").consent.version;
            let customers = demo_accounts()
                .into_iter()
                .filter(|a| a.role == Role::Customer);
            for account in customers {
                let (c, hash) = b
                    .contacts
                    .iter()
                    .find(|(c, _)| c.email == account.email)
                    .expect("contact");
                assert_eq!(c.registration, Registration::Registered);
                assert!(hash.is_some());
                assert_eq!(c.consent.as_ref().map(|r| r.version), Some(version));
                let company = c
                    .company_id
                    .map(|id| b.companies[id as usize - 1].name.as_str());
                assert_eq!(company, account.company);
                let theirs: Vec<i64> = b
                    .tickets
                    .iter()
                    .filter(|t| t.contact_id == c.id)
                    .map(|t| t.id)
                    .collect();
                assert!(
                    theirs.len() >= 3,
                    "{} has {} tickets",
                    c.email,
                    theirs.len()
                );
                let noted = b
                    .messages
                    .iter()
                    .any(|m| m.internal && theirs.contains(&m.ticket_id));
                assert!(noted, "{} has no internal notes", c.email);
            }
        }
    }

    #[test]
    fn every_contact_has_three_tickets_by_default() {
        let b = batch(DEFAULT_TICKETS);
        for (c, _) in &b.contacts {
            assert!(
                b.tickets.iter().filter(|t| t.contact_id == c.id).count() >= 3,
                "{}",
                c.email
            );
        }
    }

    #[test]
    fn staff_match_the_sign_in_list() {
        let b = batch(20);
        let staff = demo_accounts()
            .into_iter()
            .filter(|a| a.role != Role::Customer);
        for (account, (user, hash)) in staff.zip(&b.users) {
            assert_eq!(
                (account.email, account.name, account.role),
                (user.email.as_str(), user.name.as_str(), user.role)
            );
            assert!(hash.starts_with("$argon2id$"));
        }
        assert_eq!(b.users.len(), 3);
        assert_eq!(demo_accounts().len(), 7);
    }

    #[test]
    fn settings_rules_inboxes_and_domains_validate() {
        let b = batch(20);
        let portal = b.portal.expect("portal");
        let inbox_ids: Vec<i64> = b.inboxes.iter().map(|i| i.id).collect();
        assert_eq!(portal.validate(&b.domains, &inbox_ids), Ok(()));
        assert!(portal.configured && portal.consent.enabled && portal.consent.required);
        assert!(portal.support_form.fields.iter().all(|f| !f.required));
        assert_eq!(portal.portal_url(), "https://support.deskport.test/help");
        assert!(b.domains.iter().all(|d| d.validate().is_ok()));
        assert!(
            b.domains.iter().any(|d| d.system)
                && b.domains
                    .iter()
                    .any(|d| d.host == portal.domain && !d.system)
        );
        assert!(b.inboxes.iter().all(|i| i.validate().is_ok()));
        let staff: Vec<i64> = b.users.iter().map(|(u, _)| u.id).collect();
        for r in &b.rules {
            assert_eq!(r.validate(&b.inboxes, &staff), Ok(()), "{}", r.name);
        }
        assert!(b.rules.iter().any(|r| !r.enabled));
    }

    #[test]
    fn tickets_agree_with_the_rules() {
        let b = batch(DEFAULT_TICKETS);
        for t in &b.tickets {
            let subject = t.subject.to_lowercase();
            if subject.contains("outage") || subject.contains("down") {
                assert_eq!(
                    (t.inbox_id, t.owner_id, t.priority),
                    (SUPPORT_INBOX, Some(2), Priority::Urgent)
                );
            } else if subject.contains("invoice") {
                assert_eq!(t.inbox_id, BILLING_INBOX);
            }
        }
        for topic in TOPICS {
            for s in topic.subjects.map(str::to_lowercase) {
                let outage = s.contains("outage") || s.contains("down");
                assert_eq!(outage, topic.tag == Some("incident"), "{s}");
            }
        }
    }

    #[test]
    fn data_is_spread_out() {
        let b = batch(DEFAULT_TICKETS);
        for stage in Stage::ALL {
            assert!(b.tickets.iter().any(|t| t.stage == stage), "{stage:?}");
        }
        for owner in [None, Some(2), Some(3)] {
            assert!(b.tickets.iter().any(|t| t.owner_id == owner), "{owner:?}");
        }
        for inbox in [SUPPORT_INBOX, BILLING_INBOX] {
            assert!(b.tickets.iter().any(|t| t.inbox_id == inbox));
        }
        assert!(b.tickets.iter().any(|t| !t.tags.is_empty()));
        assert!(b.tickets.iter().any(|t| !t.form_fields.is_empty()));
        assert!(b.messages.iter().any(|m| m.internal));
        assert!(
            b.messages
                .iter()
                .any(|m| m.author_kind == AuthorKind::Contact)
        );
        let reg = |r| {
            b.contacts
                .iter()
                .filter(|(c, _)| c.registration == r)
                .collect::<Vec<_>>()
        };
        assert!(!reg(Registration::None).is_empty() && !reg(Registration::Invited).is_empty());
        assert!(
            reg(Registration::None)
                .iter()
                .all(|(c, hash)| hash.is_none() && c.consent.is_none())
        );
        let last = b
            .tickets
            .iter()
            .map(|t| t.updated_at.as_str())
            .max()
            .unwrap_or_default();
        assert!(
            last <= "2026-11-20T09:00:00.000Z" && b.tickets[0].created_at.as_str() >= "2026-08-22"
        );
    }

    #[test]
    fn generation_is_deterministic() {
        let (a, b) = (batch(DEFAULT_TICKETS), batch(DEFAULT_TICKETS));
        assert_eq!(a.tickets, b.tickets);
        assert_eq!(a.messages, b.messages);
    }

    #[test]
    fn timestamps_are_rfc3339_millis() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(BASE), "2026-11-20T09:00:00.000Z");
        assert_eq!(rfc3339(BASE + 3_725), "2026-11-20T10:02:05.000Z");
    }

    #[test]
    fn builds_a_hundred_thousand_tickets() {
        assert_eq!(batch(100_000).tickets.len(), 100_000);
    }
}
