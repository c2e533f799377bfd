//! A ticket as the view and the cache keep it: numbers in fields, every text in one string.
//! Measured with 100 000 tickets: decoding them into the wire type (a dozen heap strings
//! each) took 100–160 ms, and merely cloning such a list 120 ms, over the 100 ms budget for
//! opening the view; this form costs one allocation per ticket. The same form, serialised,
//! is the cache's row, so loading is a copy plus checks. Damaged bytes are an error, never a
//! panic.

use crate::domain::wire::{CustomerTicket, TicketOut, TicketRow};
use crate::domain::{Priority, Source, Stage, Ticket};
use std::collections::BTreeMap;

/// The texts of a ticket, in the order they are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    Subject,
    Description,
    StatusLabel,
    Category,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
    RequesterName,
    RequesterEmail,
    CompanyName,
    OwnerName,
    InboxName,
    /// Tags joined by `\n` (tags are `[a-z0-9-_]`).
    Tags,
    /// The support-form values as a JSON object.
    FormFields,
    /// Who made the last change ("" when not known).
    UpdatedBy,
    /// The ids of the contacts copied on the ticket, joined by `,` (staff).
    Ccs,
}

const TEXTS: usize = 16;
const FORMAT: u8 = 3;
/// Rows of format 1, cached before the last change's author was kept, end at `FormFields`:
/// they still load, with no author.
const FORMAT_1_TEXTS: usize = 14;
/// Rows of format 2, cached before the CCs were kept, end at `UpdatedBy`: they still load,
/// with no CCs (the ticket's next change brings them).
const FORMAT_2_TEXTS: usize = 15;

/// Bytes before the texts: format, flags, stage, priority, source, seven i64s, the text ends.
const fn header(texts: usize) -> usize {
    5 + 7 * 8 + texts * 4
}

const STAFF: u8 = 1;
const CLOSED: u8 = 2;
const OWN: u8 = 4;
const HAS_OWNER: u8 = 8;
const HAS_COMPANY: u8 = 16;
const HAS_CLOSED_AT: u8 = 32;
const HAS_COMPANY_NAME: u8 = 64;
const HAS_OWNER_NAME: u8 = 128;

/// A damaged row or value.
#[derive(Debug, thiserror::Error)]
#[error("damaged ticket data: {0}")]
pub(crate) struct Damaged(&'static str);

/// One ticket, compact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Compact {
    flags: u8,
    stage: u8,
    priority: u8,
    source: u8,
    id: i64,
    version: i64,
    inbox_id: i64,
    owner_id: i64,
    contact_id: i64,
    company_id: i64,
    message_count: i64,
    ends: [u32; TEXTS],
    text: Box<str>,
}

fn index<T: PartialEq>(all: &[T], v: &T) -> u8 {
    all.iter().position(|x| x == v).unwrap_or(0) as u8
}

impl Compact {
    /// The wire form again (allocates every text).
    pub(crate) fn to_ticket(&self) -> TicketOut {
        let s = |t: Text| self.text(t).to_string();
        let opt = |flag: u8, t: Text| (self.flags & flag != 0).then(|| s(t));
        let updated_by = Some(s(Text::UpdatedBy)).filter(|name| !name.is_empty());
        let form_fields: BTreeMap<String, String> = match self.text(Text::FormFields) {
            "" => BTreeMap::new(),
            json => serde_json::from_str(json).unwrap_or_default(),
        };
        if !self.is_staff() {
            return TicketOut::Customer(CustomerTicket {
                id: self.id,
                subject: s(Text::Subject),
                description: s(Text::Description),
                status_label: s(Text::StatusLabel),
                closed: self.flags & CLOSED != 0,
                priority: self.priority(),
                requester_name: s(Text::RequesterName),
                own: self.flags & OWN != 0,
                form_fields,
                created_at: s(Text::CreatedAt),
                updated_at: s(Text::UpdatedAt),
                closed_at: opt(HAS_CLOSED_AT, Text::ClosedAt),
                version: self.version,
                updated_by,
            });
        }
        TicketOut::Staff(TicketRow {
            ticket: Ticket {
                id: self.id,
                subject: s(Text::Subject),
                description: s(Text::Description),
                stage: self.stage().unwrap_or(Stage::New),
                priority: self.priority(),
                category: s(Text::Category),
                inbox_id: self.inbox_id,
                owner_id: self.owner_id(),
                contact_id: self.contact_id,
                company_id: (self.flags & HAS_COMPANY != 0).then_some(self.company_id),
                source: Source::ALL
                    .get(self.source as usize)
                    .copied()
                    .unwrap_or(Source::Agent),
                form_fields,
                tags: self.tags().map(str::to_string).collect(),
                created_at: s(Text::CreatedAt),
                updated_at: s(Text::UpdatedAt),
                closed_at: opt(HAS_CLOSED_AT, Text::ClosedAt),
                version: self.version,
                ccs: self.ccs().collect(),
            },
            requester_name: s(Text::RequesterName),
            requester_email: s(Text::RequesterEmail),
            company_name: opt(HAS_COMPANY_NAME, Text::CompanyName),
            owner_name: opt(HAS_OWNER_NAME, Text::OwnerName),
            inbox_name: s(Text::InboxName),
            message_count: self.message_count,
            updated_by,
            mail_cc: Vec::new(),
        })
    }

