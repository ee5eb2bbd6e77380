//! The check engine: an identity and a source give the matches.
//!
//! The engine derives one fingerprint per distinct surname variant (SPEC
//! §2.3), each on its own thread, then asks the [`Source`] for all of them
//! at once. Sources: an [`OfflinePublication`](crate::publication::OfflinePublication)
//! (set files, nothing leaves the machine) or the online range API, which
//! implements the same trait.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::bucket::NirBucket;
use crate::category::{Category, CategoryMask};
use crate::fingerprint::{KdfError, KdfParams, Key, Lookup};
use crate::manifest::Manifest;
use crate::nir::Nir;
use crate::surname::Surname;

/// One (breach, mask) pair found for a lookup value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The breach's code.
    pub code: u16,
    /// The categories of that person's record.
    pub mask: CategoryMask,
}

/// Offline (set files) or online (range API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Downloaded or embedded set files.
    Offline,
    /// The range API.
    Online,
}

/// What a source is, for the report (SPEC §9 `source`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    /// Offline or online.
    pub kind: SourceKind,
    /// Directory, URL or [`crate::publication::EMBEDDED_LOCATION`].
    pub location: String,
    /// The manifest's publisher.
    pub publisher: String,
    /// Demonstration data.
    pub demo: bool,
}

/// A source failed while answering.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The network failed (unreachable, timeout, HTTP error).
    #[error("network error: {0}")]
    Network(String),
    /// The answer is not valid.
    #[error("invalid answer from the publication: {0}")]
    Invalid(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// Where fingerprints are looked up.
pub trait Source: Send + Sync {
    /// What this source is.
    fn info(&self) -> SourceInfo;
    /// The verified manifest (KDF parameters, breaches).
    fn manifest(&self) -> &Manifest;
    /// For each lookup value — the variants of one person, whose NIR is in
    /// `bucket` — every (breach, mask) found; CODE 0 never appears in the
    /// result. An online source sends one request, for `bucket`, whatever
    /// the number of lookups (SPEC v1.1 §7.3); an offline one ignores it.
    fn lookup(&self, bucket: NirBucket, lookups: &[Lookup]) -> Result<Vec<Vec<Hit>>, SourceError>;
    /// Ids of breaches this source cannot check (e.g. no set file offline).
    fn unchecked(&self) -> Vec<String> {
        Vec::new()
    }
    /// The key that verified the manifest; a source without one is refused
    /// by [`crate::freshness::admit`].
    fn signer(&self) -> Option<&crate::signature::TrustedKey> {
        None
    }
    /// Whether this is the demo publication embedded in the binary (the only
    /// one the shipped demo key vouches for, exempt from the rollback rule).
    fn is_embedded_demo(&self) -> bool {
        false
    }
}

/// Which surname produced a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// Nom de naissance.
    BirthName,
    /// Nom d'usage.
    UsageName,
}

/// What the person typed, validated. Secret: nothing here is ever written.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The NIR.
    pub nir: Nir,
    /// Nom de naissance.
    pub birth_name: Surname,
    /// Nom d'usage, if any.
    pub usage_name: Option<Surname>,
}

impl Identity {
    /// The bucket of the person's NIR (SPEC v1.1 §7.1): the only thing an
    /// online check sends.
    pub fn bucket(&self) -> NirBucket {
        NirBucket::of(&self.nir)
    }

    /// One surname per distinct canonical form (SPEC §2.3).
    pub fn variants(&self) -> Vec<(Variant, &Surname)> {
        let mut v = vec![(Variant::BirthName, &self.birth_name)];
        if let Some(u) = &self.usage_name
            && u != &self.birth_name
        {
            v.push((Variant::UsageName, u));
        }
        v
    }
}

/// A breach in which the published list names the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// Breach id.
    pub breach: String,
    /// Breach code.
    pub code: u16,
    /// Categories of the person's record.
    pub categories: Vec<Category>,
    /// Which surname matched.
    pub variant: Variant,
}

/// The outcome of a check (SPEC §9 `check --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The source.
    pub source: SourceInfo,
    /// One entry per (breach, variant) that matched, by code then variant.
    pub matches: Vec<Match>,
    /// Breaches the source could not check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<String>,
}

/// Progress of a check, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckEvent {
    /// Fingerprints are being derived for these many variants.
    Deriving {
        /// Number of variants.
        variants: usize,
    },
    /// One variant's fingerprint is ready.
    Derived(Variant),
    /// The source is being asked.
    LookingUp,
}

/// A check that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The KDF failed.
    #[error(transparent)]
    Kdf(#[from] KdfError),
    /// The source failed.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The user cancelled.
    #[error("the check was cancelled")]
    Cancelled,
    /// An OPRF publication (SPEC §11): its lookups need the publisher's
    /// evaluation, which this source does not do. Refused rather than
    /// compared with §3 lookups, which would never match (a false "not
    /// found").
    #[error("this list is an OPRF publication: checking it needs one request to its publisher")]
    OprfPublication,
}

