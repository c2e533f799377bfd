//! The API's request and response bodies, shared by the server (which produces them) and the
//! client (which consumes them), so the two sides cannot disagree on a shape.

pub mod account;
pub mod audience;
pub mod auth;
pub mod mail;
pub mod portal;
pub mod routing;
pub mod saved_replies;
pub mod sync;
pub mod ticket_list;
pub mod tickets;

pub use account::*;
pub use audience::*;
pub use auth::*;
pub use mail::*;
pub use portal::*;
pub use routing::*;
pub use saved_replies::*;
pub use sync::*;
pub use ticket_list::*;
pub use tickets::*;
