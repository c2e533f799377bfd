//! Accepting and serving HTTP connections with bounds: a client has a few seconds to send a
//! request's headers, a connection on which no byte moves for a while is closed, and at most
//! a fixed number are open at once. At the cap the connection that has waited longest
//! without a request in flight is closed to make room (a pile of half-sent requests cannot
//! lock everyone out), and when every connection is busy a newcomer gets a quick 503 instead
//! of waiting in the kernel's queue. `axum::serve` has none of these knobs.

mod refuse;
mod tracked;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use refuse::{MAX_REFUSALS, refuse};
use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;
use tracked::Tracked;

/// Bounds on connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time a client has to send a request's headers, also between requests on a kept-alive
    /// connection.
    pub header_read: Duration,
    /// A connection on which no byte was read or written for this long is closed (a stalled
    /// upload, a reader that stopped reading). Event streams send a keep-alive every 15 s,
    /// so an open stream never goes quiet this long.
    pub idle: Duration,
    /// Connections open at once, before [`ConnectionLimits::cap`] lowers it to the file limit.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

/// File descriptors kept for everything but client connections: the database connections
/// (three files each in WAL mode, up to 17 of them), mail files, logs and the runtime.
const RESERVED_FDS: u64 = 128;

/// How long the accept loop waits for a closed idle connection to free its slot.
const EVICTION_WAIT: Duration = Duration::from_secs(1);

/// Pause after an accept error other than a failed handshake (`EMFILE` and the like), so
/// the loop neither spins nor stops.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(50);

impl ConnectionLimits {
    /// Connections allowed at once: `max_connections`, lowered so that they and the
    /// reserved descriptors stay under the process's open-file limit (at least one).
    pub fn cap(&self) -> usize {
        let files = open_file_limit().unwrap_or(u64::MAX);
        let room = usize::try_from(files.saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX);
        self.max_connections.min(room).max(1)
    }
}

fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// One open connection, as the accept loop sees it.
#[derive(Debug)]
struct Connection {
    /// Requests whose answer is not fully sent yet (an event stream stays in flight).
    in_flight: AtomicUsize,
    /// Milliseconds after `started` when a byte last moved.
    last_io: AtomicU64,
    started: Instant,
    /// Tells the connection's task to close it.
    evict: Notify,
}

