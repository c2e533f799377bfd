//! The real binary end to end: `login`, `sync`, `tickets` (online, `--json`, `--offline`, and
//! with the server gone) and `portal show|set`, with temporary data and config dirs.

mod common;

use common::process::{Dirs, files_under, login_args};
use common::{ADA, CARLA, DEMO_PASSWORD, demo_server};
use std::path::Path;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("exists").permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sync_tickets_portal_and_offline() {
    let ts = demo_server(300).await;
    let url = format!("http://{}", ts.server.addr);
    let admin = Dirs::new();

    admin.login(&url, ADA, DEMO_PASSWORD).await;
    let wrong = admin
        .run(
            &[
                "login",
                "--server",
                &url,
                "--email",
                ADA,
                "--password-stdin",
            ],
            Some("nope\n"),
        )
        .await;
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong email or password"));

    let (out, _) = admin.ok(&["sync"], None).await;
    let token = ts.demo_login(ADA).await;
    let total = ts.all_tickets(&token).await.len();
    assert!(out.contains(&format!("{total} tickets")), "{out}");
    let (out, _) = admin.ok(&["sync"], None).await;
    assert!(out.contains("Up to date"), "{out}");
    #[cfg(unix)]
    {
        for f in files_under(admin.config.path())
            .iter()
            .chain(files_under(admin.data.path()).iter())
        {
            if f.extension().is_some_and(|e| e == "json" || e == "sqlite") {
                assert_eq!(mode(f), 0o600, "{}", f.display());
            }
        }
    }

    let (out, _) = admin.ok(&["tickets", "--json"], None).await;
    let listed: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON list");
    assert_eq!(listed.len(), total);
    let (out, _) = admin.ok(&["tickets"], None).await;
    assert!(
        out.lines().count() > total,
        "a header, one line a ticket and a total: {out}"
    );

    admin
        .ok(&["portal", "set", "ticket-permission", "company"], None)
        .await;
    admin
        .ok(&["portal", "set", "name", "Acme Support"], None)
        .await;
    admin.ok(&["portal", "set", "slug", "help"], None).await;
    let (out, _) = admin.ok(&["portal", "show"], None).await;
    assert!(
        out.contains("Acme Support") && out.contains("/help") && out.contains("company"),
        "{out}"
    );
    let bad = admin.run(&["portal", "set", "slug", "-bad-"], None).await;
    assert!(!bad.status.success(), "an invalid slug is refused");

    // A customer sees their company's tickets now, and only those.
    let carla = Dirs::new();
    carla.login(&url, CARLA, DEMO_PASSWORD).await;
    let (out, _) = carla.ok(&["tickets", "--json"], None).await;
    let mine: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON list");
    let carla_token = ts.demo_login(CARLA).await;
    assert_eq!(mine.len(), ts.all_tickets(&carla_token).await.len());
    assert!(
        mine.iter().any(|t| t["own"] == false),
        "company mode shows colleagues' tickets"
    );
    let refused = carla
        .run(&["portal", "set", "name", "Mine now"], None)
        .await;
    assert!(
        !refused.status.success(),
        "customers cannot change settings"
    );

    // The server goes away: the cache still lists.
    let common::TestServer { server, dir, .. } = ts;
    server.stop().await.expect("server stops");
    let (out, _) = admin.ok(&["tickets", "--offline", "--json"], None).await;
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&out)
            .expect("JSON")
            .len(),
        total
    );
    let (out, err) = admin.ok(&["tickets"], None).await;
    assert!(err.contains("cannot reach http://"), "{err}");
    assert!(out.contains(&format!("{total} tickets")), "{out}");
    drop(dir);
}

