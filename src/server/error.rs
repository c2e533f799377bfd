//! The API's one error type: every failure leaves as `{"error": {"code", "message"}}` with the
//! right status, never a bare 500 for bad input.

use super::store::StoreError;
use crate::domain::i18n::{self, Arg, Language};
use crate::domain::text::bound_echo;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code, e.g. `invalid`, `not_found`, `version_conflict`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// The field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A customer-facing message by its catalogue id and values, so the language layer
/// (`middleware::language`) can say it in the caller's language; the body carries it in
/// English until then.
#[derive(Debug, Clone)]
pub struct Said {
    /// The catalogue message.
    pub id: &'static str,
    /// Its placeholders' values.
    pub args: Vec<(&'static str, SaidArg)>,
}

/// A placeholder's value in a [`Said`] message.
#[derive(Debug, Clone)]
pub enum SaidArg {
    /// Text.
    Text(String),
    /// A number (it picks plural forms).
    Number(i64),
}

impl Said {
    /// The message in `language`.
    pub fn text(&self, language: Language) -> String {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    SaidArg::Text(t) => Arg::Text(t),
                    SaidArg::Number(n) => Arg::Number(*n),
                };
                (*name, value)
            })
            .collect();
        i18n::format(language, self.id, &args)
    }
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// The field at fault.
    pub field: Option<String>,
    /// Seconds to wait, for 429.
    pub retry_after: Option<u64>,
    /// The message as the catalogue has it, when customers may read it (boxed: most errors
    /// have none, and an error is returned by value everywhere).
    pub said: Option<Box<Said>>,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            said: None,
        }
    }

    /// An error whose message is catalogue message `id` with `args`: English in the body,
    /// and the caller's language once the language layer has seen it.
    pub fn said(
        status: StatusCode,
        code: &'static str,
        id: &'static str,
        args: Vec<(&'static str, SaidArg)>,
    ) -> Self {
        let said = Said { id, args };
        ApiError {
            said: Some(Box::new(said.clone())),
            ..Self::new(status, code, said.text(Language::English))
        }
    }
    /// 400 for bad input.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    /// 400 naming the field at fault.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "invalid", message);
        e.field = Some(field.into());
        e
    }
    /// 422 naming the field at fault: well-formed input the server will not take (a
    /// language it does not ship, an SSH key of an unsupported type or registered already).
    pub fn unprocessable(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message);
        e.field = Some(field.into());
        e
    }
    /// [`ApiError::said`] naming the `field` at fault, for input a customer may send wrong.
    pub fn said_of_field(
        status: StatusCode,
        code: &'static str,
        field: &'static str,
        id: &'static str,
    ) -> Self {
        let mut e = Self::said(status, code, id, Vec::new());
        e.field = Some(field.into());
        e
    }
    /// 401 with catalogue message `id`, for what a customer may get.
    pub fn refused(id: &'static str) -> Self {
        Self::said(StatusCode::UNAUTHORIZED, "unauthorized", id, Vec::new())
    }
    /// 403.
    pub fn forbidden() -> Self {
        Self::said(
            StatusCode::FORBIDDEN,
            "forbidden",
            "error-forbidden",
            Vec::new(),
        )
    }
    /// 404, also for what exists but is not visible to the caller.
    pub fn not_found() -> Self {
        Self::said(
            StatusCode::NOT_FOUND,
            "not_found",
            "error-not-found",
            Vec::new(),
        )
    }
    /// 500, with the detail logged and not shown.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {detail}");
        Self::said(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "error-internal",
            Vec::new(),
        )
    }
}

/// Most bytes an answer's message takes, and its field: a message may repeat what the caller
/// sent (an unknown key, a bad value), and a 700 KB request must not earn a 3 MB answer.
const MAX_MESSAGE_BYTES: usize = 480;
const MAX_FIELD_BYTES: usize = 120;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: bound_echo(&self.message, MAX_MESSAGE_BYTES),
                field: self.field.map(|f| bound_echo(&f, MAX_FIELD_BYTES)),
            },
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(said) = self.said {
            resp.extensions_mut().insert(*said);
        }
        resp
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Conflict(current) => ApiError::said(
                StatusCode::PRECONDITION_FAILED,
                "version_conflict",
                "error-version-conflict",
                vec![("version", SaidArg::Number(current))],
            ),
            StoreError::Duplicate(m) => ApiError::new(StatusCode::CONFLICT, "duplicate", m),
            StoreError::LastAdmin => ApiError::new(
                StatusCode::CONFLICT,
                "last_admin",
                StoreError::LastAdmin.to_string(),
            ),
            StoreError::Invalid(v) => ApiError::invalid(v.field, v.message),
            StoreError::Database(m) => ApiError::internal(m),
        }
    }
}

impl From<crate::domain::ValidationError> for ApiError {
    fn from(v: crate::domain::ValidationError) -> Self {
        ApiError::invalid(v.field, v.message)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        // axum answers 422 for well-formed JSON of the wrong shape (unknown or missing
        // fields, wrong types); the API promises 400 for every kind of bad input.
        let (status, code) = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            _ => (StatusCode::BAD_REQUEST, "bad_request"),
        };
        ApiError::new(status, code, r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
