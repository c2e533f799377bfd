//! The test PostgreSQL itself: every test server gets a fresh database of its own, and the
//! throwaway cluster never outlives its test process, whether that process exits normally or
//! is killed.

mod common;

use common::postgres;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn every_fresh_database_is_empty_and_its_own() {
    if !postgres::available() {
        return;
    }
    let first = postgres::fresh_database();
    let second = postgres::fresh_database();
    assert_ne!(first, second);
    assert_eq!(postgres::query(&first, &["SELECT 1"]).trim(), "1");
    postgres::query(&first, &["CREATE TABLE marker (id int)"]);
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    assert_eq!(postgres::query(&first, &[tables]).trim(), "1");
    assert_eq!(postgres::query(&second, &[tables]).trim(), "0");
}

/// Set in the child process these tests start: what it should do once its cluster runs.
const CHILD_MODE: &str = "DESKPORT_HARNESS_CHILD";

#[test]
#[ignore = "the child process of the cluster lifetime tests"]
fn child_starts_a_cluster() {
    let cluster = postgres::cluster().expect("a throwaway cluster");
    println!("CLUSTER_DIR={}", cluster.dir.display());
    if std::env::var(CHILD_MODE).as_deref() == Ok("hang") {
        std::thread::sleep(Duration::from_secs(120));
    }
}

/// Starts this test binary as a child that starts a cluster; returns it and the cluster dir.
fn child_with_cluster(mode: &str) -> (Child, PathBuf) {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "child_starts_a_cluster",
            "--nocapture",
        ])
        .env(CHILD_MODE, mode)
        .env_remove(postgres::EXTERNAL_URL)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let dir = lines
        .by_ref()
        .map(|line| line.expect("line"))
        .find_map(|line| line.strip_prefix("CLUSTER_DIR=").map(PathBuf::from))
        .expect("the child says where its cluster is");
    // Keep reading, or the child's last words would fail on a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, dir)
}

fn postmaster_pid(dir: &Path) -> u32 {
    let pid_file = std::fs::read_to_string(dir.join("data/postmaster.pid")).expect("pid file");
    pid_file
        .lines()
        .next()
        .and_then(|l| l.trim().parse().ok())
        .expect("postmaster pid")
}

/// Whether `pid` runs (a zombie does not count: it has exited and waits to be reaped).
fn runs(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

fn assert_gone_within(dir: &Path, postmaster: u32, limit: Duration) {
    let started = Instant::now();
    while (dir.exists() || runs(postmaster)) && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!runs(postmaster), "the postmaster {postmaster} still runs");
    assert!(
        !dir.exists(),
        "the cluster dir {} is still there",
        dir.display()
    );
}

#[test]
fn the_cluster_stops_when_its_test_process_exits() {
    if !postgres::available() || postgres::cluster().is_none() {
        return;
    }
    let (mut child, dir) = child_with_cluster("exit");
    let postmaster = postmaster_pid(&dir);
    assert!(runs(postmaster));
    assert!(child.wait().expect("child ends").success());
    // The exit hook stops it before the process is gone: nothing is left at all.
    assert_gone_within(&dir, postmaster, Duration::ZERO);
}

#[test]
fn the_cluster_stops_when_its_test_process_is_killed() {
    if !postgres::available() || postgres::cluster().is_none() {
        return;
    }
    let (mut child, dir) = child_with_cluster("hang");
    let postmaster = postmaster_pid(&dir);
    assert!(runs(postmaster));
    child.kill().expect("kill -9");
    child.wait().expect("child ends");
    assert_gone_within(&dir, postmaster, Duration::from_secs(5));
}
