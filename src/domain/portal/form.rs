//! The support form customers open tickets with, and the checks on what they submit.

use super::super::error::ValidationError;
use crate::domain::i18n::{self, Arg, Language};
use crate::domain::text::{ECHO_WORD_MAX, bound_echo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

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
#[serde(from = "FormFieldIn")]
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
    /// Whether only the requester and staff see the answer: in company mode a colleague's
    /// phone number is not the whole company's business. When a stored or sent form leaves
    /// it out, contact details are private ([`private_by_default`]) and the rest are not.
    #[serde(default)]
    pub private: bool,
}

/// A form field as stored or sent, where `private` may be missing (portals stored before it
/// existed, API callers that leave it out).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFieldIn {
    key: String,
    label: String,
    kind: FieldKind,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    private: Option<bool>,
}

impl From<FormFieldIn> for FormField {
    fn from(f: FormFieldIn) -> Self {
        let private = f
            .private
            .unwrap_or_else(|| private_by_default(f.kind, &f.key, &f.label));
        FormField {
            key: f.key,
            label: f.label,
            kind: f.kind,
            required: f.required,
            options: f.options,
            private,
        }
    }
}

/// Whether a field holds contact details, which stay between the requester and staff unless
/// the admin says otherwise: an email field, or one whose key or label names a phone or email.
pub fn private_by_default(kind: FieldKind, key: &str, label: &str) -> bool {
    kind == FieldKind::Email || names_contact_detail(key) || names_contact_detail(label)
}

fn names_contact_detail(name: &str) -> bool {
    let name = name.to_lowercase();
    ["phone", "mobile", "email", "e-mail", "e_mail"]
        .iter()
        .any(|word| name.contains(word))
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
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
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

    /// The answers of a ticket that `viewer_is_requester` decides a customer may read: the
    /// requester reads them all, a colleague only those of fields that are not private. An
    /// answer no field of the form describes any more is judged by its key.
    pub fn answers_for(
        &self,
        answers: BTreeMap<String, String>,
        viewer_is_requester: bool,
    ) -> BTreeMap<String, String> {
        if viewer_is_requester {
            return answers;
        }
        answers
            .into_iter()
            .filter(|(key, _)| !self.is_private(key))
            .collect()
    }

    fn is_private(&self, key: &str) -> bool {
        match self.fields.iter().find(|f| f.key == key) {
            Some(f) => f.private,
            None => names_contact_detail(key),
        }
    }

    /// The keys of the private fields, for the fingerprint of what a customer's feed shows.
    pub fn private_keys(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|f| f.private)
            .map(|f| f.key.as_str())
    }

    /// Checks a customer's submission against the form: subject and description present and
    /// within limits, required fields filled, select values among the options, emails well
    /// formed, no unknown fields. Returns every problem, so a form can show them all at once,
    /// in `language` (the customer's).
    pub fn check_submission(
        &self,
        subject: &str,
        description: &str,
        values: &BTreeMap<String, String>,
        language: Language,
    ) -> Result<(), Vec<ValidationError>> {
        let say = |id: &str| i18n::text(language, id);
        let at_most =
            |max: usize| i18n::format(language, "form-at-most", &[("max", Arg::from(max))]);
        let mut errors = Vec::new();
        check_subject(subject, language).unwrap_or_else(|e| errors.push(e));
        if description.trim().is_empty() {
            errors.push(ValidationError::new("description", say("form-required")));
        } else if description.chars().count() > MAX_BODY {
            errors.push(ValidationError::new("description", at_most(MAX_BODY)));
        }
        // Only the first unknown key is named: a request can carry thousands of them, and
        // the answer must not grow with it.
        let mut unknown = values
            .keys()
            .filter(|key| !self.fields.iter().any(|f| &f.key == *key));
        if let Some(first) = unknown.next() {
            let others = unknown.count();
            let message = i18n::format(
                language,
                "form-unknown-field",
                &[("others", Arg::from(others))],
            );
            errors.push(ValidationError::new(
                format!("form_fields.{}", bound_echo(first, 2 * ECHO_WORD_MAX)),
                message,
            ));
        }
        for f in &self.fields {
            let at = format!("form_fields.{}", f.key);
            let value = values.get(&f.key).map(|v| v.trim()).unwrap_or("");
            if value.is_empty() {
                if f.required {
                    let label = ("label", Arg::from(f.label.as_str()));
                    let message = i18n::format(language, "form-field-required", &[label]);
                    errors.push(ValidationError::new(at, message));
                }
                continue;
            }
            if value.chars().count() > MAX_FIELD_VALUE {
                errors.push(ValidationError::new(at, at_most(MAX_FIELD_VALUE)));
                continue;
            }
            match f.kind {
                FieldKind::Select if !f.options.iter().any(|o| o == value) => {
                    let options = f.options.join(", ");
                    let options = [("options", Arg::from(options.as_str()))];
                    let message = i18n::format(language, "form-one-of", &options);
                    errors.push(ValidationError::new(at, message));
                }
                FieldKind::Email if crate::domain::text::normalize_email(value).is_none() => {
                    errors.push(ValidationError::new(at, say("form-email")));
                }
                FieldKind::Text if value.contains('\n') => {
                    errors.push(ValidationError::new(at, say("form-single-line")));
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
pub fn check_subject(subject: &str, language: Language) -> Result<(), ValidationError> {
    let n = subject.trim().chars().count();
    let say = |id: &str| i18n::text(language, id);
    if n == 0 {
        Err(ValidationError::new("subject", say("form-required")))
    } else if n > MAX_SUBJECT {
        let max = [("max", Arg::from(MAX_SUBJECT))];
        let message = i18n::format(language, "form-at-most", &max);
        Err(ValidationError::new("subject", message))
    } else if subject.contains('\n') {
        Err(ValidationError::new("subject", say("form-single-line")))
    } else {
        Ok(())
    }
}
