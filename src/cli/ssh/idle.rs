//! The portal's idle timeout (`access.idle_timeout_minutes`) for SSH sessions. The app keeps
//! its API session alive with its own background requests, so the API's expiry never sees an
//! SSH user walk away; the time is counted here instead, from the last byte the user's
//! terminal sent, and the session ends when it runs out.

use deskport::tui::remote::RemoteInput;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, timeout_at};

/// How a relay of a terminal's input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayEnd {
    /// The terminal or the app went away.
    Closed,
    /// Nothing was typed for this long (the limit then in force).
    Idle(Duration),
}

/// Passes what the terminal sends from `from` to the app's `to` until either closes, or
/// until nothing was typed for as long as `limit` says (asked again each time the time runs
/// out, so a changed setting applies to open sessions). Dropping `to` then ends the app.
pub async fn relay<F, Fut>(
    mut from: mpsc::Receiver<RemoteInput>,
    to: mpsc::Sender<RemoteInput>,
    mut limit: F,
) -> RelayEnd
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Duration>,
{
    let mut typed = Instant::now();
    let mut allowed = limit().await;
    loop {
        match timeout_at(typed + allowed, from.recv()).await {
            Ok(Some(input)) => {
                // A window change is not the user at the keyboard.
                if matches!(input, RemoteInput::Bytes(_)) {
                    typed = Instant::now();
                }
                if to.send(input).await.is_err() {
                    return RelayEnd::Closed;
                }
            }
            Ok(None) => return RelayEnd::Closed,
            Err(_) => {
                allowed = limit().await;
                if typed.elapsed() >= allowed {
                    return RelayEnd::Idle(allowed);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Duration = Duration::from_millis(400);

    #[tokio::test]
    async fn typing_keeps_a_session_and_silence_ends_it() {
        let (terminal, from) = mpsc::channel(4);
        let (to, mut app) = mpsc::channel(4);
        let relay = tokio::spawn(relay(from, to, || async { LIMIT }));
        let started = Instant::now();
        for _ in 0..4 {
            tokio::time::sleep(LIMIT / 2).await;
            terminal
                .send(RemoteInput::Bytes(b"j".to_vec()))
                .await
                .unwrap();
            assert_eq!(app.recv().await, Some(RemoteInput::Bytes(b"j".to_vec())));
        }
        terminal.send(RemoteInput::Resize(80, 24)).await.unwrap();
        assert_eq!(app.recv().await, Some(RemoteInput::Resize(80, 24)));
        assert_eq!(relay.await.unwrap(), RelayEnd::Idle(LIMIT));
        assert_eq!(app.recv().await, None, "the app's input is closed");
        let lasted = started.elapsed();
        assert!(
            lasted >= LIMIT * 3 && lasted < LIMIT * 5,
            "ended {lasted:?} after the start: a limit after the last key, not the resize"
        );
        drop(terminal);
    }

    #[tokio::test]
    async fn a_longer_limit_set_meanwhile_applies() {
        let (_terminal, from) = mpsc::channel(4);
        let (to, _app) = mpsc::channel(4);
        let mut asked = 0;
        let started = Instant::now();
        let end = relay(from, to, || {
            asked += 1;
            let limit = if asked == 1 { LIMIT } else { LIMIT * 2 };
            async move { limit }
        })
        .await;
        assert_eq!(end, RelayEnd::Idle(LIMIT * 2));
        assert!(started.elapsed() >= LIMIT * 2);
    }

    #[tokio::test]
    async fn a_closed_terminal_ends_the_relay() {
        let (terminal, from) = mpsc::channel(4);
        let (to, _app) = mpsc::channel(4);
        drop(terminal);
        assert_eq!(relay(from, to, || async { LIMIT }).await, RelayEnd::Closed);
    }
}
