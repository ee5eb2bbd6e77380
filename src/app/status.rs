//! Status messages as values. What a finished task or a command has to say
//! is stored as a [`Status`] and worded only when drawn
//! ([`Status::text`]), so switching the language re-renders every message
//! on screen. Reasons that come from a library error stay that error's
//! text (lowercase English, for logs); everything around them is
//! translated.

use std::path::PathBuf;

use fuitecheck_client::download::DownloadError;
use fuitecheck_core::catalogue::{Lang, Localized};
use fuitecheck_core::check::{CheckError, SourceError};

use super::i18n::{T, fill};
use crate::text;

/// Why a background task failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The error the work returned, as its text.
    Error(String),
    /// A reason the text layer worded in both languages on the worker
    /// thread (a refusal by `fuitecheck_core::freshness`).
    Worded(Localized),
    /// The worker thread ended without a result.
    WorkerStopped,
}

impl Reason {
    /// The reason, in words.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::Error(e) => e.clone(),
            Self::Worded(text) => text.get(lang).to_owned(),
            Self::WorkerStopped => T::WorkerStopped.tr(lang).to_owned(),
        }
    }
}

/// Why a check did not give a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckFailure {
    /// The key derivation failed.
    Kdf(String),
    /// The source failed.
    Source(String),
    /// The check thread could not be started.
    Thread(String),
    /// The check thread ended without a result.
    WorkerStopped,
    /// An OPRF publication, which this build cannot check (SPEC §11).
    Oprf,
}

impl From<&CheckError> for CheckFailure {
    fn from(e: &CheckError) -> Self {
        match e {
            CheckError::Kdf(_) => Self::Kdf(format!("{e:#}")),
            CheckError::OprfPublication => Self::Oprf,
            _ => Self::Source(format!("{e:#}")),
        }
    }
}

/// Why a download failed, sorted for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadFailure {
    /// The person stopped it (partial files are kept for a resume).
    Cancelled,
    /// Refused by the trust rules before anything was replaced, worded by
    /// the text layer in both languages.
    Refused(Localized),
    /// The server cannot be reached.
    Network(String),
    /// Signature or content does not verify.
    Signature(String),
    /// Writing to disk failed.
    Disk(String),
    /// Anything else.
    Other(String),
    /// The download thread ended without a result.
    WorkerStopped,
}

impl From<&DownloadError> for DownloadFailure {
    fn from(e: &DownloadError) -> Self {
        let reason = format!("{e:#}");
        match e {
            DownloadError::Cancelled => Self::Cancelled,
            DownloadError::Refused(e) => Self::Refused(Localized {
                fr: text::trust_error(e, Lang::Fr),
                en: text::trust_error(e, Lang::En),
            }),
            DownloadError::Source(SourceError::Network(_)) => Self::Network(reason),
            DownloadError::Source(SourceError::Invalid(_))
            | DownloadError::Mismatch { .. }
            | DownloadError::Verify(_) => Self::Signature(reason),
            DownloadError::Io { .. } => Self::Disk(reason),
            _ => Self::Other(reason),
        }
    }
}

/// A message for the person, worded when drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The check was cancelled.
    CheckCancelled,
    /// The check failed.
    CheckFailed(CheckFailure),
    /// The identity was cleared.
    IdentityCleared,
    /// Everything was erased.
    Erased,
    /// The erasure of what is stored failed.
    EraseFailed(Reason),
    /// Kept keys were re-checked against the current publication.
    Rechecked {
        /// Breaches matched.
        matches: usize,
    },
    /// A file was exported.
    ExportSaved(PathBuf),
    /// An export failed.
    ExportFailed(Reason),
    /// A draft was copied to the clipboard.
    Copied,
    /// The saved case file was reopened.
    DossierLoaded,
    /// The case file was saved.
    DossierSaved,
    /// The case file was erased (file and key).
    DossierErased,
    /// A case-file operation failed.
    DossierFailed(Reason),
    /// Keys were stored in the credential store.
    KeysStored,
    /// Stored keys were deleted.
    KeysForgotten,
    /// A re-check found no stored keys.
    NoKeysStored,
    /// The credential store failed.
    KeyringFailed(Reason),
    /// A key file could not be read as a public key.
    KeyRefused(Reason),
    /// The downloaded publication was already current.
    DownloadCurrent,
    /// A download completed.
    DownloadDone {
        /// Bytes transferred.
        bytes: u64,
    },
    /// The download address is not valid.
    DownloadBadUrl,
    /// No folder to download into.
    DownloadNoDir,
    /// A download failed.
    DownloadFailed(DownloadFailure),
}

