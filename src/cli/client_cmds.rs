//! `deskport login|sync|tickets|portal`: one-shot commands over the client (session in the
//! config dir, cache in the data dir).

use super::{paths, prompt};
use color_eyre::eyre::{Result, WrapErr, bail, eyre};
use deskport::client::{
    ApiError, Client, ClientConfig, ClientError, Session, SyncReport, View, ViewTicket,
};
use deskport::domain::text::{escape_invisible_in_json, strip_control};
use deskport::domain::wire::PortalFor;
use std::io::Write as _;

mod portal;

/// `deskport login`.
pub async fn login(server: &str, email: &str, password_stdin: bool) -> Result<()> {
    let password = prompt::read_password(password_stdin, &format!("Password for {email}: "))?;
    let session = deskport::client::login(server, email, &password)
        .await
        .map_err(|e| match e {
            ApiError::Unauthorized(_) => eyre!("wrong email or password"),
            other => eyre!("cannot sign in to {server}: {other}"),
        })?;
    let config_dir = paths::config_dir();
    session
        .save(&config_dir)
        .wrap_err("cannot store the session")?;
    let a = &session.account;
    println!(
        "Signed in to {} as {} <{}> ({}).",
        session.server_url,
        strip_control(&a.name),
        a.email,
        a.role.as_str()
    );
    let client =
        deskport::client::ApiClient::new(&session.server_url)?.with_token(session.token.clone());
    if let Ok(me) = client.me().await
        && me.consent_required
    {
        eprintln!(
            "deskport: this portal asks you to accept its consent notice first; open `deskport` to read and accept it."
        );
    }
    Ok(())
}

/// The stored session, or a hint to sign in.
fn session() -> Result<Session> {
    Session::load(&paths::config_dir())?
        .ok_or_else(|| eyre!("not signed in; run `deskport login --server URL --email E` first"))
}

async fn start(offline: bool) -> Result<Client> {
    let mut config = ClientConfig::new(paths::data_dir());
    config.offline = offline;
    config.background = false;
    Client::start(config, session()?)
        .await
        .wrap_err("cannot open the local cache")
}

/// `deskport sync`.
pub async fn sync() -> Result<()> {
    let client = start(false).await?;
    let report = client
        .sync_now()
        .await
        .map_err(|e| eyre!("sync failed: {}", explain(&e)))?;
    print_report(&report, &client.view());
    Ok(())
}

/// What went wrong, for the terminal: a server's message is shown without control or
/// invisible characters.
fn explain(e: &ClientError) -> String {
    match e {
        ClientError::Api(ApiError::Unauthorized(_)) => {
            "the session expired; run `deskport login` again".into()
        }
        other => strip_control(&other.to_string()),
    }
}

fn print_report(r: &SyncReport, view: &View) {
    if r.reset {
        println!(
            "Rebuilt the cache from a snapshot: {} tickets.",
            view.ticket_count()
        );
    } else if r.is_empty() {
        println!("Up to date ({} tickets).", view.ticket_count());
        return;
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
        println!(
            "{} tickets new or changed: {}",
            r.tickets_changed.len(),
            ids(&r.tickets_changed)
        );
    }
    if !r.tickets_removed.is_empty() {
        println!(
            "{} tickets no longer visible: {}",
            r.tickets_removed.len(),
            ids(&r.tickets_removed)
        );
    }
    for (entity, n) in r.upserts.iter().filter(|(e, _)| e.as_str() != "ticket") {
        println!("{entity}: {n} updated");
    }
    for (entity, n) in r.deletes.iter().filter(|(e, _)| e.as_str() != "ticket") {
        println!("{entity}: {n} removed");
    }
    if r.writes_applied + r.writes_conflicted + r.writes_rejected > 0 {
        println!(
            "Writes sent: {} applied, {} in conflict, {} rejected.",
            r.writes_applied, r.writes_conflicted, r.writes_rejected
        );
    }
}

/// `deskport tickets`.
pub async fn tickets(json: bool, offline: bool) -> Result<()> {
    let client = start(offline).await?;
    if !offline && let Err(e) = client.sync_now().await {
        let when = client
            .view()
            .status
            .last_sync
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "never".into());
        eprintln!(
            "deskport: the server cannot be reached ({}); showing the cache (last synced {when}).",
            explain(&e)
        );
    }
    let view = client.view();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        // The values stay exact; only invisible characters are written as `\uXXXX`.
        let items: Vec<serde_json::Value> =
            view.tickets().map(ticket_json).collect::<Result<_>>()?;
        let json = serde_json::to_string_pretty(&items)?;
        writeln!(out, "{}", escape_invisible_in_json(&json))?;
    } else {
        print_table(&mut out, &view)?;
    }
    out.flush()?;
    Ok(())
}

fn ticket_json(t: &ViewTicket) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(t.ticket())?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("pending".into(), t.pending.into());
    }
    Ok(v)
}

fn print_table(out: &mut impl std::io::Write, view: &View) -> Result<()> {
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
        "{} tickets{}",
        view.ticket_count(),
        if pending > 0 {
            format!(", {pending} writes not sent yet (*)")
        } else {
            String::new()
        }
    )?;
    Ok(())
}

/// `deskport portal show`.
pub async fn portal_show() -> Result<()> {
    let session = session()?;
    let api =
        deskport::client::ApiClient::new(&session.server_url)?.with_token(session.token.clone());
    let portal = match api.portal().await {
        Ok(p) => p.body,
        Err(e) if e.is_transient() => {
            eprintln!("deskport: the server cannot be reached ({e}); showing the cached settings.");
            let client = start(true).await?;
            let view = client.view();
            match &view.portal {
                Some(p) => p.item.clone(),
                None => bail!("no cached portal settings; sync once online first"),
            }
        }
        Err(e) => return Err(eyre!("cannot read the portal settings: {e}")),
    };
    portal::print(&portal);
    Ok(())
}

/// `deskport portal set`.
pub async fn portal_set(key: &str, value: &str) -> Result<()> {
    let session = session()?;
    if !matches!(session.account.role, deskport::domain::Role::Admin) {
        bail!(
            "only admins can change portal settings (signed in as {}, {})",
            session.account.email,
            session.account.role.as_str()
        );
    }
    let api =
        deskport::client::ApiClient::new(&session.server_url)?.with_token(session.token.clone());
    let current = api
        .portal()
        .await
        .map_err(|e| eyre!("cannot read the portal settings: {e}"))?;
    let PortalFor::Staff(settings) = &current.body else {
        bail!("the server sent the customer view of the settings")
    };
    let patch = portal::patch_for(key, value, &settings.settings)?;
    let version = current.version.unwrap_or(settings.settings.version);
    let idempotency_key = format!("{:032x}", rand::random::<u128>());
    let updated = api
        .patch_portal(version, &patch, Some(&idempotency_key))
        .await
        .map_err(|e| match e {
            ApiError::Conflict { .. } => {
                eyre!("someone changed the settings at the same time; run the command again")
            }
            ApiError::Rejected { message, .. } => {
                eyre!(
                    "the server refused `{key} {value}`: {}",
                    strip_control(&message)
                )
            }
            other => eyre!("cannot change the portal settings: {other}"),
        })?;
    println!(
        "Set {key} = {value} (settings version {}).",
        updated.version.unwrap_or(version + 1)
    );
    Ok(())
}
