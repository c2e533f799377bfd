//! Bulk changes: the question that says how many tickets a change will touch, and the
//! writes that carry it (`POST /tickets/bulk` takes at most 1000 ids, so bigger sets are split).

use crate::client::Write;
use crate::domain::wire::{BulkRequest, StaffTicketPatch};

/// The most ids the server takes in one bulk request.
pub const MAX_IDS: usize = 1000;

/// The bulk writes for applying `patch` to `ids`, at most [`MAX_IDS`] ids each.
pub fn writes(ids: &[i64], patch: &StaffTicketPatch) -> Vec<Write> {
    ids.chunks(MAX_IDS)
        .map(|chunk| {
            Write::Bulk(BulkRequest {
                ids: chunk.to_vec(),
                patch: patch.clone(),
            })
        })
        .collect()
}

/// The question for applying a choice labelled `label` of `field` to `count` tickets.
pub fn question(field: super::picker::Field, label: &str, count: usize) -> String {
    use super::picker::Field;
    let tickets = if count == 1 { "ticket" } else { "tickets" };
    match field {
        Field::Owner if label == "nobody" => format!("Unassign {count} {tickets}?"),
        Field::Owner => format!(
            "Assign {count} {tickets} to {}?",
            label.trim_end_matches(" (me)")
        ),
        Field::Stage => format!("Set the stage of {count} {tickets} to {label}?"),
        Field::Priority => format!("Set the priority of {count} {tickets} to {label}?"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::picker::Field;
    use super::*;

    #[test]
    fn big_sets_are_split_into_requests_of_at_most_a_thousand() {
        let ids: Vec<i64> = (1..=2500).collect();
        let patch = StaffTicketPatch {
            owner_id: Some(Some(4)),
            ..StaffTicketPatch::default()
        };
        let sizes: Vec<usize> = writes(&ids, &patch)
            .iter()
            .map(|w| match w {
                Write::Bulk(b) => {
                    assert_eq!(b.patch.owner_id, Some(Some(4)));
                    b.ids.len()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(writes(&ids[..3], &patch).len(), 1);
    }

    #[test]
    fn the_question_says_how_many_and_what() {
        assert_eq!(
            question(Field::Owner, "Dana Smith", 12),
            "Assign 12 tickets to Dana Smith?"
        );
        assert_eq!(
            question(Field::Owner, "Sam Carter (me)", 1),
            "Assign 1 ticket to Sam Carter?"
        );
        assert_eq!(question(Field::Owner, "nobody", 3), "Unassign 3 tickets?");
        assert_eq!(
            question(Field::Priority, "high", 2),
            "Set the priority of 2 tickets to high?"
        );
    }
}
