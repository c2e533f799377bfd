//! The sync engine: a task that keeps the cache and the view current. It listens to `/events`
//! and, on each `changed` poke, sends pending writes and pulls changes; when the stream cannot
//! be opened or drops, it polls with exponential backoff (with jitter) and reopens the stream.

use super::decode::{Page, decode_page, page_head};
use super::error::{ApiError, ClientError};
use super::events::EventStream;
use super::outbox;
use super::shared::{Command, Core};
use super::status::{Connection, SyncProgress, SyncReport};
use super::view::{Delta, EntityKind, Item};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// Exponential backoff between `min` and `max`, with up to 25 % jitter.
struct Backoff {
    min: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    fn new(min: Duration, max: Duration) -> Self {
        Backoff {
            min,
            max,
            next: min,
        }
    }

    fn reset(&mut self) {
        self.next = self.min;
    }

    fn step(&mut self) -> Duration {
        let base = self.next;
        self.next = (self.next * 2).min(self.max);
        let jitter = base.mul_f64(rand::random::<f64>() * 0.25);
        base + jitter
    }
}

/// A portal change may change what the user may see; the server answers that with a reset,
/// but may still have served the old settings to a pull made right after the change (see
/// the server's portal cache), so such a pull is followed by one more after this pause.
const SCOPE_RECHECK: Duration = Duration::from_millis(200);

/// Longest wait for the event stream's answer before the engine treats the server as
/// unreachable and polls instead.
const EVENTS_OPEN_LIMIT: Duration = Duration::from_secs(10);

/// How long after a working connection dropped the engine says "reconnecting" and retries
/// quickly before it counts the server as unreachable: a server restart, or another
/// `deskport` taking over the embedded server on the same address, takes a second or two.
const RECONNECT_GRACE: Duration = Duration::from_secs(10);

/// How often the engine retries while reconnecting.
const RECONNECT_EVERY: Duration = Duration::from_millis(250);

/// What the engine does next after handling a command.
enum Flow {
    Continue,
    Stop,
}

/// The engine's main loop; returns on [`Command::Shutdown`] or when every handle is gone.
pub(crate) async fn run(core: Arc<Core>, mut commands: UnboundedReceiver<Command>) {
    let mut backoff = Backoff::new(core.config.retry_min, core.config.retry_max);
    // When a working connection last dropped, while that is recent enough to be reconnecting.
    let mut dropped: Option<tokio::time::Instant> = None;
    loop {
        let reconnecting = dropped.is_some_and(|at| at.elapsed() < RECONNECT_GRACE);
        // Opening the stream is raced with commands (and bounded), so a server that accepts
        // but never answers cannot keep the engine from syncing on demand or stopping.
        let opened = tokio::select! {
            opened = tokio::time::timeout(EVENTS_OPEN_LIMIT, core.api.events()) => opened
                .unwrap_or_else(|_| Err(ApiError::Offline("the server does not answer".into()))),
            cmd = commands.recv() => {
                if let Flow::Stop = handle(&core, cmd).await {
                    return;
                }
                continue;
            }
        };
        match opened {
            Ok(resp) => {
                let mut stream = EventStream::new(resp);
                // Only a connection that synced counts as working: a stream opened on a
                // server that then fails or answers garbage is not a reason to reconnect
                // quickly (the failed pull has already said offline).
                let working = cycle(&core).await.is_ok();
                if working {
                    backoff.reset();
                }
                loop {
                    tokio::select! {
                        ev = stream.next() => match ev {
                            Ok(Some(ev)) if ev.event == "changed" => {
                                let _ = cycle(&core).await;
                            }
                            Ok(Some(_)) => {}
                            Ok(None) => break,
                            Err(e) => {
                                tracing::info!("the event stream dropped: {e}");
                                break;
                            }
                        },
                        cmd = commands.recv() => {
                            if let Flow::Stop = handle(&core, cmd).await {
                                return;
                            }
                        }
                    }
                }
                if working {
                    dropped = Some(tokio::time::Instant::now());
                    core.set_status(|s| {
                        s.connection = Connection::Reconnecting;
                        s.progress = None;
                    });
                }
            }
            Err(ApiError::Unauthorized(msg)) => signed_out(&core, &msg),
            // Not an error yet: the server may be back in a moment (taken over, restarted).
            Err(e) if reconnecting && unreachable(&e) => {
                tracing::debug!("still reconnecting: {e}");
            }
            Err(e) => {
                tracing::debug!("cannot open the event stream: {e}");
                // Said at once: the pull below may take its own retries to fail as well.
                if unreachable(&e) {
                    offline(&core, &e);
                }
                let _ = cycle(&core).await;
            }
        }
        let wait = if dropped.is_some_and(|at| at.elapsed() < RECONNECT_GRACE) {
            RECONNECT_EVERY
        } else {
            backoff.step()
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            cmd = commands.recv() => {
                if let Flow::Stop = handle(&core, cmd).await {
                    return;
                }
            }
        }
    }
}

async fn handle(core: &Core, cmd: Option<Command>) -> Flow {
    match cmd {
        None | Some(Command::Shutdown) => Flow::Stop,
        Some(Command::Sync(reply)) => {
            let result = cycle(core).await;
            if let Some(tx) = reply {
                let _ = tx.send(result);
            }
            Flow::Continue
        }
        Some(Command::Replay) => {
            let _ = cycle(core).await;
            Flow::Continue
        }
    }
}

