//! The portal's settings: what the setup wizard fills in and the Portal pane edits.

use super::error::ValidationError;
use super::mail::EmailSettings;
use super::people::Contact;
use super::routing::{ConditionOp, MatchValue};
use super::text::is_valid_host;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

mod form;
#[cfg(test)]
mod tests;
mod ticket_view;

pub use form::{
    FieldKind, FormField, MAX_BODY, MAX_FIELD_VALUE, MAX_SUBJECT, SupportForm, check_subject,
    private_by_default,
};
pub use ticket_view::{CustomerColumn, SortOrder, TicketView};

/// The idle timeouts an admin may pick, in minutes.
pub const IDLE_TIMEOUTS: [u32; 4] = [20, 40, 60, 1440];

/// A domain the portal may live on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainInfo {
    /// Host name, lower-case, e.g. `support.acme.test`.
    pub host: String,
    /// Language the portal is shown in on this domain, e.g. `en` or `it`.
    pub primary_language: String,
    /// A vendor-provided domain: no registration emails are sent from it.
    #[serde(default)]
    pub system: bool,
}

impl DomainInfo {
    /// Checks the host name and the language tag.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if !is_valid_host(&self.host) || !self.host.contains('.') {
            return Err(ValidationError::new(
                "host",
                "must be a host name like support.example.com (lower-case letters, digits, dots and hyphens)",
            ));
        }
        let lang = &self.primary_language;
        let ok = (2..=8).contains(&lang.len())
            && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
            && !lang.starts_with('-');
        if !ok {
            return Err(ValidationError::new(
                "primary_language",
                "must be a language tag like en or pt-BR",
            ));
        }
        Ok(())
    }
}

/// Who sees which tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionMode {
    /// Contacts see only their own tickets.
    Contact,
    /// Contacts see their primary company's tickets plus their own.
    Company,
    /// Contacts matching the filter get company visibility; everyone else own-only.
    ContactFilter,
}

/// One condition on a contact property, used by `contact_filter` mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyFilter {
    /// Contact property name, e.g. `plan`.
    pub property: String,
    /// How to compare.
    pub op: ConditionOp,
    /// What to compare with.
    pub value: MatchValue,
}

impl PropertyFilter {
    /// True when the contact's property satisfies this condition (a missing property never does).
    pub fn matches(&self, properties: &BTreeMap<String, String>) -> bool {
        properties
            .get(&self.property)
            .is_some_and(|actual| self.op.matches(actual, &self.value))
    }
}

/// The ticket permission setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketPermission {
    /// The mode.
    pub mode: PermissionMode,
    /// For `contact_filter`: every condition must hold for company visibility.
    #[serde(default)]
    pub filter: Vec<PropertyFilter>,
}

impl TicketPermission {
    /// Whether a contact with these properties gets company visibility under this setting.
    pub fn grants_company(&self, properties: &BTreeMap<String, String>) -> bool {
        match self.mode {
            PermissionMode::Contact => false,
            PermissionMode::Company => true,
            PermissionMode::ContactFilter => {
                !self.filter.is_empty() && self.filter.iter().all(|f| f.matches(properties))
            }
        }
    }

    fn validate(&self) -> Result<(), ValidationError> {
        if self.mode == PermissionMode::ContactFilter && self.filter.is_empty() {
            return Err(ValidationError::new(
                "ticket_permission.filter",
                "contact_filter mode needs at least one condition",
            ));
        }
        for (i, f) in self.filter.iter().enumerate() {
            if f.property.trim().is_empty() || f.property.len() > 64 {
                return Err(ValidationError::new(
                    format!("ticket_permission.filter[{i}].property"),
                    "must be 1–64 characters",
                ));
            }
            f.op.check_value(&f.value).map_err(|m| {
                ValidationError::new(format!("ticket_permission.filter[{i}].value"), m)
            })?;
        }
        Ok(())
    }
}

/// Who may register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessMode {
    /// Contacts register from an invitation email.
    InviteOnly,
    /// Any existing contact may register by confirming their email.
    SelfRegistration,
}

