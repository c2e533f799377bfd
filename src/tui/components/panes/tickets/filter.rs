//! The Tickets pane's filter: the saved queues (Unassigned, Mine, ...) and the typed query,
//! free words narrowed by `key:value` tokens. Pure: parsing and matching do no I/O.

use super::facts::{Facts, Text};
use crate::client::ViewTicket;
use crate::domain::{Priority, Stage};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
    /// Every ticket, open or closed.
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

    /// Where this queue is in [`Queue::ALL`] (and in per-queue counts).
    pub fn index(self) -> usize {
        Queue::ALL.iter().position(|q| *q == self).unwrap_or(0)
    }

    /// The queue `step` places after this one (wrapping).
    pub fn cycle(self, step: isize) -> Queue {
        let n = Queue::ALL.len() as isize;
        let at = self.index() as isize;
        Queue::ALL[(at + step).rem_euclid(n) as usize]
    }

    /// Whether a ticket with `facts` belongs in this queue for the user `me`.
    pub fn contains(self, facts: &Facts, me: i64) -> bool {
        let closed = facts.closed;
        match self {
            Queue::All => true,
            Queue::Closed => closed,
            Queue::Open => !closed,
            Queue::Unassigned => !closed && facts.owner.is_none(),
            Queue::Mine => !closed && facts.owner == Some(me),
            Queue::WaitingOnContact => facts.stage == Some(Stage::WaitingOnContact),
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
    /// `#<number>`: exactly that ticket.
    pub id: Option<i64>,
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
            if let Some(id) = lower.strip_prefix('#').and_then(|n| n.parse().ok()) {
                q.id = Some(id);
                continue;
            }
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

    /// Whether every ticket this query matches also matches `before` (the same tokens, and
    /// each earlier word inside some word now), so filtering can start from its matches.
    pub fn narrows(&self, before: &Query) -> bool {
        self.id == before.id
            && self.stage == before.stage
            && self.priority == before.priority
            && self.owner == before.owner
            && self.company == before.company
            && self.inbox == before.inbox
            && before
                .words
                .iter()
                .all(|w| self.words.iter().any(|n| n.contains(w.as_str())))
    }

    /// Whether matching reads the tickets' texts (otherwise [`Query::matches`] may be given
    /// empty ones).
    pub fn needs_text(&self) -> bool {
        !self.words.is_empty()
            || self.stage.is_some()
            || matches!(self.owner, Some(Owner::Named(_)))
            || self.company.is_some()
            || self.inbox.is_some()
    }

    /// Whether a ticket with `f` and texts `t` passes, for user `me`.
    pub fn matches(&self, f: &Facts, t: Text<'_>, me: i64) -> bool {
        self.id.is_none_or(|id| f.id == id)
            && self.words.iter().all(|w| t.text().contains(w.as_str()))
            && self.stage.as_ref().is_none_or(|s| match f.stage {
                Some(stage) => stage.as_str().starts_with(s.as_str()),
                None => t.status().contains(s.as_str()),
            })
            && self.priority.is_none_or(|p| f.priority == p)
            && self.owner.as_ref().is_none_or(|o| match o {
                Owner::Me => f.owner == Some(me),
                Owner::Nobody => f.owner.is_none(),
                Owner::Named(part) => t.owner_name().contains(part.as_str()),
            })
            && self
                .company
                .as_ref()
                .is_none_or(|c| t.company().contains(c.as_str()))
            && self
                .inbox
                .as_ref()
                .is_none_or(|i| t.inbox().contains(i.as_str()))
    }
}

/// The filter line while it is typed. Re-opening it selects the kept text, so the next
/// character replaces it (instead of running on into it: `owner:me` then `company:acme`
/// would read `owner:mecompany:acme`); `Ctrl-U` empties it as in a shell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterLine {
    /// The text as typed.
    pub text: String,
    /// The whole text is selected: typing or pasting replaces it, Backspace deletes it.
    pub selected: bool,
}

impl FilterLine {
    /// A line holding `text`, not selected.
    pub fn new(text: String) -> Self {
        FilterLine {
            text,
            selected: false,
        }
    }

    /// Starts typing over the line: what is there is selected.
    pub fn reopen(&mut self) {
        self.selected = !self.text.is_empty();
    }

    /// Empties the line.
    pub fn clear(&mut self) {
        self.text.clear();
        self.selected = false;
    }

    /// Adds typed or pasted text (control characters dropped), replacing a selection.
    pub fn insert(&mut self, text: &str) {
        if self.selected {
            self.clear();
        }
        self.text.extend(text.chars().filter(|c| !c.is_control()));
    }

