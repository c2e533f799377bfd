//! Inboxes, help desks and routing rules.

use crate::domain::wire::{
    InboxInput, InboxOut, InboxPatch, RouteDecision, RuleInput, RulePatch, RuleTestRequest,
};
use crate::domain::{Inbox, RoutingRule};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Admin, Json, Path, Staff};
use crate::server::state::SharedState;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_inboxes, create_inbox))
        .routes(routes!(patch_inbox, delete_inbox))
        .routes(routes!(list_rules, create_rule))
        .routes(routes!(patch_rule, delete_rule))
        .routes(routes!(test_rules))
}

async fn inbox_out(state: &SharedState) -> ApiResult<Vec<InboxOut>> {
    let counts = state.store.inbox_counts().await?;
    let default = state.store.portal().await?.default_inbox_id;
    Ok(state
        .store
        .inboxes()
        .await?
        .into_iter()
        .map(|inbox| {
            let (open, unassigned) = counts
                .iter()
                .find(|c| c.0 == inbox.id)
                .map(|c| (c.1, c.2))
                .unwrap_or((0, 0));
            InboxOut {
                is_default: default == Some(inbox.id),
                inbox,
                open,
                unassigned,
            }
        })
        .collect())
}

/// Inboxes with open and unassigned counts.
#[utoipa::path(get, path = "/inboxes", tag = "routing", responses((status = 200, body = Vec<InboxOut>)), security(("bearer" = [])))]
async fn list_inboxes(
    State(state): State<SharedState>,
    _: Staff,
) -> ApiResult<Json<Vec<InboxOut>>> {
    Ok(Json(inbox_out(&state).await?))
}

/// Creates an inbox.
#[utoipa::path(post, path = "/inboxes", tag = "routing", request_body = InboxInput,
    responses((status = 201, body = Inbox), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn create_inbox(
    State(state): State<SharedState>,
    _: Admin,
    Json(input): Json<InboxInput>,
) -> ApiResult<(StatusCode, Json<Inbox>)> {
    check_capacity(input.capacity)?;
    let inbox = Inbox {
        id: 0,
        name: input.name,
        kind: input.kind,
        members: input.members,
        assignment: input.assignment,
        capacity: input.capacity,
    };
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_inbox(inbox).await?),
    ))
}

/// Refuses a capacity outside the documented range (the schema's `int32` format).
fn check_capacity(capacity: Option<u32>) -> ApiResult<()> {
    match capacity {
        Some(c) if i32::try_from(c).is_err() => Err(ApiError::invalid(
            "capacity",
            format!("must be at most {}", i32::MAX),
        )),
        _ => Ok(()),
    }
}

/// Changes an inbox.
#[utoipa::path(patch, path = "/inboxes/{id}", tag = "routing", request_body = InboxPatch, params(("id" = i64, Path)),
    responses((status = 200, body = Inbox), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn patch_inbox(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
    Json(p): Json<InboxPatch>,
) -> ApiResult<Json<Inbox>> {
    let mut inbox = state
        .store
        .inboxes()
        .await?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or(crate::server::store::StoreError::NotFound)?;
    if let Some(v) = p.name {
        inbox.name = v;
    }
    if let Some(v) = p.kind {
        inbox.kind = v;
    }
    if let Some(v) = p.members {
        inbox.members = v;
    }
    if let Some(v) = p.assignment {
        inbox.assignment = v;
    }
    if let Some(v) = p.capacity {
        check_capacity(v)?;
        inbox.capacity = v;
    }
    Ok(Json(state.store.update_inbox(inbox).await?))
}

/// Deletes an inbox; refused (400) for the default inbox or one that holds tickets.
#[utoipa::path(delete, path = "/inboxes/{id}", tag = "routing", params(("id" = i64, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_inbox(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.store.delete_inbox(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rules in order.
#[utoipa::path(get, path = "/routing-rules", tag = "routing", responses((status = 200, body = Vec<RoutingRule>)), security(("bearer" = [])))]
async fn list_rules(
    State(state): State<SharedState>,
    _: Staff,
) -> ApiResult<Json<Vec<RoutingRule>>> {
    Ok(Json(state.store.rules().await?))
}

/// Creates a rule.
#[utoipa::path(post, path = "/routing-rules", tag = "routing", request_body = RuleInput,
    responses((status = 201, body = RoutingRule), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn create_rule(
    State(state): State<SharedState>,
    _: Admin,
    Json(input): Json<RuleInput>,
) -> ApiResult<(StatusCode, Json<RoutingRule>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_rule(input.into_rule(0)).await?),
    ))
}

/// Changes a rule (moving it shifts the others).
#[utoipa::path(patch, path = "/routing-rules/{id}", tag = "routing", request_body = RulePatch, params(("id" = i64, Path)),
    responses((status = 200, body = RoutingRule), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn patch_rule(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
    Json(p): Json<RulePatch>,
) -> ApiResult<Json<RoutingRule>> {
    let mut rule = state
        .store
        .rules()
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(crate::server::store::StoreError::NotFound)?;
    if let Some(v) = p.name {
        rule.name = v;
    }
    if let Some(v) = p.enabled {
        rule.enabled = v;
    }
    if let Some(v) = p.position {
        rule.position = v;
    }
    if let Some(v) = p.match_mode {
        rule.match_mode = v;
    }
    if let Some(v) = p.conditions {
        rule.conditions = v;
    }
    if let Some(v) = p.then {
        rule.then = v;
    }
    Ok(Json(state.store.update_rule(rule).await?))
}

/// Deletes a rule.
#[utoipa::path(delete, path = "/routing-rules/{id}", tag = "routing", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_rule(
    State(state): State<SharedState>,
    _: Admin,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.store.delete_rule(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a draft ticket would get: rule, inbox and owner.
#[utoipa::path(post, path = "/routing-rules/test", tag = "routing", request_body = RuleTestRequest,
    responses((status = 200, body = RouteDecision), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn test_rules(
    State(state): State<SharedState>,
    _: Staff,
    Json(req): Json<RuleTestRequest>,
) -> ApiResult<Json<RouteDecision>> {
    let drafts = match req.rules {
        Some(inputs) => {
            let inboxes = state.store.inboxes().await?;
            let staff: Vec<i64> = state.store.users().await?.iter().map(|u| u.id).collect();
            let mut rules = Vec::with_capacity(inputs.len());
            for (i, input) in inputs.into_iter().enumerate() {
                let mut rule = input.into_rule(-(i as i64) - 1);
                if rule.position == i64::MAX {
                    rule.position = i as i64;
                }
                rule.validate(&inboxes, &staff)?;
                rules.push(rule);
            }
            Some(rules)
        }
        None => None,
    };
    Ok(Json(state.store.test_route(req.ticket, drafts).await?))
}
