//! `deskport staff add`: creates a staff account directly in a server's data dir (how a fresh
//! server gets its first admin).

use super::prompt::read_password;
use clap::{Subcommand, ValueEnum};
use color_eyre::eyre::{Result, bail, eyre};
use deskport::domain::Role;
use deskport::domain::text::normalize_email;
use deskport::server::open_database;
use deskport::server::security::{check_password, hash_password_async};
use deskport::server::store::Store;
use std::path::PathBuf;

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
    let StaffAction::Add {
        data_dir,
        email,
        name,
        role,
        password_stdin,
    } = action;
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