/// A subject with a bidi override, zero-width characters and a NUL is stored as sent (the API
/// returns it unchanged) and `deskport tickets` prints it without them; `--json` keeps the
/// exact value, the invisible characters written as `\uXXXX` escapes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invisible_characters_are_stored_as_sent_and_printed_neutralised() {
    let ts = demo_server(20).await;
    let url = format!("http://{}", ts.server.addr);
    let admin_token = ts.demo_login(ADA).await;
    let carla = ts.contact(&admin_token, CARLA).await;
    let subject = "Pay \u{202e}gpj.exe\u{202c} now\u{200b}\u{200c}\u{2060}\u{feff}\u{0}!";
    let created = ts
        .post(
            "/tickets",
            &admin_token,
            serde_json::json!({"subject": subject, "description": "d", "contact_id": carla["id"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().expect("id");
    let stored = ts.get(&format!("/tickets/{id}"), &admin_token).await;
    assert_eq!(stored.body["subject"], subject, "stored as sent");

    let admin = Dirs::new();
    admin
        .ok(
            &[
                "login",
                "--server",
                &url,
                "--email",
                ADA,
                "--password-stdin",
            ],
            Some(&format!("{DEMO_PASSWORD}\n")),
        )
        .await;
    let (out, _) = admin.ok(&["tickets"], None).await;
    let row = out
        .lines()
        .find(|l| l.contains("gpj.exe"))
        .unwrap_or_else(|| panic!("the ticket is listed:\n{out}"));
    assert!(row.contains("Pay gpj.exe now!"), "{row:?}");
    assert!(
        !out.chars()
            .any(|c| deskport::domain::text::is_invisible_format(c) || c == '\0'),
        "{out:?}"
    );
    let (json, _) = admin.ok(&["tickets", "--json"], None).await;
    assert!(
        !json
            .chars()
            .any(deskport::domain::text::is_invisible_format),
        "escaped in the JSON text"
    );
    assert!(json.contains(r"\u202egpj.exe\u202c"), "{json}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON list");
    assert!(
        listed.iter().any(|t| t["subject"] == subject),
        "the exact value survives"
    );
}

/// The command line in the reader's language: staff and anyone not signed in read the
/// environment's (`LANG`), a customer their portal's (as the last sync brought it), and
/// `--json` is the same bytes in every language.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_speaks_the_readers_language_and_json_never_changes() {
    let ts = demo_server(40).await;
    let url = format!("http://{}", ts.server.addr);
    let lang = |tag: &'static str| [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", tag)];
    let (english, italian) = (lang("C.UTF-8"), lang("it_IT.UTF-8"));
    let text = |o: &std::process::Output| {
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };

    let nobody = Dirs::new();
    let out = nobody.run_with(&["tickets"], None, &italian).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out).1.contains("non hai eseguito l'accesso"),
        "{:?}",
        text(&out)
    );
    let wrong = nobody
        .run_with(&login_args(&url, ADA), Some("nope\n"), &italian)
        .await;
    assert!(
        text(&wrong).1.contains("email o password errati"),
        "{:?}",
        text(&wrong)
    );

    // Staff: the environment's language; the JSON does not change with it.
    let admin = Dirs::new();
    admin.login(&url, ADA, DEMO_PASSWORD).await;
    let (out, _) = text(&admin.run_with(&["sync"], None, &italian).await);
    assert!(out.contains("ticket"), "{out}");
    let (table, _) = text(&admin.run_with(&["tickets"], None, &italian).await);
    assert!(
        table.contains("OGGETTO") && table.contains("PRIORITÀ"),
        "{table}"
    );
    let (table, _) = text(&admin.run_with(&["tickets"], None, &english).await);
    assert!(
        table.contains("SUBJECT") && table.contains("PRIORITY"),
        "{table}"
    );
    let staff_json = json_in(&admin, english).await;
    assert_eq!(staff_json, json_in(&admin, italian).await, "byte-identical");

    // A customer: the portal's language, whatever the environment says.
    let carla = Dirs::new();
    let signed_in = carla
        .run_with(
            &login_args(&url, CARLA),
            Some(&format!("{DEMO_PASSWORD}\n")),
            &english,
        )
        .await;
    assert!(
        text(&signed_in).0.starts_with("Signed in to"),
        "{:?}",
        text(&signed_in)
    );
    let (table, _) = text(&carla.run_with(&["tickets"], None, &italian).await);
    assert!(
        table.contains("SUBJECT") && table.contains("UPDATED"),
        "an English portal: {table}"
    );
    let before = json_in(&carla, english).await;

    admin
        .ok(
            &["portal", "set", "domain", "assistenza.deskport.test"],
            None,
        )
        .await;
    let (out, _) = text(&carla.run_with(&["sync"], None, &english).await);
    assert!(
        out.contains("Impostazioni del portale: 1 modifica"),
        "what the sync brought decides: {out}"
    );
    let (table, _) = text(
        &carla
            .run_with(&["tickets", "--offline"], None, &english)
            .await,
    );
    assert!(
        table.contains("OGGETTO") && table.contains("AGGIORNATO") && table.contains("ticket"),
        "the Italian portal: {table}"
    );
    let first_row = table.lines().nth(1).unwrap_or_default();
    assert!(
        first_row.contains("/20"),
        "dates as Italian writes them: {table}"
    );
    let (shown, _) = text(&carla.run_with(&["portal", "show"], None, &english).await);
    assert!(shown.contains("lingua:") && shown.contains("it"), "{shown}");
    assert_eq!(before, json_in(&carla, english).await, "byte-identical");
    assert_eq!(before, json_in(&carla, italian).await, "byte-identical");
}

/// `deskport tickets --json --offline` in `dirs` with `env`, which must succeed: its bytes.
async fn json_in(dirs: &Dirs, env: [(&str, &str); 3]) -> Vec<u8> {
    let out = dirs
        .run_with(&["tickets", "--json", "--offline"], None, &env)
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
