//! The publisher's side of FuiteCheck: read the organisation's own list
//! ([`ingest`]), sort it ([`runs`], [`shard`]), build and sign the
//! publication ([`publish`], [`signing`]) with the full copies the range
//! API is answered from ([`full`]), host it ([`serve`]) and the
//! deterministic demo generator ([`demo`]). The `fuitecheck-publish`
//! binary is [`cli`]. Nothing here links a GUI.
#![warn(missing_docs)]

pub mod cli;
pub mod demo;
pub mod full;
pub mod ingest;
pub mod notice;
pub mod oprf_key;
pub mod publish;
pub mod runs;
pub mod serve;
pub mod shard;
pub mod signing;
