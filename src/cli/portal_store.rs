//! Which portal a server-side command (`staff`, `mail queue`) works on, without a running
//! server: a data dir's SQLite file or a PostgreSQL database, named the same way everywhere.

use color_eyre::eyre::{Result, bail};
use deskport::server::store::Store;
use deskport::server::store::postgres::PostgresStore;
use deskport::server::{database_path, open_database};
use std::path::PathBuf;
use std::sync::Arc;

/// The portal's store: one of a data dir or a PostgreSQL database.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Portal {
    /// The server's data dir.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The server's PostgreSQL database (postgres://USER@HOST:PORT/DB).
    #[arg(long, env = "DESKPORT_DATABASE_URL", hide_env_values = true)]
    pub database: Option<String>,
}

/// Opens the portal's store; `existing` refuses a data dir with no portal in it (a mistyped
/// one must not become a new portal).
pub async fn open(portal: Portal, existing: bool) -> Result<Arc<dyn Store>> {
    match (portal.database, portal.data_dir) {
        (Some(url), _) => Ok(Arc::new(PostgresStore::open(&url).await?)),
        (None, Some(data_dir)) => {
            if existing && !database_path(&data_dir).exists() {
                bail!(
                    "no portal in {}: pass the data dir the server runs on",
                    data_dir.display()
                );
            }
            Ok(Arc::new(open_database(&data_dir)?))
        }
        (None, None) => bail!("pass --data-dir or --database"),
    }
}
