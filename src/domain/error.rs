//! The one error type validation returns, so every caller can report the field at fault.

use thiserror::Error;

/// A value that breaks a domain rule, naming the field so a form or API answer can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The field (or dotted path) that is wrong, e.g. `slug` or `support_form.fields[2].key`.
    pub field: String,
    /// What is wrong with it, in words a user can act on.
    pub message: String,
}

impl ValidationError {
    /// Builds an error for `field` with a human-readable `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
