//! `deskport tickets`: the cached (or freshly synced) tickets as a table in the user's
//! language, or as JSON that never changes with the language and is written as it is
//! serialised, one ticket after another, instead of being built whole first.

use super::super::failure::{client_failure, warn};
use super::super::language;
use super::super::output::print;
use super::{cache_age, session, start};
use color_eyre::eyre::Result;
use deskport::client::View;
use deskport::domain::text::{is_invisible_format, strip_control};
use deskport::domain::wire::TicketOut;
use deskport::tui::i18n::{self, t, tf};
use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::io::Write;

/// `deskport tickets`.
pub async fn tickets(json: bool, offline: bool) -> Result<()> {
    let session = session()?;
    let server = session.server_url.clone();
    let client = start(session.clone(), offline).await?;
    if !offline {
        match client.sync_now().await {
            // The sync may have brought another portal language.
            Ok(_) => language::speak_for(&session),
            Err(e) => {
                let why = client_failure(&server, &e);
                warn(format!(
                    "{why}; {}",
                    cache_age(client.view().status.last_sync)
                ));
            }
        }
    }
    let view = client.view();
    if json {
        print(|out| write_json(out, &view))
    } else {
        print(|out| print_table(out, &view))
    }
}

/// Every ticket of `view` as a pretty-printed JSON array, each ticket with its keys in order
/// and a `pending` flag. Values stay exact; only invisible characters are written as
/// `\uXXXX` escapes (see [`InvisibleEscaped`]).
pub fn write_json(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    let mut escaped = InvisibleEscaped::new(out);
    let mut serializer = serde_json::Serializer::pretty(&mut escaped);
    Rows(view).serialize(&mut serializer)?;
    escaped.finish()?;
    writeln!(out)
}

/// The view's tickets, serialised one by one as the sequence is written.
struct Rows<'a>(&'a View);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .tickets()
                .map(|ticket| Row::new(ticket.ticket(), ticket.pending)),
        )
    }
}

/// One ticket in the wire form plus `pending`, its keys in the sorted order of a JSON object
/// (the form `tickets --json` has always printed). The ticket is written compact once and its
/// fields are read back borrowed, so no key or value is copied on the way; only a non-empty
/// nested object or list is parsed again, to be indented like the rest.
struct Row {
    ticket: TicketOut,
    pending: bool,
}

impl Row {
    fn new(ticket: TicketOut, pending: bool) -> Self {
        Row { ticket, pending }
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let compact = serde_json::to_vec(&self.ticket).map_err(S::Error::custom)?;
        let mut fields: BTreeMap<&str, &RawValue> =
            serde_json::from_slice(&compact).map_err(S::Error::custom)?;
        let pending = if self.pending { "true" } else { "false" };
        let pending: &RawValue = serde_json::from_str(pending).map_err(S::Error::custom)?;
        fields.insert("pending", pending);
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (key, raw) in fields {
            let text = raw.get();
            if text.len() > 2 && (text.starts_with('{') || text.starts_with('[')) {
                let nested: serde_json::Value =
                    serde_json::from_str(text).map_err(S::Error::custom)?;
                map.serialize_entry(key, &nested)?;
            } else {
                map.serialize_entry(key, raw)?;
            }
        }
        map.end()
    }
}

/// A writer that gathers what it is given and passes it on in chunks, each invisible format
/// character (bidi marks, zero-width spaces) written as a `\uXXXX` escape, so JSON shown on a
/// terminal cannot hide text and a parser still reads the same strings. Gathering keeps the
/// serialiser's many small writes cheap; a chunk ends on a whole character.
struct InvisibleEscaped<'a> {
    out: &'a mut dyn Write,
    gathered: Vec<u8>,
}

/// How much is gathered before it is passed on.
const CHUNK: usize = 64 * 1024;

impl<'a> InvisibleEscaped<'a> {
    fn new(out: &'a mut dyn Write) -> Self {
        InvisibleEscaped {
            out,
            gathered: Vec::with_capacity(CHUNK + 1024),
        }
    }

    /// Passes on everything gathered.
    fn finish(mut self) -> std::io::Result<()> {
        self.pass_on(self.gathered.len())
    }

    /// Passes on the first `upto` bytes gathered, escaped.
    fn pass_on(&mut self, upto: usize) -> std::io::Result<()> {
        let chunk = &self.gathered[..upto];
        // Every invisible format character starts with one of these bytes in UTF-8.
        if !chunk.iter().any(|b| matches!(b, 0xd8 | 0xe2 | 0xef)) {
            self.out.write_all(chunk)?;
        } else {
            let text = String::from_utf8_lossy(chunk);
            let mut rest: &str = &text;
            while let Some((at, c)) = rest.char_indices().find(|(_, c)| is_invisible_format(*c)) {
                self.out.write_all(&rest.as_bytes()[..at])?;
                write!(self.out, "\\u{:04x}", u32::from(c))?;
                rest = &rest[at + c.len_utf8()..];
            }
            self.out.write_all(rest.as_bytes())?;
        }
        self.gathered.drain(..upto);
        Ok(())
    }
}

