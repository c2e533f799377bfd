//! The writes a user can make, as the outbox records them: each is persisted before it is
//! shown, carries its own idempotency key, and is replayed in order until the server answers.

use super::language;
use crate::domain::i18n::{self, Arg};
use crate::domain::portal::PortalPatch;
use crate::domain::wire::{
    BulkRequest, CcsInput, InboxInput, InboxPatch, MessageInput, RuleInput, RulePatch,
    SavedReplyInput, SavedReplyPatch, StaffTicketPatch, TicketInput,
};
use serde::{Deserialize, Serialize};

/// Position of a write in the outbox (increasing in submission order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WriteId(pub i64);

impl std::fmt::Display for WriteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One change the user asked for. Stored in the outbox as JSON tagged by `op` (not `kind`,
/// which an inbox's own fields use); cache schema 3 moved older rows from `kind` to `op`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Write {
    /// Staff: change a ticket's fields; sent with `If-Match: "<base_version>"`.
    PatchTicket {
        /// Ticket id.
        id: i64,
        /// The version the user saw when editing.
        base_version: i64,
        /// The change.
        patch: StaffTicketPatch,
    },
    /// Customers: close (`true`) or reopen (`false`) a ticket; sent with `If-Match`.
    SetClosed {
        /// Ticket id.
        id: i64,
        /// The version the user saw.
        base_version: i64,
        /// Close or reopen.
        closed: bool,
    },
    /// Staff: replace the contacts copied on a ticket; sent with `If-Match` like a patch.
    SetCcs {
        /// Ticket id.
        id: i64,
        /// The version the user saw when choosing.
        base_version: i64,
        /// The whole new list.
        ccs: CcsInput,
    },
    /// A reply, or (staff) an internal note. Append-only: never conflicts.
    Message {
        /// Ticket id.
        ticket_id: i64,
        /// Body and internal flag.
        input: MessageInput,
    },
    /// A new ticket: customers through the support form, staff for a contact.
    CreateTicket(TicketInput),
    /// Staff: the same change to many tickets (no version check).
    Bulk(BulkRequest),
    /// Admins: change portal settings; sent with `If-Match`.
    PatchPortal {
        /// The settings version the admin saw.
        base_version: i64,
        /// The change.
        patch: PortalPatch,
    },
    /// Admins: a new inbox.
    CreateInbox(InboxInput),
    /// Admins: change an inbox.
    PatchInbox {
        /// Inbox id.
        id: i64,
        /// The change.
        patch: InboxPatch,
    },
    /// Admins: delete an inbox.
    DeleteInbox {
        /// Inbox id.
        id: i64,
    },
    /// Admins: a new routing rule.
    CreateRule(RuleInput),
    /// Admins: change a routing rule.
    PatchRule {
        /// Rule id.
        id: i64,
        /// The change.
        patch: RulePatch,
    },
    /// Admins: delete a routing rule.
    DeleteRule {
        /// Rule id.
        id: i64,
    },
    /// Staff: save a reply (shared: admins only).
    CreateSavedReply(SavedReplyInput),
    /// Staff: change, share or unshare a saved reply.
    PatchSavedReply {
        /// Saved reply id.
        id: i64,
        /// The change.
        patch: SavedReplyPatch,
    },
    /// Staff: delete a saved reply.
    DeleteSavedReply {
        /// Saved reply id.
        id: i64,
    },
}

impl Write {
    /// The ticket this write changes, if it changes exactly one existing ticket.
    pub fn ticket_id(&self) -> Option<i64> {
        match self {
            Write::PatchTicket { id, .. }
            | Write::SetClosed { id, .. }
            | Write::SetCcs { id, .. } => Some(*id),
            Write::Message { ticket_id, .. } => Some(*ticket_id),
            _ => None,
        }
    }

    /// Whether the write is checked against a version (and so may conflict).
    pub fn is_versioned(&self) -> bool {
        matches!(
            self,
            Write::PatchTicket { .. }
                | Write::SetClosed { .. }
                | Write::SetCcs { .. }
                | Write::PatchPortal { .. }
        )
    }

    /// A short description for status lines, e.g. `reply on #42`.
    pub fn describe(&self) -> String {
        let say = |id: &str, ticket: i64| {
            i18n::format(language::current(), id, &[("id", Arg::Number(ticket))])
        };
        match self {
            Write::PatchTicket { id, .. } => say("write-change", *id),
            Write::SetClosed {
                id, closed: true, ..
            } => say("write-closing", *id),
            Write::SetClosed {
                id, closed: false, ..
            } => say("write-reopening", *id),
            Write::SetCcs { id, .. } => format!("CCs of ticket #{id}"),
            Write::Message { ticket_id, input } if input.internal => say("write-note", *ticket_id),
            Write::Message { ticket_id, .. } => say("write-reply", *ticket_id),
            Write::CreateTicket(_) => i18n::text(language::current(), "write-new-ticket"),
            Write::Bulk(b) => format!("bulk change of {} tickets", b.ids.len()),
            Write::PatchPortal { .. } => "portal settings".into(),
            Write::CreateInbox(i) => format!("new inbox {}", i.name),
            Write::PatchInbox { id, .. } => format!("change to inbox {id}"),
            Write::DeleteInbox { id } => format!("deleting inbox {id}"),
            Write::CreateRule(r) => format!("new rule {}", r.name),
            Write::PatchRule { id, .. } => format!("change to rule {id}"),
            Write::DeleteRule { id } => format!("deleting rule {id}"),
            Write::CreateSavedReply(r) => format!("new saved reply {}", r.title),
            Write::PatchSavedReply { id, .. } => format!("change to saved reply {id}"),
            Write::DeleteSavedReply { id } => format!("deleting saved reply {id}"),
        }
    }
}

/// Where a write stands.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboxState {
    /// Waiting to be sent (or being retried after a network or server failure).
    Pending,
    /// The server has a newer version: the user decides (see [`crate::client::Resolution`]).
    Conflict(ConflictInfo),
    /// The server refused it (a 4xx other than a conflict); it will not be retried.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
}

/// What a conflicting write ran into.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictInfo {
    /// The server's message.
    pub message: String,
    /// The version now on the server, when the client could read it.
    pub server_version: Option<i64>,
}

/// A write in the outbox, with its state.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    /// Its position.
    pub id: WriteId,
    /// The change.
    pub write: Write,
    /// Where it stands.
    pub state: OutboxState,
    /// Sent as `Idempotency-Key`, the same on every attempt.
    pub idempotency_key: String,
    /// When the user made it (RFC 3339).
    pub created_at: String,
    /// Failed attempts so far (network or server errors).
    pub attempts: u32,
}

impl OutboxEntry {
    /// Still to be sent.
    pub fn is_pending(&self) -> bool {
        self.state == OutboxState::Pending
    }
}

/// How the user settles a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Drop my change; the server's version stands.
    KeepTheirs,
    /// Send my change again over the server's current version.
    ApplyMine,
}
