//! Mail from a mailbox (`deskport serve --imap imaps://USER@HOST/INBOX`), for desks whose
//! mail already lands in one: a task polls it, hands each unread message to the same
//! [`PortalDesk`](super::desk::PortalDesk) the SMTP listener uses, and marks what it took
//! `\Seen`. The mailbox is where this module is configured; `connect` opens it and `poll`
//! takes the mail.

mod connect;
mod poll;

pub use poll::poll_forever;

use percent_encoding::percent_decode_str;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How long the poller waits between polls unless told otherwise (`serve --imap-poll`).
pub const DEFAULT_POLL: Duration = Duration::from_secs(60);

/// How the connection is secured: TLS from the first byte (`imaps://`, port 993) or a plain
/// connection upgraded with `STARTTLS` before signing in (`imap://`, port 143). Mail is never
/// read, nor a password sent, without TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `imaps://`.
    Tls,
    /// `imap://`.
    StartTls,
}

/// Why `--imap` cannot be used; the server does not start.
#[derive(Debug, thiserror::Error)]
pub enum ImapSetupError {
    /// The URL is not an IMAP URL with a user and host.
    #[error("bad IMAP URL {url}: {why} (expected imaps://USER@HOST[:PORT]/MAILBOX or imap://…)")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// `DESKPORT_IMAP_PASSWORD` is not set.
    #[error("set DESKPORT_IMAP_PASSWORD to the password of the IMAP account")]
    NoPassword,
    /// The CA file cannot be read or holds no certificate.
    #[error("cannot use the IMAP CA file {path}: {why}")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What failed.
        why: String,
    },
}

/// A mailbox to take mail from, and how.
#[derive(Clone)]
pub struct ImapSource {
    /// Host name (checked against the server's certificate).
    pub host: String,
    /// 993 for `imaps://` and 143 for `imap://` unless the URL gives one.
    pub port: u16,
    /// TLS or STARTTLS.
    pub security: Security,
    /// The account.
    pub user: String,
    password: String,
    /// The mailbox polled (`INBOX` when the URL names none).
    pub mailbox: String,
    /// How long to wait between polls; failures back off from it.
    pub poll: Duration,
    tls: Arc<rustls::ClientConfig>,
}

impl fmt::Debug for ImapSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapSource")
            .field("url", &self.to_string())
            .field("poll", &self.poll)
            .finish_non_exhaustive()
    }
}

/// The URL without the password (there is none in it).
impl fmt::Display for ImapSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.security {
            Security::Tls => "imaps",
            Security::StartTls => "imap",
        };
        let (user, host, port, mailbox) = (&self.user, &self.host, self.port, &self.mailbox);
        write!(f, "{scheme}://{user}@{host}:{port}/{mailbox}")
    }
}

impl ImapSource {
    /// The source `url` names, signing in with `DESKPORT_IMAP_PASSWORD` and trusting, besides
    /// the public certificate authorities, the one in `DESKPORT_IMAP_CA_FILE` when set.
    pub fn from_env(url: &str, poll: Duration) -> Result<Self, ImapSetupError> {
        let password =
            std::env::var("DESKPORT_IMAP_PASSWORD").map_err(|_| ImapSetupError::NoPassword)?;
        let ca_file = std::env::var_os("DESKPORT_IMAP_CA_FILE").map(PathBuf::from);
        Self::new(url, password, ca_file.as_deref(), poll)
    }

    /// The source `url` names, signing in with `password`; `ca_file` (PEM) adds a
    /// certificate authority to trust, for a server with a certificate of its own making.
    pub fn new(
        url: &str,
        password: String,
        ca_file: Option<&Path>,
        poll: Duration,
    ) -> Result<Self, ImapSetupError> {
        let bad = |why: &str| ImapSetupError::BadUrl {
            url: url.to_string(),
            why: why.to_string(),
        };
        let parsed = url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
        let (security, default_port) = match parsed.scheme() {
            "imaps" => (Security::Tls, 993),
            "imap" => (Security::StartTls, 143),
            _ => return Err(bad("the scheme must be imaps or imap")),
        };
        let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
        let user = decode(parsed.username());
        if user.is_empty() {
            return Err(bad("it names no user"));
        }
        if parsed.password().is_some() {
            return Err(bad(
                "put the password in DESKPORT_IMAP_PASSWORD, not in the URL",
            ));
        }
        let host = match parsed.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(host) => host.to_string(),
            None => return Err(bad("it names no host")),
        };
        let mailbox = decode(parsed.path().trim_start_matches('/'));
        Ok(ImapSource {
            host,
            port: parsed.port().unwrap_or(default_port),
            security,
            user,
            password,
            mailbox: if mailbox.is_empty() {
                "INBOX".into()
            } else {
                mailbox
            },
            poll,
            tls: Arc::new(tls_config(ca_file)?),
        })
    }
}

/// TLS trusting the public certificate authorities and the ones in `ca_file`.
fn tls_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, ImapSetupError> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = ca_file {
        let failed = |why: String| ImapSetupError::CaFile {
            path: path.to_path_buf(),
            why,
        };
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| failed(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| failed(e.to_string()))?;
        if certs.is_empty() {
            return Err(failed("it holds no PEM certificate".into()));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| failed(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ImapSetupError::CaFile {
            path: ca_file.map(Path::to_path_buf).unwrap_or_default(),
            why: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(url: &str) -> Result<ImapSource, ImapSetupError> {
        ImapSource::new(url, "secret".into(), None, DEFAULT_POLL)
    }

    #[test]
    fn urls_give_security_port_user_and_mailbox() {
        let tls = source("imaps://help%40acme.test@mail.acme.test/Support%20Mail").expect("ok");
        assert_eq!(tls.security, Security::Tls);
        assert_eq!((tls.host.as_str(), tls.port), ("mail.acme.test", 993));
        assert_eq!(tls.user, "help@acme.test");
        assert_eq!(tls.mailbox, "Support Mail");
        let plain = source("imap://desk@127.0.0.1:1143").expect("ok");
        assert_eq!(plain.security, Security::StartTls);
        assert_eq!((plain.port, plain.mailbox.as_str()), (1143, "INBOX"));
        assert_eq!(plain.to_string(), "imap://desk@127.0.0.1:1143/INBOX");
        assert!(!format!("{plain:?}").contains("secret"));
    }

    #[test]
    fn bad_urls_and_ca_files_say_what_is_wrong() {
        for (url, why) in [
            ("pop3://desk@h", "scheme"),
            ("imaps://h/INBOX", "no user"),
            ("imaps://desk:pw@h/INBOX", "DESKPORT_IMAP_PASSWORD"),
            ("not a url", "imaps://USER@HOST"),
        ] {
            let said = source(url).expect_err(url).to_string();
            assert!(said.contains(why), "{url}: {said}");
        }
        let dir = tempfile::tempdir().expect("dir");
        let empty = dir.path().join("ca.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let said = ImapSource::new("imaps://d@h", String::new(), Some(&empty), DEFAULT_POLL)
            .expect_err("no certificate")
            .to_string();
        assert!(said.contains("no PEM certificate"), "{said}");
    }
}
