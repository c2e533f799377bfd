//! The endpoints of the caller's own account settings: the language the app speaks to them
//! and their SSH public keys. Read and written on demand by the Account tab, never cached.

use super::{ApiClient, Call};
use crate::client::error::ApiError;
use crate::domain::i18n::Language;
use crate::domain::wire::{LanguageChoice, SshKeyIn, SshKeyOut};
use reqwest::Method;

impl ApiClient {
    /// `GET /me/language`: the language the account chose (`None`: automatic).
    pub async fn account_language(&self) -> Result<Option<Language>, ApiError> {
        let choice: LanguageChoice = self.json(Call::new(Method::GET, "/me/language")).await?;
        Ok(choice.language())
    }

    /// `PUT /me/language`: keeps `language` (`None`: automatic) as the account's choice.
    pub async fn set_account_language(&self, language: Option<Language>) -> Result<(), ApiError> {
        let body = LanguageChoice {
            language: language.map(|l| l.tag().to_string()),
        };
        let _: LanguageChoice = self
            .json(Call::new(Method::PUT, "/me/language").json(&body)?)
            .await?;
        Ok(())
    }

    /// `GET /me/ssh-keys`: the account's keys, oldest first.
    pub async fn ssh_keys(&self) -> Result<Vec<SshKeyOut>, ApiError> {
        self.json(Call::new(Method::GET, "/me/ssh-keys")).await
    }

    /// `POST /me/ssh-keys`: registers one OpenSSH public-key line.
    pub async fn add_ssh_key(&self, line: &str) -> Result<SshKeyOut, ApiError> {
        let body = SshKeyIn {
            public_key: line.to_string(),
        };
        self.json(Call::new(Method::POST, "/me/ssh-keys").json(&body)?)
            .await
    }

    /// `DELETE /me/ssh-keys/{id}`: the key no longer signs in.
    pub async fn delete_ssh_key(&self, id: i64) -> Result<(), ApiError> {
        self.empty(Call::new(Method::DELETE, format!("/me/ssh-keys/{id}")))
            .await
    }
}
