//! Two agents editing the same ticket: the second write gets a conflict the user resolves,
//! nothing is lost; refused writes are reported and never block the writes behind them;
//! replies and notes never conflict.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{SAM, demo_server};
use deskport::client::{Client, ClientEvent, Connection, OutboxState, Resolution, Write};
use deskport::domain::Priority;
use deskport::domain::wire::{MessageInput, StaffTicketPatch, TicketOut};

const LIN: &str = "lin@deskport.test";

async fn agent(url: &str, email: &str) -> (Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = support::start(dir.path(), support::session(url, email).await).await;
    support::until(&client, "first sync", |v| {
        v.status.connection == Connection::Online && v.ticket_count() > 0
    })
    .await;
    (client, dir)
}

fn priority_patch(p: Priority) -> StaffTicketPatch {
    StaffTicketPatch {
        priority: Some(p),
        ..Default::default()
    }
}

/// The id and shown version of an open ticket of medium priority in `client`'s view.
fn open_medium_ticket(client: &Client) -> (i64, i64) {
    let v = client.view();
    let t = v
        .tickets()
        .find(|t| !t.is_closed() && t.priority() == Priority::Medium)
        .expect("an open medium ticket");
    (t.id(), t.version())
}

async fn server_priority(ts: &common::TestServer, id: i64) -> String {
    let token = ts.demo_login(SAM).await;
    ts.get(&format!("/tickets/{id}"), &token).await.body["priority"]
        .as_str()
        .expect("priority")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_edit_of_a_field_becomes_a_conflict_and_nothing_is_lost() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let (sam, _d1) = agent(&url, SAM).await;
    let (lin, _d2) = agent(&url, LIN).await;
    let (id, base) = open_medium_ticket(&sam);
    support::until(&lin, "the same version", |v| {
        v.ticket(id).is_some_and(|t| t.version() == base)
    })
    .await;
    let mut lin_events = lin.subscribe();

    sam.submit(Write::PatchTicket {
        id,
        base_version: base,
        patch: priority_patch(Priority::Urgent),
    })
    .await
    .expect("sam writes");
    support::settled(&sam).await;
    assert_eq!(server_priority(&ts, id).await, "urgent");

    // Lin edited the same field from the version both saw.
    let w = lin
        .submit(Write::PatchTicket {
            id,
            base_version: base,
            patch: priority_patch(Priority::Low),
        })
        .await
        .expect("lin writes");
    support::until(&lin, "the conflict", |v| {
        v.outbox
            .iter()
            .any(|e| e.id == w && matches!(e.state, OutboxState::Conflict(_)))
    })
    .await;
    let mut saw_event = false;
    while let Ok(e) = lin_events.try_recv() {
        saw_event |= matches!(e, ClientEvent::Conflict { write, .. } if write == w);
    }
    assert!(saw_event, "a conflict event was sent");
    assert_eq!(
        server_priority(&ts, id).await,
        "urgent",
        "Sam's change stands until Lin decides"
    );
    {
        let v = lin.view();
        let entry = v
            .outbox
            .iter()
            .find(|e| e.id == w)
            .expect("Lin's write is kept");
        assert!(
            matches!(&entry.write, Write::PatchTicket { patch, .. } if patch.priority == Some(Priority::Low))
        );
        assert_eq!(v.status.conflicts, 1);
        assert_eq!(
            v.ticket(id).map(|t| t.priority()),
            Some(Priority::Urgent),
            "the view shows the server's version"
        );
    }

    lin.resolve_conflict(w, Resolution::ApplyMine)
        .await
        .expect("apply mine");
    support::settled(&lin).await;
    assert!(lin.view().outbox.is_empty());
    assert_eq!(server_priority(&ts, id).await, "low");
    support::until(&sam, "Lin's change reaches Sam", |v| {
        v.ticket(id).is_some_and(|t| t.priority() == Priority::Low)
    })
    .await;

    // Again, and this time Lin keeps theirs.
    let base = lin.view().ticket(id).map(|t| t.version()).expect("ticket");
    sam.submit(Write::PatchTicket {
        id,
        base_version: base,
        patch: priority_patch(Priority::High),
    })
    .await
    .expect("sam writes");
    support::settled(&sam).await;
    let w = lin
        .submit(Write::PatchTicket {
            id,
            base_version: base,
            patch: priority_patch(Priority::Medium),
        })
        .await
        .expect("lin writes");
    support::until(&lin, "the conflict", |v| v.status.conflicts == 1).await;
    lin.resolve_conflict(w, Resolution::KeepTheirs)
        .await
        .expect("keep theirs");
    support::settled(&lin).await;
    assert_eq!(server_priority(&ts, id).await, "high");
    assert!(lin.view().outbox.is_empty());
    sam.shutdown().await;
    lin.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_is_reported_and_does_not_block_the_next() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let (sam, _d) = agent(&url, SAM).await;
    let (id, base) = sam
        .view()
        .ticket_at(0)
        .map(|t| (t.id(), t.version()))
        .expect("a ticket");
    let mut events = sam.subscribe();

    let bad = StaffTicketPatch {
        category: Some("x".repeat(80)),
        ..Default::default()
    };
    let refused = sam
        .submit(Write::PatchTicket {
            id,
            base_version: base,
            patch: bad,
        })
        .await
        .expect("recorded");
    let note = MessageInput {
        body: "Checked the logs".into(),
        internal: true,
    };
    sam.submit(Write::Message {
        ticket_id: id,
        input: note,
    })
    .await
    .expect("recorded");
    support::until(&sam, "the refusal", |v| {
        v.outbox.len() == 1
            && matches!(v.outbox[0].state, OutboxState::Rejected { status: 400, .. })
    })
    .await;
    assert_eq!(sam.view().outbox[0].id, refused);
    let mut reported = false;
    while let Ok(e) = events.try_recv() {
        reported |= matches!(e, ClientEvent::Rejected { write, .. } if write == refused);
    }
    assert!(reported, "the refusal was reported");
    let thread = sam.ticket_detail(id).await.expect("thread");
    assert!(
        thread
            .detail
            .messages
            .iter()
            .any(|m| m.body == "Checked the logs" && m.internal),
        "the note behind it was sent"
    );

    sam.dismiss(refused).await.expect("dismiss");
    assert!(sam.view().outbox.is_empty());
    sam.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_from_two_agents_never_conflict() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let (sam, _d1) = agent(&url, SAM).await;
    let (lin, _d2) = agent(&url, LIN).await;
    let id = sam.view().ticket_at(1).map(|t| t.id()).expect("a ticket");
    let note = |body: &str| Write::Message {
        ticket_id: id,
        input: MessageInput {
            body: body.into(),
            internal: true,
        },
    };
    let (a, b) = tokio::join!(
        sam.submit(note("Sam was here")),
        lin.submit(note("Lin was here"))
    );
    a.expect("sam");
    b.expect("lin");
    support::settled(&sam).await;
    support::settled(&lin).await;
    let thread = sam.ticket_detail(id).await.expect("thread");
    for body in ["Sam was here", "Lin was here"] {
        assert_eq!(
            thread
                .detail
                .messages
                .iter()
                .filter(|m| m.body == body)
                .count(),
            1,
            "{body}"
        );
    }
    let TicketOut::Staff(row) = &thread.detail.ticket else {
        panic!("staff view")
    };
    assert_eq!(row.ticket.id, id);
    sam.shutdown().await;
    lin.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_right_after_your_own_reply_is_no_conflict() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let (sam, _d1) = agent(&url, SAM).await;
    let (id, shown) = open_medium_ticket(&sam);
    // Reply, then at once change the ticket, as an agent does with `r` … Ctrl-S, `A`: the
    // change is made over the version shown before the reply reached the server.
    sam.submit(Write::Message {
        ticket_id: id,
        input: MessageInput {
            body: "On it.".into(),
            internal: false,
        },
    })
    .await
    .expect("the reply is recorded");
    sam.submit(Write::PatchTicket {
        id,
        base_version: shown,
        patch: priority_patch(Priority::High),
    })
    .await
    .expect("the change is recorded");
    support::settled(&sam).await;
    let outbox = sam.view().outbox.clone();
    assert!(
        outbox.is_empty(),
        "no conflict and nothing refused: {outbox:?}"
    );
    assert_eq!(server_priority(&ts, id).await, "high");
    let thread = sam.ticket_detail(id).await.expect("thread");
    assert!(thread.detail.messages.iter().any(|m| m.body == "On it."));
    sam.shutdown().await;
}
