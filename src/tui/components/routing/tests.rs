//! The editors and the tester turn what was typed into the API's bodies.

use super::inbox_editor::InboxEditor;
use super::rule_editor::RuleEditor;
use super::tester::Tester;
use crate::client::{Marked, View};
use crate::domain::routing::{AssignNamed, AssignTarget, MatchMode, MatchValue, RuleOutcome};
use crate::domain::wire::AccountOut;
use crate::domain::{
    Assignment, Condition, ConditionField, ConditionOp, Inbox, InboxKind, Priority, Role,
    RoutingRule, User,
};

fn marked<T>(item: T) -> Marked<T> {
    Marked {
        item,
        pending: false,
    }
}

fn view() -> View {
    let account = AccountOut {
        id: 1,
        kind: "user".into(),
        role: Role::Admin,
        name: "Ada".into(),
        email: "ada@deskport.test".into(),
        company_id: None,
    };
    let mut view = View::new(account, "http://127.0.0.1:1".into());
    for (id, name) in [(1, "Ada"), (2, "Sam"), (3, "Lin")] {
        let role = if id == 1 { Role::Admin } else { Role::Agent };
        let email = format!("{}@deskport.test", name.to_lowercase());
        let user = User {
            id,
            email,
            name: name.into(),
            role,
        };
        view.users.insert(id, user);
    }
    for (id, name) in [(1, "Support"), (2, "Billing")] {
        let inbox = Inbox {
            id,
            name: name.into(),
            kind: InboxKind::HelpDesk,
            members: vec![3, 2],
            assignment: Assignment::LeastLoaded,
            capacity: Some(5),
        };
        view.inboxes.insert(id, marked(inbox));
    }
    for (i, name) in ["First", "Second"].into_iter().enumerate() {
        view.rules.push(marked(rule(10 + i as i64, name, i as i64)));
    }
    view
}

fn rule(id: i64, name: &str, position: i64) -> RoutingRule {
    RoutingRule {
        id,
        name: name.into(),
        enabled: false,
        position,
        match_mode: MatchMode::Any,
        conditions: vec![
            Condition {
                field: ConditionField::Subject,
                op: ConditionOp::Contains,
                value: MatchValue::One("invoice".into()),
            },
            Condition {
                field: ConditionField::Form("category".into()),
                op: ConditionOp::In,
                value: MatchValue::Many(vec!["billing".into(), "refund".into()]),
            },
        ],
        then: RuleOutcome {
            inbox_id: 2,
            assign: AssignTarget::User { user_id: 3 },
            priority: Some(Priority::High),
        },
    }
}

#[test]
fn a_rule_comes_back_from_its_editor_unchanged() {
    let view = view();
    let saved = &view.rules[0].item;
    let input = RuleEditor::new(Some(saved), &view).input().unwrap();
    assert_eq!(
        (input.name.as_str(), input.enabled, input.match_mode),
        ("First", false, MatchMode::Any)
    );
    assert_eq!(
        (&input.conditions, &input.then, input.position),
        (&saved.conditions, &saved.then, None)
    );
}

#[test]
fn a_new_rule_goes_on_top_and_needs_a_name_and_a_value() {
    let view = view();
    let mut editor = RuleEditor::new(None, &view);
    assert!(editor.input().unwrap_err().contains("name"));
    editor.form.paste("Invoices");
    assert!(editor.input().unwrap_err().contains("condition #1"));
    editor.form.focus = editor.form.fields.len() - 1;
    editor.form.paste("invoice");
    let input = editor.input().unwrap();
    assert_eq!(
        (input.position, input.enabled, &input.then.assign),
        (
            Some(0),
            true,
            &AssignTarget::Named(AssignNamed::InboxMethod)
        )
    );
    editor.add_condition();
    assert!(editor.on_condition() && editor.remove_condition());
    assert_eq!(editor.input().unwrap().conditions.len(), 1);
}

