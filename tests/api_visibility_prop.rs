//! Property: for random portals, contacts and tickets loaded into a fresh server, what
//! `/tickets`, `/tickets/{id}` and `/sync` return to each contact is exactly what the pure
//! `can_see` / `listed_for` allow.

mod common;

use common::stores::{StoreKind, on_store_blocking};
use common::*;
use deskport::domain::people::ConsentRecord;
use deskport::domain::portal::PropertyFilter;
use deskport::domain::routing::MatchValue;
use deskport::domain::visibility::{can_see, listed_for};
use deskport::domain::{
    Assignment, Company, ConditionOp, Contact, DomainInfo, Inbox, InboxKind, PermissionMode,
    PortalSettings, Priority, Registration, Source, Stage, Ticket, TicketPermission, Viewer,
};
use deskport::server::store::ImportBatch;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const HOST: &str = "help.prop.test";

#[derive(Debug, Clone)]
struct PersonSpec {
    company: Option<i64>,
    plan: Option<&'static str>,
    country: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct TicketSpec {
    requester: usize,
    /// `None`: the requester's company; `Some(c)`: the ticket belongs to `c` (the requester moved).
    company: Option<Option<i64>>,
    stage: Stage,
}

#[derive(Debug, Clone)]
struct Scenario {
    mode: PermissionMode,
    filter: Vec<PropertyFilter>,
    show_closed: bool,
    people: Vec<PersonSpec>,
    tickets: Vec<TicketSpec>,
    page: usize,
}

fn person() -> impl Strategy<Value = PersonSpec> {
    let plan = prop::option::of(prop::sample::select(vec!["gold", "standard"]));
    let country = prop::option::of(prop::sample::select(vec!["US", "IT"]));
    (prop::option::of(1..=3i64), plan, country).prop_map(|(company, plan, country)| PersonSpec {
        company,
        plan,
        country,
    })
}

fn condition() -> impl Strategy<Value = PropertyFilter> {
    let property = prop::sample::select(vec![
        ("plan", ["gold", "standard"]),
        ("country", ["US", "IT"]),
    ]);
    (
        property,
        0..3usize,
        prop::sample::subsequence(vec![0usize, 1], 1..=2),
    )
        .prop_map(|((name, values), op, picks)| {
            let (op, value) = match op {
                0 => (
                    ConditionOp::Equals,
                    MatchValue::One(values[picks[0]].into()),
                ),
                1 => (
                    ConditionOp::Contains,
                    MatchValue::One(values[picks[0]][..2].to_lowercase()),
                ),
                _ => (
                    ConditionOp::In,
                    MatchValue::Many(picks.iter().map(|i| values[*i].to_string()).collect()),
                ),
            };
            PropertyFilter {
                property: name.into(),
                op,
                value,
            }
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let mode = prop::sample::select(vec![
        PermissionMode::Contact,
        PermissionMode::Company,
        PermissionMode::ContactFilter,
    ]);
    (
        mode,
        prop::collection::vec(condition(), 1..=2),
        any::<bool>(),
        prop::collection::vec(person(), 1..=5),
        1..=4usize,
    )
        .prop_flat_map(|(mode, filter, show_closed, people, page)| {
            let n = people.len();
            let company = prop_oneof![Just(None), prop::option::of(1..=3i64).prop_map(Some)];
            let stage = prop::sample::select(Stage::ALL.to_vec());
            let ticket =
                (0..n, company, stage).prop_map(|(requester, company, stage)| TicketSpec {
                    requester,
                    company,
                    stage,
                });
            let filter = if mode == PermissionMode::ContactFilter {
                filter
            } else {
                Vec::new()
            };
            (
                Just(Scenario {
                    mode,
                    filter,
                    show_closed,
                    people,
                    tickets: Vec::new(),
                    page,
                }),
                prop::collection::vec(ticket, 0..=12),
            )
        })
        .prop_map(|(mut s, tickets)| {
            s.tickets = tickets;
            s
        })
}

fn email(i: usize) -> String {
    format!("c{}@prop.test", i + 1)
}

fn properties(p: &PersonSpec) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    if let Some(v) = p.plan {
        m.insert("plan".to_string(), v.to_string());
    }
    if let Some(v) = p.country {
        m.insert("country".to_string(), v.to_string());
    }
    m
}

fn build(s: &Scenario) -> (PortalSettings, Vec<Ticket>, ImportBatch) {
    let mut portal = PortalSettings::unconfigured(HOST);
    portal.default_inbox_id = Some(1);
    portal.configured = true;
    portal.ticket_permission = TicketPermission {
        mode: s.mode,
        filter: s.filter.clone(),
    };
    portal.ticket_view.show_closed = s.show_closed;
    let contacts = s.people.iter().enumerate().map(|(i, p)| {
        let contact = Contact {
            id: i as i64 + 1,
            email: email(i),
            name: format!("Contact {}", i + 1),
            company_id: p.company,
            properties: properties(p),
            registration: Registration::Registered,
            consent: Some(ConsentRecord {
                version: 1,
                accepted_at: "2026-01-01T00:00:00.000Z".into(),
            }),
        };
        (contact, Some("not-a-hash".to_string()))
    });
    let tickets: Vec<Ticket> = s
        .tickets
        .iter()
        .enumerate()
        .map(|(i, t)| Ticket {
            id: i as i64 + 1,
            subject: format!("Ticket {}", i + 1),
            description: "Something broke".into(),
            stage: t.stage,
            priority: Priority::Medium,
            category: String::new(),
            inbox_id: 1,
            owner_id: None,
            contact_id: t.requester as i64 + 1,
            company_id: t.company.unwrap_or(s.people[t.requester].company),
            source: Source::Portal,
            form_fields: BTreeMap::new(),
            tags: vec![],
            created_at: "2026-01-01T00:00:00.000Z".into(),
            updated_at: "2026-01-01T00:00:00.000Z".into(),
            closed_at: t
                .stage
                .is_closed()
                .then(|| "2026-01-02T00:00:00.000Z".into()),
            version: 1,
            ccs: Vec::new(),
        })
        .collect();
    let batch = ImportBatch {
        portal: Some(portal.clone()),
        domains: vec![DomainInfo {
            host: HOST.into(),
            primary_language: "en".into(),
            system: false,
        }],
        users: vec![],
        companies: (1..=3)
            .map(|id| Company {
                id,
                name: format!("Company {id}"),
                domain: format!("co{id}.test"),
            })
            .collect(),
        contacts: contacts.collect(),
        inboxes: vec![Inbox {
            id: 1,
            name: "Support".into(),
            kind: InboxKind::Inbox,
            members: vec![],
            assignment: Assignment::Manual,
            capacity: None,
        }],
        rules: vec![],
        tickets: tickets.clone(),
        messages: vec![],
    };
    (portal, tickets, batch)
}

fn ids(items: &[serde_json::Value]) -> BTreeSet<i64> {
    items
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect()
}

async fn check(s: Scenario) {
    let (portal, tickets, batch) = build(&s);
    let ts = batch_server(batch).await;
    for (i, p) in s.people.iter().enumerate() {
        let viewer = Viewer::Contact {
            contact_id: i as i64 + 1,
            company_id: p.company,
            properties: properties(p),
        };
        let token = ts.session_for(&email(i)).await;
        let listed: BTreeSet<i64> = tickets
            .iter()
            .filter(|t| listed_for(&viewer, &portal, t))
            .map(|t| t.id)
            .collect();
        assert_eq!(
            ids(&ts.all_tickets(&token).await),
            listed,
            "GET /tickets for contact {}",
            i + 1
        );
        for t in &tickets {
            let want = if can_see(&viewer, &portal.ticket_permission, &t.into()) {
                200
            } else {
                404
            };
            let a = ts.get(&format!("/tickets/{}", t.id), &token).await;
            assert_eq!(
                a.status,
                want,
                "GET /tickets/{} for contact {}: {}",
                t.id,
                i + 1,
                a.text
            );
        }
        let (pages, _) = ts.sync_all(&token, "", s.page).await;
        assert_eq!(pages[0]["reset"], true);
        let synced: Vec<serde_json::Value> = pages
            .iter()
            .flat_map(|p| p["changes"].as_array().expect("changes").iter().cloned())
            .filter(|c| c["entity"] == "ticket")
            .collect();
        assert!(synced.iter().all(|c| c["op"] == "upsert"), "{synced:?}");
        let synced_ids: Vec<i64> = synced
            .iter()
            .map(|c| c["id"].as_i64().expect("id"))
            .collect();
        assert_eq!(
            synced_ids.iter().copied().collect::<BTreeSet<_>>(),
            listed,
            "GET /sync for contact {}",
            i + 1
        );
        assert_eq!(
            synced_ids.len(),
            listed.len(),
            "a ticket was sent twice: {synced_ids:?}"
        );
    }
    let TestServer { server, dir, .. } = ts;
    server.stop().await.expect("server stops");
    drop(dir);
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn contacts_get_exactly_what_visibility_allows_on_sqlite(s in scenario()) {
        on_store_blocking(StoreKind::Sqlite, || runtime().block_on(check(s)));
    }

    #[test]
    fn contacts_get_exactly_what_visibility_allows_on_postgres(s in scenario()) {
        on_store_blocking(StoreKind::Postgres, || runtime().block_on(check(s)));
    }
}
