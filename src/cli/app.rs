//! The default command: the terminal app. Picks the server (`--server`, the remembered session,
//! or an embedded demo server on loopback, shared through a lock file by every `deskport` on
//! the same data dir), sends logs to a file in the data dir and hands over to the TUI.

use super::paths;
use color_eyre::eyre::{Result, WrapErr, bail};
use deskport::client::files::{create_empty, create_private_dir, write_private};
use deskport::client::session::{Session, normalize_server_url};
use deskport::server::demo::{DEFAULT_TICKETS, DEMO_PASSWORD, demo_accounts};
use deskport::server::{RunningServer, ServerConfig, start};
use deskport::tui::{self, DemoAccount, DemoLogins, Options, Server};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Mutex;

/// How long a lock file without an address may stand before it counts as abandoned (the
/// instance that wrote it died while seeding the demo data).
const STARTING_GRACE: Duration = Duration::from_secs(60);
/// How long to wait for another instance to finish starting the embedded server.
const JOIN_TIMEOUT: Duration = Duration::from_secs(90);
/// How long quitting waits for the embedded server to stop gracefully.
const STOP_WAIT: Duration = Duration::from_secs(2);
/// How often a joined instance checks that the embedded server is still there.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// Opens the terminal app.
pub async fn run(user: Option<String>, server: Option<String>) -> Result<()> {
    let data_dir = paths::data_dir();
    let config_dir = paths::config_dir();
    let config = tui::load_config(&config_dir)?;
    let _log = init_logging(&data_dir)?;
    let remembered = match &server {
        Some(_) => None,
        None => Session::load(&config_dir).wrap_err("cannot read the remembered session")?,
    };
    let test_panic = std::env::var_os("DESKPORT_TEST_PANIC").is_some_and(|v| v == "1");
    match server.or(remembered.map(|s| s.server_url)) {
        Some(url) => {
            let server = Server::Remote {
                url: normalize_server_url(&url),
            };
            tui::run(
                config,
                Options {
                    server,
                    user,
                    data_dir,
                    config_dir,
                    test_panic,
                },
            )
            .await
        }
        None => {
            let embedded = Embedded::start_or_join(&data_dir.join("embedded")).await?;
            let logins = DemoLogins {
                accounts: demo_accounts()
                    .into_iter()
                    .map(|a| DemoAccount {
                        email: a.email.to_string(),
                        name: a.name.to_string(),
                        role: a.role,
                        company: a.company.map(str::to_string),
                    })
                    .collect(),
                password: DEMO_PASSWORD.to_string(),
            };
            let server = Server::Embedded {
                url: embedded.url.clone(),
                logins,
            };
            let result = tui::run(
                config,
                Options {
                    server,
                    user,
                    data_dir,
                    config_dir,
                    test_panic,
                },
            )
            .await;
            let stopped = embedded.stop().await;
            result.and(stopped)
        }
    }
}

/// The log file's name in `<data dir>/logs`.
const LOG_FILE: &str = "deskport.log";

/// Logs go to `<data dir>/logs/deskport.log` (0600 in a 0700 dir), filtered by `RUST_LOG`
/// (default `info`), never to the screen. The guard flushes the file when dropped.
fn init_logging(data_dir: &Path) -> Result<tracing_appender::non_blocking::WorkerGuard> {
    let dir = data_dir.join("logs");
    create_private_dir(data_dir)
        .and_then(|()| create_private_dir(&dir))
        .and_then(|()| create_empty(&dir.join(LOG_FILE)))
        .wrap_err("cannot prepare the log file")?;
    let (writer, guard) =
        tracing_appender::non_blocking(tracing_appender::rolling::never(&dir, LOG_FILE));
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init();
    if let Err(e) = installed {
        eprintln!("deskport: logging is already set up elsewhere ({e})");
    }
    Ok(guard)
}

/// The embedded demo server: started by this instance, or joined from another one. A joining
/// instance watches the lock and takes the server over (same address, so its client simply
/// reconnects) when the instance that ran it quits.
struct Embedded {
    /// Base URL without `/api/v1`.
    url: String,
    /// The server and its lock, while this instance runs it.
    owned: Arc<Mutex<Option<Owned>>>,
    watcher: Option<tokio::task::JoinHandle<()>>,
}

