//! A ticket's CCs set from the client (what `C` in the app records): the change goes through
//! the outbox like any ticket write — shown at once, kept across a restart while the server
//! cannot be reached, then sent once with `If-Match` — reaches another staff client by sync,
//! and a contact the server refuses (422 `invalid_cc`) leaves the write in the outbox as
//! refused, with the server's reason, and the ticket as it was.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{ADA, CARLA, DAN, GINA, SAM, demo_server};
use deskport::client::{Connection, OutboxState, Write};
use deskport::domain::wire::CcsInput;
use support::Proxy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ccs_set_offline_are_sent_once_and_reach_another_client() {
    let ts = demo_server(60).await;
    let proxy = Proxy::start(ts.server.addr).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let session = support::session(&proxy.url(), SAM).await;
    let client = support::start(dir.path(), session.clone()).await;
    support::until(&client, "first sync", |v| {
        v.status.connection == Connection::Online
            && v.tickets().any(|t| t.requester_email() == Some(CARLA))
            && v.contacts.values().any(|c| c.email == DAN)
    })
    .await;
    let (id, base_version, dan, gina) = {
        let v = client.view();
        let t = v
            .tickets()
            .find(|t| t.requester_email() == Some(CARLA) && t.ccs().is_empty())
            .expect("a ticket of Carla's without CCs");
        let id_of = |email: &str| v.contacts.values().find(|c| c.email == email).map(|c| c.id);
        (
            t.id(),
            t.version(),
            id_of(DAN).expect("Dan"),
            id_of(GINA).expect("Gina"),
        )
    };

    proxy.down();
    support::until(&client, "offline", |v| {
        v.status.connection == Connection::Offline
    })
    .await;
    let write = client
        .submit(Write::SetCcs {
            id,
            base_version,
            ccs: CcsInput {
                contact_ids: vec![dan],
            },
        })
        .await
        .expect("recorded");
    {
        let v = client.view();
        let t = v.ticket(id).expect("the ticket");
        assert!(t.pending, "marked pending");
        assert_eq!(t.ccs(), vec![dan], "shown at once");
    }
    support::until(&client, "a failed attempt", |v| {
        v.outbox.iter().any(|e| e.id == write && e.attempts > 0)
    })
    .await;
    client.shutdown().await;
    drop(client);

    // Restarted, still offline: the change is still queued and still shown.
    let client = support::start(dir.path(), session.clone()).await;
    {
        let v = client.view();
        assert_eq!(v.pending_writes(), 1, "the outbox survived the restart");
        assert_eq!(v.ticket(id).map(|t| t.ccs()), Some(vec![dan]));
    }

    proxy.up().await;
    support::settled(&client).await;
    let sam = ts.demo_login(SAM).await;
    let on_server = ts.get(&format!("/tickets/{id}"), &sam).await.body;
    assert_eq!(on_server["ccs"], serde_json::json!([dan]));
    assert_eq!(
        on_server["version"],
        base_version + 1,
        "applied once: {on_server}"
    );
    assert!(client.view().ticket(id).is_some_and(|t| !t.pending));

    // Another staff client gets the CCs by sync.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = support::start(other_dir.path(), support::session(&proxy.url(), ADA).await).await;
    support::until(&other, "the CCs synced", |v| {
        v.ticket(id).is_some_and(|t| t.ccs() == vec![dan])
    })
    .await;

    // Another company's contact: refused with the server's reason, the ticket unchanged.
    let version = client
        .view()
        .ticket(id)
        .map(|t| t.version())
        .expect("ticket");
    let refused = client
        .submit(Write::SetCcs {
            id,
            base_version: version,
            ccs: CcsInput {
                contact_ids: vec![dan, gina],
            },
        })
        .await
        .expect("recorded");
    support::until(&client, "the refusal", |v| {
        v.outbox.iter().any(|e| {
            e.id == refused
                && matches!(&e.state, OutboxState::Rejected { status: 422, message }
                    if message.contains(&format!("contact {gina} is not a contact of the requester's company")))
        })
    })
    .await;
    assert_eq!(
        client.view().ticket(id).map(|t| t.ccs()),
        Some(vec![dan]),
        "the ticket shows the server's CCs again"
    );
    let on_server = ts.get(&format!("/tickets/{id}"), &sam).await.body;
    assert_eq!(on_server["ccs"], serde_json::json!([dan]));
    client.shutdown().await;
    other.shutdown().await;
}
