//! The one mailer every mail goes through: `.eml` files under the data dir by default, SMTP
//! when a URL is given. Sign-in and registration codes are sent directly ([`Mailer::send`]);
//! ticket mail comes from the queue, with its threading headers ([`Mailer::deliver`]).

use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::{Path, PathBuf};

/// An email to send.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Why a mail was not sent, and whether trying again can help: the queue retries a
/// transient failure (server down, `4xx`) and gives up on a permanent one (`5xx`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// What went wrong, with the mail server's answer when it gave one.
    pub message: String,
    /// Trying again will not help.
    pub permanent: bool,
}

impl SendError {
    /// A failure that no retry can fix (a malformed address, a message that cannot be built).
    pub fn permanent(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            permanent: true,
        }
    }
}

/// Sends mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync + 'static {
    /// Sends one built message; the error says why it could not be.
    async fn deliver(&self, message: Message) -> Result<(), SendError>;

    /// Sends a plain mail from the server's no-reply address.
    async fn send(&self, mail: Mail) -> Result<(), SendError> {
        self.deliver(build(&mail)?).await
    }
}

const FROM: &str = "deskport <no-reply@deskport.invalid>";

/// Parses an address for a header, saying which one is wrong.
pub fn mailbox(what: &str, address: &str) -> Result<Mailbox, SendError> {
    address
        .parse()
        .map_err(|e| SendError::permanent(format!("bad {what} {address}: {e}")))
}

fn build(mail: &Mail) -> Result<Message, SendError> {
    Message::builder()
        .from(mailbox("sender", FROM)?)
        .to(mailbox("recipient", &mail.to)?)
        .subject(mail.subject.clone())
        .body(mail.body.clone())
        .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
}

/// Writes each message as an `.eml` file in a folder (the default: `DATA_DIR/mail/`).
pub struct FileMailer {
    dir: PathBuf,
}

impl FileMailer {
    /// A mailer writing into `dir` (created 0700 on first use; see [`prepare_mail_dir`]).
    pub fn new(dir: PathBuf) -> Self {
        FileMailer { dir }
    }
}

#[async_trait::async_trait]
impl Mailer for FileMailer {
    async fn deliver(&self, message: Message) -> Result<(), SendError> {
        let to = message
            .envelope()
            .to()
            .first()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let bytes = message.formatted();
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || write_eml(&dir, &to, &bytes))
            .await
            .map_err(|e| format!("the mail writer failed: {e}"))
            .and_then(|written| written)
            .map_err(|message| SendError {
                message,
                permanent: false,
            })
    }
}

/// Creates the mail folder 0700, or checks an existing one: it must be a real folder of this
/// user, never a symbolic link (mail holds live sign-in codes and would land wherever the
/// link points). One an older version left open to others is closed first (mode 0700).
pub fn prepare_mail_dir(dir: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            super::data_dir::create_private_dir(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(format!(
                "refusing to use {}: it is a symbolic link, and mail holds live sign-in codes; \
                 remove the link (the server then makes a private folder there)",
                dir.display()
            ));
        }
        Ok(meta) if meta.is_dir() => close_open_mail(dir)?,
        Ok(_) => {}
    }
    super::data_dir::check_private_dir(dir).map_err(|e| format!("{e:#}"))
}

/// Closes a mail folder an older version left open to others (0755, `.eml` files 0644), the
/// folder and the messages in it; a folder already 0700 is not walked again.
fn close_open_mail(dir: &Path) -> Result<(), String> {
    use super::data_dir::close_to_others;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let open =
            std::fs::symlink_metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        if !open {
            return Ok(());
        }
    }
    let chmod_failed =
        |path: &Path, e: std::io::Error| format!("cannot chmod {}: {e}", path.display());
    close_to_others(dir, 0o700).map_err(|e| chmod_failed(dir, e))?;
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        close_to_others(&path, 0o600).map_err(|e| chmod_failed(&path, e))?;
    }
    Ok(())
}

