//! The outbox keeps every kind of write intact, and writes stored by older schema versions
//! are upgraded rather than lost.

use super::{Cache, SCHEMA, outbox};
use crate::client::write::{ConflictInfo, OutboxState, Write};
use crate::domain::portal::PortalPatch;
use crate::domain::routing::{AssignNamed, AssignTarget, ConditionField, MatchMode, RuleOutcome};
use crate::domain::routing::{ConditionOp, MatchValue};
use crate::domain::wire::{
    BulkRequest, CcsInput, CustomerTicketInput, InboxInput, InboxPatch, MessageInput, RuleInput,
    RulePatch, SavedReplyInput, SavedReplyPatch, StaffTicketInput, StaffTicketPatch, TicketInput,
};
use crate::domain::{Assignment, Condition, InboxKind, Priority, Stage};
use rusqlite::{Connection, params};
use serde_json::Value;

/// How many variants `Write` has; `op_name` cannot compile without naming each one.
const VARIANTS: usize = 16;

/// The tag each variant is stored under.
fn op_name(write: &Write) -> &'static str {
    match write {
        Write::PatchTicket { .. } => "patch_ticket",
        Write::SetClosed { .. } => "set_closed",
        Write::SetCcs { .. } => "set_ccs",
        Write::Message { .. } => "message",
        Write::CreateTicket(_) => "create_ticket",
        Write::Bulk(_) => "bulk",
        Write::PatchPortal { .. } => "patch_portal",
        Write::CreateInbox(_) => "create_inbox",
        Write::PatchInbox { .. } => "patch_inbox",
        Write::DeleteInbox { .. } => "delete_inbox",
        Write::CreateRule(_) => "create_rule",
        Write::PatchRule { .. } => "patch_rule",
        Write::DeleteRule { .. } => "delete_rule",
        Write::CreateSavedReply(_) => "create_saved_reply",
        Write::PatchSavedReply { .. } => "patch_saved_reply",
        Write::DeleteSavedReply { .. } => "delete_saved_reply",
    }
}

fn rule_input() -> RuleInput {
    RuleInput {
        name: "Invoices".into(),
        enabled: true,
        position: Some(0),
        match_mode: MatchMode::Any,
        conditions: vec![Condition {
            field: ConditionField::Form("order".into()),
            op: ConditionOp::Contains,
            value: MatchValue::One("invoice".into()),
        }],
        then: RuleOutcome {
            inbox_id: 2,
            assign: AssignTarget::Named(AssignNamed::InboxMethod),
            priority: Some(Priority::High),
        },
    }
}

/// One write of every variant (both ticket inputs), with the fields most likely to trip a
/// tagged encoding: an inbox's `kind`, a condition's `op`, explicit nulls.
fn samples() -> Vec<Write> {
    let unassign = StaffTicketPatch {
        owner_id: Some(None),
        stage: Some(Stage::WaitingOnUs),
        ..StaffTicketPatch::default()
    };
    vec![
        Write::PatchTicket {
            id: 7,
            base_version: 3,
            patch: unassign.clone(),
        },
        Write::SetClosed {
            id: 7,
            base_version: 4,
            closed: true,
        },
        Write::SetCcs {
            id: 7,
            base_version: 5,
            ccs: CcsInput {
                contact_ids: vec![11, 12],
            },
        },
        Write::Message {
            ticket_id: 7,
            input: MessageInput {
                body: "kind regards".into(),
                internal: true,
            },
        },
        Write::CreateTicket(TicketInput::Customer(CustomerTicketInput {
            subject: "Invoice 1001".into(),
            description: "The total is off.".into(),
            form_fields: [("kind".to_string(), "billing".to_string())].into(),
        })),
        Write::CreateTicket(TicketInput::Staff(StaffTicketInput {
            subject: "Call back".into(),
            description: "By phone".into(),
            contact_id: 11,
            priority: Some(Priority::Urgent),
            category: None,
            source: None,
            inbox_id: Some(2),
            owner_id: None,
            tags: vec!["vip".into()],
            form_fields: Default::default(),
        })),
        Write::Bulk(BulkRequest {
            ids: vec![1, 2, 3],
            patch: unassign,
        }),
        Write::PatchPortal {
            base_version: 9,
            patch: PortalPatch {
                default_inbox_id: Some(2),
                ..PortalPatch::default()
            },
        },
        Write::CreateInbox(InboxInput {
            name: "Billing".into(),
            kind: InboxKind::HelpDesk,
            members: vec![2, 3],
            assignment: Assignment::RoundRobin,
            capacity: Some(5),
        }),
        Write::PatchInbox {
            id: 2,
            patch: InboxPatch {
                name: None,
                kind: Some(InboxKind::Inbox),
                members: Some(vec![3]),
                assignment: Some(Assignment::LeastLoaded),
                capacity: Some(None),
            },
        },
        Write::DeleteInbox { id: 4 },
        Write::CreateRule(rule_input()),
        Write::PatchRule {
            id: 5,
            patch: RulePatch {
                name: None,
                enabled: Some(false),
                position: Some(2),
                match_mode: None,
                conditions: Some(rule_input().conditions),
                then: None,
            },
        },
        Write::DeleteRule { id: 5 },
        Write::CreateSavedReply(SavedReplyInput {
            title: "Refund".into(),
            body: "Hi {first_name}".into(),
            shared: true,
        }),
        Write::PatchSavedReply {
            id: 6,
            patch: SavedReplyPatch {
                title: None,
                body: Some("Hello {first_name}".into()),
                shared: Some(false),
            },
        },
        Write::DeleteSavedReply { id: 6 },
    ]
}

