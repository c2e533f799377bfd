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
mod types;

pub use held::{one_transaction, settle};
pub use inbound::{
    InboundAction, InboundMail, MailOf, QuarantineRow, Received, Requester, Verdict,
};
pub use sqlite::FillFrom;
pub use types::{
    Account, ChangeRow, CodePurpose, Credentials, ImportBatch, MailOutcome, MailboxTurn, NewSshKey,
    NewTicket, Poke, Reader, SESSION_LIFETIME_SECS, SessionAndPortal, StoreError, StoreResult,
    StoredResponse, TicketChange, TicketQuery, Touched,
};

pub use crate::domain::wire::{
    MessageRow, OriginalMail, QueuedMail, RouteDecision, RuleRef, SshKeyOut, TicketRow,
};

use crate::domain::routing::RoutingInput;
use crate::domain::visibility::ReadScope;
use crate::domain::{
    Company, Contact, DomainInfo, Inbox, PortalSettings, Role, RoutingRule, SavedReply, User,
};

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
    /// The language tag `account` chose for the app; `None` is automatic.
    async fn account_language(&self, account: Account) -> StoreResult<Option<String>>;
    /// Keeps `language` (a shipped tag, checked by the caller; `None`: automatic) as
    /// `account`'s choice.
    async fn set_account_language(
        &self,
        account: Account,
        language: Option<String>,
    ) -> StoreResult<()>;
    /// `account`'s registered SSH public keys, oldest first.
    async fn ssh_keys(&self, account: Account) -> StoreResult<Vec<SshKeyOut>>;
    /// Registers `key` to `account`: [`StoreError::Duplicate`] when its fingerprint is
    /// registered already (to anyone), [`StoreError::Invalid`] when the account has `cap`.
    async fn add_ssh_key(
        &self,
        account: Account,
        key: NewSshKey,
        cap: usize,
    ) -> StoreResult<SshKeyOut>;
    /// Removes `account`'s key `id`; [`StoreError::NotFound`] when it has none by that id.
    async fn delete_ssh_key(&self, account: Account, id: i64) -> StoreResult<()>;
    /// The account a key with SHA-256 `fingerprint` signs in (never a removed one).
    async fn account_by_ssh_key(&self, fingerprint: String) -> StoreResult<Option<Account>>;
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
    /// The saved replies `user_id` may use: the shared ones and their own, by title.
    async fn saved_replies(&self, user_id: i64) -> StoreResult<Vec<SavedReply>>;
    /// One saved reply, whoever owns it (the API decides who may see it).
    async fn saved_reply(&self, id: i64) -> StoreResult<SavedReply>;
    /// Stores a new saved reply (validated); returns it with its id.
    async fn create_saved_reply(&self, reply: SavedReply) -> StoreResult<SavedReply>;
    /// Replaces a saved reply (validated).
    async fn update_saved_reply(&self, reply: SavedReply) -> StoreResult<SavedReply>;
    /// Deletes a saved reply.
    async fn delete_saved_reply(&self, id: i64) -> StoreResult<()>;
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
