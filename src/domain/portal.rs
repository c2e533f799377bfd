//! The portal's settings: what the setup wizard fills in and the Portal pane edits.

use super::error::ValidationError;
use super::people::Contact;
use super::routing::{ConditionOp, MatchValue};
use super::text::is_valid_host;
use super::ticket::Stage;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

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

/// A column customers may see in their ticket list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerColumn {
    /// Ticket number.
    Id,
    /// Subject.
    Subject,
    /// Customer label of the stage.
    Status,
    /// Priority.
    Priority,
    /// Who raised it (name only).
    Requester,
    /// When it was opened.
    Created,
    /// When it last changed.
    Updated,
}

/// Sort order of the customer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SortOrder {
    /// Column to sort by.
    pub column: CustomerColumn,
    /// Newest/largest first.
    pub descending: bool,
}

/// How customers see their tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketView {
    /// Columns in display order.
    pub columns: Vec<CustomerColumn>,
    /// Customer-facing label of each pipeline stage.
    pub stage_labels: BTreeMap<Stage, String>,
    /// Whether closed tickets are listed.
    pub show_closed: bool,
    /// Default sort.
    pub default_sort: SortOrder,
}

impl TicketView {
    /// The label customers see for `stage` (the stage's own name if none is set).
    pub fn label(&self, stage: Stage) -> String {
        self.stage_labels
            .get(&stage)
            .cloned()
            .unwrap_or_else(|| stage.default_label().to_string())
    }

    fn validate(&self) -> Result<(), ValidationError> {
        if self.columns.is_empty() {
            return Err(ValidationError::new(
                "ticket_view.columns",
                "at least one column must be shown",
            ));
        }
        let mut seen = Vec::new();
        for c in &self.columns {
            if seen.contains(c) {
                return Err(ValidationError::new(
                    "ticket_view.columns",
                    "a column is listed twice",
                ));
            }
            seen.push(*c);
        }
        for (stage, label) in &self.stage_labels {
            let n = label.trim().chars().count();
            if n == 0 || n > 40 {
                return Err(ValidationError::new(
                    format!("ticket_view.stage_labels.{}", stage.as_str()),
                    "must be 1–40 characters",
                ));
            }
        }
        Ok(())
    }
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

/// Kind of a support-form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Multiline,
    /// One of `options`.
    Select,
    /// An email address.
    Email,
}

/// An extra field of the support form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// Machine name, `[a-z0-9_]`, 1–32 chars; routing rules refer to it as `form:<key>`.
    pub key: String,
    /// What the customer sees.
    pub label: String,
    /// Kind of input.
    pub kind: FieldKind,
    /// Whether a value is required.
    #[serde(default)]
    pub required: bool,
    /// Choices, for `select` only.
    #[serde(default)]
    pub options: Vec<String>,
}

/// The support form customers open tickets with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportForm {
    /// Whether customers may open tickets.
    pub enabled: bool,
    /// Extra fields beyond subject and description.
    pub fields: Vec<FormField>,
}

/// Largest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// Largest description or message body, in characters.
pub const MAX_BODY: usize = 20_000;
/// Largest extra field value, in characters.
pub const MAX_FIELD_VALUE: usize = 2_000;

