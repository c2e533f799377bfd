//! Schema migrations, tracked in `schema_migrations` (one row per applied version) and applied
//! under a session advisory lock, so two servers starting together on one database migrate
//! once: the second waits, then finds nothing left to do. A database whose schema is newer
//! than this binary is refused, naming both versions.
//!
//! 1: the schema of SQLite's version 4 in PostgreSQL types (BIGINT ids from sequences,
//! BOOLEAN flags, text JSON and times as SQLite stores them, so both stores read the same
//! values), plus `server_secrets` for the one-time code key every server must share.
//!
//! 2: a NOTIFY on `deskport_changes` from every statement that appends change rows (see
//! [`super::listen`]), carrying only the highest sequence number it appended; and
//! `rate_limits`, the rate-limit counters every server counts against (see [`super::rate`]).
//!
//! 3: when a staff user was removed (`removed_at`, unix seconds), as SQLite's version 5.
//!
//! 4: the mail queue and a message's channel and sender address (SQLite's version 6).
//!
//! 5: received mail (`inbound_mail`), as SQLite's version 7.
//!
//! 6: the thread message a received reply became, as SQLite's version 8.
//!
//! 7: a ticket's CCs, the CCs before a change, the Cc addresses of received mail (on the
//! message, or on the ticket it opened) and a queued mail's message, as SQLite's version 9.
//!
//! 8: saved replies, as SQLite's version 10.

use super::sql::{Db, describe};
use crate::server::store::{StoreError, StoreResult};

/// The advisory lock key migrations run under (any constant no other lock uses).
const MIGRATION_LOCK: i64 = 0x6465_736b_0001;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE portal (id BIGINT PRIMARY KEY, settings TEXT NOT NULL, version BIGINT NOT NULL);
CREATE TABLE domains (host TEXT PRIMARY KEY, primary_language TEXT NOT NULL, system BOOLEAN NOT NULL);
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
  password_hash TEXT);
CREATE TABLE companies (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL);
CREATE TABLE contacts (
  id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  company_id BIGINT REFERENCES companies(id), properties TEXT NOT NULL, registration TEXT NOT NULL,
  consent_version BIGINT, consent_at TEXT, password_hash TEXT);
CREATE INDEX contacts_company ON contacts(company_id);
CREATE TABLE inboxes (
  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,
  assignment TEXT NOT NULL, capacity BIGINT, rr_cursor BIGINT NOT NULL DEFAULT 0);
