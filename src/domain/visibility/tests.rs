use super::*;
use crate::domain::people::Role;
use crate::domain::portal::{PermissionMode, PropertyFilter};
use crate::domain::routing::{ConditionOp, MatchValue};
use crate::domain::ticket::{Priority, Source, Stage};
use PermissionMode::{Company, Contact, ContactFilter};
use proptest::prelude::*;
use std::collections::BTreeMap;

const ACME: Option<i64> = Some(1);
const GLOBEX: Option<i64> = Some(2);

fn contact(contact_id: i64, company_id: Option<i64>) -> Viewer {
    Viewer::Contact {
        contact_id,
        company_id,
        properties: BTreeMap::new(),
    }
}

/// A contact whose `plan` property is `plan`.
fn on_plan(contact_id: i64, company_id: Option<i64>, plan: &str) -> Viewer {
    let properties = BTreeMap::from([("plan".to_string(), plan.to_string())]);
    Viewer::Contact {
        contact_id,
        company_id,
        properties,
    }
}

fn staff(role: Role) -> Viewer {
    Viewer::Staff { user_id: 7, role }
}

fn perm(mode: PermissionMode) -> TicketPermission {
    TicketPermission {
        mode,
        filter: vec![],
    }
}

fn plan_filter(op: ConditionOp, value: MatchValue) -> PropertyFilter {
    PropertyFilter {
        property: "plan".into(),
        op,
        value,
    }
}

/// `contact_filter` mode: contacts on the gold or platinum plan get company visibility.
fn gold_filter() -> TicketPermission {
    let value = MatchValue::Many(vec!["gold".into(), "platinum".into()]);
    TicketPermission {
        mode: ContactFilter,
        filter: vec![plan_filter(ConditionOp::In, value)],
    }
}

fn scope(contact_id: i64, company_id: Option<i64>) -> TicketScope {
    TicketScope {
        contact_id,
        company_id,
        ccs: Vec::new(),
    }
}

fn copied(contact_id: i64, company_id: Option<i64>, ccs: &[i64]) -> TicketScope {
    TicketScope {
        ccs: ccs.to_vec(),
        ..scope(contact_id, company_id)
    }
}

fn own_scope(contact_id: i64, company_id: Option<i64>) -> ReadScope {
    ReadScope::Contact {
        contact_id,
        company_id,
    }
}

fn ticket(contact_id: i64, company_id: Option<i64>, stage: Stage) -> Ticket {
    let at = "2024-01-01T00:00:00Z".to_string();
    Ticket {
        id: 1,
        subject: "Printer".into(),
        description: "It jams".into(),
        stage,
        priority: Priority::Medium,
        category: String::new(),
        inbox_id: 1,
        owner_id: None,
        contact_id,
        company_id,
        source: Source::Portal,
        form_fields: BTreeMap::new(),
        tags: vec![],
        created_at: at.clone(),
        updated_at: at,
        closed_at: None,
        version: 1,
        ccs: Vec::new(),
    }
}

fn portal(mode: PermissionMode, show_closed: bool) -> PortalSettings {
    let mut p = PortalSettings::unconfigured("help.acme.test");
    p.ticket_permission = perm(mode);
    p.ticket_view.show_closed = show_closed;
    p
}

#[test]
fn staff_see_every_ticket_in_every_mode() {
    for role in [Role::Admin, Role::Agent] {
        for p in [
            perm(Contact),
            perm(Company),
            perm(ContactFilter),
            gold_filter(),
        ] {
            for s in [scope(1, None), scope(2, ACME), scope(3, GLOBEX)] {
                assert!(can_see(&staff(role), &p, &s));
                assert_eq!(why_visible(&staff(role), &p, &s), Some(Reason::Staff));
            }
            assert_eq!(ReadScope::of(&staff(role), &p), ReadScope::All);
        }
    }
}

