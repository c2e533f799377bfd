//! A ticket's JSON straight into the compact form, borrowing every text that needs no
//! unescaping. The wire type itself is an untagged enum around a flattened struct, which serde
//! can only decode through a buffered copy; with a dozen owned strings per ticket on top, that
//! was most of the client's share of an initial sync.

use crate::client::view::compact::{Compact, Parts, joined_ids};
use crate::domain::{Priority, Source, Stage};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The staff projection (`TicketRow`) as it is on the wire: the ticket's fields and the
/// row's side by side.
#[derive(Deserialize)]
struct StaffWire<'a> {
    id: i64,
    #[serde(borrow)]
    subject: Cow<'a, str>,
    #[serde(borrow)]
    description: Cow<'a, str>,
    stage: Stage,
    priority: Priority,
    #[serde(borrow)]
    category: Cow<'a, str>,
    inbox_id: i64,
    owner_id: Option<i64>,
    contact_id: i64,
    company_id: Option<i64>,
    source: Source,
    #[serde(borrow)]
    form_fields: &'a RawValue,
    #[serde(borrow)]
    tags: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow)]
    updated_at: Cow<'a, str>,
    #[serde(borrow)]
    closed_at: Option<Cow<'a, str>>,
    version: i64,
    #[serde(borrow)]
    requester_name: Cow<'a, str>,
    #[serde(borrow)]
    requester_email: Cow<'a, str>,
    #[serde(borrow)]
    company_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    owner_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    inbox_name: Cow<'a, str>,
    message_count: i64,
    #[serde(borrow, default)]
    updated_by: Option<Cow<'a, str>>,
    #[serde(default)]
    ccs: Vec<i64>,
}

/// The customer projection (`CustomerTicket`) as it is on the wire.
#[derive(Deserialize)]
struct CustomerWire<'a> {
    id: i64,
    #[serde(borrow)]
    subject: Cow<'a, str>,
    #[serde(borrow)]
    description: Cow<'a, str>,
    #[serde(borrow)]
    status_label: Cow<'a, str>,
    closed: bool,
    priority: Priority,
    #[serde(borrow)]
    requester_name: Cow<'a, str>,
    own: bool,
    #[serde(borrow)]
    form_fields: &'a RawValue,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow)]
    updated_at: Cow<'a, str>,
    #[serde(borrow)]
    closed_at: Option<Cow<'a, str>>,
    version: i64,
    #[serde(borrow, default)]
    updated_by: Option<Cow<'a, str>>,
}

/// Decodes a ticket in the projection the account receives.
pub(super) fn compact(json: &str, staff: bool) -> Result<Compact, serde_json::Error> {
    if staff {
        let w: StaffWire<'_> = serde_json::from_str(json)?;
        let tags = w.tags.join("\n");
        let ccs = joined_ids(&w.ccs);
        Ok(Compact::build(&Parts {
            staff: true,
            closed: w.stage.is_closed(),
            own: false,
            stage: w.stage,
            priority: w.priority,
            source: w.source,
            id: w.id,
            version: w.version,
            inbox_id: w.inbox_id,
            owner_id: w.owner_id,
            contact_id: w.contact_id,
            company_id: w.company_id,
            message_count: w.message_count,
            subject: &w.subject,
            description: &w.description,
            status_label: "",
            category: &w.category,
            created_at: &w.created_at,
            updated_at: &w.updated_at,
            closed_at: w.closed_at.as_deref(),
            requester_name: &w.requester_name,
            requester_email: &w.requester_email,
            company_name: w.company_name.as_deref(),
            owner_name: w.owner_name.as_deref(),
            inbox_name: &w.inbox_name,
            tags: &tags,
            form_fields: w.form_fields.get(),
            updated_by: w.updated_by.as_deref(),
            ccs: &ccs,
        }))
    } else {
        let w: CustomerWire<'_> = serde_json::from_str(json)?;
        Ok(Compact::build(&Parts {
            staff: false,
            closed: w.closed,
            own: w.own,
            stage: Stage::New,
            priority: w.priority,
            source: Source::Portal,
            id: w.id,
            version: w.version,
            inbox_id: 0,
            owner_id: None,
            contact_id: 0,
            company_id: None,
            message_count: 0,
            subject: &w.subject,
            description: &w.description,
            status_label: &w.status_label,
            category: "",
            created_at: &w.created_at,
            updated_at: &w.updated_at,
            closed_at: w.closed_at.as_deref(),
            requester_name: &w.requester_name,
            requester_email: "",
            company_name: None,
            owner_name: None,
            inbox_name: "",
            tags: "",
            form_fields: w.form_fields.get(),
            updated_by: w.updated_by.as_deref(),
            ccs: "",
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Ticket;
    use crate::domain::wire::{CustomerTicket, TicketOut, TicketRow};
    use std::collections::BTreeMap;

    #[test]
    fn wire_json_decodes_like_the_wire_type() {
        let row = TicketRow {
            ticket: Ticket {
                id: 5,
                subject: "Tab\there \"quoted\"".into(),
                description: "Line one\nline two".into(),
                stage: Stage::Closed,
                priority: Priority::High,
                category: "billing".into(),
                inbox_id: 2,
                owner_id: Some(3),
                contact_id: 9,
                company_id: Some(1),
                source: Source::Portal,
                form_fields: BTreeMap::from([("plan".into(), "gold".into())]),
                tags: vec!["vip".into(), "refund".into()],
                created_at: "2026-01-01T00:00:00Z".into(),
                updated_at: "2026-01-02T00:00:00Z".into(),
                closed_at: Some("2026-01-03T00:00:00Z".into()),
                version: 7,
                ccs: vec![11, 12],
            },
            requester_name: "Zoë".into(),
            requester_email: "zoe@acme.test".into(),
            company_name: Some("Acme".into()),
            owner_name: None,
            inbox_name: "Billing".into(),
            message_count: 2,
            updated_by: Some("Sam \"the\" Agent".into()),
            mail_cc: Vec::new(),
        };
        let staff = TicketOut::Staff(row);
        let json = serde_json::to_string(&staff).expect("json");
        let c = compact(&json, true).expect("decodes");
        assert_eq!(
            serde_json::to_value(c.to_ticket()).ok(),
            serde_json::to_value(&staff).ok()
        );

        let customer = TicketOut::Customer(CustomerTicket {
            id: 6,
            subject: "Printer".into(),
            description: "Jams".into(),
            status_label: "Open".into(),
            closed: false,
            priority: Priority::Low,
            requester_name: "Dan".into(),
            own: false,
            form_fields: BTreeMap::new(),
            created_at: "c".into(),
            updated_at: "u".into(),
            closed_at: None,
            version: 1,
            updated_by: Some("Carla".into()),
        });
        let json = serde_json::to_string(&customer).expect("json");
        let c = compact(&json, false).expect("decodes");
        assert_eq!(
            serde_json::to_value(c.to_ticket()).ok(),
            serde_json::to_value(&customer).ok()
        );
        assert!(
            compact(&json, true).is_err(),
            "a customer ticket is not a staff row"
        );
    }
}
