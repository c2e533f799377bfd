//! [`Store`] for [`PostgresStore`]: each call a read on a pooled connection or one write
//! transaction (or both inside the request's held transaction). Nothing read is kept between
//! requests: another server may commit at any time, so kept answers and memos are off.

use super::{
    Conn, PostgresStore, account_prefs, auth, caller, changes, config, import, mail_queue, people,
    pg_read, pg_write, saved_replies, staff_removal, tickets,
};
use crate::domain::routing::RoutingInput;
use crate::domain::ticket::AuthorKind;
use crate::domain::visibility::ReadScope;
use crate::domain::wire::{OriginalMail, QueuedMail};
use crate::domain::{
    Company, Contact, DomainInfo, Inbox, PortalSettings, Registration, Role, RoutingRule,
    SavedReply, User,
};
use crate::server::security::{CodeKey, CodeKeyError};
use crate::server::store::{
    Account, ChangeRow, CodePurpose, Credentials, FillFrom, ImportBatch, InboundMail, MailOf,
    MailOutcome, MailboxTurn, MessageRow, NewSshKey, NewTicket, Poke, QuarantineRow, Reader,
    Received, RouteDecision, SessionAndPortal, SshKeyOut, Store, StoreResult, StoredResponse,
    TicketChange, TicketQuery, TicketRow, Verdict,
};
use axum::body::Bytes;
use std::sync::Arc;

