//! Two hundred clients syncing and replying at once against one server on loopback, and
//! against two instances of one portal on one PostgreSQL database: no request fails and no
//! acknowledged reply is lost or doubled. (`cargo bench --bench load_clients` runs the same
//! load longer and prints requests/s and p95.)

mod common;
mod load_support;

use load_support::LoadReport;

fn assert_no_error_or_loss(report: &LoadReport) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_sync_and_write_without_error_or_loss() {
    let ts = common::demo_server(60).await;
    assert_no_error_or_loss(&load_support::run(&[&ts.server], 200, 2).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_over_two_postgresql_instances_without_error_or_loss() {
    if !common::postgres::available() {
        return;
    }
    let database = common::postgres::fresh_database();
    let a = common::server_on(Some(database.clone()), true, 60).await;
    let b = common::server_on(Some(database), true, 60).await;
    assert_no_error_or_loss(&load_support::run(&[&a.server, &b.server], 200, 2).await);
}