#[test]
fn contact_mode_shows_only_own_tickets() {
    let p = perm(Contact);
    let carla = contact(10, ACME);
    assert!(can_see(&carla, &p, &scope(10, ACME)));
    assert!(can_see(&carla, &p, &scope(10, None)));
    assert!(
        !can_see(&carla, &p, &scope(11, ACME)),
        "a colleague's ticket"
    );
    assert!(!can_see(&carla, &p, &scope(12, GLOBEX)));
    assert!(!can_see(&carla, &p, &scope(13, None)));
    assert_eq!(ReadScope::of(&carla, &p), own_scope(10, None));
}

#[test]
fn company_mode_shows_own_plus_same_company() {
    let p = perm(Company);
    let carla = contact(10, ACME);
    assert!(can_see(&carla, &p, &scope(10, ACME)));
    assert!(can_see(&carla, &p, &scope(11, ACME)));
    // Her own ticket raised under another company stays visible.
    assert!(can_see(&carla, &p, &scope(10, GLOBEX)));
    assert!(!can_see(&carla, &p, &scope(12, GLOBEX)));
    assert!(!can_see(&carla, &p, &scope(13, None)));
    assert_eq!(ReadScope::of(&carla, &p), own_scope(10, ACME));
}

#[test]
fn company_mode_never_groups_contacts_without_a_company() {
    let p = perm(Company);
    let solo = contact(20, None);
    assert!(can_see(&solo, &p, &scope(20, None)));
    assert!(
        !can_see(&solo, &p, &scope(21, None)),
        "no company is not a shared company"
    );
    assert!(!can_see(&solo, &p, &scope(22, ACME)));
    assert_eq!(ReadScope::of(&solo, &p), own_scope(20, None));
    assert!(!ReadScope::of(&solo, &p).contains(&scope(21, None)));
}

#[test]
fn contact_filter_grants_company_visibility_only_to_matching_contacts() {
    let p = gold_filter();
    let colleague = scope(13, ACME);
    assert!(
        can_see(&on_plan(10, ACME, "Gold"), &p, &colleague),
        "matching ignores case"
    );
    assert!(can_see(&on_plan(10, ACME, "platinum"), &p, &colleague));
    assert!(!can_see(&on_plan(11, ACME, "free"), &p, &colleague));
    assert!(
        !can_see(&contact(12, ACME), &p, &colleague),
        "a missing property never matches"
    );
    assert!(
        can_see(&on_plan(11, ACME, "free"), &p, &scope(11, ACME)),
        "own stays visible"
    );
    assert!(!can_see(&on_plan(10, ACME, "gold"), &p, &scope(14, GLOBEX)));
    assert!(!can_see(&on_plan(15, None, "gold"), &p, &scope(16, None)));
}

#[test]
fn contact_filter_needs_every_condition() {
    let mut p = perm(ContactFilter);
    let gold_or_free = MatchValue::Many(vec!["gold".into(), "free".into()]);
    p.filter.push(plan_filter(ConditionOp::In, gold_or_free));
    p.filter.push(plan_filter(
        ConditionOp::Contains,
        MatchValue::One("ol".into()),
    ));
    assert!(can_see(&on_plan(10, ACME, "gold"), &p, &scope(99, ACME)));
    assert!(!can_see(&on_plan(10, ACME, "free"), &p, &scope(99, ACME)));
    assert!(!can_see(&on_plan(10, ACME, "solo"), &p, &scope(99, ACME)));
}

#[test]
fn contact_filter_without_conditions_grants_nobody() {
    let v = on_plan(10, ACME, "gold");
    assert!(!can_see(&v, &perm(ContactFilter), &scope(11, ACME)));
    assert!(can_see(&v, &perm(ContactFilter), &scope(10, ACME)));
}

