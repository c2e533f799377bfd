//! A real nginx in front of test servers, configured by the shipped site file
//! `deploy/nginx/deskport.conf` (so the deployment guide and the tests cannot drift): its
//! upstream ports and its listen port are moved to loopback ones, and it runs in the
//! foreground as one process (no daemon, no workers) with everything under a temp dir.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The shipped site file.
pub const SITE_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx/deskport.conf");
/// The instances' addresses in the shipped file, replaced by the test servers' ones.
const SHIPPED_UPSTREAMS: [&str; 2] = ["server 127.0.0.1:7878 ", "server 127.0.0.1:7879 "];
/// The shipped listen line.
const SHIPPED_LISTEN: &str = "listen 80;";

/// A running nginx; killed when dropped.
pub struct Nginx {
    child: Child,
    dir: tempfile::TempDir,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

/// The nginx program, if installed; when not, says so loudly on stderr. Under `CI` a missing
/// nginx fails the test instead: CI must never pass by skipping.
pub fn binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("nginx"))
            .find(|p| p.is_file())
    });
    let found = on_path.or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()));
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and nginx is not installed (apt-get install nginx)"
        );
        eprintln!(
            "\n!!!!!!!!!! SKIPPED: nginx is not installed, so this test did not run\n\
             !!!!!!!!!! install it with: apt-get install nginx\n"
        );
    }
    found
}

/// The shipped site file with its upstreams moved to `upstreams` and its listen line to
/// 127.0.0.1:`port`; fails if the file no longer has the lines this replaces.
pub fn site_config(upstreams: [u16; 2], port: u16) -> String {
    let mut text = std::fs::read_to_string(SITE_FILE).expect("the shipped nginx site file");
    for (shipped, to) in SHIPPED_UPSTREAMS.iter().zip(upstreams) {
        assert_eq!(text.matches(shipped).count(), 1, "{SITE_FILE}: {shipped}");
        text = text.replace(shipped, &format!("server 127.0.0.1:{to} "));
    }
    assert_eq!(text.matches(SHIPPED_LISTEN).count(), 1, "{SITE_FILE}");
    text.replace(SHIPPED_LISTEN, &format!("listen 127.0.0.1:{port};"))
}

/// The main config around the site file: everything nginx writes goes under `dir`.
fn main_config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 512; }}\n\
         http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/body;\n  \
         proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  \
         uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {d}/deskport.conf;\n}}\n"
    )
}

impl Nginx {
    /// Starts `program` in front of the instances on `upstreams`; returns once it accepts
    /// connections.
    pub fn start(program: &Path, upstreams: [u16; 2]) -> Nginx {
        let dir = tempfile::tempdir().expect("nginx dir");
        let port = super::process::free_port();
        std::fs::write(
            dir.path().join("deskport.conf"),
            site_config(upstreams, port),
        )
        .expect("site file");
        let config = dir.path().join("nginx.conf");
        std::fs::write(&config, main_config(dir.path())).expect("nginx.conf");
        let child = Command::new(program)
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let mut nginx = Nginx { child, dir, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let ended = nginx.child.try_wait().expect("nginx status");
            assert!(ended.is_none(), "nginx ended: {}", nginx.error_log());
            assert!(Instant::now() < deadline, "nginx did not listen");
            std::thread::sleep(Duration::from_millis(25));
        }
        nginx
    }

    /// `http://127.0.0.1:PORT`, the address clients use.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What nginx logged (warnings and errors).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
