//! What the filter reads of each ticket, kept in list order so a keystroke reads memory in
//! sequence: small [`Facts`] (no text) for every ticket, and the lower-case texts in one
//! contiguous buffer ([`Texts`]), built only once a query needs to search text.

use crate::client::ViewTicket;
use crate::domain::{Priority, Stage};
use std::fmt::Write;

/// The fields of one ticket the queues and the field tokens compare, without any text.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    /// Ticket number.
    pub id: i64,
    pub closed: bool,
    /// Stage (staff view).
    pub stage: Option<Stage>,
    pub priority: Priority,
    /// Owner's id (staff view).
    pub owner: Option<i64>,
}

impl Facts {
    /// The facts of `t`.
    pub fn of(t: &ViewTicket) -> Facts {
        Facts {
            id: t.id(),
            closed: t.is_closed(),
            stage: t.stage(),
            priority: t.priority(),
            owner: t.owner_id(),
        }
    }
}

/// The lower-case texts of one ticket, borrowed from [`Texts`]; each is sliced only when
/// asked for, so a keystroke touches only the texts its query reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Text<'a> {
    buf: &'a str,
    /// As in [`Texts::spans`].
    span: [u32; 6],
}

impl<'a> Text<'a> {
    fn slice(&self, from: u32, to: u32) -> &'a str {
        self.buf.get(from as usize..to as usize).unwrap_or("")
    }

    /// Id, subject, requester and company, where free words are looked for.
    pub fn text(&self) -> &'a str {
        self.slice(self.span[0], self.span[2])
    }

    /// Company name.
    pub fn company(&self) -> &'a str {
        self.slice(self.span[1], self.span[2])
    }

    /// Owner's name.
    pub fn owner_name(&self) -> &'a str {
        self.slice(self.span[2] + 1, self.span[3])
    }

    /// Inbox name.
    pub fn inbox(&self) -> &'a str {
        self.slice(self.span[3] + 1, self.span[4])
    }

    /// Status label, only for tickets without a stage (customer view).
    pub fn status(&self) -> &'a str {
        self.slice(self.span[4] + 1, self.span[5])
    }
}

/// The lower-case texts of many tickets in one buffer: per ticket
/// `#id subject requester[ company]`, then owner, inbox and status, separated by newlines.
#[derive(Debug, Default)]
pub struct Texts {
    buf: String,
    /// Per ticket: start, company start, end of the searched text, end of the owner, of the
    /// inbox and of the status.
    spans: Vec<[u32; 6]>,
}

impl Texts {
    /// The texts of `tickets` (about `count` of them), in that order.
    pub fn of<'a>(tickets: impl Iterator<Item = &'a ViewTicket>, count: usize) -> Texts {
        let mut texts = Texts {
            buf: String::with_capacity(count * 96),
            spans: Vec::with_capacity(count),
        };
        for t in tickets {
            texts.push(t);
        }
        texts
    }

    /// Appends the texts of `t`.
    pub fn push(&mut self, t: &ViewTicket) {
        let at = |buf: &String| u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let b = &mut self.buf;
        let start = at(b);
        // Writing to a `String` cannot fail.
        let _ = write!(b, "#{} ", t.id());
        push_lower(b, t.subject());
        b.push(' ');
        push_lower(b, t.requester());
        let company = t.company().unwrap_or("");
        let company_start = if company.is_empty() {
            at(b)
        } else {
            b.push(' ');
            let s = at(b);
            push_lower(b, company);
            s
        };
        let text_end = at(b);
        b.push('\n');
        push_lower(b, t.owner_name().unwrap_or(""));
        let owner_end = at(b);
        b.push('\n');
        push_lower(b, t.inbox_name().unwrap_or(""));
        let inbox_end = at(b);
        b.push('\n');
        if t.stage().is_none() {
            push_lower(b, t.status());
        }
        let status_end = at(b);
        b.push('\n');
        self.spans.push([
            start,
            company_start,
            text_end,
            owner_end,
            inbox_end,
            status_end,
        ]);
    }

    /// The texts of the ticket at position `at` (empty if there is none).
    pub fn get(&self, at: usize) -> Text<'_> {
        match self.spans.get(at) {
            Some(&span) => Text {
                buf: &self.buf,
                span,
            },
            None => Text::default(),
        }
    }
}

#[cfg(test)]
impl Texts {
    /// One ticket's texts, already in lower case; `company` ends `text` (or is empty).
    pub fn one(text: &str, company: &str, owner: &str, inbox: &str, status: &str) -> Texts {
        let mut texts = Texts::default();
        let at = |buf: &String| u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let b = &mut texts.buf;
        b.push_str(text);
        let end = at(b);
        let company_start = end - u32::try_from(company.len()).unwrap_or(0);
        let mut span = [0, company_start, end, 0, 0, 0];
        for (n, part) in [owner, inbox, status].into_iter().enumerate() {
            b.push('\n');
            b.push_str(part);
            span[3 + n] = at(b);
        }
        texts.spans.push(span);
        texts
    }
}

/// Appends `s` in lower case (the same as `str::to_lowercase`, without allocating for ASCII).
fn push_lower(buf: &mut String, s: &str) {
    if s.is_ascii() {
        let from = buf.len();
        buf.push_str(s);
        if let Some(added) = buf.get_mut(from..) {
            added.make_ascii_lowercase();
        }
    } else {
        buf.push_str(&s.to_lowercase());
    }
}
