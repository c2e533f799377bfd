//! PLACEHOLDER (owned by the TUI helper): the default command, the terminal app.

use color_eyre::eyre::{Result, bail};

/// Opens the terminal app.
pub async fn run(_user: Option<String>, _server: Option<String>) -> Result<()> {
    bail!("not built yet")
}
