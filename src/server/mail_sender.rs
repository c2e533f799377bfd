//! The sender: a server task that sends each queued mail once, retrying with a capped
//! backoff while the mail server cannot take it. Its state lives in the queue table, so a
//! restart (or kill -9) loses nothing: see [`crate::server::store::Store::resume_mail`].

use super::mail::{SendError, mailbox};
use super::state::SharedState;
use super::store::{MailOutcome, QueuedMail};
use lettre::Message;
use lettre::message::header::ContentType;
use std::convert::Infallible;
use std::time::Duration;

/// How the sender retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// The wait after the first failed try; each later wait doubles.
    pub first_retry: Duration,
    /// The longest wait between two tries.
    pub max_retry: Duration,
    /// Tries before a mail is marked failed.
    pub max_attempts: i64,
}

impl Default for Delivery {
    /// Tries for about a day: 10 s, 20 s, … then every 15 minutes.
    fn default() -> Self {
        Delivery {
            first_retry: Duration::from_secs(10),
            max_retry: Duration::from_secs(15 * 60),
            max_attempts: 100,
        }
    }
}

impl Delivery {
    /// The wait after the `attempts`-th failed try.
    fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.first_retry
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.max_retry)
    }
}

/// The longest the sender sleeps without looking at the queue (a mail queued by another
/// process, which sends this one no wake-up, waits at most this long).
const IDLE_CHECK: Duration = Duration::from_secs(30);

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The message of a queued mail, with its threading headers and the ticket's reply address.
fn message(state: &SharedState, mail: &QueuedMail) -> Result<Message, SendError> {
    let reply_to = format!(
        "support+{}.{}@{}",
        mail.ticket_id,
        state.code_key.reply_token(mail.ticket_id),
        mail.reply_domain
    );
    let mut builder = Message::builder()
        .from(mailbox("sender", &mail.sender)?)
        .reply_to(mailbox("reply address", &reply_to)?)
        .to(mailbox("recipient", &mail.recipient)?)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .header(ContentType::TEXT_PLAIN);
    if let Some(parent) = &mail.in_reply_to {
        builder = builder.in_reply_to(parent.clone());
    }
    if !mail.references.is_empty() {
        builder = builder.references(mail.references.join(" "));
    }
    builder
        .body(mail.body.clone())
        .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
}

/// Sends one claimed mail and records the outcome.
async fn send_one(state: &SharedState, delivery: &Delivery, mail: QueuedMail) {
    let sent = match message(state, &mail) {
        Ok(message) => state.mailer.deliver(message).await,
        Err(e) => Err(e),
    };
    let outcome = match sent {
        Ok(()) => MailOutcome::Sent,
        Err(e) if e.permanent || mail.attempts >= delivery.max_attempts => {
            tracing::warn!("mail {} to {} failed: {e}", mail.id, mail.recipient);
            MailOutcome::Failed { error: e.message }
        }
        Err(e) => {
            let wait = delivery.backoff(mail.attempts);
            tracing::info!(
                "mail {} not sent (try {}), trying again in {wait:?}: {e}",
                mail.id,
                mail.attempts
            );
            let wait_secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX);
            MailOutcome::Retry {
                error: e.message,
                at: unix_now().saturating_add(wait_secs.max(1)),
            }
        }
    };
    if let Err(e) = state.store.settle_mail(mail.id, outcome).await {
        tracing::error!("cannot record how sending mail {} went: {e}", mail.id);
    }
}

/// Sends every mail due now.
async fn send_due(state: &SharedState, delivery: &Delivery) {
    loop {
        match state.store.claim_mail(unix_now()).await {
            Ok(Some(mail)) => send_one(state, delivery, mail).await,
            Ok(None) => return,
            Err(e) => {
                tracing::error!("cannot read the mail queue: {e}");
                return;
            }
        }
    }
}

/// Sends queued mail for as long as the server runs: at once when a commit may have queued
/// some, otherwise when the next retry is due.
pub async fn send_forever(state: SharedState, delivery: Delivery) -> Infallible {
    let mut commits = state.store.subscribe();
    match state.store.resume_mail(unix_now()).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            "{n} mail(s) were being sent when the server stopped; sending them again \
             (each may arrive twice, with the same Message-ID)"
        ),
        Err(e) => tracing::error!("cannot resume the mail queue: {e}"),
    }
    let mut listening = true;
    loop {
        let wait = match state.store.mail_due_at().await {
            Ok(Some(at)) if at <= unix_now() => {
                send_due(&state, &delivery).await;
                continue;
            }
            Ok(Some(at)) => Duration::from_secs(u64::try_from(at - unix_now()).unwrap_or(1)),
            Ok(None) => IDLE_CHECK,
            Err(e) => {
                tracing::error!("cannot read the mail queue: {e}");
                IDLE_CHECK
            }
        };
        let sleep = tokio::time::sleep(wait.min(IDLE_CHECK));
        tokio::select! {
            woken = commits.recv(), if listening => {
                listening = !matches!(woken, Err(tokio::sync::broadcast::error::RecvError::Closed));
            }
            () = state.mail_retried.notified() => {}
            () = sleep => {}
        }
    }
}
