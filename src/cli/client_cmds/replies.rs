//! `deskport replies list|add|rm`: the saved replies of the signed-in staff member (the
//! shared ones and their own). `list` falls back to the cache when the server cannot be
//! reached; `add` and `rm` ask the server at once, so a refused placeholder is said here.

use super::super::failure::{Exit, api_failure, client_failure, fail, warn};
use super::super::output::{count, print};
use super::{cache_age, session, start};
use color_eyre::eyre::{Result, WrapErr};
use deskport::client::{ApiClient, Session};
use deskport::domain::text::strip_control;
use deskport::domain::wire::SavedReplyInput;
use std::io::Read;

/// The session of a staff member; customers have no saved replies.
fn staff_session() -> Result<Session> {
    let session = session()?;
    if !session.account.role.is_staff() {
        return Err(fail(
            Exit::NotAllowed,
            "saved replies are for staff; this account is a customer's",
        ));
    }
    Ok(session)
}

fn api_of(session: &Session) -> Result<ApiClient> {
    Ok(ApiClient::new(&session.server_url)?.with_token(session.token.clone()))
}

fn new_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// `deskport replies list`.
pub async fn replies_list() -> Result<()> {
    let session = staff_session()?;
    let server = session.server_url.clone();
    let client = start(session, false).await?;
    if let Err(e) = client.sync_now().await {
        let why = client_failure(&server, &e);
        warn(format!(
            "{why}; {}",
            cache_age(client.view().status.last_sync)
        ));
    }
    let view = client.view();
    print(|out| {
        writeln!(out, "{:>5}  {:<8}  TITLE", "ID", "SCOPE")?;
        for r in &view.saved_replies {
            let id = if r.pending {
                "*".to_string()
            } else {
                r.item.id.to_string()
            };
            let scope = if r.item.is_shared() {
                "shared"
            } else {
                "personal"
            };
            writeln!(out, "{id:>5}  {scope:<8}  {}", strip_control(&r.item.title))?;
        }
        writeln!(
            out,
            "{}",
            count(view.saved_replies.len(), "saved reply", "saved replies")
        )
    })
}

/// `deskport replies add TITLE BODY [--shared]`; a BODY of `-` is read from standard input.
pub async fn replies_add(title: String, body: String, shared: bool) -> Result<()> {
    let session = staff_session()?;
    let body = if body == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .wrap_err("cannot read the body from standard input")?;
        text
    } else {
        body
    };
    let input = SavedReplyInput {
        title,
        body,
        shared,
    };
    let saved = api_of(&session)?
        .create_saved_reply(&input, Some(&new_key()))
        .await
        .map_err(|e| api_failure(&session.server_url, &e))?;
    print(|out| {
        writeln!(
            out,
            "Saved reply {} \"{}\" ({}).",
            saved.id,
            strip_control(&saved.title),
            if saved.is_shared() {
                "shared"
            } else {
                "personal"
            }
        )
    })
}

/// `deskport replies rm ID`.
pub async fn replies_rm(id: i64) -> Result<()> {
    let session = staff_session()?;
    api_of(&session)?
        .delete_saved_reply(id, Some(&new_key()))
        .await
        .map_err(|e| api_failure(&session.server_url, &e))?;
    print(|out| writeln!(out, "Deleted saved reply {id}."))
}
