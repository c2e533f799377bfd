//! Schema migrations, tracked by `PRAGMA user_version`. The SQL keeps to what PostgreSQL
//! also accepts, apart from the pragmas.
//!
//! 2: a ticket's `public_version` and `public_updated_at`, which customers read instead of
//! `version` and `updated_at` and which only changes customers can see move; and a
//! change-log row's `staff_only` mark, so such a change reaches no customer's feed.
//!
//! 3: who made a ticket's last change (`updated_by`, the name as it was then) and its last
//! change customers can see (`public_updated_by`), so a conflict can say whose change it ran
//! into without telling a customer who touched the ticket behind their back.
//!
//! 5: when a staff user was removed (`removed_at`, unix seconds): removal keeps the row, so
//! tickets keep their owner's and authors' names, but a removed user is no account any more.
//!
//! 6: the mail queue (`mail_queue`), written in the transaction of the change a mail is
//! about and read by the sender; each mail's `Message-ID` is kept so replies can be threaded.
//! A message's channel (`portal` or `email`) and, for mail, its sender address.
//!
//! 7: received mail (`inbound_mail`): each message as received, under its unique Message-ID
//! (so a repeat is taken once), with what became of it (a reply, a new ticket, a bounce, or
//! refused and why).
//!
//! 8: the thread message a received reply became (`inbound_mail.thread_message_id`), so its
//! original can be shown next to it.
//!
//! 9: a ticket's CCs (`ticket_ccs`: contacts of the requester's company who see the ticket
//! and get its mail), the CCs a change log row's ticket had before the change
//! (`ccs_before`, so a contact taken off reaches their feed as a delete), the addresses a
//! received mail was copied to (`messages.cc`, and `tickets.mail_cc` for the mail that
//! opened the ticket: JSON lists), and the message a queued mail
//! carries (`mail_queue.message_ref`, so a failed reply is flagged on its message).
//!
//! 10: saved replies (`saved_replies`: shared when `owner_id` is NULL, else the agent's own).

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE portal (id INTEGER PRIMARY KEY, settings TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE domains (host TEXT PRIMARY KEY, primary_language TEXT NOT NULL, system INTEGER NOT NULL);
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
  password_hash TEXT, failed_logins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER);
CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  company_id INTEGER REFERENCES companies(id), properties TEXT NOT NULL, registration TEXT NOT NULL,
  consent_version INTEGER, consent_at TEXT, password_hash TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER);
CREATE INDEX contacts_company ON contacts(company_id);
CREATE TABLE inboxes (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,
  assignment TEXT NOT NULL, capacity INTEGER, rr_cursor INTEGER NOT NULL DEFAULT 0);
CREATE TABLE routing_rules (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, enabled INTEGER NOT NULL, position INTEGER NOT NULL,
  match_mode TEXT NOT NULL, conditions TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY, subject TEXT NOT NULL, description TEXT NOT NULL, stage TEXT NOT NULL,
  priority TEXT NOT NULL, category TEXT NOT NULL, inbox_id INTEGER NOT NULL REFERENCES inboxes(id),
  owner_id INTEGER REFERENCES users(id), contact_id INTEGER NOT NULL REFERENCES contacts(id),
  company_id INTEGER REFERENCES companies(id), source TEXT NOT NULL, form_fields TEXT NOT NULL,
  tags TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT,
  version INTEGER NOT NULL, message_count INTEGER NOT NULL DEFAULT 0);
CREATE INDEX tickets_contact ON tickets(contact_id);
CREATE INDEX tickets_company ON tickets(company_id);
CREATE INDEX tickets_owner ON tickets(owner_id, stage);
CREATE INDEX tickets_inbox ON tickets(inbox_id, stage);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id), author_kind TEXT NOT NULL,
  author_id INTEGER NOT NULL, body TEXT NOT NULL, internal INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX messages_ticket ON messages(ticket_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, account_kind TEXT NOT NULL, account_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL);