CREATE TABLE routing_rules (
  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, enabled BOOLEAN NOT NULL, position BIGINT NOT NULL,
  match_mode TEXT NOT NULL, conditions TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE tickets (
  id BIGSERIAL PRIMARY KEY, subject TEXT NOT NULL, description TEXT NOT NULL, stage TEXT NOT NULL,
  priority TEXT NOT NULL, category TEXT NOT NULL, inbox_id BIGINT NOT NULL REFERENCES inboxes(id),
  owner_id BIGINT REFERENCES users(id), contact_id BIGINT NOT NULL REFERENCES contacts(id),
  company_id BIGINT REFERENCES companies(id), source TEXT NOT NULL, form_fields TEXT NOT NULL,
  tags TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT,
  version BIGINT NOT NULL, message_count BIGINT NOT NULL DEFAULT 0,
  public_version BIGINT NOT NULL DEFAULT 1, public_updated_at TEXT NOT NULL DEFAULT '',
  updated_by TEXT, public_updated_by TEXT);
CREATE INDEX tickets_contact ON tickets(contact_id, id);
CREATE INDEX tickets_company ON tickets(company_id, id);
CREATE INDEX tickets_owner ON tickets(owner_id, stage);
CREATE INDEX tickets_inbox ON tickets(inbox_id, stage);
CREATE TABLE messages (
  id BIGSERIAL PRIMARY KEY, ticket_id BIGINT NOT NULL REFERENCES tickets(id), author_kind TEXT NOT NULL,
  author_id BIGINT NOT NULL, body TEXT NOT NULL, internal BOOLEAN NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX messages_ticket ON messages(ticket_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, account_kind TEXT NOT NULL, account_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL);
CREATE INDEX sessions_account ON sessions(account_kind, account_id);
CREATE TABLE codes (
  email TEXT NOT NULL, purpose TEXT NOT NULL, code_hash TEXT NOT NULL, expires_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (email, purpose));
CREATE TABLE changes (
  seq BIGSERIAL PRIMARY KEY, entity TEXT NOT NULL, entity_id BIGINT NOT NULL, op TEXT NOT NULL,
  contact_before BIGINT, company_before BIGINT, staff_only BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE idempotency (
  id BIGSERIAL, scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
  status BIGINT NOT NULL, etag TEXT, body BYTEA NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (scope, key));
CREATE TABLE sign_in_failures (
  email TEXT PRIMARY KEY, failures BIGINT NOT NULL, locked_until BIGINT, last_failed_at BIGINT NOT NULL);
CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL);
"#,
    r#"
CREATE FUNCTION notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('deskport_changes', (SELECT MAX(seq) FROM new_rows)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER changes_notify AFTER INSERT ON changes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes();
CREATE TABLE rate_limits (key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, hits BIGINT NOT NULL);
"#,
    r#"
ALTER TABLE users ADD COLUMN removed_at BIGINT;
"#,
    r#"
CREATE TABLE mail_queue (
  id BIGSERIAL PRIMARY KEY, ticket_id BIGINT NOT NULL REFERENCES tickets(id), event TEXT NOT NULL,
  recipient_kind TEXT NOT NULL, recipient_id BIGINT NOT NULL, recipient TEXT NOT NULL,
  sender TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE,
  in_reply_to TEXT, refs TEXT NOT NULL, reply_domain TEXT NOT NULL, state TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_error TEXT,
  created_at TEXT NOT NULL, sent_at TEXT);
CREATE INDEX mail_queue_due ON mail_queue(state, next_attempt_at);
CREATE INDEX mail_queue_thread ON mail_queue(ticket_id, recipient);
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal';
ALTER TABLE messages ADD COLUMN sender_address TEXT;
"#,
    r#"
CREATE TABLE inbound_mail (
  id BIGSERIAL PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, subject TEXT NOT NULL,
  raw TEXT NOT NULL, outcome TEXT NOT NULL, ticket_id BIGINT REFERENCES tickets(id), note TEXT,
  received_at TEXT NOT NULL);
CREATE INDEX inbound_mail_ticket ON inbound_mail(ticket_id);
"#,
    r#"
ALTER TABLE inbound_mail ADD COLUMN thread_message_id BIGINT REFERENCES messages(id);
"#,
    r#"
CREATE TABLE ticket_ccs (
  ticket_id BIGINT NOT NULL REFERENCES tickets(id), contact_id BIGINT NOT NULL REFERENCES contacts(id),
  PRIMARY KEY (ticket_id, contact_id));
CREATE INDEX ticket_ccs_contact ON ticket_ccs(contact_id);
ALTER TABLE changes ADD COLUMN ccs_before TEXT;
ALTER TABLE messages ADD COLUMN cc TEXT;
ALTER TABLE tickets ADD COLUMN mail_cc TEXT;
ALTER TABLE mail_queue ADD COLUMN message_ref BIGINT REFERENCES messages(id);
"#,
    r#"
CREATE TABLE saved_replies (
  id BIGSERIAL PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
  owner_id BIGINT REFERENCES users(id));
CREATE INDEX saved_replies_owner ON saved_replies(owner_id);
"#,
    r#"
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE contacts ADD COLUMN language TEXT;
CREATE TABLE ssh_keys (
  id BIGSERIAL PRIMARY KEY, account_kind TEXT NOT NULL, account_id BIGINT NOT NULL,
  public_key TEXT NOT NULL, fingerprint TEXT NOT NULL UNIQUE, comment TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX ssh_keys_account ON ssh_keys(account_kind, account_id);
"#,
];

/// Brings the schema up to date under the migration lock; refuses a database from a newer
/// deskport.
pub async fn migrate(c: &Db) -> StoreResult<()> {
    c.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let result = migrate_locked(c).await;
    let unlocked = c
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    result?;
    unlocked?;
    Ok(())
}

async fn migrate_locked(c: &Db) -> StoreResult<()> {
    c.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    let version: i64 = c
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .try_get(0)?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::Database(format!(
            "the database has schema version {version}, newer than this deskport knows ({known}); run a newer deskport"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let next = i as i64 + 1;
        let applied = async {
            c.batch_execute("BEGIN").await?;
            c.batch_execute(sql).await?;
            c.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&next],
            )
            .await?;
            c.batch_execute("COMMIT").await
        }
        .await;
        if let Err(e) = applied {
            let _ = c.batch_execute("ROLLBACK").await;
            return Err(StoreError::Database(format!(
                "cannot apply schema migration {next}: {}",
                describe(&e)
            )));
        }
    }
    Ok(())
}
