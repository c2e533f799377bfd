//! State shared by the client handle and the sync engine: the API client, the cache (used
//! off the async threads), the view and the event channel.

use super::api::ApiClient;
use super::cache::Cache;
use super::error::{ApiError, ClientError};
use super::language::ChosenLanguage;
use super::session::{Session, cache_path};
use super::status::{ClientEvent, SyncReport, SyncStatus};
use super::view::compact::Compact;
use super::view::{Delta, Item, View};
use super::write::{Write, WriteId};
use super::{ClientConfig, TicketThread};
use crate::domain::wire::TicketDetail;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use tokio::sync::{broadcast, oneshot};

/// What the handle asks of the engine.
pub(crate) enum Command {
    /// Pull and replay now; answer on the channel when given.
    Sync(Option<oneshot::Sender<Result<SyncReport, ClientError>>>),
    /// The outbox changed: send what is pending.
    Replay,
    /// End the sync task (the client is dropped or signs out).
    Shutdown,
}

/// Capacity of the event channel; slow receivers lose the oldest events.
const EVENT_CAPACITY: usize = 256;

/// The shared state.
pub(crate) struct Core {
    pub(crate) api: ApiClient,
    pub(crate) session: Session,
    pub(crate) config: ClientConfig,
    pub(crate) view: RwLock<View>,
    pub(crate) events: broadcast::Sender<ClientEvent>,
    pub(crate) cache: Arc<Mutex<Cache>>,
    pub(crate) cache_path: PathBuf,
    /// The language the account chose, once the app read it.
    pub(crate) chosen_language: ChosenLanguage,
    /// Held from reading the outbox to showing it, so an older read never replaces a newer one
    /// in the view (the engine and a user's resolve may refresh at the same time).
    outbox_refresh: tokio::sync::Mutex<()>,
}

impl Core {
    /// Opens the cache and loads the view.
    pub(crate) async fn open(
        config: ClientConfig,
        session: Session,
    ) -> Result<Arc<Core>, ClientError> {
        let api = ApiClient::new(&session.server_url)?.with_token(session.token.clone());
        let path = cache_path(&config.data_dir, &session.server_url, &session.account);
        let (p, s, first) = (path.clone(), session.clone(), config.first_screen);
        let (cache, view) = tokio::task::spawn_blocking(move || Cache::open(&p, &s, first))
            .await
            .map_err(|e| ClientError::Cache(format!("the cache loader failed: {e}")))??;
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        Ok(Arc::new(Core {
            api,
            session,
            config,
            view: RwLock::new(view),
            events,
            cache: Arc::new(Mutex::new(cache)),
            cache_path: path,
            chosen_language: ChosenLanguage::default(),
            outbox_refresh: tokio::sync::Mutex::new(()),
        }))
    }

    /// Loads every ticket in place of the glance's the view opened with (see
    /// [`crate::client::glance`]). A cache that cannot be read now is rebuilt, as at start:
    /// the view is left without tickets and the next sync fills it.
    pub(crate) async fn load_rest(&self) {
        let rows = match self.db(|c| c.load_tickets()).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!("rebuilding the cache {}: {e}", self.cache_path.display());
                let (path, session) = (self.cache_path.clone(), self.session.clone());
                let rebuilt = self
                    .db(move |c| {
                        *c = Cache::rebuild(&path, &session)?.0;
                        Ok(())
                    })
                    .await;
                if let Err(e) = rebuilt {
                    tracing::error!("cannot rebuild the cache: {e}");
                }
                Vec::new()
            }
        };
        self.update_view(|v| v.complete(rows));
    }

    /// Runs `f` on the cache on a blocking thread.
    pub(crate) async fn db<T, F>(&self, f: F) -> Result<T, ClientError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Cache) -> Result<T, ClientError> + Send + 'static,
    {
        let cache = self.cache.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = cache.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(|e| ClientError::Cache(format!("a cache task failed: {e}")))?
    }

    /// Changes the view and tells subscribers.
    pub(crate) fn update_view<T>(&self, f: impl FnOnce(&mut View) -> T) -> T {
        let (out, revision) = {
            let mut v = self.view.write().unwrap_or_else(PoisonError::into_inner);
            let out = f(&mut v);
            (out, v.revision())
        };
        self.emit(ClientEvent::ViewChanged { revision });
        out
    }

    /// Changes the sync status and tells subscribers when it changed.
    pub(crate) fn set_status(&self, f: impl FnOnce(&mut SyncStatus)) {
        let changed = {
            let mut v = self.view.write().unwrap_or_else(PoisonError::into_inner);
            let before = v.status.clone();
            f(&mut v.status);
            (v.status != before).then(|| v.status.clone())
        };
        if let Some(status) = changed {
            self.emit(ClientEvent::Status(status));
        }
    }

    /// Sends an event to whoever listens.
    pub(crate) fn emit(&self, e: ClientEvent) {
        let _ = self.events.send(e);
    }

    /// Re-reads the outbox from the cache into the view.
    pub(crate) async fn refresh_outbox(&self) -> Result<(), ClientError> {
        let _in_order = self.outbox_refresh.lock().await;
        let entries = self.db(|c| c.outbox()).await?;
        let before = self
            .view
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .status
            .clone();
        let after = self.update_view(|v| {
            v.set_outbox(entries);
            v.status.clone()
        });
        if after != before {
            self.emit(ClientEvent::Status(after));
        }
        Ok(())
    }

    /// Records a write durably, then shows it.
    pub(crate) async fn record(&self, write: Write) -> Result<WriteId, ClientError> {
        let id = self.db(move |c| c.push_write(&write)).await?;
        self.refresh_outbox().await?;
        Ok(id)
    }

    /// A ticket's thread: fetched and cached, or read from the cache when offline.
    pub(crate) async fn ticket_detail(&self, id: i64) -> Result<TicketThread, ClientError> {
        if self.config.offline {
            return self
                .cached_detail(id, ApiError::Offline("working from the cache only".into()))
                .await;
        }
        match self.api.ticket(id).await {
            Ok(tagged) => {
                let detail = tagged.body;
                let stored = detail.clone();
                self.db(move |c| c.save_thread(&stored)).await?;
                self.refresh_ticket(Compact::from_ticket(&detail.ticket));
                Ok(TicketThread {
                    detail,
                    from_cache: false,
                })
            }
            Err(e) if e.is_transient() => self.cached_detail(id, e).await,
            Err(e) => Err(e.into()),
        }
    }

    async fn cached_detail(&self, id: i64, cause: ApiError) -> Result<TicketThread, ClientError> {
        if let Some(detail) = self.db(move |c| c.thread(id)).await? {
            return Ok(TicketThread {
                detail,
                from_cache: true,
            });
        }
        let ticket = self
            .view
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .ticket(id)
            .map(|t| t.server().clone());
        match ticket {
            Some(ticket) => Ok(TicketThread {
                detail: TicketDetail {
                    ticket,
                    messages: Vec::new(),
                },
                from_cache: true,
            }),
            None => Err(ClientError::Api(cause)),
        }
    }

    /// The version of ticket `id` the view shows, if it holds the ticket.
    pub(crate) fn shown_version(&self, id: i64) -> Option<i64> {
        self.view
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .ticket(id)
            .map(|t| t.version())
    }

    /// Puts the server's newer copy of a ticket in the view (never an older one).
    pub(crate) fn refresh_ticket(&self, ticket: Compact) {
        if self
            .shown_version(ticket.id())
            .is_some_and(|v| ticket.version() > v)
        {
            self.update_view(|v| v.apply(vec![Delta::Upsert(Item::Ticket(Box::new(ticket)))]));
        }
    }
}
