//! The server's files stay private: the real `deskport serve` (and `staff add`), started
//! under a umask that would leave everything open, writes every file 0600 and every folder
//! 0700 — the database, its `-wal` and `-shm`, the mail folder and each `.eml` holding a live
//! sign-in code. A data dir other users can read, a symbolic link, one owned by another user
//! and a `mail` symbolic link planted inside are each refused with an error saying how to fix
//! it; a port in use fails before the data dir is created.

#![cfg(unix)]

mod common;

use common::process::{files_under, listen_address_in_log};
use common::{CARLA, DEMO_PASSWORD};
use serde_json::json;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `deskport ARGS` run by a shell that first sets the umask to 000, so any file the binary
/// does not make private itself comes out readable (and writable) by everyone.
fn deskport_under_open_umask(args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_deskport"))
        .args(args)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    cmd
}

/// Runs `deskport serve` on `data`, which must be refused, and returns its output; a server
/// that starts instead is stopped after a while (and fails the test's checks).
fn serve_output(data: &Path, listen: &str) -> Output {
    let data = data.to_str().expect("utf-8 path");
    let mut child =
        deskport_under_open_umask(&["serve", "--listen", listen, "--demo", "--data-dir", data])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("deskport runs");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("wait").is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    child.wait_with_output().expect("output")
}

/// A `deskport serve` child; killed on drop.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path, log: &Path) -> Served {
    let data = data.to_str().expect("utf-8 path");
    let child = deskport_under_open_umask(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--demo",
        "--demo-tickets",
        "20",
        "--data-dir",
        data,
    ])
    .stdout(Stdio::null())
    .stderr(std::fs::File::create(log).expect("log file"))
    .spawn()
    .expect("deskport serve runs");
    let base = listen_address_in_log(log);
    Served { child, base }
}

/// Every file under `dir` is 0600 and every folder (`dir` too) 0700; returns the files.
#[track_caller]
fn assert_private_tree(dir: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = dirs.pop() {
        let mode = std::fs::symlink_metadata(&d).expect("stat").mode() & 0o777;
        assert_eq!(mode, 0o700, "{} is {mode:o}", d.display());
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).expect("stat");
            if meta.is_dir() {
                dirs.push(path);
            } else {
                let mode = meta.mode() & 0o777;
                assert_eq!(mode, 0o600, "{} is {mode:o}", path.display());
                files.push(path);
            }
        }
    }
    files
}

#[tokio::test]
async fn every_file_and_folder_the_server_writes_is_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let served = serve(&data, &dir.path().join("server.log"));
    let http = reqwest::Client::new();
    // A sign-in (a session row: a database write) and a sign-in code (an .eml file).
    let login = http
        .post(format!("{}/auth/login", served.base))
        .json(&json!({"email": CARLA, "password": DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let code = http
        .post(format!("{}/auth/code", served.base))
        .json(&json!({"email": CARLA}))
        .send()
        .await
        .expect("code");
    assert_eq!(code.status(), 202);
    let deadline = Instant::now() + Duration::from_secs(10);
    while common::mails(&data).await.is_empty() {
        assert!(Instant::now() < deadline, "no sign-in code was written");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let files = assert_private_tree(&data);
    for name in ["deskport.db", "deskport.db-wal", "deskport.db-shm"] {
        assert!(
            files.contains(&data.join(name)),
            "{name} was checked: {files:?}"
        );
    }
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "eml")),
        "an .eml was checked: {files:?}"
    );
}

#[test]
fn staff_add_creates_a_private_data_dir_and_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("fresh").join("data");
    let mut child = deskport_under_open_umask(&[
        "staff",
        "add",
        "--data-dir",
        data.to_str().expect("utf-8 path"),
        "--email",
        "root@example.test",
        "--name",
        "Root",
        "--role",
        "admin",
        "--password-stdin",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("deskport runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long password\n")
        .expect("password sent");
    let out = child.wait_with_output().expect("deskport ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = assert_private_tree(&data);
    assert!(files.contains(&data.join("deskport.db")), "{files:?}");
    let parent = std::fs::metadata(data.parent().expect("parent")).expect("stat");
    assert_eq!(parent.mode() & 0o777, 0o700, "created parents are private");
}

#[track_caller]
fn assert_refused(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it must not serve: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` in: {stderr}");
    }
}

#[test]
fn serve_refuses_a_data_dir_other_users_can_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("shared");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = serve_output(&data, "127.0.0.1:0");
    let fix = format!("chmod 700 {}", data.display());
    assert_refused(&out, &["readable by other users", &fix]);
    assert!(files_under(&data).is_empty(), "nothing was written");
}

#[test]
fn serve_refuses_a_symlinked_data_dir_and_names_the_real_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real");
    std::fs::create_dir(&real).expect("mkdir");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let out = serve_output(&link, "127.0.0.1:0");
    let real_path = std::fs::canonicalize(&real).expect("real path");
    let fix = format!("pass the real path {}", real_path.display());
    assert_refused(&out, &["is a symbolic link", &fix]);
    assert!(files_under(&real).is_empty(), "nothing was written");
}

#[test]
fn serve_refuses_a_data_dir_owned_by_another_user() {
    let me = rustix::process::geteuid().as_raw();
    let dir = tempfile::tempdir().expect("tempdir");
    // As root, a private folder given to `nobody`; otherwise a folder root owns.
    let (data, owner) = if me == 0 {
        let data = dir.path().join("theirs");
        std::fs::create_dir(&data).expect("mkdir");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        std::os::unix::fs::chown(&data, Some(65534), Some(65534)).expect("chown");
        (data, 65534)
    } else {
        (PathBuf::from("/"), 0)
    };
    let out = serve_output(&data, "127.0.0.1:0");
    let says = format!("owned by uid {owner}, not you (uid {me})");
    assert_refused(&out, &[&says]);
    assert!(!data.join("deskport.db").exists(), "nothing was written");
}

#[test]
fn serve_refuses_a_mail_symlink_planted_in_the_data_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let elsewhere = dir.path().join("elsewhere");
    for d in [&data, &elsewhere] {
        std::fs::create_dir(d).expect("mkdir");
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    std::os::unix::fs::symlink(&elsewhere, data.join("mail")).expect("symlink");
    let out = serve_output(&data, "127.0.0.1:0");
    let mail = data.join("mail");
    let names = format!("refusing to use {}: it is a symbolic link", mail.display());
    assert_refused(&out, &[&names]);
    assert!(
        files_under(&elsewhere).is_empty(),
        "nothing went through it"
    );
}

#[test]
fn serve_on_a_port_in_use_fails_before_creating_the_data_dir() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let listen = taken.local_addr().expect("addr").to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let out = serve_output(&data, &listen);
    assert_refused(&out, &[&format!("cannot listen on {listen}")]);
    assert!(!data.exists(), "the data dir was not created");
}
