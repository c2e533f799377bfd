//! A customer's cache follows the portal's permission mode: it loses a colleague's tickets
//! when the admin switches from `company` to `contact` (view and file alike) and gains them
//! back after the reverse.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::{ADA, CARLA, DAN, demo_server};
use deskport::client::{Client, View};

/// (own, colleagues') tickets in a customer's view.
fn counts(v: &View) -> (usize, usize) {
    let own = v
        .tickets()
        .filter(|t| !t.is_staff_view() && t.own())
        .count();
    (own, v.ticket_count() - own)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permission_mode_changes_rebuild_what_a_customer_sees() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let admin = ts.demo_login(ADA).await;
    ts.set_mode(&admin, "company").await;
    let dan = ts.demo_login(DAN).await;
    let dans: Vec<i64> = ts
        .all_tickets(&dan)
        .await
        .iter()
        .filter(|t| t["own"] == true)
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert!(!dans.is_empty(), "Dan has tickets");

    let dir = tempfile::tempdir().expect("tempdir");
    let carla = support::start(dir.path(), support::session(&url, CARLA).await).await;
    support::until(&carla, "Dan's tickets in company mode", |v| {
        dans.iter().all(|id| v.ticket(*id).is_some())
    })
    .await;
    let (own, colleagues) = counts(&carla.view());
    assert!(
        own >= 3 && colleagues >= dans.len(),
        "own {own}, colleagues {colleagues}"
    );

    ts.set_mode(&admin, "contact").await;
    support::until(&carla, "Dan's tickets gone in contact mode", |v| {
        counts(v) == (own, 0)
    })
    .await;
    assert!(dans.iter().all(|id| carla.view().ticket(*id).is_none()));
    carla.shutdown().await;

    // The file holds no trace of them either.
    let mut config = support::config(dir.path());
    config.offline = true;
    let cached = Client::start(config, carla.session().clone())
        .await
        .expect("offline client");
    assert_eq!(counts(&cached.view()), (own, 0));
    let conn = rusqlite::Connection::open(carla.cache_path()).expect("open cache");
    let placeholders = dans
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let left: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM tickets WHERE id IN ({placeholders})"),
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(left, 0, "colleague tickets left in the cache file");

    // And back: company mode brings them again.
    let carla = support::start(dir.path(), carla.session().clone()).await;
    ts.set_mode(&admin, "company").await;
    support::until(&carla, "Dan's tickets back", |v| {
        dans.iter().all(|id| v.ticket(*id).is_some())
    })
    .await;
    assert_eq!(counts(&carla.view()).0, own);
    carla.shutdown().await;
}