impl Status {
    /// Whether this is bad news (drawn in the error colour).
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Self::CheckFailed(_)
                | Self::EraseFailed(_)
                | Self::ExportFailed(_)
                | Self::DossierFailed(_)
                | Self::NoKeysStored
                | Self::KeyringFailed(_)
                | Self::KeyRefused(_)
                | Self::DownloadBadUrl
                | Self::DownloadNoDir
                | Self::DownloadFailed(_)
        )
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let reason = |key: T, r: &str| fill(lang, key, &[("reason", r)]);
        match self {
            Self::CheckCancelled => T::NoticeCancelled.tr(lang).to_owned(),
            Self::CheckFailed(f) => reason(T::NoticeFailed, &check_failure(f, lang)),
            Self::IdentityCleared => T::NoticeCleared.tr(lang).to_owned(),
            Self::Erased => T::SetErased.tr(lang).to_owned(),
            Self::EraseFailed(r) => reason(T::SetEraseFailed, &r.text(lang)),
            Self::Rechecked { matches } => {
                let result = if *matches == 0 {
                    T::StayNoMatch.tr(lang).to_owned()
                } else {
                    fill(lang, T::StayMatches, &[("n", &matches.to_string())])
                };
                fill(lang, T::StayAutoRecheck, &[("result", &result)])
            }
            Self::ExportSaved(path) => fill(
                lang,
                T::ExportSaved,
                &[("path", &path.display().to_string())],
            ),
            Self::ExportFailed(r) => reason(T::ExportFailed, &r.text(lang)),
            Self::Copied => T::ActCopied.tr(lang).to_owned(),
            Self::DossierLoaded => T::DossierLoadedMsg.tr(lang).to_owned(),
            Self::DossierSaved => T::DossierSavedMsg.tr(lang).to_owned(),
            Self::DossierErased => T::DossierErasedMsg.tr(lang).to_owned(),
            Self::DossierFailed(r) => reason(T::DossierFailed, &r.text(lang)),
            Self::KeysStored => T::StayStoredMsg.tr(lang).to_owned(),
            Self::KeysForgotten => T::StayForgottenMsg.tr(lang).to_owned(),
            Self::NoKeysStored => T::StayRecheckNone.tr(lang).to_owned(),
            Self::KeyringFailed(r) => reason(T::StayFailed, &r.text(lang)),
            Self::KeyRefused(r) => reason(T::SourceKeyInvalid, &r.text(lang)),
            Self::DownloadCurrent => T::DlCurrent.tr(lang).to_owned(),
            Self::DownloadDone { bytes } => fill(
                lang,
                T::DlDone,
                &[("size", &text::format_bytes(*bytes, lang))],
            ),
            Self::DownloadBadUrl => T::DlBadUrl.tr(lang).to_owned(),
            Self::DownloadNoDir => T::DlNoDir.tr(lang).to_owned(),
            Self::DownloadFailed(f) => download_failure(f, lang),
        }
    }
}

/// "the KDF failed (detail)", in words.
fn check_failure(f: &CheckFailure, lang: Lang) -> String {
    match f {
        CheckFailure::Kdf(detail) => format!("{} ({detail})", T::ErrKdf.tr(lang)),
        CheckFailure::Source(detail) => format!("{} ({detail})", T::ErrSource.tr(lang)),
        CheckFailure::Thread(detail) => format!("{} ({detail})", T::ErrThread.tr(lang)),
        CheckFailure::WorkerStopped => T::WorkerStopped.tr(lang).to_owned(),
        CheckFailure::Oprf => crate::text::oprf_unsupported(lang).to_owned(),
    }
}

/// A download failure, in plain words.
fn download_failure(f: &DownloadFailure, lang: Lang) -> String {
    let (key, reason) = match f {
        DownloadFailure::Cancelled => return T::DlCancelled.tr(lang).to_owned(),
        // The trust rule's own words.
        DownloadFailure::Refused(words) => return words.get(lang).to_owned(),
        DownloadFailure::Network(r) => (T::DlErrNetwork, r.clone()),
        DownloadFailure::Signature(r) => (T::DlErrSignature, r.clone()),
        DownloadFailure::Disk(r) => (T::DlErrDisk, r.clone()),
        DownloadFailure::Other(r) => (T::DlErrOther, r.clone()),
        DownloadFailure::WorkerStopped => (T::DlErrOther, T::WorkerStopped.tr(lang).to_owned()),
    };
    fill(lang, key, &[("reason", &reason)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same value words itself in either language: switching the
    /// language re-renders a message already on screen.
    #[test]
    fn a_status_is_worded_when_drawn() {
        let s = Status::DownloadDone { bytes: 3_400_000 };
        assert!(s.text(Lang::Fr).starts_with("Publication téléchargée"));
        assert!(s.text(Lang::En).starts_with("Publication downloaded"));
        let s = Status::Rechecked { matches: 2 };
        assert!(s.text(Lang::Fr).contains("2 fuite(s)"));
        assert!(s.text(Lang::En).contains("2 breach(es)"));
        assert!(!s.is_error());
        let s = Status::ExportFailed(Reason::WorkerStopped);
        assert!(s.is_error());
        assert_ne!(s.text(Lang::Fr), s.text(Lang::En));
    }
}
