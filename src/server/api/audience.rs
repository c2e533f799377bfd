//! Admin views over the one visibility rule: "view as contact" (a contact's ticket list exactly
//! as the server would give it to them) and "who can see this ticket?" (every contact who can,
//! and why). Both ask `domain::visibility`, so they cannot disagree with what customers get.

use super::tickets::{page_of, page_request};
use crate::domain::visibility::{ReadScope, why_visible};
use crate::domain::wire::{Audience, AudienceEntry, AudienceReason, TicketPage};
use crate::server::error::{ApiResult, ErrorBody};
use crate::server::extract::{Admin, Json, Path, Query, Staff, viewer_of};
use crate::server::state::SharedState;
use crate::server::store::{Account, Reader, TicketQuery};
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(view_as_contact))
        .routes(routes!(ticket_audience))
}

/// Paging of "view as contact".
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ViewAsParams {
    /// Page size, 1–500 (default 50).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The ticket list exactly as this contact would get it from `GET /tickets` (admins only).
#[utoipa::path(get, path = "/contacts/{id}/tickets", tag = "people", params(("id" = i64, Path), ViewAsParams),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn view_as_contact(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
    Query(p): Query<ViewAsParams>,
) -> ApiResult<Json<TicketPage>> {
    let contact = state.store.contact(id).await?;
    let portal = state.store.portal().await?;
    let viewer = viewer_of(&Account::Contact(contact));
    let (limit, before_id) = page_request(p.limit, p.cursor.as_deref())?;
    let query = TicketQuery {
        text: None,
        stage: None,
        owner: None,
        inbox: None,
        hide_closed: !portal.ticket_view.show_closed,
        limit: limit + 1,
        before_id,
    };
    let scope = ReadScope::of(&viewer, &portal.ticket_permission);
    let rows = state.store.tickets(scope, query).await?;
    Ok(Json(page_of(rows, limit, &viewer, &portal)))
}

/// Every contact who can see this ticket, and why (staff only).
#[utoipa::path(get, path = "/tickets/{id}/audience", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = Audience), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn ticket_audience(
    State(state): State<SharedState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Audience>> {
    let row = state.store.ticket(id, Reader::Staff).await?;
    let portal = state.store.portal().await?;
    let listed = portal.ticket_view.show_closed || !row.ticket.stage.is_closed();
    let mut contacts: Vec<AudienceEntry> = state
        .store
        .contacts()
        .await?
        .into_iter()
        .filter_map(|c| {
            let viewer = viewer_of(&Account::Contact(c.clone()));
            let reason = why_visible(&viewer, &portal.ticket_permission, &(&row.ticket).into())?;
            Some(AudienceEntry {
                contact_id: c.id,
                name: c.name,
                email: c.email,
                reason: AudienceReason::from_reason(reason)?,
                listed,
            })
        })
        .collect();
    contacts.sort_by(|a, b| a.name.cmp(&b.name).then(a.contact_id.cmp(&b.contact_id)));
    Ok(Json(Audience {
        ticket_id: id,
        contacts,
    }))
}
