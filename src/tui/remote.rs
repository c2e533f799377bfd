//! The app on a terminal that is not this process's own (an SSH channel): the caller hands in
//! the bytes the terminal sends and its size changes, and takes the frames out of a bounded
//! queue. A slow terminal fills only its own queue, so its app waits to draw while every other
//! session goes on. Nothing runs on this machine on the user's behalf: the external editor is
//! off (the app says so when asked).

use super::Options;
use super::config::Config;
use super::editor::Edited;
use super::event_loop::{self, Surface};
use super::input_parser::InputParser;
use super::msg::Msg;
use crate::tui::app::App;
use color_eyre::eyre::{Result, WrapErr, eyre};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::queue;
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc;

/// Frames waiting for a remote terminal at most; when they are all unsent, the app waits.
pub const OUTPUT_FRAMES: usize = 8;

/// What a remote terminal sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteInput {
    /// Bytes typed, pasted or reported (mouse) by the terminal.
    Bytes(Vec<u8>),
    /// The window's new size in columns and rows.
    Resize(u16, u16),
}

/// A remote terminal, as the app sees it.
pub struct RemoteTerminal {
    /// What the terminal sends; the app ends when it closes.
    pub input: mpsc::Receiver<RemoteInput>,
    /// Where the app's output goes (at most [`OUTPUT_FRAMES`] waiting).
    pub output: mpsc::Sender<Vec<u8>>,
    /// The window's size in columns and rows when the app starts.
    pub size: (u16, u16),
}

/// The reason the app gives when asked for the external editor on a remote terminal.
/// Runs the app on `terminal` until the user quits or the terminal goes away.
pub async fn run(config: Config, options: Options, terminal: RemoteTerminal) -> Result<()> {
    let (columns, rows) = terminal.size;
    let pending = Pending::default();
    let screen = Terminal::with_options(
        CrosstermBackend::new(pending.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, columns, rows)),
        },
    )
    .wrap_err("cannot set up the remote terminal")?;
    let mut remote = Remote {
        screen,
        pending,
        input: terminal.input,
        output: terminal.output,
        parser: InputParser::default(),
        tx: None,
    };
    remote.enter_modes(config.mouse).await?;
    event_loop::run_on(config, options, remote).await
}

/// The bytes written for the terminal and not yet queued: the backend writes into it, the
/// surface takes them out once a frame is complete.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl std::io::Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Remote {
    screen: Terminal<CrosstermBackend<Pending>>,
    pending: Pending,
    input: mpsc::Receiver<RemoteInput>,
    output: mpsc::Sender<Vec<u8>>,
    parser: InputParser,
    tx: Option<mpsc::UnboundedSender<Msg>>,
}

impl Remote {
    async fn enter_modes(&mut self, mouse: bool) -> Result<()> {
        let mut out = self.pending.clone();
        queue!(out, EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            queue!(out, EnableMouseCapture)?;
        }
        self.send().await
    }

    /// Sends what the backend wrote, waiting while the terminal's queue is full.
    async fn send(&mut self) -> Result<()> {
        let bytes = self.pending.take();
        self.output
            .send(bytes)
            .await
            .map_err(|_| eyre!("the remote terminal went away"))
    }

    fn forward(&self, event: Event) {
        if let Some(tx) = &self.tx
            && tx.send(Msg::Terminal(event)).is_err()
        {
            tracing::debug!("a remote key arrived after the app ended");
        }
    }
}

impl Surface for Remote {
    fn listen(&mut self, tx: mpsc::UnboundedSender<Msg>) {
        self.tx = Some(tx);
    }

    async fn draw(&mut self, app: &mut App) -> Result<()> {
        queue!(self.screen.backend_mut(), BeginSynchronizedUpdate)?;
        self.screen.draw(|frame| app.draw(frame))?;
        queue!(self.screen.backend_mut(), EndSynchronizedUpdate)?;
        self.send().await
    }

    async fn edit(&mut self, _text: String) -> Result<Edited> {
        Ok(Err(super::i18n::t("editor-off-over-ssh")))
    }

    async fn ended(&mut self) -> Result<()> {
        let mut events = Vec::new();
        loop {
            match self.input.recv().await {
                None => return Ok(()),
                Some(RemoteInput::Bytes(bytes)) => {
                    self.parser.feed(&bytes, &mut events);
                    for event in events.drain(..) {
                        self.forward(event);
                    }
                }
                Some(RemoteInput::Resize(columns, rows)) => {
                    // Clears the screen and both buffers, so the next frame is drawn whole.
                    self.screen.resize(Rect::new(0, 0, columns, rows))?;
                    self.forward(Event::Resize(columns, rows));
                }
            }
        }
    }

    async fn stop_listening(&mut self) {
        self.tx = None;
    }

    fn for_one_account(&self) -> bool {
        true
    }

    fn close(self) {
        let mut out = self.pending.clone();
        let restored = queue!(
            out,
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
        let bytes = self.pending.take();
        // The channel may be full or gone; the client restores its own terminal on exit.
        if restored.is_err() || self.output.try_send(bytes).is_err() {
            tracing::debug!("the remote terminal's modes were not reset");
        }
    }
}
