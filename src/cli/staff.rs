//! `deskport staff add` creates a staff account directly in a server's data dir (how a fresh
//! server gets its first admin); `deskport staff unlock` lifts a sign-in lock (how an admin
//! locked out by someone guessing at their address gets back in before the lock runs out);
//! `deskport staff remove` removes a staff user (how a portal whose admins cannot sign in,
//! or that has no API client at hand, still gets rid of an account).

use super::paths;
use super::prompt::read_password;
use clap::{Subcommand, ValueEnum};
use color_eyre::eyre::{Result, bail, eyre};
use deskport::domain::Role;
use deskport::domain::text::normalize_email;
use deskport::server::security::{check_password, hash_password_async};
use deskport::server::store::Store;
use deskport::server::{database_path, open_database};
use std::path::{Path, PathBuf};

/// Staff actions.
#[derive(Debug, Subcommand)]
pub enum StaffAction {
    /// Adds an admin or agent.
    Add {
        /// The server's data dir.
        #[arg(long)]
        data_dir: PathBuf,
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role.
        #[arg(long, value_enum)]
        role: StaffRole,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lifts the lock after too many failed sign-ins to an address (and forgets its failures).
    Unlock {
        /// The server's data dir.
        #[arg(long)]
        data_dir: PathBuf,
        /// The locked email address.
        #[arg(long)]
        email: String,
    },
    /// Removes a staff user: their sessions end, they can no longer sign in, and their open
    /// tickets become unassigned (their name stays on tickets and messages).
    Remove {
        /// The staff user's sign-in email.
        email: String,
        /// The server's data dir (default: the one `deskport serve` uses without --data-dir).
        #[arg(long)]
        data_dir: Option<PathBuf>,
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
            data_dir,
            email,
            name,
            role,
            password_stdin,
        } => add(data_dir, email, name, role, password_stdin).await,
        StaffAction::Unlock { data_dir, email } => unlock(data_dir, email).await,
        StaffAction::Remove { email, data_dir } => {
            remove(data_dir.unwrap_or_else(paths::server_data_dir), email).await
        }
    }
}

/// Refuses a data dir without a database: an admin task on a mistyped data dir must not
/// create a new, empty portal there.
fn require_portal(data_dir: &Path) -> Result<()> {
    if !database_path(data_dir).exists() {
        bail!(
            "no portal in {}: pass the data dir the server runs on",
            data_dir.display()
        );
    }
    Ok(())
}

/// Removes the staff user with `email` from the portal in `data_dir`. A server running on
/// it stops taking their sessions at its next request, and its open event streams of
/// theirs close within half a minute.
async fn remove(data_dir: PathBuf, email: String) -> Result<()> {
    let email =
        normalize_email(&email).ok_or_else(|| eyre!("`{email}` is not an email address"))?;
    require_portal(&data_dir)?;
    let store = open_database(&data_dir)?;
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

/// Lifts the sign-in lock of `email` in an existing data dir.
async fn unlock(data_dir: PathBuf, email: String) -> Result<()> {
    let email =
        normalize_email(&email).ok_or_else(|| eyre!("`{email}` is not an email address"))?;
    require_portal(&data_dir)?;
    let store = open_database(&data_dir)?;
    if store.clear_failed_sign_ins(email.clone()).await? {
        println!("{email} may sign in again");
    } else {
        println!("{email} was not locked and had no failed sign-ins");
    }
    Ok(())
}

async fn add(
    data_dir: PathBuf,
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
    let store = open_database(&data_dir)?;
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
