//! The `deskport` binary: command-line wiring of the server, the client and the TUI.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(e) = cli::failure::install_crash_report() {
        eprintln!("deskport: cannot install the crash report ({e})");
    }
    let args = cli::Cli::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(color_eyre::eyre::Report::from)
        .and_then(|runtime| runtime.block_on(cli::run(args)));
    cli::failure::finish(result)
}
