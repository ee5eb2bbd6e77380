//! Verified offline publications: a directory tree (SPEC §6) or the demo
//! publication embedded in the binary.
//!
//! Opening a publication verifies, in order: the manifest's minisign
//! signature against the trust store, the manifest itself (fields, KDF
//! floor), then each set file's size and SHA-256 against the manifest, its
//! header, its breach code, its entry count, its order, and that its masks
//! stay within the breach's categories. Anything that fails is refused as a
//! whole: a half-verified publication is never used.
//!
//! Each set file is read once into memory and the bytes verified are the
//! bytes used ([`read_verified`]): the publication does not map files it
//! does not own, so a set file changed or truncated after opening changes
//! no verdict and cannot crash the process.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::bucket::NirBucket;
use crate::check::{Hit, Source, SourceError, SourceInfo, SourceKind};
use crate::fingerprint::Lookup;
use crate::manifest::{Manifest, ManifestError, PublishedBreach, SetInfo};
use crate::setfile::{SetError, SetFile};
use crate::signature::{SignatureError, TrustStore, TrustedKey};

/// File names inside `v1/`.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The detached signature.
pub const SIGNATURE_FILE: &str = "manifest.json.minisig";

/// Why a publication is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublicationError {
    /// A file is missing or unreadable.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// Signature problem.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// Manifest problem.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// A set file does not match the manifest.
    #[error("set file for breach `{breach}` refused: {reason}")]
    SetMismatch {
        /// The breach.
        breach: String,
        /// What differs.
        reason: String,
    },
    /// A set file is corrupt.
    #[error("set file for breach `{breach}` is corrupt: {source}")]
    SetCorrupt {
        /// The breach.
        breach: String,
        /// The error.
        source: SetError,
    },
}

/// The `location` of the demo publication embedded in the binary: a
/// machine value, which the text layer names in the person's language.
pub const EMBEDDED_LOCATION: &str = "embedded";

/// A publication checked end to end, usable offline.
#[derive(Debug)]
pub struct OfflinePublication {
    manifest: Manifest,
    signer: TrustedKey,
    sets: Vec<(u16, SetFile)>,
    location: String,
    embedded: bool,
}

/// Where the set file bytes come from.
enum SetSource<'a> {
    Dir(&'a Path),
    Embedded,
}

impl OfflinePublication {
    /// Open a publication directory: either its root (holding `v1/`) or
    /// the `v1/` directory itself.
    pub fn open_dir(dir: &Path, trust: &TrustStore) -> Result<Self, PublicationError> {
        let v1 = v1_dir(dir);
        let manifest_path = v1.join(MANIFEST_FILE);
        let sig_path = v1.join(SIGNATURE_FILE);
        let manifest_bytes = read(&manifest_path)?;
        let sig = String::from_utf8_lossy(&read(&sig_path)?).into_owned();
        Self::verify(
            &manifest_bytes,
            &sig,
            trust,
            SetSource::Dir(&v1),
            dir.display().to_string(),
        )
    }

    /// The demo publication embedded in the binary (fictional people).
    pub fn embedded_demo() -> Result<Self, PublicationError> {
        Self::verify(
            crate::demo::EMBEDDED_MANIFEST,
            crate::demo::EMBEDDED_SIGNATURE,
            &TrustStore::shipped(),
            SetSource::Embedded,
            EMBEDDED_LOCATION.to_owned(),
        )
    }

    fn verify(
        manifest_bytes: &[u8],
        sig: &str,
        trust: &TrustStore,
        sets_from: SetSource<'_>,
        location: String,
    ) -> Result<Self, PublicationError> {
        let signer = trust.verify(manifest_bytes, sig)?.clone();
        let manifest = Manifest::from_signed_json(manifest_bytes)?;
        let mut sets = Vec::new();
        for pb in &manifest.breaches {
            let Some(info) = &pb.set else { continue };
            let set = match &sets_from {
                SetSource::Dir(v1) => open_set_file(v1, pb, info)?,
                SetSource::Embedded => {
                    let bytes = crate::demo::embedded_set(&info.path).ok_or_else(|| {
                        PublicationError::SetMismatch {
                            breach: pb.breach.id.clone(),
                            reason: format!("{} is not embedded", info.path),
                        }
                    })?;
                    check_digest(pb, info, bytes.len() as u64, &Sha256::digest(bytes))?;
                    SetFile::from_static(bytes).map_err(|source| PublicationError::SetCorrupt {
                        breach: pb.breach.id.clone(),
                        source,
                    })?
                }
            };
            check_set_contents(pb, info, &set)?;
            sets.push((pb.breach.code, set));
        }
        let embedded = matches!(sets_from, SetSource::Embedded);
        Ok(Self {
            manifest,
            signer,
            sets,
            location,
            embedded,
        })
    }