CREATE TABLE codes (
  email TEXT NOT NULL, purpose TEXT NOT NULL, code_hash TEXT NOT NULL, expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (email, purpose));
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, entity_id INTEGER NOT NULL, op TEXT NOT NULL,
  contact_before INTEGER, company_before INTEGER);
CREATE TABLE idempotency (
  scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
  etag TEXT, body BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key));
"#,
    r#"
ALTER TABLE tickets ADD COLUMN public_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN public_updated_at TEXT NOT NULL DEFAULT '';
UPDATE tickets SET public_version = version, public_updated_at = updated_at;
ALTER TABLE changes ADD COLUMN staff_only INTEGER NOT NULL DEFAULT 0;
"#,
    r#"
CREATE TABLE sign_in_failures (
  email TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until INTEGER, last_failed_at INTEGER NOT NULL);
INSERT INTO sign_in_failures (email, failures, locked_until, last_failed_at)
  SELECT email, failed_logins, locked_until, CAST(strftime('%s', 'now') AS INTEGER) FROM users
  WHERE failed_logins > 0 OR locked_until IS NOT NULL;
INSERT INTO sign_in_failures (email, failures, locked_until, last_failed_at)
  SELECT email, failed_logins, locked_until, CAST(strftime('%s', 'now') AS INTEGER) FROM contacts
  WHERE failed_logins > 0 OR locked_until IS NOT NULL;
"#,
    r#"
ALTER TABLE tickets ADD COLUMN updated_by TEXT;
ALTER TABLE tickets ADD COLUMN public_updated_by TEXT;
"#,
    r#"
ALTER TABLE users ADD COLUMN removed_at INTEGER;
"#,
    r#"
CREATE TABLE mail_queue (
  id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id), event TEXT NOT NULL,
  recipient_kind TEXT NOT NULL, recipient_id INTEGER NOT NULL, recipient TEXT NOT NULL,
  sender TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE,
  in_reply_to TEXT, refs TEXT NOT NULL, reply_domain TEXT NOT NULL, state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
  created_at TEXT NOT NULL, sent_at TEXT);
CREATE INDEX mail_queue_due ON mail_queue(state, next_attempt_at);
CREATE INDEX mail_queue_thread ON mail_queue(ticket_id, recipient);
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal';
ALTER TABLE messages ADD COLUMN sender_address TEXT;
"#,
    r#"
CREATE TABLE inbound_mail (
  id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, subject TEXT NOT NULL,
  raw TEXT NOT NULL, outcome TEXT NOT NULL, ticket_id INTEGER REFERENCES tickets(id), note TEXT,
  received_at TEXT NOT NULL);
CREATE INDEX inbound_mail_ticket ON inbound_mail(ticket_id);
"#,
    r#"
ALTER TABLE inbound_mail ADD COLUMN thread_message_id INTEGER REFERENCES messages(id);
"#,
    r#"
CREATE TABLE ticket_ccs (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id), contact_id INTEGER NOT NULL REFERENCES contacts(id),
  PRIMARY KEY (ticket_id, contact_id));
CREATE INDEX ticket_ccs_contact ON ticket_ccs(contact_id);
ALTER TABLE changes ADD COLUMN ccs_before TEXT;
ALTER TABLE messages ADD COLUMN cc TEXT;
ALTER TABLE tickets ADD COLUMN mail_cc TEXT;
ALTER TABLE mail_queue ADD COLUMN message_ref INTEGER REFERENCES messages(id);
"#,
    r#"
CREATE TABLE saved_replies (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id));
CREATE INDEX saved_replies_owner ON saved_replies(owner_id);
"#,
    r#"
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE contacts ADD COLUMN language TEXT;
CREATE TABLE ssh_keys (
  id INTEGER PRIMARY KEY, account_kind TEXT NOT NULL, account_id INTEGER NOT NULL,
  public_key TEXT NOT NULL, fingerprint TEXT NOT NULL UNIQUE, comment TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX ssh_keys_account ON ssh_keys(account_kind, account_id);
"#,
];

/// Brings the schema up to date; refuses a database from a newer deskport.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: usize =
        conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
    if version > MIGRATIONS.len() {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the database has schema version {version}, newer than this deskport knows ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
