//! `fuitecheck`: the desktop app, or the citizen's CLI when given a command.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    fuitecheck_core::privacy::default_sigpipe();
    fuitecheck_core::privacy::harden_process();
    let cli = fuitecheck::cli::Cli::parse();
    match cli.command {
        Some(command) => fuitecheck::cli::run(command),
        None => match fuitecheck::app::run_native() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("fuitecheck: cannot open the window: {e}");
                ExitCode::from(2)
            }
        },
    }
}