    /// The verified manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The key that signed it.
    pub fn signer(&self) -> &TrustedKey {
        &self.signer
    }

    /// Demonstration data: declared so, or signed with the demo key.
    pub fn is_demo(&self) -> bool {
        self.manifest.demo || self.signer.demo
    }
}

/// `dir/v1` when it exists, else `dir` itself; a download directory
/// (with a `current` pointer) resolves to its active version.
pub fn v1_dir(dir: &Path) -> PathBuf {
    if let Some(active) = active_dir(dir) {
        return active.join("v1");
    }
    let v1 = dir.join("v1");
    if v1.join(MANIFEST_FILE).exists() {
        v1
    } else {
        dir.to_path_buf()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, PublicationError> {
    std::fs::read(path).map_err(|source| PublicationError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn open_set_file(
    v1: &Path,
    pb: &PublishedBreach,
    info: &SetInfo,
) -> Result<SetFile, PublicationError> {
    let path = v1.join(&info.path);
    let io = |source| PublicationError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(&path).map_err(io)?;
    let on_disk = file.metadata().map_err(io)?.len();
    if on_disk != info.bytes {
        // Refused on its size, before anything is allocated or read.
        return Err(size_mismatch(pb, info, on_disk));
    }
    let bytes = read_verified(file, pb, info).map_err(|e| match e {
        ReadVerifiedError::Io(source) => io(source),
        ReadVerifiedError::Refused(e) => e,
    })?;
    SetFile::from_vec(bytes).map_err(|source| PublicationError::SetCorrupt {
        breach: pb.breach.id.clone(),
        source,
    })
}

/// Why [`read_verified`] failed.
#[derive(Debug)]
pub enum ReadVerifiedError {
    /// Reading failed.
    Io(std::io::Error),
    /// The bytes read do not match the manifest.
    Refused(PublicationError),
}

/// Read a set file once into memory and check the size and SHA-256 of
/// exactly the bytes read: the bytes used afterwards are the bytes
/// verified. Read once, verify what you use: a file changed, replaced or
/// truncated after this returns changes nothing (the copy is ours; a map
/// would fault with SIGBUS on a truncated file and follow in-place
/// writes), and one changed while it is read is refused by its size or
/// digest. At most `info.bytes + 1` bytes are read, whatever the reader
/// holds.
pub fn read_verified(
    reader: impl Read,
    pb: &PublishedBreach,
    info: &SetInfo,
) -> Result<Vec<u8>, ReadVerifiedError> {
    let mut bytes = Vec::new();
    let want = usize::try_from(info.bytes).map_err(|_| {
        ReadVerifiedError::Io(std::io::Error::new(
            std::io::ErrorKind::OutOfMemory,
            "set file larger than the address space",
        ))
    })?;
    bytes.try_reserve_exact(want).map_err(|_| {
        ReadVerifiedError::Io(std::io::Error::new(
            std::io::ErrorKind::OutOfMemory,
            "not enough memory for the set file",
        ))
    })?;
    reader
        .take(info.bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadVerifiedError::Io)?;
    check_digest(pb, info, bytes.len() as u64, &Sha256::digest(&bytes))
        .map_err(ReadVerifiedError::Refused)?;
    Ok(bytes)
}

fn size_mismatch(pb: &PublishedBreach, info: &SetInfo, len: u64) -> PublicationError {
    PublicationError::SetMismatch {
        breach: pb.breach.id.clone(),
        reason: format!("size is {len} bytes, the manifest says {}", info.bytes),
    }
}

/// Check a set file's size and SHA-256 against its manifest entry.
pub fn check_digest(
    pb: &PublishedBreach,
    info: &SetInfo,
    len: u64,
    digest: &[u8],
) -> Result<(), PublicationError> {
    let mismatch = |reason: String| PublicationError::SetMismatch {
        breach: pb.breach.id.clone(),
        reason,
    };
    if len != info.bytes {
        return Err(size_mismatch(pb, info, len));
    }
    if !hex::encode(digest).eq_ignore_ascii_case(&info.sha256) {
        return Err(mismatch("SHA-256 differs from the manifest".to_owned()));
    }
    Ok(())
}

/// Check an opened set file against its manifest entry: breach code, entry
/// count, entry order, and masks within the breach's categories.
pub fn check_set_contents(
    pb: &PublishedBreach,
    info: &SetInfo,
    set: &SetFile,
) -> Result<(), PublicationError> {
    let mismatch = |reason: String| PublicationError::SetMismatch {
        breach: pb.breach.id.clone(),
        reason,
    };
    if set.code() != pb.breach.code {
        return Err(mismatch(format!(
            "it belongs to breach code {}, not {}",
            set.code(),
            pb.breach.code
        )));
    }
    if set.len() as u64 != info.entries {
        return Err(mismatch(format!(
            "it has {} entries, the manifest says {}",
            set.len(),
            info.entries
        )));
    }
    set.validate_entries()
        .map_err(|source| PublicationError::SetCorrupt {
            breach: pb.breach.id.clone(),
            source,
        })?;
    let allowed = pb.breach.mask();
    if set.masks().iter().any(|m| !m.is_subset(allowed)) {
        return Err(mismatch(
            "a record lists categories the breach does not declare".to_owned(),
        ));
    }
    Ok(())
}

impl OfflinePublication {
    /// Expected false matches for one fingerprint checked against every
    /// set of the publication: the sum of entries / 2^bits (SPEC §3).
    pub fn false_match_rate(&self) -> f64 {
        self.sets.iter().map(|(_, s)| s.false_match_rate()).sum()
    }
}

impl Source for OfflinePublication {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Offline,
            location: self.location.clone(),
            publisher: self.manifest.publisher.clone(),
            demo: self.is_demo(),
        }
    }

    fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn lookup(&self, _bucket: NirBucket, lookups: &[Lookup]) -> Result<Vec<Vec<Hit>>, SourceError> {
        Ok(lookups
            .iter()
            .map(|&l| {
                self.sets
                    .iter()
                    .flat_map(|(code, set)| {
                        set.lookup(l)
                            .into_iter()
                            .map(|mask| Hit { code: *code, mask })
                    })
                    .collect()
            })
            .collect())
    }

    fn signer(&self) -> Option<&TrustedKey> {
        Some(&self.signer)
    }

    fn is_embedded_demo(&self) -> bool {
        self.embedded
    }

    fn unchecked(&self) -> Vec<String> {
        self.manifest
            .breaches
            .iter()
            .filter(|b| b.set.is_none())
            .map(|b| b.breach.id.clone())
            .collect()
    }
}

/// The pointer file naming the active version.
pub const CURRENT_FILE: &str = "current";

/// The active publication directory under a download directory, if any.
pub fn active_dir(dir: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(dir.join(CURRENT_FILE)).ok()?;
    let name = name.trim();
    // Only our own version names: never a path.
    if !name.starts_with("pub-") || !name[4..].bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(dir.join(name))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn demo_set() -> (PublishedBreach, SetInfo, &'static [u8]) {
        let m = Manifest::from_json(crate::demo::EMBEDDED_MANIFEST).unwrap();
        let pb = m.breaches.into_iter().find(|b| b.set.is_some()).unwrap();
        let info = pb.set.clone().unwrap();
        let bytes = crate::demo::embedded_set(&info.path).unwrap();
        (pb, info, bytes)
    }

    fn refusal(r: Result<Vec<u8>, ReadVerifiedError>) -> String {
        match r {
            Err(ReadVerifiedError::Refused(PublicationError::SetMismatch { reason, .. })) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn the_bytes_verified_are_the_bytes_returned() {
        let (pb, info, bytes) = demo_set();
        assert_eq!(read_verified(bytes, &pb, &info).unwrap(), bytes);
    }

    #[test]
    fn a_file_truncated_while_read_is_refused_by_its_size() {
        let (pb, info, bytes) = demo_set();
        let reason = refusal(read_verified(&bytes[..bytes.len() / 2], &pb, &info));
        assert!(reason.starts_with("size is "), "{reason}");
    }

    #[test]
    fn a_file_grown_while_read_is_refused_after_one_byte_more() {
        let (pb, info, bytes) = demo_set();
        let grown = [bytes, &[0u8; 1 << 16][..]].concat();
        let reason = refusal(read_verified(&grown[..], &pb, &info));
        assert_eq!(
            reason,
            format!(
                "size is {} bytes, the manifest says {}",
                info.bytes + 1,
                info.bytes
            )
        );
    }

    #[test]
    fn a_file_rewritten_while_read_is_refused_by_its_digest() {
        let (pb, info, bytes) = demo_set();
        let mut changed = bytes.to_vec();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        let reason = refusal(read_verified(&changed[..], &pb, &info));
        assert!(reason.contains("SHA-256"), "{reason}");
    }
}
