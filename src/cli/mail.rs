//! `deskport mail queue`: the server's mail queue read straight from its data dir or
//! database, so an admin can see what was sent and what failed (with the mail server's
//! answer) even while the server is down.

use super::output::{count, print};
use super::portal_store::{Portal, open};
use clap::Subcommand;
use color_eyre::eyre::Result;
use deskport::domain::text::{escape_invisible_in_json, strip_control};
use deskport::domain::wire::{MailState, QueuedMail};
use std::io::Write;
use std::path::PathBuf;

/// Mail actions.
#[derive(Debug, Subcommand)]
pub enum MailAction {
    /// Lists the newest mails of the queue: queued, sent, failed with the server's answer.
    Queue {
        /// The server's data dir (default: the user data dir's `server/`).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// The server's PostgreSQL database (postgres://USER@HOST:PORT/DB).
        #[arg(
            long,
            env = "DESKPORT_DATABASE_URL",
            hide_env_values = true,
            conflicts_with = "data_dir"
        )]
        database: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// How many of the newest mails.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

/// Runs a mail action.
pub async fn run(action: MailAction) -> Result<()> {
    match action {
        MailAction::Queue {
            data_dir,
            database,
            json,
            limit,
        } => {
            let portal = Portal {
                data_dir: Some(data_dir.unwrap_or_else(super::paths::server_data_dir)),
                database,
            };
            // Reading the queue of a portal that does not exist must not create one.
            let mails = open(portal, true).await?.mail_queue(limit).await?;
            if json {
                let text = serde_json::to_string_pretty(&mails)?;
                print(|out| writeln!(out, "{}", escape_invisible_in_json(&text)))
            } else {
                print(|out| table(out, &mails))
            }
        }
    }
}

/// The queue as a table, one mail a line, the server's answer under a failed or waiting one.
fn table(out: &mut dyn Write, mails: &[QueuedMail]) -> std::io::Result<()> {
    if mails.is_empty() {
        return writeln!(out, "the mail queue is empty");
    }
    writeln!(
        out,
        "{:>6}  {:<8}  {:>5}  {:>7}  {:<16}  {:<28}  SUBJECT",
        "ID", "STATE", "TRIES", "TICKET", "EVENT", "TO"
    )?;
    for m in mails {
        writeln!(
            out,
            "{:>6}  {:<8}  {:>5}  {:>7}  {:<16}  {:<28}  {}",
            m.id,
            m.state.as_str(),
            m.attempts,
            format!("#{}", m.ticket_id),
            m.event.as_str(),
            strip_control(&m.recipient),
            strip_control(&m.subject)
        )?;
        if m.state != MailState::Sent
            && let Some(error) = &m.last_error
        {
            writeln!(out, "{:>6}  server said: {}", "", strip_control(error))?;
        }
    }
    let failed = mails
        .iter()
        .filter(|m| m.state == MailState::Failed)
        .count();
    let waiting = mails
        .iter()
        .filter(|m| matches!(m.state, MailState::Queued | MailState::Sending))
        .count();
    writeln!(
        out,
        "{}: {waiting} waiting, {failed} failed",
        count(mails.len(), "mail", "mails")
    )
}
