//! A real SMTP server as the outbound sink: Python's aiosmtpd, started on a loopback port
//! with a Maildir to read the received mail from. `scripts/aiosmtpd.sh` (run by `.ci/run`)
//! installs it into `target/aiosmtpd-venv`; where it is missing the tests skip loudly, and
//! fail under `CI`.

#![allow(dead_code)]

pub mod desk;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python that has aiosmtpd: the venv the script makes, else the system's.
fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/aiosmtpd-venv/bin/python");
    let candidates = [venv, PathBuf::from("python3")];
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Whether the sink can run here; says loudly why not, and fails the test under `CI`.
pub fn available() -> bool {
    if python().is_some() {
        return true;
    }
    let why = "aiosmtpd is not installed (run scripts/aiosmtpd.sh)";
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("SKIPPED: the mail tests need a real SMTP sink: {why}");
    false
}

/// A running aiosmtpd storing what it receives in a Maildir.
pub struct Sink {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    maildir: PathBuf,
}

impl Sink {
    /// Starts the sink on `port`, keeping mail in the Maildir `maildir` (which must not
    /// exist yet: aiosmtpd makes it); returns once it accepts.
    pub fn start(port: u16, maildir: &Path) -> Sink {
        let python = python().expect("aiosmtpd (check available() first)");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Sink {
            child,
            port,
            maildir: maildir.to_path_buf(),
        }
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops it (the port stays unused: mail to it is refused).
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every mail a sink stored under `maildir`, oldest first.
pub fn received(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|e| {
            let modified = e.metadata().and_then(|m| m.modified()).expect("mtime");
            (modified, e.path())
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|(_, p)| std::fs::read_to_string(p).expect("mail"))
        .collect()
}

/// Waits until `maildir` holds `n` mails (60 s at most) and returns them.
pub async fn wait_for_mails(maildir: &Path, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mails = received(maildir);
        if mails.len() >= n {
            return mails;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {n} mails arrived: {mails:#?}",
            mails.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The value of header `name` in `mail` (unfolded), if present.
pub fn header(mail: &str, name: &str) -> Option<String> {
    let head = mail.split("\n\n").next().unwrap_or_default();
    let mut value: Option<String> = None;
    for line in head.lines() {
        if let Some(v) = value.as_mut()
            && line.starts_with([' ', '\t'])
        {
            v.push(' ');
            v.push_str(line.trim());
            continue;
        }
        if value.is_some() {
            break;
        }
        if let Some((key, rest)) = line.split_once(':')
            && key.eq_ignore_ascii_case(name)
        {
            value = Some(rest.trim().to_string());
        }
    }
    value
}

/// A demo server (on the test's store) whose mail goes to `smtp_port`, retrying as
/// `delivery` says; with `receive`, it also takes mail by SMTP (`server.smtp_addr`).
pub async fn server_delivering(
    smtp_port: u16,
    delivery: deskport::server::mail_sender::Delivery,
    receive: bool,
) -> crate::common::TestServer {
    use deskport::server::{Limits, ServerConfig, open_store, serve_receiving};
    let dir = tempfile::tempdir().expect("tempdir");
    let config = ServerConfig {
        data_dir: dir.path().join("data"),
        demo: true,
        demo_tickets: 12,
        smtp: None,
        database: crate::common::stores::database(),
        trusted_proxy: None,
    };
    let store = open_store(&config).await.expect("store opens");
    let mailer =
        deskport::server::mail::SmtpMailer::new(&format!("smtp://127.0.0.1:{smtp_port}"), None)
            .expect("mailer");
    let limits = Limits {
        mail: delivery,
        ..Limits::default()
    };
    let bind = || async {
        tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind")
    };
    let inbound = deskport::server::mail_in::Inbound {
        smtp: match receive {
            true => Some(bind().await),
            false => None,
        },
        imap: None,
    };
    let server = serve_receiving(
        store,
        std::sync::Arc::new(mailer),
        bind().await,
        limits,
        inbound,
    )
    .await
    .expect("server starts");
    crate::common::TestServer {
        server,
        dir,
        http: reqwest::Client::new(),
        database: config.database,
    }
}

/// Waits until `n` mails to `address` arrived in `maildir` (60 s at most), and returns them.
pub async fn mails_to(maildir: &Path, address: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mails: Vec<String> = received(maildir)
            .into_iter()
            .filter(|m| header(m, "To").as_deref() == Some(address))
            .collect();
        if mails.len() >= n {
            return mails;
        }
        assert!(Instant::now() < deadline, "{mails:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
