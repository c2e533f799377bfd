//! The one mailer registration and sign-in codes go through: `.eml` files under the data
//! dir by default, SMTP when a URL is given.

use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

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

/// Sends mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync + 'static {
    /// Sends one message; the error says why it could not be.
    async fn send(&self, mail: Mail) -> Result<(), String>;
}

const FROM: &str = "deskport <no-reply@deskport.invalid>";

fn build(mail: &Mail) -> Result<Message, String> {
    let from: Mailbox = FROM.parse().map_err(|e| format!("bad sender: {e}"))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("bad recipient {}: {e}", mail.to))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .body(mail.body.clone())
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Writes each message as an `.eml` file in a folder (the default: `DATA_DIR/mail/`).
pub struct FileMailer {
    dir: PathBuf,
}

impl FileMailer {
    /// A mailer writing into `dir` (created on first use).
    pub fn new(dir: PathBuf) -> Self {
        FileMailer { dir }
    }
}

#[async_trait::async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: Mail) -> Result<(), String> {
        let message = build(&mail)?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f");
        let safe_to: String = mail
            .to
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '@' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = self.dir.join(format!("{stamp}-{safe_to}.eml"));
        tokio::fs::write(&path, message.formatted())
            .await
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// Sends through an SMTP server given as a URL (`smtp://host:25`, `smtps://user:pass@host`).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    /// A mailer for `url`.
    pub fn new(url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("bad SMTP URL: {e}"))?
            .build();
        Ok(SmtpMailer { transport })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> Result<(), String> {
        let message = build(&mail)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP send failed: {e}"))
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
}
