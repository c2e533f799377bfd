//! One transaction per idempotent request, whichever store serves it: from a request's first
//! write (on PostgreSQL, from its claim of the key) until its answer is stored, the request's
//! reads and writes share one transaction, so the write and the stored answer commit together
//! (a crash in between loses both, and a replay applies the write once). Each store keeps its
//! own part of the request's state; only the one in use ever opens anything.

use super::StoreResult;

/// Runs one request so that its store calls share one transaction; the request must end
/// with [`settle`] (dropping it unsettled rolls its writes back).
pub async fn one_transaction<F: Future>(request: F) -> F::Output {
    super::sqlite::held::scope(super::postgres::held::scope(request)).await
}

/// Commits the current request's held transaction, if it opened one.
pub async fn settle() -> StoreResult<()> {
    super::sqlite::held::settle().await?;
    super::postgres::held::settle().await
}
