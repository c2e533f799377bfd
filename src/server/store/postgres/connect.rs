//! From a `postgres://` URL to a connection pool: the password from the URL or
//! `PGPASSWORD`, TLS (verified against the webpki roots) when the URL says
//! `sslmode=require`, and errors that name the host and port but never the password.

use super::sql::describe;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::config::{Host, SslMode};

/// Connections the pool keeps at most.
const POOL_SIZE: usize = 16;

/// Why the database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL does not parse.
    #[error("the database URL is not a PostgreSQL URL (postgres://USER@HOST:PORT/DB): {0}")]
    BadUrl(String),
    /// The server could not be reached or refused us.
    #[error("cannot connect to PostgreSQL at {at}: {why}")]
    Unreachable {
        /// `host:port`.
        at: String,
        /// What failed.
        why: String,
    },
    /// The pool could not be built.
    #[error("cannot set up the PostgreSQL connection pool: {0}")]
    Pool(String),
}

/// Parses `url`, filling the password from `PGPASSWORD` when the URL has none.
pub fn parse(url: &str) -> Result<tokio_postgres::Config, ConnectError> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| ConnectError::BadUrl(describe(&e)))?;
    if config.get_password().is_none()
        && let Ok(password) = std::env::var("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_hosts().is_empty() {
        return Err(ConnectError::BadUrl("it names no host".into()));
    }
    Ok(config)
}

/// `host:port` of the first server the config names, for messages.
pub fn where_to(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "?".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}")
}

/// The session setting every pooled connection starts with: each statement runs its
/// generic plan, made once per connection. Left to choose, PostgreSQL planned the ticket
/// page afresh on every request (its cursor, a new value each time, made every custom plan
/// look cheaper), and planning that seven-table join cost the backend more than running
/// it; and a statement it did switch to its generic plan stayed there, so how a statement
/// ran depended on what its first five runs on that connection happened to read. Every
/// statement the store sends has a generic plan that serves any value (a range read is
/// bounded by a fixed `LIMIT`).
const GENERIC_PLANS: &str = "-c plan_cache_mode=force_generic_plan";

/// A pool over `config`, with TLS when it asks for it; its connections plan as
/// [`GENERIC_PLANS`] says, after any options the URL gives.
pub fn pool(mut config: tokio_postgres::Config) -> Result<Pool, ConnectError> {
    let options = match config.get_options() {
        Some(given) => format!("{given} {GENERIC_PLANS}"),
        None => GENERIC_PLANS.to_string(),
    };
    config.options(options);
    let manager = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = if config.get_ssl_mode() == SslMode::Require {
        Manager::from_config(config, tls()?, manager)
    } else {
        Manager::from_config(config, tokio_postgres::NoTls, manager)
    };
    Pool::builder(manager)
        .max_size(POOL_SIZE)
        .build()
        .map_err(|e| ConnectError::Pool(e.to_string()))
}

/// The messages a dedicated connection receives while it runs (notifications among them).
pub type Messages = futures::stream::BoxStream<
    'static,
    Result<tokio_postgres::AsyncMessage, tokio_postgres::Error>,
>;

/// A connection of its own outside the pool, with TLS when the config asks for it: the
/// change listener's, whose notifications arrive on its [`Messages`] (which must be polled
/// for the connection to run).
pub async fn dedicated(
    config: &tokio_postgres::Config,
) -> Result<(tokio_postgres::Client, Messages), ConnectError> {
    let unreachable = |e: tokio_postgres::Error| ConnectError::Unreachable {
        at: where_to(config),
        why: describe(&e),
    };
    if config.get_ssl_mode() == SslMode::Require {
        let (client, mut connection) = config.connect(tls()?).await.map_err(unreachable)?;
        let messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        Ok((client, Box::pin(messages)))
    } else {
        let (client, mut connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(unreachable)?;
        let messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        Ok((client, Box::pin(messages)))
    }
}

/// TLS that checks the server's certificate against the webpki roots.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, ConnectError> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ConnectError::Pool(format!("cannot set up TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}
