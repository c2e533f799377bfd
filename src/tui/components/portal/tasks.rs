//! The pane's background work: recording settings writes in the outbox, settling conflicts,
//! connecting a domain and inviting a contact. Answers land in a [`Slot`] the pane reads when
//! it draws; a sync request afterwards makes the app draw again.

use crate::client::{Client, Resolution, Write, WriteId};
use crate::domain::DomainInfo;
use crate::domain::text::strip_control;
use std::sync::{Arc, Mutex, PoisonError};

/// The latest answer of a background call: its text and whether it is an error.
#[derive(Debug, Clone, Default)]
pub struct Slot(Arc<Mutex<Option<(String, bool)>>>);

impl Slot {
    fn put(&self, text: String, error: bool) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((text, error));
    }

    /// Takes the answer, if one came.
    pub fn take(&self) -> Option<(String, bool)> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The outbox id of a write once it is queued to be sent (or why it is not), so the pane can
/// follow it until the server answers.
#[derive(Debug, Clone, Default)]
pub struct Queued(Arc<Mutex<Option<Result<WriteId, String>>>>);

impl Queued {
    /// Records the outcome of queuing the write.
    pub(super) fn put(&self, result: Result<WriteId, String>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
    }

    /// The write's id once queued, or why it was not; `None` while that is not known yet.
    pub fn get(&self) -> Option<Result<WriteId, String>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Records `write` in the outbox (the client sends it with `If-Match`) and tells `queued`.
pub fn submit(client: &Client, write: Write, queued: &Queued) {
    let client = client.clone();
    let queued = queued.clone();
    tokio::spawn(async move {
        let result = client.submit(write).await;
        if let Err(e) = &result {
            tracing::warn!("cannot record the portal settings change: {e}");
        }
        queued.put(result.map_err(|e| e.to_string()));
        client.request_sync();
    });
}

/// Settles a conflicting or refused settings write; tells `queued` once a write sent again
/// over the server's version is back in the queue.
pub fn resolve(client: &Client, id: WriteId, resolution: Resolution, queued: Option<Queued>) {
    let client = client.clone();
    tokio::spawn(async move {
        let result = client.resolve_conflict(id, resolution).await;
        if let Err(e) = &result {
            tracing::warn!("cannot settle the portal settings conflict: {e}");
        }
        if let Some(queued) = queued {
            queued.put(result.map(|()| id).map_err(|e| e.to_string()));
        }
        client.request_sync();
    });
}

/// Connects the domain `host` with `language` as its primary language, after checking both;
/// returns what to say now, or why not.
pub fn add_domain(
    client: &Client,
    host: String,
    language: String,
    slot: &Slot,
) -> Result<String, String> {
    let domain = DomainInfo {
        host,
        primary_language: language,
        system: false,
    };
    domain.validate().map_err(|e| {
        format!(
            "Domain not added: the {} {}.",
            e.field.replace('_', " "),
            e.message
        )
    })?;
    let client = client.clone();
    let slot = slot.clone();
    let text = format!("Connecting {}…", domain.host);
    tokio::spawn(async move {
        match client.api().add_domain(&domain).await {
            Ok(d) => slot.put(
                format!(
                    "Connected {} (language {}).",
                    strip_control(&d.host),
                    strip_control(&d.primary_language)
                ),
                false,
            ),
            Err(e) => slot.put(format!("Domain not added: {e}"), true),
        }
        client.request_sync();
    });
    Ok(text)
}

/// Invites the contact at `index` of the view's contacts (in id order); returns what to say
/// now, or `None` when there is no such contact.
pub fn invite(client: &Client, index: usize, slot: &Slot) -> Option<String> {
    let (id, email) = {
        let view = client.view();
        let contact = view.contacts.values().nth(index)?;
        (contact.id, strip_control(&contact.email))
    };
    let client = client.clone();
    let slot = slot.clone();
    let text = format!("Inviting {email}…");
    tokio::spawn(async move {
        match client.api().invite(id).await {
            Ok(outcome) if outcome.email_sent => {
                slot.put(format!("Registration email sent to {email}."), false);
            }
            Ok(outcome) => {
                let why = outcome.reason.map_or_else(
                    || "the server gave no reason".to_string(),
                    |r| strip_control(&r),
                );
                slot.put(format!("No email sent to {email}: {why}."), true);
            }
            Err(e) => slot.put(format!("Could not invite {email}: {e}"), true),
        }
        client.request_sync();
    });
    Some(text)
}
