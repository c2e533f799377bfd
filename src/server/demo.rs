//! The demo portal: a deterministic data set (staff, companies, contacts, inboxes, routing
//! rules, tickets with threads) that `--demo` and the embedded server start from.
//!
//! Everything comes from a fixed-seed PRNG and a fixed "now" (2026-11-20T09:00:00Z), so every
//! run gives the same portal and tests can rely on it. The fixed content (settings, people,
//! texts) lives in `demo/setup.rs` and `demo/text.rs`; this file generates the tickets and their threads, cheaply
//! enough to build 100 000 tickets for benchmarks.

mod setup;
mod text;

use crate::domain::routing::{AssignNamed, AssignTarget, RoutingInput, first_match};
use crate::domain::ticket::AuthorKind;
use crate::domain::{Message, Priority, Role, RoutingRule, Source, Stage, Ticket};
use crate::server::store::ImportBatch;
use setup::{COMPANIES, CONTACTS};
use std::collections::BTreeMap;
use text::{Kind, TOPICS};

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

/// The first contacts are the named demo accounts (Carla, Dan, Gina, Sol).
const NAMED_CONTACTS: usize = 4;
/// Tickets from the newest end that always get a full thread, however many tickets there are.
const RICH_THREADS: usize = 300;
const DAY: i64 = 86_400;
/// "Now" in the demo: 2026-11-20T09:00:00Z, as Unix seconds.
const BASE: i64 = text::days_from_civil(2026, 11, 20) * DAY + 9 * 3_600;

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
    let staff = setup::STAFF
        .iter()
        .map(|&(email, name, role)| (email, name, role, None));
    let contacts = CONTACTS[..NAMED_CONTACTS]
        .iter()
        .map(|&(email, name, company, ..)| {
            (email, name, Role::Customer, company.map(|c| COMPANIES[c].0))
        });
    let account = |(email, name, role, company)| DemoAccount {
        email,
        role,
        name,
        company,
    };
    staff.chain(contacts).map(account).collect()
}

/// Builds the demo portal with `tickets` tickets in all. `password_hash` is one precomputed
/// Argon2 PHC string (of [`DEMO_PASSWORD`]) used for every account, so seeding hashes once.
/// Deterministic: the same arguments always give the same data.
pub fn demo_batch(tickets: usize, password_hash: &str) -> ImportBatch {
    let portal = setup::portal();
    let rules = setup::rules();
    let contacts = setup::contacts(password_hash, portal.consent.version);
    let mut rng = Rng(0x5EED_DE5C_2026_1120);
    let (tickets, messages) = tickets_and_messages(tickets, &rules, &mut rng);
    ImportBatch {
        portal: Some(portal),
        domains: setup::domains(),
        users: setup::users(password_hash),
        companies: setup::companies(),
        contacts,
        inboxes: setup::inboxes(),
        rules,
        tickets,
        messages,
    }
}

