use super::*;
use crate::domain::ticket::{Priority, Source};
use ConditionField as F;
use ConditionOp as Op;

fn one(s: &str) -> MatchValue {
    MatchValue::One(s.to_string())
}

fn many(v: &[&str]) -> MatchValue {
    MatchValue::Many(v.iter().map(|s| s.to_string()).collect())
}

fn cond(field: F, op: Op, value: MatchValue) -> Condition {
    Condition { field, op, value }
}

fn inbox(members: Vec<i64>, assignment: Assignment, capacity: Option<u32>) -> Inbox {
    let name = "Support".to_string();
    Inbox {
        id: 1,
        name,
        kind: InboxKind::Inbox,
        members,
        assignment,
        capacity,
    }
}

fn rule(id: i64, position: i64, mode: MatchMode, conditions: Vec<Condition>) -> RoutingRule {
    let assign = AssignTarget::Named(AssignNamed::InboxMethod);
    RoutingRule {
        id,
        name: format!("Rule {id}"),
        enabled: true,
        position,
        match_mode: mode,
        conditions,
        then: RuleOutcome {
            inbox_id: id * 10,
            assign,
            priority: None,
        },
    }
}

/// A rule at `position` that fires on a subject containing `text`; it routes to inbox `id * 10`.
fn on_subject(id: i64, position: i64, text: &str) -> RoutingRule {
    rule(
        id,
        position,
        MatchMode::All,
        vec![cond(F::Subject, Op::Contains, one(text))],
    )
}

/// Whether a one-condition rule fires for `ticket`.
fn fires(c: Condition, ticket: &RoutingInput) -> bool {
    first_match(&[rule(1, 0, MatchMode::All, vec![c])], ticket).is_some()
}

fn input(edit: impl FnOnce(&mut RoutingInput)) -> RoutingInput {
    let mut t = RoutingInput::default();
    edit(&mut t);
    t
}

fn subject(s: &str) -> RoutingInput {
    input(|t| t.subject = s.into())
}

fn first_id(rules: &[RoutingRule], ticket: &RoutingInput) -> Option<i64> {
    first_match(rules, ticket).map(|r| r.id)
}

fn loads(pairs: &[(i64, u32)]) -> HashMap<i64, u32> {
    pairs.iter().copied().collect()
}

/// `(owner, next_cursor)` of a pick with these open-ticket counts.
fn pick(b: &Inbox, pairs: &[(i64, u32)], cursor: i64) -> (Option<i64>, i64) {
    let Pick { owner, next_cursor } = pick_owner(b, &loads(pairs), cursor);
    (owner, next_cursor)
}

#[test]
fn condition_fields_round_trip_through_their_wire_names() {
    let all = [
        ("subject", F::Subject),
        ("description", F::Description),
        ("category", F::Category),
        ("priority", F::Priority),
        ("company", F::Company),
        ("email_domain", F::EmailDomain),
        ("source", F::Source),
        ("form:plan", F::Form("plan".into())),
        ("form:a:b", F::Form("a:b".into())),
    ];
    for (name, field) in all {
        assert_eq!(F::try_from(name.to_string()), Ok(field.clone()), "{name}");
        assert_eq!(String::from(field.clone()), name);
        let json = serde_json::to_string(&field).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<F>(&json).unwrap(), field);
    }
}

#[test]
fn unknown_condition_fields_are_rejected() {
    for bad in [
        "",
        "Subject",
        "owner",
        "form:",
        "form",
        "email-domain",
        " subject",
    ] {
        let err = F::try_from(bad.to_string()).unwrap_err();
        assert!(err.contains("unknown condition field"), "{bad}: {err}");
        assert!(
            serde_json::from_str::<F>(&format!("{bad:?}")).is_err(),
            "{bad}"
        );
    }
    let json = r#"{"field":"owner","op":"equals","value":"x"}"#;
    assert!(serde_json::from_str::<Condition>(json).is_err());
}

#[test]
fn check_value_demands_the_right_shape() {
    assert!(Op::Equals.check_value(&one("acme")).is_ok());
    assert!(Op::Equals.check_value(&many(&["acme"])).is_err());
    assert!(Op::In.check_value(&many(&["a", "b"])).is_ok());
    assert!(Op::In.check_value(&one("a")).is_err());
    assert!(Op::Contains.check_value(&one("a")).is_ok());
    assert!(Op::Contains.check_value(&many(&["a", "b"])).is_ok());
}

#[test]
fn check_value_rejects_empty_blank_and_long_values() {
    for op in [Op::Equals, Op::Contains] {
        assert!(op.check_value(&one("")).is_err());
        assert!(op.check_value(&one("   ")).is_err());
        assert!(op.check_value(&one(&"x".repeat(200))).is_ok());
        assert!(op.check_value(&one(&"x".repeat(201))).is_err());
    }
    assert!(Op::In.check_value(&MatchValue::Many(vec![])).is_err());
    assert!(Op::In.check_value(&many(&["ok", " "])).is_err());
    assert!(
        Op::Contains
            .check_value(&many(&["ok", &"y".repeat(201)]))
            .is_err()
    );
}

