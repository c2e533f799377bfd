//! A real IMAP server for the mailbox tests: Debian's Dovecot (`dovecot-imapd`), started on
//! two loopback ports (IMAPS, and IMAP with STARTTLS) with a temporary config, one test
//! user in a password file, a Maildir, and a certificate signed by a CA the test makes with
//! `openssl`. Dovecot runs unprivileged: as the `dovecot` user when the tests run as root,
//! else as the current user. Mail is delivered by writing Maildir files, and whether the
//! server took a message is read from its Maildir flags. `.ci/run` installs Dovecot; where it
//! is missing the tests skip loudly, and fail under `CI`.

#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The test account.
pub const USER: &str = "desk";
/// Its password.
pub const PASSWORD: &str = "desk-imap-secret";

fn dovecot_binary() -> Option<PathBuf> {
    ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn has_openssl() -> bool {
    Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether Dovecot can run here; says loudly why not, and fails the test under `CI`.
pub fn available() -> bool {
    let why = match (dovecot_binary(), has_openssl()) {
        (Some(_), true) => return true,
        (None, _) => "Dovecot is not installed (apt-get install dovecot-imapd)",
        (_, false) => "openssl is not installed",
    };
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("SKIPPED: the mailbox tests need a real IMAP server: {why}");
    false
}

fn running_as_root() -> bool {
    rustix::process::getuid().is_root()
}

/// Who Dovecot runs as.
struct RunAs {
    user: String,
    group: String,
    uid: u32,
    gid: u32,
}

/// The `dovecot` user when we are root, else ourselves.
fn run_as() -> RunAs {
    let user = if running_as_root() {
        "dovecot".to_string()
    } else {
        run(Command::new("id").arg("-un"), "id -un")
    };
    let id = |flag: &str| run(Command::new("id").args([flag, &user]), "id");
    let number = |flag: &str| -> u32 { id(flag).parse().expect("a numeric id") };
    RunAs {
        group: id("-gn"),
        uid: number("-u"),
        gid: number("-g"),
        user,
    }
}

#[track_caller]
fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.stdin(Stdio::null()).output().expect(what);
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A running Dovecot with one account.
pub struct Dovecot {
    child: Option<Child>,
    dir: tempfile::TempDir,
    /// The IMAPS port.
    pub imaps_port: u16,
    /// The IMAP (STARTTLS) port.
    pub imap_port: u16,
    owner: (u32, u32),
    delivered: usize,
}

impl Dovecot {
    /// Makes the CA, the certificate, the config and the Maildir, and starts Dovecot on two
    /// free ports; returns once both accept.
    pub fn start(imaps_port: u16, imap_port: u16) -> Dovecot {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path();
        let who = run_as();
        make_certificates(root);
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n"))
            .expect("passwd");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(root.join("home").join(USER).join("Maildir").join(sub))
                .expect("maildir");
        }
        std::fs::create_dir_all(root.join("run")).expect("run dir");
        std::fs::write(
            root.join("dovecot.conf"),
            config(root, &who, imaps_port, imap_port),
        )
        .expect("config");
        // Dovecot, unprivileged, reads its key and owns the mail.
        run(
            Command::new("chown")
                .args(["-R", &format!("{}:{}", who.uid, who.gid)])
                .arg(root),
            "chown the Dovecot dir",
        );
        run(Command::new("chmod").args(["755"]).arg(root), "chmod");
        let mut dovecot = Dovecot {
            child: None,
            dir,
            imaps_port,
            imap_port,
            owner: (who.uid, who.gid),
            delivered: 0,
        };
        dovecot.resume();
        dovecot
    }

    /// Starts Dovecot again after [`stop`](Self::stop), on the same ports and mail.
    pub fn resume(&mut self) {
        let binary = dovecot_binary().expect("dovecot (check available() first)");
        let config = self.dir.path().join("dovecot.conf");
        let mut cmd = if running_as_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "dovecot", "--"]).arg(binary);
            cmd
        } else {
            Command::new(binary)
        };
        // A process group of its own, so that stopping it reaches every process it started.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .arg("-F")
            .arg("-c")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        for port in [self.imaps_port, self.imap_port] {
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "Dovecot did not start: {}",
                    self.log()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// Stops Dovecot: its master process and every session, even one a client keeps open
    /// (in `IDLE`), which the master's own shutdown may leave running; its ports refuse until
    /// [`resume`](Self::resume).
    pub fn stop(&mut self) {
        if let Some(group) = self
            .child
            .as_ref()
            .and_then(|c| rustix::process::Pid::from_raw(c.id() as i32))
        {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::TERM);
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        for port in [self.imaps_port, self.imap_port] {
            while TcpStream::connect(("127.0.0.1", port)).is_ok() {
                assert!(Instant::now() < deadline, "Dovecot did not stop");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// The CA certificate the server's certificate is signed with (PEM).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// `imaps://desk@127.0.0.1:PORT/INBOX`, or the STARTTLS `imap://` one.
    pub fn url(&self, implicit_tls: bool) -> String {
        match implicit_tls {
            true => format!("imaps://{USER}@127.0.0.1:{}/INBOX", self.imaps_port),
            false => format!("imap://{USER}@127.0.0.1:{}/INBOX", self.imap_port),
        }
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("home").join(USER).join("Maildir")
    }

    /// Delivers `message` into the mailbox, unread, as a local delivery agent would: written
    /// in `tmp/`, then moved into `new/`.
    pub fn deliver(&mut self, message: &str) {
        self.delivered += 1;
        let name = format!(
            "{}.test{}.deskport",
            1_700_000_000 + self.delivered,
            self.delivered
        );
        let tmp = self.maildir().join("tmp").join(&name);
        std::fs::write(&tmp, message.replace("\r\n", "\n").replace('\n', "\r\n")).expect("write");
        std::os::unix::fs::chown(&tmp, Some(self.owner.0), Some(self.owner.1)).expect("chown");
        std::fs::rename(&tmp, self.maildir().join("new").join(&name)).expect("deliver");
    }

    /// How many messages of the mailbox are marked read (`S` among their Maildir flags).
    pub fn seen(&self) -> usize {
        std::fs::read_dir(self.maildir().join("cur"))
            .expect("cur")
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.rsplit_once(":2,")
                    .is_some_and(|(_, flags)| flags.contains('S'))
            })
            .count()
    }

    /// Dovecot's log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.stop();
        }
    }
}

/// A CA, and a certificate for 127.0.0.1 it signs.
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        run(
            Command::new("openssl").args(args).current_dir(dir),
            &format!("openssl {}", args[0]),
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=deskport test CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("cert.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("extensions");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "cert.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "cert.ext",
    ]);
}

/// A Dovecot config serving only IMAP, on loopback, entirely as `user` (no chroot, no root).
fn config(dir: &Path, who: &RunAs, imaps_port: u16, imap_port: u16) -> String {
    let d = dir.display();
    let RunAs {
        user,
        group,
        uid,
        gid,
        ..
    } = who;
    format!(
        "base_dir = {d}/run
state_dir = {d}/run
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
auth_mechanisms = plain
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
mail_location = maildir:~/Maildir
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
"
    )
}
