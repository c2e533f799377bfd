//! Mail to customers and staff about their tickets: which events send one, the templates
//! they are written from (defaults per language, per-portal overrides) and how a template
//! is filled in. Pure: the store renders a mail in the transaction of the change that
//! causes it, and the Portal tab previews the same rendering.

use super::error::ValidationError;
use super::text::{is_valid_host, placeholder_spans};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

mod defaults;
pub mod inbound;
#[cfg(test)]
mod tests;

/// A change to a ticket that mails someone.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MailEvent {
    /// To the requester: their ticket exists, with its number and the portal address.
    TicketCreated,
    /// To the requester: staff answered (never sent for an internal note).
    StaffReply,
    /// To the requester: the ticket was closed, and how to reopen it.
    TicketClosed,
    /// To an agent: a ticket was assigned to them.
    AssignedToYou,
}

impl MailEvent {
    /// Every event, in the order the Portal tab lists them.
    pub const ALL: [MailEvent; 4] = [
        MailEvent::TicketCreated,
        MailEvent::StaffReply,
        MailEvent::TicketClosed,
        MailEvent::AssignedToYou,
    ];

    /// Storage and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailEvent::TicketCreated => "ticket_created",
            MailEvent::StaffReply => "staff_reply",
            MailEvent::TicketClosed => "ticket_closed",
            MailEvent::AssignedToYou => "assigned_to_you",
        }
    }

    /// The event a stored name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// A subject and a body with `{placeholder}`s (see [`PLACEHOLDERS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailTemplate {
    /// Subject line; `[#<ticket number>]` is put in front of it when sending.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// The placeholders a template may use, with what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 7] = [
    ("ticket_number", "the ticket's number"),
    ("subject", "the ticket's subject"),
    ("first_name", "the recipient's first name"),
    ("portal_url", "the portal's address"),
    ("portal_name", "the portal's title"),
    ("message", "the reply (staff reply only; empty otherwise)"),
    ("requester", "the requester's name"),
];

/// Longest subject template, in characters.
pub const MAX_TEMPLATE_SUBJECT: usize = 200;
/// Longest body template, in characters.
pub const MAX_TEMPLATE_BODY: usize = 10_000;

/// The portal's email settings: where replies go and its own wording of each mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// The domain replies are addressed to (`support+<ticket>.<token>@<domain>`); the
    /// portal's domain when unset.
    #[serde(default)]
    pub inbound_domain: Option<String>,
    /// Templates replacing the defaults of the portal's language, per event.
    #[serde(default)]
    pub templates: BTreeMap<MailEvent, MailTemplate>,
}

impl EmailSettings {
    /// Checks the inbound domain and every override; an unknown placeholder is refused with
    /// the list of known ones.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(domain) = &self.inbound_domain
            && (!is_valid_host(domain) || !domain.contains('.'))
        {
            return Err(ValidationError::new(
                "email.inbound_domain",
                "must be a host name like support.example.com",
            ));
        }
        for (event, template) in &self.templates {
            let field = |part: &str| format!("email.templates.{}.{part}", event.as_str());
            check_template_text(&template.subject, MAX_TEMPLATE_SUBJECT, true)
                .map_err(|m| ValidationError::new(field("subject"), m))?;
            check_template_text(&template.body, MAX_TEMPLATE_BODY, false)
                .map_err(|m| ValidationError::new(field("body"), m))?;
        }
        Ok(())
    }

    /// The template an event is written from: the portal's override, else the default in
    /// `language` (English for a language without defaults).
    pub fn template(&self, event: MailEvent, language: &str) -> MailTemplate {
        self.templates
            .get(&event)
            .cloned()
            .unwrap_or_else(|| defaults::template(event, language))
    }
}

/// Checks one template text: length, one line for a subject, only known placeholders.
fn check_template_text(text: &str, max: usize, one_line: bool) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if one_line && text.contains(['\n', '\r']) {
        return Err("must be one line".into());
    }
    for name in placeholders_in(text) {
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            let known: Vec<String> = PLACEHOLDERS
                .iter()
                .map(|(k, _)| format!("{{{k}}}"))
                .collect();
            return Err(format!(
                "unknown placeholder {{{name}}}; known placeholders: {}",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

/// The names of the `{word}` placeholders in `text` (a brace not around a word is text).
fn placeholders_in(text: &str) -> impl Iterator<Item = &str> {
    placeholder_spans(text).map(|(_, name)| name)
}

/// What a template's placeholders become for one mail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailValues {
    /// The ticket's number.
    pub ticket_number: i64,
    /// The ticket's subject.
    pub subject: String,
    /// The recipient's full name (the first word is `{first_name}`).
    pub recipient_name: String,
    /// The requester's name.
    pub requester: String,
    /// The portal's address.
    pub portal_url: String,
    /// The portal's title.
    pub portal_name: String,
    /// The reply, for a staff reply.
    pub message: String,
}

impl MailValues {
    fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "ticket_number" => self.ticket_number.to_string(),
            "subject" => self.subject.clone(),
            "first_name" => self
                .recipient_name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
            "portal_url" => self.portal_url.clone(),
            "portal_name" => self.portal_name.clone(),
            "message" => self.message.clone(),
            "requester" => self.requester.clone(),
            _ => return None,
        })
    }
}

/// A filled-in mail: the subject (with `[#n]` in front) and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Fills in `template`; the subject starts with `[#<ticket number>]`, so a reply can be
/// matched to its ticket even without its headers, and is one line whatever the ticket's
/// subject holds.
pub fn render(template: &MailTemplate, values: &MailValues) -> RenderedMail {
    let subject = fill(&template.subject, values).replace(['\r', '\n'], " ");
    let tag = format!("[#{}]", values.ticket_number);
    let subject = if subject.contains(&tag) {
        subject
    } else {
        format!("{tag} {subject}")
    };
    RenderedMail {
        subject,
        body: fill(&template.body, values),
    }
}

/// `text` with each known `{placeholder}` replaced (values are never filled in again, so a
/// subject holding `{message}` stays as written).
fn fill(text: &str, values: &MailValues) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .split_once('}')
            .and_then(|(name, tail)| Some((values.get(name)?, tail)))
        {
            Some((value, tail)) => {
                out.push_str(&value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
