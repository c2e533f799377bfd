//! `deskport staff add` creates a staff account directly in a server's data dir or PostgreSQL
//! database (how a fresh server gets its first admin); `deskport staff unlock` lifts a
//! sign-in lock (how an admin locked out by someone guessing at their address gets back in
//! before the lock runs out); `deskport staff remove` removes a staff user (how a portal
//! whose admins cannot sign in, or that has no API client at hand, still gets rid of one).

use super::portal_store::{Portal, open};
use super::prompt::read_password;
use clap::{Subcommand, ValueEnum};
use color_eyre::eyre::{Result, bail, eyre};
use deskport::domain::Role;
use deskport::domain::text::normalize_email;
use deskport::server::security::{check_password, hash_password_async};

/// Staff actions.
#[derive(Debug, Subcommand)]
pub enum StaffAction {
    /// Adds an admin or agent.
    Add {
        /// Where the portal is.
        #[command(flatten)]
        portal: Portal,
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// What the account may do: agents work tickets, admins also change settings.
        #[arg(long, value_enum)]
        role: StaffRole,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lifts the lock after too many failed sign-ins to an address (and forgets its failures).
    Unlock {
        /// Where the portal is.
        #[command(flatten)]
        portal: Portal,
        /// The locked email address.
        #[arg(long)]
        email: String,
    },
    /// Removes a staff user: their sessions end, they can no longer sign in, and their open
    /// tickets become unassigned (their name stays on tickets and messages).
    Remove {
        /// The staff user's sign-in email.
        email: String,
        /// Where the portal is.
        #[command(flatten)]
        portal: Portal,
    },
}

/// A staff role on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StaffRole {
    /// May change settings, inboxes and rules.
    Admin,
    /// Triages tickets.
    Agent,
}

/// Runs a staff action.
pub async fn run(action: StaffAction) -> Result<()> {
    match action {
        StaffAction::Add {
            portal,
            email,
            name,
            role,
            password_stdin,
        } => add(portal, email, name, role, password_stdin).await,
        StaffAction::Unlock { portal, email } => unlock(portal, email).await,
        StaffAction::Remove { email, portal } => remove(portal, email).await,
    }
}

/// Lifts the sign-in lock of `email` in an existing portal.
async fn unlock(portal: Portal, email: String) -> Result<()> {
    let email =
        normalize_email(&email).ok_or_else(|| eyre!("`{email}` is not an email address"))?;
    let store = open(portal, true).await?;
    if store.clear_failed_sign_ins(email.clone()).await? {
        println!("{email} may sign in again");
    } else {
        println!("{email} was not locked and had no failed sign-ins");
    }
    Ok(())
}

/// Removes the staff user with `email` from an existing portal. A server running on it
/// refuses their sessions from its next request on, and its open event streams of theirs
/// close within half a minute.
async fn remove(portal: Portal, email: String) -> Result<()> {
    let email =
        normalize_email(&email).ok_or_else(|| eyre!("`{email}` is not an email address"))?;
    let store = open(portal, true).await?;
    let user = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.email == email)
        .ok_or_else(|| eyre!("{email} is not a staff user of this portal"))?;
    let removed = store
        .remove_user(user.id, "deskport staff remove".into())
        .await?;
    println!(
        "removed {} <{}>: signed out everywhere, open tickets unassigned",
        removed.name, removed.email
    );
    Ok(())
}

async fn add(
    portal: Portal,
    email: String,
    name: String,
    role: StaffRole,
    password_stdin: bool,
) -> Result<()> {
    let email =
        normalize_email(&email).ok_or_else(|| eyre!("`{email}` is not an email address"))?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        bail!("the name must be 1–80 characters");
    }
    let password = read_password(password_stdin, "Password for the new account: ")?;
    check_password(&password).map_err(|m| eyre!("the password {m}"))?;
    let store = open(portal, false).await?;
    let hash = hash_password_async(password).await.map_err(|e| eyre!(e))?;
    let role = match role {
        StaffRole::Admin => Role::Admin,
        StaffRole::Agent => Role::Agent,
    };
    let user = store.add_user(email, name, role, hash).await?;
    println!(
        "added {} <{}> as {} (id {})",
        user.name,
        user.email,
        user.role.as_str(),
        user.id
    );
    Ok(())
}