/// Writes one message as a new 0600 file in `dir`, named by time and recipient. The file is
/// created, never opened: an existing file or a planted symbolic link is not written through.
fn write_eml(dir: &Path, to: &str, message: &[u8]) -> Result<(), String> {
    use std::io::Write;
    prepare_mail_dir(dir)?;
    let safe_to: String = to
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '@' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    // Two messages to one recipient within a microsecond: the second takes the next stamp.
    for _ in 0..100 {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f");
        let path = dir.join(format!("{stamp}-{safe_to}.eml"));
        match opts.open(&path) {
            Ok(mut file) => {
                return file
                    .write_all(message)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        }
    }
    Err(format!("cannot find a free file name in {}", dir.display()))
}

/// Sends through an SMTP server given as a URL: `smtp://host[:port]` (STARTTLS when the
/// server offers it, required when signing in) or `smtps://host[:port]` (TLS from the start).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

/// How long one SMTP exchange may take before the try counts as failed.
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl SmtpMailer {
    /// A mailer for `url`, signing in with `credentials` (user, password) when given. A URL
    /// carrying credentials is refused: they would show in the process list and shell
    /// history; they come from the environment instead.
    pub fn new(url: &str, credentials: Option<(String, String)>) -> Result<Self, String> {
        let (implicit_tls, rest) = if let Some(rest) = url.strip_prefix("smtps://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("smtp://") {
            (false, rest)
        } else {
            return Err(format!(
                "bad SMTP URL {url}: it must start with smtp:// (STARTTLS) or smtps:// (TLS)"
            ));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains('@') {
            return Err(
                "bad SMTP URL: put no user or password in it; set DESKPORT_SMTP_USER \
                 and DESKPORT_SMTP_PASSWORD instead"
                    .into(),
            );
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| format!("bad SMTP URL {url}: `{port}` is not a port"))?,
            ),
            None => (authority, if implicit_tls { 465 } else { 25 }),
        };
        if host.is_empty() || host.contains(['/', '?', '#']) {
            return Err(format!("bad SMTP URL {url}: expected smtp://host:port"));
        }
        let tls_parameters =
            TlsParameters::new(host.into()).map_err(|e| format!("cannot set up TLS: {e}"))?;
        let tls = if implicit_tls {
            Tls::Wrapper(tls_parameters)
        } else if credentials.is_some() {
            Tls::Required(tls_parameters)
        } else {
            Tls::Opportunistic(tls_parameters)
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
        })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn deliver(&self, message: Message) -> Result<(), SendError> {
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError {
                message: format!("SMTP send failed: {e}"),
                permanent: e.is_permanent(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn file_mailer_writes_an_eml() {
        let dir = tempfile::tempdir().unwrap();
        let m = FileMailer::new(dir.path().join("mail"));
        m.send(Mail {
            to: "carla@acme.test".into(),
            subject: "Your code".into(),
            body: "123456".into(),
        })
        .await
        .unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(text.contains("To: carla@acme.test"));
        assert!(text.contains("123456"));
        assert!(
            m.send(Mail {
                to: "not an address".into(),
                subject: "x".into(),
                body: "y".into()
            })
            .await
            .is_err()
        );
    }

    fn code_mail() -> Mail {
        Mail {
            to: "carla@acme.test".into(),
            subject: "Your code".into(),
            body: "123456".into(),
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn mail_is_private_and_never_written_through_a_symbolic_link() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        // A folder an older version left open is closed; each message is 0600.
        let mail_dir = dir.path().join("mail");
        std::fs::create_dir(&mail_dir).unwrap();
        std::fs::set_permissions(&mail_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let old_message = mail_dir.join("old.eml");
        std::fs::write(&old_message, "Your code is 123456").unwrap();
        std::fs::set_permissions(&old_message, std::fs::Permissions::from_mode(0o644)).unwrap();
        FileMailer::new(mail_dir.clone())
            .send(code_mail())
            .await
            .unwrap();
        assert_eq!(mode(&mail_dir), 0o700);
        for entry in std::fs::read_dir(&mail_dir).unwrap() {
            assert_eq!(mode(&entry.unwrap().path()), 0o600);
        }
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&elsewhere, &linked).unwrap();
        let error = FileMailer::new(linked)
            .send(code_mail())
            .await
            .unwrap_err()
            .message;
        assert!(error.contains("is a symbolic link"), "{error}");
        assert!(
            error.contains("remove the link"),
            "says how to fix it: {error}"
        );
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
