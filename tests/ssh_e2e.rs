//! End-to-end tests of `deskport serve --ssh` (tests/common/ssh.rs): the real server binary,
//! and the real OpenSSH client in a pseudo-terminal, its screen read with vt100. Signing in is
//! in ssh_sign_in_e2e.rs.

mod common;

use common::process::free_port;
use common::pty::App;
use common::pty::number_after;
use common::ssh::{SshPortal, sign_in, ssh_client};
use common::{ADA, CARLA, DEMO_PASSWORD, SAM};
use deskport::client::{ApiClient, ApiError, login};
use std::time::{Duration, Instant};

const SIZE: (u16, u16) = (100, 30);

/// How many cells of the screen have a colour of their own.
fn coloured_cells(app: &App) -> usize {
    let parser = app.parser();
    let screen = parser.screen();
    let (rows, columns) = screen.size();
    (0..rows)
        .flat_map(|r| (0..columns).map(move |c| (r, c)))
        .filter_map(|(r, c)| screen.cell(r, c))
        .filter(|cell| {
            cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
        })
        .count()
}

/// The text of the screen's row `row`.
fn row(app: &App, row: u16) -> String {
    let parser = app.parser();
    let (_, columns) = parser.screen().size();
    parser
        .screen()
        .rows(0, columns)
        .nth(usize::from(row))
        .unwrap_or_default()
}

#[test]
fn a_customer_signs_in_sees_their_tickets_and_a_resize_redraws() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let mut app = App::spawn(portal.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut app, CARLA, DEMO_PASSWORD);
    let screen = app.wait_for_running("Your tickets · ");
    assert!(screen.contains("carla@acme.test · customer"), "{screen}");
    assert!(!screen.contains("Routing"), "{screen}");
    let bottom = row(&app, SIZE.1 - 1);
    assert!(
        bottom.contains("q quit"),
        "the key hints on the last row: {bottom}"
    );

    app.resize((120, 40));
    app.wait_until("the key hints on the new last row", |_| {
        row(&app, 39).contains("q quit")
    });
    let old_last = row(&app, SIZE.1 - 1);
    assert!(!old_last.contains("q quit"), "{old_last}");

    app.send("\x03");
    let status = app.wait_exit();
    assert!(
        status.success(),
        "quitting the app ends ssh cleanly: {status:?}"
    );
    let sessions = std::fs::read_dir(portal.data.join("ssh-sessions")).unwrap();
    assert_eq!(sessions.count(), 0, "the session's cache is removed");
}

#[test]
fn commands_and_subsystems_are_refused() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    for extra in [&["ls", "/"][..], &["-s", "sftp"][..]] {
        let mut app = App::spawn(portal.ssh(dir.path(), extra), SIZE, ());
        sign_in(&mut app, CARLA, DEMO_PASSWORD);
        let status = app.wait_exit();
        assert!(!status.success(), "{extra:?} must fail");
        let screen = app.contents();
        assert!(
            screen.contains("serves only its app"),
            "{extra:?}: {screen}"
        );
        assert!(!screen.contains("Your tickets"), "{extra:?}: {screen}");
    }
}

#[test]
fn the_host_key_is_made_once_kept_private_and_kept_across_restarts() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let first = SshPortal::start(dir.path(), "one", port);
    let fingerprint = first.fingerprint.clone();
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    // The client takes the key on first sight into its known_hosts…
    let mut app = App::spawn(first.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut app, CARLA, DEMO_PASSWORD);
    app.wait_for_running("Your tickets · ");
    drop(app);
    let key = first.data.join("ssh_host_ed25519_key");
    drop(first);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let second = SshPortal::start(dir.path(), "two", port);
    assert_eq!(second.fingerprint, fingerprint);
    // …and checks it after the restart: a changed key would stop it before the prompts.
    let mut again = App::spawn(second.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut again, CARLA, DEMO_PASSWORD);
    again.wait_for_running("Your tickets · ");
}

#[test]
fn signing_out_everywhere_ends_the_ssh_session() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let mut app = App::spawn(portal.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut app, CARLA, DEMO_PASSWORD);
    app.wait_for_running("Your tickets · ");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let session = login(&portal.api, CARLA, DEMO_PASSWORD).await.unwrap();
        let api = ApiClient::new(&portal.api)
            .unwrap()
            .with_token(session.token);
        api.logout_all().await.unwrap();
    });
    // The app is not left on a sign-in form for anyone at that terminal: the session ends.
    app.wait_exit();
    assert!(
        !app.contents().contains("Sign in to deskport"),
        "{}",
        app.contents()
    );
}

#[test]
fn no_color_or_a_colourless_term_draws_without_colour() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let mut coloured = App::spawn(portal.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut coloured, CARLA, DEMO_PASSWORD);
    coloured.wait_for_running("Your tickets · ");
    assert!(coloured_cells(&coloured) > 0, "the theme has colours");

    let options = ["-o", "SetEnv=NO_COLOR=1"];
    let mut plain = App::spawn(portal.ssh_with(dir.path(), &options, &[]), SIZE, ());
    sign_in(&mut plain, CARLA, DEMO_PASSWORD);
    let screen = plain.wait_for_running("Your tickets · ");
    assert_eq!(coloured_cells(&plain), 0, "{screen}");

    // A terminal without colours, named by the TERM the client sends in its pty request.
    for term in ["dumb", "vt100"] {
        let mut cmd = portal.ssh(dir.path(), &[]);
        cmd.env("TERM", term);
        let mut plain = App::spawn(cmd, SIZE, ());
        sign_in(&mut plain, CARLA, DEMO_PASSWORD);
        let screen = plain.wait_for_running("Your tickets · ");
        assert_eq!(coloured_cells(&plain), 0, "TERM={term}: {screen}");
        plain.send("\x03");
        plain.wait_exit();
    }
}

