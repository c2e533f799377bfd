//! Saved replies: text an agent answers with again and again, kept once and inserted into the
//! composer with the ticket's details filled in. Shared replies belong to the team (admins
//! manage them); personal ones to the agent who wrote them, and nobody else sees them.

use super::error::ValidationError;
use super::text::placeholder_spans;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use utoipa::ToSchema;

/// Longest title, in characters.
pub const MAX_REPLY_TITLE: usize = 200;
/// Longest body, in characters.
pub const MAX_REPLY_BODY: usize = 10_000;

/// The placeholders a saved reply may use, with what each becomes.
pub const REPLY_PLACEHOLDERS: [(&str, &str); 5] = [
    ("first_name", "the contact's first name"),
    ("ticket_number", "the ticket's number"),
    ("subject", "the ticket's subject"),
    ("agent_name", "your name"),
    ("portal_url", "the portal's address"),
];

/// A saved reply as the API and the sync feed carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SavedReply {
    /// Stable id.
    pub id: i64,
    /// What the picker lists and searches.
    pub title: String,
    /// The text inserted, with `{placeholder}`s (see [`REPLY_PLACEHOLDERS`]).
    pub body: String,
    /// The agent it belongs to; `None` for a shared reply.
    pub owner_id: Option<i64>,
}

impl SavedReply {
    /// Whether the whole team sees it (only admins change it then).
    pub fn is_shared(&self) -> bool {
        self.owner_id.is_none()
    }

    /// Checks the title and body: lengths, a one-line title, only known placeholders (an
    /// unknown one is refused with the list of known ones, so a typo never reaches a
    /// customer as `{frist_name}`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_REPLY_TITLE {
            return Err(ValidationError::new(
                "title",
                format!("must be 1 to {MAX_REPLY_TITLE} characters"),
            ));
        }
        if title.contains(['\n', '\r']) {
            return Err(ValidationError::new("title", "must be one line"));
        }
        if self.body.trim().is_empty() || self.body.chars().count() > MAX_REPLY_BODY {
            return Err(ValidationError::new(
                "body",
                format!("must be 1 to {MAX_REPLY_BODY} characters"),
            ));
        }
        if let Some(name) = unknown_placeholder(&self.body) {
            return Err(ValidationError::new(
                "body",
                format!(
                    "unknown placeholder {{{name}}}; known placeholders: {}",
                    known_placeholders()
                ),
            ));
        }
        Ok(())
    }
}

/// The known placeholders as a reader writes them: `{first_name}, {ticket_number}, …`.
pub fn known_placeholders() -> String {
    REPLY_PLACEHOLDERS
        .iter()
        .map(|(name, _)| format!("{{{name}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_known(name: &str) -> bool {
    REPLY_PLACEHOLDERS.iter().any(|(known, _)| *known == name)
}

/// The first placeholder in `body` that is not one of [`REPLY_PLACEHOLDERS`].
pub fn unknown_placeholder(body: &str) -> Option<&str> {
    placeholder_spans(body)
        .map(|(_, name)| name)
        .find(|name| !is_known(name))
}

/// What the placeholders become on one ticket; `None` (or empty) where this ticket has no
/// value, which leaves the placeholder in the text for the agent to fill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyValues {
    /// The requester's full name (its first word fills `{first_name}`).
    pub contact_name: Option<String>,
    /// The ticket's number.
    pub ticket_number: Option<i64>,
    /// The ticket's subject.
    pub subject: Option<String>,
    /// The agent's name.
    pub agent_name: Option<String>,
    /// The portal's address.
    pub portal_url: Option<String>,
}

impl ReplyValues {
    fn get(&self, name: &str) -> Option<String> {
        let value = match name {
            "first_name" => self
                .contact_name
                .as_deref()
                .and_then(|n| n.split_whitespace().next())
                .map(str::to_string),
            "ticket_number" => self.ticket_number.map(|n| n.to_string()),
            "subject" => self.subject.clone(),
            "agent_name" => self.agent_name.clone(),
            "portal_url" => self.portal_url.clone(),
            _ => None,
        }?;
        let value = value.trim().to_string();
        (!value.is_empty()).then_some(value)
    }
}

/// `body` with every known placeholder this ticket has a value for replaced; the others stay
/// as written (see [`unfilled_placeholders`]), never silently blank.
pub fn fill_reply(body: &str, values: &ReplyValues) -> String {
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for (range, name) in placeholder_spans(body) {
        if let Some(value) = values.get(name) {
            out.push_str(&body[from..range.start]);
            out.push_str(&value);
            from = range.end;
        }
    }
    out.push_str(&body[from..]);
    out
}

/// Byte ranges of the known placeholders still in `text`: what the composer highlights for
/// the agent to fill by hand.
pub fn unfilled_placeholders(text: &str) -> Vec<Range<usize>> {
    placeholder_spans(text)
        .filter(|(_, name)| is_known(name))
        .map(|(range, _)| range)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(body: &str) -> SavedReply {
        SavedReply {
            id: 1,
            title: "Refund".into(),
            body: body.into(),
            owner_id: None,
        }
    }

    #[test]
    fn unknown_placeholder_is_refused_naming_the_known_ones() {
        let err = reply("Hi {frist_name}").validate().unwrap_err();
        assert_eq!(err.field, "body");
        assert!(err.message.contains("{frist_name}"), "{}", err.message);
        for (name, _) in REPLY_PLACEHOLDERS {
            assert!(err.message.contains(&format!("{{{name}}}")), "{name}");
        }
        assert!(
            reply("Hi {first_name}, {not a placeholder}")
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn title_and_body_must_be_there_and_fit() {
        let mut r = reply("body");
        r.title = "  ".into();
        assert_eq!(r.validate().unwrap_err().field, "title");
        r.title = "two\nlines".into();
        assert_eq!(r.validate().unwrap_err().field, "title");
        r.title = "ok".into();
        r.body = "x".repeat(MAX_REPLY_BODY + 1);
        assert_eq!(r.validate().unwrap_err().field, "body");
    }

    #[test]
    fn fill_replaces_what_the_ticket_has_and_keeps_the_rest() {
        let values = ReplyValues {
            contact_name: Some("Carla Rossi".into()),
            ticket_number: Some(42),
            subject: Some("Printer on fire".into()),
            agent_name: None,
            portal_url: Some("  ".into()),
        };
        let body =
            "Hi {first_name}, about #{ticket_number} ({subject}): see {portal_url}. {agent_name}";
        let filled = fill_reply(body, &values);
        assert_eq!(
            filled,
            "Hi Carla, about #42 (Printer on fire): see {portal_url}. {agent_name}"
        );
        let left: Vec<&str> = unfilled_placeholders(&filled)
            .into_iter()
            .map(|r| &filled[r])
            .collect();
        assert_eq!(left, vec!["{portal_url}", "{agent_name}"]);
    }

    #[test]
    fn values_are_not_filled_again() {
        let values = ReplyValues {
            subject: Some("{first_name}".into()),
            contact_name: Some("Ann".into()),
            ..ReplyValues::default()
        };
        assert_eq!(
            fill_reply("{subject} {first_name}", &values),
            "{first_name} Ann"
        );
    }
}
