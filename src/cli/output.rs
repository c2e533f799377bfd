//! Standard output of the commands: buffered, and a reader that stops reading early
//! (`deskport tickets | head`) ends the command quietly instead of failing it.

use super::failure::CliError;
use color_eyre::eyre::{Report, Result};
use deskport::tui::i18n::t;
use std::io::{BufWriter, ErrorKind, Write};

/// Runs `write` over buffered standard output and flushes it.
pub fn print(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            ErrorKind::BrokenPipe => CliError::OutputClosed.into(),
            _ => Report::from(e).wrap_err(t("cli-output-failed")),
        })
}

/// `1 ticket`, `2 tickets`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count(1, "condition", "conditions"), "1 condition");
        assert_eq!(count(0, "condition", "conditions"), "0 conditions");
        assert_eq!(count(2, "extra field", "extra fields"), "2 extra fields");
    }
}