#[test]
fn check_value_counts_characters_not_bytes() {
    // The message promises "1–200 characters"; 200 non-ASCII characters must be accepted.
    assert!(Op::Equals.check_value(&one(&"é".repeat(200))).is_ok());
    assert!(Op::Equals.check_value(&one(&"é".repeat(201))).is_err());
}

#[test]
fn matches_ignores_case() {
    assert!(Op::Equals.matches("ACME Corp", &one("acme corp")));
    assert!(Op::Equals.matches("ÉCOLE", &one("école")));
    assert!(Op::Contains.matches("Printer is JAMMED", &one("jammed")));
    assert!(Op::In.matches("Gold", &many(&["silver", "GOLD"])));
}

#[test]
fn equals_needs_the_whole_value() {
    assert!(!Op::Equals.matches("acme corp", &one("acme")));
    assert!(!Op::Equals.matches("acme", &one("acme corp")));
    assert!(!Op::Equals.matches("", &one("acme")));
}

#[test]
fn contains_finds_substrings_and_any_of_a_list() {
    assert!(Op::Contains.matches("refund please", &one("fund")));
    assert!(!Op::Contains.matches("refund please", &one("invoice")));
    assert!(Op::Contains.matches("my invoice is wrong", &many(&["refund", "invoice"])));
    assert!(!Op::Contains.matches("hello", &many(&["refund", "invoice"])));
    assert!(!Op::Contains.matches("", &one("a")));
}

#[test]
fn in_needs_an_exact_member_of_the_list() {
    let list = many(&["high", "urgent"]);
    assert!(Op::In.matches("high", &list));
    assert!(!Op::In.matches("hig", &list));
    assert!(!Op::In.matches("very high", &list));
    assert!(!Op::In.matches("low", &list));
}

#[test]
fn validate_accepts_a_good_rule_and_names_the_bad_field() {
    let other = Inbox {
        id: 10,
        ..inbox(vec![], Assignment::Manual, None)
    };
    let inboxes = [inbox(vec![10], Assignment::Manual, None), other];
    let good = on_subject(1, 0, "refund");
    assert_eq!(good.validate(&inboxes, &[10, 11]), Ok(()));
    // The field an edited copy of `good` is rejected for, or "" when it passes.
    let fault = |edit: &dyn Fn(&mut RoutingRule)| {
        let mut r = good.clone();
        edit(&mut r);
        r.validate(&inboxes, &[10, 11])
            .err()
            .map(|e| e.field)
            .unwrap_or_default()
    };
    assert_eq!(fault(&|r| r.name = "   ".into()), "name");
    assert_eq!(fault(&|r| r.name = "x".repeat(81)), "name");
    assert_eq!(fault(&|r| r.name = "x".repeat(80)), "");
    assert_eq!(fault(&|r| r.conditions.clear()), "conditions");
    let in_one = cond(F::Priority, Op::In, one("high"));
    assert_eq!(
        fault(&|r| r.conditions.push(in_one.clone())),
        "conditions[1].value"
    );
    assert_eq!(fault(&|r| r.then.inbox_id = 99), "then.inbox_id");
    let user = |id| move |r: &mut RoutingRule| r.then.assign = AssignTarget::User { user_id: id };
    assert_eq!(fault(&user(42)), "then.assign.user_id");
    assert_eq!(fault(&user(11)), "");
}

#[test]
fn disabled_rules_never_fire() {
    let mut off = on_subject(1, 0, "refund");
    off.enabled = false;
    let refund = subject("Refund");
    assert_eq!(first_id(std::slice::from_ref(&off), &refund), None);
    assert_eq!(
        first_id(&[off, on_subject(2, 5, "refund")], &refund),
        Some(2)
    );
}

#[test]
fn position_decides_not_slice_order() {
    let rules = [
        on_subject(1, 3, "refund"),
        on_subject(2, 1, "refund"),
        on_subject(3, 2, "refund"),
    ];
    assert_eq!(first_id(&rules, &subject("refund")), Some(2));
    // A rule that does not match is passed over for the next one that does.
    let rules = [on_subject(1, 0, "invoice"), on_subject(2, 1, "refund")];
    let hit = first_match(&rules, &subject("refund")).unwrap();
    assert_eq!((hit.id, hit.then.inbox_id), (2, 20));
    assert_eq!(first_id(&rules, &subject("hello")), None);
    assert_eq!(first_id(&[], &subject("hello")), None);
}

#[test]
fn all_needs_every_condition_and_any_needs_one() {
    let conds = vec![
        cond(F::Subject, Op::Contains, one("refund")),
        cond(F::Category, Op::Equals, one("billing")),
    ];
    let all = [rule(1, 0, MatchMode::All, conds.clone())];
    let any = [rule(1, 0, MatchMode::Any, conds)];
    let both = input(|t| (t.subject, t.category) = ("Refund".into(), "Billing".into()));
    assert!(first_match(&all, &both).is_some());
    assert!(first_match(&all, &subject("Refund")).is_none());
    assert!(first_match(&any, &subject("Refund")).is_some());
    assert!(first_match(&any, &subject("Hello")).is_none());
}

