//! `deskport mail queue` and `deskport mail quarantine`: the server's mail queue and the
//! mail from unknown senders waiting for an admin, read straight from its data dir or
//! database, so an admin can see what was sent, what failed (with the mail server's answer)
//! and what waits, even while the server is down.

use super::output::{count, print};
use super::portal_store::{Portal, open};
use clap::Subcommand;
use color_eyre::eyre::Result;
use deskport::domain::text::{escape_invisible_in_json, strip_control};
use deskport::domain::wire::{MailState, QuarantinedMail, QueuedMail, waiting_and_failed};
use deskport::server::mail_in::quarantine::describe;
use deskport::server::store::Store;
use std::io::Write;
use std::path::PathBuf;

/// Mail actions.
#[derive(Debug, Subcommand)]
pub enum MailAction {
    /// Lists the newest mails of the queue: queued, sent, failed with the server's answer.
    Queue(Listing),
    /// Lists the mails from unknown senders waiting for an admin (invite-only portals),
    /// oldest first; accept or reject them in the app's Portal tab or through the API.
    Quarantine(Listing),
}

/// Which portal to read and how to print it.
#[derive(Debug, clap::Args)]
pub struct Listing {
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
    /// How many mails at most.
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

impl Listing {
    /// The portal's store; reading a portal that does not exist must not create one.
    async fn store(&self) -> Result<std::sync::Arc<dyn Store>> {
        let portal = Portal {
            data_dir: Some(
                self.data_dir
                    .clone()
                    .unwrap_or_else(super::paths::server_data_dir),
            ),
            database: self.database.clone(),
        };
        open(portal, true).await
    }

    /// Prints `items` as JSON or as `table` draws them.
    fn print<T: serde::Serialize>(
        &self,
        items: &[T],
        table: fn(&mut dyn Write, &[T]) -> std::io::Result<()>,
    ) -> Result<()> {
        if self.json {
            let text = serde_json::to_string_pretty(items)?;
            print(|out| writeln!(out, "{}", escape_invisible_in_json(&text)))
        } else {
            print(|out| table(out, items))
        }
    }
}

/// Runs a mail action.
pub async fn run(action: MailAction) -> Result<()> {
    match action {
        MailAction::Queue(listing) => {
            let mails = listing.store().await?.mail_queue(listing.limit).await?;
            listing.print(&mails, table)
        }
        MailAction::Quarantine(listing) => {
            let rows = listing.store().await?.quarantine(listing.limit).await?;
            let mails: Vec<QuarantinedMail> = rows.into_iter().map(describe).collect();
            listing.print(&mails, quarantine_table)
        }
    }
}

/// The quarantine as a table, one mail a line with its first line of text under it.
fn quarantine_table(out: &mut dyn Write, mails: &[QuarantinedMail]) -> std::io::Result<()> {
    if mails.is_empty() {
        return writeln!(out, "no mail waits in the quarantine");
    }
    writeln!(
        out,
        "{:>6}  {:<20}  {:<32}  SUBJECT",
        "ID", "RECEIVED", "FROM"
    )?;
    for m in mails {
        let first = m.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        writeln!(
            out,
            "{:>6}  {:<20}  {:<32}  {}",
            m.id,
            strip_control(&m.received_at.chars().take(19).collect::<String>()),
            strip_control(&m.sender),
            strip_control(&m.subject)
        )?;
        writeln!(out, "{:>6}  {}", "", strip_control(first))?;
    }
    writeln!(
        out,
        "{} waiting: accept or reject in the Portal tab's Mail section",
        count(mails.len(), "mail", "mails")
    )
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
    let (waiting, failed) = waiting_and_failed(mails);
    writeln!(
        out,
        "{}: {waiting} waiting, {failed} failed",
        count(mails.len(), "mail", "mails")
    )
}
