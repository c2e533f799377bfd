//! Persistence behind one trait, so the API never sees SQL and a PostgreSQL store can join the
//! SQLite one later. Every write and the change-log rows it causes commit in one transaction.

pub mod held;
pub mod inbound;
mod mail_compose;
pub mod postgres;
pub mod rate;
mod shared;
pub mod sqlite;
pub mod sweep;
pub mod table_copy;

pub use held::{one_transaction, settle};
pub use inbound::{
    InboundAction, InboundMail, MailOf, QuarantineRow, Received, Requester, Verdict,
};
pub use sqlite::FillFrom;

pub use crate::domain::wire::{
    MessageRow, OriginalMail, QueuedMail, RouteDecision, RuleRef, TicketRow,
};

use crate::domain::routing::RoutingInput;
use crate::domain::visibility::ReadScope;
use crate::domain::{
    Company, Contact, DomainInfo, Inbox, Message, PortalSettings, Priority, Role, RoutingRule,
    Source, Stage, Ticket, User, ValidationError,
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

/// Everything the API needs from persistence.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// A receiver of what each commit that appended changes changed.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<std::sync::Arc<Poke>>;
    /// A receiver of the token hashes of sessions as they are ended (sign-out), so an open
    /// event stream of that session can close.
    fn ended_sessions(&self) -> tokio::sync::broadcast::Receiver<String>;
    /// Counts one request under `key` against `limit`; `Ok(Err(seconds))` to wait when over
    /// it. Kept where every server on this store's data sees the same count.
    async fn count_request(&self, key: String, limit: rate::Limit) -> StoreResult<Result<(), u64>>;
    /// The portal settings, shared: nearly every request reads them, and a clone of the
    /// whole settings per request was a measurable part of a list request.
    async fn portal(&self) -> StoreResult<std::sync::Arc<PortalSettings>>;
    /// Replaces the settings if `expected_version` is current; validates against domains and inboxes.
    async fn update_portal(
        &self,
        next: PortalSettings,
        expected_version: i64,
    ) -> StoreResult<PortalSettings>;
    /// Connected domains.
    async fn domains(&self) -> StoreResult<Vec<DomainInfo>>;
    /// Connects a domain.
    async fn add_domain(&self, domain: DomainInfo) -> StoreResult<DomainInfo>;
    /// Removes a connected domain; refused for a system domain and for the one the portal is
    /// served on, checked in the same transaction as the removal.
    async fn remove_domain(&self, host: String) -> StoreResult<()>;

    /// Staff users.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Creates a staff user with a password hash.
    async fn add_user(
        &self,
        email: String,
        name: String,
        role: Role,
        password_hash: String,
    ) -> StoreResult<User>;
    /// Removes staff user `id` on behalf of `by`: the account stops being one (no sign-in,
    /// no session, in no list, inbox or rule) while its name stays on tickets; its open
    /// tickets become unassigned. Refuses the last admin ([`StoreError::LastAdmin`]).
    async fn remove_user(&self, id: i64, by: String) -> StoreResult<User>;
    /// Every contact, for staff lists and the sync snapshot.
    async fn contacts(&self) -> StoreResult<Vec<Contact>>;
    /// One contact.
    async fn contact(&self, id: i64) -> StoreResult<Contact>;
    /// Every company, for staff lists and the sync snapshot.
    async fn companies(&self) -> StoreResult<Vec<Company>>;
    /// Sets a contact's registration state (and password hash when registering).
    async fn set_registration(
        &self,
        contact_id: i64,
        state: crate::domain::Registration,
        password_hash: Option<String>,
    ) -> StoreResult<Contact>;
    /// Records a contact's acceptance of consent `version`.
    async fn accept_consent(&self, contact_id: i64, version: i64) -> StoreResult<Contact>;

    /// Credentials for sign-in, by email (staff first, then contacts).
    async fn credentials(&self, email: String) -> StoreResult<Option<Credentials>>;
    /// Until when sign-in to `email` is refused (unix seconds), if it is locked now.
    async fn sign_in_locked_until(&self, email: String) -> StoreResult<Option<i64>>;
    /// Records a failed sign-in to `email`, whether or not it is an account; locks it for
    /// `lock_seconds` at `max_failures`.
    async fn record_failed_sign_in(
        &self,
        email: String,
        max_failures: i64,
        lock_seconds: i64,
    ) -> StoreResult<()>;
    /// Clears the failure count (and lock) of `email`; whether there was one.
    async fn clear_failed_sign_ins(&self, email: String) -> StoreResult<bool>;
    /// Sets a new password hash and ends every other session of the account (those signed
    /// in with the old password), keeping `keep`.
    async fn change_password(
        &self,
        account: Account,
        password_hash: String,
        keep: String,
    ) -> StoreResult<()>;
    /// Ends every session of `account`.
    async fn delete_sessions_of(&self, account: Account) -> StoreResult<()>;
    /// Stores a session.
    async fn create_session(&self, token_hash: String, account: Account) -> StoreResult<()>;
    /// Resolves a session; returns the account and the last-seen time (unix seconds).
    async fn session(&self, token_hash: String) -> StoreResult<Option<(Account, i64)>>;
    /// [`Store::session`] and [`Store::portal`] in one call, as every signed-in request
    /// needs both first: a store that asks a database server each time asks it once.
    async fn session_and_portal(&self, token_hash: String) -> StoreResult<SessionAndPortal>;
    /// Marks a session used now.
    async fn touch_session(&self, token_hash: String) -> StoreResult<()>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: String) -> StoreResult<()>;
    /// Stores a one-time code (replacing an earlier one) valid until `expires_at`.
    async fn put_code(
        &self,
        email: String,
        purpose: CodePurpose,
        code_hash: String,
        expires_at: i64,
    ) -> StoreResult<()>;
    /// Consumes a code if it matches and is fresh; counts failed attempts (5 at most).
    async fn take_code(
        &self,
        email: String,
        purpose: CodePurpose,
        code_hash: String,
    ) -> StoreResult<bool>;

    /// Every inbox, for routing and staff lists.
    async fn inboxes(&self) -> StoreResult<Vec<Inbox>>;
    /// Creates an inbox (id ignored).
    async fn create_inbox(&self, inbox: Inbox) -> StoreResult<Inbox>;
    /// Replaces an inbox.
    async fn update_inbox(&self, inbox: Inbox) -> StoreResult<Inbox>;
    /// Deletes an inbox, refusing the default inbox and one holding open tickets.
    async fn delete_inbox(&self, id: i64) -> StoreResult<()>;
    /// Open (not closed) tickets per owner.
    async fn open_counts(&self) -> StoreResult<Vec<(i64, i64)>>;
    /// Open and unassigned tickets per inbox: `(inbox, open, unassigned)`.
    async fn inbox_counts(&self) -> StoreResult<Vec<(i64, i64, i64)>>;
    /// Routing rules in order.
    async fn rules(&self) -> StoreResult<Vec<RoutingRule>>;
    /// Creates a rule at the end (or at its position).
    async fn create_rule(&self, rule: RoutingRule) -> StoreResult<RoutingRule>;
    /// Replaces a rule; moving it renumbers the others.
    async fn update_rule(&self, rule: RoutingRule) -> StoreResult<RoutingRule>;
    /// Deletes a rule.
    async fn delete_rule(&self, id: i64) -> StoreResult<()>;
    /// What routing would do with a draft, without writing (rules override the saved ones).
    async fn test_route(
        &self,
        draft: RoutingInput,
        rules: Option<Vec<RoutingRule>>,
    ) -> StoreResult<RouteDecision>;

    /// A page of tickets in `scope`, newest first (a contact's scope reads as a customer).
    async fn tickets(&self, scope: ReadScope, query: TicketQuery) -> StoreResult<Vec<TicketRow>>;
    /// One ticket, as `reader` sees its version.
    async fn ticket(&self, id: i64, reader: Reader) -> StoreResult<TicketRow>;
    /// Messages of a ticket, oldest first.
    async fn messages(&self, ticket_id: i64) -> StoreResult<Vec<MessageRow>>;
    /// Creates a ticket, routed by the rules and assigned by the inbox's method.
    async fn create_ticket(&self, ticket: NewTicket) -> StoreResult<(TicketRow, RouteDecision)>;
    /// Changes a ticket if `expected_version` (when given) is its current version as
    /// `reader` sees it; returns it as `reader` sees it. `by` is the display name of who
    /// changes it, kept as the ticket's last author.
    async fn update_ticket(
        &self,
        id: i64,
        change: TicketChange,
        reader: Reader,
        expected_version: Option<i64>,
        by: String,
    ) -> StoreResult<TicketRow>;
    /// Appends a message; a customer's reply moves the stage to waiting on us, a staff reply
    /// to waiting on contact.
    async fn add_message(
        &self,
        ticket_id: i64,
        author: crate::domain::ticket::AuthorKind,
        author_id: i64,
        body: String,
        internal: bool,
    ) -> StoreResult<MessageRow>;

    /// Change rows after `after_seq`, at most `limit`.
    async fn changes(&self, after_seq: i64, limit: usize) -> StoreResult<Vec<ChangeRow>>;
    /// The latest sequence number.
    async fn current_seq(&self) -> StoreResult<i64>;
    /// Tickets in `scope` with id above `after_id`, by id, at most `limit` (a contact's scope
    /// reads as a customer).
    async fn tickets_by_id(
        &self,
        scope: ReadScope,
        after_id: i64,
        limit: usize,
    ) -> StoreResult<Vec<TicketRow>>;
    /// Tickets by id list (missing ids skipped), as `reader` sees their versions.
    async fn tickets_in(&self, ids: Vec<i64>, reader: Reader) -> StoreResult<Vec<TicketRow>>;

    /// Where an answer built from what a request reads from now on must be kept from:
    /// taken before the request reads anything its answer depends on (its session and the
    /// portal settings included), so an answer built from reads that a commit overtook is
    /// never kept.
    fn answer_stamp(&self) -> FillFrom;
    /// A whole serialised answer kept under `key` by [`Store::keep_answer`], if nothing was
    /// committed since (by this server or any other process). Serving a repeated list page
    /// this way skips its query and its JSON, most of the request's cost. The key must name
    /// every input of the answer that is not store state (caller, parameters). Never served
    /// inside a request's open transaction.
    fn cached_answer(&self, key: &str) -> Option<axum::body::Bytes>;
    /// Keeps an answer built from reads made after `from` was taken (see
    /// [`Store::answer_stamp`]), unless anything was committed since. Only successful
    /// answers belong here.
    fn keep_answer(&self, from: FillFrom, key: String, body: axum::body::Bytes);

    /// A stored idempotent answer.
    async fn idempotent(&self, scope: String, key: String) -> StoreResult<Option<StoredResponse>>;
    /// Stores an idempotent answer.
    async fn put_idempotent(
        &self,
        scope: String,
        key: String,
        response: StoredResponse,
    ) -> StoreResult<()>;

    /// Claims an idempotency key (`scope:key`) for the rest of the current request (inside
    /// [`one_transaction`]) on every server sharing this store; false when another request
    /// holds it. The SQLite store is one process's, whose own claims
    /// (`AppState::in_flight`) already cover it: it always says yes.
    async fn claim_idempotency_key(&self, name: String) -> StoreResult<bool>;

    /// The key one-time codes are hashed with, the same for every server on this store.
    async fn code_key(
        &self,
    ) -> Result<crate::server::security::CodeKey, crate::server::security::CodeKeyError>;

    /// Deletes sessions idle longer than `idle_secs` and stored idempotent answers older than
    /// `answer_secs`, so neither table grows without end; returns how many of each went.
    async fn sweep(&self, idle_secs: i64, answer_secs: i64) -> StoreResult<(usize, usize)>;

    /// Whether the database answers now: `/healthz` asks, so that a load balancer takes an
    /// instance whose database is gone out of rotation. Reads the database itself (no pooled
    /// state that could still look fine), within a few seconds.
    async fn check_database(&self) -> StoreResult<()>;

    /// Whether the store holds nothing yet: no staff and no domains (a fresh data dir).
    async fn is_empty(&self) -> StoreResult<bool>;
    /// Loads a whole data set into an empty store in one transaction, keeping its ids.
    async fn import(&self, batch: ImportBatch) -> StoreResult<()>;

    /// The newest `limit` mails of the queue, newest first. Mails are queued by the writes
    /// that cause them (a new ticket, a staff reply, closing, assigning), in their
    /// transaction.
    async fn mail_queue(&self, limit: usize) -> StoreResult<Vec<QueuedMail>>;
    /// When the next queued mail is due (unix seconds), so the sender can sleep until then
    /// without writing while there is nothing to send.
    async fn mail_due_at(&self) -> StoreResult<Option<i64>>;
    /// Marks the next mail due at `now` as being sent (counting the try) and returns it.
    async fn claim_mail(&self, now: i64) -> StoreResult<Option<QueuedMail>>;
    /// Records how sending a claimed mail went.
    async fn settle_mail(&self, id: i64, outcome: MailOutcome) -> StoreResult<()>;
    /// At start: queues again each mail a stopped server was sending, and makes every queued
    /// mail due now; returns how many were interrupted mid-send.
    async fn resume_mail(&self, now: i64) -> StoreResult<usize>;
    /// Queues a failed mail again for a try at `now` (refused for one already sent).
    async fn retry_mail(&self, id: i64, now: i64) -> StoreResult<QueuedMail>;

    /// The contact with this (lower-case) address, if any.
    async fn contact_by_email(&self, email: String) -> StoreResult<Option<Contact>>;
    /// The ticket of a queued mail with one of these Message-IDs (the first that names one),
    /// so a reply is threaded by its `In-Reply-To` and `References`.
    async fn ticket_of_mail(&self, message_ids: Vec<String>) -> StoreResult<Option<i64>>;
    /// Takes a received mail in one transaction: records it, unless one with its
    /// Message-ID was received before ([`Received::Duplicate`]), and carries out its action.
    async fn receive_mail(&self, mail: InboundMail) -> StoreResult<Received>;
    /// The received mail of a ticket that `which` names, as it arrived; `None` when that
    /// part of the ticket did not come by mail.
    async fn stored_mail(&self, ticket_id: i64, which: MailOf)
    -> StoreResult<Option<OriginalMail>>;
    /// This server's turn at the mailbox it polls (`serve --imap`): `None` while another
    /// server on the same store holds it, so one server at a time takes mail from it.
    async fn mailbox_turn(&self) -> StoreResult<Option<MailboxTurn>>;
    /// The oldest `limit` mails waiting in the quarantine, oldest first.
    async fn quarantine(&self, limit: usize) -> StoreResult<Vec<QuarantineRow>>;
    /// One mail waiting in the quarantine (`NotFound` when none waits under `id`).
    async fn quarantined(&self, id: i64) -> StoreResult<QuarantineRow>;
    /// Carries out an admin's verdict on a quarantined mail in one transaction, and records
    /// what became of it; `NotFound` when no mail waits under `id` (an admin decided first).
    async fn decide_quarantined(&self, id: i64, verdict: Verdict) -> StoreResult<Received>;
}

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
