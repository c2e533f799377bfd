//! The Tickets pane's filter: the saved queues (Unassigned, Mine, ...) and the typed query,
//! free words narrowed by `key:value` tokens. Pure: parsing and matching do no I/O.

use crate::client::ViewTicket;
use crate::domain::wire::TicketOut;
use crate::domain::{Priority, Stage};
use serde::{Deserialize, Serialize};

/// A saved view of the ticket list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    /// Open tickets nobody owns.
    Unassigned,
    /// Open tickets the signed-in agent owns.
    Mine,
    /// Every open ticket.
    #[default]
    Open,
    /// Tickets waiting for the contact's answer.
    WaitingOnContact,
    /// Closed tickets.
    Closed,
    /// Everything.
    All,
}

impl Queue {
    /// The queues in the order the tabs show them.
    pub const ALL: [Queue; 6] = [
        Queue::Unassigned,
        Queue::Mine,
        Queue::Open,
        Queue::WaitingOnContact,
        Queue::Closed,
        Queue::All,
    ];

    /// The name shown in the queue bar.
    pub fn label(self) -> &'static str {
        match self {
            Queue::Unassigned => "Unassigned",
            Queue::Mine => "Mine",
            Queue::Open => "All open",
            Queue::WaitingOnContact => "Waiting on contact",
            Queue::Closed => "Closed",
            Queue::All => "All",
        }
    }

    /// The queue `step` places after this one (wrapping).
    pub fn cycle(self, step: isize) -> Queue {
        let n = Queue::ALL.len() as isize;
        let at = Queue::ALL.iter().position(|q| *q == self).unwrap_or(0) as isize;
        Queue::ALL[(at + step).rem_euclid(n) as usize]
    }

    /// Whether `t` belongs in this queue for the user `me`.
    pub fn contains(self, t: &ViewTicket, me: i64) -> bool {
        let closed = t.is_closed();
        match self {
            Queue::All => true,
            Queue::Closed => closed,
            Queue::Open => !closed,
            Queue::Unassigned => !closed && owner_of(t).is_none(),
            Queue::Mine => !closed && owner_of(t) == Some(me),
            Queue::WaitingOnContact => stage_of(t) == Some(Stage::WaitingOnContact),
        }
    }
}

/// Whose tickets an `owner:` token asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// `owner:me`.
    Me,
    /// `owner:none`.
    Nobody,
    /// `owner:<part of a name>`.
    Named(String),
}

/// A parsed filter: lower-case free words (all must occur) and field tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Words to find in the id, subject, requester or company.
    pub words: Vec<String>,
    /// `stage:<name>`; for customers, a part of the stage's label.
    pub stage: Option<String>,
    /// `priority:<name>`.
    pub priority: Option<Priority>,
    /// `owner:me|none|<name>`.
    pub owner: Option<Owner>,
    /// `company:<part of the name>`.
    pub company: Option<String>,
    /// `inbox:<part of the name>`.
    pub inbox: Option<String>,
    /// Tokens that could not be understood, shown to the user.
    pub unknown: Vec<String>,
}

