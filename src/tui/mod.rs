//! The terminal app: a tokio event loop over terminal input, client events and results of
//! background work; keys become actions through the keymap of the focused context; panes are
//! components that read the client's view. Depends on `client` and `domain` only.

pub mod action;
pub mod app;
pub mod components;
pub mod config;
pub mod config_file;
pub mod editor;
pub mod event_loop;
pub mod i18n;
pub mod input_parser;
pub mod keymap;
pub mod msg;
pub mod remote;
pub mod session;
pub mod terminal;
pub mod theme;

pub use components::panes::signin::{DemoAccount, DemoLogins};
pub use config::Config;
pub use msg::Msg;

use color_eyre::eyre::{Result, eyre};
use std::path::PathBuf;

/// Which server the app talks to.
#[derive(Debug, Clone)]
pub enum Server {
    /// The demo server embedded in this process (or in another `deskport` on the same data
    /// dir): the sign-in screen lists the demo accounts.
    Embedded {
        /// Its base URL, without `/api/v1`.
        url: String,
        /// The accounts to offer and their password.
        logins: DemoLogins,
    },
    /// A configured server: sign in with email and password, or a remembered session.
    Remote {
        /// Its base URL, without `/api/v1`.
        url: String,
    },
}

impl Server {
    /// The base URL.
    pub fn url(&self) -> &str {
        match self {
            Server::Embedded { url, .. } | Server::Remote { url } => url,
        }
    }

    /// How the status bar names it.
    pub fn label(&self) -> String {
        match self {
            Server::Embedded { .. } => "embedded".to_string(),
            Server::Remote { url } => url
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_string(),
        }
    }
}

/// How to run the app.
#[derive(Debug, Clone)]
pub struct Options {
    /// The server.
    pub server: Server,
    /// Sign straight in as this account (demo accounts on the embedded server; on a
    /// configured server, the email to fill in or the remembered session to use).
    pub user: Option<String>,
    /// Where the client keeps its caches.
    pub data_dir: PathBuf,
    /// Where the keymap, theme and remembered session live.
    pub config_dir: PathBuf,
    /// Panic right after the first frame (`DESKPORT_TEST_PANIC=1`), so tests can check that
    /// the terminal is restored.
    pub test_panic: bool,
}

/// Reads the keymap, theme and settings from `config_dir` (monochrome under `NO_COLOR`, in
/// the environment's language unless config.toml names one). Call
/// it before anything slow, so a bad file is reported at once.
pub fn load_config(config_dir: &std::path::Path) -> Result<Config> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Config::load(config_dir, no_color, i18n::from_environment())
        .map_err(|e| eyre!("bad configuration: {e}"))
}

/// Runs the app until the user quits. The process then serves this one user, so its
/// language (the one its API clients start in, the sign-in's included) is the config's.
pub async fn run(config: Config, options: Options) -> Result<()> {
    crate::client::language::set_for_process(config.language);
    event_loop::run(config, options).await
}