/// A server this instance runs, with the lock that tells others where it is.
struct Owned {
    server: RunningServer,
    lock: LockFile,
}

impl Embedded {
    /// Joins the server named in `<dir>/server.lock` if it answers; otherwise takes the lock,
    /// starts the server on a free loopback port and writes its address into the lock.
    async fn start_or_join(dir: &Path) -> Result<Self> {
        create_private_dir(dir)?;
        let path = dir.join("server.lock");
        let deadline = Instant::now() + JOIN_TIMEOUT;
        loop {
            if let Some(lock) = LockFile::create(&path)? {
                let addr = reusable_address(dir);
                let owned = match serve(dir, lock, addr).await {
                    Ok(owned) => owned,
                    // Taken since it was found free: forget it and start over on any port
                    // (the failed start let go of the lock).
                    Err(e) if addr.port() != 0 => {
                        tracing::info!("cannot serve on {addr} again ({e:#}); taking a new port");
                        let _ = std::fs::remove_file(dir.join(LAST_ADDRESS));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                remember_address(dir, owned.server.addr);
                let url = owned.lock.url.clone();
                tracing::info!("embedded server started on {url}");
                return Ok(Embedded {
                    url,
                    owned: Arc::new(Mutex::new(Some(owned))),
                    watcher: None,
                });
            }
            let contents = std::fs::read_to_string(&path).unwrap_or_default();
            match lock_url(&contents) {
                Some(url) if healthy(&url).await => {
                    tracing::info!("joining the embedded server at {url}");
                    let owned = Arc::new(Mutex::new(None));
                    let watcher =
                        tokio::spawn(watch(dir.to_path_buf(), url.clone(), owned.clone()));
                    return Ok(Embedded {
                        url,
                        owned,
                        watcher: Some(watcher),
                    });
                }
                Some(url) => {
                    tracing::warn!(
                        "the embedded server at {url} does not answer; starting a new one"
                    );
                    remove_if_unchanged(&path, &contents);
                }
                None if lock_age(&path) > STARTING_GRACE => remove_if_unchanged(&path, &contents),
                None => tokio::time::sleep(Duration::from_millis(100)).await,
            }
            if Instant::now() > deadline {
                bail!(
                    "another deskport is starting the embedded server but has not finished; remove {} if it is stuck",
                    path.display()
                );
            }
        }
    }

    /// Stops the server if this instance runs it. Clients of other instances may hold event
    /// streams open, so the graceful stop gets a moment and then the server is dropped.
    async fn stop(mut self) -> Result<()> {
        if let Some(watcher) = self.watcher.take() {
            watcher.abort();
        }
        let owned = self.owned.lock().await.take();
        match owned {
            Some(Owned { server, lock }) => {
                drop(lock);
                match tokio::time::timeout(STOP_WAIT, server.stop()).await {
                    Ok(result) => result,
                    Err(_) => {
                        tracing::info!(
                            "other instances still hold connections; stopping the embedded server anyway"
                        );
                        Ok(())
                    }
                }
            }
            None => Ok(()),
        }
    }
}

/// Where the embedded server of `dir` last listened, kept so the next run serves on the same
/// address: the clients' caches are kept per server address, so a new port each run would
/// start every cache (and its first screen) afresh and leave the old file behind.
const LAST_ADDRESS: &str = "last-address";

/// The address the embedded server last used, if it is free now; otherwise any free
/// loopback port.
fn reusable_address(dir: &Path) -> SocketAddr {
    let any = SocketAddr::from(([127, 0, 0, 1], 0));
    std::fs::read_to_string(dir.join(LAST_ADDRESS))
        .ok()
        .and_then(|text| text.trim().parse::<SocketAddr>().ok())
        .filter(|addr| addr.ip().is_loopback() && std::net::TcpListener::bind(addr).is_ok())
        .unwrap_or(any)
}

/// Keeps `addr` for the next run (see [`LAST_ADDRESS`]); a failure only costs a new port.
fn remember_address(dir: &Path, addr: SocketAddr) {
    if let Err(e) = write_private(&dir.join(LAST_ADDRESS), addr.to_string().as_bytes()) {
        tracing::info!("cannot remember the embedded server's address: {e}");
    }
}

/// Starts the embedded server in `dir` on `addr` and publishes its URL in `lock`.
async fn serve(dir: &Path, mut lock: LockFile, addr: SocketAddr) -> Result<Owned> {
    let config = ServerConfig {
        data_dir: dir.to_path_buf(),
        demo: true,
        demo_tickets: DEFAULT_TICKETS,
        smtp: None,
        database: None,
        trusted_proxy: None,
    };
    let server = start(&config, addr)
        .await
        .wrap_err("cannot start the embedded server")?;
    lock.publish(&format!("http://{}", server.addr))?;
    Ok(Owned { server, lock })
}

/// The URL in a lock file's contents, once the owner has written it.
fn lock_url(contents: &str) -> Option<String> {
    contents
        .lines()
        .nth(1)
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
}

/// While joined to the server at `url`: when its lock goes away or it stops answering, take
/// the lock and serve on the same address, so this instance's client reconnects.
async fn watch(dir: PathBuf, url: String, owned: Arc<Mutex<Option<Owned>>>) {
    let path = dir.join("server.lock");
    let Some(addr) = url
        .strip_prefix("http://")
        .and_then(|a| a.parse::<SocketAddr>().ok())
    else {
        tracing::warn!("cannot take over {url}: not a loopback address");
        return;
    };
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        let contents = std::fs::read_to_string(&path).unwrap_or_default();
        match lock_url(&contents) {
            Some(current) if current == url && healthy(&url).await => continue,
            Some(current) if current != url && healthy(&current).await => {
                tracing::warn!(
                    "the embedded server moved to {current}; this instance stays on {url}"
                );
                return;
            }
            None if !contents.is_empty() && lock_age(&path) <= STARTING_GRACE => continue,
            _ => remove_if_unchanged(&path, &contents),
        }
        match LockFile::create(&path) {
            Ok(Some(lock)) => match serve(&dir, lock, addr).await {
                Ok(server) => {
                    tracing::info!("took over the embedded server on {url}");
                    *owned.lock().await = Some(server);
                    return;
                }
                Err(e) => tracing::warn!("cannot take over the embedded server yet: {e:#}"),
            },
            Ok(None) => {}
            Err(e) => tracing::warn!("cannot take the embedded server's lock: {e:#}"),
        }
    }
}

/// Whether a deskport server answers at `url` (without `/api/v1`).
async fn healthy(url: &str) -> bool {
    let Ok(client) = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
    else {
        return false;
    };
    match client.get(format!("{url}/api/v1/healthz")).send().await {
        Ok(response) => response.status().is_success(),
        Err(_) => false,
    }
}

fn lock_age(path: &Path) -> Duration {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .unwrap_or(Duration::ZERO)
}

/// Removes an abandoned lock, unless someone rewrote it since we read it.
fn remove_if_unchanged(path: &Path, seen: &str) {
    if std::fs::read_to_string(path).is_ok_and(|now| now == seen)
        && let Err(e) = std::fs::remove_file(path)
    {
        tracing::warn!("cannot remove the stale lock {}: {e}", path.display());
    }
}

/// The embedded server's lock file: first line the owner's process id, second line the
/// server's URL once it listens. Removed when dropped, if it is still ours.
struct LockFile {
    path: PathBuf,
    contents: String,
    /// The published URL (empty until published).
    url: String,
}

impl LockFile {
    /// Creates the lock; `None` if it already exists.
    fn create(path: &Path) -> Result<Option<Self>> {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(mut file) => {
                let contents = format!("{}\n", std::process::id());
                file.write_all(contents.as_bytes())
                    .wrap_err_with(|| format!("cannot write {}", path.display()))?;
                Ok(Some(LockFile {
                    path: path.to_path_buf(),
                    contents,
                    url: String::new(),
                }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
            Err(e) => Err(e).wrap_err_with(|| format!("cannot create {}", path.display())),
        }
    }

    /// Writes the server's URL into the lock for other instances to join.
    fn publish(&mut self, url: &str) -> Result<()> {
        let contents = format!("{}\n{url}\n", std::process::id());
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, &contents)
            .wrap_err_with(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path)
            .wrap_err_with(|| format!("cannot write {}", self.path.display()))?;
        self.contents = contents;
        self.url = url.to_string();
        Ok(())
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        remove_if_unchanged(&self.path, &self.contents);
    }
}