impl Query {
    /// Parses what the user typed: words and `key:value` tokens separated by spaces.
    pub fn parse(text: &str) -> Query {
        let mut q = Query::default();
        for token in text.split_whitespace() {
            let lower = token.to_lowercase();
            let Some((key, value)) = lower.split_once(':') else {
                q.words.push(lower);
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let value = value.to_string();
            match key {
                "stage" | "status" => q.stage = Some(value),
                "priority" | "prio" => match Priority::parse(&value) {
                    Some(p) => q.priority = Some(p),
                    None => q.unknown.push(token.to_string()),
                },
                "owner" => {
                    q.owner = Some(match value.as_str() {
                        "me" => Owner::Me,
                        "none" => Owner::Nobody,
                        _ => Owner::Named(value),
                    })
                }
                "company" => q.company = Some(value),
                "inbox" => q.inbox = Some(value),
                _ => q.unknown.push(token.to_string()),
            }
        }
        q
    }

    /// Whether `t`, whose lower-case searchable text is `haystack`, passes, for user `me`.
    pub fn matches(&self, t: &ViewTicket, haystack: &str, me: i64) -> bool {
        self.words.iter().all(|w| haystack.contains(w.as_str()))
            && self.stage.as_ref().is_none_or(|s| stage_matches(t, s))
            && self.priority.is_none_or(|p| t.priority() == p)
            && self.owner.as_ref().is_none_or(|o| owner_matches(t, o, me))
            && self.company.as_ref().is_none_or(|c| {
                t.company()
                    .is_some_and(|name| name.to_lowercase().contains(c.as_str()))
            })
            && self.inbox.as_ref().is_none_or(|i| {
                inbox_name(t).is_some_and(|name| name.to_lowercase().contains(i.as_str()))
            })
    }
}

/// The lower-case text free words are looked for in: id, subject, requester and company.
pub fn haystack(t: &ViewTicket) -> String {
    let mut s = format!("#{} {} {}", t.id(), t.subject(), t.requester());
    if let Some(c) = t.company() {
        s.push(' ');
        s.push_str(c);
    }
    s.to_lowercase()
}

fn stage_of(t: &ViewTicket) -> Option<Stage> {
    match &t.ticket {
        TicketOut::Staff(r) => Some(r.ticket.stage),
        TicketOut::Customer(_) => None,
    }
}

fn owner_of(t: &ViewTicket) -> Option<i64> {
    match &t.ticket {
        TicketOut::Staff(r) => r.ticket.owner_id,
        TicketOut::Customer(_) => None,
    }
}

/// The owner's name (staff view).
pub fn owner_name(t: &ViewTicket) -> Option<&str> {
    match &t.ticket {
        TicketOut::Staff(r) => r.owner_name.as_deref(),
        TicketOut::Customer(_) => None,
    }
}

/// The inbox's name (staff view).
pub fn inbox_name(t: &ViewTicket) -> Option<&str> {
    match &t.ticket {
        TicketOut::Staff(r) => Some(&r.inbox_name),
        TicketOut::Customer(_) => None,
    }
}

fn stage_matches(t: &ViewTicket, wanted: &str) -> bool {
    match stage_of(t) {
        Some(stage) => stage.as_str() == wanted || stage.as_str().starts_with(wanted),
        None => t.status().to_lowercase().contains(wanted),
    }
}

fn owner_matches(t: &ViewTicket, wanted: &Owner, me: i64) -> bool {
    match wanted {
        Owner::Me => owner_of(t) == Some(me),
        Owner::Nobody => owner_of(t).is_none(),
        Owner::Named(part) => {
            owner_name(t).is_some_and(|n| n.to_lowercase().contains(part.as_str()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_tokens_parse_separately() {
        let q = Query::parse("Printer  stage:waiting_on_us priority:HIGH owner:me company:Acme inbox:billing");
        assert_eq!(q.words, ["printer"]);
        assert_eq!(q.stage.as_deref(), Some("waiting_on_us"));
        assert_eq!(q.priority, Some(Priority::High));
        assert_eq!(q.owner, Some(Owner::Me));
        assert_eq!(q.company.as_deref(), Some("acme"));
        assert_eq!(q.inbox.as_deref(), Some("billing"));
        assert!(q.unknown.is_empty());
    }

    #[test]
    fn owner_none_names_and_bad_tokens() {
        assert_eq!(Query::parse("owner:none").owner, Some(Owner::Nobody));
        assert_eq!(
            Query::parse("owner:Sam").owner,
            Some(Owner::Named("sam".into()))
        );
        let q = Query::parse("priority:soon colour:red stage:");
        assert_eq!(q.unknown, ["priority:soon", "colour:red"]);
        assert!(q.stage.is_none());
        assert_eq!(Query::parse("   "), Query::default());
    }

    #[test]
    fn queues_cycle_both_ways() {
        assert_eq!(Queue::Unassigned.cycle(-1), Queue::All);
        assert_eq!(Queue::All.cycle(1), Queue::Unassigned);
        assert_eq!(Queue::Open.cycle(1), Queue::WaitingOnContact);
    }
}
