//! Portal settings as each role receives them.

use crate::domain::portal::AccessMode;
use crate::domain::{DomainInfo, PortalSettings, SupportForm, TicketView, Viewer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The settings as staff see them, with derived fields.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PortalOut {
    /// Every setting.
    #[serde(flatten)]
    pub settings: PortalSettings,
    /// `https://<domain>/<slug>`.
    pub portal_url: String,
    /// The domain's primary language (read-only).
    pub language: String,
    /// Whether the domain is a system domain (no registration emails).
    pub system_domain: bool,
}

/// The public part of the settings, for customers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicPortal {
    /// The portal's name, shown to customers.
    pub name: String,
    /// Where customers reach the portal.
    pub portal_url: String,
    /// The language customers see the portal in.
    pub language: String,
    /// How the customer's list looks.
    pub ticket_view: TicketView,
    /// Consent notice.
    pub consent: crate::domain::Consent,
    /// Support form.
    pub support_form: SupportForm,
    /// Registration mode.
    pub access_mode: AccessMode,
    /// Whether password-less codes are on.
    pub passwordless: bool,
    /// For `If-Match`-free cache checks.
    pub version: i64,
}

/// Where the app is served over SSH, for admins to publish so users can check the host key
/// on first connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SshAccess {
    /// The address `deskport serve --ssh` listens on.
    pub address: String,
    /// The host key's fingerprint as `ssh` shows it (`SHA256:…`).
    pub fingerprint: String,
}

/// The answer of `GET /ssh` (admins): `ssh` is `null` when the server does not serve SSH.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SshStatus {
    /// Where and with which host key, when served.
    pub ssh: Option<SshAccess>,
}

/// Settings projected for `viewer`. Built once per request or sync page, never stored in
/// bulk, so the size difference between the variants costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PortalFor {
    /// What staff get: every setting.
    Staff(Box<PortalOut>),
    /// What customers get: the public part only.
    Public(PublicPortal),
}

/// Projects the settings for `viewer`.
pub fn portal_for(viewer: &Viewer, p: PortalSettings, domains: &[DomainInfo]) -> PortalFor {
    let domain = domains.iter().find(|d| d.host == p.domain);
    let language = p.language(domains);
    if viewer.is_staff() {
        PortalFor::Staff(Box::new(PortalOut {
            portal_url: p.portal_url(),
            language,
            system_domain: domain.is_some_and(|d| d.system),
            settings: p,
        }))
    } else {
        PortalFor::Public(PublicPortal {
            name: p.name.clone(),
            portal_url: p.portal_url(),
            language,
            ticket_view: p.ticket_view.clone(),
            consent: p.consent.clone(),
            support_form: p.support_form.clone(),
            access_mode: p.access.mode,
            passwordless: p.access.passwordless,
            version: p.version,
        })
    }
}
