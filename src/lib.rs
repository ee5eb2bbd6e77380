//! The `fuitecheck` binary's library: the citizen's command line
//! ([`cli`]) and the desktop app ([`app`]), which share one text layer
//! ([`text`]). The protocol, the network
//! client and the rights live in the workspace's crates
//! (`fuitecheck-core`, `fuitecheck-client`, `fuitecheck-rights`); see
//! `docs/architecture.md`.
#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod text;
