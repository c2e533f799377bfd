//! The SSH server's host key: an ed25519 key made on first start and kept (0600) in the data
//! dir, or a key file the operator gives; its fingerprint is what users check on first
//! connect, so it is printed at start for admins to publish.

use color_eyre::eyre::{Result, WrapErr, bail};
use deskport::client::files::write_private;
use rand::RngCore as _;
use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};
use std::path::Path;

/// The host key's file name in the data dir when none is given.
pub const DEFAULT_FILE: &str = "ssh_host_ed25519_key";

/// The host key and its SHA-256 fingerprint (`SHA256:…`, as `ssh` shows it).
pub struct HostKey {
    /// The private key the server proves itself with.
    pub key: PrivateKey,
    /// What users compare on first connect.
    pub fingerprint: String,
}

/// Reads the key at `path`, or makes a new ed25519 key there (0600) when the file does not
/// exist. A key file others may read is refused: anyone who reads it can pose as the server.
pub fn load_or_create(path: &Path) -> Result<HostKey> {
    let key = match std::fs::metadata(path) {
        Ok(meta) => {
            refuse_if_shared(path, &meta)?;
            PrivateKey::read_openssh_file(path)
                .wrap_err_with(|| format!("cannot read the SSH host key {}", path.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path)?,
        Err(e) => {
            return Err(e).wrap_err_with(|| format!("cannot read {}", path.display()));
        }
    };
    let fingerprint = key.public_key().fingerprint(HashAlg::Sha256).to_string();
    Ok(HostKey { key, fingerprint })
}

fn create(path: &Path) -> Result<PrivateKey> {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(LineEnding::LF)
        .wrap_err("cannot encode the SSH host key")?;
    write_private(path, text.as_bytes())
        .wrap_err_with(|| format!("cannot write the SSH host key {}", path.display()))?;
    tracing::info!("made a new SSH host key in {}", path.display());
    Ok(key)
}

#[cfg(unix)]
fn refuse_if_shared(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    if meta.permissions().mode() & 0o077 != 0 {
        bail!(
            "the SSH host key {} may be read by others; make it private: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_shared(_path: &Path, _meta: &std::fs::Metadata) -> Result<()> {
    Ok(())
}
