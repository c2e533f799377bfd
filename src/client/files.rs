//! Files only their owner may read: sessions (tokens), caches and the app's own state and logs.
//! Every file the client or the app writes goes through here, so none is ever created with
//! wider permissions, even for a moment.

use super::error::ClientError;
use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file, then rename), mode 0600, creating the
/// parent dir (0700) if needed.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ClientError> {
    let dir = path
        .parent()
        .ok_or_else(|| ClientError::Cache(format!("{} has no parent dir", path.display())))?;
    create_private_dir(dir)?;
    let tmp = path.with_extension("tmp");
    let mut f = private_file(&tmp)?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| ClientError::Cache(format!("cannot write {}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| ClientError::Cache(format!("cannot replace {}: {e}", path.display())))
}

/// Creates `dir` and its parents, the last one mode 0700.
pub fn create_private_dir(dir: &Path) -> Result<(), ClientError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| ClientError::Cache(format!("cannot create {}: {e}", dir.display())))
}

/// Creates (or truncates) `path` with mode 0600.
fn private_file(path: &Path) -> Result<std::fs::File, ClientError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let f = opts
        .open(path)
        .map_err(|e| ClientError::Cache(format!("cannot create {}: {e}", path.display())))?;
    restrict(path)?;
    Ok(f)
}

/// Makes an existing file readable and writable by its owner only.
pub fn restrict(path: &Path) -> Result<(), ClientError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| ClientError::Cache(format!("cannot restrict {}: {e}", path.display())))?;
    }
    Ok(())
}

/// Creates `path` empty with mode 0600 unless it exists (a database or log is then opened
/// over it and keeps the mode).
pub fn create_empty(path: &Path) -> Result<(), ClientError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(ClientError::Cache(format!(
            "cannot create {}: {e}",
            path.display()
        ))),
    }
}
