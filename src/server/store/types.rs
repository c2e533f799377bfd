//! The values the [`Store`](super::Store) trait takes and gives: its error, accounts and
//! sessions, ticket queries and changes, change-log rows and pokes, mail outcomes and the
//! import batch.

use crate::domain::visibility::ReadScope;
use crate::domain::{
    Company, Contact, DomainInfo, Inbox, Message, PortalSettings, Priority, RoutingRule, Source,
    Stage, Ticket, User, ValidationError,
};
use std::collections::BTreeMap;
use thiserror::Error;

/// Why a store call failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No such row.
    #[error("not found")]
    NotFound,
    /// The caller's `If-Match` version is stale; carries the current version.
    #[error("version conflict: current version is {0}")]
    Conflict(i64),
    /// A unique value is already taken (e.g. an email).
    #[error("{0}")]
    Duplicate(String),
    /// Removing this staff user would leave the portal without an admin, and nobody could
    /// change its settings any more.
    #[error("this is the last admin; add another admin first (deskport staff add --role admin)")]
    LastAdmin,
    /// The change breaks a domain rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The database failed.
    #[error("database error: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Database(format!("stored JSON is unreadable: {e}"))
    }
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// A signed-in account as the session table resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// A staff user (agent or admin).
    User(User),
    /// A contact.
    Contact(Contact),
}

impl Account {
    /// Which table and id the account is: users and contacts number their ids separately, so
    /// the id alone does not name an account.
    pub fn key(&self) -> (&'static str, i64) {
        match self {
            Account::User(u) => ("user", u.id),
            Account::Contact(c) => ("contact", c.id),
        }
    }

    /// The address the account signs in with (lockout and rate limits count by it).
    pub fn email(&self) -> &str {
        match self {
            Account::User(u) => &u.email,
            Account::Contact(c) => &c.email,
        }
    }
}

/// A checked SSH public key to register (see `api::ssh_keys`).
#[derive(Debug, Clone)]
pub struct NewSshKey {
    /// The key as one OpenSSH line, its type and base64 body (the comment is kept apart).
    pub public_key: String,
    /// `SHA256:…`, unique across every account.
    pub fingerprint: String,
    /// The line's comment, possibly empty.
    pub comment: String,
}

/// A stored password and lockout state, for sign-in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub account: Account,
    /// PHC string, if a password was set.
    pub password_hash: Option<String>,
}

/// The longest a session lives, however often it is used (30 days): a stolen token stops
/// working at the latest then, even when the portal's idle timeout never ends it.
pub const SESSION_LIFETIME_SECS: i64 = 30 * 24 * 60 * 60;

/// Filters of a ticket list.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    /// Words that must all appear in the subject, requester or company (case-insensitive).
    pub text: Option<String>,
    /// Only this stage.
    pub stage: Option<Stage>,
    /// `Some(Some(id))` owned by id, `Some(None)` unassigned.
    pub owner: Option<Option<i64>>,
    /// Only this inbox.
    pub inbox: Option<i64>,
    /// Hide closed tickets (customers, when the portal says so).
    pub hide_closed: bool,
    /// Page size.
    pub limit: usize,
    /// Tickets with an id below this one (newest first).
    pub before_id: Option<i64>,
}

/// A new ticket before routing.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub category: String,
    /// Priority (before any rule changes it).
    pub priority: Priority,
    /// The contact the ticket is for.
    pub contact_id: i64,
    pub source: Source,
    /// Form values.
    pub form_fields: BTreeMap<String, String>,
    pub tags: Vec<String>,
    /// Staff may place the ticket directly; otherwise rules decide.
    pub inbox_id: Option<i64>,
    /// Staff may assign directly.
    pub owner_id: Option<i64>,
}

/// A change to a ticket's fields. `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChange {
    /// New subject.
    pub subject: Option<String>,
    /// New stage.
    pub stage: Option<Stage>,
    /// New priority.
    pub priority: Option<Priority>,
    /// New category.
    pub category: Option<String>,
    /// New owner; `Some(None)` unassigns.
    pub owner_id: Option<Option<i64>>,
    /// New inbox.
    pub inbox_id: Option<i64>,
    /// New tags.
    pub tags: Option<Vec<String>>,
    /// The contacts to copy on the ticket instead of its CCs now (other contacts of the
    /// ticket's company only).
    pub ccs: Option<Vec<i64>>,
}

