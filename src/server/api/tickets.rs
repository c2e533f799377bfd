//! Tickets: lists, details, creation through the support form or by staff, updates, replies
//! and bulk changes. Visibility comes from the one domain function; a ticket the caller may
//! not see is a 404, exactly like one that does not exist.

use super::ticket_input::{check_cat, check_tags, parse_as, staff_change};
use crate::domain::i18n::Language;
use crate::domain::people::Viewer;
use crate::domain::portal::{MAX_BODY, check_subject};
use crate::domain::ticket::AuthorKind;
use crate::domain::visibility::{ReadScope, can_see};
use crate::domain::wire::{
    BulkRequest, BulkResponse, BulkResult, CustomerTicketInput, CustomerTicketPatch, MessageInput,
    MessageOut, StaffTicketInput, StaffTicketPatch, TicketDetail, TicketInput, TicketListQuery,
    TicketOut, TicketPage, TicketPatch, TicketRow, message_for, messages_for, ticket_for,
};
use crate::domain::{PortalSettings, Priority, Source, Stage};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{
    Caller, Json, Path, Query, Staff, check_version, etag, if_match, json_bytes, json_response,
};
use crate::server::middleware::language::answer_language;
use crate::server::state::SharedState;
use crate::server::store::{Account, NewTicket, Reader, StoreError, TicketChange, TicketQuery};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_tickets, create_ticket))
        .routes(routes!(get_ticket, patch_ticket))
        .routes(routes!(add_message))
        .routes(routes!(bulk_update))
}

/// Largest page.
const MAX_LIMIT: usize = 500;

/// Visible tickets, newest first, paged.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketListQuery),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn list_tickets(
    State(state): State<SharedState>,
    caller: Caller,
    Query(p): Query<TicketListQuery>,
) -> ApiResult<Response> {
    let portal = super::require_consent(&caller)?;
    let staff = caller.viewer.is_staff();
    if !staff && (p.stage.is_some() || p.owner.is_some() || p.inbox.is_some()) {
        return Err(ApiError::invalid(
            "stage",
            "customers may filter by text only",
        ));
    }
    let owner = match p.owner.as_deref() {
        None => None,
        Some("me") => Some(Some(caller.account_id())),
        Some("none") => Some(None),
        Some(id) => Some(Some(id.parse::<i64>().map_err(|_| {
            ApiError::invalid("owner", "must be me, none or a user id")
        })?)),
    };
    let (limit, before_id) = page_request(p.limit, p.cursor.as_deref())?;
    let query = TicketQuery {
        text: p.q.filter(|q| !q.trim().is_empty()),
        stage: p.stage,
        owner,
        inbox: p.inbox,
        hide_closed: !staff && !portal.ticket_view.show_closed,
        limit: limit + 1,
        before_id,
    };
    let key = list_key(&caller, &query);
    if let Some(body) = state.store.cached_answer(&key) {
        return Ok(json_response(body));
    }
    let rows = state
        .store
        .tickets(
            ReadScope::of(&caller.viewer, &portal.ticket_permission),
            query,
        )
        .await?;
    let page = page_of(rows, limit, &caller.viewer, portal);
    let body = json_bytes(&page)
        .map_err(|e| ApiError::internal(format!("cannot serialise a ticket page: {e}")))?;
    state.store.keep_answer(caller.read_from, key, body.clone());
    Ok(json_response(body))
}

/// The key a list answer is kept under: who asks and every parameter as parsed. All else
/// the page depends on (portal settings, the caller's company and properties, the
/// tickets) is store state, and any commit empties the kept answers.
fn list_key(caller: &Caller, q: &TicketQuery) -> String {
    let (kind, id) = match &caller.account {
        Account::User(u) => ('u', u.id),
        Account::Contact(c) => ('c', c.id),
    };
    format!(
        "GET /tickets {kind}{id} {:?} {:?} {:?} {:?} {} {} {:?}",
        q.text, q.stage, q.owner, q.inbox, q.hide_closed, q.limit, q.before_id
    )
}

/// A list page's size (1–500, default 50) and the id its `cursor` continues below; asked
/// for `limit + 1` rows so [`page_of`] can tell whether another page follows.
pub(super) fn page_request(
    limit: Option<usize>,
    cursor: Option<&str>,
) -> ApiResult<(usize, Option<i64>)> {
    let before_id = match cursor {
        None | Some("") => None,
        Some(c) => Some(
            c.parse::<i64>()
                .map_err(|_| ApiError::invalid("cursor", "not a cursor this server issued"))?,
        ),
    };
    let limit = limit.unwrap_or(50);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::invalid("limit", format!("must be 1–{MAX_LIMIT}")));
    }
    Ok((limit, before_id))
}