/// Requester (contact index) of each ticket, and whether it must carry a full thread: the named
/// contacts get three tickets each first, then every other contact three, then at random; the
/// order is shuffled so they spread over time.
fn requesters(n: usize, rng: &mut Rng) -> Vec<(usize, bool)> {
    let others = CONTACTS.len() - NAMED_CONTACTS;
    let named = (0..3 * NAMED_CONTACTS).map(|i| (i % NAMED_CONTACTS, true));
    let rest = (0..3 * others).map(|i| (NAMED_CONTACTS + i % others, false));
    let mut out: Vec<(usize, bool)> = named.chain(rest).take(n).collect();
    while out.len() < n {
        let pool = if rng.chance(30) {
            NAMED_CONTACTS
        } else {
            CONTACTS.len()
        };
        out.push((rng.below(pool), false));
    }
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
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
    // Created times rise with the id over the 89 days up to a day before BASE.
    let (start, span) = (BASE - 90 * DAY, 89 * DAY);
    let step = (span / n.max(1) as i64).max(1);
    for (i, (ci, full)) in requesters(n, rng).into_iter().enumerate() {
        let (id, contact_id) = (i as i64 + 1, ci as i64 + 1);
        let (email, _, company, _, plan, _) = CONTACTS[ci];
        let topic = rng.pick(TOPICS);
        let billing = topic.category == "billing";
        let (subject, description) = text::words(topic, rng);
        let stage = rng.weighted(Stage::ALL, [20, 20, 20, 40]);
        let priority = rng.weighted(Priority::ALL, [20, 45, 25, 10]);
        let source = rng.weighted(Source::ALL, [55, 35, 6, 4]);
        let mut form_fields = BTreeMap::new();
        if source == Source::Portal && rng.chance(70) {
            form_fields.insert("category".into(), topic.category.to_string());
            if billing && rng.chance(50) {
                let order = format!("ORD-{}", 100_000 + rng.below(900_000));
                form_fields.insert("order_number".into(), order);
            }
            if rng.chance(15) {
                let phone = format!("+1 555 01{:02}", rng.below(100));
                form_fields.insert("contact_phone".into(), phone);
            }
        }
        let mut tags: Vec<String> = Vec::new();
        tags.extend(topic.tag.filter(|_| rng.chance(60)).map(Into::into));
        if plan == "gold" && rng.chance(50) {
            tags.push("vip".into());
        }
        // Route the way the server would, so the demo agrees with its own rules.
        let input = RoutingInput {
            subject,
            description,
            category: topic.category.to_string(),
            priority: Some(priority),
            company: company.map_or("", |c| COMPANIES[c].0).to_string(),
            email: email.to_string(),
            source: Some(source),
            form_fields,
        };
        let rule = first_match(rules, &input);
        let topic_inbox = [SUPPORT_INBOX, BILLING_INBOX][usize::from(billing)];
        let agent = 2 + rng.below(2) as i64;
        let unassigned = rng.chance(if stage == Stage::New { 50 } else { 8 });
        let owner_id = match rule.map(|r| &r.then.assign) {
            Some(AssignTarget::User { user_id }) => Some(*user_id),
            Some(AssignTarget::Named(AssignNamed::None)) => None,
            _ => (!unassigned).then_some(agent),
        };

        let created = start + (i as i64 * span) / n as i64 + rng.range(0, step);
        let len = if full {
            3 + rng.below(2)
        } else if n <= 1_000 || i + RICH_THREADS >= n {
            1 + rng.below(4)
        } else {
            rng.below(3)
        };
        let kinds = text::thread(stage, len);
        let gap_max = (2 * DAY).min((BASE - created) / (kinds.len() as i64 + 1));
        let mut at = created;
        for &kind in kinds {
            at += rng.range(600, gap_max);
            let (author_kind, author_id) = match kind {
                Kind::Info | Kind::Thanks => (AuthorKind::Contact, contact_id),
                Kind::Note if rng.chance(15) => (AuthorKind::User, 1),
                _ => (AuthorKind::User, owner_id.unwrap_or(agent)),
            };
            messages.push(Message {
                id: messages.len() as i64 + 1,
                ticket_id: id,
                author_kind,
                author_id,
                body: rng.pick(text::texts(kind, billing)).to_string(),
                internal: kind == Kind::Note,
                created_at: text::rfc3339(at),
            });
        }
        if kinds.is_empty() && stage != Stage::New {
            at += rng.range(3_600, DAY / 2);
        }
        let updated_at = text::rfc3339(at);
        tickets.push(Ticket {
            id,
            subject: input.subject,
            description: input.description,
            stage,
            priority: rule.and_then(|r| r.then.priority).unwrap_or(priority),
            category: input.category,
            inbox_id: rule.map_or(topic_inbox, |r| r.then.inbox_id),
            owner_id,
            contact_id,
            company_id: company.map(|c| c as i64 + 1),
            source,
            form_fields: input.form_fields,
            tags,
            created_at: text::rfc3339(created),
            closed_at: (stage == Stage::Closed).then(|| updated_at.clone()),
            updated_at,
            version: 1,
            ccs: Vec::new(),
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

    /// One of `items`, each as likely as its weight in `weights`.
    fn weighted<T: Copy>(&mut self, items: [T; 4], weights: [u64; 4]) -> T {
        let mut roll = self.next() % weights.iter().sum::<u64>().max(1);
        for (item, w) in items.into_iter().zip(weights) {
            if roll < w {
                return item;
            }
            roll -= w;
        }
        items[3]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::Language;
    use crate::domain::portal::check_subject;
    use crate::domain::ticket::{check_category, check_tag};
    use crate::domain::{Contact, Registration};
    use std::collections::{HashMap, HashSet};
    use text::rfc3339;

    fn batch(n: usize) -> ImportBatch {
        demo_batch(n, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
    }

    fn unique(ids: impl Iterator<Item = i64>) -> bool {
        let ids: Vec<i64> = ids.collect();
        ids.iter().all(|&id| id >= 1) && ids.iter().collect::<HashSet<_>>().len() == ids.len()
    }

    #[test]
    fn ids_are_unique_and_references_consistent() {
        for n in [20, DEFAULT_TICKETS, 3_000] {
            let b = batch(n);
            assert_eq!(b.tickets.len(), n);
            assert!(unique(b.users.iter().map(|(u, _)| u.id)));
            assert!(unique(b.rules.iter().map(|r| r.id)));
            assert!(unique(b.companies.iter().map(|c| c.id)));
            assert!(unique(b.inboxes.iter().map(|i| i.id)));
            assert!(unique(b.contacts.iter().map(|(c, _)| c.id)));
            assert!(unique(b.tickets.iter().map(|t| t.id)));
            assert!(unique(b.messages.iter().map(|m| m.id)));
            let staff: Vec<i64> = b.users.iter().map(|(u, _)| u.id).collect();
            let contacts: HashMap<i64, &Contact> =
                b.contacts.iter().map(|(c, _)| (c.id, c)).collect();
            for c in contacts.values() {
                assert!(
                    c.company_id
                        .is_none_or(|id| id as usize <= b.companies.len())
                );
            }
            for inbox in &b.inboxes {
                assert!(inbox.members.iter().all(|m| staff.contains(m)));
            }
            let form = &b.portal.as_ref().expect("portal").support_form;
            for t in &b.tickets {
                assert_eq!(t.company_id, contacts[&t.contact_id].company_id);
                assert!(b.inboxes.iter().any(|i| i.id == t.inbox_id));
                assert!(t.owner_id.is_none_or(|o| staff.contains(&o)));
                assert!(t.updated_at >= t.created_at, "ticket {}", t.id);
                let closed = (t.stage == Stage::Closed).then_some(&t.updated_at);
                assert_eq!(t.closed_at.as_ref(), closed);
                assert!(
                    check_subject(&t.subject, Language::English).is_ok()
                        && check_category(&t.category)
                );
                assert!(t.tags.iter().all(|g| check_tag(g)), "{:?}", t.tags);
                let checked = form.check_submission(
                    &t.subject,
                    &t.description,
                    &t.form_fields,
                    Language::English,
                );
                assert!(checked.is_ok(), "{checked:?}");
            }
            for m in &b.messages {
                let t = &b.tickets[m.ticket_id as usize - 1];
                assert_eq!(t.id, m.ticket_id);
                match m.author_kind {
                    AuthorKind::User => assert!(staff.contains(&m.author_id)),
                    AuthorKind::Contact => assert!(m.author_id == t.contact_id && !m.internal),
                }
                assert!(m.created_at > t.created_at && m.created_at <= t.updated_at);
            }
        }
    }

    #[test]
    fn every_contact_has_tickets_and_named_ones_have_notes() {
        for n in [20, DEFAULT_TICKETS] {
            let b = batch(n);
            let version = b.portal.as_ref().expect("portal").consent.version;
            let tickets_of = |id| -> Vec<i64> {
                let theirs = b.tickets.iter().filter(|t| t.contact_id == id);
                theirs.map(|t| t.id).collect()
            };
            for account in demo_accounts().iter().filter(|a| a.role == Role::Customer) {
                let found = b.contacts.iter().find(|(c, _)| c.email == account.email);
                let (c, hash) = found.expect("named contact");
                assert!(c.registration == Registration::Registered && hash.is_some());
                assert_eq!(c.consent.as_ref().map(|r| r.version), Some(version));
                let company = c.company_id.map(|id| &b.companies[id as usize - 1].name);
                assert_eq!(company.map(String::as_str), account.company);
                let theirs = tickets_of(c.id);
                assert!(
                    theirs.len() >= 3,
                    "{} has {} tickets",
                    c.email,
                    theirs.len()
                );
                let mut notes = b.messages.iter().filter(|m| m.internal);
                assert!(notes.any(|m| theirs.contains(&m.ticket_id)), "{}", c.email);
            }
            if n == DEFAULT_TICKETS {
                assert!(b.contacts.iter().all(|(c, _)| tickets_of(c.id).len() >= 3));
            }
        }
    }

    #[test]
    fn settings_rules_inboxes_domains_and_staff_are_valid() {
        let b = batch(20);
        let portal = b.portal.expect("portal");
        let inbox_ids: Vec<i64> = b.inboxes.iter().map(|i| i.id).collect();
        assert_eq!(portal.validate(&b.domains, &inbox_ids), Ok(()));
        assert!(portal.configured && portal.consent.required && portal.access.passwordless);
        assert!(portal.support_form.fields.iter().all(|f| !f.required));
        assert_eq!(portal.portal_url(), "https://support.deskport.test/help");
        assert!(b.domains.iter().all(|d| d.validate().is_ok()));
        assert!(b.domains.iter().any(|d| d.system));
        assert!(b.inboxes.iter().all(|i| i.validate().is_ok()));
        let staff: Vec<i64> = b.users.iter().map(|(u, _)| u.id).collect();
        for r in &b.rules {
            assert_eq!(r.validate(&b.inboxes, &staff), Ok(()), "{}", r.name);
        }
        assert!(b.rules.iter().any(|r| !r.enabled));
        let accounts = demo_accounts();
        assert_eq!(accounts.len(), 7);
        for (a, (u, hash)) in accounts.iter().zip(&b.users) {
            assert_eq!((a.email, a.name, a.role), (&*u.email, &*u.name, u.role));
            assert!(hash.starts_with("$argon2id$"));
        }
    }

    #[test]
    fn tickets_follow_the_rules_and_spread_out() {
        let b = batch(DEFAULT_TICKETS);
        let any = |f: &dyn Fn(&Ticket) -> bool| b.tickets.iter().any(f);
        for t in &b.tickets {
            let subject = t.subject.to_lowercase();
            if subject.contains("outage") || subject.contains("down") {
                let routed = (t.inbox_id, t.owner_id, t.priority);
                assert_eq!(routed, (SUPPORT_INBOX, Some(2), Priority::Urgent));
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
        assert!(Stage::ALL.iter().all(|&s| any(&|t| t.stage == s)));
        assert!(
            [None, Some(2), Some(3)]
                .iter()
                .all(|&o| any(&|t| t.owner_id == o))
        );
        assert!(any(&|t| t.inbox_id == BILLING_INBOX && !t.tags.is_empty()));
        assert!(any(&|t| !t.form_fields.is_empty()));
        let with = |r| b.contacts.iter().filter(move |(c, _)| c.registration == r);
        assert!(with(Registration::None).count() >= 3);
        assert!(with(Registration::None).all(|(c, h)| h.is_none() && c.consent.is_none()));
        assert!(with(Registration::Invited).count() >= 3);
        let newest = b.tickets.iter().map(|t| &t.updated_at).max();
        assert!(newest.is_some_and(|at| at.as_str() <= "2026-11-20T09:00:00.000Z"));
        assert!(b.tickets[0].created_at.as_str() > "2026-08-22");
    }

    #[test]
    fn generation_is_deterministic_and_dated_like_chrono() {
        let (a, b) = (batch(DEFAULT_TICKETS), batch(DEFAULT_TICKETS));
        assert!(a.tickets == b.tickets && a.messages == b.messages);
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(BASE + 3_725), "2026-11-20T10:02:05.000Z");
    }

    #[test]
    fn builds_a_hundred_thousand_tickets() {
        assert_eq!(batch(100_000).tickets.len(), 100_000);
    }
}
