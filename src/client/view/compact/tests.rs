use super::*;
use proptest::prelude::*;

fn staff(
    subject: String,
    tags: Vec<String>,
    owner: Option<i64>,
    closed_at: Option<String>,
) -> TicketOut {
    TicketOut::Staff(TicketRow {
        ticket: Ticket {
            id: 42,
            subject,
            description: "It jams — again ✓".into(),
            stage: Stage::WaitingOnUs,
            priority: Priority::Urgent,
            category: "hardware".into(),
            inbox_id: 2,
            owner_id: owner,
            contact_id: 7,
            company_id: None,
            source: Source::Email,
            form_fields: BTreeMap::from([("area".into(), "tech\nsupport".into())]),
            tags,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-02T00:00:00Z".into(),
            closed_at,
            version: 3,
            ccs: Vec::new(),
        },
        requester_name: "Carla".into(),
        requester_email: "carla@acme.test".into(),
        company_name: Some("Acme".into()),
        owner_name: owner.map(|_| "Sam".into()),
        inbox_name: "Support".into(),
        message_count: 4,
        updated_by: owner.map(|_| "Sam Agent".into()),
        mail_cc: Vec::new(),
    })
}

fn same(a: &TicketOut, b: &TicketOut) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

proptest! {
    #[test]
    fn staff_tickets_round_trip(
        subject in ".{0,40}",
        tags in proptest::collection::vec("[a-z0-9_-]{1,8}", 0..4),
        owner in proptest::option::of(any::<i64>()),
        closed_at in proptest::option::of(".{0,10}"),
    ) {
        let t = staff(subject, tags, owner, closed_at);
        let c = Compact::from_ticket(&t);
        prop_assert!(same(&c.to_ticket(), &t));
        let back = Compact::from_bytes(&c.to_bytes()).expect("reads back");
        prop_assert_eq!(&back, &c);
        prop_assert_eq!(back.owner_id(), owner);
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(c) = Compact::from_bytes(&bytes) {
            let _ = c.to_ticket();
        }
    }
}

#[test]
fn customer_tickets_round_trip_and_damage_is_caught() {
    let t = TicketOut::Customer(CustomerTicket {
        id: 9,
        subject: "Printer".into(),
        description: "It jams".into(),
        status_label: "Waiting on you".into(),
        closed: true,
        priority: Priority::Low,
        requester_name: "Dan".into(),
        own: true,
        form_fields: BTreeMap::new(),
        created_at: "c".into(),
        updated_at: "u".into(),
        closed_at: Some("x".into()),
        version: 1,
        updated_by: None,
    });
    let c = Compact::from_ticket(&t);
    assert!(same(&c.to_ticket(), &t));
    assert!(c.closed() && c.own() && c.stage().is_none() && c.inbox_id().is_none());
    assert_eq!(c.text(Text::StatusLabel), "Waiting on you");
    let bytes = c.to_bytes();
    assert!(Compact::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    let mut bad = bytes.clone();
    bad[2] = 99;
    assert!(Compact::from_bytes(&bad).is_err());
}

#[test]
fn format_1_rows_load_without_an_author() {
    let t = staff("Printer".into(), vec!["vip".into()], Some(3), None);
    let bytes = Compact::from_ticket(&t).to_bytes();
    // Format 1: no end for the author's text, and no author text at the end.
    let author = "Sam Agent".len();
    let mut old = bytes[..header(FORMAT_1_TEXTS)].to_vec();
    old[0] = 1;
    old.extend_from_slice(&bytes[header(TEXTS)..bytes.len() - author]);
    let back = Compact::from_bytes(&old).expect("a format 1 row loads");
    let TicketOut::Staff(row) = back.to_ticket() else {
        panic!("staff row");
    };
    let TicketOut::Staff(want) = t else {
        panic!("staff row");
    };
    assert_eq!(row.updated_by, None);
    assert_eq!(
        row,
        TicketRow {
            updated_by: None,
            mail_cc: Vec::new(),
            ..want
        }
    );
    assert!(Compact::from_bytes(&old[..old.len() - 1]).is_err());
}

#[test]
fn ccs_round_trip_and_format_2_rows_load_without_them() {
    let mut t = staff("Badge".into(), vec![], Some(3), None);
    if let TicketOut::Staff(row) = &mut t {
        row.ticket.ccs = vec![9, 12];
    }
    let c = Compact::from_ticket(&t);
    assert_eq!(c.ccs().collect::<Vec<_>>(), vec![9, 12]);
    assert!(same(
        &Compact::from_bytes(&c.to_bytes())
            .expect("reads")
            .to_ticket(),
        &t
    ));
    // Format 2: no end for the CCs' text, and no CCs text at the end.
    let bytes = c.to_bytes();
    let mut old = bytes[..header(FORMAT_2_TEXTS)].to_vec();
    old[0] = 2;
    old.extend_from_slice(&bytes[header(TEXTS)..bytes.len() - "9,12".len()]);
    let back = Compact::from_bytes(&old).expect("a format 2 row loads");
    assert_eq!(back.ccs().count(), 0);
    assert_eq!(back.text(Text::UpdatedBy), "Sam Agent");
}
