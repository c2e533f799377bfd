//! Continuing a text in the user's own editor (`$EDITOR`, else `$VISUAL`, else `vi`). A
//! component asks for it with an [`EditorJob`]; the event loop gives the terminal to the
//! editor (see `event_loop.rs`), runs it on a private temporary file and sends the edited
//! text back as the job's [`Answer::Edited`](crate::tui::msg::Answer::Edited) message.

use crate::tui::msg::TaskId;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// What the editor made of the text: the new text, or why there is none.
pub type Edited = Result<String, String>;

/// A request to edit `text` in the external editor; its answer carries the job's task id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorJob {
    text: String,
    task: TaskId,
}

impl EditorJob {
    /// A job over `text`, with a fresh task id for its answer.
    pub fn new(text: String) -> Self {
        EditorJob {
            text,
            task: TaskId::next(),
        }
    }

    /// The text to start the editor with.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The id the answer comes back with.
    pub fn task(&self) -> TaskId {
        self.task
    }
}

/// The editor command line: `$EDITOR`, else `$VISUAL`, else `vi`.
pub fn command() -> String {
    ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Writes `text` to a private temporary file, runs the editor on it with the terminal as it
/// is (the caller has left raw mode), and reads the file back. Blocking: run it off the
/// async threads.
pub fn edit(text: &str) -> Edited {
    let file = TempFile::create(text).map_err(|e| format!("cannot write a temporary file: {e}"))?;
    let editor = command();
    let status = run(&editor, &file.0).map_err(|e| format!("cannot start {editor}: {e}"))?;
    if !status.success() {
        return Err(format!("{editor} exited with {status}"));
    }
    let read = std::fs::read_to_string(&file.0)
        .map_err(|e| format!("cannot read the edited text back: {e}"))?;
    Ok(clean(&read))
}

/// The text as the composer takes it: CRLF made LF, control characters other than newlines
/// dropped, and the one trailing newline editors add removed.
fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let text = text.strip_suffix('\n').unwrap_or(&text);
    text.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

#[cfg(unix)]
fn run(editor: &str, path: &Path) -> std::io::Result<std::process::ExitStatus> {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("deskport-editor")
        .arg(path)
        .status()
}

#[cfg(not(unix))]
fn run(editor: &str, path: &Path) -> std::io::Result<std::process::ExitStatus> {
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("notepad");
    std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
}

/// A file only the user can read, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn create(text: &str) -> std::io::Result<Self> {
        let name = format!(
            "deskport-{}-{:016x}.txt",
            std::process::id(),
            rand::random::<u64>()
        );
        let path = std::env::temp_dir().join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path)?;
        let created = TempFile(path);
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        Ok(created)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0) {
            tracing::debug!("cannot remove {}: {e}", self.0.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_controls_and_the_trailing_newline() {
        assert_eq!(clean("a\r\nb\u{1b}c\n"), "a\nbc");
        assert_eq!(clean("a\n\n"), "a\n");
    }
}
