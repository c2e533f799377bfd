//! `deskport serve --ssh ADDR`: the app itself served over SSH, so a customer or an admin
//! needs nothing but `ssh`. Each connection signs in with the portal's accounts and runs the
//! same TUI as the local client against this server's API (`app_session.rs`); the host key is
//! made on first start (`host_key.rs`), connections not signed in yet are bounded
//! (`gate.rs`), and sessions are capped (`seats.rs`).

mod allocator;
mod app_session;
mod gate;
mod handler;
pub mod host_key;
mod idle;
mod prompts;
mod public_key;
mod seats;
mod sign_in;

use app_session::AppHost;
use color_eyre::eyre::{Result, WrapErr};
use deskport::client::files::create_private_dir;
use deskport::domain::wire::SshAccess;
use deskport::server::RunningServer;
use gate::GateLimits;
use handler::Connection;
use seats::{SeatLimits, Seats};
use sign_in::PortalDoor;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The sessions' private directories, in the data dir.
const SESSIONS_DIR: &str = "ssh-sessions";
/// A connection silent this long is closed.
const INACTIVITY: Duration = Duration::from_secs(3600);
/// How often a silent client is asked whether it is still there.
const KEEPALIVE: Duration = Duration::from_secs(30);

/// Where and how to serve the app over SSH.
#[derive(Debug, Clone)]
pub struct SshOptions {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The host key file (made if missing); `<data dir>/ssh_host_ed25519_key` when `None`.
    pub host_key: Option<PathBuf>,
}

/// The SSH server running beside the API.
pub struct SshServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The host key's fingerprint, for users to check on first connect.
    pub fingerprint: String,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl SshServer {
    /// Stops accepting connections (running sessions end with the process).
    pub fn stop(self) {
        self.task.abort();
    }
}

/// Listens on `options.listen` and serves the app to each signed-in connection, against
/// `api`'s portal; session directories and the default host key go under `data_dir`.
pub async fn start(
    options: &SshOptions,
    data_dir: &Path,
    api: &RunningServer,
) -> Result<SshServer> {
    allocator::give_back_freed_memory();
    let socket = tokio::net::TcpListener::bind(options.listen)
        .await
        .wrap_err_with(|| format!("cannot listen for SSH on {}", options.listen))?;
    let addr = socket.local_addr()?;
    let key_path = options
        .host_key
        .clone()
        .unwrap_or_else(|| data_dir.join(host_key::DEFAULT_FILE));
    let key = host_key::load_or_create(&key_path)?;
    let sessions_dir = data_dir.join(SESSIONS_DIR);
    clear_leftovers(&sessions_dir)?;
    let host = Arc::new(AppHost {
        door: PortalDoor::new(api.in_process(), api.store.clone()),
        api_url: format!("http://{}", reachable(api.addr)),
        sessions_dir,
    });
    let config = Arc::new(russh::server::Config {
        methods: public_key::methods(),
        // The portal's sign-in already takes as long to refuse as to accept.
        auth_rejection_time: Duration::ZERO,
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key.key],
        inactivity_timeout: Some(INACTIVITY),
        keepalive_interval: Some(KEEPALIVE),
        nodelay: true,
        ..Default::default()
    });
    let seats = Seats::new(SeatLimits::default());
    let task = tokio::spawn(gate::serve(
        socket,
        config,
        GateLimits::default(),
        move |peer, waiting| Connection::new(host.clone(), seats.clone(), peer, waiting),
    ));
    api.announce_ssh(SshAccess {
        address: addr.to_string(),
        fingerprint: key.fingerprint.clone(),
    });
    Ok(SshServer {
        addr,
        fingerprint: key.fingerprint,
        task,
    })
}

/// The address the apps reach the API on: the listen address, or loopback when it listens on
/// every address.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, addr.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, addr.port()).into(),
        _ => addr,
    }
}

/// Removes the session directories a killed server left behind (with their caches), and
/// makes the directory afresh.
fn clear_leftovers(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).wrap_err_with(|| format!("cannot clear {}", dir.display()));
        }
        _ => {}
    }
    create_private_dir(dir)
        .map_err(|e| color_eyre::eyre::eyre!("{e}"))
        .wrap_err_with(|| format!("cannot make {}", dir.display()))
}