    /// One of the texts ("" when absent or damaged).
    pub(crate) fn text(&self, t: Text) -> &str {
        let i = t as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.text.get(start..end).unwrap_or("")
    }

    /// Staff projection (every field) rather than the customer one.
    pub(crate) fn is_staff(&self) -> bool {
        self.flags & STAFF != 0
    }
    pub(crate) fn id(&self) -> i64 {
        self.id
    }
    pub(crate) fn version(&self) -> i64 {
        self.version
    }
    pub(crate) fn closed(&self) -> bool {
        self.flags & CLOSED != 0
    }
    pub(crate) fn own(&self) -> bool {
        self.flags & OWN != 0
    }
    pub(crate) fn priority(&self) -> Priority {
        Priority::ALL
            .get(self.priority as usize)
            .copied()
            .unwrap_or(Priority::Medium)
    }
    pub(crate) fn stage(&self) -> Option<Stage> {
        if self.is_staff() {
            Stage::ALL.get(self.stage as usize).copied()
        } else {
            None
        }
    }
    pub(crate) fn source(&self) -> Option<Source> {
        if self.is_staff() {
            Source::ALL.get(self.source as usize).copied()
        } else {
            None
        }
    }
    pub(crate) fn owner_id(&self) -> Option<i64> {
        (self.flags & HAS_OWNER != 0).then_some(self.owner_id)
    }
    pub(crate) fn inbox_id(&self) -> Option<i64> {
        self.is_staff().then_some(self.inbox_id)
    }
    pub(crate) fn contact_id(&self) -> Option<i64> {
        self.is_staff().then_some(self.contact_id)
    }
    pub(crate) fn company_id(&self) -> Option<i64> {
        (self.flags & HAS_COMPANY != 0).then_some(self.company_id)
    }
    pub(crate) fn message_count(&self) -> Option<i64> {
        self.is_staff().then_some(self.message_count)
    }
    pub(crate) fn has(&self, t: Text) -> bool {
        let flag = match t {
            Text::ClosedAt => HAS_CLOSED_AT,
            Text::CompanyName => HAS_COMPANY_NAME,
            Text::OwnerName => HAS_OWNER_NAME,
            _ => return true,
        };
        self.flags & flag != 0
    }
    pub(crate) fn tags(&self) -> impl Iterator<Item = &str> {
        self.text(Text::Tags).split('\n').filter(|t| !t.is_empty())
    }
    pub(crate) fn ccs(&self) -> impl Iterator<Item = i64> + '_ {
        self.text(Text::Ccs)
            .split(',')
            .filter_map(|id| id.parse().ok())
    }

    /// The serialised form (the cache's row).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(header(TEXTS) + self.text.len());
        out.extend_from_slice(&[FORMAT, self.flags, self.stage, self.priority, self.source]);
        for v in [
            self.id,
            self.version,
            self.inbox_id,
            self.owner_id,
            self.contact_id,
            self.company_id,
            self.message_count,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for e in self.ends {
            out.extend_from_slice(&e.to_le_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// Reads [`Compact::to_bytes`] output (or a format 1 or 2 row), checking every offset and the
    /// text's encoding.
    pub(crate) fn from_bytes(b: &[u8]) -> Result<Self, Damaged> {
        let texts = match b.first() {
            Some(&FORMAT) => TEXTS,
            Some(2) => FORMAT_2_TEXTS,
            Some(1) => FORMAT_1_TEXTS,
            _ => return Err(Damaged("wrong format")),
        };
        let header = header(texts);
        if b.len() < header {
            return Err(Damaged("truncated"));
        }
        let i64_at = |i: usize| -> Result<i64, Damaged> {
            let at = 5 + i * 8;
            b.get(at..at + 8)
                .and_then(|s| s.try_into().ok())
                .map(i64::from_le_bytes)
                .ok_or(Damaged("truncated"))
        };
        let mut ends = [0u32; TEXTS];
        for (i, e) in ends.iter_mut().enumerate().take(texts) {
            let at = 5 + 7 * 8 + i * 4;
            *e = b
                .get(at..at + 4)
                .and_then(|s| s.try_into().ok())
                .map(u32::from_le_bytes)
                .ok_or(Damaged("truncated"))?;
        }
        let text = std::str::from_utf8(&b[header..]).map_err(|_| Damaged("bad text"))?;
        let mut last = 0;
        for &e in &ends[..texts] {
            let e = e as usize;
            if e < last || e > text.len() || !text.is_char_boundary(e) {
                return Err(Damaged("bad text offsets"));
            }
            last = e;
        }
        if last != text.len() {
            return Err(Damaged("trailing bytes"));
        }
        for e in &mut ends[texts..] {
            *e = last as u32;
        }
        let (stage, priority, source) = (b[2], b[3], b[4]);
        if stage as usize >= Stage::ALL.len()
            || priority as usize >= Priority::ALL.len()
            || source as usize >= Source::ALL.len()
        {
            return Err(Damaged("bad enum value"));
        }
        Ok(Compact {
            flags: b[1],
            stage,
            priority,
            source,
            id: i64_at(0)?,
            version: i64_at(1)?,
            inbox_id: i64_at(2)?,
            owner_id: i64_at(3)?,
            contact_id: i64_at(4)?,
            company_id: i64_at(5)?,
            message_count: i64_at(6)?,
            ends,
            text: text.into(),
        })
    }
}

mod build;

pub(crate) use build::{Parts, joined_ids};

#[cfg(test)]
mod tests;
