//! `deskport migrate`: a SQLite portal with writes of every kind on top of the demo data is
//! moved into an empty PostgreSQL database by the real binary, and a server on PostgreSQL then
//! gives the same answers as the SQLite server gave before: lists, threads, settings, the sync
//! feed from the start and from a client's old cursor. Sessions, passwords and the code key
//! move too; a second move into the now full database, and a move from a data dir without a
//! portal, are refused.

mod common;

use common::process::deskport;
use common::{ADA, CARLA, DAN, DEMO_PASSWORD, TestServer, postgres, server_on};
use deskport::server::{ServerConfig, start};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Output, Stdio};

/// One answer of the API, as compared across the move.
#[derive(Debug, PartialEq)]
struct Read {
    what: String,
    status: u16,
    etag: String,
    body: Value,
}

/// Everything compared across the move, read as `admin` and as the customer `carla`; `mid`
/// holds each one's cursor from before the extra writes (a client that last synced then).
async fn read_all(
    ts: &TestServer,
    admin: &str,
    carla: &str,
    mid: &[String; 2],
    ticket: i64,
) -> Vec<Read> {
    let mut out = Vec::new();
    let paths = [
        "/tickets?limit=500",
        "/inboxes",
        "/routing-rules",
        "/portal",
        "/domains",
        "/users",
        "/contacts",
        "/companies",
        &format!("/tickets/{ticket}"),
        &format!("/tickets/{ticket}/original"),
    ];
    for (who, token) in [("staff", admin), ("customer", carla)] {
        for path in paths {
            let a = ts.get(path, token).await;
            out.push(Read {
                what: format!("GET {path} as {who}"),
                status: a.status,
                etag: a.header("etag"),
                body: a.body,
            });
        }
    }
    for (i, (who, token)) in [("staff", admin), ("customer", carla)]
        .into_iter()
        .enumerate()
    {
        for (from, cursor) in [("the start", ""), ("an old cursor", mid[i].as_str())] {
            let (pages, end) = ts.sync_all(token, cursor, 50).await;
            out.push(Read {
                what: format!("/sync as {who} from {from}"),
                status: 200,
                etag: end,
                body: Value::Array(pages),
            });
        }
    }
    out
}

