//! The client side of deskport: a typed API client, a local SQLite cache per (server, user),
//! a sync engine task that keeps the cache current (snapshot pages, `/events` pokes, polling
//! with backoff when the stream drops), and an outbox that records every write before it is
//! shown and replays it with its idempotency key until the server answers.
//!
//! The UI reads one [`View`]: the cache with the pending outbox applied on top. Typical use:
//!
//! ```no_run
//! # async fn demo() -> Result<(), deskport::client::ClientError> {
//! use deskport::client::{Client, ClientConfig, Write, login};
//! let session = login("http://127.0.0.1:7878", "ada@deskport.test", "deskport-demo").await?;
//! let client = Client::start(ClientConfig::new("/tmp/deskport-data"), session).await?;
//! let mut events = client.subscribe();
//! println!("{} tickets", client.view().ticket_count());
//! # let _ = &mut events;
//! client.shutdown().await;
//! # Ok(()) }
//! ```

pub mod api;
mod cache;
mod decode;
pub mod error;
pub mod events;
pub mod files;
pub mod glance;
pub mod language;
mod outbox;
pub mod session;
mod shared;
pub mod status;
mod sync;
pub mod view;
pub mod write;

pub use api::{ApiClient, Tagged};
pub use error::{ApiError, ClientError};
pub use glance::Glance;
pub use language::ChosenLanguage;
pub use session::{Session, cache_path, normalize_server_url};
pub use status::{ClientEvent, Connection, SyncProgress, SyncReport, SyncStatus};
pub use view::{EntityKind, Marked, View, ViewTicket};
pub use write::{ConflictInfo, OutboxEntry, OutboxState, Resolution, Write, WriteId};

use crate::domain::wire::TicketDetail;
use shared::{Command, Core};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLockReadGuard};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};

/// How a [`Client`] runs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Where caches live (`<data_dir>/cache/...`); `DESKPORT_DATA_DIR` in the CLI.
    pub data_dir: PathBuf,
    /// Work from the cache only: no sync engine, never contact the server (writes still go
    /// to the outbox, for a later online client to send).
    pub offline: bool,
    /// Run the sync engine in the background (listening to `/events`). When false, nothing
    /// happens until [`Client::sync_now`], which then runs on the caller's task (for one-shot
    /// commands like `deskport sync`).
    pub background: bool,
    /// Changes per sync page (1–10 000).
    pub page_size: usize,
    /// First wait before retrying after a failure.
    pub retry_min: Duration,
    /// Longest wait between retries.
    pub retry_max: Duration,
    /// Open with the first screen the last run left ([`Glance`]) when the cache holds one,
    /// and load the other tickets behind it (the app, so its first frame does not wait for
    /// 100 000 tickets); otherwise [`Client::start`] loads every ticket before it returns.
    pub first_screen: bool,
}

impl ClientConfig {
    /// Defaults: online, 5 000 changes a page, retries from 1 s up to 30 s, every ticket
    /// loaded before the client starts.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        ClientConfig {
            data_dir: data_dir.into(),
            offline: false,
            background: true,
            page_size: 5_000,
            retry_min: Duration::from_secs(1),
            retry_max: Duration::from_secs(30),
            first_screen: false,
        }
    }
}

/// Signs in with email and password and returns the session (not yet stored; see
/// [`Session::save`]).
pub async fn login(server_url: &str, email: &str, password: &str) -> Result<Session, ApiError> {
    let api = ApiClient::new(server_url)?;
    let answer = api.login(email, password).await?;
    Ok(session_of(&api, answer))
}

/// Signs in with a password-less code the server emailed to `email` (see
/// [`ApiClient::request_code`]) and returns the session, like [`login`].
pub async fn login_with_code(
    server_url: &str,
    email: &str,
    code: &str,
) -> Result<Session, ApiError> {
    let api = ApiClient::new(server_url)?;
    let answer = api.verify_code(email, code).await?;
    Ok(session_of(&api, answer))
}

fn session_of(api: &ApiClient, answer: crate::domain::wire::LoginResponse) -> Session {
    Session {
        server_url: api.server_url().to_string(),
        token: answer.token,
        account: answer.user,
    }
}

/// A ticket's thread, fresh from the server or, offline, from the cache.
#[derive(Debug, Clone)]
pub struct TicketThread {
    /// The ticket and its visible messages (pending replies are in [`View::pending_messages`]).
    pub detail: TicketDetail,
    /// Read from the cache because the server could not be reached (may be incomplete).
    pub from_cache: bool,
}

/// A running client: cache, view, sync engine and outbox. Cheap to clone; the engine stops
/// when [`Client::shutdown`] is called or the last clone is dropped.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Handle>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.inner.core.session;
        f.debug_struct("Client")
            .field("server", &s.server_url)
            .field("account", &s.account.email)
            .finish_non_exhaustive()
    }
}

