//! The citizen's network side: the online range source ([`online`]) and
//! the downloader of publications ([`download`]). Everything else a check
//! needs is in `fuitecheck-core`.
#![warn(missing_docs)]

pub mod download;
pub mod online;
