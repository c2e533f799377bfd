//! `deskport serve --ssh` for tests: the real server binary, reached with the real OpenSSH
//! client in a pseudo-terminal typing into the keyboard-interactive prompts. Locally a
//! missing `ssh` skips loudly; under CI it fails.

use super::process::deskport;
use super::pty::App;
use portable_pty::CommandBuilder;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `ssh` on the PATH; `None` (after saying so) when it is missing outside CI.
pub fn ssh_client() -> Option<()> {
    let found = std::process::Command::new("ssh")
        .arg("-V")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Some(());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have the OpenSSH client (Debian's openssh-client)"
    );
    eprintln!("SKIPPED: no `ssh` on this machine (apt-get install openssh-client)");
    None
}

/// `deskport serve --demo --ssh` on loopback, with its data in `dir`; killed when dropped.
pub struct SshPortal {
    child: Child,
    /// The SSH port.
    pub port: u16,
    /// The host key fingerprint the server printed.
    pub fingerprint: String,
    /// Its data dir.
    pub data: PathBuf,
    /// The API's base URL, without `/api/v1`.
    pub api: String,
}

impl SshPortal {
    /// Starts it with its data in `dir`, SSH on `port` (0: any), logging to `serve-RUN.log`.
    pub fn start(dir: &Path, run: &str, port: u16) -> SshPortal {
        Self::start_with(dir, run, port, &[])
    }

    /// [`SshPortal::start`] with more arguments to `serve` (`--smtp URL`…).
    pub fn start_with(dir: &Path, run: &str, port: u16, extra: &[&str]) -> SshPortal {
        let data = dir.join("server");
        let log = dir.join(format!("serve-{run}.log"));
        // An editor that leaves a mark: nothing may run it on a user's behalf.
        let editor = dir.join("editor.sh");
        let mark = dir.join("editor-ran");
        std::fs::write(&editor, format!("#!/bin/sh\ntouch '{}'\n", mark.display())).unwrap();
        std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let child = deskport(dir)
            .env("EDITOR", &editor)
            .args(["serve", "--demo", "--demo-tickets", "40"])
            .args([
                "--listen",
                "127.0.0.1:0",
                "--ssh",
                &format!("127.0.0.1:{port}"),
            ])
            .arg("--data-dir")
            .arg(&data)
            .args(extra)
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("deskport serve starts");
        // Killed on drop from here on, should the wait below fail.
        let mut portal = SshPortal {
            child,
            port: 0,
            fingerprint: String::new(),
            data,
            api: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(rest) = text.split("serving the app over SSH on ").nth(1) {
                let addr = rest.split_whitespace().next().unwrap();
                portal.api = text
                    .split("deskport portal API on ")
                    .nth(1)
                    .and_then(|r| r.split_whitespace().next())
                    .unwrap()
                    .trim_end_matches("/api/v1")
                    .to_string();
                portal.port = addr.rsplit(':').next().unwrap().parse().unwrap();
                portal.fingerprint = rest
                    .split("(host key ")
                    .nth(1)
                    .and_then(|r| r.split(')').next())
                    .unwrap()
                    .to_string();
                return portal;
            }
            assert!(Instant::now() < deadline, "no SSH server came up: {text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `ssh` to this server as `user@127.0.0.1`, then `extra` (a command, `-s sftp`…), with
    /// nothing of the tester's own ssh configuration; the host key is taken on first sight
    /// and checked afterwards in `home`'s known_hosts.
    pub fn ssh(&self, home: &Path, extra: &[&str]) -> CommandBuilder {
        self.ssh_with(home, &[], extra)
    }

    /// [`SshPortal::ssh`] with `options` (`-o …`) before the destination.
    pub fn ssh_with(&self, home: &Path, options: &[&str], extra: &[&str]) -> CommandBuilder {
        let mut cmd = CommandBuilder::new("ssh");
        cmd.args(options);
        let known = home.join("known_hosts");
        cmd.args(["-F", "/dev/null", "-p", &self.port.to_string()]);
        cmd.args(["-o", "StrictHostKeyChecking=accept-new"]);
        cmd.arg("-o");
        cmd.arg(format!("UserKnownHostsFile={}", known.display()));
        cmd.args(["-o", "PreferredAuthentications=keyboard-interactive"]);
        cmd.args([
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "NumberOfPasswordPrompts=1",
        ]);
        cmd.args(["-o", "LogLevel=ERROR", "customer@127.0.0.1"]);
        cmd.args(extra);
        cmd.env("HOME", home);
        cmd.env("TERM", "xterm-256color");
        cmd
    }
}

impl Drop for SshPortal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Answers the keyboard-interactive prompts with `email` and `password`.
pub fn sign_in(app: &mut App, email: &str, password: &str) {
    app.wait_for("Email:");
    app.send(&format!("{email}\r"));
    app.wait_for("Password:");
    app.send(&format!("{password}\r"));
}
