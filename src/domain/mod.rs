//! Pure types and rules shared by the server, the client and the TUI.
//!
//! Nothing in here does I/O or depends on another module of ours, so every rule
//! (validation, visibility, routing) can be unit-tested in isolation and used the
//! same way on both sides of the wire.

pub mod error;
pub mod i18n;
pub mod mail;
pub mod people;
pub mod portal;
pub mod routing;
pub mod saved_reply;
pub mod text;
pub mod ticket;
pub mod visibility;
pub mod wire;

pub use error::ValidationError;
pub use people::{Company, Contact, Registration, Role, User, Viewer};
pub use portal::{
    Access, AccessMode, Consent, DomainInfo, FieldKind, FormField, PermissionMode, PortalSettings,
    SupportForm, TicketPermission, TicketView,
};
pub use routing::{
    Assignment, Condition, ConditionField, ConditionOp, Inbox, InboxKind, RoutingRule,
};
pub use saved_reply::SavedReply;
pub use ticket::{Message, Priority, Source, Stage, Ticket};
