//! kill -9 of `deskport serve` with mail queued: after the restart each mail is sent, once,
//! and `deskport mail queue` shows it waiting before and sent after.

mod common;
mod mail_support;

use common::process::{deskport, free_port, listen_address_in_log, until_healthy};
use mail_support::{Sink, received, wait_for_mails};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `deskport serve` on a free port over `data`, mailing to `smtp_port`, logging to `log`.
fn serve(home: &Path, data: &Path, smtp_port: u16, log: &Path) -> Child {
    deskport(home)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--demo-tickets",
            "5",
        ])
        .arg("--data-dir")
        .arg(data)
        .arg("--smtp")
        .arg(format!("smtp://127.0.0.1:{smtp_port}"))
        .env("RUST_LOG", "info")
        .stderr(Stdio::from(std::fs::File::create(log).expect("log")))
        .spawn()
        .expect("deskport serve starts")
}

/// `deskport mail queue --json` over `data`.
fn mail_queue(home: &Path, data: &Path) -> Vec<Value> {
    let out = deskport(home)
        .args(["mail", "queue", "--json", "--data-dir"])
        .arg(data)
        .stdout(Stdio::piped())
        .output()
        .expect("deskport mail queue runs");
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_queued_when_the_server_is_killed_is_sent_once_after_the_restart() {
    if !mail_support::available() {
        return;
    }
    let home = tempfile::tempdir().expect("home");
    let data = home.path().join("data");
    let port = free_port();
    let first_log = home.path().join("first.log");
    let mut server = serve(home.path(), &data, port, &first_log);
    let base = listen_address_in_log(&first_log);
    until_healthy(&base).await;
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/auth/login"))
        .json(&json!({"email": common::SAM, "password": common::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("JSON");
    let token = login["token"].as_str().expect("token").to_string();
    for ticket in [1, 2] {
        let answer = http
            .post(format!("{base}/tickets/{ticket}/messages"))
            .bearer_auth(&token)
            .json(&json!({"body": format!("answer to {ticket}"), "internal": false}))
            .send()
            .await
            .expect("reply");
        assert_eq!(answer.status(), 201);
    }
    // Both are tried (the sink is not there yet) and wait, with the reason.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let queue = mail_queue(home.path(), &data);
        let tried = queue.iter().all(|m| {
            m["state"] == "queued" && m["last_error"].as_str().is_some_and(|e| !e.is_empty())
        });
        if queue.len() == 2 && tried {
            break;
        }
        assert!(Instant::now() < deadline, "{queue:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().expect("kill -9");
    server.wait().expect("reaped");

    let maildir = home.path().join("maildir");
    let sink = Sink::start(port, &maildir);
    let second_log = home.path().join("second.log");
    let mut server = serve(home.path(), &data, port, &second_log);
    until_healthy(&listen_address_in_log(&second_log)).await;
    let mails = wait_for_mails(&maildir, 2).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(received(&maildir).len(), 2, "each mail once");
    for ticket in [1, 2] {
        let text = format!("answer to {ticket}");
        assert_eq!(mails.iter().filter(|m| m.contains(&text)).count(), 1);
    }
    let queue = mail_queue(home.path(), &data);
    assert!(queue.iter().all(|m| m["state"] == "sent"), "{queue:#?}");
    let _ = server.kill();
    let _ = server.wait();
    drop(sink);
}