    /// Applies an editing key; returns whether it was one (the text may be unchanged: an
    /// arrow only drops the selection, keeping the text to add to).
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char(c) if !ctrl && !alt => self.insert(&c.to_string()),
            KeyCode::Backspace if self.selected => self.clear(),
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => {
                self.selected = false;
            }
            _ => return false,
        }
        true
    }
}

/// The owner's name (staff view).
pub fn owner_name(t: &ViewTicket) -> Option<&str> {
    t.owner_name()
}

/// The inbox's name (staff view).
pub fn inbox_name(t: &ViewTicket) -> Option<&str> {
    t.inbox_name()
}

#[cfg(test)]
mod tests {
    use super::super::facts::Texts;
    use super::*;

    #[test]
    fn words_and_tokens_parse_separately() {
        let q = Query::parse(
            "Printer  stage:waiting_on_us priority:HIGH owner:me company:Acme inbox:billing",
        );
        assert_eq!(q.words, ["printer"]);
        assert_eq!(q.stage.as_deref(), Some("waiting_on_us"));
        assert_eq!(q.priority, Some(Priority::High));
        assert_eq!(q.owner, Some(Owner::Me));
        assert_eq!(q.company.as_deref(), Some("acme"));
        assert_eq!(q.inbox.as_deref(), Some("billing"));
        assert!(q.unknown.is_empty());
        assert_eq!(Query::parse("#42 disk").id, Some(42));
        assert_eq!(Query::parse("#4x").words, ["#4x"]);
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
    fn facts_match_tokens_and_queues() {
        let f = Facts {
            id: 7,
            closed: false,
            stage: Some(Stage::WaitingOnUs),
            priority: Priority::High,
            owner: Some(3),
        };
        let texts = Texts::one(
            "#7 printer jam carla reyes acme",
            "acme",
            "sam carter",
            "billing",
            "",
        );
        let t = texts.get(0);
        for yes in [
            "printer acme",
            "#7",
            "stage:waiting_on_us priority:high owner:me",
            "owner:sam inbox:bill company:acm",
        ] {
            let q = Query::parse(yes);
            assert!(q.matches(&f, t, 3), "{yes}");
            let needs = q.needs_text();
            assert!(needs || q.matches(&f, Text::default(), 3), "{yes}");
        }
        for no in [
            "#8",
            "stage:new",
            "owner:none",
            "owner:me printer",
            "scanner",
        ] {
            let me = if no.contains("owner:me") { 4 } else { 3 };
            assert!(!Query::parse(no).matches(&f, t, me), "{no}");
        }
        assert!(Queue::Mine.contains(&f, 3) && !Queue::Unassigned.contains(&f, 3));
        assert!(Queue::Open.contains(&f, 3) && !Queue::Closed.contains(&f, 3));
    }

    #[test]
    fn typing_more_narrows_and_changing_tokens_does_not() {
        let q = Query::parse;
        assert!(q("pri").narrows(&q("pr")));
        assert!(q("pr acme").narrows(&q("pr")));
        assert!(q("printer").narrows(&q("")));
        assert!(!q("pr").narrows(&q("pri")));
        assert!(!q("owner:me").narrows(&q("owner:m")));
        assert!(!q("#12").narrows(&q("#1")));
        assert!(!q("stage:new pr").narrows(&q("pr")));
    }

    fn typed(line: &mut FilterLine, text: &str) {
        for c in text.chars() {
            line.key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn a_reopened_filter_is_replaced_by_what_is_typed_next() {
        let mut line = FilterLine::default();
        typed(&mut line, "priority:high owner:me");
        line.reopen();
        typed(&mut line, "company:acme");
        assert_eq!(line.text, "company:acme");
        line.reopen();
        line.key(&KeyEvent::new(KeyCode::End, KeyModifiers::NONE));
        typed(&mut line, " owner:me");
        assert_eq!(
            line.text, "company:acme owner:me",
            "an arrow keeps the text to add to"
        );
        line.reopen();
        line.key(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(line.text, "");
    }

    #[test]
    fn ctrl_u_clears_the_line_and_other_control_keys_type_nothing() {
        let mut line = FilterLine::new("owner:me".into());
        line.key(&KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(line.text, "owner:me");
        assert!(line.key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
        assert_eq!(line.text, "");
        line.insert("a\u{1b}b");
        assert_eq!(line.text, "ab");
    }

    #[test]
    fn queues_cycle_both_ways() {
        assert_eq!(Queue::Unassigned.cycle(-1), Queue::All);
        assert_eq!(Queue::All.cycle(1), Queue::Unassigned);
        assert_eq!(Queue::Open.cycle(1), Queue::WaitingOnContact);
    }
}
