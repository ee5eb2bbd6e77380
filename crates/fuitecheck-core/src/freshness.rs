//! Trust and freshness of an opened publication (SPEC §6): who vouches
//! for it, whether it is older than one already seen (rollback), whether it
//! has expired, and how old it is.
//!
//! A caller opens a [`Source`] (which verified the signature, the manifest
//! and, offline, every set file), calls [`admit`] before using it, runs the
//! check, and only then calls [`SequenceStore::record`] and saves the
//! store: the remembered `sequence` is raised only by a publication that
//! passed every check.
//!
//! The store is keyed by the verifying Ed25519 public key (64 lowercase hex
//! characters), not by the minisign key id, which anyone picks freely at
//! key generation. The embedded demo publication is exempt: it is part of
//! the binary and cannot be replayed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::Source;
use crate::manifest::Manifest;
use crate::signature::{SignatureError, TrustStore, TrustedKey};

/// Why a publication is refused before any check runs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The demo key signed a directory or URL publication and the user did
    /// not pass it explicitly.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The source carries no verified signer.
    #[error("the publication has no verified signature")]
    Unsigned,
    /// A lower `sequence` than one already accepted for the same key.
    #[error(
        "an older version of this list than one already seen — possible replay; \
         try again later or download it again (sequence {sequence}, already seen {seen}, key id {key_id})"
    )]
    Rollback {
        /// The signing key's id.
        key_id: String,
        /// The manifest's sequence.
        sequence: u64,
        /// The highest sequence accepted before for this key.
        seen: u64,
    },
}

/// What [`admit`] found: shown with every result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Admission {
    /// The signing key's id, as minisign prints it.
    pub key_id: String,
    /// The manifest's `sequence`.
    pub sequence: u64,
    /// Demonstration data (declared, or signed with the demo key).
    pub demo: bool,
    /// The manifest's `generated_at`, as written.
    pub generated_at: String,
    /// Seconds between `generated_at` and now (0 when in the future).
    pub age_seconds: u64,
    /// The manifest's `expires`, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// `expires` is past: the list may be out of date (SPEC §6: the check
    /// still runs, and says so).
    pub expired: bool,
    /// Exempt from the rollback store (the embedded demo).
    #[serde(skip)]
    exempt: bool,
    /// Hex Ed25519 public key: the store's key.
    #[serde(skip)]
    public_key_hex: String,
}

/// Check a verified source against the trust rules and the rollback store,
/// at `now` (seconds since the Unix epoch).
pub fn admit(
    source: &dyn Source,
    trust: &TrustStore,
    seen: &SequenceStore,
    now: i64,
) -> Result<Admission, TrustError> {
    let signer = source.signer().ok_or(TrustError::Unsigned)?;
    admit_signed(
        signer,
        source.manifest(),
        source.is_embedded_demo(),
        trust,
        seen,
        now,
    )
}

/// [`admit`] for a manifest whose signature `signer` has verified, before
/// anything else of the publication is fetched (the downloader refuses a
/// replayed or demo-signed list before it replaces the current copy).
pub fn admit_signed(
    signer: &TrustedKey,
    manifest: &Manifest,
    embedded: bool,
    trust: &TrustStore,
    seen: &SequenceStore,
    now: i64,
) -> Result<Admission, TrustError> {
    if !embedded {
        trust.vouch(signer)?;
    }
    let public_key_hex = hex::encode(signer.public_key());
    if !embedded
        && let Some(&before) = seen.sequences.get(&public_key_hex)
        && manifest.sequence < before
    {
        return Err(TrustError::Rollback {
            key_id: signer.key_id.clone(),
            sequence: manifest.sequence,
            seen: before,
        });
    }
    let age = now.saturating_sub(manifest.generated_at_unix());
    Ok(Admission {
        key_id: signer.key_id.clone(),
        sequence: manifest.sequence,
        demo: manifest.demo || signer.demo,
        generated_at: manifest.generated_at.clone(),
        age_seconds: u64::try_from(age).unwrap_or(0),
        expires: manifest.expires.clone(),
        expired: manifest.expires_unix().is_some_and(|e| now >= e),
        exempt: embedded,
        public_key_hex,
    })
}

/// The highest `sequence` accepted per signing key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceStore {
    /// Hex Ed25519 public key → highest accepted sequence.
    #[serde(default)]
    sequences: BTreeMap<String, u64>,
}

/// Why the store file cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading or writing failed.
    #[error(transparent)]
    Fs(#[from] crate::fsutil::FsError),
    /// The file is not a store.
    #[error("{path}: not a sequence store: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// The parser's reason.
        reason: String,
    },
}