struct Handle {
    core: Arc<Core>,
    commands: mpsc::UnboundedSender<Command>,
    /// Loads the rest of the cache behind a glance, then runs the sync engine (either, or
    /// both, or neither).
    engine: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Client {
    /// Opens (or rebuilds) the cache of `session`'s (server, user), loads the view from it and,
    /// unless `config.offline`, starts the sync engine. With `config.first_screen` and a
    /// [`Glance`] in the cache, the view holds only the glance's tickets when this returns;
    /// the rest are loaded in the background (a `ViewChanged` event tells when), and the
    /// engine starts after that.
    pub async fn start(config: ClientConfig, session: Session) -> Result<Client, ClientError> {
        let offline = config.offline;
        let core = Core::open(config, session).await?;
        let (tx, rx) = mpsc::unbounded_channel();
        if offline {
            core.set_status(|s| s.connection = Connection::CacheOnly);
        }
        let loading = core
            .view
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .glance()
            .is_some();
        let engine = !offline && core.config.background;
        let task = (loading || engine).then(|| {
            let core = core.clone();
            tokio::spawn(async move {
                if loading {
                    core.load_rest().await;
                }
                if engine {
                    sync::run(core, rx).await;
                }
            })
        });
        Ok(Client {
            inner: Arc::new(Handle {
                core,
                commands: tx,
                engine: Mutex::new(task),
            }),
        })
    }

    /// Leaves `glance` in the cache as the first screen of the next start (see
    /// [`Glance`]); any later change to the cache drops it. Refused while the view still
    /// holds only the last glance's tickets: a screen drawn from them is not a full one.
    pub async fn remember_glance(&self, glance: Glance) -> Result<(), ClientError> {
        if self.view().glance().is_some() {
            return Err(ClientError::Cache(
                "the cache is still loading; nothing to remember yet".into(),
            ));
        }
        self.inner.core.db(move |c| c.keep_glance(&glance)).await
    }

    /// Read access to the view. Hold the guard only while reading (e.g. one draw), never
    /// across an `.await`.
    pub fn view(&self) -> RwLockReadGuard<'_, View> {
        self.inner
            .core
            .view
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Events about the view, the connection and writes.
    pub fn subscribe(&self) -> broadcast::Receiver<ClientEvent> {
        self.inner.core.events.subscribe()
    }

    /// The signed-in API client, for calls outside the sync model (routing test, invitations,
    /// inbox counts, domains).
    pub fn api(&self) -> &ApiClient {
        &self.inner.core.api
    }

    /// The language the signed-in person chose for the app, as last read or set through
    /// `/me/language` (`None`: automatic, or not read yet).
    pub fn chosen_language(&self) -> &ChosenLanguage {
        &self.inner.core.chosen_language
    }

    /// The session this client runs with.
    pub fn session(&self) -> &Session {
        &self.inner.core.session
    }

    /// The cache file in use.
    pub fn cache_path(&self) -> &Path {
        &self.inner.core.cache_path
    }

    /// Records `write` in the outbox (durably), shows it in the view as pending, and asks the
    /// engine to send it.
    pub async fn submit(&self, write: Write) -> Result<WriteId, ClientError> {
        let id = self.inner.core.record(write).await?;
        self.command(Command::Replay);
        Ok(id)
    }

    /// Settles a conflict: drop the write, or send it again over the server's current version.
    pub async fn resolve_conflict(
        &self,
        id: WriteId,
        resolution: Resolution,
    ) -> Result<(), ClientError> {
        outbox::resolve(&self.inner.core, id, resolution).await?;
        self.command(Command::Replay);
        Ok(())
    }

    /// Removes a rejected (or conflicting) write from the outbox without sending it.
    pub async fn dismiss(&self, id: WriteId) -> Result<(), ClientError> {
        outbox::resolve(&self.inner.core, id, Resolution::KeepTheirs).await
    }

    /// A ticket with its thread: from the server (and cached for offline use), or from the
    /// cache when the server cannot be reached.
    pub async fn ticket_detail(&self, id: i64) -> Result<TicketThread, ClientError> {
        self.inner.core.ticket_detail(id).await
    }

    /// Asks the engine to pull changes and send pending writes now, without waiting.
    pub fn request_sync(&self) {
        self.command(Command::Sync(None));
    }

    /// Pulls changes and sends pending writes now; returns what changed.
    pub async fn sync_now(&self) -> Result<SyncReport, ClientError> {
        let core = &self.inner.core;
        if core.config.offline {
            return Err(ClientError::Api(ApiError::Offline(
                "working from the cache only".into(),
            )));
        }
        if !core.config.background {
            return sync::cycle(core).await;
        }
        let (tx, rx) = oneshot::channel();
        if self.inner.commands.send(Command::Sync(Some(tx))).is_err() {
            return Err(ClientError::Stopped);
        }
        rx.await.map_err(|_| ClientError::Stopped)?
    }

    /// Stops the sync engine and waits for it. The view stays readable.
    pub async fn shutdown(&self) {
        let _ = self.inner.commands.send(Command::Shutdown);
        let task = self
            .inner
            .engine
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = task
            && let Err(e) = task.await
        {
            tracing::warn!("the sync engine ended badly: {e}");
        }
    }

    fn command(&self, c: Command) {
        if self.inner.commands.send(c).is_err() {
            tracing::debug!("the sync engine is not running; the command waits for the next start");
        }
    }
}