#[test]
fn why_visible_names_the_reason() {
    let carla = contact(10, ACME);
    let why = |v: &Viewer, p: &TicketPermission, s: &TicketScope| why_visible(v, p, s);
    assert_eq!(
        why(&carla, &perm(Company), &scope(10, ACME)),
        Some(Reason::OwnTicket)
    );
    assert_eq!(
        why(&carla, &perm(Company), &scope(11, ACME)),
        Some(Reason::CompanyMode)
    );
    assert_eq!(why(&carla, &perm(Company), &scope(12, GLOBEX)), None);
    assert_eq!(why(&carla, &perm(Contact), &scope(11, ACME)), None);
    let gold = on_plan(10, ACME, "gold");
    assert_eq!(
        why(&gold, &gold_filter(), &scope(11, ACME)),
        Some(Reason::FilterMatch)
    );
    assert_eq!(
        why(&gold, &gold_filter(), &scope(10, ACME)),
        Some(Reason::OwnTicket)
    );
    assert_eq!(
        why(&carla, &perm(Contact), &copied(11, ACME, &[10])),
        Some(Reason::Copied)
    );
}

#[test]
fn a_copied_contact_sees_the_ticket_in_every_mode_and_nobody_else_gains() {
    let carla = contact(10, ACME);
    let dan = contact(12, ACME);
    let stranger = contact(13, GLOBEX);
    for p in [perm(Contact), perm(Company), perm(ContactFilter)] {
        let t = copied(11, ACME, &[10]);
        assert!(can_see(&carla, &p, &t));
        assert!(ReadScope::of(&carla, &p).contains(&t));
        assert!(!can_see(&stranger, &p, &t));
        assert!(!ReadScope::of(&stranger, &p).contains(&t));
        assert_eq!(
            can_see(&dan, &p, &t),
            can_see(&dan, &p, &scope(11, ACME)),
            "a CC changes nothing for the requester's other colleagues"
        );
    }
}

#[test]
fn listed_for_hides_closed_tickets_from_customers_only() {
    let hide = portal(Company, false);
    let show = portal(Company, true);
    let carla = contact(10, ACME);
    let closed = ticket(10, ACME, Stage::Closed);
    let colleague_closed = ticket(11, ACME, Stage::Closed);
    assert!(!listed_for(&carla, &hide, &closed));
    assert!(!listed_for(&carla, &hide, &colleague_closed));
    assert!(listed_for(&carla, &show, &closed));
    assert!(listed_for(&carla, &show, &colleague_closed));
    for stage in [Stage::New, Stage::WaitingOnContact, Stage::WaitingOnUs] {
        assert!(listed_for(&carla, &hide, &ticket(10, None, stage)));
    }
    for role in [Role::Admin, Role::Agent] {
        assert!(listed_for(&staff(role), &hide, &closed));
        assert!(listed_for(&staff(role), &hide, &colleague_closed));
    }
    // Listing closed tickets never reveals someone else's.
    assert!(!listed_for(&carla, &show, &ticket(30, GLOBEX, Stage::New)));
    assert!(!listed_for(
        &carla,
        &portal(Contact, true),
        &colleague_closed
    ));
}

#[test]
fn ticket_scope_comes_from_the_ticket() {
    let t = ticket(10, ACME, Stage::New);
    assert_eq!(TicketScope::from(&t), scope(10, ACME));
}

#[test]
fn read_scope_drops_the_company_without_company_visibility() {
    let free = on_plan(10, ACME, "free");
    assert_eq!(ReadScope::of(&free, &perm(Contact)), own_scope(10, None));
    assert_eq!(ReadScope::of(&free, &gold_filter()), own_scope(10, None));
    assert_eq!(ReadScope::of(&free, &perm(Company)), own_scope(10, ACME));
    assert_eq!(
        ReadScope::of(&on_plan(10, ACME, "gold"), &gold_filter()),
        own_scope(10, ACME)
    );
}

#[test]
fn fingerprint_changes_when_the_mode_flips() {
    let carla = contact(10, ACME);
    let own = scope_fingerprint(&carla, &portal(Contact, true));
    assert_ne!(own, scope_fingerprint(&carla, &portal(Company, true)));
    let mut filtered = portal(Contact, true);
    filtered.ticket_permission = gold_filter();
    let gold = on_plan(10, ACME, "gold");
    let gold_own = scope_fingerprint(&gold, &portal(Contact, true));
    assert_ne!(gold_own, scope_fingerprint(&gold, &filtered));
}

