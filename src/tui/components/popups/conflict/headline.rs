//! The conflict dialog's first line: what of mine ran into whose change, and when.

use crate::client::{OutboxEntry, View};
use crate::domain::i18n::Arg;
use crate::domain::text::strip_control;
use crate::domain::wire::TicketOut;
use crate::tui::i18n::{t, tf};
use chrono::{DateTime, Utc};

/// The server's last change to what a conflicting write changes, as far as the view knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    /// When (RFC 3339): the ticket's `updated_at`.
    pub at: String,
    /// Who, when the server recorded it.
    pub by: Option<String>,
}

/// When and by whom the server's copy of what `entry` changes was last changed, where the
/// view knows: the ticket's `updated_at` and `updated_by`.
pub fn last_change(view: &View, entry: &OutboxEntry) -> Option<LastChange> {
    use crate::client::Write;
    let id = match &entry.write {
        Write::PatchTicket { id, .. } | Write::SetClosed { id, .. } | Write::SetCcs { id, .. } => {
            *id
        }
        _ => return None,
    };
    let (at, by) = match view.ticket(id)?.server() {
        TicketOut::Staff(r) => (r.ticket.updated_at, r.updated_by),
        TicketOut::Customer(c) => (c.updated_at, c.updated_by),
    };
    Some(LastChange { at, by })
}

/// How long before `now` the RFC 3339 time `at` was, as people say it in the current
/// language ("3 minutes ago").
pub fn ago(at: &str, now: DateTime<Utc>) -> Option<String> {
    let then = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    let seconds = (now - then).num_seconds().max(0);
    let (n, id) = match seconds {
        0..60 => return Some(t("ago-now")),
        60..3_600 => (seconds / 60, "ago-minutes"),
        3_600..86_400 => (seconds / 3_600, "ago-hours"),
        _ => (seconds / 86_400, "ago-days"),
    };
    Some(tf(id, &[("count", Arg::Number(n))]))
}

/// The dialog's first line: what of mine (`mine`, described) ran into what, and who made
/// that and when, as far as known. The name is someone else's text: shown without control
/// characters, on one line.
pub(super) fn headline(mine: &str, changed: Option<&LastChange>, now: DateTime<Utc>) -> String {
    let when = changed.and_then(|c| ago(&c.at, now));
    let who = changed
        .and_then(|c| c.by.as_deref())
        .map(|name| strip_control(name).replace('\n', " ").trim().to_string())
        .filter(|name| !name.is_empty());
    let mine = ("mine", Arg::Text(mine));
    match (who, when) {
        (Some(who), Some(when)) => tf(
            "conflict-by-who-when",
            &[mine, ("who", Arg::Text(&who)), ("when", Arg::Text(&when))],
        ),
        (Some(who), None) => tf("conflict-by-who", &[mine, ("who", Arg::Text(&who))]),
        (None, Some(when)) => tf("conflict-when", &[mine, ("when", Arg::Text(&when))]),
        (None, None) => tf("conflict-newer", &[mine]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_say_them() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let cases = [
            ("2026-12-07T11:59:30Z", "just now"),
            ("2026-12-07T12:00:05Z", "just now"),
            ("2026-12-07T11:59:00Z", "1 minute ago"),
            ("2026-12-07T11:57:00+00:00", "3 minutes ago"),
            ("2026-12-07T10:00:00Z", "2 hours ago"),
            ("2026-12-04T12:00:00Z", "3 days ago"),
        ];
        for (at, said) in cases {
            assert_eq!(ago(at, now).as_deref(), Some(said), "{at}");
        }
        assert_eq!(ago("yesterday", now), None);
    }

    #[test]
    fn the_headline_names_who_changed_it_when_known() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let change = |at: &str, by: Option<&str>| LastChange {
            at: at.into(),
            by: by.map(Into::into),
        };
        let mine = "change to ticket #6";
        let cases = [
            (
                Some(change("2026-12-07T11:57:00Z", Some("Sam Carter"))),
                "Your change to ticket #6 ran into a change made on the server by Sam Carter 3 minutes ago.",
            ),
            (
                Some(change("garbled", Some("Sam\u{1b}[31m\nCarter\u{202e}"))),
                "Your change to ticket #6 ran into a change made on the server by Sam Carter.",
            ),
            (
                Some(change("2026-12-07T11:57:00Z", Some(" \u{7} "))),
                "Your change to ticket #6 ran into a change made on the server 3 minutes ago.",
            ),
            (
                Some(change("garbled", None)),
                "Your change to ticket #6 ran into a newer change on the server.",
            ),
            (
                None,
                "Your change to ticket #6 ran into a newer change on the server.",
            ),
        ];
        for (changed, said) in cases {
            assert_eq!(headline(mine, changed.as_ref(), now), said, "{changed:?}");
        }
    }
}