/// The first `limit` of `rows` (read with `limit + 1`) as `viewer` gets them, with the cursor
/// of the next page when there is one.
pub(super) fn page_of(
    mut rows: Vec<TicketRow>,
    limit: usize,
    viewer: &Viewer,
    portal: &PortalSettings,
) -> TicketPage {
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| r.ticket.id.to_string())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| ticket_for(viewer, portal, r))
        .collect();
    TicketPage { items, next_cursor }
}

/// Creates a ticket: customers through the support form, staff for any contact. Routed by the rules.
#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = TicketInput,
    responses((status = 201, body = TicketOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn create_ticket(
    State(state): State<SharedState>,
    caller: Caller,
    Json(body): Json<serde_json::Value>,
) -> ApiResult<Response> {
    let portal = super::require_consent(&caller)?;
    let new = match &caller.account {
        Account::Contact(contact) => {
            let input: CustomerTicketInput = parse_as(body)?;
            if !portal.support_form.enabled {
                return Err(ApiError::said(
                    StatusCode::FORBIDDEN,
                    "form_disabled",
                    "error-form-disabled",
                    Vec::new(),
                ));
            }
            if let Err(errors) = portal.support_form.check_submission(
                &input.subject,
                &input.description,
                &input.form_fields,
                answer_language(&state).await,
            ) {
                let first = &errors[0];
                let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                return Err(ApiError::invalid(first.field.clone(), all.join("; ")));
            }
            let form_fields: BTreeMap<String, String> = input
                .form_fields
                .into_iter()
                .map(|(k, v)| (k, v.trim().to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            NewTicket {
                subject: input.subject,
                description: input.description,
                category: form_fields.get("category").cloned().unwrap_or_default(),
                priority: Priority::Medium,
                contact_id: contact.id,
                source: Source::Portal,
                form_fields,
                tags: vec![],
                inbox_id: None,
                owner_id: None,
            }
        }
        Account::User(_) => {
            let input: StaffTicketInput = parse_as(body)?;
            check_subject(&input.subject, Language::English)?;
            if input.description.trim().is_empty() || input.description.chars().count() > MAX_BODY {
                return Err(ApiError::invalid(
                    "description",
                    format!("must be 1–{MAX_BODY} characters"),
                ));
            }
            check_tags(&input.tags)?;
            let category = input.category.unwrap_or_default();
            check_cat(&category)?;
            NewTicket {
                subject: input.subject,
                description: input.description,
                category,
                priority: input.priority.unwrap_or(Priority::Medium),
                contact_id: input.contact_id,
                source: input.source.unwrap_or(Source::Agent),
                form_fields: input.form_fields,
                tags: input.tags,
                inbox_id: input.inbox_id,
                owner_id: input.owner_id,
            }
        }
    };
    let (row, _) = state.store.create_ticket(new).await?;
    let version = row.ticket.version;
    let out = ticket_for(&caller.viewer, portal, row);
    Ok((
        StatusCode::CREATED,
        [(header::ETAG, etag(version))],
        Json(out),
    )
        .into_response())
}

/// Loads a ticket the caller may see, or 404.
async fn visible_ticket(
    state: &SharedState,
    caller: &Caller,
    portal: &PortalSettings,
    id: i64,
) -> ApiResult<TicketRow> {
    let row = state.store.ticket(id, Reader::of(&caller.viewer)).await?;
    if can_see(
        &caller.viewer,
        &portal.ticket_permission,
        &(&row.ticket).into(),
    ) {
        Ok(row)
    } else {
        Err(ApiError::not_found())
    }
}

async fn detail(
    state: &SharedState,
    caller: &Caller,
    portal: &PortalSettings,
    row: TicketRow,
) -> ApiResult<Response> {
    let version = row.ticket.version;
    let messages = messages_for(&caller.viewer, state.store.messages(row.ticket.id).await?);
    let body = TicketDetail {
        ticket: ticket_for(&caller.viewer, portal, row),
        messages,
    };
    Ok(([(header::ETAG, etag(version))], Json(body)).into_response())
}

/// A ticket with its visible messages, and its `ETag`.
#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = TicketDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_ticket(
    State(state): State<SharedState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let portal = super::require_consent(&caller)?;
    let row = visible_ticket(&state, &caller, portal, id).await?;
    detail(&state, &caller, portal, row).await
}

/// Changes a ticket; `If-Match` required. Customers may only close or reopen.
#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", request_body = TicketPatch,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the ETag last read")),
    responses((status = 200, body = TicketDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 428, body = ErrorBody)),
    security(("bearer" = [])))]
async fn patch_ticket(
    State(state): State<SharedState>,
    caller: Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> ApiResult<Response> {
    let portal = super::require_consent(&caller)?;
    let (change, closed) = if caller.viewer.is_staff() {
        (staff_change(parse_as::<StaffTicketPatch>(body)?)?, None)
    } else {
        (
            TicketChange::default(),
            Some(parse_as::<CustomerTicketPatch>(body)?.closed),
        )
    };
    let current = visible_ticket(&state, &caller, portal, id).await?;
    check_version(&if_match(&headers)?, current.ticket.version)?;
    // Customers close, or reopen what is closed; reopening an open ticket changes nothing.
    let stage = match closed {
        Some(true) => Some(Stage::Closed),
        Some(false) if current.ticket.stage.is_closed() => Some(Stage::WaitingOnUs),
        _ => change.stage,
    };
    let change = TicketChange { stage, ..change };
    // The version just matched is checked again in the write, so a change in between is 412.
    let expected = Some(current.ticket.version);
    let row = state
        .store
        .update_ticket(
            id,
            change,
            Reader::of(&caller.viewer),
            expected,
            caller.name().to_string(),
        )
        .await?;
    detail(&state, &caller, portal, row).await
}

/// Adds a reply (or, for staff, an internal note). Append-only: never conflicts.
#[utoipa::path(post, path = "/tickets/{id}/messages", tag = "tickets", request_body = MessageInput, params(("id" = i64, Path)),
    responses((status = 201, body = MessageOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn add_message(
    State(state): State<SharedState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<MessageInput>,
) -> ApiResult<(StatusCode, Json<MessageOut>)> {
    let portal = super::require_consent(&caller)?;
    if input.internal && !caller.viewer.is_staff() {
        return Err(ApiError::forbidden());
    }
    let n = input.body.trim().chars().count();
    if n == 0 || input.body.chars().count() > MAX_BODY {
        return Err(ApiError::invalid(
            "body",
            format!("must be 1–{MAX_BODY} characters"),
        ));
    }
    visible_ticket(&state, &caller, portal, id).await?;
    let author = if caller.viewer.is_staff() {
        AuthorKind::User
    } else {
        AuthorKind::Contact
    };
    let row = state
        .store
        .add_message(id, author, caller.account_id(), input.body, input.internal)
        .await?;
    let out = if caller.viewer.is_staff() {
        MessageOut::from(row)
    } else {
        // Numbered as the customer's thread numbers it.
        message_for(
            &caller.viewer,
            state.store.messages(id).await?,
            row.message.id,
        )
        .ok_or_else(|| ApiError::internal("a customer's own reply is not in their thread"))?
    };
    Ok((StatusCode::CREATED, Json(out)))
}

/// Applies one change to many tickets (staff); reports each success and failure.
#[utoipa::path(post, path = "/tickets/bulk", tag = "tickets", request_body = BulkRequest,
    responses((status = 200, body = BulkResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn bulk_update(
    State(state): State<SharedState>,
    Staff(caller): Staff,
    Json(req): Json<BulkRequest>,
) -> ApiResult<Json<BulkResponse>> {
    if req.ids.is_empty() || req.ids.len() > 1000 {
        return Err(ApiError::invalid("ids", "send 1–1000 ticket ids"));
    }
    let change = staff_change(req.patch)?;
    let mut results = Vec::with_capacity(req.ids.len());
    for id in req.ids {
        let result = match state
            .store
            .update_ticket(
                id,
                change.clone(),
                Reader::Staff,
                None,
                caller.name().to_string(),
            )
            .await
        {
            Ok(row) => BulkResult {
                id,
                ok: true,
                version: Some(row.ticket.version),
                error: None,
            },
            Err(StoreError::NotFound) => BulkResult {
                id,
                ok: false,
                version: None,
                error: Some("no such ticket".into()),
            },
            Err(StoreError::Invalid(v)) => BulkResult {
                id,
                ok: false,
                version: None,
                error: Some(v.to_string()),
            },
            Err(other) => return Err(other.into()),
        };
        results.push(result);
    }
    Ok(Json(BulkResponse { results }))
}
