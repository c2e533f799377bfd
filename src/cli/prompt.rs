//! Reading a password or an emailed code: from standard input for scripts, or typed at the
//! terminal (a password unechoed).

use color_eyre::eyre::{Result, WrapErr, bail};
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
use deskport::tui::i18n::{t, tf};
use std::io::{BufRead, IsTerminal, Write};

/// Reads a password from stdin (first line) or prompts for it without echo.
pub fn read_password(from_stdin: bool, prompt: &str) -> Result<String> {
    let password = if from_stdin {
        first_line_of_stdin("cli-password-unread")?
    } else {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        enable_raw_mode().wrap_err_with(|| no_terminal("--password-stdin"))?;
        let typed = read_hidden();
        disable_raw_mode()?;
        eprintln!();
        typed?
    };
    // An empty answer is a slip, not an attempt: sent, it would count towards the lockout.
    if password.is_empty() {
        bail!(t("cli-enter-password"));
    }
    Ok(password)
}

/// Fails unless a prompt can be answered: the answer comes from stdin, or stdin is a
/// terminal; `flag` is the option that reads stdin instead. Checked before anything is sent
/// that the answer is for (an emailed code).
pub fn can_prompt(from_stdin: bool, flag: &str) -> Result<()> {
    if !from_stdin && !std::io::stdin().is_terminal() {
        bail!(no_terminal(flag));
    }
    Ok(())
}

/// Reads a code from stdin (first line), or prompts for it and reads the line typed.
pub fn read_visible(from_stdin: bool, prompt: &str) -> Result<String> {
    if from_stdin {
        return first_line_of_stdin("cli-code-unread");
    }
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    first_line_of_stdin("cli-code-unread")
}

/// "no terminal to prompt on; use `flag`", for a prompt that cannot be shown.
fn no_terminal(flag: &str) -> String {
    tf("cli-no-terminal", &[("flag", flag.into())])
}

/// The first line of stdin; `unreadable` is the message saying what could not be read.
fn first_line_of_stdin(unreadable: &str) -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .wrap_err_with(|| t(unreadable))?;
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
                    bail!(t("cli-cancelled"))
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
