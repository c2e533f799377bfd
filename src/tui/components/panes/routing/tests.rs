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

/// Ada's view, signed in as admin, before anything synced.
pub(super) fn empty_admin_view() -> View {
    let account = AccountOut {
        id: 1,
        kind: "user".into(),
        role: Role::Admin,
        name: "Ada".into(),
        email: "ada@deskport.test".into(),
        company_id: None,
    };
    View::new(account, "http://127.0.0.1:1".into())
}

fn view() -> View {
    let mut view = empty_admin_view();
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
    editor.form.fields[3] = crate::tui::components::widgets::form::Field::text("Capacity", "");
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

#[test]
fn the_cursor_moves_over_items_not_lines() {
    use super::lists::{Target, targets};
    let view = view();
    assert_eq!(
        targets(&view),
        [
            Target::Inbox(1),
            Target::Inbox(2),
            Target::Rule(0),
            Target::Rule(1)
        ],
        "no headings, detail lines or blank lines to stop on"
    );
    let mut empty = view.clone();
    empty.inboxes.clear();
    empty.rules.clear();
    assert_eq!(
        targets(&empty),
        [Target::Inboxes, Target::Rules],
        "an empty section keeps its heading, so `n` there knows what to create"
    );
}

fn ticket_in(id: i64, inbox_id: i64) -> crate::client::ViewTicket {
    use crate::client::view::compact::Compact;
    use crate::domain::wire::{TicketOut, TicketRow};
    use crate::domain::{Source, Stage, Ticket};
    let row = TicketRow {
        ticket: Ticket {
            id,
            subject: format!("ticket {id}"),
            description: String::new(),
            stage: Stage::New,
            priority: Priority::Low,
            category: String::new(),
            inbox_id,
            owner_id: None,
            contact_id: 7,
            company_id: None,
            source: Source::Portal,
            form_fields: Default::default(),
            tags: Vec::new(),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            closed_at: None,
            version: 1,
            ccs: Vec::new(),
        },
        requester_name: "Carla".into(),
        requester_email: "carla@acme.test".into(),
        company_name: None,
        owner_name: None,
        inbox_name: String::new(),
        message_count: 0,
        updated_by: None,
        mail_cc: Vec::new(),
    };
    crate::client::ViewTicket::new(Compact::from_ticket(&TicketOut::Staff(row)))
}

#[test]
fn moving_an_inbox_s_tickets_goes_in_bulk_writes_of_at_most_1000_then_deletes_it() {
    use super::delete::{BULK_LIMIT, MovePrompt, refusal_reason};
    use crate::client::Write;
    let mut view = view();
    assert_eq!(MovePrompt::new(1, &view), None, "no tickets: no offer");
    let mut tickets: Vec<_> = (1..=2500).map(|id| ticket_in(id, 1)).collect();
    tickets.push(ticket_in(2501, 2));
    view.set_tickets(tickets);
    let mut prompt = MovePrompt::new(1, &view).unwrap().unwrap();
    assert!(
        prompt
            .text()
            .starts_with("Inbox \"Support\" holds 2500 tickets: move them to ‹Billing›"),
        "{}",
        prompt.text()
    );
    prompt.pick(-1);
    assert!(prompt.text().contains("‹Billing›"), "the only other inbox");
    let (writes, job) = prompt.writes();
    let sizes: Vec<usize> = writes
        .iter()
        .filter_map(|w| match w {
            Write::Bulk(b) => {
                assert_eq!(b.patch.inbox_id, Some(2));
                assert!(b.patch.owner_id.is_none() && b.patch.stage.is_none());
                Some(b.ids.len())
            }
            _ => None,
        })
        .collect();
    assert_eq!(sizes, [BULK_LIMIT, BULK_LIMIT, 500]);
    assert!(matches!(writes.last(), Some(Write::DeleteInbox { id: 1 })));
    assert_eq!(job.deletes_inbox, Some(1));
    assert_eq!(
        job.done,
        "moved 2500 tickets to \"Billing\" and deleted inbox \"Support\""
    );

    let mut alone = view.clone();
    alone.inboxes.remove(&2);
    assert!(
        MovePrompt::new(1, &alone).unwrap().is_err(),
        "nowhere to move them"
    );
    let why = refusal_reason(&view, 2).unwrap();
    assert!(why.contains("routing rule \"First\""), "{why}");
    assert_eq!(refusal_reason(&view, 1), None);
}

#[test]
fn the_tester_sends_category_priority_and_source() {
    use crate::domain::Source;
    let view = view();
    let mut tester = Tester::new(&view, None);
    let label =
        |t: &Tester, name: &str| t.form.fields.iter().position(|f| f.label == name).unwrap();
    tester.form.focus = label(&tester, "Category");
    tester.form.paste("hardware");
    tester.form.focus = label(&tester, "Priority");
    tester.form.cycle();
    tester.form.cycle();
    tester.form.focus = label(&tester, "Source");
    tester.form.cycle();
    let ticket = tester.request(&view).ticket;
    assert_eq!(
        (ticket.category.as_str(), ticket.priority, ticket.source),
        ("hardware", Some(Priority::Medium), Some(Source::Email))
    );
}

#[test]
fn a_long_text_field_scrolls_to_keep_the_cursor_in_view() {
    use crate::tui::components::test_draw;
    use crate::tui::components::widgets::form::{Field, Form, Typing};
    use ratatui::style::Modifier;
    let long = "The printer on the third floor is on fire again";
    let mut form = Form::new(
        vec![Field::text("Subject", ""), Field::text("Other", long)],
        Typing::Direct,
    );
    form.paste(long);
    let draw =
        |form: &Form<()>| test_draw::buffer(30, 2, |f, ctx| form.draw_aligned(f, f.area(), ctx));
    let buffer = draw(&form);
    let row = |y: u16| -> String { (0..30).map(|x| buffer[(x, y)].symbol()).collect() };
    assert_eq!(row(0), "▶ Subject  … is on fire again ");
    assert!(
        buffer[(29, 0)].modifier.contains(Modifier::REVERSED),
        "the cursor, after the text, is on screen"
    );
    assert_eq!(
        row(1),
        "  Other    The printer on the…",
        "an unfocused field shows its start"
    );
}

#[test]
fn notices_take_the_rows_their_wrapped_words_need() {
    use crate::tui::components::wrapped_rows;
    assert_eq!(wrapped_rows("short", 10), 1);
    assert_eq!(wrapped_rows("aaaa bbbb cccc", 9), 2);
    assert_eq!(wrapped_rows("aaaa bbbbbbbbbbbbbbbbbbbbb", 10), 4);
}
