//! The portal API server: axum routes over a [`store::Store`], with the sync feed, started by
//! `deskport serve` or embedded by the TUI.

pub mod api;
pub mod data_dir;
pub mod demo;
pub mod error;
pub mod extract;
pub mod if_match;
mod in_process;
pub mod listen;
pub mod mail;
pub mod mail_in;
pub mod mail_sender;
pub mod middleware;
pub mod move_to_postgres;
pub mod request;
pub mod security;
pub mod state;
pub mod store;
pub mod streams;
pub mod sync;
pub mod wire;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use color_eyre::eyre::{Result, WrapErr};
pub use data_dir::{database_path, open_database, prepare_data_dir};
use error::ApiError;
pub use in_process::InProcess;
use mail::{FileMailer, Mailer, SmtpMailer};
use state::{AppState, SharedState};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::Store;
use store::postgres::PostgresStore;

/// How to run a server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where the database and the mail folder live.
    pub data_dir: PathBuf,
    /// Seed the demo portal into an empty data dir.
    pub demo: bool,
    /// Demo tickets to generate.
    pub demo_tickets: usize,
    /// SMTP URL; mail goes to `.eml` files when absent.
    pub smtp: Option<String>,
    /// PostgreSQL URL (`postgres://user@host:port/db`); the SQLite file in `data_dir` when
    /// absent.
    pub database: Option<String>,
    /// The reverse proxy in front of the server (e.g. nginx on 127.0.0.1): on its requests
    /// the client address that rate limits count is the last one in `X-Forwarded-For`.
    /// Without it the TCP peer is the client, and every client behind a proxy shares its
    /// address.
    pub trusted_proxy: Option<std::net::IpAddr>,
}

/// Opens the store without seeding it: the PostgreSQL database `config.database` names, or
/// else the SQLite file in `config.data_dir`.
pub async fn open_unseeded(config: &ServerConfig) -> Result<Arc<dyn Store>> {
    Ok(match &config.database {
        Some(url) => Arc::new(PostgresStore::open(url).await?),
        None => Arc::new(open_database(&config.data_dir)?),
    })
}

/// Opens the store (see [`open_unseeded`]), seeding it on first use: the demo portal with
/// `--demo` (into an empty store), otherwise one system domain and a Support inbox for the
/// setup wizard (also when `deskport staff add` created the store first).
pub async fn open_store(config: &ServerConfig) -> Result<Arc<dyn Store>> {
    let store = open_unseeded(config).await?;
    if config.demo && store.is_empty().await? {
        let hash = security::hash_password_async(demo::DEMO_PASSWORD.to_string())
            .await
            .map_err(|e| color_eyre::eyre::eyre!(e))?;
        store
            .import(demo::demo_batch(config.demo_tickets, &hash))
            .await
            .wrap_err("cannot seed the demo portal")?;
    } else if store.domains().await?.is_empty() {
        seed_fresh(store.as_ref())
            .await
            .wrap_err("cannot seed the data dir")?;
    }
    Ok(store)
}

/// What a fresh, non-demo data dir starts with: the vendor's system domain, so the setup
/// wizard has a domain to offer, and one empty Support inbox to be the default.
async fn seed_fresh(store: &dyn Store) -> store::StoreResult<()> {
    let domain = crate::domain::DomainInfo {
        host: "portal.deskport-sites.test".into(),
        primary_language: "en".into(),
        system: true,
    };
    store.add_domain(domain).await?;
    if store.inboxes().await?.is_empty() {
        let inbox = crate::domain::Inbox {
            id: 0,
            name: "Support".into(),
            kind: crate::domain::InboxKind::Inbox,
            members: vec![],
            assignment: crate::domain::Assignment::Manual,
            capacity: None,
        };
        store.create_inbox(inbox).await?;
    }
    Ok(())
}

/// The mailer the config asks for; the mail folder is checked (or created) now, so a bad one
/// stops the server at start rather than failing every sign-in code later.
pub fn mailer(config: &ServerConfig) -> Result<Arc<dyn Mailer>> {
    Ok(match &config.smtp {
        Some(url) => Arc::new(
            SmtpMailer::new(url, smtp_credentials()?).map_err(|e| color_eyre::eyre::eyre!(e))?,
        ),
        None => {
            let dir = config.data_dir.join("mail");
            mail::prepare_mail_dir(&dir).map_err(|e| color_eyre::eyre::eyre!(e))?;
            Arc::new(FileMailer::new(dir))
        }
    })
}

