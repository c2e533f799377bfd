//! The panes: each tab of the main screen, and the screens before it (sign-in, consent).
//! A pane is a [`super::Component`]; what opens over it lives in its own folder (the Tickets
//! pane's popups, composer and form are its layers, `tickets/layers.rs`).

pub mod account;
pub mod consent;
pub mod portal;
pub mod routing;
pub mod signin;
pub mod tickets;
