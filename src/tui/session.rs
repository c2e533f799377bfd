//! Signing in through the client, off the event loop: each call runs in a task and comes back
//! to the app as a [`Msg::SignedIn`].

use super::Msg;
use crate::client::{ApiError, Client, ClientConfig, ClientError, Session, login};
use std::path::PathBuf;
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
        ApiError::Offline(_) => "the server cannot be reached".to_string(),
        other => other.to_string(),
    }
}

/// Signs in with email and password and starts the client, in a task.
pub fn sign_in(plan: SignInPlan, email: String, password: String, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let result = async {
            let session = login(&plan.server_url, &email, &password)
                .await
                .map_err(|e| explain(&e))?;
            if let Some(dir) = &plan.remember_in
                && let Err(e) = session.save(dir)
            {
                tracing::warn!("cannot remember the session: {e}");
            }
            start(plan.data_dir, session).await
        }
        .await;
        if tx.send(Msg::SignedIn(result)).is_err() {
            tracing::debug!("signed in after the app ended");
        }
    });
}

/// Starts the client with a remembered session, in a task.
pub fn resume(plan: SignInPlan, session: Session, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let result = start(plan.data_dir, session).await;
        if tx.send(Msg::SignedIn(result)).is_err() {
            tracing::debug!("resumed the session after the app ended");
        }
    });
}

async fn start(data_dir: PathBuf, session: Session) -> Result<Client, String> {
    Client::start(ClientConfig::new(data_dir), session)
        .await
        .map_err(|e| match e {
            ClientError::Api(api) => explain(&api),
            other => other.to_string(),
        })
}
