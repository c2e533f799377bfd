//! Customer-facing error messages in the caller's language: the language named by the
//! request's `Accept-Language` (the app sends its own), else the portal's (its domain's
//! primary language). An error built with [`ApiError::said`] leaves its handler in English
//! with its catalogue message attached; this layer says that message again in the chosen
//! language. Error codes never change.

use crate::domain::i18n::Language;
use crate::server::error::Said;
use crate::server::state::SharedState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LENGTH};
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    /// The language the request asked for, while its handler runs.
    static ASKED: Option<Language>;
}

/// The language the request being handled asked for by `Accept-Language`, if it named a
/// shipped one.
pub fn asked() -> Option<Language> {
    ASKED.try_with(|asked| *asked).ok().flatten()
}

/// The language to answer the request being handled in: the one it asked for, else the
/// portal's.
pub async fn answer_language(state: &SharedState) -> Language {
    match asked() {
        Some(language) => language,
        None => portal_language(state).await,
    }
}

/// The primary language of the portal's domain; English when the store cannot say.
async fn portal_language(state: &SharedState) -> Language {
    let (portal, domains) = match (state.store.portal().await, state.store.domains().await) {
        (Ok(portal), Ok(domains)) => (portal, domains),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!("cannot read the portal's language: {e}");
            return Language::English;
        }
    };
    Language::or_english(&portal.language(&domains))
}

/// Runs the request with its asked-for language known, then says a catalogue error message
/// in the language chosen.
pub async fn layer(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let asked = req
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language);
    let response = ASKED.scope(asked, next.run(req)).await;
    let Some(said) = response.extensions().get::<Said>().cloned() else {
        return response;
    };
    let language = match asked {
        Some(language) => language,
        None => portal_language(&state).await,
    };
    if language == Language::English {
        return response;
    }
    say_in(response, &said, language).await
}

/// `response` (an error body) with its message replaced by `said` in `language`.
async fn say_in(response: Response, said: &Said, language: Language) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!("cannot read an error answer to translate it: {e}");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let mut json: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(json) => json,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    if let Some(message) = json.pointer_mut("/error/message") {
        *message = serde_json::Value::String(said.text(language));
    }
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}
