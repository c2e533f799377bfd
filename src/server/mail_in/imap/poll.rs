//! The poller: on this server's turn (one server per store at a time), open the mailbox, take
//! each unread message through the desk and mark what was taken `\Seen`. Where the IMAP
//! server has `IDLE` (RFC 2177), the session stays open and waits for the server to announce
//! new mail, taking it at once (and looking again at least every poll interval); elsewhere
//! it signs out and waits the poll interval.
//!
//! Nothing is lost or taken twice: a message is read with `BODY.PEEK[]` (which leaves it
//! unread) and marked only after the store has it; a crash between the two leaves it unread,
//! and the next poll hands it over again, where the store's "this Message-ID was received
//! before" rule ignores it and it is marked then.

use super::ImapSource;
use super::connect::{ImapError, Mailbox, open};
use crate::server::mail_in::desk::PortalDesk;
use crate::server::mail_in::parse::header_envelope;
use crate::server::mail_in::smtp::{Desk, MAX_MESSAGE_BYTES};
use futures::TryStreamExt;
use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

/// The longest wait after failures, however many there were.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// How long one step with the IMAP server (signing in, taking the unread mail, entering or
/// leaving `IDLE`) may take before the connection is given up.
const STEP_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Polls `source` for as long as the returned future is polled (it stops with the server).
/// A failure is logged and the next try waits twice as long as the last (from the poll
/// interval up to 15 minutes); a take that works goes back to the interval.
pub async fn poll_forever(desk: PortalDesk, source: ImapSource) -> Infallible {
    let mut failures: u32 = 0;
    loop {
        let wait = match one_turn(&desk, &source, &mut failures).await {
            Ok(()) => source.poll,
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = backoff(source.poll, failures);
                tracing::warn!("cannot take mail from {source}: {e}; trying again in {wait:?}");
                wait
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// The wait after `failures` failures in a row: `poll`, doubled for each further failure, at
/// most [`MAX_BACKOFF`].
fn backoff(poll: Duration, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    poll.saturating_mul(1 << doublings)
        .min(MAX_BACKOFF.max(poll))
}

/// `step`, or [`ImapError::TimedOut`] when the IMAP server takes longer than
/// [`STEP_TIMEOUT`].
async fn within<T>(step: impl Future<Output = Result<T, ImapError>>) -> Result<T, ImapError> {
    tokio::time::timeout(STEP_TIMEOUT, step)
        .await
        .unwrap_or(Err(ImapError::TimedOut(STEP_TIMEOUT)))
}

/// This server's turn at the mailbox, if it has it: takes the unread mail, then, where the
/// IMAP server has `IDLE`, keeps taking new mail as it arrives until something fails (so it
/// ends with an error); without `IDLE` it signs out after one take. Each take that works
/// clears `failures`.
async fn one_turn(
    desk: &PortalDesk,
    source: &ImapSource,
    failures: &mut u32,
) -> Result<(), ImapError> {
    let Some(_turn) = desk.state.store.mailbox_turn().await? else {
        tracing::debug!("another server polls {source}");
        return Ok(());
    };
    let mut mailbox = within(open(source)).await?;
    take(desk, &mut mailbox, source, failures).await?;
    let capabilities = within(async { Ok(mailbox.capabilities().await?) }).await?;
    if !capabilities.has_str("IDLE") {
        return within(async { Ok(mailbox.logout().await?) }).await;
    }
    loop {
        mailbox = until_news(mailbox, source.poll).await?;
        take(desk, &mut mailbox, source, failures).await?;
    }
}

/// Takes the unread mail (see [`take_unread`]) and clears `failures`.
async fn take(
    desk: &PortalDesk,
    mailbox: &mut Mailbox,
    source: &ImapSource,
    failures: &mut u32,
) -> Result<(), ImapError> {
    let taken = within(take_unread(desk, mailbox, source)).await?;
    if taken > 0 {
        tracing::info!("took {taken} message(s) from {source}");
    }
    *failures = 0;
    Ok(())
}

/// Waits in `IDLE` until the IMAP server announces a change to the mailbox (new mail, a
/// flag changed elsewhere) or `poll` passed, then leaves `IDLE` and returns the session.
async fn until_news(mailbox: Mailbox, poll: Duration) -> Result<Mailbox, ImapError> {
    let mut idle = mailbox.idle();
    within(async { Ok(idle.init().await?) }).await?;
    {
        // The stop source ends the wait when dropped: it lives until the wait is over.
        let (news, _stop) = idle.wait_with_timeout(poll);
        // Keep-alives from the server restart the wait's own clock; this one does not.
        if let Ok(outcome) = tokio::time::timeout(poll, news).await {
            outcome?;
        }
    }
    within(async { Ok(idle.done().await?) }).await
}

/// Hands every unread message to the desk, oldest first, marking each it took.
async fn take_unread(
    desk: &PortalDesk,
    mailbox: &mut Mailbox,
    source: &ImapSource,
) -> Result<usize, ImapError> {
    let mut unread: Vec<u32> = mailbox.uid_search("UNSEEN").await?.into_iter().collect();
    unread.sort_unstable();
    let mut taken = 0;
    for uid in unread {
        let sizes: Vec<_> = mailbox
            .uid_fetch(uid.to_string(), "RFC822.SIZE")
            .await?
            .try_collect()
            .await?;
        let Some(size) = sizes.iter().find_map(|f| f.size) else {
            // Deleted by someone else since the search.
            continue;
        };
        if size as usize > MAX_MESSAGE_BYTES {
            tracing::warn!(
                "left a mail of {size} bytes in {source} (over {MAX_MESSAGE_BYTES}); marked read"
            );
            mark_seen(mailbox, uid).await?;
            continue;
        }
        let fetched: Vec<_> = mailbox
            .uid_fetch(uid.to_string(), "BODY.PEEK[]")
            .await?
            .try_collect()
            .await?;
        let Some(raw) = fetched.iter().find_map(|f| f.body()) else {
            continue;
        };
        let envelope = header_envelope(raw);
        let reply = desk
            .deliver(&envelope.sender, &envelope.recipients, raw.to_vec())
            .await;
        if reply.code / 100 == 4 {
            // The same answer an SMTP sender gets: come back later (a busy store, a sender
            // over its hourly limit). The message stays unread for the next poll.
            tracing::info!("left mail {uid} in {source} for later: {}", reply.text);
            continue;
        }
        mark_seen(mailbox, uid).await?;
        taken += 1;
    }
    Ok(taken)
}

/// Marks message `uid` read, so no later poll takes it again.
async fn mark_seen(mailbox: &mut Mailbox, uid: u32) -> Result<(), ImapError> {
    let _: Vec<_> = mailbox
        .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")
        .await?
        .try_collect()
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_from_the_poll_interval_to_a_ceiling() {
        let poll = Duration::from_secs(60);
        assert_eq!(backoff(poll, 1), poll);
        assert_eq!(backoff(poll, 2), Duration::from_secs(120));
        assert_eq!(backoff(poll, 4), Duration::from_secs(480));
        assert_eq!(backoff(poll, 9), MAX_BACKOFF);
        assert_eq!(backoff(poll, u32::MAX), MAX_BACKOFF);
        let fast = Duration::from_millis(200);
        assert_eq!(backoff(fast, 3), Duration::from_millis(800));
    }
}
