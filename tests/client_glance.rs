//! A client started with `first_screen` opens on the glance the last run left (only its
//! tickets), loads every other ticket behind it, and only then starts syncing and sending:
//! a write queued before the start is applied to its ticket once that ticket is loaded,
//! and reaches the server.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{SAM, demo_server};
use deskport::client::{Client, Glance, Write};
use deskport::domain::Priority;
use deskport::domain::wire::{StaffTicketPatch, TicketOut};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_from_a_glance_loads_the_rest_then_syncs_and_sends() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let dir = tempfile::tempdir().expect("tempdir");
    let session = support::session(&url, SAM).await;

    let client = support::start(dir.path(), session.clone()).await;
    support::settled(&client).await;
    support::until(&client, "every ticket", |v| v.ticket_count() >= 300).await;
    let (n, first, far) = {
        let view = client.view();
        let first: Vec<i64> = view.tickets().take(5).map(|t| t.id()).collect();
        let far = view.tickets().last().expect("a ticket");
        (view.ticket_count(), first, (far.id(), far.version()))
    };
    client.shutdown().await;
    drop(client);

    // Offline: queue a change of the oldest ticket (not in the glance), then leave a glance.
    let mut offline = support::config(dir.path());
    offline.offline = true;
    let client = Client::start(offline, session.clone())
        .await
        .expect("offline start");
    client
        .submit(Write::PatchTicket {
            id: far.0,
            base_version: far.1,
            patch: StaffTicketPatch {
                priority: Some(Priority::Urgent),
                ..StaffTicketPatch::default()
            },
        })
        .await
        .expect("queued");
    let glance = Glance {
        ids: first.clone(),
        note: "five rows".into(),
    };
    client
        .remember_glance(glance.clone())
        .await
        .expect("a whole view may leave a glance");
    client.shutdown().await;
    drop(client);

    let mut config = support::config(dir.path());
    config.first_screen = true;
    let client = Client::start(config, session.clone()).await.expect("start");
    support::until(&client, "every ticket loaded behind the glance", |v| {
        v.glance().is_none() && v.ticket_count() == n
    })
    .await;
    support::settled(&client).await;
    assert_eq!(
        client.view().ticket(far.0).map(|t| t.priority()),
        Some(Priority::Urgent),
        "the queued write applies to a ticket loaded after the glance"
    );
    let on_server = client.api().ticket(far.0).await.expect("read back").body;
    let TicketOut::Staff(row) = on_server.ticket else {
        panic!("an agent reads the staff view");
    };
    assert_eq!(row.ticket.priority, Priority::Urgent);
    client.shutdown().await;
    drop(client);

    // The engine's writes since dropped that glance: the next start loads everything.
    let mut config = support::config(dir.path());
    config.first_screen = true;
    let client = Client::start(config, session).await.expect("start");
    assert_eq!(client.view().glance(), None);
    assert_eq!(client.view().ticket_count(), n);
    client.shutdown().await;
}
