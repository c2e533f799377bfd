use super::*;
use crate::client::write::{OutboxEntry, OutboxState, Write, WriteId};
use crate::domain::wire::{
    CustomerTicketInput, StaffTicketPatch, TicketInput, TicketOut, TicketRow,
};
use crate::domain::{Priority, Role, Source, Stage, Ticket};

/// A staff account (shared with the cache's tests).
pub(crate) fn account(role: Role) -> AccountOut {
    AccountOut {
        id: 1,
        kind: "user".into(),
        role,
        name: "Ada".into(),
        email: "ada@deskport.test".into(),
        company_id: None,
    }
}

/// A staff ticket #`id` at `version`, last updated at `updated_at`, as a sync delta (shared
/// with the Tickets pane's tests).
pub(crate) fn staff_ticket(id: i64, updated_at: &str, version: i64) -> Delta {
    let t = TicketOut::Staff(TicketRow {
        ticket: Ticket {
            id,
            subject: format!("Ticket {id}"),
            description: "d".into(),
            stage: Stage::New,
            priority: Priority::Medium,
            category: String::new(),
            inbox_id: 1,
            owner_id: None,
            contact_id: 7,
            company_id: None,
            source: Source::Portal,
            form_fields: Default::default(),
            tags: vec![],
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: updated_at.into(),
            closed_at: None,
            version,
            ccs: Vec::new(),
        },
        requester_name: "Carla".into(),
        requester_email: "carla@acme.test".into(),
        company_name: None,
        owner_name: None,
        inbox_name: "Support".into(),
        message_count: 1,
        updated_by: None,
        mail_cc: Vec::new(),
    });
    Delta::Upsert(Item::Ticket(Box::new(Compact::from_ticket(&t))))
}

fn ticket(id: i64, version: i64) -> Delta {
    staff_ticket(id, "u", version)
}

fn pending(id: i64, write: Write) -> OutboxEntry {
    OutboxEntry {
        id: WriteId(id),
        write,
        state: OutboxState::Pending,
        idempotency_key: format!("k{id}"),
        created_at: "now".into(),
        attempts: 0,
    }
}

fn ids(v: &View) -> Vec<i64> {
    v.tickets().map(ViewTicket::id).collect()
}

#[test]
fn tickets_stay_ordered_newest_first_through_upserts_and_deletes() {
    let mut v = View::new(account(Role::Agent), "http://h".into());
    v.apply(vec![ticket(2, 1), ticket(5, 1), ticket(3, 1)]);
    assert_eq!(ids(&v), [5, 3, 2]);
    v.apply(vec![
        ticket(4, 1),
        Delta::Delete(EntityKind::Ticket, 3),
        ticket(5, 2),
    ]);
    assert_eq!(ids(&v), [5, 4, 2]);
    assert_eq!(v.ticket_at(0).map(ViewTicket::version), Some(2));
    assert_eq!(v.ticket_at(2).map(ViewTicket::id), Some(2));
    assert!(v.ticket_at(3).is_none());
    let r = v.revision();
    v.clear();
    v.apply(vec![ticket(9, 1)]);
    assert_eq!(ids(&v), [9]);
    assert!(v.revision() > r);
}

#[test]
fn pending_writes_show_on_top_and_go_away_with_the_outbox() {
    let mut v = View::new(account(Role::Agent), "http://h".into());
    v.apply(vec![ticket(1, 3), ticket(2, 1)]);
    let patch = StaffTicketPatch {
        priority: Some(Priority::Urgent),
        ..Default::default()
    };
    v.set_outbox(vec![pending(
        10,
        Write::PatchTicket {
            id: 1,
            base_version: 3,
            patch,
        },
    )]);
    let t = v.ticket(1).expect("ticket");
    assert!(t.pending);
    assert_eq!(t.priority(), Priority::Urgent);
    assert_eq!(t.version(), 3, "the base version stays the server's");
    assert!(matches!(t.server(), TicketOut::Staff(r) if r.ticket.priority == Priority::Medium));
    assert_eq!(v.status.pending_writes, 1);

    // A newer server copy arrives: the pending change is re-applied over it.
    v.apply(vec![ticket(1, 4)]);
    let t = v.ticket(1).expect("ticket");
    assert!(t.pending && t.priority() == Priority::Urgent && t.version() == 4);

    v.set_outbox(Vec::new());
    let t = v.ticket(1).expect("ticket");
    assert!(!t.pending);
    assert_eq!(t.priority(), Priority::Medium);
    assert_eq!(v.status.pending_writes, 0);
}

#[test]
fn a_pending_new_ticket_comes_first_with_a_negative_id() {
    let mut v = View::new(account(Role::Customer), "http://h".into());
    v.apply(vec![ticket(1, 1)]);
    let input = TicketInput::Customer(CustomerTicketInput {
        subject: "Help".into(),
        description: "Please".into(),
        form_fields: Default::default(),
    });
    v.set_outbox(vec![pending(7, Write::CreateTicket(input))]);
    assert_eq!(ids(&v), [-7, 1]);
    let draft = v.ticket(-7).expect("draft");
    assert!(draft.pending && draft.own() && draft.subject() == "Help");
    assert_eq!(v.ticket_count(), 2);
}