#[async_trait::async_trait]
impl Store for PostgresStore {
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Poke>> {
        self.announcer.subscribe()
    }
    fn ended_sessions(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.ended.subscribe()
    }
    async fn count_request(
        &self,
        key: String,
        limit: crate::server::store::rate::Limit,
    ) -> StoreResult<Result<(), u64>> {
        // Outside any request transaction and the write lock: a counter is its own statement.
        let conn = self.pool.get().await?;
        super::rate::count(&conn, &key, limit).await
    }
    async fn portal(&self) -> StoreResult<Arc<PortalSettings>> {
        pg_read!(self, |c| config::portal(c)).map(Arc::new)
    }
    async fn update_portal(
        &self,
        next: PortalSettings,
        expected_version: i64,
    ) -> StoreResult<PortalSettings> {
        pg_write!(self, |c| config::save_portal(c, &next, expected_version))?;
        Ok(next)
    }
    async fn domains(&self) -> StoreResult<Vec<DomainInfo>> {
        pg_read!(self, |c| config::domains(c))
    }
    async fn add_domain(&self, domain: DomainInfo) -> StoreResult<DomainInfo> {
        pg_write!(self, |c| config::add_domain(c, &domain))?;
        Ok(domain)
    }
    async fn remove_domain(&self, host: String) -> StoreResult<()> {
        pg_write!(self, |c| config::remove_domain(c, &host))
    }
    async fn users(&self) -> StoreResult<Vec<User>> {
        pg_read!(self, |c| people::users(c))
    }
    async fn add_user(
        &self,
        email: String,
        name: String,
        role: Role,
        password_hash: String,
    ) -> StoreResult<User> {
        pg_write!(self, |c| people::add_user(
            c,
            &email,
            &name,
            role,
            &password_hash
        ))
    }
    async fn remove_user(&self, id: i64, by: String) -> StoreResult<User> {
        let (user, ended) = pg_write!(self, |c| staff_removal::remove_user(c, id, &by))?;
        self.announce_ended(ended);
        Ok(user)
    }
    async fn contacts(&self) -> StoreResult<Vec<Contact>> {
        pg_read!(self, |c| people::contacts(c))
    }
    async fn contact(&self, id: i64) -> StoreResult<Contact> {
        pg_read!(self, |c| people::contact(c, id))
    }
    async fn companies(&self) -> StoreResult<Vec<Company>> {
        pg_read!(self, |c| people::companies(c))
    }
    async fn set_registration(
        &self,
        contact_id: i64,
        state: Registration,
        password_hash: Option<String>,
    ) -> StoreResult<Contact> {
        pg_write!(self, |c| people::set_registration(
            c,
            contact_id,
            state,
            password_hash.as_deref()
        ))
    }
    async fn accept_consent(&self, contact_id: i64, version: i64) -> StoreResult<Contact> {
        pg_write!(self, |c| people::accept_consent(c, contact_id, version))
    }
    async fn credentials(&self, email: String) -> StoreResult<Option<Credentials>> {
        pg_read!(self, |c| people::credentials(c, &email))
    }
    async fn sign_in_locked_until(&self, email: String) -> StoreResult<Option<i64>> {
        pg_read!(self, |c| auth::sign_in_locked_until(c, &email))
    }
    async fn record_failed_sign_in(
        &self,
        email: String,
        max_failures: i64,
        lock_seconds: i64,
    ) -> StoreResult<()> {
        pg_write!(self, |c| auth::record_failed_sign_in(
            c,
            &email,
            max_failures,
            lock_seconds
        ))
    }
    async fn clear_failed_sign_ins(&self, email: String) -> StoreResult<bool> {
        pg_write!(self, |c| auth::clear_failed_sign_ins(c, &email))
    }
    async fn change_password(
        &self,
        account: Account,
        password_hash: String,
        keep: String,
    ) -> StoreResult<()> {
        let ended = pg_write!(self, |c| async {
            people::set_password(c, &account, &password_hash).await?;
            auth::delete_sessions_of(c, &account, Some(&keep)).await
        })?;
        self.announce_ended(ended);
        Ok(())
    }
    async fn delete_sessions_of(&self, account: Account) -> StoreResult<()> {
        let ended = pg_write!(self, |c| auth::delete_sessions_of(c, &account, None))?;
        self.announce_ended(ended);
        Ok(())
    }
    async fn account_language(&self, account: Account) -> StoreResult<Option<String>> {
        pg_read!(self, |c| account_prefs::language(c, &account))
    }
    async fn set_account_language(
        &self,
        account: Account,
        language: Option<String>,
    ) -> StoreResult<()> {
        pg_write!(self, |c| account_prefs::set_language(
            c,
            &account,
            language.as_deref()
        ))
    }
    async fn ssh_keys(&self, account: Account) -> StoreResult<Vec<SshKeyOut>> {
        pg_read!(self, |c| account_prefs::keys(c, &account))
    }
    async fn add_ssh_key(
        &self,
        account: Account,
        key: NewSshKey,
        cap: usize,
    ) -> StoreResult<SshKeyOut> {
        pg_write!(self, |c| account_prefs::add_key(c, &account, &key, cap))
    }
    async fn delete_ssh_key(&self, account: Account, id: i64) -> StoreResult<()> {
        pg_write!(self, |c| account_prefs::delete_key(c, &account, id))
    }
    async fn account_by_ssh_key(&self, fingerprint: String) -> StoreResult<Option<Account>> {
        pg_read!(self, |c| account_prefs::account_by_key(c, &fingerprint))
    }
    async fn create_session(&self, token_hash: String, account: Account) -> StoreResult<()> {
        pg_write!(self, |c| auth::create_session(c, &token_hash, &account))
    }
    async fn session(&self, token_hash: String) -> StoreResult<Option<(Account, i64)>> {
        pg_read!(self, |c| auth::session(c, &token_hash))
    }
    async fn session_and_portal(&self, token_hash: String) -> StoreResult<SessionAndPortal> {
        let conn = self.conn().await?;
        let committed = matches!(conn, Conn::Pooled(_));
        let db = conn.db()?;
        if let Some(found) = caller::read(db, &token_hash, &self.settings, committed).await? {
            return Ok(found);
        }
        let session = auth::session(db, &token_hash).await?;
        Ok((session, Arc::new(config::portal(db).await?)))
    }
    async fn touch_session(&self, token_hash: String) -> StoreResult<()> {
        pg_write!(self, |c| auth::touch_session(c, &token_hash))
    }
    async fn delete_session(&self, token_hash: String) -> StoreResult<()> {
        pg_write!(self, |c| auth::delete_session(c, &token_hash))?;
        self.announce_ended(vec![token_hash]);
        Ok(())
    }
    async fn put_code(
        &self,
        email: String,
        purpose: CodePurpose,
        code_hash: String,
        expires_at: i64,
    ) -> StoreResult<()> {
        pg_write!(self, |c| auth::put_code(
            c, &email, purpose, &code_hash, expires_at
        ))
    }
    async fn take_code(
        &self,
        email: String,
        purpose: CodePurpose,
        code_hash: String,
    ) -> StoreResult<bool> {
        pg_write!(self, |c| auth::take_code(c, &email, purpose, &code_hash))
    }
    async fn inboxes(&self) -> StoreResult<Vec<Inbox>> {
        pg_read!(self, |c| config::inboxes(c))
    }
    async fn create_inbox(&self, inbox: Inbox) -> StoreResult<Inbox> {
        pg_write!(self, |c| config::create_inbox(c, inbox))
    }
    async fn update_inbox(&self, inbox: Inbox) -> StoreResult<Inbox> {
        pg_write!(self, |c| config::update_inbox(c, inbox))
    }
    async fn delete_inbox(&self, id: i64) -> StoreResult<()> {
        pg_write!(self, |c| config::delete_inbox(c, id))
    }
    async fn saved_replies(&self, user_id: i64) -> StoreResult<Vec<SavedReply>> {
        pg_read!(self, |c| saved_replies::saved_replies(c, user_id))
    }
    async fn saved_reply(&self, id: i64) -> StoreResult<SavedReply> {
        pg_read!(self, |c| saved_replies::saved_reply(c, id))
    }
    async fn create_saved_reply(&self, reply: SavedReply) -> StoreResult<SavedReply> {
        pg_write!(self, |c| saved_replies::create_saved_reply(c, reply))
    }
    async fn update_saved_reply(&self, reply: SavedReply) -> StoreResult<SavedReply> {
        pg_write!(self, |c| saved_replies::update_saved_reply(c, reply))
    }
    async fn delete_saved_reply(&self, id: i64) -> StoreResult<()> {
        pg_write!(self, |c| saved_replies::delete_saved_reply(c, id))
    }
    async fn open_counts(&self) -> StoreResult<Vec<(i64, i64)>> {
        let counts = pg_read!(self, |c| config::open_counts(c))?;
        Ok(counts.into_iter().map(|(k, v)| (k, i64::from(v))).collect())
    }
    async fn inbox_counts(&self) -> StoreResult<Vec<(i64, i64, i64)>> {
        pg_read!(self, |c| tickets::inbox_counts(c))
    }
    async fn rules(&self) -> StoreResult<Vec<RoutingRule>> {
        pg_read!(self, |c| config::rules(c))
    }
    async fn create_rule(&self, rule: RoutingRule) -> StoreResult<RoutingRule> {
        pg_write!(self, |c| config::create_rule(c, rule))
    }
    async fn update_rule(&self, rule: RoutingRule) -> StoreResult<RoutingRule> {
        pg_write!(self, |c| config::update_rule(c, rule))
    }
    async fn delete_rule(&self, id: i64) -> StoreResult<()> {
        pg_write!(self, |c| config::delete_rule(c, id))
    }
    async fn test_route(
        &self,
        draft: RoutingInput,
        rules: Option<Vec<RoutingRule>>,
    ) -> StoreResult<RouteDecision> {
        pg_read!(self, |c| config::route(c, &draft, rules, false))
    }
    async fn tickets(&self, scope: ReadScope, query: TicketQuery) -> StoreResult<Vec<TicketRow>> {
        pg_read!(self, |c| tickets::list(c, scope, &query))
    }
    async fn ticket(&self, id: i64, reader: Reader) -> StoreResult<TicketRow> {
        pg_read!(self, |c| tickets::get_ticket(c, id, reader))
    }
    async fn messages(&self, ticket_id: i64) -> StoreResult<Vec<MessageRow>> {
        pg_read!(self, |c| tickets::messages(c, ticket_id))
    }
    async fn create_ticket(&self, ticket: NewTicket) -> StoreResult<(TicketRow, RouteDecision)> {
        pg_write!(self, |c| tickets::create(c, ticket, &[]))
    }
    async fn update_ticket(
        &self,
        id: i64,
        change: TicketChange,
        reader: Reader,
        expected_version: Option<i64>,
        by: String,
    ) -> StoreResult<TicketRow> {
        pg_write!(self, |c| tickets::update(
            c,
            id,
            &change,
            reader,
            expected_version,
            &by
        ))
    }
    async fn add_message(
        &self,
        ticket_id: i64,
        author: AuthorKind,
        author_id: i64,
        body: String,
        internal: bool,
    ) -> StoreResult<MessageRow> {
        pg_write!(self, |c| tickets::add_message(
            c, ticket_id, author, author_id, &body, internal
        ))
    }
    async fn changes(&self, after_seq: i64, limit: usize) -> StoreResult<Vec<ChangeRow>> {
        pg_read!(self, |c| changes::since(c, after_seq, limit))
    }
    async fn current_seq(&self) -> StoreResult<i64> {
        pg_read!(self, |c| changes::current_seq(c))
    }
    async fn tickets_by_id(
        &self,
        scope: ReadScope,
        after_id: i64,
        limit: usize,
    ) -> StoreResult<Vec<TicketRow>> {
        pg_read!(self, |c| tickets::by_id(c, scope, after_id, limit))
    }
    async fn tickets_in(&self, ids: Vec<i64>, reader: Reader) -> StoreResult<Vec<TicketRow>> {
        pg_read!(self, |c| tickets::in_ids(c, &ids, reader))
    }
    fn answer_stamp(&self) -> FillFrom {
        FillFrom::never()
    }
    fn cached_answer(&self, _key: &str) -> Option<Bytes> {
        None
    }
    fn keep_answer(&self, _from: FillFrom, _key: String, _body: Bytes) {}
    async fn idempotent(&self, scope: String, key: String) -> StoreResult<Option<StoredResponse>> {
        pg_read!(self, |c| auth::idempotent(c, &scope, &key))
    }
    async fn put_idempotent(
        &self,
        scope: String,
        key: String,
        response: StoredResponse,
    ) -> StoreResult<()> {
        pg_write!(self, |c| auth::put_idempotent(c, &scope, &key, &response))
    }
    async fn claim_idempotency_key(&self, name: String) -> StoreResult<bool> {
        self.claim(name).await
    }
    async fn sweep(&self, idle_secs: i64, answer_secs: i64) -> StoreResult<(usize, usize)> {
        pg_write!(self, |c| auth::sweep(c, idle_secs, answer_secs))
    }
    async fn code_key(&self) -> Result<CodeKey, CodeKeyError> {
        let fresh = CodeKey::fresh_bytes();
        let stored = self
            .stored_code_key(&fresh)
            .await
            .map_err(|e| CodeKeyError::Stored(e.to_string()))?;
        CodeKey::from_bytes(&stored)
    }
    async fn check_database(&self) -> StoreResult<()> {
        // A pooled connection the server closed (stopped, restarted) is replaced on checkout,
        // so this reaches the server as it is now.
        let conn = self.pool.get().await?;
        conn.simple_query("SELECT 1").await?;
        Ok(())
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        pg_read!(self, |c| import::is_empty(c))
    }
    async fn import(&self, batch: ImportBatch) -> StoreResult<()> {
        pg_write!(self, |c| async {
            import::import(c, &batch).await?;
            super::analyze(c).await
        })
    }
    async fn mail_queue(&self, limit: usize) -> StoreResult<Vec<QueuedMail>> {
        pg_read!(self, |c| mail_queue::list(c, limit))
    }
    async fn mail_due_at(&self) -> StoreResult<Option<i64>> {
        pg_read!(self, |c| mail_queue::due_at(c))
    }
    async fn claim_mail(&self, now: i64) -> StoreResult<Option<QueuedMail>> {
        pg_write!(self, |c| mail_queue::claim(c, now))
    }
    async fn settle_mail(&self, id: i64, outcome: MailOutcome) -> StoreResult<()> {
        pg_write!(self, |c| mail_queue::settle(c, id, &outcome))
    }
    async fn resume_mail(&self, now: i64) -> StoreResult<usize> {
        pg_write!(self, |c| mail_queue::resume(c, now))
    }
    async fn retry_mail(&self, id: i64, now: i64) -> StoreResult<QueuedMail> {
        pg_write!(self, |c| mail_queue::retry(c, id, now))
    }
    async fn contact_by_email(&self, email: String) -> StoreResult<Option<Contact>> {
        pg_read!(self, |c| super::people::contact_by_email(c, &email))
    }
    async fn ticket_of_mail(&self, message_ids: Vec<String>) -> StoreResult<Option<i64>> {
        pg_read!(self, |c| super::inbound::ticket_of_mail(c, &message_ids))
    }
    async fn receive_mail(&self, mail: InboundMail) -> StoreResult<Received> {
        pg_write!(self, |c| super::inbound::receive(c, mail))
    }
    async fn stored_mail(
        &self,
        ticket_id: i64,
        which: MailOf,
    ) -> StoreResult<Option<OriginalMail>> {
        pg_read!(self, |c| super::inbound::stored_mail(c, ticket_id, which))
    }
    async fn mailbox_turn(&self) -> StoreResult<Option<MailboxTurn>> {
        super::inbound::mailbox_turn(&self.pool).await
    }
    async fn quarantine(&self, limit: usize) -> StoreResult<Vec<QuarantineRow>> {
        pg_read!(self, |c| super::inbound::quarantine(c, limit))
    }
    async fn quarantined(&self, id: i64) -> StoreResult<QuarantineRow> {
        pg_read!(self, |c| super::inbound::quarantined(c, id))
    }
    async fn decide_quarantined(&self, id: i64, verdict: Verdict) -> StoreResult<Received> {
        pg_write!(self, |c| super::inbound::decide(c, id, verdict))
    }
}
