//! The portal the mails go to: the demo portal plus contacts enough to send 1 000 mails
//! within the per-sender limit, written into the store before `deskport serve` opens it.

use color_eyre::eyre::{Result, eyre};
use deskport::domain::{Contact, Registration};
use deskport::server::demo::{DEMO_PASSWORD, demo_batch};
use deskport::server::{ServerConfig, open_unseeded, security};

/// Demo tickets the portal starts with.
const DEMO_TICKETS: usize = 1_000;

/// The address of sender `n`.
pub fn sender(n: usize) -> String {
    format!("sender{n:03}@senders.test")
}

/// Seeds the store `config` names with the demo portal and `senders` more contacts (each
/// [`sender`]); returns the support address mail goes to.
pub async fn portal(config: &ServerConfig, senders: usize) -> Result<String> {
    let store = open_unseeded(config).await?;
    let hash = security::hash_password(DEMO_PASSWORD).map_err(|e| eyre!(e))?;
    let mut batch = demo_batch(DEMO_TICKETS, &hash);
    let first_id = batch.contacts.iter().map(|(c, _)| c.id).max().unwrap_or(0) + 1;
    batch.contacts.extend((0..senders).map(|n| {
        let contact = Contact {
            id: first_id + n as i64,
            email: sender(n),
            name: format!("Sender {n}"),
            company_id: None,
            properties: Default::default(),
            registration: Registration::None,
            consent: None,
        };
        (contact, None)
    }));
    let settings = batch
        .portal
        .as_ref()
        .ok_or_else(|| eyre!("the demo batch has no portal settings"))?;
    let domain = settings
        .email
        .inbound_domain
        .clone()
        .unwrap_or_else(|| settings.domain.clone());
    store.import(batch).await?;
    Ok(format!("support@{domain}"))
}