impl Write for InvisibleEscaped<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.gathered.extend_from_slice(buf);
        if self.gathered.len() >= CHUNK {
            // Up to the last character boundary: a continuation byte is 0b10xx_xxxx.
            let upto = (0..self.gathered.len())
                .rev()
                .find(|&i| self.gathered[i] & 0xc0 != 0x80)
                .unwrap_or(0);
            self.pass_on(upto)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The tickets as a table: headers, status and priority words and dates in the user's
/// language; the stage labels a portal's staff wrote stay as written.
fn print_table(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    let staff = view.is_staff();
    let width = |s: &str, n: usize| -> String {
        let clean = strip_control(s);
        if clean.chars().count() > n {
            clean.chars().take(n - 1).collect::<String>() + "…"
        } else {
            clean
        }
    };
    writeln!(
        out,
        "{:>7}  {:<18}  {:<8}  {:<44}  {:<20}  {}",
        t("cli-column-id"),
        t("cli-column-status"),
        t("cli-column-priority"),
        t("cli-column-subject"),
        t("cli-column-requester"),
        t(if staff {
            "cli-column-owner"
        } else {
            "cli-column-updated"
        })
    )?;
    for ticket in view.tickets() {
        let id = if ticket.pending {
            format!("*{}", ticket.id())
        } else {
            ticket.id().to_string()
        };
        let last = if staff {
            ticket.owner_name().unwrap_or("-").to_string()
        } else {
            i18n::date(ticket.updated_at())
        };
        writeln!(
            out,
            "{:>7}  {:<18}  {:<8}  {:<44}  {:<20}  {}",
            id,
            width(ticket.status(), 18),
            i18n::priority(ticket.priority()),
            width(ticket.subject(), 44),
            width(ticket.requester(), 20),
            width(&last, 24)
        )?;
    }
    let tickets = tf("cli-tickets", &[("count", view.ticket_count().into())]);
    match view.pending_writes() {
        0 => writeln!(out, "{tickets}"),
        pending => {
            let unsent = tf("cli-writes-unsent", &[("count", pending.into())]);
            writeln!(out, "{tickets}, {unsent}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What `tickets --json` printed before it streamed: every ticket turned into a JSON
    /// value, `pending` added, the whole list pretty-printed, invisible characters escaped.
    fn as_before(rows: &[(TicketOut, bool)]) -> String {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(ticket, pending)| {
                let mut v = serde_json::to_value(ticket).unwrap();
                v.as_object_mut()
                    .unwrap()
                    .insert("pending".into(), (*pending).into());
                v
            })
            .collect();
        let json = serde_json::to_string_pretty(&items).unwrap();
        deskport::domain::text::escape_invisible_in_json(&json)
    }

    fn streamed(rows: &[(TicketOut, bool)]) -> String {
        let mut out = Vec::new();
        let mut escaped = InvisibleEscaped::new(&mut out);
        let mut serializer = serde_json::Serializer::pretty(&mut escaped);
        serializer
            .collect_seq(rows.iter().map(|(t, p)| Row::new(t.clone(), *p)))
            .unwrap();
        escaped.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_streamed_list_is_the_same_bytes_as_the_list_built_whole() {
        let staff: TicketOut = serde_json::from_value(json!({
            "id": 7, "subject": "Pay \u{202e}gpj.exe\u{202c} \"now\"\u{200b}", "description": "a\nb",
            "stage": "waiting_on_us", "priority": "high", "category": "", "inbox_id": 1,
            "owner_id": null, "contact_id": 3, "company_id": 2, "source": "portal",
            "form_fields": {"b": "2", "a": "1"}, "tags": ["x", "y"], "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-02T00:00:00Z", "closed_at": null, "version": 4, "ccs": [],
            "requester_name": "Zoë", "requester_email": "z@x.test", "company_name": null,
            "owner_name": "Sam", "inbox_name": "Support", "message_count": 2,
            "updated_by": null, "mail_cc": ["a@x.test"]
        }))
        .unwrap();
        let customer: TicketOut = serde_json::from_value(json!({
            "id": 8, "subject": "s", "description": "d", "status_label": "Aperto",
            "closed": false, "priority": "low", "requester_name": "C", "own": true,
            "form_fields": {}, "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z", "closed_at": null, "version": 1,
            "updated_by": "Ada"
        }))
        .unwrap();
        for rows in [
            vec![],
            vec![(staff.clone(), true)],
            vec![(customer.clone(), false), (staff, false), (customer, true)],
        ] {
            assert_eq!(streamed(&rows), as_before(&rows));
        }
    }

    #[test]
    fn a_character_split_between_chunks_is_escaped_whole() {
        let mut out = Vec::new();
        let mut escaped = InvisibleEscaped::new(&mut out);
        let text = "a".repeat(CHUNK - 1) + "\u{202e}b";
        let bytes = text.as_bytes();
        escaped.write_all(&bytes[..CHUNK]).unwrap();
        escaped.write_all(&bytes[CHUNK..]).unwrap();
        escaped.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a".repeat(CHUNK - 1) + "\\u202eb"
        );
    }
}
