//! Replaying the outbox: pending writes are sent in order with their idempotency keys. A
//! network or server failure, or a garbled answer, stops the replay (order is kept; the engine retries with
//! backoff); a version conflict becomes a conflict for the user; any other refusal is recorded
//! as rejected and reported, and the writes behind it go on.

use super::error::{ApiError, ClientError};
use super::shared::Core;
use super::status::{ClientEvent, SyncReport};
use super::view::compact::Compact;
use super::write::{ConflictInfo, OutboxEntry, OutboxState, Resolution, Write, WriteId};
use crate::domain::wire::{CustomerTicketPatch, TicketOut, TicketPatch};

/// What a write's success changed the version of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Ticket(i64),
    Portal,
}

/// A sent write's effect on versions: `(target, version it was based on, new version)`.
type Bump = (Target, Option<i64>, i64);

fn target_of(w: &Write) -> Option<(Target, i64)> {
    match w {
        Write::PatchTicket {
            id, base_version, ..
        }
        | Write::SetClosed {
            id, base_version, ..
        }
        | Write::SetCcs {
            id, base_version, ..
        } => Some((Target::Ticket(*id), *base_version)),
        Write::PatchPortal { base_version, .. } => Some((Target::Portal, *base_version)),
        _ => None,
    }
}

fn with_base(w: &Write, version: i64) -> Write {
    let mut w = w.clone();
    match &mut w {
        Write::PatchTicket { base_version, .. }
        | Write::SetClosed { base_version, .. }
        | Write::SetCcs { base_version, .. }
        | Write::PatchPortal { base_version, .. } => {
            *base_version = version;
        }
        _ => {}
    }
    w
}

/// Sends every pending write, in order.
pub(crate) async fn replay(core: &Core) -> Result<SyncReport, ClientError> {
    let mut report = SyncReport::default();
    let mut entries = pending_after(core, None).await?;
    let mut i = 0;
    while i < entries.len() {
        let e = entries[i].clone();
        i += 1;
        match send(core, &e).await {
            Ok(bumps) => {
                core.db(move |c| c.remove_write(e.id)).await?;
                if !bumps.is_empty() {
                    // Writes recorded while this one was on its way were made over the
                    // version it replaced too: read them in, so they are moved past it.
                    entries = pending_after(core, Some(e.id)).await?;
                    i = 0;
                }
                rebase(core, &mut entries[i..], &bumps).await?;
                report.writes_applied += 1;
                core.emit(ClientEvent::Applied { write: e.id });
            }
            // An answer that is not what the API sends (a broken proxy, a garbled reply) says
            // nothing about whether the write landed: keep it; its key makes a retry safe.
            Err(err)
                if err.is_transient()
                    || matches!(err, ApiError::Unauthorized(_) | ApiError::Protocol(_)) =>
            {
                let msg = err.to_string();
                core.db(move |c| c.count_attempt(e.id, &msg)).await?;
                return Err(err.into());
            }
            Err(ApiError::Conflict { message, .. }) if e.write.is_versioned() => {
                let info = ConflictInfo {
                    message,
                    server_version: server_version(core, &e.write).await,
                };
                let stored = info.clone();
                core.db(move |c| c.mark_conflict(e.id, &stored)).await?;
                report.writes_conflicted += 1;
                core.emit(ClientEvent::Conflict {
                    write: e.id,
                    description: e.write.describe(),
                });
            }
            Err(err) => {
                let status = rejected_status(&err);
                let message = err.to_string();
                let m = message.clone();
                core.db(move |c| c.mark_rejected(e.id, status, &m)).await?;
                report.writes_rejected += 1;
                core.emit(ClientEvent::Rejected {
                    write: e.id,
                    description: e.write.describe(),
                    message,
                });
            }
        }
    }
    Ok(report)
}

/// The pending writes, in order; with `after`, only those recorded after that one.
async fn pending_after(
    core: &Core,
    after: Option<WriteId>,
) -> Result<Vec<OutboxEntry>, ClientError> {
    Ok(core
        .db(|c| c.outbox())
        .await?
        .into_iter()
        .filter(|e| e.is_pending() && after.is_none_or(|a| e.id.0 > a.0))
        .collect())
}

/// Later writes on the same ticket (or the portal) were made over the shown change that just
/// succeeded: move their base version to the one the server now has.
async fn rebase(core: &Core, later: &mut [OutboxEntry], bumps: &[Bump]) -> Result<(), ClientError> {
    for e in later.iter_mut() {
        let Some((target, base)) = target_of(&e.write) else {
            continue;
        };
        let Some((_, _, new)) = bumps
            .iter()
            .find(|(t, old, new)| *t == target && old.map_or(base < *new, |o| o == base))
        else {
            continue;
        };
        e.write = with_base(&e.write, *new);
        let (id, w) = (e.id, e.write.clone());
        core.db(move |c| c.rewrite(id, &w)).await?;
    }
    Ok(())
}

fn rejected_status(err: &ApiError) -> u16 {
    match err {
        ApiError::Forbidden { .. } => 403,
        ApiError::NotFound => 404,
        ApiError::Conflict { .. } => 409,
        ApiError::Rejected { status, .. } => *status,
        _ => 400,
    }
}

