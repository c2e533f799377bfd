//! The pane's background work: recording settings writes in the outbox, settling conflicts,
//! connecting a domain and inviting a contact. Each runs through the pane's [`Tasks`] and
//! returns the task's id; the answer comes back as a message the pane takes in
//! `Portal::background`.

use crate::client::{Client, Resolution, Write, WriteId};
use crate::domain::DomainInfo;
use crate::domain::text::strip_control;
use crate::tui::msg::{self, Answer, TaskId, Tasks};

/// Records `write` in the outbox (the client sends it with `If-Match`); the answer is
/// [`Answer::Recorded`] with the write's id.
pub fn submit(client: &Client, tasks: &Tasks, write: Write) -> TaskId {
    tasks.spawn(msg::record(client.clone(), vec![write]))
}

/// Settles a conflicting or refused settings write; the answer is [`Answer::Recorded`] with
/// `id`, which is back in the queue when the resolution sends it again.
pub fn resolve(client: &Client, tasks: &Tasks, id: WriteId, resolution: Resolution) -> TaskId {
    let client = client.clone();
    tasks.spawn(async move {
        let result = client.resolve_conflict(id, resolution).await;
        if let Err(e) = &result {
            tracing::warn!("cannot settle the portal settings conflict: {e}");
        }
        Answer::Recorded(result.map(|()| Some(id)).map_err(|e| e.to_string()))
    })
}

/// Connects the domain `host` with `language` as its primary language, after checking both;
/// returns what to say now and the task whose [`Answer::Report`] says how it went, or why
/// not.
pub fn add_domain(
    client: &Client,
    tasks: &Tasks,
    host: String,
    language: String,
) -> Result<(String, TaskId), String> {
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
    let text = format!("Connecting {}…", domain.host);
    let task = tasks.spawn(async move {
        match client.api().add_domain(&domain).await {
            Ok(d) => report(
                format!(
                    "Connected {} (language {}).",
                    strip_control(&d.host),
                    strip_control(&d.primary_language)
                ),
                false,
            ),
            Err(e) => report(format!("Domain not added: {e}"), true),
        }
    });
    Ok((text, task))
}

fn report(text: String, error: bool) -> Answer {
    Answer::Report { text, error }
}

/// Invites the contact at `index` of the view's contacts (in id order); returns what to say
/// now and the task whose [`Answer::Report`] says how it went, or `None` when there is no
/// such contact.
pub fn invite(client: &Client, tasks: &Tasks, index: usize) -> Option<(String, TaskId)> {
    let (id, email) = {
        let view = client.view();
        let contact = view.contacts.values().nth(index)?;
        (contact.id, strip_control(&contact.email))
    };
    let client = client.clone();
    let text = format!("Inviting {email}…");
    let task = tasks.spawn(async move {
        match client.api().invite(id).await {
            Ok(outcome) if outcome.email_sent => {
                report(format!("Registration email sent to {email}."), false)
            }
            Ok(outcome) => {
                let why = outcome.reason.map_or_else(
                    || "the server gave no reason".to_string(),
                    |r| strip_control(&r),
                );
                report(format!("No email sent to {email}: {why}."), true)
            }
            Err(e) => report(format!("Could not invite {email}: {e}"), true),
        }
    });
    Some((text, task))
}