#[test]
fn the_inbox_editor_keeps_member_order_and_checks_capacity() {
    let view = view();
    let inbox = &view.inboxes[&2].item;
    let mut editor = InboxEditor::new(Some(inbox), &view);
    let input = editor.input().unwrap();
    assert_eq!((input.members, input.capacity), (vec![3, 2], Some(5)));
    editor.form.focus = 4;
    assert!(editor.form.cycle(), "Ada joins");
    editor.form.focus = 3;
    editor.form.paste("x");
    assert!(editor.input().unwrap_err().contains("capacity"));
    editor.form.fields[3] = super::form::Field::text("Capacity", "");
    let patch = InboxEditor::patch(editor.input().unwrap());
    assert_eq!(
        (patch.members, patch.capacity),
        (Some(vec![3, 2, 1]), Some(None))
    );
}

#[test]
fn the_tester_tries_the_draft_in_place_of_its_saved_rule() {
    let view = view();
    let mut draft = RuleEditor::new(Some(&view.rules[1].item), &view)
        .input()
        .unwrap();
    draft.name = "Second, edited".into();
    let mut tester = Tester::new(&view, Some((Some(11), draft.clone())));
    tester.form.paste("Invoice 7");
    let request = tester.request(&view);
    assert_eq!(request.ticket.subject, "Invoice 7");
    let rules = request.rules.unwrap();
    let names: Vec<_> = rules
        .iter()
        .map(|r| (r.name.as_str(), r.position))
        .collect();
    assert_eq!(names, [("First", Some(0)), ("Second, edited", Some(1))]);
    let tester = Tester::new(&view, Some((None, draft)));
    let rules = tester.request(&view).rules.unwrap();
    assert_eq!(
        rules[0].name, "Second, edited",
        "a new rule is tried on top"
    );
    assert_eq!(rules.len(), 3);
    assert!(Tester::new(&view, None).request(&view).rules.is_none());
}

#[test]
fn an_editor_knows_whether_it_holds_edits() {
    let view = view();
    let mut rule = RuleEditor::new(Some(&view.rules[0].item), &view);
    assert!(
        !rule.form.is_edited(),
        "a rule with conditions opens unedited"
    );
    rule.form.move_focus(3);
    assert!(!rule.form.is_edited(), "moving around is no edit");
    rule.add_condition();
    assert!(rule.form.is_edited(), "a new condition is");
    assert!(rule.remove_condition());
    assert!(
        !rule.form.is_edited(),
        "removing it again restores the rule"
    );

    let mut inbox = InboxEditor::new(Some(&view.inboxes[&2].item), &view);
    inbox.form.focus = 1;
    assert!(inbox.form.cycle());
    assert!(inbox.form.is_edited(), "another kind");
    assert!(inbox.form.cycle());
    assert!(!inbox.form.is_edited(), "back to the kind it had");
    inbox.form.focus = 0;
    inbox.form.paste("!");
    assert!(inbox.form.is_edited(), "a renamed inbox");
}

#[test]
fn items_still_waiting_to_be_created_are_not_changed() {
    use super::list_actions::unsaved_name;
    use super::lists::Target;
    let mut view = view();
    let mut pending = view.inboxes[&2].item.clone();
    (pending.id, pending.name) = (-7, "Refunds".into());
    view.inboxes.insert(-7, marked(pending));
    view.rules.push(marked(rule(-8, "Draft", 2)));
    assert_eq!(
        unsaved_name(Target::Inbox(-7), &view).as_deref(),
        Some("Refunds")
    );
    assert_eq!(
        unsaved_name(Target::Rule(2), &view).as_deref(),
        Some("Draft")
    );
    assert_eq!(unsaved_name(Target::Inbox(2), &view), None);
    assert_eq!(unsaved_name(Target::Rule(0), &view), None);
    assert_eq!(unsaved_name(Target::Rules, &view), None);
}