impl SupportForm {
    fn validate(&self) -> Result<(), ValidationError> {
        let mut keys: Vec<&str> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let at = |what: &str| format!("support_form.fields[{i}].{what}");
            let key_ok = (1..=32).contains(&f.key.len())
                && f.key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !key_ok {
                return Err(ValidationError::new(
                    at("key"),
                    "must be 1–32 of a-z, 0-9 and _",
                ));
            }
            if f.key == "subject" || f.key == "description" {
                return Err(ValidationError::new(
                    at("key"),
                    "subject and description are always on the form",
                ));
            }
            if keys.contains(&f.key.as_str()) {
                return Err(ValidationError::new(
                    at("key"),
                    format!("`{}` is used twice", f.key),
                ));
            }
            keys.push(&f.key);
            let n = f.label.trim().chars().count();
            if n == 0 || n > 80 {
                return Err(ValidationError::new(at("label"), "must be 1–80 characters"));
            }
            match f.kind {
                FieldKind::Select if f.options.is_empty() => {
                    return Err(ValidationError::new(
                        at("options"),
                        "a select field needs at least one option",
                    ));
                }
                FieldKind::Select
                    if f.options
                        .iter()
                        .any(|o| o.trim().is_empty() || o.len() > 80) =>
                {
                    return Err(ValidationError::new(
                        at("options"),
                        "options must be 1–80 characters",
                    ));
                }
                FieldKind::Select => {}
                _ if !f.options.is_empty() => {
                    return Err(ValidationError::new(
                        at("options"),
                        "only select fields have options",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks a customer's submission against the form: subject and description present and
    /// within limits, required fields filled, select values among the options, emails well
    /// formed, no unknown fields. Returns every problem, so a form can show them all at once.
    pub fn check_submission(
        &self,
        subject: &str,
        description: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        check_subject(subject).unwrap_or_else(|e| errors.push(e));
        if description.trim().is_empty() {
            errors.push(ValidationError::new("description", "is required"));
        } else if description.chars().count() > MAX_BODY {
            errors.push(ValidationError::new(
                "description",
                format!("must be at most {MAX_BODY} characters"),
            ));
        }
        for key in values.keys() {
            if !self.fields.iter().any(|f| &f.key == key) {
                errors.push(ValidationError::new(
                    format!("form_fields.{key}"),
                    "is not a field of the support form",
                ));
            }
        }
        for f in &self.fields {
            let at = format!("form_fields.{}", f.key);
            let value = values.get(&f.key).map(|v| v.trim()).unwrap_or("");
            if value.is_empty() {
                if f.required {
                    errors.push(ValidationError::new(at, format!("{} is required", f.label)));
                }
                continue;
            }
            if value.chars().count() > MAX_FIELD_VALUE {
                errors.push(ValidationError::new(
                    at,
                    format!("must be at most {MAX_FIELD_VALUE} characters"),
                ));
                continue;
            }
            match f.kind {
                FieldKind::Select if !f.options.iter().any(|o| o == value) => {
                    errors.push(ValidationError::new(
                        at,
                        format!("must be one of: {}", f.options.join(", ")),
                    ));
                }
                FieldKind::Email if super::text::normalize_email(value).is_none() => {
                    errors.push(ValidationError::new(at, "must be an email address"));
                }
                FieldKind::Text if value.contains('\n') => {
                    errors.push(ValidationError::new(at, "must be a single line"));
                }
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Checks a ticket subject: 1–200 characters, one line.
pub fn check_subject(subject: &str) -> Result<(), ValidationError> {
    let n = subject.trim().chars().count();
    if n == 0 {
        Err(ValidationError::new("subject", "is required"))
    } else if n > MAX_SUBJECT {
        Err(ValidationError::new(
            "subject",
            format!("must be at most {MAX_SUBJECT} characters"),
        ))
    } else if subject.contains('\n') {
        Err(ValidationError::new("subject", "must be a single line"))
    } else {
        Ok(())
    }
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
        self.support_form.validate()
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
        if let Some(v) = self.configured {
            next.configured = v;
        }
        next.version = current.version + 1;
        next
    }
}

impl Default for TicketView {
    fn default() -> Self {
        TicketView {
            columns: vec![
                CustomerColumn::Id,
                CustomerColumn::Subject,
                CustomerColumn::Status,
                CustomerColumn::Updated,
            ],
            stage_labels: Stage::ALL
                .iter()
                .map(|s| (*s, s.default_label().to_string()))
                .collect(),
            show_closed: true,
            default_sort: SortOrder {
                column: CustomerColumn::Updated,
                descending: true,
            },
        }
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
            configured: false,
            version: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Vec<DomainInfo> {
        vec![DomainInfo {
            host: "help.acme.test".into(),
            primary_language: "en".into(),
            system: false,
        }]
    }

    fn configured() -> PortalSettings {
        let mut p = PortalSettings::unconfigured("help.acme.test");
        p.default_inbox_id = Some(1);
        p.configured = true;
        p
    }

    #[test]
    fn slugs() {
        for ok in ["a", "help", "help-desk-2", &"a".repeat(64)] {
            assert!(check_slug(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "Help", "a b", "a/b", "é", &"a".repeat(65)] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert!(check_name("Acme Support").is_ok());
        assert!(check_name("  ").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
        assert!(check_name("a\nb").is_err());
    }

    #[test]
    fn valid_settings_pass_and_unknown_domain_fails() {
        let p = configured();
        assert_eq!(p.validate(&domains(), &[1]), Ok(()));
        let mut q = p.clone();
        q.domain = "elsewhere.test".into();
        assert_eq!(q.validate(&domains(), &[1]).unwrap_err().field, "domain");
        assert_eq!(
            p.validate(&domains(), &[2]).unwrap_err().field,
            "default_inbox_id"
        );
        assert_eq!(p.portal_url(), "https://help.acme.test/support");
    }

    #[test]
    fn idle_timeout_must_be_one_of_four() {
        let mut p = configured();
        p.access.idle_timeout_minutes = 30;
        assert_eq!(
            p.validate(&domains(), &[1]).unwrap_err().field,
            "access.idle_timeout_minutes"
        );
    }

    #[test]
    fn contact_filter_needs_conditions_and_matches_properties() {
        let mut perm = TicketPermission {
            mode: PermissionMode::ContactFilter,
            filter: vec![],
        };
        assert!(perm.validate().is_err());
        perm.filter.push(PropertyFilter {
            property: "plan".into(),
            op: ConditionOp::In,
            value: MatchValue::Many(vec!["gold".into(), "platinum".into()]),
        });
        assert!(perm.validate().is_ok());
        let gold = BTreeMap::from([("plan".to_string(), "gold".to_string())]);
        let free = BTreeMap::from([("plan".to_string(), "free".to_string())]);
        assert!(perm.grants_company(&gold));
        assert!(!perm.grants_company(&free));
        assert!(!perm.grants_company(&BTreeMap::new()));
    }

    #[test]
    fn form_fields_are_validated() {
        let mut p = configured();
        p.support_form.fields = vec![FormField {
            key: "Bad Key".into(),
            label: "x".into(),
            kind: FieldKind::Text,
            required: false,
            options: vec![],
        }];
        assert!(
            p.validate(&domains(), &[1])
                .unwrap_err()
                .field
                .ends_with(".key")
        );
        p.support_form.fields[0].key = "plan".into();
        p.support_form.fields[0].kind = FieldKind::Select;
        assert!(
            p.validate(&domains(), &[1])
                .unwrap_err()
                .field
                .ends_with(".options")
        );
        p.support_form.fields[0].options = vec!["a".into()];
        assert!(p.validate(&domains(), &[1]).is_ok());
        p.support_form.fields.push(p.support_form.fields[0].clone());
        assert!(
            p.validate(&domains(), &[1])
                .unwrap_err()
                .message
                .contains("twice")
        );
    }

    #[test]
    fn submissions_are_checked_against_the_form() {
        let form = SupportForm {
            enabled: true,
            fields: vec![
                FormField {
                    key: "area".into(),
                    label: "Area".into(),
                    kind: FieldKind::Select,
                    required: true,
                    options: vec!["billing".into(), "tech".into()],
                },
                FormField {
                    key: "cc".into(),
                    label: "CC".into(),
                    kind: FieldKind::Email,
                    required: false,
                    options: vec![],
                },
            ],
        };
        let ok = BTreeMap::from([("area".to_string(), "tech".to_string())]);
        assert!(form.check_submission("Printer", "It jams", &ok).is_ok());
        let bad = BTreeMap::from([
            ("area".to_string(), "sales".to_string()),
            ("cc".to_string(), "not-an-email".to_string()),
            ("extra".to_string(), "x".to_string()),
        ]);
        let errors = form.check_submission("", "", &bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "subject",
                "description",
                "form_fields.extra",
                "form_fields.area",
                "form_fields.cc"
            ]
        );
        let missing = form
            .check_submission("s", "d", &BTreeMap::new())
            .unwrap_err();
        assert_eq!(missing[0].field, "form_fields.area");
    }

    #[test]
    fn patch_bumps_versions_and_consent_on_text_change() {
        let p = configured();
        let same_text = PortalPatch {
            consent: Some(p.consent.clone()),
            ..Default::default()
        }
        .apply(&p);
        assert_eq!(same_text.version, p.version + 1);
        assert_eq!(same_text.consent.version, p.consent.version);
        let mut c = p.consent.clone();
        c.text = "New terms".into();
        let changed = PortalPatch {
            consent: Some(c),
            ..Default::default()
        }
        .apply(&p);
        assert_eq!(changed.consent.version, p.consent.version + 1);
    }

    #[test]
    fn consent_needed_until_current_version_accepted() {
        let mut p = configured();
        p.consent = Consent {
            enabled: true,
            text: "Terms".into(),
            required: true,
            version: 2,
        };
        let mut contact = Contact {
            id: 1,
            email: "a@b.test".into(),
            name: "A".into(),
            company_id: None,
            properties: BTreeMap::new(),
            registration: crate::domain::Registration::Registered,
            consent: None,
        };
        assert!(p.consent_needed(&contact));
        contact.consent = Some(crate::domain::people::ConsentRecord {
            version: 1,
            accepted_at: "t".into(),
        });
        assert!(p.consent_needed(&contact));
        contact.consent = Some(crate::domain::people::ConsentRecord {
            version: 2,
            accepted_at: "t".into(),
        });
        assert!(!p.consent_needed(&contact));
    }
}
