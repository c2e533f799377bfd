//! Opens the mailbox: TCP, TLS (at once, or after `STARTTLS`), sign-in, `SELECT`.

use super::{ImapSource, Security};
use rustls::pki_types::ServerName;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// How long connecting and the TLS handshake may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A signed-in session with the mailbox selected.
pub type Mailbox = async_imap::Session<TlsStream<TcpStream>>;

/// Why taking mail from the mailbox failed this time (the poller tries again later).
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// No connection (refused, unreachable, TLS failed, timed out).
    #[error("cannot connect to {at}: {why}")]
    Connect {
        /// `host:port`.
        at: String,
        /// What failed.
        why: String,
    },
    /// The server refused or broke a command (sign-in, select, fetch, store).
    #[error("the IMAP server failed: {0}")]
    Protocol(#[from] async_imap::error::Error),
    /// The store could not take the turn.
    #[error(transparent)]
    Store(#[from] crate::server::store::StoreError),
    /// A poll took too long (a server that stopped answering).
    #[error("no answer from the IMAP server within {0:?}")]
    TimedOut(Duration),
}

/// Connects, secures, signs in and selects `source.mailbox`.
pub async fn open(source: &ImapSource) -> Result<Mailbox, ImapError> {
    let failed = |why: String| ImapError::Connect {
        at: format!("{}:{}", source.host, source.port),
        why,
    };
    let name = ServerName::try_from(source.host.clone())
        .map_err(|e| failed(format!("`{}` is not a host name: {e}", source.host)))?;
    let tls = TlsConnector::from(source.tls.clone());
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((source.host.as_str(), source.port)),
    )
    .await
    .map_err(|_| failed("timed out".into()))?
    .map_err(|e| failed(e.to_string()))?;
    let secured = match source.security {
        Security::Tls => {
            let stream = handshake(&tls, name, tcp).await.map_err(failed)?;
            let mut client = async_imap::Client::new(stream);
            greeting(&mut client).await?;
            client
        }
        Security::StartTls => {
            let mut plain = async_imap::Client::new(tcp);
            greeting(&mut plain).await?;
            plain.run_command_and_check_ok("STARTTLS", None).await?;
            // No greeting follows the upgrade.
            let stream = handshake(&tls, name, plain.into_inner())
                .await
                .map_err(failed)?;
            async_imap::Client::new(stream)
        }
    };
    let mut session = secured
        .login(&source.user, &source.password)
        .await
        .map_err(|(e, _)| e)?;
    session.select(&source.mailbox).await?;
    Ok(session)
}

async fn handshake(
    tls: &TlsConnector,
    name: ServerName<'static>,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, String> {
    tokio::time::timeout(CONNECT_TIMEOUT, tls.connect(name, tcp))
        .await
        .map_err(|_| "the TLS handshake timed out".to_string())?
        .map_err(|e| format!("TLS: {e}"))
}

/// Reads the server's greeting, the first thing it sends.
async fn greeting<T>(client: &mut async_imap::Client<T>) -> Result<(), ImapError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    match client.read_response().await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(async_imap::error::Error::ConnectionLost.into()),
        Err(e) => Err(async_imap::error::Error::Io(e).into()),
    }
}