/// The SMTP user and password from `DESKPORT_SMTP_USER` and `DESKPORT_SMTP_PASSWORD` (never
/// from the URL, which the process list shows); one without the other is refused.
fn smtp_credentials() -> Result<Option<(String, String)>> {
    let user = std::env::var("DESKPORT_SMTP_USER").ok();
    let password = std::env::var("DESKPORT_SMTP_PASSWORD").ok();
    match (user, password) {
        (Some(user), Some(password)) => Ok(Some((user, password))),
        (None, None) => Ok(None),
        _ => color_eyre::eyre::bail!(
            "set both DESKPORT_SMTP_USER and DESKPORT_SMTP_PASSWORD, or neither"
        ),
    }
}

/// The whole HTTP app: API v1 under `/api/v1`, its OpenAPI document, JSON errors everywhere.
pub fn app(state: SharedState) -> Router {
    let (api_router, doc) = api::v1().split_for_parts();
    let doc_json = Arc::new(
        doc.to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")),
    );
    let serve_doc = move || {
        let body = doc_json.clone();
        async move {
            (
                [(header::CONTENT_TYPE, "application/json")],
                body.as_ref().clone(),
            )
        }
    };
    let api = api_router
        .route("/openapi.json", get(serve_doc.clone()))
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this path does not take that method",
            )
        });
    Router::new()
        .nest("/api/v1", api)
        .route("/openapi.json", get(serve_doc))
        .fallback(|| async { ApiError::not_found().into_response() })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::idempotency::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::ratelimit::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::language::layer,
        ))
        .layer(DefaultBodyLimit::max(request::MAX_BODY_BYTES))
        .with_state(state)
}

/// How long a stopping server waits for open requests (event streams included).
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// A server running in this process.
pub struct RunningServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where it takes mail by SMTP, if it does.
    pub smtp_addr: Option<SocketAddr>,
    /// The store (tests and the embedded mode reach it directly).
    pub store: Arc<dyn Store>,
    /// The routes with their middlewares, for requests answered in process.
    router: Router,
    /// Where the app is served over SSH, as the API tells admins.
    ssh: Arc<std::sync::OnceLock<crate::domain::wire::SshAccess>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// The API base URL, e.g. `http://127.0.0.1:7878/api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Tells admins (`GET /ssh`) where the app is served over SSH and with which host key;
    /// the SSH server starts after the API, so it announces itself here. Only the first
    /// announcement counts: one process serves SSH once.
    pub fn announce_ssh(&self, access: crate::domain::wire::SshAccess) {
        if self.ssh.set(access).is_err() {
            tracing::warn!("SSH was already announced; the first address is kept");
        }
    }

    /// A door for front ends in this process (the SSH server) to answer API requests.
    pub fn in_process(&self) -> InProcess {
        InProcess {
            router: self.router.clone(),
        }
    }

    /// Stops accepting, gives running requests [`SHUTDOWN_GRACE`] to finish, then ends the
    /// rest: `/events` streams never finish on their own, so waiting for them would hang.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut self.task).await {
            Ok(joined) => joined
                .wrap_err("the server task failed")?
                .wrap_err("the server failed"),
            Err(_) => {
                self.task.abort();
                Ok(())
            }
        }
    }

    /// Serves until `signal` completes (then stops gracefully) or the server fails.
    pub async fn run_until(mut self, signal: impl std::future::Future<Output = ()>) -> Result<()> {
        tokio::select! {
            () = signal => self.stop().await,
            r = &mut self.task => r.wrap_err("the server task failed")?.wrap_err("the server failed"),
        }
    }
}

/// The server's bounds on connections, event streams and mail retries, and whose word it
/// takes for a client's address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Header and idle timeouts, connections at once.
    pub connections: listen::ConnectionLimits,
    /// Event streams per account and overall.
    pub streams: streams::StreamLimits,
    /// How queued mail is retried.
    pub mail: mail_sender::Delivery,
    /// See [`ServerConfig::trusted_proxy`].
    pub trusted_proxy: Option<std::net::IpAddr>,
}

