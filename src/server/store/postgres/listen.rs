//! Pokes from the other servers on the database. Every statement that appends change rows
//! sends a NOTIFY on [`CHANNEL`] (a trigger on `changes`, carrying only the highest sequence
//! number), delivered when its transaction commits. One dedicated connection per server,
//! outside the pool, LISTENs; on each notification the [`Announcer`] reads what was committed
//! past its last poke from the change log and pokes this server's event streams, so the
//! notification itself carries nothing to trust or to lose. When the connection drops, the
//! listener connects again and catches up from the change log the same way: no commit goes
//! unpoked, however many notifications were missed meanwhile.

use super::changes::Announcer;
use super::connect::{self, Messages};
use deadpool_postgres::Pool;
use futures::StreamExt;
use std::sync::Weak;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::AsyncMessage;

/// The notification channel the `changes` trigger signals on.
pub const CHANNEL: &str = "deskport_changes";

/// How long to wait before connecting again after the connection failed or dropped.
const RECONNECT_AFTER: Duration = Duration::from_millis(200);

/// The running listener; stops when dropped (with the store that owns it).
pub struct Listener(tokio::task::JoinHandle<()>);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts listening for commits on the database `config` names, poking through `announcer`
/// (read with connections from `pool`).
pub fn start(config: tokio_postgres::Config, pool: Pool, announcer: Weak<Announcer>) -> Listener {
    Listener(tokio::spawn(async move {
        loop {
            if let Err(why) = listen(&config, &pool, &announcer).await {
                tracing::warn!("the change listener stopped ({why}); connecting again");
            }
            if announcer.strong_count() == 0 {
                return;
            }
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    }))
}

/// One connection's life: LISTEN, catch up, then poke on every notification until the
/// connection ends (always an error: the listener is meant to run for good).
async fn listen(
    config: &tokio_postgres::Config,
    pool: &Pool,
    announcer: &Weak<Announcer>,
) -> Result<(), String> {
    let (client, messages) = connect::dedicated(config)
        .await
        .map_err(|e| e.to_string())?;
    let (notified, mut notifications) = mpsc::unbounded_channel();
    let driver = tokio::spawn(forward_notifications(messages, notified));
    let result = async {
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .await
            .map_err(|e| e.to_string())?;
        // Whatever committed while nobody listened.
        announce(pool, announcer).await?;
        while notifications.recv().await.is_some() {
            // One read of the change log covers every notification queued meanwhile.
            while notifications.try_recv().is_ok() {}
            announce(pool, announcer).await?;
        }
        Err("the connection closed".to_string())
    }
    .await;
    driver.abort();
    result
}

/// Runs the connection, passing on each notification; ends with the connection.
async fn forward_notifications(mut messages: Messages, notified: mpsc::UnboundedSender<()>) {
    while let Some(message) = messages.next().await {
        match message {
            Ok(AsyncMessage::Notification(_)) => {
                if notified.send(()).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("the change listener's connection failed: {e}");
                return;
            }
        }
    }
}

/// Pokes this server's streams with what committed since its last poke.
async fn announce(pool: &Pool, announcer: &Weak<Announcer>) -> Result<(), String> {
    let Some(announcer) = announcer.upgrade() else {
        return Ok(());
    };
    let conn = pool.get().await.map_err(|e| e.to_string())?;
    announcer.announce(&conn).await;
    Ok(())
}
