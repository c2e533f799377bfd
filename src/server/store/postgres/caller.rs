//! What every signed-in request reads first, in one statement: its session with the account
//! behind it, and the portal settings. The settings' parsed form is kept by version: each
//! request still reads the version from the database, so another server's change is seen at
//! once, but the JSON is sent and parsed only when the version moved.

use super::rows::{contact_at, user_at};
use super::sql::{Db, get, row_opt};
use crate::domain::PortalSettings;
use crate::server::store::shared::unix_now;
use crate::server::store::{Account, SESSION_LIFETIME_SECS, SessionAndPortal, StoreResult};
use std::sync::{Arc, Mutex};

/// The settings last parsed, with the version they carry.
#[derive(Default)]
pub struct SettingsMemo(Mutex<Option<Arc<PortalSettings>>>);

impl SettingsMemo {
    fn kept(&self) -> Option<Arc<PortalSettings>> {
        self.0.lock().ok()?.clone()
    }

    fn keep(&self, settings: Arc<PortalSettings>) {
        if let Ok(mut kept) = self.0.lock() {
            *kept = Some(settings);
        }
    }
}

/// The session of `token_hash` and the settings, from one statement; `None` when the
/// database holds no settings yet (the caller then reads them the long way). `committed`
/// says that `c` reads only committed rows (no request transaction), so the settings it
/// reads may be kept: a version seen inside a transaction that may still roll back could
/// later be committed with other settings.
pub async fn read(
    c: &Db,
    token_hash: &str,
    memo: &SettingsMemo,
    committed: bool,
) -> StoreResult<Option<SessionAndPortal>> {
    let kept = memo.kept();
    let kept_version = kept.as_ref().map(|k| k.version);
    let oldest = unix_now() - SESSION_LIFETIME_SECS;
    let Some(r) = row_opt(
        c,
        "SELECT p.version, CASE WHEN p.version = $3 THEN NULL ELSE p.settings END, \
         s.account_kind, s.last_seen, u.id, u.email, u.name, u.role, \
         ct.id, ct.email, ct.name, ct.company_id, ct.properties, ct.registration, ct.consent_version, ct.consent_at \
         FROM portal p LEFT JOIN sessions s ON s.token_hash = $1 AND s.created_at > $2 \
         LEFT JOIN users u ON s.account_kind = 'user' AND u.id = s.account_id AND u.removed_at IS NULL \
         LEFT JOIN contacts ct ON s.account_kind = 'contact' AND ct.id = s.account_id \
         WHERE p.id = 1",
        &[&token_hash, &oldest, &kept_version],
    )
    .await?
    else {
        return Ok(None);
    };
    let version: i64 = get(&r, 0)?;
    let settings = match kept.filter(|k| k.version == version) {
        Some(kept) => kept,
        None => {
            let text: &str = get(&r, 1)?;
            let fresh: Arc<PortalSettings> = Arc::new(serde_json::from_str(text)?);
            if committed {
                memo.keep(fresh.clone());
            }
            fresh
        }
    };
    let kind: Option<&str> = get(&r, 2)?;
    let account = match kind {
        Some("user") if get::<Option<i64>>(&r, 4)?.is_some() => {
            Some(Account::User(user_at(&r, 4)?))
        }
        Some("contact") if get::<Option<i64>>(&r, 8)?.is_some() => {
            Some(Account::Contact(contact_at(&r, 8)?))
        }
        _ => None,
    };
    let session = match account {
        Some(account) => Some((account, get(&r, 3)?)),
        None => None,
    };
    Ok(Some((session, settings)))
}
