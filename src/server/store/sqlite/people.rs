//! Staff users, contacts and companies, and their sign-in state.

use super::changes::append_change;
use super::rows::{json, now_text};
use crate::domain::people::ConsentRecord;
use crate::domain::{Company, Contact, Registration, Role, User};
use crate::server::store::{Account, Credentials, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// Staff users who were not removed: a removed user's row stays for the names on tickets,
/// but is no account (no sign-in, no session, in no list or picker).
const USER_SELECT: &str = "SELECT id, email, name, role FROM users WHERE removed_at IS NULL";
const CONTACT_SELECT: &str = "SELECT id, email, name, company_id, properties, registration, consent_version, consent_at FROM contacts";

fn user_row(r: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        role: if role == "admin" {
            Role::Admin
        } else {
            Role::Agent
        },
    })
}

fn contact_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    let version: Option<i64> = r.get(6)?;
    let at: Option<String> = r.get(7)?;
    Ok(Contact {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        company_id: r.get(3)?,
        properties: json(r, 4)?,
        registration: Registration::parse(&r.get::<_, String>(5)?),
        consent: version.zip(at).map(|(version, accepted_at)| ConsentRecord {
            version,
            accepted_at,
        }),
    })
}

/// Staff users by id.
pub fn users(conn: &Connection) -> StoreResult<Vec<User>> {
    let mut stmt = conn.prepare_cached(&format!("{USER_SELECT} ORDER BY id"))?;
    Ok(stmt.query_map([], user_row)?.collect::<Result<_, _>>()?)
}

/// Ids of every staff user.
pub fn staff_ids(conn: &Connection) -> StoreResult<Vec<i64>> {
    Ok(users(conn)?.into_iter().map(|u| u.id).collect())
}

fn email_taken(conn: &Connection, email: &str) -> StoreResult<bool> {
    Ok(conn.query_row(
        "SELECT (SELECT COUNT(*) FROM users WHERE email = ?1) + (SELECT COUNT(*) FROM contacts WHERE email = ?1)",
        [email],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Adds a staff user.
pub fn add_user(
    conn: &Connection,
    email: &str,
    name: &str,
    role: Role,
    hash: &str,
) -> StoreResult<User> {
    if email_taken(conn, email)? {
        return Err(StoreError::Duplicate(format!(
            "{email} already has an account"
        )));
    }
    conn.execute(
        "INSERT INTO users (email, name, role, password_hash) VALUES (?1, ?2, ?3, ?4)",
        params![email, name, role.as_str(), hash],
    )?;
    let id = conn.last_insert_rowid();
    append_change(conn, "user", id, "upsert", None)?;
    Ok(User {
        id,
        email: email.into(),
        name: name.into(),
        role,
    })
}

/// Contacts by id.
pub fn contacts(conn: &Connection) -> StoreResult<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(&format!("{CONTACT_SELECT} ORDER BY id"))?;
    Ok(stmt.query_map([], contact_row)?.collect::<Result<_, _>>()?)
}

/// One contact.
pub fn contact(conn: &Connection, id: i64) -> StoreResult<Contact> {
    Ok(conn
        .prepare_cached(&format!("{CONTACT_SELECT} WHERE id = ?1"))?
        .query_row([id], contact_row)?)
}

/// Companies by id.
pub fn companies(conn: &Connection) -> StoreResult<Vec<Company>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, domain FROM companies ORDER BY id")?;
    Ok(stmt
        .query_map([], |r| {
            Ok(Company {
                id: r.get(0)?,
                name: r.get(1)?,
                domain: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?)
}

/// Sets registration state (and password when given).
pub fn set_registration(
    conn: &Connection,
    id: i64,
    state: Registration,
    hash: Option<&str>,
) -> StoreResult<Contact> {
    let n = conn.execute(
        "UPDATE contacts SET registration = ?2, password_hash = COALESCE(?3, password_hash) WHERE id = ?1",
        params![id, state.as_str(), hash],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "contact", id, "upsert", None)?;
    contact(conn, id)
}

/// Records consent acceptance.
pub fn accept_consent(conn: &Connection, id: i64, version: i64) -> StoreResult<Contact> {
    let n = conn.execute(
        "UPDATE contacts SET consent_version = ?2, consent_at = ?3 WHERE id = ?1",
        params![id, version, now_text()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(conn, "contact", id, "upsert", None)?;
    contact(conn, id)
}

/// Credentials by email: staff first, then contacts.
pub fn credentials(conn: &Connection, email: &str) -> StoreResult<Option<Credentials>> {
    let user = conn
        .prepare_cached("SELECT id, email, name, role, password_hash FROM users WHERE email = ?1 AND removed_at IS NULL")?
        .query_row([email], |r| {
            Ok(Credentials {
                account: Account::User(user_row(r)?),
                password_hash: r.get(4)?,
            })
        })
        .optional()?;
    if user.is_some() {
        return Ok(user);
    }
    Ok(conn
        .prepare_cached(
            "SELECT id, email, name, company_id, properties, registration, consent_version, consent_at, password_hash FROM contacts WHERE email = ?1",
        )?
        .query_row([email], |r| {
            Ok(Credentials { account: Account::Contact(contact_row(r)?), password_hash: r.get(8)? })
        })
        .optional()?)
}

/// Replaces an account's password hash.
pub fn set_password(conn: &Connection, account: &Account, hash: &str) -> StoreResult<()> {
    let (table, id) = match account {
        Account::User(u) => ("users", u.id),
        Account::Contact(c) => ("contacts", c.id),
    };
    let n = conn.execute(
        &format!("UPDATE {table} SET password_hash = ?2 WHERE id = ?1"),
        params![id, hash],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The account a session belongs to.
pub fn account(conn: &Connection, kind: &str, id: i64) -> StoreResult<Option<Account>> {
    if kind == "user" {
        Ok(conn
            .prepare_cached(&format!("{USER_SELECT} AND id = ?1"))?
            .query_row([id], user_row)
            .optional()?
            .map(Account::User))
    } else {
        Ok(conn
            .prepare_cached(&format!("{CONTACT_SELECT} WHERE id = ?1"))?
            .query_row([id], contact_row)
            .optional()?
            .map(Account::Contact))
    }
}

/// The contact with this (lower-case) address, if any.
pub fn contact_by_email(conn: &Connection, email: &str) -> StoreResult<Option<Contact>> {
    Ok(conn
        .prepare_cached(&format!("{CONTACT_SELECT} WHERE email = ?1"))?
        .query_row([email], contact_row)
        .optional()?)
}

/// Creates a contact who wrote in by mail (not registered; in the company whose domain their
/// address has, if any) and returns its id.
pub fn create_contact(conn: &Connection, email: &str, name: &str) -> StoreResult<i64> {
    if email_taken(conn, email)? {
        return Err(StoreError::Duplicate(format!(
            "{email} is already an account"
        )));
    }
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
    conn.prepare_cached(
        "INSERT INTO contacts (email, name, company_id, properties, registration) VALUES \
         (?1, ?2, (SELECT MIN(id) FROM companies WHERE domain = ?3), '{}', ?4)",
    )?
    .execute(params![email, name, domain, Registration::None.as_str()])?;
    let id = conn.last_insert_rowid();
    append_change(conn, "contact", id, "upsert", None)?;
    Ok(id)
}
