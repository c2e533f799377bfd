//! [`Store`] for [`SqliteStore`]: each call picks the reader pool or the writer thread.

use super::{
    FillFrom, SqliteStore, account_prefs, auth, changes, config, mail_queue, people, saved_replies,
    staff_removal, tickets,
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
    Account, ChangeRow, CodePurpose, Credentials, ImportBatch, InboundMail, MailOf, MailOutcome,
    MailboxTurn, MessageRow, NewSshKey, NewTicket, Poke, QuarantineRow, Reader, Received,
    RouteDecision, SessionAndPortal, SshKeyOut, Store, StoreResult, StoredResponse, TicketChange,
    TicketQuery, TicketRow, Verdict,
};
use axum::body::Bytes;

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<std::sync::Arc<Poke>> {
        self.changed.subscribe()
    }
    fn ended_sessions(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.ended.subscribe()
    }
    async fn count_request(
        &self,
        key: String,
        limit: crate::server::store::rate::Limit,
    ) -> StoreResult<Result<(), u64>> {
        Ok(self.limiter.check(&key, limit, std::time::Instant::now()))
    }
    async fn portal(&self) -> StoreResult<std::sync::Arc<PortalSettings>> {
        self.cached_portal().await
    }
    async fn update_portal(
        &self,
        next: PortalSettings,
        expected_version: i64,
    ) -> StoreResult<PortalSettings> {
        self.write(move |c| {
            config::save_portal(c, &next, expected_version)?;
            Ok(next)
        })
        .await
    }
    async fn domains(&self) -> StoreResult<Vec<DomainInfo>> {
        self.read(config::domains).await
    }
    async fn add_domain(&self, domain: DomainInfo) -> StoreResult<DomainInfo> {
        self.write(move |c| {
            config::add_domain(c, &domain)?;
            Ok(domain)
        })
        .await
    }
    async fn remove_domain(&self, host: String) -> StoreResult<()> {
        self.write(move |c| config::remove_domain(c, &host)).await
    }
    async fn users(&self) -> StoreResult<Vec<User>> {
        self.read(people::users).await
    }
    async fn add_user(
        &self,
        email: String,
        name: String,
        role: Role,
        password_hash: String,
    ) -> StoreResult<User> {
        self.write(move |c| people::add_user(c, &email, &name, role, &password_hash))
            .await
    }
    async fn remove_user(&self, id: i64, by: String) -> StoreResult<User> {
        let (user, ended) = self
            .write(move |c| staff_removal::remove_user(c, id, &by))
            .await?;
        self.announce_ended(ended);
        Ok(user)
    }
    async fn contacts(&self) -> StoreResult<Vec<Contact>> {
        self.read(people::contacts).await
    }
    async fn contact(&self, id: i64) -> StoreResult<Contact> {
        self.read(move |c| people::contact(c, id)).await
    }
    async fn companies(&self) -> StoreResult<Vec<Company>> {
        self.read(people::companies).await
    }
    async fn set_registration(
        &self,
        contact_id: i64,
        state: Registration,
        password_hash: Option<String>,
    ) -> StoreResult<Contact> {
        self.write(move |c| {
            people::set_registration(c, contact_id, state, password_hash.as_deref())
        })
        .await
    }
    async fn accept_consent(&self, contact_id: i64, version: i64) -> StoreResult<Contact> {
        self.write(move |c| people::accept_consent(c, contact_id, version))
            .await
    }
    async fn credentials(&self, email: String) -> StoreResult<Option<Credentials>> {
        self.read(move |c| people::credentials(c, &email)).await
    }
    async fn sign_in_locked_until(&self, email: String) -> StoreResult<Option<i64>> {
        self.read(move |c| auth::sign_in_locked_until(c, &email))
            .await
    }
    async fn record_failed_sign_in(
        &self,
        email: String,
        max_failures: i64,
        lock_seconds: i64,
    ) -> StoreResult<()> {
        self.write(move |c| auth::record_failed_sign_in(c, &email, max_failures, lock_seconds))
            .await
    }
    async fn clear_failed_sign_ins(&self, email: String) -> StoreResult<bool> {
        self.write(move |c| auth::clear_failed_sign_ins(c, &email))
            .await
    }
    async fn change_password(
        &self,
        account: Account,
        password_hash: String,
        keep: String,
    ) -> StoreResult<()> {
        let ended = self
            .write(move |c| {
                people::set_password(c, &account, &password_hash)?;
                auth::delete_sessions_of(c, &account, Some(&keep))
            })
            .await?;
        self.announce_ended(ended);
        Ok(())
    }
    async fn delete_sessions_of(&self, account: Account) -> StoreResult<()> {
        let ended = self
            .write(move |c| auth::delete_sessions_of(c, &account, None))
            .await?;
        self.announce_ended(ended);
        Ok(())
    }
    async fn account_language(&self, account: Account) -> StoreResult<Option<String>> {
        self.read(move |c| account_prefs::language(c, &account))
            .await
    }
    async fn set_account_language(
        &self,
        account: Account,
        language: Option<String>,
    ) -> StoreResult<()> {
        self.write(move |c| account_prefs::set_language(c, &account, language.as_deref()))
            .await
    }
    async fn ssh_keys(&self, account: Account) -> StoreResult<Vec<SshKeyOut>> {
        self.read(move |c| account_prefs::keys(c, &account)).await
    }
    async fn add_ssh_key(
        &self,
        account: Account,
        key: NewSshKey,
        cap: usize,
    ) -> StoreResult<SshKeyOut> {
        self.write(move |c| account_prefs::add_key(c, &account, &key, cap))
            .await
    }
    async fn delete_ssh_key(&self, account: Account, id: i64) -> StoreResult<()> {
        self.write(move |c| account_prefs::delete_key(c, &account, id))
            .await
    }
    async fn account_by_ssh_key(&self, fingerprint: String) -> StoreResult<Option<Account>> {
        self.read(move |c| account_prefs::account_by_key(c, &fingerprint))
            .await
    }
    async fn create_session(&self, token_hash: String, account: Account) -> StoreResult<()> {
        self.write(move |c| auth::create_session(c, &token_hash, &account))
            .await
    }
    async fn session(&self, token_hash: String) -> StoreResult<Option<(Account, i64)>> {
        self.cached_session(token_hash).await
    }
    async fn session_and_portal(&self, token_hash: String) -> StoreResult<SessionAndPortal> {
        Ok((
            self.cached_session(token_hash).await?,
            self.cached_portal().await?,
        ))
    }
    async fn touch_session(&self, token_hash: String) -> StoreResult<()> {
        self.write(move |c| auth::touch_session(c, &token_hash))
            .await
    }
    async fn delete_session(&self, token_hash: String) -> StoreResult<()> {
        let ended = token_hash.clone();
        self.write(move |c| auth::delete_session(c, &token_hash))
            .await?;
        self.announce_ended(vec![ended]);
        Ok(())
    }
    async fn put_code(
        &self,
        email: String,
        purpose: CodePurpose,
        code_hash: String,
        expires_at: i64,
    ) -> StoreResult<()> {
        self.write(move |c| auth::put_code(c, &email, purpose, &code_hash, expires_at))
            .await
    }
    async fn take_code(
        &self,
        email: String,
        purpose: CodePurpose,
        code_hash: String,
    ) -> StoreResult<bool> {
        self.write(move |c| auth::take_code(c, &email, purpose, &code_hash))
            .await
    }
    async fn inboxes(&self) -> StoreResult<Vec<Inbox>> {
        self.read(config::inboxes).await
    }
    async fn create_inbox(&self, inbox: Inbox) -> StoreResult<Inbox> {
        self.write(move |c| config::create_inbox(c, inbox)).await
    }
    async fn update_inbox(&self, inbox: Inbox) -> StoreResult<Inbox> {
        self.write(move |c| config::update_inbox(c, inbox)).await
    }
    async fn delete_inbox(&self, id: i64) -> StoreResult<()> {
        self.write(move |c| config::delete_inbox(c, id)).await
    }
    async fn saved_replies(&self, user_id: i64) -> StoreResult<Vec<SavedReply>> {
        self.read(move |c| saved_replies::saved_replies(c, user_id))
            .await
    }
    async fn saved_reply(&self, id: i64) -> StoreResult<SavedReply> {
        self.read(move |c| saved_replies::saved_reply(c, id)).await
    }
    async fn create_saved_reply(&self, reply: SavedReply) -> StoreResult<SavedReply> {
        self.write(move |c| saved_replies::create_saved_reply(c, reply))
            .await
    }
    async fn update_saved_reply(&self, reply: SavedReply) -> StoreResult<SavedReply> {
        self.write(move |c| saved_replies::update_saved_reply(c, reply))
            .await
    }
    async fn delete_saved_reply(&self, id: i64) -> StoreResult<()> {
        self.write(move |c| saved_replies::delete_saved_reply(c, id))
            .await
    }
    async fn open_counts(&self) -> StoreResult<Vec<(i64, i64)>> {
        self.read(|c| {
            Ok(config::open_counts(c)?
                .into_iter()
                .map(|(k, v)| (k, i64::from(v)))
                .collect())
        })
        .await
    }
    async fn inbox_counts(&self) -> StoreResult<Vec<(i64, i64, i64)>> {
        self.read(tickets::inbox_counts).await
    }
    async fn rules(&self) -> StoreResult<Vec<RoutingRule>> {
        self.read(config::rules).await
    }
    async fn create_rule(&self, rule: RoutingRule) -> StoreResult<RoutingRule> {
        self.write(move |c| config::create_rule(c, rule)).await
    }
    async fn update_rule(&self, rule: RoutingRule) -> StoreResult<RoutingRule> {
        self.write(move |c| config::update_rule(c, rule)).await
    }
    async fn delete_rule(&self, id: i64) -> StoreResult<()> {
        self.write(move |c| config::delete_rule(c, id)).await
    }
    async fn test_route(
        &self,
        draft: RoutingInput,
        rules: Option<Vec<RoutingRule>>,
    ) -> StoreResult<RouteDecision> {
        self.read(move |c| config::route(c, &draft, rules, false))
            .await
    }
    async fn tickets(&self, scope: ReadScope, query: TicketQuery) -> StoreResult<Vec<TicketRow>> {
        self.read(move |c| tickets::list(c, scope, &query)).await
    }
    async fn ticket(&self, id: i64, reader: Reader) -> StoreResult<TicketRow> {
        self.read(move |c| tickets::get(c, id, reader)).await
    }
    async fn messages(&self, ticket_id: i64) -> StoreResult<Vec<MessageRow>> {
        self.read(move |c| tickets::messages(c, ticket_id)).await
    }
    async fn create_ticket(&self, ticket: NewTicket) -> StoreResult<(TicketRow, RouteDecision)> {
        self.write(move |c| tickets::create(c, ticket, &[])).await
    }
    async fn update_ticket(
        &self,
        id: i64,
        change: TicketChange,
        reader: Reader,
        expected_version: Option<i64>,
        by: String,
    ) -> StoreResult<TicketRow> {
        self.write(move |c| tickets::update(c, id, &change, reader, expected_version, &by))
            .await
    }
    async fn add_message(
        &self,
        ticket_id: i64,
        author: AuthorKind,
        author_id: i64,
        body: String,
        internal: bool,
    ) -> StoreResult<MessageRow> {
        self.write(move |c| tickets::add_message(c, ticket_id, author, author_id, &body, internal))
            .await
    }
    async fn changes(&self, after_seq: i64, limit: usize) -> StoreResult<Vec<ChangeRow>> {
        self.read(move |c| changes::since(c, after_seq, limit))
            .await
    }
    async fn current_seq(&self) -> StoreResult<i64> {
        self.read(|c| Ok(changes::current_seq(c)?)).await
    }
    async fn tickets_by_id(
        &self,
        scope: ReadScope,
        after_id: i64,
        limit: usize,
    ) -> StoreResult<Vec<TicketRow>> {
        self.read(move |c| tickets::by_id(c, scope, after_id, limit))
            .await
    }
    async fn tickets_in(&self, ids: Vec<i64>, reader: Reader) -> StoreResult<Vec<TicketRow>> {
        self.read(move |c| tickets::in_ids(c, &ids, reader)).await
    }
    fn answer_stamp(&self) -> FillFrom {
        if super::open_transaction() {
            return FillFrom::never();
        }
        self.cache.answer_stamp()
    }
    fn cached_answer(&self, key: &str) -> Option<Bytes> {
        if super::open_transaction() {
            return None;
        }
        self.cache.answer(key)
    }
    fn keep_answer(&self, from: FillFrom, key: String, body: Bytes) {
        if !super::open_transaction() {
            self.cache.fill_answer(from, key, body);
        }
    }
    async fn idempotent(&self, scope: String, key: String) -> StoreResult<Option<StoredResponse>> {
        self.read(move |c| auth::idempotent(c, &scope, &key)).await
    }
    async fn put_idempotent(
        &self,
        scope: String,
        key: String,
        response: StoredResponse,
    ) -> StoreResult<()> {
        self.write(move |c| auth::put_idempotent(c, &scope, &key, &response))
            .await
    }
    async fn claim_idempotency_key(&self, _name: String) -> StoreResult<bool> {
        Ok(true)
    }
    async fn code_key(&self) -> Result<CodeKey, CodeKeyError> {
        CodeKey::load_or_create(self.path().parent().unwrap_or(std::path::Path::new(".")))
    }
    async fn sweep(&self, idle_secs: i64, answer_secs: i64) -> StoreResult<(usize, usize)> {
        self.write(move |c| auth::sweep(c, idle_secs, answer_secs))
            .await
    }
    async fn check_database(&self) -> StoreResult<()> {
        self.check_file().await
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        self.read(super::import::is_empty).await
    }
    async fn import(&self, batch: ImportBatch) -> StoreResult<()> {
        self.write(move |c| super::import::import(c, &batch)).await
    }
    async fn mail_queue(&self, limit: usize) -> StoreResult<Vec<QueuedMail>> {
        self.read(move |c| mail_queue::list(c, limit)).await
    }
    async fn mail_due_at(&self) -> StoreResult<Option<i64>> {
        self.read(mail_queue::due_at).await
    }
    async fn claim_mail(&self, now: i64) -> StoreResult<Option<QueuedMail>> {
        self.write(move |c| mail_queue::claim(c, now)).await
    }
    async fn settle_mail(&self, id: i64, outcome: MailOutcome) -> StoreResult<()> {
        self.write(move |c| mail_queue::settle(c, id, &outcome))
            .await
    }
    async fn resume_mail(&self, now: i64) -> StoreResult<usize> {
        self.write(move |c| mail_queue::resume(c, now)).await
    }
    async fn retry_mail(&self, id: i64, now: i64) -> StoreResult<QueuedMail> {
        self.write(move |c| mail_queue::retry(c, id, now)).await
    }
    async fn contact_by_email(&self, email: String) -> StoreResult<Option<Contact>> {
        self.read(move |c| super::people::contact_by_email(c, &email))
            .await
    }
    async fn ticket_of_mail(&self, message_ids: Vec<String>) -> StoreResult<Option<i64>> {
        self.read(move |c| super::inbound::ticket_of_mail(c, &message_ids))
            .await
    }
    async fn receive_mail(&self, mail: InboundMail) -> StoreResult<Received> {
        self.write(move |c| super::inbound::receive(c, mail)).await
    }
    async fn stored_mail(
        &self,
        ticket_id: i64,
        which: MailOf,
    ) -> StoreResult<Option<OriginalMail>> {
        self.read(move |c| super::inbound::stored_mail(c, ticket_id, which))
            .await
    }
    async fn mailbox_turn(&self) -> StoreResult<Option<MailboxTurn>> {
        // One server per SQLite file: the turn is always this one's.
        Ok(Some(MailboxTurn::alone()))
    }
    async fn quarantine(&self, limit: usize) -> StoreResult<Vec<QuarantineRow>> {
        self.read(move |c| super::inbound::quarantine(c, limit))
            .await
    }
    async fn quarantined(&self, id: i64) -> StoreResult<QuarantineRow> {
        self.read(move |c| super::inbound::quarantined(c, id)).await
    }
    async fn decide_quarantined(&self, id: i64, verdict: Verdict) -> StoreResult<Received> {
        self.write(move |c| super::inbound::decide(c, id, verdict))
            .await
    }
}