#[test]
fn email_domain_is_the_part_after_the_at() {
    let c = || cond(F::EmailDomain, Op::Equals, one("acme.test"));
    let email = |e: &str| input(|t| t.email = e.into());
    assert!(fires(c(), &email("carla@ACME.test")));
    assert!(!fires(c(), &email("carla@notacme.test")));
    assert!(!fires(c(), &email("acme.test")));
    assert!(!fires(c(), &email("")));
}

#[test]
fn form_priority_source_company_and_description_are_read() {
    let plan = || cond(F::Form("plan".into()), Op::In, many(&["gold", "platinum"]));
    let form = |v: &str| input(|t| _ = t.form_fields.insert("plan".into(), v.into()));
    assert!(
        !fires(plan(), &RoutingInput::default()),
        "a missing field never matches"
    );
    assert!(fires(plan(), &form("Gold")));
    assert!(!fires(plan(), &form("free")));

    let urgent = || cond(F::Priority, Op::In, many(&["high", "urgent"]));
    let prio = |p| input(|t| t.priority = Some(p));
    assert!(fires(urgent(), &prio(Priority::Urgent)));
    assert!(!fires(urgent(), &prio(Priority::Low)));
    assert!(!fires(urgent(), &RoutingInput::default()));

    let by_mail = || cond(F::Source, Op::Equals, one("email"));
    let src = |s| input(|t| t.source = Some(s));
    assert!(fires(by_mail(), &src(Source::Email)));
    assert!(!fires(by_mail(), &src(Source::Portal)));

    let acme = cond(F::Company, Op::Contains, one("acme"));
    assert!(fires(acme, &input(|t| t.company = "ACME Ltd".into())));
    let crash = cond(F::Description, Op::Contains, one("crash"));
    let crashes = input(|t| t.description = "it CRASHES".into());
    assert!(fires(crash, &crashes));
}

#[test]
fn manual_and_empty_inboxes_assign_nobody() {
    let manual = inbox(vec![10, 11], Assignment::Manual, None);
    assert_eq!(pick(&manual, &[], 3), (None, 3));
    for method in [Assignment::RoundRobin, Assignment::LeastLoaded] {
        let empty = inbox(vec![], method, Some(5));
        assert_eq!(pick(&empty, &[], 2), (None, 2));
    }
}

#[test]
fn round_robin_rotates_in_member_order() {
    let b = inbox(vec![10, 11, 12], Assignment::RoundRobin, None);
    let mut cursor = 0;
    let mut owners = Vec::new();
    for _ in 0..7 {
        let (owner, next) = pick(&b, &[], cursor);
        owners.push(owner.unwrap());
        cursor = next;
    }
    assert_eq!(owners, [10, 11, 12, 10, 11, 12, 10]);
    // A stale cursor (a member was removed) wraps around, negative ones too.
    assert_eq!(pick(&b, &[], 4).0, Some(11));
    assert_eq!(pick(&b, &[], -1).0, Some(12));
}

#[test]
fn round_robin_skips_members_at_capacity() {
    let b = inbox(vec![10, 11, 12], Assignment::RoundRobin, Some(2));
    let p = pick(&b, &[(10, 0), (11, 2), (12, 1)], 1);
    assert_eq!(p, (Some(12), 0));
    let p = pick(&b, &[(10, 2), (11, 2), (12, 1)], 0);
    assert_eq!(p, (Some(12), 0));
}

#[test]
fn everyone_at_capacity_leaves_the_ticket_unassigned() {
    let full = [(10, 3), (11, 4)];
    let rr = inbox(vec![10, 11], Assignment::RoundRobin, Some(3));
    assert_eq!(pick(&rr, &full, 1), (None, 1));
    let ll = inbox(vec![10, 11], Assignment::LeastLoaded, Some(3));
    assert_eq!(pick(&ll, &full, 1).0, None);
}

#[test]
fn least_loaded_picks_the_fewest_open_with_room() {
    let b = inbox(vec![10, 11, 12], Assignment::LeastLoaded, None);
    assert_eq!(pick(&b, &[(10, 5), (11, 2), (12, 3)], 0).0, Some(11));
    // No recorded count means zero; ties go to the earliest member.
    assert_eq!(pick(&b, &[(10, 5), (11, 2)], 0).0, Some(12));
    assert_eq!(pick(&b, &[(10, 1), (11, 1), (12, 1)], 2).0, Some(10));
    let capped = inbox(vec![10, 11, 12], Assignment::LeastLoaded, Some(2));
    assert_eq!(pick(&capped, &[(10, 2), (11, 2), (12, 1)], 0).0, Some(12));
}

mod props;