/// Run a check. `progress` is called from worker threads; `cancel` is
/// polled between steps (an Argon2 evaluation itself cannot be
/// interrupted, so callers that must return at once should run the check on
/// a thread and drop its result).
pub fn check(
    identity: &Identity,
    source: &dyn Source,
    progress: &(dyn Fn(CheckEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<CheckReport, CheckError> {
    let keys = derive_keys(identity, &source.manifest().kdf, progress)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(CheckError::Cancelled);
    }
    let lookups: Vec<(Variant, Lookup)> = keys.iter().map(|(v, k)| (*v, k.lookup())).collect();
    check_lookups(identity.bucket(), &lookups, source, progress, cancel)
}

/// Derive `k` for every surname variant of `identity`, one thread per
/// variant (SPEC §2.3, §3). The keys are secret and zeroized on drop.
pub fn derive_keys(
    identity: &Identity,
    kdf: &KdfParams,
    progress: &(dyn Fn(CheckEvent) + Sync),
) -> Result<Vec<(Variant, Key)>, KdfError> {
    let variants = identity.variants();
    progress(CheckEvent::Deriving {
        variants: variants.len(),
    });
    let thread_error = |reason: String| KdfError::InvalidParams {
        memory_kib: kdf.memory_kib,
        iterations: kdf.iterations,
        parallelism: kdf.parallelism,
        reason,
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = variants
            .iter()
            .map(|(variant, surname)| {
                let nir = &identity.nir;
                std::thread::Builder::new()
                    .name(format!("fingerprint-{variant:?}"))
                    .spawn_scoped(s, move || {
                        let k = kdf.derive(nir, surname);
                        progress(CheckEvent::Derived(*variant));
                        k
                    })
            })
            .collect();
        variants
            .iter()
            .zip(handles)
            .map(|((variant, _), h)| {
                let h = h.map_err(|e| thread_error(format!("cannot start a thread: {e}")))?;
                let k = h
                    .join()
                    .map_err(|_| thread_error("fingerprint thread panicked".to_owned()))??;
                Ok((*variant, k))
            })
            .collect()
    })
}

/// Check lookup values already derived — e.g. from keys `k` the person
/// chose to keep in the OS credential store, with their NIR's bucket, to
/// re-check a publication after an update without typing the NIR again
/// (SPEC §3). The keys are only valid for publications with the same salt
/// and KDF cost; the bucket is the same in every publication.
pub fn check_lookups(
    bucket: NirBucket,
    lookups: &[(Variant, Lookup)],
    source: &dyn Source,
    progress: &(dyn Fn(CheckEvent) + Sync),
    cancel: &AtomicBool,
) -> Result<CheckReport, CheckError> {
    let manifest = source.manifest();
    if manifest.oprf.is_some() {
        return Err(CheckError::OprfPublication);
    }
    progress(CheckEvent::LookingUp);
    let values: Vec<Lookup> = lookups.iter().map(|(_, l)| *l).collect();
    let hits = source.lookup(bucket, &values)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(CheckError::Cancelled);
    }
    // Merge per (code, variant): several hits of one breach (truncated
    // fingerprints) give the union of their masks.
    let mut merged: BTreeMap<(u16, Variant), CategoryMask> = BTreeMap::new();
    for ((variant, _), hits) in lookups.iter().zip(hits) {
        for hit in hits {
            if hit.code == 0 {
                continue;
            }
            let e = merged.entry((hit.code, *variant)).or_default();
            *e = e.union(hit.mask);
        }
    }
    let matches = merged
        .into_iter()
        .filter_map(|((code, variant), mask)| {
            let pb = manifest.breach_by_code(code)?;
            let mask = CategoryMask::from_bits(mask.bits() & pb.breach.mask().bits()).ok()?;
            Some(Match {
                breach: pb.breach.id.clone(),
                code,
                categories: mask.categories(),
                variant,
            })
        })
        .collect();
    Ok(CheckReport {
        source: source.info(),
        matches,
        unchecked: source.unchecked(),
    })
}

#[cfg(test)]
mod tests {
    // A test reports failure by panicking: unwrap/expect are its asserts.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    struct Fake(Manifest);

    impl Source for Fake {
        fn info(&self) -> SourceInfo {
            SourceInfo {
                kind: SourceKind::Offline,
                location: "dir".into(),
                publisher: self.0.publisher.clone(),
                demo: self.0.demo,
            }
        }
        fn manifest(&self) -> &Manifest {
            &self.0
        }
        fn lookup(&self, _: NirBucket, lookups: &[Lookup]) -> Result<Vec<Vec<Hit>>, SourceError> {
            Ok(vec![Vec::new(); lookups.len()])
        }
    }

    /// Until a source evaluates the OPRF, an OPRF publication is refused,
    /// never answered "not found" from §3 lookups.
    #[test]
    fn oprf_publications_are_refused_not_answered() {
        let mut m = Manifest::from_json(crate::demo::EMBEDDED_MANIFEST).unwrap();
        let bucket = NirBucket::of(&Nir::parse("185057800608491").unwrap());
        let lookups = [(Variant::BirthName, Lookup(1))];
        let cancel = AtomicBool::new(false);
        assert!(check_lookups(bucket, &lookups, &Fake(m.clone()), &|_| {}, &cancel).is_ok());
        m.oprf = Some(crate::manifest::OprfParams {
            public_key: *crate::oprf::OprfSecretKey::derive(b"seed", b"")
                .unwrap()
                .public_key(),
            endpoint: "v1/oprf".into(),
            batch: 2,
        });
        assert!(matches!(
            check_lookups(bucket, &lookups, &Fake(m), &|_| {}, &cancel),
            Err(CheckError::OprfPublication)
        ));
    }
}
