//! Passwords, tokens and one-time codes: how secrets are made, hashed and compared.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted (Argon2 cost grows with input; this bounds it).
pub const MAX_PASSWORD: usize = 256;

/// Hashes a password with Argon2id (PHC string). Slow by design: call it off the async threads.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a PHC string; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// [`hash_password`] on the blocking pool.
pub async fn hash_password_async(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| e.to_string())?
}

/// The hash of a password no account has, computed once: sign-ins that have no real hash to
/// check (unknown email, unregistered contact) verify against it, so they cost the same
/// Argon2 work as real ones and their timing does not reveal which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        hash_password("no account has this password").unwrap_or_else(|e| {
            tracing::error!("cannot compute the dummy password hash: {e}");
            String::new()
        })
    })
}

/// Checks a sign-in password on the blocking pool: against `hash` when there is one,
/// otherwise against the dummy hash (same work), which never signs anyone in.
pub async fn verify_login(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&hash, &password),
        None => {
            verify_password(dummy_hash(), &password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// SHA-256, hex: how session tokens are stored (256 random bits: no salt or key is needed).
pub fn digest(secret: &str) -> String {
    // One formatting pass over the whole hash (every request hashes its token).
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// A new session token (256 random bits, URL-safe) and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = digest(&token);
    (token, hash)
}

/// The server's secret for hashing one-time codes. A code has only a million values, so a
/// plain hash of it in the database can be reversed by trying them all; keyed with a secret
/// kept outside the database (the file `server.key` in the data dir), a copy of the database
/// alone confirms no code. A PostgreSQL store keeps it in its database instead, because every
/// server on that database must hash codes alike (see [`super::store::Store::code_key`]).
pub struct CodeKey(Hmac<Sha256>);

/// The code key's file name in the data dir.
pub const CODE_KEY_FILE: &str = "server.key";

/// Why the code key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CodeKeyError {
    /// Reading or creating the file failed.
    #[error("cannot use the key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// Others than the owner may read or write it.
    #[error("refusing to start: {path} may be read by others (mode {mode:o}); chmod 600 it")]
    Loose {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// It is not 32 bytes.
    #[error("{path} is not a deskport key (32 bytes); move it away to make a new one")]
    Malformed {
        /// The file.
        path: PathBuf,
    },
    /// A store that keeps the key in its database (PostgreSQL) could not read or create it.
    #[error("cannot read or create the code key in the database: {0}")]
    Stored(String),
}

impl CodeKey {
    /// Reads `dir/server.key`, creating it (32 random bytes, mode 0600) the first time;
    /// refuses one that group or others may access. A new key only invalidates codes
    /// already sent and the reply addresses of mails already sent, never sessions or
    /// passwords.
    pub fn load_or_create(dir: &Path) -> Result<Self, CodeKeyError> {
        let path = dir.join(CODE_KEY_FILE);
        let key = match Self::stored_in(dir)? {
            Some(key) => key,
            None => {
                let key = Self::fresh_bytes();
                write_private(&path, &key).map_err(|source| CodeKeyError::Io {
                    path: path.clone(),
                    source,
                })?;
                key
            }
        };
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
            .map_err(|_| CodeKeyError::Malformed { path })?;
        Ok(CodeKey(mac))
    }

    /// The key file's bytes in data dir `dir`, checked as [`CodeKey::load_or_create`] checks
    /// them; `None` when there is no key file yet. Moving a portal to PostgreSQL copies them,
    /// so the reply addresses of mails already sent still verify.
    pub fn stored_in(dir: &Path) -> Result<Option<[u8; 32]>, CodeKeyError> {
        let path = dir.join(CODE_KEY_FILE);
        let io = |source| CodeKeyError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(&path).map_err(io)?.permissions().mode() & 0o777;
                    if mode & 0o077 != 0 {
                        return Err(CodeKeyError::Loose { path, mode });
                    }
                }
                let key = bytes
                    .try_into()
                    .map_err(|_| CodeKeyError::Malformed { path: path.clone() })?;
                Ok(Some(key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    /// 32 new random bytes: a key for a store that keeps it in its database, where every
    /// server sharing the database reads it.
    pub fn fresh_bytes() -> [u8; 32] {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key
    }

    /// The key from bytes a store kept; refuses anything but 32 bytes.
    pub fn from_bytes(key: &[u8]) -> Result<Self, CodeKeyError> {
        if key.len() != 32 {
            return Err(CodeKeyError::Stored(format!(
                "the stored key has {} bytes, not 32",
                key.len()
            )));
        }
        <Hmac<Sha256> as Mac>::new_from_slice(key)
            .map(CodeKey)
            .map_err(|e| CodeKeyError::Stored(e.to_string()))
    }

    /// HMAC-SHA256 of a code under this key, hex: how codes are stored and compared.
    pub fn hash(&self, code: &str) -> String {
        let mut mac = self.0.clone();
        mac.update(code.as_bytes());
        format!("{:x}", mac.finalize().into_bytes())
    }

    /// The token in ticket `ticket_id`'s reply address (`support+<ticket>.<token>@…`): the
    /// first 80 bits of an HMAC of the ticket number under this key, hex. Nobody without the
    /// key can make the token of another ticket, so a reply threads into a ticket only when
    /// it answers a mail of that ticket.
    pub fn reply_token(&self, ticket_id: i64) -> String {
        let mut mac = self.0.clone();
        mac.update(REPLY_TOKEN_CONTEXT);
        mac.update(ticket_id.to_string().as_bytes());
        let digest = mac.finalize().into_bytes();
        digest[..REPLY_TOKEN_BYTES]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `token` is ticket `ticket_id`'s reply token (compared in constant time).
    pub fn check_reply_token(&self, ticket_id: i64, token: &str) -> bool {
        let bytes: Option<Vec<u8>> = (token.len() == REPLY_TOKEN_BYTES * 2)
            .then(|| {
                (0..REPLY_TOKEN_BYTES)
                    .map(|i| u8::from_str_radix(token.get(i * 2..i * 2 + 2)?, 16).ok())
                    .collect()
            })
            .flatten();
        let Some(bytes) = bytes else {
            return false;
        };
        let mut mac = self.0.clone();
        mac.update(REPLY_TOKEN_CONTEXT);
        mac.update(ticket_id.to_string().as_bytes());
        mac.verify_truncated_left(&bytes).is_ok()
    }
}

/// What a reply token's HMAC input starts with, so it can never equal a code's hash.
const REPLY_TOKEN_CONTEXT: &[u8] = b"deskport reply-to\0";
/// Bytes of the HMAC a reply token keeps (80 bits: guessing one takes 2^79 tries on average).
const REPLY_TOKEN_BYTES: usize = 10;

/// Creates `path` with `bytes`, readable by the owner only (never replacing a file).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new six-digit one-time code.
pub fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
}

/// Checks a new password's length.
pub fn check_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        Err(format!("must be at least {MIN_PASSWORD} characters"))
    } else if n > MAX_PASSWORD {
        Err(format!("must be at most {MAX_PASSWORD} characters"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_lowercase_hex_sha256() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "wrong"));
        assert!(!verify_password("garbage", "x"));
    }

    #[tokio::test]
    async fn a_missing_hash_never_signs_in() {
        assert!(!verify_login(None, "no account has this password".into()).await);
        let h = hash_password("correct horse battery").unwrap();
        assert!(verify_login(Some(h), "correct horse battery".into()).await);
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(ha, digest(&a));
        assert_eq!(ha.len(), 64);
        assert_eq!(new_code().len(), 6);
    }

    #[test]
    fn reply_tokens_check_only_for_their_ticket_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = CodeKey::load_or_create(dir.path()).unwrap();
        let token = key.reply_token(123);
        assert_eq!(token.len(), 20);
        assert_eq!(token, key.reply_token(123));
        assert!(key.check_reply_token(123, &token));
        assert!(
            !key.check_reply_token(124, &token),
            "another ticket's token"
        );
        assert_ne!(key.reply_token(124), token);
        assert!(!key.check_reply_token(123, &token[..18]));
        assert!(!key.check_reply_token(123, "zz"));
        assert!(!key.check_reply_token(123, &"é".repeat(10)));
        let mut flipped = token.clone().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        assert!(!key.check_reply_token(123, &String::from_utf8(flipped).unwrap()));
        let other_dir = tempfile::tempdir().unwrap();
        let other = CodeKey::load_or_create(other_dir.path()).unwrap();
        assert!(
            !other.check_reply_token(123, &token),
            "another server's key"
        );
    }

    #[test]
    fn code_key_is_made_private_kept_and_refused_when_loose() {
        let dir = tempfile::tempdir().unwrap();
        let key = CodeKey::load_or_create(dir.path()).unwrap();
        let again = CodeKey::load_or_create(dir.path()).unwrap();
        assert_eq!(key.hash("123456"), again.hash("123456"));
        assert_ne!(key.hash("123456"), digest("123456"));
        assert_eq!(key.hash("123456").len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join(CODE_KEY_FILE);
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let refused = CodeKey::load_or_create(dir.path()).err().unwrap();
            assert!(refused.to_string().contains("chmod 600"), "{refused}");
        }
    }
}