/// Sends one write; returns the versions it bumped.
async fn send(core: &Core, e: &OutboxEntry) -> Result<Vec<Bump>, ApiError> {
    let api = &core.api;
    let key = Some(e.idempotency_key.as_str());
    Ok(match &e.write {
        Write::PatchTicket {
            id,
            base_version,
            patch,
        } => {
            let body = TicketPatch::Staff(patch.clone());
            let answer = api.patch_ticket(*id, *base_version, &body, key).await?;
            vec![(
                Target::Ticket(*id),
                Some(*base_version),
                ticket_answer(core, &answer.body.ticket).await,
            )]
        }
        Write::SetClosed {
            id,
            base_version,
            closed,
        } => {
            let body = TicketPatch::Customer(CustomerTicketPatch { closed: *closed });
            let answer = api.patch_ticket(*id, *base_version, &body, key).await?;
            vec![(
                Target::Ticket(*id),
                Some(*base_version),
                ticket_answer(core, &answer.body.ticket).await,
            )]
        }
        Write::SetCcs {
            id,
            base_version,
            ccs,
        } => {
            let answer = api.set_ccs(*id, *base_version, ccs, key).await?;
            let row = TicketOut::Staff(answer);
            vec![(
                Target::Ticket(*id),
                Some(*base_version),
                ticket_answer(core, &row).await,
            )]
        }
        Write::Message { ticket_id, input } => {
            let shown = core.shown_version(*ticket_id);
            api.add_message(*ticket_id, input, key).await?;
            // The view learns the version (and stage) the message made, so what the user
            // does next is based on it; best effort: the message itself is in.
            if let Ok(answer) = api.ticket(*ticket_id).await {
                ticket_answer(core, &answer.body.ticket).await;
            }
            // A message moves its ticket's version by exactly one for its author (staff: every
            // message; customers: their replies), so writes made over the version shown before
            // it were made over the message too. A change by anyone else in between moves
            // the server's version further, and such a write still meets its conflict.
            shown
                .map(|v| vec![(Target::Ticket(*ticket_id), Some(v), v + 1)])
                .unwrap_or_default()
        }
        Write::CreateTicket(input) => {
            api.create_ticket(input, key).await?;
            Vec::new()
        }
        Write::Bulk(req) => {
            let answer = api.bulk(req, key).await?;
            let failed: Vec<(i64, String)> = answer
                .results
                .iter()
                .filter(|r| !r.ok)
                .map(|r| (r.id, r.error.clone().unwrap_or_else(|| "refused".into())))
                .collect();
            core.emit(ClientEvent::BulkDone {
                write: e.id,
                description: e.write.describe(),
                succeeded: answer.results.len() - failed.len(),
                failed,
            });
            answer
                .results
                .iter()
                .filter_map(|r| Some((Target::Ticket(r.id), None, r.version?)))
                .collect()
        }
        Write::PatchPortal {
            base_version,
            patch,
        } => {
            let answer = api.patch_portal(*base_version, patch, key).await?;
            answer
                .version
                .map(|v| (Target::Portal, Some(*base_version), v))
                .into_iter()
                .collect()
        }
        Write::CreateInbox(input) => api.create_inbox(input, key).await.map(|_| Vec::new())?,
        Write::PatchInbox { id, patch } => {
            api.patch_inbox(*id, patch, key).await.map(|_| Vec::new())?
        }
        Write::DeleteInbox { id } => api.delete_inbox(*id, key).await.map(|()| Vec::new())?,
        Write::CreateRule(input) => api.create_rule(input, key).await.map(|_| Vec::new())?,
        Write::PatchRule { id, patch } => {
            api.patch_rule(*id, patch, key).await.map(|_| Vec::new())?
        }
        Write::DeleteRule { id } => api.delete_rule(*id, key).await.map(|()| Vec::new())?,
        Write::CreateSavedReply(input) => api
            .create_saved_reply(input, key)
            .await
            .map(|_| Vec::new())?,
        Write::PatchSavedReply { id, patch } => api
            .patch_saved_reply(*id, patch, key)
            .await
            .map(|_| Vec::new())?,
        Write::DeleteSavedReply { id } => api
            .delete_saved_reply(*id, key)
            .await
            .map(|()| Vec::new())?,
    })
}

/// Puts the server's answer to a ticket write in the cache and the view; returns its version.
async fn ticket_answer(core: &Core, ticket: &TicketOut) -> i64 {
    let compact = Compact::from_ticket(ticket);
    let version = compact.version();
    let stored = compact.clone();
    if let Err(e) = core.db(move |c| c.put_ticket(&stored)).await {
        tracing::warn!("cannot cache a ticket: {e}");
    }
    core.refresh_ticket(compact);
    version
}

/// The version the server has now, for a conflicting write (best effort).
async fn server_version(core: &Core, w: &Write) -> Option<i64> {
    match target_of(w)? {
        (Target::Ticket(id), _) => {
            let t = core.api.ticket(id).await.ok()?;
            Some(ticket_answer(core, &t.body.ticket).await)
        }
        (Target::Portal, _) => core.api.portal().await.ok().and_then(|p| p.version),
    }
}

/// Settles a conflict (or drops a rejected write).
pub(crate) async fn resolve(
    core: &Core,
    id: WriteId,
    resolution: Resolution,
) -> Result<(), ClientError> {
    let entry = core
        .db(|c| c.outbox())
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| ClientError::Unknown(format!("write {id}")))?;
    match resolution {
        Resolution::KeepTheirs => core.db(move |c| c.remove_write(id)).await?,
        Resolution::ApplyMine => {
            let known = match &entry.state {
                OutboxState::Conflict(info) => info.server_version,
                _ => None,
            };
            let current = match server_version(core, &entry.write).await {
                Some(v) => Some(v),
                None => known,
            };
            let write = match current {
                Some(v) => with_base(&entry.write, v),
                None if entry.write.is_versioned() => {
                    return Err(ClientError::Api(ApiError::Offline(
                        "the server's current version is unknown; try again online".into(),
                    )));
                }
                None => entry.write.clone(),
            };
            core.db(move |c| c.requeue(id, &write)).await?;
        }
    }
    core.refresh_outbox().await
}
