//! deskport: a terminal help desk and customer portal. One crate holds the pure domain, the
//! portal API server, the client (API, cache, sync, outbox) and the terminal UI; `main.rs`
//! wires them into one binary.

pub mod client;
pub mod domain;
pub mod server;
pub mod tui;
