//! The event loop: a task reads the terminal's events into the app's channel, where client
//! events and the results of background work also arrive; the loop takes everything queued,
//! applies it, and draws once if anything changed. Nothing redraws on a timer, so an idle app
//! uses no CPU.

use super::app::App;
use super::config::Config;
use super::terminal::Tui;
use super::{Msg, Options};
use color_eyre::eyre::{Result, bail};
use crossterm::event::EventStream;
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc;

/// Most messages applied between two frames.
const BATCH: usize = 256;
/// How long quitting waits for the sync engine to stop.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

/// Takes over the terminal, runs the app until it quits, and gives the terminal back.
pub async fn run(config: Config, options: Options) -> Result<()> {
    let test_panic = options.test_panic;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (mut tui, mut panics) = Tui::enter(config.mouse)?;
    let mut app = App::new(config, options, tx.clone());
    let reader = tokio::spawn(read_terminal(tx));
    app.start();
    let result = drive(&mut app, &mut tui, &mut rx, &mut panics, test_panic).await;
    reader.abort();
    drop(tui);
    if let Some(client) = app.client()
        && tokio::time::timeout(SHUTDOWN_WAIT, client.shutdown())
            .await
            .is_err()
    {
        tracing::warn!("the sync engine did not stop in time");
    }
    result
}

async fn drive(
    app: &mut App,
    tui: &mut Tui,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    panics: &mut mpsc::UnboundedReceiver<String>,
    test_panic: bool,
) -> Result<()> {
    tui.draw(|frame| app.draw(frame))?;
    if test_panic {
        panic!("DESKPORT_TEST_PANIC=1: panicking after the first frame, as asked");
    }
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            received = rx.recv_many(&mut batch, BATCH) => if received == 0 {
                return Ok(());
            },
            Some(message) = panics.recv() => bail!("deskport stopped after an internal error: {message}"),
        }
        let mut dirty = false;
        for msg in batch.drain(..) {
            dirty |= app.update(msg);
            if app.should_quit() {
                return Ok(());
            }
        }
        if dirty {
            tui.draw(|frame| app.draw(frame))?;
        }
    }
}

/// Forwards terminal events until the terminal fails or the app stops listening.
async fn read_terminal(tx: mpsc::UnboundedSender<Msg>) {
    let mut events = EventStream::new();
    while let Some(event) = events.next().await {
        let (msg, failed) = match event {
            Ok(event) => (Msg::Terminal(event), false),
            Err(e) => (Msg::TerminalFailed(e.to_string()), true),
        };
        if tx.send(msg).is_err() || failed {
            break;
        }
    }
}
