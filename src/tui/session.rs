//! Signing in through the client, off the event loop: each call runs in a task and comes back
//! to the app as a [`Msg::SignedIn`] — or, for a customer who must first accept the portal's
//! consent notice, as a [`Msg::Consent`]. Accepting and signing out run here too.

use super::msg::{ConsentGate, Msg};
use crate::client::{
    ApiClient, ApiError, Client, ClientConfig, ClientError, Session, login, login_with_code,
};
use crate::domain::Consent;
use crate::domain::i18n::{Arg, Language};
use crate::domain::wire::PortalFor;
use crate::tui::i18n::{t, tf};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc::UnboundedSender;

/// Where a sign-in happens and what to do with the session.
#[derive(Debug, Clone)]
pub struct SignInPlan {
    /// Server base URL.
    pub server_url: String,
    /// Where the client keeps its cache.
    pub data_dir: PathBuf,
    /// Where to remember the session, if it should be remembered (not for the embedded
    /// server, whose address changes from run to run).
    pub remember_in: Option<PathBuf>,
}

/// What the user reads when signing in fails.
fn explain(e: &ApiError) -> String {
    match e {
        ApiError::Unauthorized(message) => message.clone(),
        ApiError::Offline(_) => t("error-offline"),
        other => other.to_string(),
    }
}

/// How a user proves who they are.
#[derive(Debug, Clone)]
pub enum Secret {
    /// Their password.
    Password(String),
    /// A password-less code the server emailed them.
    Code(String),
}

/// Signs in with email and password (or an emailed code) and starts the client, in a task.
pub fn sign_in(plan: SignInPlan, email: String, secret: Secret, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let result = async {
            let session = match &secret {
                Secret::Password(password) => login(&plan.server_url, &email, password).await,
                Secret::Code(code) => login_with_code(&plan.server_url, &email, code).await,
            }
            .map_err(|e| explain(&e))?;
            if let Some(dir) = &plan.remember_in
                && let Err(e) = session.save(dir)
            {
                tracing::warn!("cannot remember the session: {e}");
            }
            start(plan.data_dir, session).await
        }
        .await;
        gate(result, None, &tx).await;
    });
}

/// Asks the server at `server_url`, in a task, to email a password-less sign-in code to
/// `email`; the answer comes back as a [`Msg::CodeSent`].
pub fn request_code(server_url: String, email: String, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let sent = async {
            ApiClient::new(&server_url)?.request_code(&email).await?;
            Ok::<_, ApiError>(())
        }
        .await
        .map_err(|e| match e {
            ApiError::Forbidden { code, .. } if code == "passwordless_disabled" => {
                t("signin-no-passwordless")
            }
            other => tf(
                "signin-no-code-sent",
                &[("why", Arg::Text(&explain(&other)))],
            ),
        });
        if tx.send(Msg::CodeSent { email, sent }).is_err() {
            tracing::debug!("a sign-in code was asked for after the app ended");
        }
    });
}

/// Starts the client with a remembered session, in a task.
pub fn resume(plan: SignInPlan, session: Session, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let result = start(plan.data_dir, session).await;
        gate(result, None, &tx).await;
    });
}

/// Longest wait for the server to say whether a customer must accept the consent notice
/// before the app opens on the cache (a down or hung server must not hold the first screen;
/// the server refuses the customer's data until they accept, and the app asks again when a
/// request fails).
const CONSENT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Sends the signed-in client on, or holds it at the consent notice when the customer must
/// accept one first (`error` is shown with it). When the server cannot say, the app goes on
/// from the cache and asks again when the client next hears from the server.
async fn gate(result: Result<Client, String>, error: Option<String>, tx: &UnboundedSender<Msg>) {
    let msg = match result {
        Ok(client) => match tokio::time::timeout(CONSENT_WAIT, consent_needed(&client)).await {
            Ok(Ok(Some((notice, language)))) => Msg::Consent(Box::new(ConsentGate {
                client,
                notice,
                error,
                language,
            })),
            Ok(Ok(None)) => Msg::SignedIn(Ok(client)),
            Ok(Err(e)) => {
                tracing::info!("cannot check the consent notice now: {e}");
                Msg::SignedIn(Ok(client))
            }
            Err(_) => {
                tracing::info!("the server did not say in time whether consent is needed");
                Msg::SignedIn(Ok(client))
            }
        },
        Err(e) => Msg::SignedIn(Err(e)),
    };
    if tx.send(msg).is_err() {
        tracing::debug!("signed in after the app ended");
    }
}

/// The consent notice `client`'s customer must accept before going on, if any (staff never),
/// and the portal's language it is shown in.
async fn consent_needed(client: &Client) -> Result<Option<(Consent, Language)>, ApiError> {
    if client.session().account.role.is_staff() {
        return Ok(None);
    }
    let api = client.api();
    let me = api.me().await?;
    if !me.consent_required {
        return Ok(None);
    }
    let (consent, language) = match api.portal().await?.body {
        PortalFor::Public(p) => (p.consent, p.language),
        PortalFor::Staff(p) => (p.settings.consent, p.language),
    };
    let notice = Consent {
        version: me.consent_version,
        ..consent
    };
    Ok(Some((notice, Language::or_english(&language))))
}

/// Asks the server, in a task, whether `client`'s customer must accept a (new) consent notice;
/// sends a [`Msg::Consent`] if so. `busy` is set while a check runs, so checks never pile up.
pub fn recheck_consent(client: Client, busy: Arc<AtomicBool>, tx: UnboundedSender<Msg>) {
    if busy.swap(true, Ordering::AcqRel) {
        return;
    }
    tokio::spawn(async move {
        let needed = consent_needed(&client).await;
        busy.store(false, Ordering::Release);
        match needed {
            Ok(Some((notice, language))) => {
                let gate = ConsentGate {
                    client,
                    notice,
                    error: None,
                    language,
                };
                let _ = tx.send(Msg::Consent(Box::new(gate)));
            }
            Ok(None) => {}
            Err(e) => tracing::debug!("cannot check the consent notice: {e}"),
        }
    });
}

/// Records the customer's acceptance of notice `version`, in a task, then lets them in (or
/// shows the notice again, with why, when it did not go through or the text changed).
pub fn accept_consent(client: Client, version: i64, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let error = match client.api().accept_consent(version).await {
            Ok(_) => {
                client.request_sync();
                None
            }
            Err(ApiError::Conflict { .. } | ApiError::Rejected { .. }) => {
                Some(t("consent-changed"))
            }
            Err(e) => Some(tf(
                "consent-not-recorded",
                &[("why", Arg::Text(&explain(&e)))],
            )),
        };
        gate(Ok(client), error, &tx).await;
    });
}

/// Ends `client`'s session on the server (best effort) and stops it, in a task;
/// `everywhere` ends every session of the account (other devices too).
pub fn sign_out(client: Client, everywhere: bool) {
    tokio::spawn(async move {
        let api = client.api();
        let ended = if everywhere {
            api.logout_all().await
        } else {
            api.logout().await
        };
        if let Err(e) = ended {
            tracing::info!("the server did not take the sign-out: {e}");
        }
        client.shutdown().await;
    });
}

async fn start(data_dir: PathBuf, session: Session) -> Result<Client, String> {
    let mut config = ClientConfig::new(data_dir);
    config.first_screen = true;
    Client::start(config, session).await.map_err(|e| match e {
        ClientError::Api(api) => explain(&api),
        other => other.to_string(),
    })
}