/// Listens on `listen` (port 0 picks a free one), then opens the store and serves. The
/// address is taken first, so a port in use fails before anything is written to disk.
pub async fn start(config: &ServerConfig, listen: SocketAddr) -> Result<RunningServer> {
    start_receiving(config, listen, None, None).await
}

/// [`start`], also taking mail by SMTP on `smtp_listen` when given (bound before the store
/// opens, like `listen`) and from the mailbox `imap` when given.
pub async fn start_receiving(
    config: &ServerConfig,
    listen: SocketAddr,
    smtp_listen: Option<SocketAddr>,
    imap: Option<mail_in::imap::ImapSource>,
) -> Result<RunningServer> {
    let listener = bind(listen).await?;
    let smtp = match smtp_listen {
        Some(addr) => Some(bind(addr).await?),
        None => None,
    };
    let inbound = mail_in::Inbound { smtp, imap };
    let store = open_store(config).await?;
    let limits = Limits {
        trusted_proxy: config.trusted_proxy,
        ..Limits::default()
    };
    serve_receiving(store, mailer(config)?, listener, limits, inbound).await
}

/// Serves an already opened store on `listen` (port 0 picks a free one), sending mail
/// through `mailer`.
pub async fn serve(
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    listen: SocketAddr,
) -> Result<RunningServer> {
    serve_on(store, mailer, bind(listen).await?, Limits::default()).await
}

/// Event streams send a keep-alive every 15 s, and at least three within the idle timeout,
/// so that a quiet but open stream is never taken for an idle connection.
fn stream_keep_alive(limits: &Limits) -> std::time::Duration {
    (limits.connections.idle / 3).clamp(
        std::time::Duration::from_millis(100),
        std::time::Duration::from_secs(15),
    )
}

async fn bind(listen: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .wrap_err_with(|| format!("cannot listen on {listen}"))
}

/// Serves an opened store on a bound listener within `limits`.
pub async fn serve_on(
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    listener: tokio::net::TcpListener,
    limits: Limits,
) -> Result<RunningServer> {
    serve_receiving(store, mailer, listener, limits, mail_in::Inbound::default()).await
}

/// [`serve_on`], also taking mail from the sources in `inbound`, which stop with the HTTP
/// server.
pub async fn serve_receiving(
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    listener: tokio::net::TcpListener,
    limits: Limits,
    inbound: mail_in::Inbound,
) -> Result<RunningServer> {
    let stream_limits = streams::StreamLimits {
        // Streams never take more than half the connections: the rest stay for requests.
        total: limits
            .streams
            .total
            .min(limits.connections.cap() / 2)
            .max(1),
        ..limits.streams
    };
    let code_key = store.code_key().await?;
    let state = Arc::new(AppState {
        store: store.clone(),
        mailer,
        code_key,
        in_flight: Default::default(),
        streams: streams::EventStreams::new(stream_limits, stream_keep_alive(&limits)),
        mail_retried: Default::default(),
        trusted_proxy: limits.trusted_proxy,
        ssh: Default::default(),
    });
    let ssh = state.ssh.clone();
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    // Before the first request, so nothing a request writes meanwhile is swept by surprise.
    store::sweep::sweep_and_log(state.store.as_ref()).await;
    let sweeping = store::sweep::sweep_forever(state.store.clone());
    let sending = mail_sender::send_forever(state.clone(), limits.mail);
    let smtp_addr = inbound.smtp.as_ref().and_then(|l| l.local_addr().ok());
    if let Some(source) = &inbound.imap {
        tracing::info!("taking mail from {source}");
    }
    let app = app(state.clone());
    let router = app.clone();
    let receiving = mail_in::receive(state, inbound);
    let task = tokio::spawn(async move {
        let serving = listen::run(listener, app, limits.connections, rx);
        // The sweep, the mail sender and the mail sources never end; they stop with the
        // server.
        tokio::select! {
            served = serving => served,
            never = sweeping => match never {},
            never = sending => match never {},
            never = receiving => match never {},
        }
    });
    if let Some(smtp_addr) = smtp_addr {
        tracing::info!("taking mail by SMTP on {smtp_addr}");
    }
    tracing::info!("serving the portal API on http://{addr}/api/v1");
    Ok(RunningServer {
        addr,
        smtp_addr,
        store,
        router,
        ssh,
        shutdown: Some(tx),
        task,
    })
}
