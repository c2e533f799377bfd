//! What a new user of the command line meets, through the real binary: errors as one plain
//! line with the documented exit code (no colour, location or backtrace, even with
//! `RUST_BACKTRACE=1`), an unreachable server said once with the cache's time, a pipe closed
//! early (`| head`) ending quietly, connecting and removing domains, and signing in with an
//! emailed code.

mod common;

use common::process::{Dirs, free_port};
use common::{ADA, CARLA, DEMO_PASSWORD, SAM, code_in, demo_server, mails};
use serde_json::json;
use std::process::Output;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Asserts `out` failed with `code` and one plain line on stderr; returns that line.
#[track_caller]
fn failed_with(out: &Output, code: i32) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with("deskport: ")
            && !stderr.contains('\u{1b}')
            && !stderr.contains("Location")
            && !stderr.contains("Backtrace")
            && !stderr.contains("Error:"),
        "plain: {stderr:?}"
    );
    stderr.trim_end().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_one_plain_line_with_the_documented_exit_code() {
    let ts = demo_server(20).await;
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    let login = [
        "login",
        "--server",
        &url,
        "--email",
        ADA,
        "--password-stdin",
    ];
    for env in [&[][..], &[("RUST_BACKTRACE", "1"), ("NO_COLOR", "")][..]] {
        let wrong = dirs.run_with(&login, Some("nope\n"), env).await;
        assert_eq!(
            failed_with(&wrong, 3),
            "deskport: wrong email or password",
            "{env:?}"
        );
    }
    let signed_out = dirs.run(&["tickets"], None).await;
    assert!(failed_with(&signed_out, 3).contains("deskport login"));
    let usage = dirs.run(&["portal", "set", "name"], None).await;
    assert_eq!(usage.status.code(), Some(2), "clap's usage error");

    let help = dirs.ok(&["--help"], None).await.0;
    for line in [
        "Exit codes:",
        "3  not signed in",
        "4  the server cannot be reached",
        "5  not allowed",
    ] {
        assert!(help.contains(line), "{line}: {help}");
    }

    dirs.login(&url, SAM, DEMO_PASSWORD).await;
    let agent = dirs.run(&["portal", "set", "name", "Mine"], None).await;
    assert!(failed_with(&agent, 5).contains("only admins"));

    let nobody = format!("http://127.0.0.1:{}", free_port());
    let login = [
        "login",
        "--server",
        &nobody,
        "--email",
        ADA,
        "--password-stdin",
    ];
    let unreachable = dirs.run(&login, Some("x\n")).await;
    assert_eq!(
        failed_with(&unreachable, 4),
        format!("deskport: cannot reach {nobody} (connection refused)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_said_once_with_the_time_of_the_cache() {
    let ts = demo_server(20).await;
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    dirs.login(&url, ADA, DEMO_PASSWORD).await;
    dirs.ok(&["sync"], None).await;
    let common::TestServer { server, dir, .. } = ts;
    server.stop().await.expect("server stops");

    let (out, err) = dirs.ok(&["tickets"], None).await;
    assert!(out.contains("20 tickets"), "{out}");
    let prefix =
        format!("deskport: cannot reach {url} (connection refused); showing the cache as of ");
    let when = err
        .trim_end()
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{err:?} starts with {prefix:?}"));
    let shape: String = when
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    assert!(
        shape == "99:99:99" || shape == "9999-99-99 99:99",
        "a local time: {when:?}"
    );

    let sync = dirs.run(&["sync"], None).await;
    assert_eq!(
        failed_with(&sync, 4),
        format!("deskport: cannot reach {url} (connection refused)")
    );
    drop(dir);
}

/// Reads a little of `args`' output, closes the pipe and returns how the command ended.
async fn read_a_little_then_close(dirs: &Dirs, args: &[&str]) -> Output {
    let mut child = dirs.spawn(args, &[]);
    drop(child.stdin.take());
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).await.expect("some output");
    drop(stdout);
    child.wait_with_output().await.expect("deskport ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipe_closed_early_ends_the_command_quietly() {
    // 1 000 tickets are well over the 64 KiB a pipe holds, as a table and as JSON.
    let ts = demo_server(1000).await;
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    dirs.login(&url, ADA, DEMO_PASSWORD).await;
    dirs.ok(&["sync"], None).await;
    for args in [&["tickets"][..], &["tickets", "--json"][..]] {
        let out = read_a_little_then_close(&dirs, args).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stderr), "", "{args:?}: nothing on stderr");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domains_are_connected_listed_and_removed() {
    let ts = demo_server(20).await;
    let url = format!("http://{}", ts.server.addr);
    let admin = Dirs::new();
    admin.login(&url, ADA, DEMO_PASSWORD).await;

    let refused = admin
        .run(&["portal", "set", "domain", "help.acme.test"], None)
        .await;
    let line = failed_with(&refused, 1);
    assert!(
        line.contains("not a connected domain")
            && line.contains("deskport portal domain add help.acme.test --language LANG"),
        "{line}"
    );
    let (out, _) = admin
        .ok(
            &[
                "portal",
                "domain",
                "add",
                "Help.Acme.test",
                "--language",
                "de",
            ],
            None,
        )
        .await;
    assert!(
        out.contains("Connected help.acme.test (language de)"),
        "{out}"
    );
    admin
        .ok(&["portal", "set", "domain", "help.acme.test"], None)
        .await;
    let (show, _) = admin.ok(&["portal", "show"], None).await;
    for listed in [
        "connected domains: acme-help.deskport-sites.test (en, system)",
        "help.acme.test (de, in use)",
        "support.deskport.test (en)",
    ] {
        assert!(show.contains(listed), "{listed}: {show}");
    }

    let in_use = admin
        .run(&["portal", "domain", "rm", "help.acme.test"], None)
        .await;
    assert!(failed_with(&in_use, 1).contains("the portal is served on it"));
    let system = admin
        .run(
            &["portal", "domain", "rm", "acme-help.deskport-sites.test"],
            None,
        )
        .await;
    assert!(failed_with(&system, 1).contains("system domain"));
    let unknown = admin
        .run(&["portal", "domain", "rm", "nowhere.test"], None)
        .await;
    assert!(failed_with(&unknown, 1).contains("not a connected domain"));
    admin
        .ok(&["portal", "set", "domain", "support.deskport.test"], None)
        .await;
    let (out, _) = admin
        .ok(&["portal", "domain", "rm", "help.acme.test"], None)
        .await;
    assert!(out.contains("Removed help.acme.test."), "{out}");
    let (show, _) = admin.ok(&["portal", "show"], None).await;
    assert!(!show.contains("help.acme.test"), "{show}");

    admin
        .ok(
            &[
                "portal",
                "set",
                "ticket-permission",
                "contact-filter:plan=gold",
            ],
            None,
        )
        .await;
    let (show, _) = admin.ok(&["portal", "show"], None).await;
    assert!(show.contains("contact-filter (1 condition)"), "{show}");
    let (help, _) = admin.ok(&["portal", "set", "--help"], None).await;
    assert!(
        help.contains("configured on|off") && help.contains("setup wizard"),
        "{help}"
    );

    let agent = Dirs::new();
    agent.login(&url, SAM, DEMO_PASSWORD).await;
    let not_admin = agent
        .run(&["portal", "domain", "add", "x.acme.test"], None)
        .await;
    assert!(failed_with(&not_admin, 5).contains("only admins"));
}

/// The sign-in code last mailed to `email` by the server with data dir `data`.
async fn mailed_code(data: &std::path::Path, email: &str) -> String {
    let started = Instant::now();
    loop {
        let to_them = mails(data)
            .await
            .into_iter()
            .rfind(|m| m.contains(&format!("To: {email}")) && m.contains("sign-in code"));
        if let Some(mail) = to_them {
            return code_in(&mail);
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no code mailed to {email}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_an_emailed_code() {
    let ts = demo_server(20).await;
    let url = format!("http://{}", ts.server.addr);
    let carla = Dirs::new();
    let args = [
        "login",
        "--server",
        &url,
        "--email",
        CARLA,
        "--code",
        "--code-stdin",
    ];

    let mut child = carla.spawn(&args, &[]);
    let code = mailed_code(&ts.data_dir(), CARLA).await;
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{code}\n").as_bytes())
        .await
        .expect("code");
    drop(stdin);
    let out = child.wait_with_output().await.expect("deskport ends");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Signed in"),
        "{}",
        text(&out.stdout)
    );
    let (tickets, _) = carla.ok(&["tickets", "--json"], None).await;
    assert!(tickets.starts_with('['), "{tickets}");

    let wrong = carla.run(&args, Some("000000\n")).await;
    let line = text(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(3), "{line}");
    assert!(
        line.trim_end().ends_with("deskport: wrong or expired code"),
        "{line}"
    );
    let no_terminal = carla.run(&args[..6], None).await;
    assert!(failed_with(&no_terminal, 1).contains("use --code-stdin"));

    let admin = ts.demo_login(ADA).await;
    let off = json!({"access": {"mode": "invite_only", "passwordless": false, "idle_timeout_minutes": 60}});
    ts.set_portal(&admin, off).await;
    let refused = carla.run(&args, Some("000000\n")).await;
    assert!(failed_with(&refused, 5).contains("does not allow sign-in with an emailed code"));
}

/// An empty password is a slip: pointed out at once and never sent, so however often it
/// happens it cannot lock the account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_password_is_pointed_out_and_never_sent() {
    let ts = demo_server(20).await;
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    let login = [
        "login",
        "--server",
        &url,
        "--email",
        ADA,
        "--password-stdin",
    ];
    for _ in 0..11 {
        let empty = dirs.run(&login, Some("\n")).await;
        assert_eq!(failed_with(&empty, 1), "deskport: enter a password");
    }
    dirs.login(&url, ADA, DEMO_PASSWORD).await;
}

/// `staff unlock` on a mistyped data dir says so and creates nothing there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_unlock_refuses_a_data_dir_without_a_portal() {
    let dirs = Dirs::new();
    let parent = tempfile::tempdir().expect("temp dir");
    let missing = parent.path().join("no-such-portal");
    let path = missing.to_string_lossy().to_string();
    let out = dirs
        .run(
            &["staff", "unlock", "--data-dir", &path, "--email", ADA],
            None,
        )
        .await;
    assert!(failed_with(&out, 1).contains("no portal in"));
    assert!(!missing.exists(), "nothing created");
}
