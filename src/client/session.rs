//! The remembered session (server, token, account) in the config dir, and where each
//! (server, user) cache lives in the data dir. Files holding tokens or cached data are 0600.

use super::error::ClientError;
use super::files::write_private;
use crate::domain::visibility::fnv1a;
use crate::domain::wire::AccountOut;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The server's base URL, without `/api/v1`, e.g. `http://127.0.0.1:7878`.
    pub server_url: String,
    /// Bearer token.
    pub token: String,
    /// Who signed in.
    pub account: AccountOut,
}

/// Name of the session file in the config dir.
const SESSION_FILE: &str = "session.json";

impl Session {
    /// Stores the session in `config_dir` (created if needed), readable by the owner only.
    pub fn save(&self, config_dir: &Path) -> Result<(), ClientError> {
        let text = serde_json::to_vec_pretty(self)?;
        write_private(&config_dir.join(SESSION_FILE), &text)
    }

    /// The session stored in `config_dir`, if any.
    pub fn load(config_dir: &Path) -> Result<Option<Session>, ClientError> {
        let path = config_dir.join(SESSION_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                ClientError::Cache(format!(
                    "{} is damaged ({e}); sign in again",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(ClientError::Cache(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Forgets the session stored in `config_dir`.
    pub fn forget(config_dir: &Path) -> Result<(), ClientError> {
        match std::fs::remove_file(config_dir.join(SESSION_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

/// Normalises a server URL: no trailing `/`, no `/api/v1` suffix.
pub fn normalize_server_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    trimmed
        .strip_suffix("/api/v1")
        .unwrap_or(trimmed)
        .trim_end_matches('/')
        .to_string()
}

/// The cache file of `account` on `server_url` under `data_dir`.
pub fn cache_path(data_dir: &Path, server_url: &str, account: &AccountOut) -> PathBuf {
    let server = normalize_server_url(server_url);
    let readable: String = server
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    data_dir.join("cache").join(format!(
        "{readable}-{:08x}-{}-{}.sqlite",
        fnv1a(server.as_bytes()) as u32,
        account.kind,
        account.id
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised() {
        for u in [
            "http://h:1",
            "http://h:1/",
            "http://h:1/api/v1",
            "http://h:1/api/v1/ ",
        ] {
            assert_eq!(normalize_server_url(u), "http://h:1");
        }
    }
}