#[test]
fn the_external_editor_is_off_over_ssh_and_says_so() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let mut app = App::spawn(portal.ssh(dir.path(), &[]), (120, 40), ());
    sign_in(&mut app, SAM, DEMO_PASSWORD);
    let screen = app.wait_for_running("Preview");
    let id: i64 = number_after(&screen, "▶  #");
    app.send("r");
    app.wait_for(&format!("Reply to #{id}"));
    app.send("Typed over SSH.");
    app.send("\x05");
    let screen = app.wait_for("off over SSH");
    assert!(
        screen.contains("Typed over SSH."),
        "the draft stays: {screen}"
    );
    assert!(
        !dir.path().join("editor-ran").exists(),
        "the server's $EDITOR ran for an SSH user"
    );
}

#[test]
fn a_fifth_session_of_one_account_is_refused_with_a_message() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let mut open = Vec::new();
    for _ in 0..4 {
        let mut app = App::spawn(portal.ssh(dir.path(), &[]), SIZE, ());
        sign_in(&mut app, CARLA, DEMO_PASSWORD);
        app.wait_for_running("Your tickets · ");
        open.push(app);
    }
    let mut fifth = App::spawn(portal.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut fifth, CARLA, DEMO_PASSWORD);
    let status = fifth.wait_exit();
    assert!(!status.success());
    let screen = fifth.contents();
    assert!(screen.contains("already has 4 sessions open"), "{screen}");

    // Quitting one frees its seat.
    open[0].send("\x03");
    open[0].wait_exit();
    let mut again = App::spawn(portal.ssh(dir.path(), &[]), SIZE, ());
    sign_in(&mut again, CARLA, DEMO_PASSWORD);
    again.wait_for_running("Your tickets · ");
}

#[test]
fn a_port_forward_is_refused() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let local = free_port();
    let api_port = portal.api.rsplit(':').next().unwrap().to_string();
    let forward = format!("{local}:127.0.0.1:{api_port}");
    let options = ["-N", "-L", forward.as_str()];
    let mut app = App::spawn(portal.ssh_with(dir.path(), &options, &[]), SIZE, ());
    sign_in(&mut app, CARLA, DEMO_PASSWORD);
    // Once ssh listens on the local port, a request through it must not reach the API.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut stream = loop {
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", local)) {
            break stream;
        }
        assert!(
            Instant::now() < deadline,
            "ssh never listened: {}",
            app.contents()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    use std::io::{Read as _, Write as _};
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /api/v1/healthz HTTP/1.0\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
}

#[test]
fn a_registered_key_signs_in_without_a_password_until_it_is_deleted() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let key = dir.path().join("id_ed25519");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "carla@laptop", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs");
    assert!(made.success());
    let line = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (api, id) = rt.block_on(async {
        let session = login(&portal.api, CARLA, DEMO_PASSWORD).await.unwrap();
        let api = ApiClient::new(&portal.api)
            .unwrap()
            .with_token(session.token);
        let added = api.add_ssh_key(&line).await.unwrap();
        (api, added.id)
    });
    let key = key.to_string_lossy().into_owned();
    let with_key = || {
        // Options given first win: these override the keyboard-interactive-only defaults.
        let options = [
            "-i",
            key.as_str(),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "PubkeyAuthentication=yes",
            "-o",
            "PreferredAuthentications=publickey,keyboard-interactive",
        ];
        portal.ssh_with(dir.path(), &options, &[])
    };
    let mut app = App::spawn(with_key(), SIZE, ());
    // Nothing is typed: the key alone opens the app, signed in as its owner.
    let screen = app.wait_for_running("Your tickets · ");
    assert!(screen.contains("carla@acme.test · customer"), "{screen}");
    app.send("\x03");
    assert!(app.wait_exit().success());

    rt.block_on(api.delete_ssh_key(id)).unwrap();
    let mut refused = App::spawn(with_key(), SIZE, ());
    refused.wait_for("Email:");
    refused.send("\x03");
    refused.wait_exit();
    assert!(!refused.contents().contains("Your tickets"));
}

#[test]
fn admins_read_the_printed_host_key_fingerprint_from_the_api_and_others_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let api = |token: String| ApiClient::new(&portal.api).unwrap().with_token(token);
        let ada = login(&portal.api, ADA, DEMO_PASSWORD).await.unwrap();
        let status = api(ada.token).ssh_status().await.unwrap();
        let ssh = status.ssh.expect("served with SSH, the answer says where");
        assert_eq!(ssh.fingerprint, portal.fingerprint);
        assert_eq!(ssh.address, format!("127.0.0.1:{}", portal.port));
        for email in [SAM, CARLA] {
            let session = login(&portal.api, email, DEMO_PASSWORD).await.unwrap();
            let refused = api(session.token).ssh_status().await;
            assert!(
                matches!(refused, Err(ApiError::Forbidden { .. })),
                "{email}: {refused:?}"
            );
        }
    });
}
