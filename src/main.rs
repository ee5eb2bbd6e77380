//! `fuitecheck`: the desktop app, or the citizen's CLI when given a command.

// Windows: a GUI-subsystem executable, so that starting the app opens no
// console window; CLI commands attach to the parent's console instead
// (platform::windows).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser as _;

#[cfg(windows)]
mod platform {
    pub mod windows;
}

fn main() -> ExitCode {
    #[cfg(windows)]
    platform::windows::attach_parent_console_for_cli();
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
