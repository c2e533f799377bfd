//! Reading a password or an emailed code: from standard input for scripts, or typed at the
//! terminal (a password unechoed).

use color_eyre::eyre::{Result, WrapErr, bail};
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
use std::io::{BufRead, IsTerminal, Write};

/// Reads a password from stdin (first line) or prompts for it without echo.
pub fn read_password(from_stdin: bool, prompt: &str) -> Result<String> {
    let password = if from_stdin {
        first_line_of_stdin("the password")?
    } else {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        enable_raw_mode().wrap_err("no terminal to prompt on; use --password-stdin")?;
        let typed = read_hidden();
        disable_raw_mode()?;
        eprintln!();
        typed?
    };
    // An empty answer is a slip, not an attempt: sent, it would count towards the lockout.
    if password.is_empty() {
        bail!("enter a password");
    }
    Ok(password)
}

/// Fails unless a prompt can be answered: the answer comes from stdin, or stdin is a
/// terminal; `flag` is the option that reads stdin instead. Checked before anything is sent
/// that the answer is for (an emailed code).
pub fn can_prompt(from_stdin: bool, flag: &str) -> Result<()> {
    if !from_stdin && !std::io::stdin().is_terminal() {
        bail!("no terminal to prompt on; use {flag}");
    }
    Ok(())
}

/// Reads a code from stdin (first line), or prompts for it and reads the line typed.
pub fn read_visible(from_stdin: bool, prompt: &str) -> Result<String> {
    if from_stdin {
        return first_line_of_stdin("the code");
    }
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    first_line_of_stdin("the code")
}

fn first_line_of_stdin(what: &str) -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .wrap_err_with(|| format!("cannot read {what} from standard input"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
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
