//! The few ways the PostgreSQL store talks to a connection: every statement is prepared once
//! per connection (its statement cache) and every column is read without panicking.

use crate::server::store::{StoreError, StoreResult};
use deadpool_postgres::ClientWrapper;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql};

/// A connection, pooled or holding a request's transaction.
pub type Db = ClientWrapper;

/// Statement parameters.
pub type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Database(describe(&e))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Database(format!("cannot get a database connection: {e}"))
    }
}

/// What went wrong, with the server's own message when it sent one (the driver's display of
/// a server error is only "db error").
pub fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => match std::error::Error::source(e) {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        },
    }
}

/// All rows of a statement.
pub async fn rows(c: &Db, sql: &str, params: Params<'_>) -> StoreResult<Vec<Row>> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.query(&stmt, params).await?)
}

/// The one row of a statement, if any.
pub async fn row_opt(c: &Db, sql: &str, params: Params<'_>) -> StoreResult<Option<Row>> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.query_opt(&stmt, params).await?)
}

/// The one row of a statement; [`StoreError::NotFound`] when there is none.
pub async fn row(c: &Db, sql: &str, params: Params<'_>) -> StoreResult<Row> {
    row_opt(c, sql, params).await?.ok_or(StoreError::NotFound)
}

/// Runs a statement; how many rows it changed.
pub async fn execute(c: &Db, sql: &str, params: Params<'_>) -> StoreResult<u64> {
    let stmt = c.prepare_cached(sql).await?;
    Ok(c.execute(&stmt, params).await?)
}

/// Column `i` of `row`.
pub fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> StoreResult<T> {
    row.try_get(i)
        .map_err(|e| StoreError::Database(format!("unreadable column {i}: {e}")))
}

/// A JSON column stored as text.
pub fn json<T: serde::de::DeserializeOwned>(row: &Row, i: usize) -> StoreResult<T> {
    Ok(serde_json::from_str(get::<&str>(row, i)?)?)
}
