//! Server-side conversions into the wire bodies of [`crate::domain::wire`].

use super::store::Account;
use crate::domain::Role;
use crate::domain::wire::AccountOut;

/// The wire description of a signed-in account.
pub fn account_out(a: &Account) -> AccountOut {
    match a {
        Account::User(u) => AccountOut {
            id: u.id,
            kind: "user".into(),
            role: u.role,
            name: u.name.clone(),
            email: u.email.clone(),
            company_id: None,
        },
        Account::Contact(c) => AccountOut {
            id: c.id,
            kind: "contact".into(),
            role: Role::Customer,
            name: c.name.clone(),
            email: c.email.clone(),
            company_id: c.company_id,
        },
    }
}
