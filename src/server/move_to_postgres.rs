//! Moving a portal from its SQLite file to PostgreSQL (`deskport migrate`): every table that
//! outlives a request is copied as it is, ids, versions and change-log sequence numbers
//! included, so clients' sync cursors and tickets' `ETag`s stay valid; and the one-time code
//! key moves from the data dir's key file into the database, so reply addresses in mail
//! already sent still thread into their tickets.

use super::data_dir::{check_private_dir, database_path, open_database};
use super::security::CodeKey;
use super::store::postgres::PostgresStore;
use super::store::table_copy::MoveReport;
use color_eyre::eyre::{Result, WrapErr, bail};
use std::path::Path;

/// Copies the SQLite portal in `data_dir` into the empty PostgreSQL database at `url`, in
/// one transaction on the target. Refuses a data dir without a deskport database and a
/// target that holds anything already.
pub async fn sqlite_to_postgres(data_dir: &Path, url: &str) -> Result<MoveReport> {
    check_private_dir(data_dir)
        .wrap_err_with(|| format!("cannot use the data dir {}", data_dir.display()))?;
    let file = database_path(data_dir);
    if !file.is_file() {
        bail!(
            "{} holds no deskport database ({} is missing); pass the --data-dir the SQLite server ran with",
            data_dir.display(),
            file.display()
        );
    }
    let code_key = CodeKey::stored_in(data_dir)?;
    let source = open_database(data_dir)?;
    let target = PostgresStore::open(url).await?;
    let specs = target.move_target().await?;
    let tables = source
        .export(specs)
        .await
        .wrap_err_with(|| format!("cannot read {}", file.display()))?;
    let report = target
        .load_moved(tables, code_key.map(|k| k.to_vec()))
        .await
        .wrap_err("cannot copy into PostgreSQL; the target database was left as it was")?;
    Ok(report)
}
