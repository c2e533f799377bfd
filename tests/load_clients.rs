//! Two hundred clients syncing and replying at once against one server on loopback: no
//! request fails and no acknowledged reply is lost or doubled. (`cargo bench --bench
//! load_clients` runs the same load longer and prints requests/s and p95.)

mod common;
mod load_support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_sync_and_write_without_error_or_loss() {
    let ts = common::demo_server(60).await;
    let report = load_support::run(&ts.server, 200, 2).await;
    assert!(
        report.errors.is_empty(),
        "errors: {:?}",
        &report.errors[..report.errors.len().min(10)]
    );
    assert_eq!(report.writes, 400, "every reply acknowledged");
    assert!(
        report.lost_or_doubled.is_empty(),
        "{:?}",
        report.lost_or_doubled
    );
    eprintln!(
        "{} requests, {:.0}/s, p50 {:?}, p95 {:?}",
        report.requests,
        report.rate(),
        report.p50,
        report.p95
    );
}