fn migrate(data_dir: &Path, url: &str) -> Output {
    let home = tempfile::tempdir().expect("home");
    deskport(home.path())
        .args(["migrate", "--from-data-dir"])
        .arg(data_dir)
        .args(["--to", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("deskport migrate runs")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_moved_portal_answers_as_before_and_clients_keep_their_cursors() {
    if !postgres::available() {
        return;
    }
    let sqlite = server_on(None, true, 120).await;
    let admin = sqlite.demo_login(ADA).await;
    let carla = sqlite.demo_login(CARLA).await;
    let (_, admin_mid) = sqlite.sync_all(&admin, "", 50).await;
    let (_, carla_mid) = sqlite.sync_all(&carla, "", 50).await;

    // Writes on top of the demo data: a staff reply and an internal note on one of Carla's
    // tickets and Dan copied on it, another of hers closed, a rule, and a staff user removed.
    let carlas = sqlite.all_tickets(&carla).await;
    let ticket = carlas[0]["id"].as_i64().expect("id");
    let closed = carlas[1]["id"].as_i64().expect("id");
    for (body, internal) in [("We are on it", false), ("check the billing log", true)] {
        let path = format!("/tickets/{ticket}/messages");
        let a = sqlite
            .post(&path, &admin, json!({"body": body, "internal": internal}))
            .await;
        assert_eq!(a.status, 201, "{}", a.text);
    }
    sqlite
        .set_ticket(&admin, closed, json!({"stage": "closed"}))
        .await;
    let dan = sqlite.contact(&admin, DAN).await["id"].clone();
    let path = format!("/tickets/{ticket}/ccs");
    let etag = sqlite
        .get(&format!("/tickets/{ticket}"), &admin)
        .await
        .header("etag");
    let a = sqlite
        .call(
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"contact_ids": [dan]})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let rule = json!({"name": "Invoices", "match": "all",
                      "conditions": [{"field": "subject", "op": "contains", "value": "invoice"}],
                      "then": {"inbox_id": 2, "assign": "inbox_method"}});
    let a = sqlite.post("/routing-rules", &admin, rule).await;
    assert_eq!(a.status, 201, "{}", a.text);
    let users = sqlite.get("/users", &admin).await.body;
    let lin = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == "lin@deskport.test")
        .expect("Lin")["id"]
        .as_i64()
        .expect("id");
    let a = sqlite
        .call("DELETE", &format!("/users/{lin}"), Some(&admin), None, &[])
        .await;
    assert!(a.status < 300, "remove Lin: {}", a.text);

    // A received mail is kept whole beside the ticket it opened (as the SMTP listener and the
    // IMAP poller store it); its original must still be readable after the move, and its
    // Message-ID still known, so the same mail delivered again is not taken twice.
    let db = rusqlite::Connection::open(sqlite.dir.path().join("data").join("deskport.db"))
        .expect("the database opens");
    db.execute(
        "INSERT INTO inbound_mail (message_id, sender, subject, raw, outcome, ticket_id, note, received_at) \
         VALUES ('<moved@example.com>', 'carla@acme.test', 'Printer', 'Subject: Printer\r\n\r\njammed', \
         'opened', ?1, NULL, '2026-12-07T10:00:00Z')",
        [ticket],
    )
    .expect("a received mail is stored");
    drop(db);

    let mid = [admin_mid, carla_mid];
    let before = read_all(&sqlite, &admin, &carla, &mid, ticket).await;
    let thread = &before
        .iter()
        .find(|r| r.what == format!("GET /tickets/{ticket} as staff"))
        .expect("thread")
        .body;
    assert!(
        thread.to_string().contains("check the billing log"),
        "the note is in the thread: {thread}"
    );
    let original = &before
        .iter()
        .find(|r| r.what == format!("GET /tickets/{ticket}/original as staff"))
        .expect("original")
        .body;
    assert_eq!(original["raw"], "Subject: Printer\r\n\r\njammed");
    assert_eq!(thread["ccs"], json!([dan]), "Dan is copied: {thread}");
    let TestServer { server, dir, .. } = sqlite;
    server.stop().await.expect("the SQLite server stops");
    let data_dir = dir.path().join("data");

    let url = postgres::fresh_database();
    let out = migrate(&data_dir, &url);
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "migrate: {stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("tickets") && stdout.contains("120"),
        "the counts: {stdout}"
    );
    assert!(stdout.contains("code key was copied"), "{stdout}");
    assert!(stdout.contains("received mails"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.trim_start().starts_with("CCs on tickets") && l.trim_end().ends_with(" 1")),
        "the CC is counted: {stdout}"
    );

    let config = ServerConfig {
        data_dir: data_dir.clone(),
        demo: false,
        demo_tickets: 0,
        smtp: None,
        database: Some(url.clone()),
        trusted_proxy: None,
    };
    let server = start(&config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("the PostgreSQL server starts");
    let moved = TestServer {
        server,
        dir,
        http: reqwest::Client::new(),
        database: Some(url.clone()),
    };

    // The sessions moved with the portal, so the same tokens read the same answers: nothing
    // is left out of the comparison (ids, versions, ETags, cursors and times all move as
    // they are).
    let after = read_all(&moved, &admin, &carla, &mid, ticket).await;
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "{} differs after the move", b.what);
    }

    // A password moved with its hash, and the key one-time codes and reply addresses are
    // hashed with moved from the data dir's key file into the database.
    let fresh = moved.login(CARLA, DEMO_PASSWORD).await;
    assert_eq!(moved.get("/me", &fresh).await.status, 200);
    let key_file = std::fs::read(data_dir.join("server.key")).expect("the key file");
    let hex: String = key_file.iter().map(|b| format!("{b:02x}")).collect();
    let stored = postgres::query(
        &url,
        &["SELECT encode(value, 'hex') FROM server_secrets WHERE name = 'code_key'"],
    );
    assert_eq!(stored.trim(), hex);

    // New rows continue after the moved ones: a new ticket gets an id above every moved one,
    // and its change follows the moved change log, so a cursor reaches it.
    let (_, carla_now) = moved.sync_all(&carla, "", 50).await;
    let a = moved
        .post(
            "/tickets",
            &carla,
            json!({"subject": "After the move", "description": "hello"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let new_id = a.body["id"].as_i64().expect("id");
    let highest = before[0].body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .max()
        .expect("tickets");
    assert!(new_id > highest, "new ticket {new_id} after {highest}");
    let (pages, _) = moved.sync_all(&carla, &carla_now, 50).await;
    assert!(
        Value::Array(pages).to_string().contains("After the move"),
        "the new ticket reaches the old cursor"
    );

    // The database is a portal now: a second move into it is refused and changes nothing.
    let tickets = postgres::query(&url, &["SELECT COUNT(*) FROM tickets"]);
    let again = migrate(&data_dir, &url);
    let stderr = text(&again.stderr);
    assert!(!again.status.success());
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(
        postgres::query(&url, &["SELECT COUNT(*) FROM tickets"]),
        tickets
    );

    // A data dir without a portal is refused by name.
    let empty = tempfile::tempdir().expect("dir");
    let none = migrate(
        &empty.path().join("nothing-here"),
        &postgres::fresh_database(),
    );
    assert!(!none.status.success());
    assert!(
        text(&none.stderr).contains("nothing-here"),
        "{}",
        text(&none.stderr)
    );
    moved.server.stop().await.expect("stops");
}
