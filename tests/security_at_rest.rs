//! No secret at rest, no replayable secret: answers that carry a session token are never kept
//! for `Idempotency-Key` replays; refused requests are not kept at all (they cannot fill the
//! disk); one-time codes are stored as HMAC-SHA256 under `server.key`, a 0600 file beside the
//! database that the server refuses to use when others may read it.

mod common;

use common::*;
use deskport::server::security::digest;
use serde_json::json;
use std::time::Duration;

fn database(ts: &TestServer) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(deskport::server::database_path(&ts.data_dir()))
        .expect("open the database");
    db.busy_timeout(Duration::from_secs(5)).expect("timeout");
    db
}

#[tokio::test]
async fn a_sign_in_with_an_idempotency_key_is_neither_kept_nor_replayed() {
    let ts = demo_server(20).await;
    let key = [("idempotency-key", "sign-in-1")];
    let body = json!({"email": CARLA, "password": DEMO_PASSWORD});
    let first = ts
        .call("POST", "/auth/login", None, Some(body.clone()), &key)
        .await;
    let second = ts.call("POST", "/auth/login", None, Some(body), &key).await;
    assert_eq!((first.status, second.status), (200, 200));
    let token = first.body["token"].as_str().expect("token");
    assert_ne!(Some(token), second.body["token"].as_str(), "a new session");
    assert_eq!(second.header("idempotent-replayed"), "");
    let db = database(&ts);
    let kept: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM idempotency WHERE instr(CAST(body AS TEXT), ?1) > 0 OR key = 'sign-in-1'",
            [token],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(kept, 0, "no answer with the token is kept");
    let sessions: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = ?1",
            [digest(token)],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(sessions, 1, "only the token's hash is at rest");
}

fn database_bytes(ts: &TestServer) -> u64 {
    ["deskport.db", "deskport.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(ts.data_dir().join(f)).ok())
        .map(|m| m.len())
        .sum()
}

#[tokio::test]
async fn refused_writes_with_fresh_keys_do_not_fill_the_disk() {
    let ts = demo_server(20).await;
    let carla = ts.demo_login(CARLA).await;
    let fields: serde_json::Map<String, serde_json::Value> = (0..720)
        .map(|i| (format!("unknown_field_{i}"), json!("x".repeat(1000))))
        .collect();
    let body = json!({"subject": "Big", "description": "Big", "form_fields": fields});
    // Settle what signing in wrote, then measure.
    database(&ts)
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let before = database_bytes(&ts);
    for i in 0..5 {
        let key = format!("fresh-{i}");
        let a = ts
            .call(
                "POST",
                "/tickets",
                Some(&carla),
                Some(body.clone()),
                &[("idempotency-key", &key)],
            )
            .await;
        assert_error(&a, 400);
    }
    let grown = database_bytes(&ts).saturating_sub(before);
    assert!(grown < 100 * 1024, "the database grew by {grown} bytes");
    let kept: i64 = database(&ts)
        .query_row("SELECT COUNT(*) FROM idempotency", [], |r| r.get(0))
        .expect("count");
    assert_eq!(kept, 0, "no refusal is kept");
}

#[tokio::test]
async fn a_copy_of_the_database_confirms_no_code() {
    let ts = demo_server(20).await;
    let asked = ts
        .call(
            "POST",
            "/auth/code",
            None,
            Some(json!({"email": GINA})),
            &[],
        )
        .await;
    assert_eq!(asked.status, 202);
    let code = code_in(&mails(&ts.data_dir()).await[0]);
    let stored: String = database(&ts)
        .query_row(
            "SELECT code_hash FROM codes WHERE email = ?1 AND purpose = 'login'",
            [GINA],
            |r| r.get(0),
        )
        .expect("a stored code");
    assert_ne!(stored, digest(&code));
    assert!(
        (0..1_000_000).all(|n| digest(&format!("{n:06}")) != stored),
        "no six-digit code hashes to what is stored"
    );
    let verify = json!({"email": GINA, "code": code});
    let a = ts
        .call("POST", "/auth/verify", None, Some(verify), &[])
        .await;
    assert_eq!(a.status, 200, "the code still signs in: {}", a.text);
}

#[test]
fn the_code_key_is_private_and_a_readable_one_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let key = data.join("server.key");
    std::fs::write(&key, [7u8; 32]).expect("key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .output()
        .expect("deskport runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("server.key") && said.contains("chmod 600"),
        "{said}"
    );
}

#[tokio::test]
async fn a_started_server_keeps_its_code_key_private() {
    use std::os::unix::fs::PermissionsExt;
    let ts = demo_server(20).await;
    let mode = std::fs::metadata(ts.data_dir().join("server.key"))
        .expect("server.key exists")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        std::fs::read(ts.data_dir().join("server.key"))
            .expect("read")
            .len(),
        32
    );
}