/// Access control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// Who may register.
    pub mode: AccessMode,
    /// One-time email codes (15 minutes) as an alternative to passwords.
    pub passwordless: bool,
    /// Sessions expire after this many idle minutes: 20, 40, 60 or 1440.
    pub idle_timeout_minutes: u32,
}

/// The consent notice shown to customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Whether the notice is shown.
    pub enabled: bool,
    /// The notice text.
    pub text: String,
    /// Whether customers must accept it before using the portal.
    pub required: bool,
    /// Bumped by the server whenever the text changes, so everyone is asked again.
    #[serde(default)]
    pub version: i64,
}

/// Every portal setting, as stored and as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalSettings {
    /// The title customers see, 1–80 characters.
    pub name: String,
    /// Host of one of the connected domains.
    pub domain: String,
    /// Path segment after the domain: `[a-z0-9-]`, 1–64, no leading or trailing `-`.
    pub slug: String,
    /// Inbox or help desk receiving portal tickets no routing rule claims.
    pub default_inbox_id: Option<i64>,
    /// Ticket visibility for contacts.
    pub ticket_permission: TicketPermission,
    /// Registration and sign-in.
    pub access: Access,
    /// What customers see in their list.
    pub ticket_view: TicketView,
    /// The consent notice.
    pub consent: Consent,
    /// The support form.
    pub support_form: SupportForm,
    /// Where mail replies go and the portal's own wording of its mails (settings stored by
    /// an older deskport have none: the defaults).
    #[serde(default)]
    pub email: EmailSettings,
    /// False until the setup wizard finishes.
    pub configured: bool,
    /// Bumped on every change; the `ETag`.
    pub version: i64,
}

/// Checks a portal name: 1–80 characters, one line.
pub fn check_name(name: &str) -> Result<(), ValidationError> {
    let n = name.trim().chars().count();
    if n == 0 || n > 80 || name.contains(['\n', '\r']) {
        return Err(ValidationError::new(
            "name",
            "must be 1–80 characters on one line",
        ));
    }
    Ok(())
}

/// Checks a slug: `[a-z0-9-]`, 1–64, no leading or trailing `-`.
pub fn check_slug(slug: &str) -> Result<(), ValidationError> {
    let ok = (1..=64).contains(&slug.len())
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            "slug",
            "must be 1–64 of a-z, 0-9 and -, not starting or ending with -",
        ))
    }
}

impl PortalSettings {
    /// `https://<domain>/<slug>`.
    pub fn portal_url(&self) -> String {
        portal_url(&self.domain, &self.slug)
    }

    /// The primary language of the portal's domain among `domains` (`en` when it is not
    /// there): the language customers read the portal in.
    pub fn language(&self, domains: &[DomainInfo]) -> String {
        domains
            .iter()
            .find(|d| d.host == self.domain)
            .map_or_else(|| "en".to_string(), |d| d.primary_language.clone())
    }

    /// Checks every rule that needs no outside knowledge, plus that the domain is one of
    /// `domains` and the default inbox one of `inbox_ids`.
    pub fn validate(
        &self,
        domains: &[DomainInfo],
        inbox_ids: &[i64],
    ) -> Result<(), ValidationError> {
        check_name(&self.name)?;
        check_slug(&self.slug)?;
        if !domains.iter().any(|d| d.host == self.domain) {
            return Err(ValidationError::new(
                "domain",
                format!("`{}` is not a connected domain", self.domain),
            ));
        }
        if let Some(id) = self.default_inbox_id {
            if !inbox_ids.contains(&id) {
                return Err(ValidationError::new(
                    "default_inbox_id",
                    format!("no inbox with id {id}"),
                ));
            }
        } else if self.configured {
            return Err(ValidationError::new(
                "default_inbox_id",
                "a configured portal needs a default inbox",
            ));
        }
        self.ticket_permission.validate()?;
        if !IDLE_TIMEOUTS.contains(&self.access.idle_timeout_minutes) {
            return Err(ValidationError::new(
                "access.idle_timeout_minutes",
                "must be 20, 40, 60 or 1440",
            ));
        }
        self.ticket_view.validate()?;
        if self.consent.enabled && self.consent.text.trim().is_empty() {
            return Err(ValidationError::new(
                "consent.text",
                "an enabled consent notice needs text",
            ));
        }
        if self.consent.text.chars().count() > MAX_BODY {
            return Err(ValidationError::new(
                "consent.text",
                format!("must be at most {MAX_BODY} characters"),
            ));
        }
        self.support_form.validate()?;
        self.email.validate()
    }

