//! `deskport serve`.

use color_eyre::eyre::Result;
use deskport::server::store::Store;
use deskport::server::{ServerConfig, start};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Serves the portal API until Ctrl-C.
pub async fn run(
    listen: SocketAddr,
    data_dir: PathBuf,
    demo: bool,
    demo_tickets: usize,
    smtp: Option<String>,
) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = ServerConfig {
        data_dir: data_dir.clone(),
        demo,
        demo_tickets,
        smtp,
        database: None,
    };
    let server = start(&config, listen).await?;
    eprintln!(
        "deskport portal API on {} (data in {})",
        server.base_url(),
        data_dir.display()
    );
    eprintln!("OpenAPI document: {}/openapi.json", server.base_url());
    if server.store.users().await?.is_empty() {
        eprintln!(
            "no staff account yet: create the first admin with\n  deskport staff add --data-dir {} --email you@example.com --name \"Your Name\" --role admin",
            data_dir.display()
        );
    }
    server
        .run_until(async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::error!("cannot listen for Ctrl-C: {e}");
                std::future::pending::<()>().await;
            }
            eprintln!("stopping");
        })
        .await
}
