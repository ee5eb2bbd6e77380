//! `fuitecheck-publish`: build, sign and host a FuiteCheck publication.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    fuitecheck::privacy::default_sigpipe();
    fuitecheck::publish_cli::run(fuitecheck::publish_cli::PublishCli::parse())
}
