//! `deskport migrate`: moves a portal from its SQLite data dir into an empty PostgreSQL
//! database and says what it copied.

use super::output::print;
use clap::Args;
use color_eyre::eyre::Result;
use deskport::server::move_to_postgres::sqlite_to_postgres;
use deskport::server::store::table_copy::MoveReport;
use std::io::Write;
use std::path::PathBuf;

/// Where a portal moves from and to.
#[derive(Debug, Args)]
pub struct Migrate {
    /// The data dir of the SQLite portal (the `--data-dir` its server ran with; stop it first).
    #[arg(long)]
    from_data_dir: PathBuf,
    /// The empty PostgreSQL database to copy it into (postgres://USER@HOST:PORT/DB; password
    /// from the URL or PGPASSWORD).
    #[arg(long, env = "DESKPORT_DATABASE_URL", hide_env_values = true)]
    to: String,
}

/// Copies the portal and prints the counts.
pub async fn run(args: Migrate) -> Result<()> {
    let report = sqlite_to_postgres(&args.from_data_dir, &args.to).await?;
    let dir = args.from_data_dir.display().to_string();
    print(|out| write_report(out, &report, &dir))
}

fn write_report(out: &mut dyn Write, report: &MoveReport, dir: &str) -> std::io::Result<()> {
    writeln!(out, "copied the portal in {dir} to PostgreSQL:")?;
    for (table, rows) in &report.rows {
        writeln!(out, "  {:<34} {rows:>8}", label(table))?;
    }
    writeln!(
        out,
        "the change log continues after {}: clients keep syncing from their cursors",
        report.last_seq
    )?;
    if report.code_key {
        writeln!(
            out,
            "the code key was copied: reply addresses in mail already sent still work"
        )?;
    }
    writeln!(
        out,
        "serve it with: deskport serve --database URL --data-dir {dir} (the data dir keeps the mail folder)"
    )
}

/// What a table holds, in the words of the portal.
fn label(table: &str) -> &str {
    match table {
        "portal" => "portal settings",
        "domains" => "domains",
        "users" => "staff users (removed ones included)",
        "companies" => "companies",
        "contacts" => "contacts",
        "inboxes" => "inboxes",
        "routing_rules" => "routing rules",
        "tickets" => "tickets",
        "ticket_ccs" => "CCs on tickets",
        "messages" => "messages (internal notes included)",
        "mail_queue" => "queued and sent mails",
        "inbound_mail" => "received mails (kept whole)",
        "changes" => "change-log entries",
        "sessions" => "sessions",
        "sign_in_failures" => "sign-in lockouts",
        other => other,
    }
}
