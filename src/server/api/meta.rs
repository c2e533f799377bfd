//! Health check. (`/openapi.json` is served by the server module from the collected document.)

use crate::server::error::{ApiError, ApiResult, ErrorBody};
use crate::server::extract::Json;
use crate::server::state::SharedState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How long the database may take to answer before the instance counts as unhealthy: a load
/// balancer's check must not hang on a database that stopped answering.
const DATABASE_CHECK_LIMIT: Duration = Duration::from_secs(3);

/// The routes of this module.
pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

/// Health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`: the server runs and its database answers.
    pub status: String,
    /// Server version.
    pub version: String,
}

/// Health: 200 when the server runs and its database answers, 503 `database_unavailable`
/// (with the reason) when it does not, so a load balancer takes the instance out.
#[utoipa::path(get, path = "/healthz", tag = "meta", responses(
    (status = 200, body = Health),
    (status = 503, body = ErrorBody, description = "The database does not answer")))]
async fn healthz(State(state): State<SharedState>) -> ApiResult<Json<Health>> {
    let reason =
        match tokio::time::timeout(DATABASE_CHECK_LIMIT, state.store.check_database()).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some(format!(
                "no answer within {} s",
                DATABASE_CHECK_LIMIT.as_secs()
            )),
        };
    if let Some(reason) = reason {
        tracing::warn!("health check: the database does not answer: {reason}");
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            format!("the database does not answer: {reason}"),
        ));
    }
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
