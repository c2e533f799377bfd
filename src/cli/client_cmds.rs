//! `deskport login|sync|tickets|portal|replies`: one-shot commands over the client (session in the
//! config dir, cache in the data dir).

use super::failure::{Exit, client_failure, fail, warn};
use super::output::{count, print};
use super::paths;
use color_eyre::eyre::{Result, WrapErr};
use deskport::client::{Client, ClientConfig, Session, SyncReport, View, ViewTicket};
use deskport::domain::text::{escape_invisible_in_json, strip_control};
use std::io::Write;

mod login;
mod portal;
mod portal_cmds;
mod replies;

pub use login::{Login, login};
pub use portal::SET_HELP;
pub use portal_cmds::{domain_add, domain_rm, portal_set, portal_show};
pub use replies::{replies_add, replies_list, replies_rm};

/// The stored session, or a hint to sign in.
fn session() -> Result<Session> {
    Session::load(&paths::config_dir())?.ok_or_else(|| {
        fail(
            Exit::SignedOut,
            "not signed in; run `deskport login --server URL --email E` first",
        )
    })
}

async fn start(session: Session, offline: bool) -> Result<Client> {
    let mut config = ClientConfig::new(paths::data_dir());
    config.offline = offline;
    config.background = false;
    Client::start(config, session)
        .await
        .wrap_err("cannot open the local cache")
}

/// `deskport sync`.
pub async fn sync() -> Result<()> {
    let session = session()?;
    let server = session.server_url.clone();
    let client = start(session, false).await?;
    let report = client
        .sync_now()
        .await
        .map_err(|e| client_failure(&server, &e))?;
    let view = client.view();
    print(|out| print_report(out, &report, &view))
}

fn print_report(out: &mut dyn Write, r: &SyncReport, view: &View) -> std::io::Result<()> {
    let tickets = count(view.ticket_count(), "ticket", "tickets");
    if r.reset {
        writeln!(out, "Rebuilt the cache from a snapshot: {tickets}.")?;
    } else if r.is_empty() {
        return writeln!(out, "Up to date ({tickets}).");
    }
    let ids = |v: &[i64]| {
        v.iter()
            .take(20)
            .map(|i| format!("#{i}"))
            .collect::<Vec<_>>()
            .join(" ")
            + if v.len() > 20 { " …" } else { "" }
    };
    if !r.reset && !r.tickets_changed.is_empty() {
        writeln!(
            out,
            "{} new or changed: {}",
            count(r.tickets_changed.len(), "ticket", "tickets"),
            ids(&r.tickets_changed)
        )?;
    }
    if !r.tickets_removed.is_empty() {
        writeln!(
            out,
            "{} no longer visible: {}",
            count(r.tickets_removed.len(), "ticket", "tickets"),
            ids(&r.tickets_removed)
        )?;
    }
    for (entity, n) in r.upserts.iter().filter(|(e, _)| e.as_str() != "ticket") {
        writeln!(out, "{entity}: {n} updated")?;
    }
    for (entity, n) in r.deletes.iter().filter(|(e, _)| e.as_str() != "ticket") {
        writeln!(out, "{entity}: {n} removed")?;
    }
    if r.writes_applied + r.writes_conflicted + r.writes_rejected > 0 {
        writeln!(
            out,
            "Writes sent: {} applied, {} in conflict, {} rejected.",
            r.writes_applied, r.writes_conflicted, r.writes_rejected
        )?;
    }
    Ok(())
}

/// `deskport tickets`.
pub async fn tickets(json: bool, offline: bool) -> Result<()> {
    let session = session()?;
    let server = session.server_url.clone();
    let client = start(session, offline).await?;
    if !offline && let Err(e) = client.sync_now().await {
        let why = client_failure(&server, &e);
        warn(format!(
            "{why}; {}",
            cache_age(client.view().status.last_sync)
        ));
    }
    let view = client.view();
    if json {
        let items: Vec<serde_json::Value> =
            view.tickets().map(ticket_json).collect::<Result<_>>()?;
        // The values stay exact; only invisible characters are written as `\uXXXX`.
        let json = serde_json::to_string_pretty(&items)?;
        print(|out| writeln!(out, "{}", escape_invisible_in_json(&json)))
    } else {
        print(|out| print_table(out, &view))
    }
}

/// What the cache shown instead of the server holds: "showing the cache as of 14:02:11".
fn cache_age(last_sync: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match last_sync {
        Some(at) => format!(
            "showing the cache as of {}",
            deskport::tui::components::widgets::status_bar::local_time(at, chrono::Local::now())
        ),
        None => "nothing has been synced yet".into(),
    }
}

fn ticket_json(t: &ViewTicket) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(t.ticket())?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("pending".into(), t.pending.into());
    }
    Ok(v)
}

fn print_table(out: &mut dyn Write, view: &View) -> std::io::Result<()> {
    let staff = view.is_staff();
    let width = |s: &str, n: usize| -> String {
        let clean = strip_control(s);
        if clean.chars().count() > n {
            clean.chars().take(n - 1).collect::<String>() + "…"
        } else {
            clean
        }
    };
    writeln!(
        out,
        "{:>7}  {:<18}  {:<8}  {:<44}  {:<20}  {}",
        "ID",
        "STATUS",
        "PRIORITY",
        "SUBJECT",
        "REQUESTER",
        if staff { "OWNER" } else { "UPDATED" }
    )?;
    for t in view.tickets() {
        let id = if t.pending {
            format!("*{}", t.id())
        } else {
            t.id().to_string()
        };
        let last = if staff {
            t.owner_name().unwrap_or("-")
        } else {
            t.updated_at().get(..10).unwrap_or(t.updated_at())
        };
        writeln!(
            out,
            "{:>7}  {:<18}  {:<8}  {:<44}  {:<20}  {}",
            id,
            width(t.status(), 18),
            t.priority().as_str(),
            width(t.subject(), 44),
            width(t.requester(), 20),
            width(last, 24)
        )?;
    }
    let pending = view.pending_writes();
    writeln!(
        out,
        "{}{}",
        count(view.ticket_count(), "ticket", "tickets"),
        if pending > 0 {
            format!(", {} not sent yet (*)", count(pending, "write", "writes"))
        } else {
            String::new()
        }
    )
}
