//! Taking over the terminal and always giving it back: raw mode, the alternate screen, bracketed
//! paste and (optionally) mouse capture are undone when the app quits, when it fails and when
//! anything panics — the panic hook restores first, then lets the previous hook report. The
//! terminal can also be lent to another program (the user's `$EDITOR`) and taken back.

use color_eyre::eyre::{Result, WrapErr};
use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use tokio::sync::mpsc;

/// The backend the app draws through: buffered stdout, flushed once per frame.
pub type Backend = CrosstermBackend<BufWriter<Stdout>>;

/// Whether the terminal is currently in the app's modes (so restoring twice is harmless).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();
/// Where the panic hook reports a panic, so the event loop can stop (a panic in a spawned task
/// would otherwise leave the app running on a restored terminal).
static PANICS: Mutex<Option<mpsc::UnboundedSender<String>>> = Mutex::new(None);

/// The terminal in the app's modes; dropping it restores the terminal.
pub struct Tui {
    terminal: Terminal<Backend>,
    mouse: bool,
}

impl Tui {
    /// Enters raw mode and the alternate screen, enables bracketed paste and, if `mouse`,
    /// mouse capture. Installs the panic hook (once per process) first; the returned receiver
    /// gets a message for every panic from here on.
    pub fn enter(mouse: bool) -> Result<(Self, mpsc::UnboundedReceiver<String>)> {
        install_panic_hook();
        let (tx, rx) = mpsc::unbounded_channel();
        if let Ok(mut slot) = PANICS.lock() {
            *slot = Some(tx);
        }
        let entered = enter_modes(mouse).and_then(|()| {
            Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
                64 * 1024,
                std::io::stdout(),
            )))
            .wrap_err("cannot set up the terminal")
        });
        match entered {
            Ok(terminal) => Ok((Tui { terminal, mouse }, rx)),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Gives the terminal to another program (the user's editor) until [`Tui::resume`]: the
    /// normal screen, cooked mode, no mouse capture or bracketed paste.
    pub fn suspend(&mut self) -> Result<()> {
        self.terminal
            .backend_mut()
            .flush()
            .wrap_err("cannot write to the terminal")?;
        restore();
        Ok(())
    }

    /// Takes the terminal back after [`Tui::suspend`]; the next frame is drawn whole.
    pub fn resume(&mut self) -> Result<()> {
        let cleared = enter_modes(self.mouse).and_then(|()| {
            execute!(std::io::stdout(), Clear(ClearType::All)).wrap_err("cannot clear the terminal")
        });
        if let Err(e) = cleared {
            restore();
            return Err(e);
        }
        // Both buffers start empty, so the next frame is written whole. (`Terminal::clear`
        // would ask the terminal for the cursor position, which not every terminal answers.)
        self.terminal.swap_buffers();
        Ok(())
    }

    /// Drops every key and event the terminal has sent but nobody read (call it once the
    /// event reader has stopped, before giving the terminal back).
    pub fn discard_input(&mut self) {
        while let Ok(true) = crossterm::event::poll(std::time::Duration::ZERO) {
            if crossterm::event::read().is_err() {
                break;
            }
        }
    }

    /// Draws one frame inside synchronized-update escapes, so a slow link never shows half of
    /// it.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> Result<()> {
        execute!(self.terminal.backend_mut(), BeginSynchronizedUpdate)
            .wrap_err("cannot write to the terminal")?;
        self.terminal.draw(render).wrap_err("cannot draw")?;
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)
            .wrap_err("cannot write to the terminal")?;
        self.terminal
            .backend_mut()
            .flush()
            .wrap_err("cannot write to the terminal")
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// Enters raw mode, the alternate screen and bracketed paste, and mouse capture if `mouse`.
fn enter_modes(mouse: bool) -> Result<()> {
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode().wrap_err("cannot switch the terminal to raw mode")?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)
        .wrap_err("cannot enter the alternate screen")?;
    if mouse {
        execute!(out, EnableMouseCapture).wrap_err("cannot enable the mouse")?;
    }
    Ok(())
}

/// Gives the terminal back: leaves mouse capture, bracketed paste, the alternate screen and
/// raw mode, and shows the cursor. Does nothing if the app's modes are not active.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let raw = disable_raw_mode();
    let mut out = std::io::stdout();
    let modes = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    if let Err(e) = raw.and(modes) {
        tracing::error!("cannot restore the terminal: {e}");
    }
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            tracing::error!("panic: {info}");
            previous(info);
            if let Ok(slot) = PANICS.lock()
                && let Some(tx) = slot.as_ref()
            {
                let _ = tx.send(info.to_string());
            }
        }));
    });
}
