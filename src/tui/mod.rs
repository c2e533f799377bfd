//! PLACEHOLDER (owned by the TUI helper): the terminal app.
