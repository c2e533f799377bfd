//! The deployment of docs/deploy.md, end to end: PostgreSQL, two real `deskport serve`
//! instances on one database, and a real nginx in front of them configured by the shipped
//! `deploy/nginx/deskport.conf`. The terminal app, in a pseudo-terminal, works through nginx;
//! one instance is killed with SIGKILL in the middle of its replies; the app keeps working
//! through the other, every reply it took is in the database exactly once, its outbox drains,
//! and a change made on the surviving instance still reaches it live. Rate limits count each
//! client behind nginx on its own (`--trust-proxy` and the forwarded address).

mod common;

use common::nginx::{self, Nginx};
use common::postgres;
use common::process::{Served, until_healthy};
use common::pty::{App, Dirs, api, login_to, number_after};
use deskport::domain::wire::{StaffTicketPatch, TicketPatch};
use std::path::Path;
use std::time::{Duration, Instant};

const REPLIES: usize = 6;
/// The reply after which the first instance is killed (while it may still be sending).
const KILLED_AFTER: usize = 2;

/// `deskport serve` on `database` with its own data dir under `home`, behind nginx on this
/// host as docs/deploy.md runs it.
async fn instance(home: &Path, database: &str, demo: bool) -> Served {
    let data = home.join("data");
    let data = data.to_str().expect("a UTF-8 temp path");
    let mut args = vec!["--database", database, "--data-dir", data];
    args.extend(["--trust-proxy", "127.0.0.1"]);
    if demo {
        args.extend(["--demo", "--demo-tickets", "20"]);
    }
    Served::start(home, &args).await
}

/// What the database holds of the app's work on ticket `id`: how many times each of
/// `bodies` is among its messages, and its owner's email.
fn stored(database: &str, id: i64, bodies: &[String]) -> (Vec<usize>, String) {
    let sql = format!("SELECT body FROM messages WHERE ticket_id = {id}");
    let messages = postgres::query(database, &[&sql]);
    let counts = bodies
        .iter()
        .map(|b| messages.lines().filter(|l| *l == b).count())
        .collect();
    let sql = format!(
        "SELECT u.email FROM tickets t JOIN users u ON u.id = t.owner_id WHERE t.id = {id}"
    );
    let owner = postgres::query(database, &[&sql]).trim().to_string();
    (counts, owner)
}

/// A code request for `email` through nginx from the loopback address `from`; its status.
async fn code_from(proxy: &Nginx, from: &str, email: &str) -> u16 {
    let http = reqwest::Client::builder()
        .local_address(from.parse::<std::net::IpAddr>().expect("address"))
        .build()
        .expect("client");
    let answer = http
        .post(format!("{}/api/v1/auth/code", proxy.url()))
        .json(&serde_json::json!({ "email": email }))
        .send()
        .await
        .expect("answered");
    answer.status().as_u16()
}

#[test]
fn the_app_keeps_working_through_nginx_when_an_instance_is_killed() {
    let Some(program) = nginx::binary() else {
        return;
    };
    if !postgres::available() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let home = tempfile::tempdir().expect("home");
    let database = postgres::fresh_database();
    let (mut first, second) = rt.block_on(async {
        let first = instance(&home.path().join("a"), &database, true).await;
        let second = instance(&home.path().join("b"), &database, false).await;
        (first, second)
    });
    let proxy = Nginx::start(&program, [first.port, second.port]);
    rt.block_on(until_healthy(&format!("{}/api/v1", proxy.url())));

    let dirs = Dirs::new();
    login_to(&dirs, &proxy.url(), common::SAM);
    let mut app = App::start(&dirs, &[], &[], (120, 40));
    app.wait_for_running("Unassigned");
    app.wait_for_running("● online");
    app.send("/owner:none");
    app.wait_for_running("/owner:none");
    app.send("\r");
    app.wait_for_running("Enter open ticket");
    app.send("\r");
    let screen = app.wait_for_running("── description");
    let id: i64 = number_after(&screen, "Ticket #");
    assert!(screen.contains("Owner     unassigned"), "{screen}");
    app.send("A");
    app.wait_for_running("Owner     Sam Carter");

    let replies: Vec<String> = (0..REPLIES)
        .map(|i| format!("Through nginx, reply {i} of {REPLIES}."))
        .collect();
    for (i, reply) in replies.iter().enumerate() {
        app.send("r");
        app.wait_for_running(&format!("Reply to #{id}"));
        app.send(reply);
        app.wait_for_running(reply);
        app.send("\x13");
        app.wait_until("the composer to close", |s| !s.contains("Reply to #"));
        if i == KILLED_AFTER {
            first.kill_9();
        }
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while stored(&database, id, &replies) != (vec![1; REPLIES], common::SAM.to_string()) {
        assert!(
            Instant::now() < deadline,
            "the app's work in the database: {:?}; the screen shows:\n{}",
            stored(&database, id, &replies),
            app.contents()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    app.wait_until("the outbox to drain", |s| {
        s.contains("● online") && !s.contains(" pending")
    });
    assert_eq!(
        stored(&database, id, &replies),
        (vec![1; REPLIES], common::SAM.to_string()),
        "each reply and the assignment stored exactly once"
    );
    let log = proxy.error_log();
    assert!(
        log.contains(&format!("upstream: \"http://127.0.0.1:{}", first.port)),
        "nginx found the killed instance failed: {log}"
    );

    // A change by someone else, made on the surviving instance, reaches the app live.
    app.send("\x1b");
    app.wait_for_running("Tickets ·");
    app.send("/");
    app.wait_for_running("typing replaces it");
    app.send(&format!("#{id} "));
    app.send("\r");
    app.wait_for_running(&format!("▶  #{id} "));
    let renamed = "Renamed by Ada on the surviving instance";
    let changed = rt.block_on(async {
        let ada = api(&format!("http://127.0.0.1:{}", second.port), common::ADA).await;
        let version = ada.ticket(id).await.expect("the ticket").version;
        let patch = TicketPatch::Staff(StaffTicketPatch {
            subject: Some(renamed.into()),
            ..Default::default()
        });
        let version = version.expect("a version");
        ada.patch_ticket(id, version, &patch, None)
            .await
            .expect("Ada's change");
        Instant::now()
    });
    app.wait_for_running(renamed);
    eprintln!(
        "a change on the surviving instance to the app's screen through nginx: {:?}",
        changed.elapsed()
    );

    // Rate limits count the address nginx saw, not nginx's own: one client using up its
    // code requests (30 an hour) leaves another one alone.
    rt.block_on(async {
        for i in 0..30 {
            let email = format!("client{i}@example.test");
            assert_eq!(
                code_from(&proxy, "127.0.0.2", &email).await,
                202,
                "code {i}"
            );
        }
        let refused = code_from(&proxy, "127.0.0.2", "more@example.test").await;
        assert_eq!(refused, 429, "the 31st code request of one client");
        let other = code_from(&proxy, "127.0.0.3", "more@example.test").await;
        assert_eq!(other, 202, "another client behind the same nginx");
    });
    app.wait_for_running("● online");
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "the app ended with {status:?}");
}