    /// Whether a contact must accept the consent notice before using the portal.
    pub fn consent_needed(&self, contact: &Contact) -> bool {
        self.consent.enabled
            && self.consent.required
            && contact
                .consent
                .as_ref()
                .is_none_or(|c| c.version < self.consent.version)
    }
}

/// `https://<domain>/<slug>`.
pub fn portal_url(domain: &str, slug: &str) -> String {
    format!("https://{domain}/{slug}")
}

/// A partial update of the settings: any subset of the keys, nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalPatch {
    /// New name.
    pub name: Option<String>,
    /// New domain host.
    pub domain: Option<String>,
    /// New slug.
    pub slug: Option<String>,
    /// New default inbox.
    pub default_inbox_id: Option<i64>,
    /// New ticket permission.
    pub ticket_permission: Option<TicketPermission>,
    /// New access control.
    pub access: Option<Access>,
    /// New customer ticket view.
    pub ticket_view: Option<TicketView>,
    /// New consent notice (its version is managed by the server).
    pub consent: Option<Consent>,
    /// New support form.
    pub support_form: Option<SupportForm>,
    /// New email settings (inbound domain and template overrides).
    pub email: Option<EmailSettings>,
    /// Set by the setup wizard when it finishes.
    pub configured: Option<bool>,
}

impl PortalPatch {
    /// Applies the patch to `current`, bumping the version and, when the consent text
    /// changed, the consent version (so every customer is asked again).
    pub fn apply(self, current: &PortalSettings) -> PortalSettings {
        let mut next = current.clone();
        if let Some(v) = self.name {
            next.name = v.trim().to_string();
        }
        if let Some(v) = self.domain {
            next.domain = v.trim().to_lowercase();
        }
        if let Some(v) = self.slug {
            next.slug = v;
        }
        if let Some(v) = self.default_inbox_id {
            next.default_inbox_id = Some(v);
        }
        if let Some(v) = self.ticket_permission {
            next.ticket_permission = v;
        }
        if let Some(v) = self.access {
            next.access = v;
        }
        if let Some(v) = self.ticket_view {
            next.ticket_view = v;
        }
        if let Some(mut v) = self.consent {
            v.version = if v.text != current.consent.text {
                current.consent.version + 1
            } else {
                current.consent.version
            };
            next.consent = v;
        }
        if let Some(v) = self.support_form {
            next.support_form = v;
        }
        if let Some(v) = self.email {
            next.email = v;
        }
        if let Some(v) = self.configured {
            next.configured = v;
        }
        next.version = current.version + 1;
        next
    }
}

impl PortalSettings {
    /// The settings of a fresh, unconfigured portal on `domain`.
    pub fn unconfigured(domain: &str) -> Self {
        PortalSettings {
            name: "Customer portal".into(),
            domain: domain.into(),
            slug: "support".into(),
            default_inbox_id: None,
            ticket_permission: TicketPermission {
                mode: PermissionMode::Contact,
                filter: vec![],
            },
            access: Access {
                mode: AccessMode::InviteOnly,
                passwordless: false,
                idle_timeout_minutes: 60,
            },
            ticket_view: TicketView::default(),
            consent: Consent {
                enabled: false,
                text: String::new(),
                required: false,
                version: 1,
            },
            support_form: SupportForm {
                enabled: true,
                fields: vec![],
            },
            email: EmailSettings::default(),
            configured: false,
            version: 1,
        }
    }
}
