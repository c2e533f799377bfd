//! The server's data dir: the one place that decides whether a folder is private enough to
//! hold the database and the mail (which carries live sign-in codes), and that every file the
//! server creates in it is readable by its owner only.

use super::store::sqlite::SqliteStore;
use color_eyre::eyre::{Result, WrapErr, bail};
use std::path::{Path, PathBuf};

/// The database file inside a data dir.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("deskport.db")
}

/// Makes every file and folder this process creates from now on private to its user
/// (umask 077), whatever the caller's umask: SQLite creates its `-wal` and `-shm` files and
/// other writers create theirs without asking us for a mode. Process-wide by nature; the
/// client's own files are created 0600 explicitly, so nothing needs a looser mask.
pub fn private_umask() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Creates the data dir (0700, parents too) or checks an existing one, and sets the private
/// umask. Refuses a data dir that is a symbolic link, belongs to another user or that other
/// users may read, write or enter: each error says how to fix it.
pub fn prepare_data_dir(dir: &Path) -> Result<()> {
    private_umask();
    if std::fs::symlink_metadata(dir).is_err() {
        create_private_dir(dir)
            .wrap_err_with(|| format!("cannot create the data dir {}", dir.display()))?;
    }
    check_private_dir(dir)
}

/// Creates `dir` (and missing parents) 0700 from the start, not chmodded afterwards: there is
/// no moment in which another user could open it.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Refuses `dir` unless it is a real folder (not a symbolic link) owned by this user that no
/// other user may read, write or enter.
pub fn check_private_dir(dir: &Path) -> Result<()> {
    let meta = std::fs::symlink_metadata(dir)
        .wrap_err_with(|| format!("cannot read {}", dir.display()))?;
    if meta.file_type().is_symlink() {
        let real = std::fs::canonicalize(dir)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "the folder it points to".into());
        bail!(
            "refusing to use {}: it is a symbolic link; pass the real path {real}",
            dir.display()
        );
    }
    if !meta.is_dir() {
        bail!("refusing to use {}: it is not a folder", dir.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = rustix::process::geteuid().as_raw();
        if meta.uid() != me {
            bail!(
                "refusing to use {}: it is owned by uid {}, not you (uid {me}); chown it or pick another folder",
                dir.display(),
                meta.uid()
            );
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            let open_to = if mode & 0o002 != 0 {
                "writable by every user"
            } else if mode & 0o020 != 0 {
                "writable by other users"
            } else if mode & 0o044 != 0 {
                "readable by other users"
            } else {
                "enterable by other users"
            };
            bail!(
                "refusing to use {}: it is {open_to} (mode {mode:o}; chmod 700 {})",
                dir.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// Prepares `data_dir` (see [`prepare_data_dir`]) and opens the database in it, created 0600.
pub fn open_database(data_dir: &Path) -> Result<SqliteStore> {
    prepare_data_dir(data_dir)?;
    let path = database_path(data_dir);
    create_database_file(&path)?;
    for file in [
        path.clone(),
        sqlite_sidecar(&path, "-wal"),
        sqlite_sidecar(&path, "-shm"),
    ] {
        close_to_others(&file, 0o600)
            .wrap_err_with(|| format!("cannot chmod 600 {}", file.display()))?;
    }
    SqliteStore::open(&path)
        .wrap_err_with(|| format!("cannot open the database {}", path.display()))
}

fn sqlite_sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Gives a file or folder of this user that others may use `mode` (0600 or 0700): what an
/// older deskport left open (a 0644 database, a 0755 mail folder) is closed on start, so the
/// promise holds for a data dir it made too. A missing path or a symbolic link is left alone.
pub(crate) fn close_to_others(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Ok(());
        };
        let mine = meta.uid() == rustix::process::geteuid().as_raw();
        if mine && !meta.file_type().is_symlink() && meta.mode() & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    Ok(())
}

/// Creates the database file 0600 when it does not exist yet, before SQLite opens it: SQLite
/// gives its `-wal` and `-shm` files the database file's mode.
fn create_database_file(path: &Path) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
        .map(drop)
        .wrap_err_with(|| format!("cannot create the database {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_database_an_older_version_left_open_is_closed_on_start() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        prepare_data_dir(&dir).unwrap();
        let db = database_path(&dir);
        let wal = sqlite_sidecar(&db, "-wal");
        for file in [&db, &wal] {
            std::fs::write(file, b"").unwrap();
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        drop(open_database(&dir).unwrap());
        for file in [&db, &wal] {
            let mode = std::fs::metadata(file).map_or(0, |m| m.permissions().mode() & 0o777);
            assert!(
                mode == 0o600 || !file.exists(),
                "{} is {mode:o}",
                file.display()
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_folder_others_may_read_and_says_how_to_fix_it() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        prepare_data_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o750)).unwrap();
        let message = format!("{:#}", prepare_data_dir(&dir).unwrap_err());
        assert!(message.contains("readable by other users"), "{message}");
        assert!(message.contains("chmod 700"), "{message}");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o770)).unwrap();
        let message = format!("{:#}", prepare_data_dir(&dir).unwrap_err());
        assert!(message.contains("writable by other users"), "{message}");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o701)).unwrap();
        let message = format!("{:#}", prepare_data_dir(&dir).unwrap_err());
        assert!(message.contains("enterable by other users"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn the_database_file_is_created_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = database_path(tmp.path());
        create_database_file(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
