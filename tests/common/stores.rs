//! Which store the test servers of a test run on. The same API test runs once on SQLite and
//! once on PostgreSQL: `both_stores!` turns one test into a module with a `sqlite` and a
//! `postgres` test, each running the unchanged body with the store kind set in a task-local
//! that every server starter in this harness reads (SQLite when unset).

use super::postgres;
use std::future::Future;

/// The two stores a server can run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    /// The SQLite file in the server's data dir.
    Sqlite,
    /// A fresh database on the test PostgreSQL.
    Postgres,
}

tokio::task_local! {
    static STORE: StoreKind;
}

/// The store kind of the running test (SQLite outside `both_stores!`).
pub fn current() -> StoreKind {
    STORE.try_with(|kind| *kind).unwrap_or(StoreKind::Sqlite)
}

/// The `ServerConfig::database` for a new test server: `None` for SQLite, else the URL of a
/// fresh database.
pub fn database() -> Option<String> {
    match current() {
        StoreKind::Sqlite => None,
        StoreKind::Postgres => Some(postgres::fresh_database()),
    }
}

/// Runs `test` with its servers on `kind`. The PostgreSQL run is skipped, loudly, where
/// PostgreSQL is missing (and fails instead under `CI`).
pub async fn on_store(kind: StoreKind, test: impl Future<Output = ()>) {
    if kind == StoreKind::Postgres && !postgres::available() {
        return;
    }
    STORE.scope(kind, test).await
}

/// `on_store` for a test that drives its own runtime (`block_on` polls on this thread).
pub fn on_store_blocking(kind: StoreKind, test: impl FnOnce()) {
    if kind == StoreKind::Postgres && !postgres::available() {
        return;
    }
    STORE.sync_scope(kind, test)
}

/// Turns one async test into two, `NAME::sqlite` and `NAME::postgres`, with the same
/// attributes and body.
#[macro_export]
macro_rules! both_stores {
    ($(#[$attr:meta])* async fn $name:ident() $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$attr])*
            async fn sqlite() {
                $crate::common::stores::on_store(
                    $crate::common::stores::StoreKind::Sqlite,
                    async move $body,
                )
                .await
            }

            $(#[$attr])*
            async fn postgres() {
                $crate::common::stores::on_store(
                    $crate::common::stores::StoreKind::Postgres,
                    async move $body,
                )
                .await
            }
        }
    };
}
