//! Building publications (the publisher's side of SPEC §6–§8).
//!
//! A publication directory holds `v1/manifest.json`, its signature and one
//! set file per breach. [`init`] writes an empty manifest; [`put_breach`]
//! (re)builds one breach's set and its full copy ([`crate::full`], each
//! fingerprint with its NIR bucket) from its records, updates the
//! manifest, recomputes `pad_lines` and the bucket digests and re-signs. Every file is written atomically
//! (temporary file in the same directory, fsync, rename), set file first
//! and signature last, so a crash leaves either the old or the new
//! publication, never a mix that verifies.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use crate::full::{self, FullCopy, FullCopyError};
use crate::runs::{Pair, Sorted};
use crate::signing::{SigningError, SigningKey};
use fuitecheck_core::bucket::{NirBucket, bucket_count, bucket_text};
use fuitecheck_core::catalogue::Breach;
use fuitecheck_core::category::CategoryMask;
use fuitecheck_core::fingerprint::{KdfError, KdfParams};
use fuitecheck_core::fsutil::atomic_write;
use fuitecheck_core::manifest::{
    MAX_PAD_LINES, Manifest, ManifestError, PublishedBreach, RANGE_SCHEME, RangeParams, SetInfo,
};
use fuitecheck_core::nir::Nir;
use fuitecheck_core::oprf::OprfSecretKey;
use fuitecheck_core::publication::{MANIFEST_FILE, SIGNATURE_FILE};
use fuitecheck_core::setfile::{self, SetError, SetFile};
use fuitecheck_core::surname::Surname;

