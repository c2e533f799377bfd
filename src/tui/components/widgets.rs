//! The pieces panes and popups draw with: the list cursor and pane frame, the one-line text
//! input, the form (fields, focus, typing, problems, edits to lose), the tab bar, the status
//! bar, scrolled read-only text and the shared text helpers (wrapping, aligned rows, keys as help shows them).

pub mod form;
pub mod input;
pub mod list;
pub mod scrolled;
pub mod status_bar;
pub mod tabs;
pub mod text;
