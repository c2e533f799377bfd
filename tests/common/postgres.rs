//! A PostgreSQL for tests: the server named by `DESKPORT_TEST_DATABASE_URL`, or else one
//! throwaway cluster per test process, started on first use and stopped when the process ends.
//! Every test server gets a fresh database of its own (`CREATE DATABASE` is fast; a cluster
//! is not), so tests never see each other's rows.
//!
//! The cluster lives in a temp dir owned by the `postgres` user when the tests run as root
//! (PostgreSQL refuses to run as root). Two things stop it: an `atexit` hook, which runs when
//! the test harness ends the process normally, and a watchdog process in its own session,
//! which stops it once the test process is gone however it ended (a panic that aborts, a
//! signal, `kill -9`), so no cluster outlives `cargo test`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Names the external server to use instead of a throwaway cluster.
pub const EXTERNAL_URL: &str = "DESKPORT_TEST_DATABASE_URL";

/// Where the tests get their databases from.
enum Source {
    /// A server someone else runs: databases created here are dropped at exit.
    External { admin_url: String },
    /// Our own cluster in `dir`.
    Cluster(Cluster),
}

/// A running throwaway cluster.
pub struct Cluster {
    /// The temp dir holding the data dir (`data`), the socket and the log.
    pub dir: PathBuf,
    /// The PostgreSQL programs.
    bin: PathBuf,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    admin_url: String,
}

static SOURCE: OnceLock<Result<Source, String>> = OnceLock::new();
static CREATED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Whether PostgreSQL tests can run here; when not, says so loudly on stderr. Under `CI` a
/// missing PostgreSQL fails the test instead: CI must never pass by skipping.
pub fn available() -> bool {
    let Err(why) = source() else {
        return true;
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set and PostgreSQL is unavailable: {why}"
    );
    eprintln!(
        "\n!!!!!!!!!! SKIPPED: the PostgreSQL variant of this test did not run: {why}\n\
         !!!!!!!!!! install PostgreSQL (apt-get install postgresql) or set {EXTERNAL_URL}\n"
    );
    false
}

/// The URL of a fresh, empty database for one test server.
pub fn fresh_database() -> String {
    let source = source().as_ref().expect("PostgreSQL is available");
    let name = format!(
        "deskport_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = admin_url(source);
    psql(source, admin, &[&format!("CREATE DATABASE {name}")]);
    if matches!(source, Source::External { .. }) {
        CREATED.lock().expect("created list").push(name.clone());
    }
    with_database(admin, &name)
}

/// The cluster this process started, if it uses one (for tests of the launcher itself).
pub fn cluster() -> Option<&'static Cluster> {
    match source() {
        Ok(Source::Cluster(c)) => Some(c),
        _ => None,
    }
}

/// Runs `sql` (one statement per element, each in its own transaction) on the database at
/// `url` through `psql`; returns its unaligned, tuples-only output.
pub fn query(url: &str, sql: &[&str]) -> String {
    let source = source().as_ref().expect("PostgreSQL is available");
    psql(source, url, sql)
}

fn source() -> &'static Result<Source, String> {
    SOURCE.get_or_init(|| {
        let source = match std::env::var(EXTERNAL_URL) {
            Ok(url) if !url.is_empty() => Source::External { admin_url: url },
            _ => Source::Cluster(Cluster::start(&bindir()?)),
        };
        register_exit_hook();
        Ok(source)
    })
}

fn admin_url(source: &Source) -> &str {
    match source {
        Source::External { admin_url } => admin_url,
        Source::Cluster(c) => &c.admin_url,
    }
}

/// Where `initdb`, `pg_ctl` and `psql` are: `pg_config --bindir`, else next to `initdb` on
/// the `PATH`, else Debian's `/usr/lib/postgresql/VERSION/bin` (newest first).
fn bindir() -> Result<PathBuf, String> {
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let on_path = || {
        std::env::var_os("PATH")
            .and_then(|path| std::env::split_paths(&path).find(|dir| dir.join("initdb").is_file()))
    };
    let debian = || {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|dir| dir.join("initdb").is_file())
            .collect();
        dirs.sort_by_key(|dir| {
            let version = dir.parent().and_then(Path::file_name);
            version.and_then(|v| v.to_str()?.parse::<u32>().ok())
        });
        dirs.pop()
    };
    from_pg_config
        .filter(|dir| dir.join("initdb").is_file())
        .or_else(on_path)
        .or_else(debian)
        .ok_or_else(|| "no initdb (neither `pg_config --bindir` nor the PATH has one)".into())
}

fn running_as_root() -> bool {
    rustix::process::getuid().is_root()
}

/// `program` from `bin`, run as the `postgres` user when we are root.
fn as_cluster_owner(bin: &Path, program: &str) -> Command {
    let path = bin.join(program);
    if running_as_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(path);
        cmd
    } else {
        Command::new(path)
    }
}

#[track_caller]
fn run(mut cmd: Command, what: &str) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn psql(source: &Source, url: &str, sql: &[&str]) -> String {
    let mut cmd = match source {
        Source::Cluster(c) => Command::new(c.bin.join("psql")),
        Source::External { .. } => Command::new("psql"),
    };
    cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url]);
    for statement in sql {
        cmd.args(["-c", statement]);
    }
    run(cmd, &format!("psql {sql:?}"))
}

/// `url` with its database name replaced by `name` (query parameters kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_at = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_at..]
        .find('/')
        .map_or(base.len(), |i| authority_at + i);
    format!("{}/{name}{query}", &base[..host_end])
}

