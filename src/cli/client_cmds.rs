//! PLACEHOLDER (owned by the client helper): `deskport login|sync|tickets|portal`.

use color_eyre::eyre::{Result, bail};

/// `deskport login`.
pub async fn login(_server: &str, _email: &str, _password_stdin: bool) -> Result<()> {
    bail!("not built yet")
}
/// `deskport sync`.
pub async fn sync() -> Result<()> {
    bail!("not built yet")
}
/// `deskport tickets`.
pub async fn tickets(_json: bool, _offline: bool) -> Result<()> {
    bail!("not built yet")
}
/// `deskport portal show`.
pub async fn portal_show() -> Result<()> {
    bail!("not built yet")
}
/// `deskport portal set`.
pub async fn portal_set(_key: &str, _value: &str) -> Result<()> {
    bail!("not built yet")
}
