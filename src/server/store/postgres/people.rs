//! Staff users, contacts and companies, and their sign-in state.

use super::changes::append_change;
use super::rows::{CONTACT_SELECT, USER_SELECT, contact_row, user_row};
use super::sql::{Db, execute, get, row, row_opt, rows};
use crate::domain::{Company, Contact, Registration, Role, User};
use crate::server::store::shared::now_text;
use crate::server::store::{Account, Credentials, StoreError, StoreResult};

/// Staff users by id.
pub async fn users(c: &Db) -> StoreResult<Vec<User>> {
    rows(c, &format!("{USER_SELECT} ORDER BY id"), &[])
        .await?
        .iter()
        .map(user_row)
        .collect()
}

/// Ids of every staff user.
pub async fn staff_ids(c: &Db) -> StoreResult<Vec<i64>> {
    Ok(users(c).await?.into_iter().map(|u| u.id).collect())
}

async fn email_taken(c: &Db, email: &str) -> StoreResult<bool> {
    let found = row(
        c,
        "SELECT (SELECT COUNT(*) FROM users WHERE email = $1) + (SELECT COUNT(*) FROM contacts WHERE email = $1)",
        &[&email],
    )
    .await?;
    Ok(get::<i64>(&found, 0)? > 0)
}

/// Adds a staff user.
pub async fn add_user(
    c: &Db,
    email: &str,
    name: &str,
    role: Role,
    hash: &str,
) -> StoreResult<User> {
    if email_taken(c, email).await? {
        return Err(StoreError::Duplicate(format!(
            "{email} already has an account"
        )));
    }
    let added = row(
        c,
        "INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
        &[&email, &name, &role.as_str(), &hash],
    )
    .await?;
    let id: i64 = get(&added, 0)?;
    append_change(c, "user", id, "upsert", None).await?;
    Ok(User {
        id,
        email: email.into(),
        name: name.into(),
        role,
    })
}

/// Contacts by id.
pub async fn contacts(c: &Db) -> StoreResult<Vec<Contact>> {
    rows(c, &format!("{CONTACT_SELECT} ORDER BY id"), &[])
        .await?
        .iter()
        .map(contact_row)
        .collect()
}

/// One contact.
pub async fn contact(c: &Db, id: i64) -> StoreResult<Contact> {
    contact_row(&row(c, &format!("{CONTACT_SELECT} WHERE id = $1"), &[&id]).await?)
}

/// Companies by id.
pub async fn companies(c: &Db) -> StoreResult<Vec<Company>> {
    rows(c, "SELECT id, name, domain FROM companies ORDER BY id", &[])
        .await?
        .iter()
        .map(|r| {
            Ok(Company {
                id: get(r, 0)?,
                name: get(r, 1)?,
                domain: get(r, 2)?,
            })
        })
        .collect()
}

/// Sets registration state (and password when given).
pub async fn set_registration(
    c: &Db,
    id: i64,
    state: Registration,
    hash: Option<&str>,
) -> StoreResult<Contact> {
    let n = execute(
        c,
        "UPDATE contacts SET registration = $2, password_hash = COALESCE($3, password_hash) WHERE id = $1",
        &[&id, &state.as_str(), &hash],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "contact", id, "upsert", None).await?;
    contact(c, id).await
}

/// Records consent acceptance.
pub async fn accept_consent(c: &Db, id: i64, version: i64) -> StoreResult<Contact> {
    let n = execute(
        c,
        "UPDATE contacts SET consent_version = $2, consent_at = $3 WHERE id = $1",
        &[&id, &version, &now_text()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_change(c, "contact", id, "upsert", None).await?;
    contact(c, id).await
}

/// Credentials by email: staff first, then contacts.
pub async fn credentials(c: &Db, email: &str) -> StoreResult<Option<Credentials>> {
    if let Some(r) = row_opt(
        c,
        "SELECT id, email, name, role, password_hash FROM users WHERE email = $1 AND removed_at IS NULL",
        &[&email],
    )
    .await?
    {
        return Ok(Some(Credentials {
            account: Account::User(user_row(&r)?),
            password_hash: get(&r, 4)?,
        }));
    }
    match row_opt(
        c,
        "SELECT id, email, name, company_id, properties, registration, consent_version, consent_at, password_hash FROM contacts WHERE email = $1",
        &[&email],
    )
    .await?
    {
        Some(r) => Ok(Some(Credentials {
            account: Account::Contact(contact_row(&r)?),
            password_hash: get(&r, 8)?,
        })),
        None => Ok(None),
    }
}

/// Replaces an account's password hash.
pub async fn set_password(c: &Db, account: &Account, hash: &str) -> StoreResult<()> {
    let sql = match account {
        Account::User(_) => "UPDATE users SET password_hash = $2 WHERE id = $1",
        Account::Contact(_) => "UPDATE contacts SET password_hash = $2 WHERE id = $1",
    };
    let (_, id) = account.key();
    if execute(c, sql, &[&id, &hash]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The account a session belongs to.
pub async fn account(c: &Db, kind: &str, id: i64) -> StoreResult<Option<Account>> {
    if kind == "user" {
        match row_opt(c, &format!("{USER_SELECT} AND id = $1"), &[&id]).await? {
            Some(r) => Ok(Some(Account::User(user_row(&r)?))),
            None => Ok(None),
        }
    } else {
        match row_opt(c, &format!("{CONTACT_SELECT} WHERE id = $1"), &[&id]).await? {
            Some(r) => Ok(Some(Account::Contact(contact_row(&r)?))),
            None => Ok(None),
        }
    }
}

/// The contact with this (lower-case) address, if any.
pub async fn contact_by_email(c: &Db, email: &str) -> StoreResult<Option<Contact>> {
    row_opt(c, &format!("{CONTACT_SELECT} WHERE email = $1"), &[&email])
        .await?
        .as_ref()
        .map(contact_row)
        .transpose()
}

/// Creates a contact who wrote in by mail (not registered; in the company whose domain their
/// address has, if any) and returns its id.
pub async fn create_contact(c: &Db, email: &str, name: &str) -> StoreResult<i64> {
    if email_taken(c, email).await? {
        return Err(StoreError::Duplicate(format!(
            "{email} is already an account"
        )));
    }
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
    let added = row(
        c,
        "INSERT INTO contacts (email, name, company_id, properties, registration) VALUES \
         ($1, $2, (SELECT MIN(id) FROM companies WHERE domain = $3), '{}', $4) RETURNING id",
        &[&email, &name, &domain, &Registration::None.as_str()],
    )
    .await?;
    let id: i64 = get(&added, 0)?;
    append_change(c, "contact", id, "upsert", None).await?;
    Ok(id)
}