/// Fills `data` with a new cluster: a copy of the template that the first test process made
/// with `initdb` (copying takes a fraction of initdb's seconds). The template lives under
/// the target dir and is made in a dir of its own, then renamed, so concurrent test
/// processes never see half of one.
fn init_data_dir(bin: &Path, data: &Path) {
    let key = bin.display().to_string().replace('/', "_");
    let template = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("postgres-template{key}"));
    if !template.join("PG_VERSION").is_file() {
        let mut initdb = as_cluster_owner(bin, "initdb");
        initdb
            .arg("-D")
            .arg(data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
            .args(["--no-sync", "--no-instructions"]);
        run(initdb, "initdb");
        let building = template.with_extension(std::process::id().to_string());
        copy_dir(data, &building);
        if std::fs::rename(&building, &template).is_err() {
            // Another test process made it first.
            let _ = std::fs::remove_dir_all(&building);
        }
        return;
    }
    copy_dir(&template, data);
}

/// `/dev/shm` where it exists: a throwaway cluster on a memory file system starts and
/// writes many times faster than on a busy disk.
fn memory_backed_temp_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// `cp -a`: keeps the owner (the `postgres` user) and PostgreSQL's 0700 modes.
fn copy_dir(from: &Path, to: &Path) {
    let mut cp = Command::new("cp");
    cp.arg("-a").arg(from).arg(to);
    run(cp, "cp -a <cluster data dir>");
}

impl Cluster {
    /// initdb into a fresh temp dir and start the server on a free loopback port, tuned for
    /// throwaway data (no fsync).
    fn start(bin: &Path) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("deskport-pg-")
            .tempdir_in(memory_backed_temp_dir())
            .expect("temp dir")
            .keep();
        if running_as_root() {
            let mut chown = Command::new("chown");
            chown.arg("postgres:").arg(&dir);
            run(chown, "chown postgres: <cluster dir>");
        }
        let data = dir.join("data");
        init_data_dir(bin, &data);
        let cluster = Cluster {
            dir: dir.clone(),
            bin: bin.to_path_buf(),
            admin_url: String::new(),
        };
        cluster.watch(std::process::id());
        let port = super::process::free_port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
             -c shared_buffers=32MB -c dynamic_shared_memory_type=mmap",
            dir.display()
        );
        let mut pg_ctl = as_cluster_owner(bin, "pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-w", "-o", &options, "start"])
            .stdout(Stdio::null());
        run(pg_ctl, "pg_ctl start");
        Cluster {
            admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            ..cluster
        }
    }

    /// A watchdog in its own session (so a Ctrl-C to the tests does not take it too) that
    /// stops the cluster and removes its dir once process `pid` is gone.
    fn watch(&self, pid: u32) {
        let pg_ctl = self.bin.join("pg_ctl");
        let mut stop: Vec<String> = Vec::new();
        if running_as_root() {
            stop.extend(["runuser", "-u", "postgres", "--"].map(String::from));
        }
        stop.push(pg_ctl.display().to_string());
        let data = self.dir.join("data").display().to_string();
        stop.extend([
            "-D".into(),
            data,
            "stop".into(),
            "-m".into(),
            "immediate".into(),
        ]);
        // $1 = the pid to watch, $2 = the dir, then the stop command.
        let script = r#"pid=$1; dir=$2; shift 2
            while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
            if [ -d "$dir/data" ]; then "$@" >/dev/null 2>&1; fi
            rm -rf "$dir""#;
        // `--fork`: setsid returns at once and the watchdog is no child of ours to reap.
        let started = Command::new("setsid")
            .args(["--fork", "sh", "-c", script, "watchdog"])
            .arg(pid.to_string())
            .arg(&self.dir)
            .args(&stop)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the cluster watchdog starts");
        assert!(started.success(), "setsid failed: {started}");
    }

    /// Stops the server (fast shutdown: open connections are ended), keeping its data, as
    /// an outage would; [`Cluster::start_again`] brings it back.
    pub fn halt(&self) {
        let mut pg_ctl = as_cluster_owner(&self.bin, "pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["stop", "-m", "fast", "-w"])
            .stdout(Stdio::null());
        run(pg_ctl, "pg_ctl stop");
    }

    /// Starts a halted server again on its port, with the options it ran with
    /// (`pg_ctl restart` reads them back from `postmaster.opts`).
    pub fn start_again(&self) {
        let mut pg_ctl = as_cluster_owner(&self.bin, "pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("log"))
            .args(["-w", "restart"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        run(pg_ctl, "pg_ctl restart");
    }

    /// Stops the server at once and removes its dir (the data is throwaway).
    fn stop(&self) {
        let mut pg_ctl = as_cluster_owner(&self.bin, "pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["stop", "-m", "immediate", "-w"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = pg_ctl.status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

unsafe extern "C" {
    fn atexit(callback: extern "C" fn()) -> std::os::raw::c_int;
}

/// At a normal exit: stop our cluster, or drop the databases made on an external server.
extern "C" fn at_exit() {
    match SOURCE.get() {
        Some(Ok(Source::Cluster(cluster))) => cluster.stop(),
        Some(Ok(source @ Source::External { admin_url })) => {
            let names = CREATED.lock().map(|n| n.clone()).unwrap_or_default();
            let drops: Vec<String> = names
                .iter()
                .map(|n| format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)"))
                .collect();
            if !drops.is_empty() {
                let sql: Vec<&str> = drops.iter().map(String::as_str).collect();
                let _ = std::panic::catch_unwind(|| psql(source, admin_url, &sql));
            }
        }
        _ => {}
    }
}

fn register_exit_hook() {
    // SAFETY: `at_exit` is a plain function that lives as long as the process.
    let registered = unsafe { atexit(at_exit) };
    assert_eq!(registered, 0, "atexit refused the cluster's exit hook");
}
