//! Removing a condition removes exactly the one under the cursor, whatever its neighbours hold.

use super::{CONDITIONS, RuleEditor, condition_labels};
use crate::tui::components::panes::routing::tests::empty_admin_view;
use crate::tui::components::widgets::form::Field;

/// The value texts of the editor's conditions, in order.
fn values(editor: &RuleEditor) -> Vec<String> {
    (0..editor.condition_count())
        .map(|i| editor.form.text(CONDITIONS + i * 3 + 2).to_string())
        .collect()
}

/// A new rule's editor holding one condition per value in `texts`.
fn editor_with(texts: &[&str]) -> RuleEditor {
    let mut editor = RuleEditor::new(None, &empty_admin_view());
    for _ in 1..texts.len() {
        editor.add_condition();
    }
    for (i, text) in texts.iter().enumerate() {
        let at = CONDITIONS + i * 3 + 2;
        let label = editor.form.fields[at].label.clone();
        editor.form.fields[at] = Field::text(label, text);
    }
    editor
}

#[test]
fn two_new_conditions_then_one_removal_leaves_two() {
    let mut editor = RuleEditor::new(None, &empty_admin_view());
    editor.add_condition();
    editor.add_condition();
    assert_eq!(editor.condition_count(), 3);
    assert!(editor.remove_condition());
    assert_eq!(editor.condition_count(), 2);
    assert!(editor.on_condition(), "the cursor stays on a condition");
}

#[test]
fn removal_takes_only_the_condition_under_the_cursor() {
    let too_long = "x".repeat(201);
    let kinds = ["", too_long.as_str(), "refund"];
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let texts: Vec<&str> = order.iter().map(|&k| kinds[k]).collect();
        for cursor in 0..3 {
            for part in 0..3 {
                let mut editor = editor_with(&texts);
                editor.form.focus = CONDITIONS + cursor * 3 + part;
                assert!(editor.remove_condition());
                let mut expected: Vec<String> = texts.iter().map(ToString::to_string).collect();
                expected.remove(cursor);
                assert_eq!(values(&editor), expected, "{order:?}, cursor on #{cursor}");
                let labels: Vec<&str> = editor.form.fields[CONDITIONS..]
                    .iter()
                    .map(|f| f.label.as_str())
                    .collect();
                let numbered: Vec<String> = (1..=2).flat_map(condition_labels).collect();
                assert_eq!(labels, numbered, "the rest are numbered again");
                assert_eq!(
                    editor.form.focus,
                    CONDITIONS + cursor.min(1) * 3,
                    "on the next condition, else the one before"
                );
            }
        }
    }
}

#[test]
fn the_last_condition_can_go_and_the_name_fields_stay() {
    let mut editor = editor_with(&["refund"]);
    editor.form.focus = CONDITIONS;
    assert!(editor.remove_condition());
    assert_eq!(editor.condition_count(), 0);
    assert_eq!(editor.form.fields.len(), CONDITIONS);
    assert!(
        !editor.remove_condition(),
        "no condition under the cursor any more"
    );
}
