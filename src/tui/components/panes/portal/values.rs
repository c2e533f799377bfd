//! The small conversions both the row builders (`fields.rs`) and the per-section rows
//! (`sections.rs`) use: a row from its parts, a choice's option, and settings values to and
//! from the wire names the rows hold.

use super::form::{Field, FieldId, Value};
use crate::tui::components::widgets::list::wire_name;

/// The wire name of `value`, e.g. `contact_filter`.
pub fn wire<T: serde::Serialize>(value: &T) -> String {
    wire_name(value).replace(' ', "_")
}

/// A choice's option: its wire value and the label shown.
pub fn opt(value: &str, label: &str) -> (String, String) {
    (value.to_string(), label.to_string())
}

/// A row.
pub fn field(id: FieldId, label: impl Into<String>, value: Value) -> Field {
    Field::new(id, label, value)
}

/// Reads a wire name back into its value.
pub fn parse<T: serde::de::DeserializeOwned>(wire: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(wire.to_string())).ok()
}

/// The non-empty items of a comma-separated list, trimmed.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}
