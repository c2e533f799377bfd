//! One signed-in SSH user's app: the same TUI as the local client, on the channel's
//! terminal, talking to this server's API with the session the sign-in made. Its cache and
//! remembered session live in a private directory that is removed when the session ends, and
//! the API session is signed out then too. A session left without a key for the portal's idle
//! timeout ends with a word on the way out (`idle.rs`).

use super::idle::{self, RelayEnd};
use super::seats::Seat;
use super::sign_in::PortalDoor;
use color_eyre::eyre::{Result, WrapErr, eyre};
use deskport::client::Session;
use deskport::client::files::create_private_dir;
use deskport::domain::i18n::Language;
use deskport::domain::i18n::{self as catalogue, Arg};
use deskport::domain::wire::LoginResponse;
use deskport::tui::remote::{OUTPUT_FRAMES, RemoteInput, RemoteTerminal};
use deskport::tui::{self, Config, Options, Server};
use rand::RngCore as _;
use russh::ChannelId;
use russh::server::Handle;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// Keys passed on to a session's app and not yet read; the connection's own queue holds more.
const RELAYED_INPUT: usize = 8;

/// What every app session of one SSH server shares.
pub struct AppHost {
    /// Signs users in and out.
    pub door: PortalDoor,
    /// The API's base URL the apps talk to (on this host).
    pub api_url: String,
    /// Where each session's private directory is made.
    pub sessions_dir: PathBuf,
}

/// The channel a session's app runs on.
pub struct AppChannel {
    /// Sends to the client.
    pub handle: Handle,
    /// The session channel.
    pub id: ChannelId,
    /// Where the user connects from.
    pub peer: SocketAddr,
    /// The window's size in columns and rows.
    pub size: (u16, u16),
    /// The client asked for no colour (`NO_COLOR` in its environment).
    pub no_color: bool,
    /// The language the client's environment names (staff see it; customers their portal's).
    pub language: Option<Language>,
}

/// Runs the app for `login` on `channel` until the user quits or goes away, then closes the
/// channel with the app's exit status; the seat is given back as soon as the app ends.
pub async fn run(
    host: &AppHost,
    channel: AppChannel,
    login: LoginResponse,
    input: mpsc::Receiver<RemoteInput>,
    seat: Seat,
) {
    let (output, mut frames) = mpsc::channel::<Vec<u8>>(OUTPUT_FRAMES);
    let writer_handle = channel.handle.clone();
    let id = channel.id;
    let writer = tokio::spawn(async move {
        while let Some(bytes) = frames.recv().await {
            if writer_handle.data(id, bytes).await.is_err() {
                break;
            }
        }
    });
    let (to_app, app_input) = mpsc::channel(RELAYED_INPUT);
    let door = host.door.clone();
    let relay = tokio::spawn(idle::relay(input, to_app, move || {
        let door = door.clone();
        async move { door.idle_limit().await }
    }));
    let terminal = RemoteTerminal {
        input: app_input,
        output,
        size: channel.size,
    };
    let result = on_own_thread(AppStart {
        api_url: host.api_url.clone(),
        sessions_dir: host.sessions_dir.clone(),
        login: login.clone(),
        no_color: channel.no_color,
        language: channel.language,
        terminal,
    })
    .await;
    if let Err(e) = writer.await {
        tracing::warn!("an SSH session's writer ended badly: {e}");
    }
    // Ended already if it ended the app; else the app ended first and it has no more to do.
    relay.abort();
    if let Ok(RelayEnd::Idle(after)) = relay.await {
        let language = match channel.language {
            Some(language) => language,
            None => host.door.language().await,
        };
        let minutes = i64::try_from(after.as_secs() / 60).unwrap_or(i64::MAX);
        let word = catalogue::format(
            language,
            "ssh-idle-signed-out",
            &[("minutes", Arg::Number(minutes))],
        );
        if channel
            .handle
            .data(id, format!("{word}\r\n"))
            .await
            .is_err()
        {
            tracing::debug!("the SSH client left before hearing it was idle");
        }
    }
    // Free before the client hears the end, so it may connect again at once.
    drop(seat);
    let status = match result {
        Ok(()) => 0,
        Err(e) => {
            tracing::warn!("an SSH app session failed: {e:#}");
            let said = channel
                .handle
                .extended_data(id, 1, format!("deskport stopped: {e:#}\r\n"))
                .await;
            if said.is_err() {
                tracing::debug!("the SSH client left before the error was sent");
            }
            1
        }
    };
    host.door.sign_out(channel.peer, &login.token).await;
    // The client may be gone already; there is nobody left to tell then.
    let _ = channel.handle.exit_status_request(id, status).await;
    let _ = channel.handle.eof(id).await;
    let _ = channel.handle.close(id).await;
}

/// What one app needs to start.
struct AppStart {
    api_url: String,
    sessions_dir: PathBuf,
    login: LoginResponse,
    no_color: bool,
    language: Option<Language>,
    terminal: RemoteTerminal,
}

/// Runs the app on a thread of its own with its own single-threaded runtime: the app's
/// components are not `Send` (the local app runs on the main thread), and a session busy
/// drawing then never holds up another's.
async fn on_own_thread(start: AppStart) -> Result<()> {
    let (done, finished) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("ssh-app".to_string())
        .spawn(move || {
            let result = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .wrap_err("cannot start the session's runtime")
                .and_then(|runtime| runtime.block_on(run_app(start)));
            // The SSH side may have gone; the result is then nobody's.
            let _ = done.send(result);
        })
        .wrap_err("cannot start the session's thread")?;
    finished
        .await
        .unwrap_or_else(|_| Err(eyre!("the session's thread ended without a word")))
}

async fn run_app(start: AppStart) -> Result<()> {
    let AppStart {
        api_url,
        sessions_dir,
        login,
        no_color,
        language,
        terminal,
    } = start;
    let dir = SessionDir::create(&sessions_dir)?;
    let session = Session {
        server_url: api_url.clone(),
        token: login.token.clone(),
        account: login.user.clone(),
    };
    session
        .save(dir.path())
        .map_err(|e| eyre!("cannot keep the session: {e}"))?;
    let config = Config::load(dir.path(), no_color, language)
        .map_err(|e| eyre!("bad configuration: {e}"))?;
    let options = Options {
        server: Server::Remote { url: api_url },
        user: Some(login.user.email.clone()),
        data_dir: dir.path().to_path_buf(),
        config_dir: dir.path().to_path_buf(),
        test_panic: false,
    };
    tui::remote::run(config, options, terminal).await
}

/// A session's private directory (0700), removed when dropped.
struct SessionDir(PathBuf);

impl SessionDir {
    fn create(parent: &Path) -> Result<Self> {
        let mut name = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut name);
        let hex: String = name.iter().map(|b| format!("{b:02x}")).collect();
        let path = parent.join(hex);
        create_private_dir(&path)
            .map_err(|e| eyre!("{e}"))
            .wrap_err("cannot make the session's directory")?;
        Ok(SessionDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for SessionDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!("cannot remove {}: {e}", self.0.display());
        }
    }
}
