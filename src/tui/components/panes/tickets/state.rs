//! What the Tickets pane remembers between runs: the queue and the filter, in a small JSON
//! file beside the account's cache in the data dir.

use super::Tickets;
use super::filter::Queue;
use crate::client::files::write_private;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The remembered part of the pane.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// The queue shown.
    #[serde(default)]
    pub queue: Queue,
    /// The filter text.
    #[serde(default)]
    pub filter: String,
}

/// The state file of the account `email`, beside the caches in `cache`'s folder (one per
/// account, so it survives a new cache, e.g. the embedded server on another port).
pub fn path_for(cache: &Path, email: &str) -> PathBuf {
    let name: String = email
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let dir = cache.parent().unwrap_or(Path::new("."));
    dir.join(format!("tickets-{name}.json"))
}

impl Saved {
    /// Reads the file; a missing or unreadable one gives the defaults.
    pub fn load(path: &Path) -> Saved {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the file (0600, through a temporary file, so a crash never leaves half of it).
    pub fn store(&self, path: &Path) {
        let result = serde_json::to_vec(self)
            .map_err(crate::client::ClientError::from)
            .and_then(|bytes| write_private(path, &bytes));
        if let Err(e) = result {
            tracing::warn!(
                "could not remember the ticket filter in {}: {e}",
                path.display()
            );
        }
    }
}

impl Tickets {
    /// Writes the queue and the filter to the state file.
    pub(super) fn save(&mut self) {
        self.unsaved = false;
        Saved {
            queue: self.queue,
            filter: self.filter.text.clone(),
        }
        .store(&self.state_path);
    }
}

impl Drop for Tickets {
    /// Remembers a filter typed but not yet kept.
    fn drop(&mut self) {
        if self.unsaved {
            self.save();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_survives_a_round_trip_and_junk_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(&dir.path().join("abc.sqlite"), "sam@deskport.test");
        assert!(path.ends_with("tickets-sam_deskport_test.json"));
        assert_eq!(Saved::load(&path), Saved::default());
        let saved = Saved {
            queue: Queue::Mine,
            filter: "printer owner:me".into(),
        };
        saved.store(&path);
        assert_eq!(Saved::load(&path), saved);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the state file is private");
        }
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Saved::load(&path), Saved::default());
    }
}
