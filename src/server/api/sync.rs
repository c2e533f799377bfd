//! `GET /sync` (the change feed) and `GET /events` (the "changed" poke).

use crate::domain::wire::SyncPage;
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Caller, Json, Query};
use crate::server::state::SharedState;
use crate::server::sync::cursor::Cursor;
use crate::server::sync::page;
use crate::server::sync::poke::wakes;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(sync))
        .routes(routes!(events))
}

/// Largest page the feed sends.
const MAX_PAGE: usize = 10_000;

/// Feed parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SyncParams {
    /// The cursor from the last answer; absent for a first sync.
    pub cursor: Option<String>,
    /// Tickets or changes per page, 1–10 000 (default 1000).
    pub limit: Option<usize>,
}

/// Changes since the cursor, for the caller only; `reset` when the caller's scope changed.
#[utoipa::path(get, path = "/sync", tag = "sync", params(SyncParams),
    responses((status = 200, body = SyncPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn sync(
    State(state): State<SharedState>,
    caller: Caller,
    Query(p): Query<SyncParams>,
) -> ApiResult<Json<crate::server::sync::SyncPage>> {
    super::require_consent(&caller)?;
    let cursor = Cursor::decode(p.cursor.as_deref().unwrap_or("")).ok_or_else(|| {
        ApiError::invalid(
            "cursor",
            "not a cursor this server issued; sync without one to start over",
        )
    })?;
    let limit = p.limit.unwrap_or(1000);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid("limit", format!("must be 1–{MAX_PAGE}")));
    }
    Ok(Json(
        page(state.store.as_ref(), &caller.viewer, cursor, limit).await?,
    ))
}

/// Server-Sent Events: an `event: changed` poke after every write the caller may learn of
/// (customers: in their scope and visible to them); pull `/sync` on each. An account may hold
/// a few streams at once (8), the server a few hundred (512 at most).
#[utoipa::path(get, path = "/events", tag = "sync",
    responses(
        (status = 200, description = "an event stream of `changed` pokes", content_type = "text/event-stream"),
        (status = 429, description = "`too_many_streams`: the account or the server has as many event streams open as it may; close one, or retry after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait before trying again")))),
    security(("bearer" = [])))]
async fn events(
    State(state): State<SharedState>,
    caller: Caller,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // Counted until the response body is dropped: when the client goes away, not when the
    // feeding task next notices.
    let slot = state.streams.open(&caller.account)?;
    let keep_alive = KeepAlive::new().interval(state.streams.keep_alive());
    let mut rx = state.store.subscribe();
    let mut ended = state.store.ended_sessions();
    let mut recheck = tokio::time::interval(SESSION_RECHECK);
    let token_hash = caller.token_hash;
    let viewer = caller.viewer;
    let stream = async_stream(move |tx| async move {
        if tx
            .send(Event::default().event("changed").data(""))
            .await
            .is_err()
        {
            return;
        }
        recheck.tick().await;
        loop {
            let changed = tokio::select! {
                () = tx.closed() => return,
                r = rx.recv() => r,
                gone = ended.recv() => match gone {
                    Ok(hash) if hash == token_hash => return,
                    Ok(_) => continue,
                    // Missed some: look the session up to be sure.
                    Err(RecvError::Lagged(_)) => {
                        if !session_alive(&state, &token_hash).await { return; }
                        continue;
                    }
                    Err(RecvError::Closed) => return,
                },
                _ = recheck.tick() => {
                    // Expired or swept sessions end no stream by themselves.
                    if !session_alive(&state, &token_hash).await { return; }
                    continue;
                }
            };
            match changed {
                Ok(poke) if !wakes(state.store.as_ref(), &viewer, &poke).await => {}
                // Missed some: poke to be sure.
                Ok(_) | Err(RecvError::Lagged(_)) => {
                    if tx
                        .send(Event::default().event("changed").data(""))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            }
        }
    });
    let counted = futures::StreamExt::map(stream, move |event| {
        let _counted = &slot;
        event
    });
    Ok(Sse::new(counted).keep_alive(keep_alive))
}

/// How often an open event stream checks that its session still exists.
const SESSION_RECHECK: Duration = Duration::from_secs(30);

/// Whether the session behind `token_hash` still exists (a failed look-up counts as alive:
/// the stream is not cut for a passing database error).
async fn session_alive(state: &SharedState, token_hash: &str) -> bool {
    !matches!(state.store.session(token_hash.to_string()).await, Ok(None))
}

/// A stream fed by a task through a small channel; the task ends when the client goes away.
fn async_stream<F, Fut>(body: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(body(tx));
    futures::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), Ok)
}
