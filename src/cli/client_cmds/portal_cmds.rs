//! `deskport portal show|set|domain add|domain rm`: the portal's settings and connected domains
//! over the API (`show` falls back to the cache when the server cannot be reached).

use super::super::failure::{Exit, api_failure, fail, warn};
use super::super::output::print;
use super::portal;
use super::{cache_age, session, start};
use color_eyre::eyre::Result;
use deskport::client::{ApiClient, ApiError, Session};
use deskport::domain::DomainInfo;
use deskport::domain::wire::PortalFor;
use deskport::tui::i18n::t;

fn api_of(session: &Session) -> Result<ApiClient> {
    Ok(ApiClient::new(&session.server_url)?.with_token(session.token.clone()))
}

/// The signed-in admin's session and API client; anyone else is told why not.
fn admin() -> Result<(Session, ApiClient)> {
    let session = session()?;
    if !matches!(session.account.role, deskport::domain::Role::Admin) {
        return Err(fail(
            Exit::NotAllowed,
            format!(
                "only admins can change the portal (signed in as {}, {})",
                session.account.email,
                session.account.role.as_str()
            ),
        ));
    }
    let api = api_of(&session)?;
    Ok((session, api))
}

/// `deskport portal show`.
pub async fn portal_show() -> Result<()> {
    let session = session()?;
    let server = session.server_url.clone();
    let api = api_of(&session)?;
    let staff = session.account.role.is_staff();
    let fetched = async {
        let portal = api.portal().await?.body;
        let domains = if staff { api.domains().await? } else { vec![] };
        Ok::<_, ApiError>((portal, domains))
    }
    .await;
    let (settings, domains) = match fetched {
        Ok(both) => both,
        Err(e) if e.is_transient() => {
            let why = api_failure(&server, &e);
            let client = start(session, true).await?;
            let view = client.view();
            let Some(cached) = &view.portal else {
                return Err(fail(
                    Exit::Unreachable,
                    format!("{why}; {}", t("cli-no-portal-cached")),
                ));
            };
            warn(format!("{why}; {}", cache_age(view.status.last_sync)));
            (cached.item.clone(), view.domains.clone())
        }
        Err(e) => return Err(api_failure(&server, &e)),
    };
    print(|out| portal::print(out, &settings, &domains))
}

/// `deskport portal set KEY VALUE`.
pub async fn portal_set(key: &str, value: &str) -> Result<()> {
    let (session, api) = admin()?;
    let server = session.server_url;
    let current = api.portal().await.map_err(|e| api_failure(&server, &e))?;
    let PortalFor::Staff(settings) = &current.body else {
        return Err(fail(
            Exit::Failed,
            "the server sent the customer view of the settings to an admin",
        ));
    };
    let patch = portal::patch_for(key, value, &settings.settings)?;
    let version = current.version.unwrap_or(settings.settings.version);
    let idempotency_key = format!("{:032x}", rand::random::<u128>());
    let updated = api
        .patch_portal(version, &patch, Some(&idempotency_key))
        .await
        .map_err(|e| match e {
            ApiError::Conflict { .. } => fail(
                Exit::Failed,
                "someone changed the settings at the same time; run the command again",
            ),
            ApiError::Rejected { message, field, .. } => {
                let hint = if field.as_deref() == Some("domain") {
                    format!(
                        "; connect it first with `deskport portal domain add {value} --language LANG`"
                    )
                } else {
                    String::new()
                };
                fail(
                    Exit::Failed,
                    format!("the server refused `{key} {value}`: {message}{hint}"),
                )
            }
            other => api_failure(&server, &other),
        })?;
    print(|out| {
        writeln!(
            out,
            "Set {key} = {value} (settings version {}).",
            updated.version.unwrap_or(version + 1)
        )
    })
}

/// `deskport portal domain add HOST --language LANG`.
pub async fn domain_add(host: &str, language: &str) -> Result<()> {
    let (session, api) = admin()?;
    let domain = DomainInfo {
        host: host.trim().to_ascii_lowercase(),
        primary_language: language.trim().to_string(),
        system: false,
    };
    let added = api.add_domain(&domain).await.map_err(|e| match e {
        ApiError::Rejected { message, .. } | ApiError::Conflict { message, .. } => fail(
            Exit::Failed,
            format!("the server refused domain `{}`: {message}", domain.host),
        ),
        other => api_failure(&session.server_url, &other),
    })?;
    print(|out| {
        writeln!(
            out,
            "Connected {} (language {}). Serve the portal on it with `deskport portal set domain {}`.",
            added.host, added.primary_language, added.host
        )
    })
}

/// `deskport portal domain rm HOST`.
pub async fn domain_rm(host: &str) -> Result<()> {
    let (session, api) = admin()?;
    let host = host.trim().to_ascii_lowercase();
    api.remove_domain(&host).await.map_err(|e| match e {
        ApiError::NotFound => fail(
            Exit::Failed,
            format!("`{host}` is not a connected domain (`deskport portal show` lists them)"),
        ),
        ApiError::Rejected { message, .. } | ApiError::Conflict { message, .. } => {
            fail(Exit::Failed, format!("cannot remove `{host}`: {message}"))
        }
        other => api_failure(&session.server_url, &other),
    })?;
    print(|out| writeln!(out, "Removed {host}."))
}
