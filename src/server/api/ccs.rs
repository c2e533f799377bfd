//! A ticket's CCs: staff copy contacts of the requester's company on a ticket, who then see
//! it in their list, may answer it and get its mail, or take them off again.

use crate::domain::wire::{CcsInput, TicketRow};
use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::{Json, Path, Staff, check_version, etag, if_match};
use crate::server::state::SharedState;
use crate::server::store::{Reader, StoreError, TicketChange};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(put_ccs))
}

/// Replaces a ticket's CCs (staff); `If-Match` required. A contact who is not a colleague of
/// the requester (another company's, or none's) is refused with 422 and nothing changes.
#[utoipa::path(put, path = "/tickets/{id}/ccs", tag = "tickets", request_body = CcsInput,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the ETag last read")),
    responses((status = 200, body = TicketRow), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, description = "A contact that cannot be copied on this ticket", body = ErrorBody),
        (status = 428, body = ErrorBody)),
    security(("bearer" = [])))]
async fn put_ccs(
    State(state): State<SharedState>,
    Staff(caller): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(input): Json<CcsInput>,
) -> ApiResult<Response> {
    let current = state.store.ticket(id, Reader::Staff).await?;
    check_version(&if_match(&headers)?, current.ticket.version)?;
    let change = TicketChange {
        ccs: Some(input.contact_ids),
        ..TicketChange::default()
    };
    // The version just matched is checked again in the write, so a change in between is 412.
    let written = state
        .store
        .update_ticket(
            id,
            change,
            Reader::Staff,
            Some(current.ticket.version),
            caller.name().to_string(),
        )
        .await;
    let row = match written {
        Err(StoreError::Invalid(v)) => {
            return Err(ApiError {
                field: Some(v.field),
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_cc", v.message)
            });
        }
        other => other?,
    };
    let version = row.ticket.version;
    Ok(([(header::ETAG, etag(version))], Json(row)).into_response())
}
