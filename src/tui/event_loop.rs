//! The event loop: a task reads the terminal's events into the app's channel, where client
//! events and the results of background work also arrive; the loop takes everything queued,
//! applies it, and draws once if anything changed. Nothing redraws on a timer, so an idle app
//! uses no CPU. When the app asks for the external editor, the loop stops reading the
//! terminal, hands it to the editor, and takes it back when the editor exits.

use super::Options;
use super::app::App;
use super::config::Config;
use super::editor::{self, EditorJob};
use super::msg::{Answer, Done, Msg};
use super::terminal::Tui;
use color_eyre::eyre::{Result, bail};
use crossterm::event::EventStream;
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

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
    let mut input = Input::start(tx);
    app.start();
    let mut io = Io {
        tui: &mut tui,
        input: &mut input,
        rx: &mut rx,
        panics: &mut panics,
    };
    let result = drive(&mut app, &mut io, test_panic).await;
    input.stop().await;
    if let Some(client) = app.client().cloned() {
        let stopped = tokio::time::timeout(SHUTDOWN_WAIT, client.shutdown())
            .await
            .is_ok();
        if !stopped {
            tracing::warn!("the sync engine did not stop in time; no first screen is left");
        }
        // Only once the engine stopped, so no sync can change the cache behind the glance.
        if stopped
            && let Some(glance) = app.first_screen()
            && let Err(e) = client.remember_glance(glance).await
        {
            tracing::info!("no first screen left for the next start: {e}");
        }
    }
    // Keys typed while quitting (the rest of a password, say) were meant for the app: they
    // are dropped here, in raw mode, rather than left for the shell to echo and run.
    tui.discard_input();
    drop(tui);
    result
}

/// The task reading the terminal's events into the app's channel.
struct Input {
    tx: mpsc::UnboundedSender<Msg>,
    task: JoinHandle<()>,
}

impl Input {
    fn start(tx: mpsc::UnboundedSender<Msg>) -> Self {
        let task = tokio::spawn(read_terminal(tx.clone()));
        Input { tx, task }
    }

    /// Stops reading and waits until the reader is gone, so nothing else takes keys meant
    /// for another program.
    async fn stop(&mut self) {
        self.task.abort();
        if let Err(e) = (&mut self.task).await
            && !e.is_cancelled()
        {
            tracing::warn!("the terminal reader ended badly: {e}");
        }
    }

    fn restart(&mut self) {
        self.task = tokio::spawn(read_terminal(self.tx.clone()));
    }
}

/// What the loop reads from and draws to.
struct Io<'a> {
    tui: &'a mut Tui,
    input: &'a mut Input,
    rx: &'a mut mpsc::UnboundedReceiver<Msg>,
    panics: &'a mut mpsc::UnboundedReceiver<String>,
}

/// Runs the external editor on `job`'s text with the terminal handed over, then takes the
/// terminal back and sends the result to the app as the job's answer.
async fn run_editor(io: &mut Io<'_>, job: EditorJob) -> Result<()> {
    io.input.stop().await;
    io.tui.suspend()?;
    let text = job.text().to_string();
    let edited = tokio::task::spawn_blocking(move || editor::edit(&text))
        .await
        .unwrap_or_else(|e| Err(format!("the editor task failed: {e}")));
    let resumed = io.tui.resume();
    io.input.restart();
    let answer = Answer::Edited(edited);
    // The receiver is this loop's own: it is open while the loop runs.
    let _ = io.input.tx.send(Msg::Done(Done {
        task: job.task(),
        answer,
    }));
    resumed
}

async fn drive(app: &mut App, io: &mut Io<'_>, test_panic: bool) -> Result<()> {
    io.tui.draw(|frame| app.draw(frame))?;
    if test_panic {
        panic!("DESKPORT_TEST_PANIC=1: panicking after the first frame, as asked");
    }
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            received = io.rx.recv_many(&mut batch, BATCH) => if received == 0 {
                return Ok(());
            },
            Some(message) = io.panics.recv() => bail!("deskport stopped after an internal error: {message}"),
        }
        let mut dirty = false;
        for msg in batch.drain(..) {
            dirty |= app.update(msg);
            if app.should_quit() {
                return Ok(());
            }
            if let Some(job) = app.take_editor() {
                run_editor(io, job).await?;
                dirty = true;
            }
        }
        if dirty {
            io.tui.draw(|frame| app.draw(frame))?;
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
