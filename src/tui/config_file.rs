//! Reading one configuration file and saying what is wrong with it: the error type the
//! settings, keymap and theme loaders share (its file and line), and reading a file that may
//! be absent, and looking up the names those files use. A leaf module, so `config` can use `keymap` and `theme` while they use this.

use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line, when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl ConfigError {
    /// A TOML or schema error from parsing `text`, read from `file`.
    pub fn parse(file: &Path, text: &str, err: &toml::de::Error) -> Self {
        let line = err.span().map(|span| line_of(text, span.start));
        ConfigError {
            file: file.to_path_buf(),
            line,
            message: err.message().trim().to_string(),
        }
    }

    /// A problem found at byte `offset` of `text`.
    pub fn at(file: &Path, text: &str, offset: usize, message: String) -> Self {
        ConfigError {
            file: file.to_path_buf(),
            line: Some(line_of(text, offset)),
            message,
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Looks `name` up in `table` (the names a configuration file may give and what each stands
/// for): the one lookup behind action, keymap section, colour and modifier names. A miss
/// gives the names there are, comma-separated, for the caller's message.
pub fn by_name<T: Copy>(table: &[(&str, T)], name: &str) -> Result<T, String> {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            names.join(", ")
        })
}

/// Reads a file that may be absent; `None` when it does not exist.
pub fn read_optional(file: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError {
            file: file.to_path_buf(),
            line: None,
            message: format!("cannot read it: {e}"),
        }),
    }
}