/// One row of the change log, as the sync feed reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    /// Position in the one change sequence.
    pub seq: i64,
    /// `ticket`, `portal`, `inbox`, `rule`, `domain`, `user`, `contact`, `company`.
    pub entity: String,
    /// The entity's id (0 for the portal).
    pub entity_id: i64,
    /// `upsert` or `delete`.
    pub op: String,
    /// Ticket scope before the change (tickets only).
    pub before: Option<crate::domain::visibility::TicketScope>,
    /// Only staff can see the change (an internal note, a reassignment): customers' feeds
    /// skip it.
    pub staff_only: bool,
}

/// Whose view of a ticket a read returns. Customers read its public version and update time,
/// which only changes they can see move: a note or a reassignment must not show them that
/// something happened (by a new `ETag`, a newer `updated_at` or a conflict on `If-Match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Every change counts.
    Staff,
    /// Only changes customers can see count.
    Customer,
}

impl Reader {
    /// The reader `viewer` is.
    pub fn of(viewer: &crate::domain::Viewer) -> Self {
        if viewer.is_staff() {
            Reader::Staff
        } else {
            Reader::Customer
        }
    }
}

impl From<ReadScope> for Reader {
    fn from(scope: ReadScope) -> Self {
        match scope {
            ReadScope::All => Reader::Staff,
            ReadScope::Contact { .. } => Reader::Customer,
        }
    }
}

/// What one commit changed, as `/events` streams need it to decide whom to wake: a
/// customer's stream wakes only for changes in their scope that they can see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Poke {
    /// The change sequence after the commit.
    pub seq: i64,
    /// Each changed entity.
    pub touched: Vec<Touched>,
}

/// One entity a commit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// A ticket: whose it is now and was before (`None` when it did not exist), and whether
    /// only staff can see the change.
    Ticket {
        /// Its scope after the commit.
        now: Option<crate::domain::visibility::TicketScope>,
        /// Its scope before the commit.
        before: Option<crate::domain::visibility::TicketScope>,
        /// Only staff can see the change.
        staff_only: bool,
    },
    /// The portal settings, which every account reads.
    Portal,
    /// A contact's own record.
    Contact(i64),
    /// A list only staff read (users, companies, inboxes, rules, domains).
    StaffList,
    /// What changed could not be read: every stream wakes, so nobody misses a change.
    Unknown,
}

/// An issued one-time code's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// Password-less sign-in.
    Login,
    /// Completing registration.
    Register,
}

impl CodePurpose {
    /// Storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Login => "login",
            CodePurpose::Register => "register",
        }
    }
}

/// A stored answer to an idempotent write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// Hash of the request it answered, to spot a key reused for another request.
    pub request_hash: String,
    /// HTTP status.
    pub status: u16,
    /// `ETag` header, if any.
    pub etag: Option<String>,
    pub body: Vec<u8>,
}

/// A session (its account and last-seen time, `None` when unknown or expired) and the
/// portal settings: what every signed-in request reads first.
pub type SessionAndPortal = (Option<(Account, i64)>, std::sync::Arc<PortalSettings>);

/// Held while this server polls the mailbox; dropping it gives the turn up (on PostgreSQL it
/// holds the connection whose session advisory lock is the turn, and closing that connection
/// releases the lock even when the poll was cut short).
pub struct MailboxTurn {
    _held: Option<Box<dyn Send>>,
}

impl MailboxTurn {
    /// A turn that needs nothing held: the store has one server.
    pub fn alone() -> Self {
        MailboxTurn { _held: None }
    }

    /// A turn that lasts as long as `held` lives.
    pub fn holding(held: impl Send + 'static) -> Self {
        MailboxTurn {
            _held: Some(Box::new(held)),
        }
    }
}

/// How one try to send a queued mail went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    /// The mail server took it.
    Sent,
    /// It failed for now (server down, a temporary refusal): try again at `at` (unix seconds).
    Retry {
        /// The mail server's answer, or why it could not be reached.
        error: String,
        /// When to try again.
        at: i64,
    },
    /// It will not be sent: refused for good, or out of tries.
    Failed {
        /// The mail server's answer.
        error: String,
    },
}

/// A whole data set with ids already assigned (the demo portal, or data moved in).
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    /// Portal settings.
    pub portal: Option<PortalSettings>,
    pub domains: Vec<DomainInfo>,
    /// Staff with password hashes.
    pub users: Vec<(User, String)>,
    /// Every company, for staff lists and the sync snapshot.
    pub companies: Vec<Company>,
    /// Contacts with password hashes for registered ones.
    pub contacts: Vec<(Contact, Option<String>)>,
    /// Every inbox, for routing and staff lists.
    pub inboxes: Vec<Inbox>,
    /// Routing rules.
    pub rules: Vec<RoutingRule>,
    pub tickets: Vec<Ticket>,
    pub messages: Vec<Message>,
}
