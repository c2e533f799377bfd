//! The event loop: a task reads the terminal's events into the app's channel, where client
//! events and the results of background work also arrive; the loop takes everything queued,
//! applies it, and draws once if anything changed. Nothing redraws on a timer, so an idle app
//! uses no CPU. When the app asks for the external editor, the loop stops reading the
//! terminal, hands it to the editor, and takes it back when the editor exits. The same loop
//! runs the app on a remote terminal (over SSH, `remote.rs`), which draws into a queue and has
//! no editor to lend the terminal to.

use super::Options;
use super::app::App;
use super::config::Config;
use super::editor::{self, Edited, EditorJob};
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

/// The terminal the loop runs the app on: this process's own, or a remote one.
pub(super) trait Surface {
    /// Starts sending the terminal's events to the app as `Msg::Terminal`.
    fn listen(&mut self, tx: mpsc::UnboundedSender<Msg>);
    /// Draws one frame of `app`.
    async fn draw(&mut self, app: &mut App) -> Result<()>;
    /// Runs the external editor on `text`; what it saved, or why not.
    async fn edit(&mut self, text: String) -> Result<Edited>;
    /// Waits until the app must stop for the terminal's sake: `Ok` when the terminal went away,
    /// an error after an internal failure. Dropping the wait loses nothing.
    async fn ended(&mut self) -> Result<()>;
    /// Stops reading the terminal (before the client shuts down).
    async fn stop_listening(&mut self);
    /// Gives the terminal back.
    fn close(self);
    /// Whether the terminal was opened for one signed-in account, so that going back to the
    /// sign-in screen (signed out here or elsewhere, the account removed) ends the app: over
    /// SSH a new sign-in is a new connection, with the SSH server's checks.
    fn for_one_account(&self) -> bool;
}

/// Takes over the terminal, runs the app until it quits, and gives the terminal back.
pub async fn run(config: Config, options: Options) -> Result<()> {
    let (tui, panics) = Tui::enter(config.mouse)?;
    let local = Local {
        tui,
        panics,
        input: None,
    };
    run_on(config, options, local).await
}

/// Runs the app on `surface` until it quits or the terminal goes away.
pub(super) async fn run_on(
    config: Config,
    options: Options,
    mut surface: impl Surface,
) -> Result<()> {
    let test_panic = options.test_panic;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut app = App::new(config, options, tx.clone());
    surface.listen(tx.clone());
    app.start();
    let result = drive(&mut app, &mut surface, &mut rx, &tx, test_panic).await;
    surface.stop_listening().await;
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
    surface.close();
    result
}

async fn drive(
    app: &mut App,
    surface: &mut impl Surface,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    tx: &mpsc::UnboundedSender<Msg>,
    test_panic: bool,
) -> Result<()> {
    surface.draw(app).await?;
    if test_panic {
        panic!("DESKPORT_TEST_PANIC=1: panicking after the first frame, as asked");
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut signed_in = false;
    loop {
        tokio::select! {
            received = rx.recv_many(&mut batch, BATCH) => if received == 0 {
                return Ok(());
            },
            ended = surface.ended() => return ended,
        }
        let mut dirty = false;
        for msg in batch.drain(..) {
            dirty |= app.update(msg);
            if app.should_quit() {
                return Ok(());
            }
            if let Some(job) = app.take_editor() {
                edit(surface, job, tx).await?;
                dirty = true;
            }
        }
        if surface.for_one_account() {
            match app.client() {
                Some(_) => signed_in = true,
                None if signed_in => return Ok(()),
                None => {}
            }
        }
        if dirty {
            surface.draw(app).await?;
        }
    }
}

/// Runs the external editor on `job`'s text and sends the result to the app as the job's
/// answer.
async fn edit(
    surface: &mut impl Surface,
    job: EditorJob,
    tx: &mpsc::UnboundedSender<Msg>,
) -> Result<()> {
    let edited = surface.edit(job.text().to_string()).await?;
    // The receiver is this loop's own: it is open while the loop runs.
    let _ = tx.send(Msg::Done(Done {
        task: job.task(),
        answer: Answer::Edited(edited),
    }));
    Ok(())
}

/// This process's own terminal.
struct Local {
    tui: Tui,
    /// A message for every panic (see [`Tui::enter`]).
    panics: mpsc::UnboundedReceiver<String>,
    input: Option<Input>,
}

impl Surface for Local {
    fn listen(&mut self, tx: mpsc::UnboundedSender<Msg>) {
        self.input = Some(Input::start(tx));
    }

    async fn draw(&mut self, app: &mut App) -> Result<()> {
        self.tui.draw(|frame| app.draw(frame))
    }

    /// Hands the terminal to the editor, and takes it back when the editor exits.
    async fn edit(&mut self, text: String) -> Result<Edited> {
        self.stop_listening().await;
        self.tui.suspend()?;
        let edited = tokio::task::spawn_blocking(move || editor::edit(&text))
            .await
            .unwrap_or_else(|e| Err(format!("the editor task failed: {e}")));
        let resumed = self.tui.resume();
        if let Some(input) = &mut self.input {
            input.restart();
        }
        resumed.map(|()| edited)
    }

    async fn ended(&mut self) -> Result<()> {
        match self.panics.recv().await {
            Some(message) => bail!("deskport stopped after an internal error: {message}"),
            None => std::future::pending().await,
        }
    }

    async fn stop_listening(&mut self) {
        if let Some(input) = &mut self.input {
            input.stop().await;
        }
    }

    fn close(mut self) {
        // Keys typed while quitting (the rest of a password, say) were meant for the app: they
        // are dropped here, in raw mode, rather than left for the shell to echo and run.
        self.tui.discard_input();
        drop(self.tui);
    }

    fn for_one_account(&self) -> bool {
        false
    }
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
