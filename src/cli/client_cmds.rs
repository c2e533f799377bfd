//! `deskport login|sync|tickets|portal|replies`: one-shot commands over the client (session in the
//! config dir, cache in the data dir).

use super::failure::{Exit, client_failure, fail};
use super::output::print;
use super::{language, paths};
use color_eyre::eyre::{Result, WrapErr};
use deskport::client::{Client, ClientConfig, EntityKind, Session, SyncReport, View};
use deskport::tui::i18n::{t, tf};
use std::io::Write;

mod login;
mod portal;
mod portal_cmds;
mod replies;
mod tickets;

pub use login::{Login, login};
pub use portal::SET_HELP;
pub use portal_cmds::{domain_add, domain_rm, portal_set, portal_show};
pub use replies::{replies_add, replies_list, replies_rm};
pub use tickets::tickets;

/// The stored session, or a hint to sign in; from here on the command speaks the language
/// of the session's user.
fn session() -> Result<Session> {
    let session = Session::load(&paths::config_dir())?
        .ok_or_else(|| fail(Exit::SignedOut, t("cli-not-signed-in")))?;
    language::speak_for(&session);
    Ok(session)
}

async fn start(session: Session, offline: bool) -> Result<Client> {
    let mut config = ClientConfig::new(paths::data_dir());
    config.offline = offline;
    config.background = false;
    Client::start(config, session)
        .await
        .wrap_err_with(|| t("cli-cache-unopened"))
}

/// `deskport sync`.
pub async fn sync() -> Result<()> {
    let session = session()?;
    let server = session.server_url.clone();
    let client = start(session.clone(), false).await?;
    let report = client
        .sync_now()
        .await
        .map_err(|e| client_failure(&server, &e))?;
    // The sync may have brought another portal language.
    language::speak_for(&session);
    let view = client.view();
    print(|out| print_report(out, &report, &view))
}

fn print_report(out: &mut dyn Write, r: &SyncReport, view: &View) -> std::io::Result<()> {
    let tickets = tf("cli-tickets", &[("count", view.ticket_count().into())]);
    if r.reset {
        writeln!(
            out,
            "{}",
            tf("cli-sync-rebuilt", &[("tickets", (&tickets).into())])
        )?;
    } else if r.is_empty() {
        return writeln!(
            out,
            "{}",
            tf("cli-sync-up-to-date", &[("tickets", (&tickets).into())])
        );
    }
    let ids = |v: &[i64]| {
        v.iter()
            .take(20)
            .map(|i| format!("#{i}"))
            .collect::<Vec<_>>()
            .join(" ")
            + if v.len() > 20 { " …" } else { "" }
    };
    let listed =
        |id: &str, v: &[i64]| tf(id, &[("count", v.len().into()), ("ids", (&ids(v)).into())]);
    if !r.reset && !r.tickets_changed.is_empty() {
        writeln!(out, "{}", listed("cli-sync-changed", &r.tickets_changed))?;
    }
    if !r.tickets_removed.is_empty() {
        writeln!(out, "{}", listed("cli-sync-gone", &r.tickets_removed))?;
    }
    // The feed's entity names (`contact`, `saved_reply`…) read in the reader's language.
    let entities = |id: &str, entity: &str, n: u64| {
        let named = match EntityKind::parse(entity) {
            Some(_) => t(&format!("cli-sync-entity-{entity}")),
            None => entity.to_string(),
        };
        tf(id, &[("entity", (&named).into()), ("count", n.into())])
    };
    for (entity, n) in r.upserts.iter().filter(|(e, _)| e.as_str() != "ticket") {
        writeln!(out, "{}", entities("cli-sync-entity-updated", entity, *n))?;
    }
    for (entity, n) in r.deletes.iter().filter(|(e, _)| e.as_str() != "ticket") {
        writeln!(out, "{}", entities("cli-sync-entity-removed", entity, *n))?;
    }
    if r.writes_applied + r.writes_conflicted + r.writes_rejected > 0 {
        let args = [
            ("applied", r.writes_applied.into()),
            ("conflicted", r.writes_conflicted.into()),
            ("rejected", r.writes_rejected.into()),
        ];
        writeln!(out, "{}", tf("cli-sync-writes", &args))?;
    }
    Ok(())
}

/// What the cache shown instead of the server holds: "showing the cache as of 14:02:11".
fn cache_age(last_sync: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match last_sync {
        Some(at) => {
            let time = deskport::tui::components::widgets::status_bar::local_time(
                at,
                chrono::Local::now(),
            );
            tf("cli-cache-as-of", &[("time", (&time).into())])
        }
        None => t("cli-never-synced"),
    }
}
