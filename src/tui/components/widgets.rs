//! The pieces panes and popups draw with: the list cursor and pane frame, the one-line text
//! input, the tab bar and the status bar.

pub mod input;
pub mod list;
pub mod status_bar;
pub mod tabs;
