//! `deskport serve`.

use super::ssh::{self, SshOptions};
use color_eyre::eyre::Result;
use deskport::server::mail_in::imap::ImapSource;
use deskport::server::{ServerConfig, start_receiving};
use std::net::SocketAddr;

/// Serves the portal API (and takes mail by SMTP on `smtp_listen` and from the mailbox
/// `imap`, and serves the app over SSH when `ssh` says where) until Ctrl-C.
pub async fn run(
    listen: SocketAddr,
    smtp_listen: Option<SocketAddr>,
    imap: Option<ImapSource>,
    ssh: Option<SshOptions>,
    config: ServerConfig,
) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let imap_url = imap.as_ref().map(ImapSource::to_string);
    let server = start_receiving(&config, listen, smtp_listen, imap).await?;
    let ssh_server = match &ssh {
        Some(options) => Some(ssh::start(options, &config.data_dir, &server).await?),
        None => None,
    };
    let data_dir = config.data_dir.display();
    let (data, store_option) = match config.database {
        Some(_) => (
            format!("data in PostgreSQL, mail folder in {data_dir}"),
            "--database URL".to_string(),
        ),
        None => (
            format!("data in {data_dir}"),
            format!("--data-dir {data_dir}"),
        ),
    };
    eprintln!("deskport portal API on {} ({data})", server.base_url());
    eprintln!("OpenAPI document: {}/openapi.json", server.base_url());
    if let Some(smtp) = server.smtp_addr {
        eprintln!("taking mail by SMTP on {smtp}");
    }
    if let Some(ssh) = &ssh_server {
        eprintln!(
            "serving the app over SSH on {} (host key {})",
            ssh.addr, ssh.fingerprint
        );
    }
    if let Some(url) = imap_url {
        eprintln!("taking unread mail from {url} (marking it read)");
    }
    if server.store.users().await?.is_empty() {
        eprintln!(
            "no staff account yet: create the first admin with\n  deskport staff add {store_option} --email you@example.com --name \"Your Name\" --role admin"
        );
    }
    let served = server
        .run_until(async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::error!("cannot listen for Ctrl-C: {e}");
                std::future::pending::<()>().await;
            }
            eprintln!("stopping");
        })
        .await;
    if let Some(ssh) = ssh_server {
        ssh.stop();
    }
    served
}
