//! The saved-reply endpoints: the list the CLI prints, and the writes the outbox sends.

use super::{ApiClient, Call};
use crate::client::error::ApiError;
use crate::domain::SavedReply;
use crate::domain::wire::{SavedReplyInput, SavedReplyPatch};
use reqwest::Method;

impl ApiClient {
    /// `GET /saved-replies`: the shared ones and the caller's own.
    pub async fn saved_replies(&self) -> Result<Vec<SavedReply>, ApiError> {
        self.json(Call::new(Method::GET, "/saved-replies")).await
    }

    /// `POST /saved-replies`.
    pub async fn create_saved_reply(
        &self,
        input: &SavedReplyInput,
        key: Option<&str>,
    ) -> Result<SavedReply, ApiError> {
        self.json(
            Call::new(Method::POST, "/saved-replies")
                .json(input)?
                .idempotency_key(key),
        )
        .await
    }

    /// `PATCH /saved-replies/{id}`.
    pub async fn patch_saved_reply(
        &self,
        id: i64,
        patch: &SavedReplyPatch,
        key: Option<&str>,
    ) -> Result<SavedReply, ApiError> {
        self.json(
            Call::new(Method::PATCH, format!("/saved-replies/{id}"))
                .json(patch)?
                .idempotency_key(key),
        )
        .await
    }

    /// `DELETE /saved-replies/{id}`.
    pub async fn delete_saved_reply(&self, id: i64, key: Option<&str>) -> Result<(), ApiError> {
        self.empty(Call::new(Method::DELETE, format!("/saved-replies/{id}")).idempotency_key(key))
            .await
    }
}
