//! Reading a password: from standard input for scripts, or typed at the terminal unechoed.

use color_eyre::eyre::{Result, WrapErr, bail};
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
use std::io::{BufRead, Write};

/// Reads a password from stdin (first line) or prompts for it without echo.
pub fn read_password(from_stdin: bool, prompt: &str) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .wrap_err("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    enable_raw_mode().wrap_err("no terminal to prompt on; use --password-stdin")?;
    let typed = read_hidden();
    disable_raw_mode()?;
    eprintln!();
    typed
}

fn read_hidden() -> Result<String> {
    let mut out = String::new();
    loop {
        if let Event::Key(key) = read()? {
            if key.kind != KeyEventKind::Press {
                continue;
            }
            match key.code {
                KeyCode::Enter => return Ok(out),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    bail!("cancelled")
                }
                KeyCode::Backspace => {
                    out.pop();
                }
                KeyCode::Char(c) => out.push(c),
                _ => {}
            }
        }
    }
}
