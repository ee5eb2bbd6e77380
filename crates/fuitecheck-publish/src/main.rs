//! `fuitecheck-publish`: build, sign and host a FuiteCheck publication.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    fuitecheck_core::privacy::default_sigpipe();
    fuitecheck_publish::cli::run(fuitecheck_publish::cli::PublishCli::parse())
}