fn json(write: &Write) -> Value {
    serde_json::to_value(write).expect("a write serializes")
}

/// A schema-2 file (the same tables) holding `rows` as its outbox, as schema 2 wrote them.
fn schema_2_file(path: &std::path::Path, rows: &[String]) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(SCHEMA).expect("tables");
    conn.pragma_update(None, "user_version", 2)
        .expect("version");
    for (i, row) in rows.iter().enumerate() {
        conn.execute(
            "INSERT INTO outbox (idem_key, write, created_at) VALUES (?1, ?2, ?3)",
            params![format!("key-{i}"), row, "2026-11-01T10:00:00Z"],
        )
        .expect("row");
    }
}

/// How schema 2 stored a write: its tag under `kind`. Inbox creations could not be stored
/// then (their own `kind` collided), so there are none to upgrade.
fn schema_2_rows() -> (Vec<Write>, Vec<String>) {
    let old: Vec<Write> = samples()
        .into_iter()
        .filter(|w| !matches!(w, Write::CreateInbox(_)))
        .collect();
    let rows = old
        .iter()
        .map(|w| {
            let mut value = json(w);
            let object = value.as_object_mut().expect("an object");
            let tag = object.remove("op").expect("tagged by op");
            object.insert("kind".into(), tag);
            value.to_string()
        })
        .collect();
    (old, rows)
}

fn assert_same(read: &[Write], written: &[Write]) {
    assert_eq!(read.len(), written.len(), "every write is read back");
    for (r, w) in read.iter().zip(written) {
        assert_eq!(json(r), json(w), "{} changed in the outbox", op_name(w));
    }
}

#[test]
fn every_kind_of_write_round_trips_through_the_outbox() {
    let writes = samples();
    let mut names: Vec<&str> = writes.iter().map(op_name).collect();
    names.dedup();
    assert_eq!(names.len(), VARIANTS, "a sample of every variant");
    for w in &writes {
        assert_eq!(json(w)["op"], op_name(w), "stored under its own tag");
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cache.sqlite");
    let mut cache = Cache::connect(&path, true).expect("a new cache");
    for w in &writes {
        cache.push_write(w).expect("stored");
    }
    let first = cache.outbox().expect("read back")[0].id;
    cache
        .mark_conflict(
            first,
            &ConflictInfo {
                message: "changed by sam".into(),
                server_version: Some(5),
            },
        )
        .expect("marked");
    drop(cache);

    let cache = Cache::connect(&path, true).expect("reopened");
    let entries = cache.outbox().expect("read back");
    let read: Vec<Write> = entries.iter().map(|e| e.write.clone()).collect();
    assert_same(&read, &writes);
    assert!(matches!(entries[0].state, OutboxState::Conflict(_)));
    assert!(entries[1..].iter().all(|e| e.is_pending()));
}

#[test]
fn a_schema_2_outbox_is_upgraded_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cache.sqlite");
    let (old, rows) = schema_2_rows();
    schema_2_file(&path, &rows);

    let cache = Cache::connect(&path, true).expect("upgraded, not refused");
    let entries = cache.outbox().expect("readable");
    let read: Vec<Write> = entries.iter().map(|e| e.write.clone()).collect();
    assert_same(&read, &old);
    assert_eq!(entries[0].idempotency_key, "key-0", "the same keys replay");
    let version: i64 = cache
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, super::SCHEMA_VERSION);
}

#[test]
fn an_unreadable_schema_2_row_fails_the_upgrade_instead_of_vanishing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cache.sqlite");
    let (_, mut rows) = schema_2_rows();
    rows.push(r#"{"kind": "no_such_write"}"#.into());
    schema_2_file(&path, &rows);
    let error = Cache::connect(&path, true).err().expect("refused");
    assert!(error.to_string().contains("no_such_write"), "{error}");

    // The rebuild that follows carries over every write it can read.
    let salvaged = outbox::salvage(&path);
    let fresh = dir.path().join("fresh.sqlite");
    let mut cache = Cache::connect(&fresh, true).expect("a new cache");
    cache.restore_outbox(&salvaged).expect("restored");
    assert_eq!(cache.outbox().expect("readable").len(), rows.len() - 1);
}