/// Errors while building a publication.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The existing manifest is invalid.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// KDF parameters refused.
    #[error(transparent)]
    Kdf(#[from] KdfError),
    /// Set file error.
    #[error(transparent)]
    Set(#[from] SetError),
    /// Full copy error.
    #[error(transparent)]
    FullCopy(#[from] FullCopyError),
    /// Signing failed.
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// Anything else, with its reason.
    #[error("{0}")]
    Invalid(String),
}

impl From<fuitecheck_core::fsutil::FsError> for PublishError {
    fn from(e: fuitecheck_core::fsutil::FsError) -> Self {
        Self::Io {
            path: e.path,
            source: e.source,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// One affected person's record, ready to fingerprint.
#[derive(Debug, Clone)]
pub struct Record {
    /// The NIR.
    pub nir: Nir,
    /// Every distinct canonical surname of the record.
    pub surnames: Vec<Surname>,
    /// The categories of this record.
    pub mask: CategoryMask,
}

impl Record {
    /// Build a record, keeping distinct surnames only.
    pub fn new(nir: Nir, surnames: impl IntoIterator<Item = Surname>, mask: CategoryMask) -> Self {
        let mut out: Vec<Surname> = Vec::new();
        for s in surnames {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        Self {
            nir,
            surnames: out,
            mask,
        }
    }
}

/// Fingerprint records on every core (rayon): one (bucket of the NIR,
/// lookup, mask) per surname of each record. Progress is reported as the
/// number of fingerprints done.
pub fn fingerprint_records(
    kdf: &KdfParams,
    records: &[Record],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Pair>, KdfError> {
    fingerprint_records_oprf(kdf, None, records, progress)
}

/// [`fingerprint_records`] for an ordinary publication (`oprf` `None`,
/// SPEC §3) or an OPRF one (SPEC §11): the lookup is then that of `y`, the
/// VOPRF output of `k` under the publisher's secret key, computed directly
/// on the same worker as `k`.
pub fn fingerprint_records_oprf(
    kdf: &KdfParams,
    oprf: Option<&OprfSecretKey>,
    records: &[Record],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Pair>, KdfError> {
    let jobs: Vec<(&Nir, &Surname, CategoryMask)> = records
        .iter()
        .flat_map(|r| r.surnames.iter().map(move |s| (&r.nir, s, r.mask)))
        .collect();
    let done = std::sync::atomic::AtomicU64::new(0);
    jobs.par_iter()
        .map(|(nir, surname, mask)| {
            let l = match oprf {
                None => kdf.lookup(nir, surname)?,
                Some(key) => {
                    let k = kdf.derive(nir, surname)?;
                    // `k` is 32 bytes, well within RFC 9497's input bound:
                    // evaluation cannot fail.
                    key.lookup(&k).map_err(|e| KdfError::InvalidParams {
                        memory_kib: kdf.memory_kib,
                        iterations: kdf.iterations,
                        parallelism: kdf.parallelism,
                        reason: e.to_string(),
                    })?
                }
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n);
            Ok((NirBucket::of(nir), l, *mask))
        })
        .collect()
}

/// What a publication's lookups are computed with: its KDF, and for an
/// OPRF publication (SPEC §11) the publisher's OPRF secret key.
#[derive(Debug, Clone, Copy)]
pub struct LookupKeys<'a> {
    /// The manifest's KDF parameters.
    pub kdf: &'a KdfParams,
    /// The OPRF secret key of an OPRF publication.
    pub oprf: Option<&'a OprfSecretKey>,
}

/// Options of `init`.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// Publisher name.
    pub publisher: String,
    /// Demonstration publication.
    pub demo: bool,
    /// KDF parameters (salt included).
    pub kdf: KdfParams,
    /// Bucket length in hex characters, 1 or 2.
    pub prefix_hex_chars: u8,
    /// Timestamp to write (RFC 3339).
    pub generated_at: String,
    /// When the list should be considered out of date (RFC 3339 UTC),
    /// kept by every later signing until [`resign`] changes it.
    pub expires: Option<String>,
}

/// Write a fresh, empty manifest in `dir/v1/` (unsigned until the first
/// breach is added). Refuses to overwrite an existing manifest.
pub fn init(dir: &Path, opts: &InitOptions) -> Result<(), PublishError> {
    init_with_oprf(dir, opts, None)
}

/// [`init`] of an OPRF publication (SPEC §11) when `oprf` is given: the
/// manifest carries its `oprf` object, and `add`/`merge` then require the
/// matching secret key.
pub fn init_with_oprf(
    dir: &Path,
    opts: &InitOptions,
    oprf: Option<fuitecheck_core::manifest::OprfParams>,
) -> Result<(), PublishError> {
    let range = RangeParams {
        scheme: Some(RANGE_SCHEME.to_owned()),
        prefix_hex_chars: opts.prefix_hex_chars,
        pad_lines: 1,
        bucket_digests: Vec::new(),
    };
    // What a client would refuse is not written (SPEC §6).
    fuitecheck_core::manifest::check_bounds(&opts.kdf, &range)?;
    opts.kdf.validate(opts.demo)?;
    fuitecheck_core::text::check_str("publisher", &opts.publisher).map_err(ManifestError::from)?;
    let v1 = dir.join("v1");
    let manifest_path = v1.join(MANIFEST_FILE);
    if manifest_path.exists() {
        return Err(PublishError::Invalid(format!(
            "{} already exists; a publication is initialised once",
            manifest_path.display()
        )));
    }
    check_expires(&opts.generated_at, opts.expires.as_deref())?;
    std::fs::create_dir_all(v1.join("sets")).map_err(io_err(&v1))?;
    let mut manifest = Manifest {
        publisher: opts.publisher.clone(),
        generated_at: opts.generated_at.clone(),
        // Unsigned: every signing raises it by one (SPEC §6).
        sequence: 0,
        expires: opts.expires.clone(),
        demo: opts.demo,
        kdf: opts.kdf.clone(),
        range,
        oprf,
        breaches: Vec::new(),
    };
    // Even empty, every bucket has an answer (one padding line) and its
    // digest (SPEC v1.1 §7.2).
    manifest.range.bucket_digests = bucket_digests(&manifest, &[])?;
    Ok(atomic_write(
        &manifest_path,
        manifest.to_json_pretty().as_bytes(),
    )?)
}

/// Read the publication's own manifest (the publisher's working copy; its
/// signature is not required).
pub fn load_manifest(dir: &Path) -> Result<Manifest, PublishError> {
    let path = dir.join("v1").join(MANIFEST_FILE);
    let bytes = std::fs::read(&path).map_err(io_err(&path))?;
    Ok(Manifest::from_json(&bytes)?)
}

/// What [`put_breach`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutReport {
    /// Entries in the new (published, compact) set file.
    pub entries: u64,
    /// Its size.
    pub bytes: u64,
    /// Fingerprint bits it keeps.
    pub fingerprint_bits: u32,
    /// Entries of the full copy kept for the range API (distinct
    /// (bucket, lookup) pairs).
    pub full_entries: u64,
    /// The new `pad_lines`.
    pub pad_lines: u32,
}

/// Directory, beside `v1/`, where the publisher keeps each breach's full
/// copy ([`crate::full`]: whole 64-bit lookups, each with the bucket of
/// its record's NIR): the range API is answered from it, since the
/// published compact sets keep fewer bits and no bucket. It is not part of
/// the publication: never upload it.
pub const FULL_DIR: &str = "full";

/// The full copy of breach `id` for the publication whose `v1/` directory
/// is `v1`: `<dir>/full/<id>.fcfull`.
pub fn full_set_path(v1: &Path, id: &str) -> PathBuf {
    v1.parent()
        .unwrap_or(Path::new("."))
        .join(FULL_DIR)
        .join(format!("{id}.{}", full::EXTENSION))
}

/// (Re)build one breach: write its full copy and set file from the
/// fingerprints, put the breach in the manifest (replacing any previous
/// version), recompute `pad_lines` and the bucket digests and sign. The
/// set keeps [`setfile::default_bits`] bits.
pub fn put_breach(
    dir: &Path,
    breach: &Breach,
    pairs: Vec<Pair>,
    signer: &SigningKey,
    generated_at: &str,
) -> Result<PutReport, PublishError> {
    let sorted = Sorted::from_memory(pairs);
    put_breach_sorted(dir, breach, &sorted, None, signer, generated_at)
}

fn read_err(e: std::io::Error) -> PublishError {
    PublishError::Set(SetError::Io(e))
}

/// [`put_breach`] from sorted pairs (in memory, spilled runs or merged
/// shards), keeping `bits` fingerprint bits (default
/// [`setfile::default_bits`]). Writes the full copy
/// (`<dir>/full/<id>.fcfull`, ordered by (bucket, lookup)), then the
/// compact published set (every lookup once, derived from the full copy),
/// then the manifest and its signature. Reads the pairs twice; memory is
/// the two output files.
pub fn put_breach_sorted(
    dir: &Path,
    breach: &Breach,
    sorted: &Sorted,
    bits: Option<u32>,
    signer: &SigningKey,
    generated_at: &str,
) -> Result<PutReport, PublishError> {
    let mut manifest = load_manifest(dir)?;
    if let Some(other) = manifest
        .breaches
        .iter()
        .find(|b| b.breach.code == breach.code && b.breach.id != breach.id)
    {
        return Err(PublishError::Invalid(format!(
            "code {} is already used by breach `{}`",
            breach.code, other.breach.id
        )));
    }
    // Pass 1: count per bucket, collect the masks, check them against the
    // catalogue.
    let allowed = breach.mask();
    let mut seen = std::collections::BTreeSet::new();
    let mut counts = [0u64; full::BUCKETS];
    for item in sorted.pairs().map_err(read_err)? {
        let (b, _, m) = item.map_err(read_err)?;
        counts[usize::from(b.byte())] += 1;
        seen.insert(m);
    }
    if let Some(m) = seen.iter().find(|m| !m.is_subset(allowed)) {
        let extra = CategoryMask::from_bits(m.bits() & !allowed.bits())
            .map(|x| {
                x.categories()
                    .iter()
                    .map(|c| c.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        return Err(PublishError::Invalid(format!(
            "records of `{}` list categories the catalogue does not declare for it: {extra}",
            breach.id
        )));
    }
    // Pass 2: the full copy; the published set is derived from it.
    let mut full_bytes = Vec::new();
    full::write(
        &mut full_bytes,
        breach.code,
        &setfile::mask_table(seen)?,
        &counts,
        sorted.pairs().map_err(read_err)?,
    )?;
    let copy = FullCopy::from_vec(full_bytes)?;
    let full_entries = copy.len() as u64;
    let (bytes, stats, bits) = compact_set(&copy, bits)?;
    let v1 = dir.join("v1");
    let full_path = full_set_path(&v1, &breach.id);
    if let Some(parent) = full_path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    atomic_write(&full_path, copy.as_bytes())?;
    drop(copy);
    let rel = format!("sets/{}.fcset", breach.id);
    let set_path = v1.join(&rel);
    std::fs::create_dir_all(v1.join("sets")).map_err(io_err(&v1))?;
    atomic_write(&set_path, &bytes)?;
    let info = SetInfo {
        path: rel,
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes: stats.bytes,
        entries: stats.entries,
    };
    let published = PublishedBreach {
        breach: breach.clone(),
        set: Some(info),
    };
    match manifest
        .breaches
        .iter_mut()
        .find(|b| b.breach.id == breach.id)
    {
        Some(slot) => *slot = published,
        None => manifest.breaches.push(published),
    }
    manifest.generated_at = generated_at.to_owned();
    let range_sets = open_range_sets(&v1, &manifest)?;
    manifest.range.pad_lines = compute_pad_lines(&range_sets, manifest.range.prefix_hex_chars)?;
    manifest.range.bucket_digests = bucket_digests(&manifest, &range_sets)?;
    drop(range_sets);
    write_signed_manifest(dir, &manifest, signer)?;
    Ok(PutReport {
        entries: stats.entries,
        bytes: stats.bytes,
        fingerprint_bits: bits,
        full_entries,
        pad_lines: manifest.range.pad_lines,
    })
}

/// `expires`, when given, must be an RFC 3339 UTC time later than
/// `generated_at` (a list that is out of date when signed helps no one).
pub fn check_expires(generated_at: &str, expires: Option<&str>) -> Result<(), PublishError> {
    let Some(expires) = expires else {
        return Ok(());
    };
    let bad = |reason: String| {
        PublishError::Manifest(ManifestError::Field {
            field: "expires",
            reason,
        })
    };
    let at = fuitecheck_core::manifest::parse_utc(expires)
        .ok_or_else(|| bad(format!("`{expires}` is not an RFC 3339 UTC time")))?;
    let now = fuitecheck_core::manifest::parse_utc(generated_at).ok_or_else(|| {
        PublishError::Manifest(ManifestError::Field {
            field: "generated_at",
            reason: format!("`{generated_at}` is not an RFC 3339 UTC time"),
        })
    })?;
    if at <= now {
        return Err(bad(format!(
            "`{expires}` is not later than generated_at `{generated_at}`"
        )));
    }
    Ok(())
}

/// Re-sign the manifest without changing any breach: a new
/// `generated_at`, `sequence` raised by one, and `expires` set (`Some`),
/// removed (`Some(None)`) or kept (`None`).
pub fn resign(
    dir: &Path,
    signer: &SigningKey,
    generated_at: &str,
    expires: Option<Option<String>>,
) -> Result<u64, PublishError> {
    let mut manifest = load_manifest(dir)?;
    manifest.generated_at = generated_at.to_owned();
    if let Some(expires) = expires {
        manifest.expires = expires;
    }
    write_signed_manifest(dir, &manifest, signer)
}

/// The published (compact) set of a full copy: every lookup once, with
/// the union of its masks across buckets, keeping `bits` bits (default
/// [`setfile::default_bits`] of the number of distinct lookups). Returns
/// the bytes, their statistics and the bits kept.
pub fn compact_set(
    copy: &FullCopy,
    bits: Option<u32>,
) -> Result<(Vec<u8>, setfile::SetStats, u32), PublishError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut lookups = 0u64;
    for (_, m) in copy.by_lookup() {
        lookups += 1;
        seen.insert(m);
    }
    let masks = setfile::mask_table(seen)?;
    let bits = bits.unwrap_or_else(|| setfile::default_bits(lookups));
    if !(setfile::MIN_BITS..=64).contains(&bits) {
        return Err(PublishError::Invalid(format!(
            "a set keeps 48 to 64 fingerprint bits, not {bits}"
        )));
    }
    let entries = setfile::count_compact(bits, &masks, copy.by_lookup().map(Ok))?;
    let mut bytes = Vec::new();
    let stats = setfile::write_compact_sorted(
        &mut bytes,
        copy.code(),
        bits,
        &masks,
        entries,
        copy.by_lookup().map(Ok),
    )?;
    Ok((bytes, stats, bits))
}

/// Write the manifest and its signature (signature last), with `sequence`
/// raised by one: every signing does (SPEC §6). Returns the new sequence.
pub fn write_signed_manifest(
    dir: &Path,
    manifest: &Manifest,
    signer: &SigningKey,
) -> Result<u64, PublishError> {
    let v1 = dir.join("v1");
    let mut manifest = manifest.clone();
    manifest.sequence = manifest
        .sequence
        .checked_add(1)
        .filter(|s| *s <= fuitecheck_core::manifest::MAX_SEQUENCE)
        .ok_or_else(|| PublishError::Invalid("sequence cannot be raised any further".to_owned()))?;
    check_expires(&manifest.generated_at, manifest.expires.as_deref())?;
    let text = manifest.to_json_pretty();
    // Never sign what a client refuses (bounds, characters, SPEC §6).
    Manifest::from_signed_json(text.as_bytes())?;
    let sig = signer.sign(
        text.as_bytes(),
        &format!("fuitecheck manifest generated_at:{}", manifest.generated_at),
    )?;
    atomic_write(&v1.join(MANIFEST_FILE), text.as_bytes())?;
    atomic_write(&v1.join(SIGNATURE_FILE), sig.as_bytes())?;
    Ok(manifest.sequence)
}

/// The full copies the range API is answered from, by breach code: each
/// breach's `<dir>/full/<id>.fcfull` (see [`FULL_DIR`]), verified whole.
/// `v1` is the publication's `v1/`.
pub fn open_range_sets(
    v1: &Path,
    manifest: &Manifest,
) -> Result<Vec<(u16, FullCopy)>, PublishError> {
    let mut out = Vec::new();
    for b in &manifest.breaches {
        if b.set.is_none() {
            continue;
        }
        let path = full_set_path(v1, &b.breach.id);
        if !path.exists() {
            return Err(PublishError::Invalid(format!(
                "the range API needs the full copy {} of breach `{}` (whole lookups with their \
                 NIR buckets, which the published set does not keep); re-run \
                 `fuitecheck-publish add` for it where the publication was built",
                path.display(),
                b.breach.id
            )));
        }
        let copy = FullCopy::open(&path).map_err(|e| match e {
            FullCopyError::Io(source) => PublishError::Io {
                path: path.display().to_string(),
                source,
            },
            other => PublishError::Invalid(format!("{}: {other}", path.display())),
        })?;
        if copy.code() != b.breach.code {
            return Err(PublishError::Invalid(format!(
                "{} is not the full copy of breach `{}` (code {}, not {})",
                path.display(),
                b.breach.id,
                copy.code(),
                b.breach.code
            )));
        }
        out.push((b.breach.code, copy));
    }
    Ok(out)
}

/// Whether `full` (a full copy) is the source of `published` (the
/// published set's bytes): re-encoding its lookups at the published width
/// must give the very same bytes. O(n); the server runs it at load so that
/// online and offline checks can never disagree.
pub fn full_copy_matches(
    full: &FullCopy,
    published: &SetFile,
    published_bytes: &[u8],
) -> Result<bool, PublishError> {
    if full.code() != published.code() {
        return Ok(false);
    }
    let bits = published.fingerprint_bits();
    if published.version() == setfile::VERSION_COMPACT {
        let (out, _, _) = compact_set(full, Some(bits))?;
        Ok(out == published_bytes)
    } else {
        let mut out = Vec::with_capacity(published_bytes.len());
        let pairs: Vec<_> = full.by_lookup().collect();
        setfile::write_set(&mut out, full.code(), (bits / 8) as u8, pairs)?;
        Ok(out == published_bytes)
    }
}

/// Real lines per bucket of `p` hex characters, over every breach.
pub fn bucket_lines(range_sets: &[(u16, FullCopy)], p: u8) -> Vec<u64> {
    (0..bucket_count(p))
        .map(|v| {
            range_sets
                .iter()
                .map(|(_, c)| c.bucket_len(v, p) as u64)
                .sum()
        })
        .collect()
}

/// `pad_lines`: the largest bucket of the NIR buckets (real lines over
/// every breach), at least 1 (`docs/protocol.md` §7.3). Above what clients
/// accept (SPEC §6: 4 194 304) the publication cannot be checked online:
/// refused, suggesting 256 buckets.
pub fn compute_pad_lines(range_sets: &[(u16, FullCopy)], p: u8) -> Result<u32, PublishError> {
    let largest = bucket_lines(range_sets, p)
        .into_iter()
        .max()
        .unwrap_or(0)
        .max(1);
    if largest > u64::from(MAX_PAD_LINES) {
        let advice = if p < 2 {
            "rebuild the publication with `init --prefix-hex-chars 2` (256 buckets)"
        } else {
            "split the records into several publications"
        };
        return Err(PublishError::Invalid(format!(
            "the largest range bucket would hold {largest} lines, more than the \
             {MAX_PAD_LINES} clients accept (range.pad_lines): {advice}"
        )));
    }
    Ok(largest as u32)
}

/// The range answer for bucket number `v`: the bucket's lines of every
/// full copy, padded ([`fuitecheck_core::range::build_response`]). What
/// `serve`, `export-static` and the signed digests all use.
pub fn range_body(
    manifest: &Manifest,
    range_sets: &[(u16, FullCopy)],
    v: u32,
) -> Result<Vec<u8>, String> {
    let p = manifest.range.prefix_hex_chars;
    fuitecheck_core::range::build_response(
        manifest,
        v,
        range_sets.iter().flat_map(|(_, c)| c.lines(v, p)),
    )
}

/// The [`RangeParams::bucket_digests`] of a publication whose range
/// parameters are final: every range answer built (on every core) and
/// hashed, one per bucket (16^P).
pub fn bucket_digests(
    manifest: &Manifest,
    range_sets: &[(u16, FullCopy)],
) -> Result<Vec<String>, PublishError> {
    let p = manifest.range.prefix_hex_chars;
    let digests: Result<Vec<String>, String> = (0..bucket_count(p))
        .into_par_iter()
        .map(|v| {
            range_body(manifest, range_sets, v)
                .map(|b| fuitecheck_core::range::bucket_digest(&b))
                .map_err(|e| format!("bucket {}: {e}", bucket_text(v, p)))
        })
        .collect();
    digests.map_err(PublishError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuitecheck_core::fingerprint::Lookup;

    /// `pad_lines` counts by NIR bucket over every breach, and a bucket
    /// above what clients accept is refused with advice: 16 buckets of
    /// 4 194 320 lines at P = 1 (the same records fit at P = 2).
    #[test]
    fn pad_lines_count_nir_buckets_and_refuse_above_the_bound() {
        let per_byte = 262_145u64;
        let mut counts = [0u64; full::BUCKETS];
        for c in counts.iter_mut().take(16) {
            *c = per_byte;
        }
        let mask = CategoryMask::from_bits(1).unwrap();
        let entries = (0..16u8).flat_map(|b| {
            (0..per_byte).map(move |i| Ok((NirBucket::from_byte(b), Lookup(i), mask)))
        });
        let mut bytes = Vec::new();
        full::write(&mut bytes, 5, &[mask], &counts, entries).unwrap();
        let copy = FullCopy::from_vec(bytes).unwrap();
        // A second breach with one line in bucket 00.
        let mut small = Vec::new();
        let mut one = [0u64; full::BUCKETS];
        one[0] = 1;
        full::write(
            &mut small,
            6,
            &[mask],
            &one,
            std::iter::once(Ok((NirBucket::from_byte(0), Lookup(7), mask))),
        )
        .unwrap();
        let sets = vec![(5, copy), (6, FullCopy::from_vec(small).unwrap())];
        assert_eq!(compute_pad_lines(&sets, 2).unwrap(), 262_146);
        let e = compute_pad_lines(&sets, 1).unwrap_err().to_string();
        assert!(e.contains("4194321 lines"), "{e}");
        assert!(e.contains("--prefix-hex-chars 2"), "{e}");
        assert_eq!(compute_pad_lines(&[], 2).unwrap(), 1);
    }
}
