//! The poller: on this server's turn (one server per store at a time), open the mailbox, take
//! each unread message through the desk, mark what was taken `\Seen`, sign out, wait.
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
use std::time::Duration;

/// The longest wait after failures, however many there were.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// How long one poll may take before the connection is given up.
const POLL_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Polls `source` for as long as the returned future is polled (it stops with the server).
/// A failure is logged and the next try waits twice as long as the last (from the poll
/// interval up to 15 minutes); the first poll that works goes back to the interval.
pub async fn poll_forever(desk: PortalDesk, source: ImapSource) -> Infallible {
    let mut failures: u32 = 0;
    loop {
        let outcome = tokio::time::timeout(POLL_TIMEOUT, poll_once(&desk, &source))
            .await
            .unwrap_or(Err(ImapError::TimedOut(POLL_TIMEOUT)));
        let wait = match outcome {
            Ok(taken) => {
                if taken > 0 {
                    tracing::info!("took {taken} message(s) from {source}");
                }
                failures = 0;
                source.poll
            }
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

/// One poll, if it is this server's turn; how many messages were taken.
async fn poll_once(desk: &PortalDesk, source: &ImapSource) -> Result<usize, ImapError> {
    let Some(_turn) = desk.state.store.mailbox_turn().await? else {
        tracing::debug!("another server polls {source}");
        return Ok(0);
    };
    let mut mailbox = open(source).await?;
    let taken = take_unread(desk, &mut mailbox, source).await?;
    mailbox.logout().await?;
    Ok(taken)
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
