//! "Effacer toutes mes données": everything the app keeps about the
//! person, erased in one place.
//!
//! - Memory: identity, results, answers, drafts, pending keys (the caller,
//!   [`FuiteCheckApp::erase_all`](super::FuiteCheckApp)).
//! - The case file, whenever it exists on disk — kept, never loaded, still
//!   loading, or unreadable — and every FuiteCheck entry of the credential
//!   store: the case file's key and the fingerprint keys `k` of every
//!   publication ([`erase_stored`], on a worker thread).
//! - The settings: replaced as a whole by [`Settings::after_erase`], so
//!   that a field added later is erased without anyone remembering to;
//!   the trust material (trusted keys, remembered sequences) is kept
//!   unless the person ticks the option, since forgetting it weakens the
//!   rollback protection and says nothing about them.
//!
//! Every write of the case file or of the credential store, and every
//! read of the case file, goes through the app's [`Gate`]: an erasure
//! waits for the one in flight, and a write planned before the erasure
//! began does not happen after it.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::state::Settings;
use super::stay::Credentials;

/// Serialises the app's stored-data work against erasure (one per app).
#[derive(Debug, Default)]
pub struct Gate {
    io: Mutex<()>,
    erasures: AtomicU64,
}

impl Gate {
    /// A ticket for a write planned now (taken on the UI thread).
    pub fn ticket(&self) -> u64 {
        self.erasures.load(Ordering::SeqCst)
    }

    /// Hold this while reading the case file.
    pub fn read(&self) -> MutexGuard<'_, ()> {
        self.io.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hold this while writing what was planned with `ticket`; `None` when
    /// an erasure began since (the write must not happen).
    pub fn write(&self, ticket: u64) -> Option<MutexGuard<'_, ()>> {
        let guard = self.read();
        (self.ticket() == ticket).then_some(guard)
    }

    /// An erasure begins (UI thread): writes planned before it are off.
    pub fn begin_erasure(&self) {
        self.erasures.fetch_add(1, Ordering::SeqCst);
    }
}

/// Delete the case file at `dossier_path` (if any) and every FuiteCheck
/// entry of the credential store (if there is one). Everything is tried;
/// the errors are reported together.
pub fn erase_stored(
    gate: &Gate,
    credentials: &Credentials,
    dossier_path: Option<&Path>,
) -> Result<(), String> {
    let _io = gate.read();
    let mut errors = Vec::new();
    if let Some(path) = dossier_path {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    if credentials.available()
        && let Err(e) = credentials.forget_all()
    {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

impl Settings {
    /// The settings after "Effacer toutes mes données": the defaults for
    /// every field, except — unless `forget_trust` — the trust material.
    ///
    /// Hook: a settings field that is trust material (a trusted key, a
    /// remembered manifest sequence, …) and should survive an erasure
    /// without the option ticked is copied here, and only here; every other
    /// field, present or added later, is reset.
    pub fn after_erase(&self, forget_trust: bool) -> Self {
        let mut fresh = Self::default();
        if !forget_trust {
            fresh.trusted_keys = self.trusted_keys.clone();
            fresh.sequences = self.sequences.clone();
        }
        fresh
    }
}