#[test]
fn fingerprint_changes_when_the_contact_moves_company() {
    let p = portal(Company, true);
    let at_acme = scope_fingerprint(&contact(10, ACME), &p);
    assert_ne!(at_acme, scope_fingerprint(&contact(10, GLOBEX), &p));
    assert_ne!(
        at_acme,
        scope_fingerprint(&contact(10, None), &p),
        "left the company"
    );
    assert_ne!(
        at_acme,
        scope_fingerprint(&contact(11, ACME), &p),
        "another contact"
    );
}

#[test]
fn fingerprint_is_stable_otherwise() {
    let carla = contact(10, ACME);
    let p = portal(Company, true);
    let fp = scope_fingerprint(&carla, &p);
    assert_eq!(fp, scope_fingerprint(&carla.clone(), &p.clone()));
    let mut renamed = p.clone();
    renamed.name = "Another name".into();
    renamed.slug = "elsewhere".into();
    renamed.version += 5;
    assert_eq!(fp, scope_fingerprint(&carla, &renamed));
    // Properties only matter in contact_filter mode.
    let carla_gold = on_plan(10, ACME, "gold");
    assert_eq!(fp, scope_fingerprint(&carla_gold, &p));
    // A mode change that leaves what she sees unchanged keeps her cache.
    let mut filtered = p.clone();
    filtered.ticket_permission = gold_filter();
    assert_eq!(fp, scope_fingerprint(&carla_gold, &filtered));
    // FNV-1a is the published function, so cursors survive restarts and upgrades.
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
}

#[test]
fn fingerprint_follows_the_customer_ticket_view_but_not_for_staff() {
    let carla = contact(10, ACME);
    let shown = portal(Company, true);
    let hidden = portal(Company, false);
    let mut relabelled = shown.clone();
    relabelled
        .ticket_view
        .stage_labels
        .insert(Stage::Closed, "Solved".into());
    let customer = scope_fingerprint(&carla, &shown);
    assert_ne!(customer, scope_fingerprint(&carla, &hidden));
    assert_ne!(customer, scope_fingerprint(&carla, &relabelled));
    let admin = scope_fingerprint(&staff(Role::Admin), &shown);
    for other in [&hidden, &relabelled, &portal(Contact, true)] {
        assert_eq!(admin, scope_fingerprint(&staff(Role::Admin), other));
    }
    assert_ne!(admin, scope_fingerprint(&staff(Role::Agent), &shown));
    assert_ne!(admin, customer);
}

fn viewer() -> impl Strategy<Value = Viewer> {
    let plans = prop_oneof![Just("gold"), Just("GOLD"), Just("free"), Just("platinum")];
    let role = prop_oneof![Just(Role::Admin), Just(Role::Agent)];
    prop_oneof![
        1 => role.prop_map(staff),
        4 => (1i64..6, proptest::option::of(1i64..4), proptest::option::of(plans))
            .prop_map(|(id, company, plan)| match plan {
                Some(plan) => on_plan(id, company, plan),
                None => contact(id, company),
            }),
    ]
}

fn permission() -> impl Strategy<Value = TicketPermission> {
    prop_oneof![
        Just(perm(Contact)),
        Just(perm(Company)),
        Just(perm(ContactFilter)),
        Just(gold_filter()),
    ]
}

proptest! {
    #[test]
    fn read_scope_agrees_with_can_see(
        v in viewer(),
        p in permission(),
        contact_id in 1i64..6,
        company_id in proptest::option::of(1i64..4),
        ccs in proptest::collection::vec(1i64..6, 0..3),
    ) {
        let s = copied(contact_id, company_id, &ccs);
        prop_assert_eq!(ReadScope::of(&v, &p).contains(&s), can_see(&v, &p, &s));
    }

    #[test]
    fn contacts_always_see_their_own_and_never_a_stranger_without_a_company(
        v in viewer(),
        p in permission(),
        ticket_company in proptest::option::of(1i64..4),
    ) {
        if let Viewer::Contact { contact_id, .. } = v {
            prop_assert!(can_see(&v, &p, &scope(contact_id, ticket_company)));
            prop_assert!(!can_see(&v, &p, &scope(contact_id + 100, None)));
        }
    }
}
