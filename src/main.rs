//! The `deskport` binary: command-line wiring of the server, the client and the TUI.

mod cli;

use clap::Parser;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let args = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(cli::run(args))
}