impl SequenceStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The highest sequence accepted for a public key (32 bytes).
    pub fn get(&self, public_key: &[u8; 32]) -> Option<u64> {
        self.sequences.get(&hex::encode(public_key)).copied()
    }

    /// Remember an admitted publication, once every check passed. Returns
    /// whether the store changed (so the caller knows to save it). The
    /// embedded demo is never recorded.
    pub fn record(&mut self, admitted: &Admission) -> bool {
        if admitted.exempt {
            return false;
        }
        let slot = self
            .sequences
            .entry(admitted.public_key_hex.clone())
            .or_insert(0);
        if admitted.sequence > *slot {
            *slot = admitted.sequence;
            true
        } else {
            false
        }
    }

    /// Read a store file; a missing file is an empty store.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                path: path.display().to_string(),
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::new()),
            Err(e) => Err(crate::fsutil::FsError::new(path, e).into()),
        }
    }

    /// Write the store atomically, creating its directory.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| crate::fsutil::FsError::new(dir, e))?;
        }
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        crate::fsutil::atomic_write_private(path, text.as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publication::OfflinePublication;

    #[test]
    fn embedded_demo_is_admitted_and_never_recorded() {
        let demo = OfflinePublication::embedded_demo().unwrap();
        let mut store = SequenceStore::new();
        let a = admit(&demo, &TrustStore::shipped(), &store, 0).unwrap();
        assert!(a.demo);
        assert_eq!(a.key_id, crate::signature::TrustedKey::demo().key_id);
        assert!(a.sequence >= 1);
        assert!(!store.record(&a));
        assert_eq!(store, SequenceStore::new());
    }

    /// A source that is not the embedded demo, with any manifest and signer.
    struct Fake(crate::manifest::Manifest, crate::signature::TrustedKey);

    impl Source for Fake {
        fn info(&self) -> crate::check::SourceInfo {
            crate::check::SourceInfo {
                kind: crate::check::SourceKind::Offline,
                location: "dir".into(),
                publisher: self.0.publisher.clone(),
                demo: self.0.demo,
            }
        }
        fn manifest(&self) -> &crate::manifest::Manifest {
            &self.0
        }
        fn lookup(
            &self,
            _: crate::bucket::NirBucket,
            _: &[crate::fingerprint::Lookup],
        ) -> Result<Vec<Vec<crate::check::Hit>>, crate::check::SourceError> {
            Ok(Vec::new())
        }
        fn signer(&self) -> Option<&crate::signature::TrustedKey> {
            Some(&self.1)
        }
    }

    /// A minisign public key with the demo key's id but other key bytes.
    fn same_id_other_key(fill: u8) -> crate::signature::TrustedKey {
        use ct_codecs::Encoder as _;
        let demo = crate::signature::TrustedKey::demo();
        let line = demo.to_text().lines().nth(1).unwrap().to_owned();
        let mut bytes = crate::signature::decode_base64(&line).unwrap();
        bytes[10..42].fill(fill);
        let b64 = ct_codecs::Base64::encode_to_string(&bytes).unwrap();
        crate::signature::TrustedKey::from_text(&b64, "test").unwrap()
    }

    #[test]
    fn rollback_is_per_public_key_not_per_key_id() {
        let mut manifest = OfflinePublication::embedded_demo()
            .unwrap()
            .manifest()
            .clone();
        let (a, b) = (same_id_other_key(1), same_id_other_key(2));
        assert_eq!(a.key_id, b.key_id);
        assert!(!a.demo && !b.demo);
        let trust = TrustStore::shipped();
        let mut store = SequenceStore::new();
        manifest.sequence = 5;
        let admitted = admit(&Fake(manifest.clone(), a.clone()), &trust, &store, 0).unwrap();
        assert!(store.record(&admitted));
        assert_eq!(store.get(a.public_key()), Some(5));
        // Same key: lower refused, equal and higher accepted.
        manifest.sequence = 4;
        let e = admit(&Fake(manifest.clone(), a.clone()), &trust, &store, 0).unwrap_err();
        assert!(
            matches!(
                e,
                TrustError::Rollback {
                    sequence: 4,
                    seen: 5,
                    ..
                }
            ),
            "{e}"
        );
        // Same key id, other key: its own history.
        assert!(admit(&Fake(manifest.clone(), b), &trust, &store, 0).is_ok());
        manifest.sequence = 5;
        let again = admit(&Fake(manifest.clone(), a.clone()), &trust, &store, 0).unwrap();
        assert!(!store.record(&again), "equal: accepted, nothing to save");
        // The demo key signing a directory: refused before anything else.
        let demo = crate::signature::TrustedKey::demo();
        let e = admit(&Fake(manifest, demo), &trust, &store, 0).unwrap_err();
        assert!(matches!(
            e,
            TrustError::Signature(SignatureError::DemoKeyNotTrusted { .. })
        ));
    }

    #[test]
    fn store_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/sequences.json");
        assert_eq!(SequenceStore::load(&path).unwrap(), SequenceStore::new());
        let mut manifest = OfflinePublication::embedded_demo()
            .unwrap()
            .manifest()
            .clone();
        manifest.sequence = 9;
        let key = same_id_other_key(7);
        let mut store = SequenceStore::new();
        store.record(
            &admit(
                &Fake(manifest, key.clone()),
                &TrustStore::shipped(),
                &store,
                0,
            )
            .unwrap(),
        );
        store.save(&path).unwrap();
        let back = SequenceStore::load(&path).unwrap();
        assert_eq!(back.get(key.public_key()), Some(9));
        std::fs::write(&path, "not json").unwrap();
        assert!(matches!(
            SequenceStore::load(&path),
            Err(StoreError::Corrupt { .. })
        ));
    }

    #[test]
    fn age_and_expiry() {
        let demo = OfflinePublication::embedded_demo().unwrap();
        let t = demo.manifest().generated_at_unix();
        let a = admit(&demo, &TrustStore::shipped(), &SequenceStore::new(), t + 90).unwrap();
        assert_eq!(a.age_seconds, 90);
        let a = admit(&demo, &TrustStore::shipped(), &SequenceStore::new(), t - 90).unwrap();
        assert_eq!(a.age_seconds, 0, "a manifest from the future has no age");
        let mut manifest = demo.manifest().clone();
        manifest.expires = Some("2027-01-01T00:00:00Z".into());
        let at = crate::manifest::parse_utc("2027-01-01T00:00:00Z").unwrap();
        let fake = Fake(manifest, same_id_other_key(3));
        let store = SequenceStore::new();
        let trust = TrustStore::shipped();
        assert!(!admit(&fake, &trust, &store, at - 1).unwrap().expired);
        assert!(admit(&fake, &trust, &store, at).unwrap().expired);
    }
}