impl Connection {
    fn new() -> Self {
        Connection {
            in_flight: AtomicUsize::new(0),
            last_io: AtomicU64::new(0),
            started: Instant::now(),
            evict: Notify::new(),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_io.store(now, Ordering::Relaxed);
    }

    fn last_io(&self) -> Instant {
        self.started + Duration::from_millis(self.last_io.load(Ordering::Relaxed))
    }
}

/// The open connections, by accept number.
#[derive(Debug, Default)]
struct Open(Mutex<HashMap<u64, Arc<Connection>>>);

impl Open {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Connection>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Closes the connection quiet the longest among those with no request in flight;
    /// false when every connection is busy.
    fn evict_most_idle(&self) -> bool {
        let mut open = self.lock();
        let victim = open
            .iter()
            .filter(|(_, c)| c.in_flight.load(Ordering::Relaxed) == 0)
            .min_by_key(|(_, c)| c.last_io())
            .map(|(id, _)| *id);
        match victim.and_then(|id| open.remove(&id)) {
            Some(connection) => {
                connection.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Takes a connection out of [`Open`] when its task ends, however it ends.
struct Registration {
    open: Arc<Open>,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.open.lock().remove(&self.id);
    }
}

/// Counts one request as in flight until its response body is dropped.
struct InFlight(Arc<Connection>);

impl InFlight {
    fn start(connection: &Arc<Connection>) -> Self {
        connection.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(connection.clone())
    }

    /// Called from the response body, so that the body owns the guard.
    fn held_by_body(&self) {}
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` fires; then stops accepting
/// and lets open connections finish (the caller aborts the task when they take too long,
/// which closes them all).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: oneshot::Receiver<()>,
) -> io::Result<()> {
    let cap = limits.cap();
    let slots = Arc::new(Semaphore::new(cap));
    let open = Arc::new(Open::default());
    let (stopping_tx, stopping) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let mut next_id = 0u64;
    let mut accept_error_log = Throttle::default();
    let mut refusal_log = Throttle::default();
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    tokio::pin!(shutdown);
    tracing::debug!("accepting at most {cap} connections");
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                accept_failed(e, &open, &mut accept_error_log).await;
                continue;
            }
        };
        // Without it, a response or event written in more than one piece waits for the
        // client's (delayed, up to 40 ms) ACK of the first before the rest is sent (Nagle).
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY on a connection from {peer}: {e}");
        }
        let Some(permit) = take_slot(&slots, &open).await else {
            if refusal_log.due() {
                tracing::warn!("refusing connections: all {cap} have a request in flight");
            }
            refuse(stream, &refusals);
            continue;
        };
        let connection = Arc::new(Connection::new());
        next_id += 1;
        open.lock().insert(next_id, connection.clone());
        let registration = Registration {
            open: open.clone(),
            id: next_id,
        };
        tasks.spawn(serve_connection(
            Served {
                stream,
                peer,
                connection,
                app: app.clone(),
                http: http.clone(),
                idle: limits.idle,
                stopping: stopping.clone(),
            },
            (permit, registration),
        ));
    }
    drop(listener);
    let _ = stopping_tx.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// A free connection slot, if need be after closing the most idle connection; `None` when
/// every connection has a request in flight.
async fn take_slot(slots: &Arc<Semaphore>, open: &Open) -> Option<OwnedSemaphorePermit> {
    if let Ok(permit) = slots.clone().try_acquire_owned() {
        return Some(permit);
    }
    if !open.evict_most_idle() {
        return None;
    }
    tokio::time::timeout(EVICTION_WAIT, slots.clone().acquire_owned())
        .await
        .ok()?
        .ok()
}

/// Lets a repeated log line through at most once a second.
#[derive(Default)]
struct Throttle {
    last: Option<Instant>,
}

impl Throttle {
    fn due(&mut self) -> bool {
        let due = self
            .last
            .is_none_or(|at| at.elapsed() >= Duration::from_secs(1));
        if due {
            self.last = Some(Instant::now());
        }
        due
    }
}

/// A failed handshake is the client's business; anything else (out of file descriptors,
/// mostly) closes the most idle connection to free one and pauses briefly.
async fn accept_failed(error: io::Error, open: &Open, log: &mut Throttle) {
    if matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    ) {
        return;
    }
    if log.due() {
        tracing::error!("accept error: {error}; closing the most idle connection");
    }
    open.evict_most_idle();
    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
}

/// What one connection's task needs.
struct Served {
    stream: TcpStream,
    peer: SocketAddr,
    connection: Arc<Connection>,
    app: Router,
    http: http1::Builder,
    idle: Duration,
    stopping: watch::Receiver<bool>,
}

/// Serves one connection until it ends, is evicted, or stays quiet for `idle`; on shutdown
/// it finishes the request in progress and closes. `_held` (its slot and its entry in the
/// open set) is released when the task ends.
async fn serve_connection(served: Served, _held: (OwnedSemaphorePermit, Registration)) {
    let Served {
        stream,
        peer,
        connection,
        app,
        http,
        idle,
        mut stopping,
    } = served;
    connection.touch();
    let requests = connection.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let in_flight = InFlight::start(&requests);
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await?;
            Ok::<_, Infallible>(response.map(|body| {
                Body::new(body.map_err(move |e| {
                    in_flight.held_by_body();
                    e
                }))
            }))
        }
    });
    let io = TokioIo::new(Tracked {
        stream,
        connection: connection.clone(),
    });
    let served = http.serve_connection(io, service);
    tokio::pin!(served);
    let mut draining = false;
    loop {
        let quiet_until = connection.last_io() + idle;
        tokio::select! {
            result = served.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!("connection from {peer} ended: {e}");
                }
                return;
            }
            () = connection.evict.notified() => {
                tracing::debug!("closed the idle connection from {peer} to make room");
                return;
            }
            changed = stopping.changed(), if !draining => {
                draining = true;
                if changed.is_ok() {
                    served.as_mut().graceful_shutdown();
                }
            }
            () = tokio::time::sleep_until(quiet_until) => {
                if connection.last_io() + idle <= Instant::now() {
                    tracing::debug!("closed the connection from {peer}: quiet for {idle:?}");
                    return;
                }
            }
        }
    }
}