fn signed_out(core: &Core, msg: &str) {
    core.set_status(|s| {
        s.connection = Connection::SignedOut;
        s.progress = None;
        s.last_error = Some(format!("sign in again: {msg}"));
    });
}

/// Whether an error means the server cannot be used now: unreachable, failing, or answering
/// garbage (as good as none). The engine keeps retrying.
fn unreachable(e: &ApiError) -> bool {
    e.is_transient() || matches!(e, ApiError::Protocol(_))
}

fn offline(core: &Core, e: &ApiError) {
    core.set_status(|s| {
        s.connection = Connection::Offline;
        s.progress = None;
        s.last_error = Some(e.to_string());
    });
}

/// Sends pending writes, then pulls; updates the status.
pub(crate) async fn cycle(core: &Core) -> Result<SyncReport, ClientError> {
    let result = async {
        let mut report = outbox::replay(core).await?;
        let pulled = pull(core).await?;
        let portal_changed =
            !pulled.reset && pulled.upserts.contains_key(EntityKind::Portal.as_str());
        report.merge(pulled);
        if portal_changed {
            tokio::time::sleep(SCOPE_RECHECK).await;
            report.merge(pull(core).await?);
        }
        Ok::<_, ClientError>(report)
    }
    .await;
    if let Err(e) = core.refresh_outbox().await {
        tracing::warn!("cannot read the outbox: {e}");
    }
    match &result {
        Ok(_) => core.set_status(|s| {
            s.connection = Connection::Online;
            s.progress = None;
            s.last_error = None;
        }),
        Err(ClientError::Api(ApiError::Unauthorized(msg))) => signed_out(core, msg),
        Err(ClientError::Api(e)) if unreachable(e) => offline(core, e),
        Err(e) => core.set_status(|s| {
            s.progress = None;
            s.last_error = Some(e.to_string());
        }),
    }
    result
}

/// Pulls pages until the feed is caught up; each page is one cache transaction, then one
/// view update. The next page is fetched while the current one is stored, so the server's
/// work and the client's overlap.
pub(crate) async fn pull(core: &Core) -> Result<SyncReport, ClientError> {
    let staff = core.session.account.role.is_staff();
    let limit = core.config.page_size;
    let mut report = SyncReport::default();
    let mut progress = SyncProgress::default();
    let cursor = core.db(|c| c.cursor()).await?;
    let mut bytes = core.api.sync_raw(cursor.as_deref(), limit).await?;
    loop {
        let (next_cursor, has_more) = page_head(&bytes)?;
        let fetch_next = async {
            if has_more {
                Some(core.api.sync_raw(Some(&next_cursor), limit).await)
            } else {
                None
            }
        };
        let store = async {
            let page = tokio::task::spawn_blocking(move || decode_page(&bytes, staff))
                .await
                .map_err(|e| ClientError::Cache(format!("the page decoder failed: {e}")))??;
            let reset = page.reset;
            let n = apply(core, page, &mut report, reset || progress.snapshot).await?;
            Ok::<_, ClientError>((reset, n))
        };
        let (next, stored) = tokio::join!(fetch_next, store);
        let (reset, applied) = stored?;
        progress.snapshot |= reset;
        progress.pages += 1;
        progress.changes += applied as u64;
        match next {
            None => {
                core.set_status(|s| s.last_sync = Some(chrono::Utc::now()));
                return Ok(report);
            }
            Some(fetched) => {
                bytes = fetched?;
                core.set_status(|s| {
                    s.connection = Connection::Syncing;
                    s.progress = Some(progress);
                });
            }
        }
    }
}

/// Stores a page in the cache (one transaction), counts it into `report`, then shows it;
/// returns how many changes it had.
async fn apply(
    core: &Core,
    page: Page,
    report: &mut SyncReport,
    snapshot: bool,
) -> Result<usize, ClientError> {
    let page = core
        .db(move |c| {
            c.apply_page(&page)?;
            Ok(page)
        })
        .await?;
    let reset = page.reset;
    let deltas: Vec<Delta> = page.changes.into_iter().map(|c| c.delta).collect();
    count(report, &deltas, snapshot);
    let n = deltas.len();
    if n > 0 || reset {
        core.update_view(|v| {
            if reset {
                v.clear();
            }
            v.apply(deltas);
        });
    }
    Ok(n)
}

fn count(report: &mut SyncReport, deltas: &[Delta], snapshot: bool) {
    report.pages += 1;
    report.reset |= snapshot;
    for d in deltas {
        match d {
            Delta::Upsert(item) => {
                if let (Item::Ticket(t), false) = (item, snapshot) {
                    report.tickets_changed.push(t.id());
                }
                *report
                    .upserts
                    .entry(item.kind().as_str().to_string())
                    .or_default() += 1;
            }
            Delta::Delete(kind, id) => {
                if *kind == EntityKind::Ticket {
                    report.tickets_removed.push(*id);
                }
                *report.deletes.entry(kind.as_str().to_string()).or_default() += 1;
            }
        }
    }
}
