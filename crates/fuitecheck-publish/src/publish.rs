//! Building publications (the publisher's side of SPEC §6–§8).
//!
//! A publication directory holds `v1/manifest.json`, its signature and one
//! set file per breach. [`init`] writes an empty manifest; [`put_breach`]
//! (re)builds one breach's set from its records, updates the manifest,
//! recomputes `pad_lines` and re-signs. Every file is written atomically
//! (temporary file in the same directory, fsync, rename), set file first
//! and signature last, so a crash leaves either the old or the new
//! publication, never a mix that verifies.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use crate::runs::Sorted;
use crate::signing::{SigningError, SigningKey};
use fuitecheck_core::catalogue::Breach;
use fuitecheck_core::category::CategoryMask;
use fuitecheck_core::fingerprint::{KdfError, KdfParams, Lookup};
use fuitecheck_core::fsutil::atomic_write;
use fuitecheck_core::manifest::{Manifest, ManifestError, PublishedBreach, RangeParams, SetInfo};
use fuitecheck_core::nir::Nir;
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

/// Fingerprint records on every core (rayon). Progress is reported as the
/// number of fingerprints done.
pub fn fingerprint_records(
    kdf: &KdfParams,
    records: &[Record],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<(Lookup, CategoryMask)>, KdfError> {
    let jobs: Vec<(&Nir, &Surname, CategoryMask)> = records
        .iter()
        .flat_map(|r| r.surnames.iter().map(move |s| (&r.nir, s, r.mask)))
        .collect();
    let done = std::sync::atomic::AtomicU64::new(0);
    jobs.par_iter()
        .map(|(nir, surname, mask)| {
            let l = kdf.lookup(nir, surname)?;
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n);
            Ok((l, *mask))
        })
        .collect()
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
    let range = RangeParams {
        prefix_hex_chars: opts.prefix_hex_chars,
        pad_lines: 1,
        bucket_digests: None,
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
    let manifest = Manifest {
        publisher: opts.publisher.clone(),
        generated_at: opts.generated_at.clone(),
        // Unsigned: every signing raises it by one (SPEC §6).
        sequence: 0,
        expires: opts.expires.clone(),
        demo: opts.demo,
        kdf: opts.kdf.clone(),
        range,
        breaches: Vec::new(),
    };
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
    /// Entries of the full copy kept for the range API (distinct lookups).
    pub full_entries: u64,
    /// The new `pad_lines`.
    pub pad_lines: u32,
}

/// Directory, beside `v1/`, where the publisher keeps each breach's full
/// 64-bit lookups (format version 1): the range API is answered from it,
/// since the published compact sets keep fewer bits. It is not part of
/// the publication: never upload it.
pub const FULL_DIR: &str = "full";

/// The full copy of breach `id`'s lookups for the publication whose `v1/`
/// directory is `v1`.
pub fn full_set_path(v1: &Path, id: &str) -> PathBuf {
    v1.parent()
        .unwrap_or(Path::new("."))
        .join(FULL_DIR)
        .join(format!("{id}.fcset"))
}

/// (Re)build one breach: write its set file from the fingerprints, put the
/// breach in the manifest (replacing any previous version), recompute
/// `pad_lines` and sign. The set keeps [`setfile::default_bits`] bits.
pub fn put_breach(
    dir: &Path,
    breach: &Breach,
    pairs: Vec<(Lookup, CategoryMask)>,
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
/// (`<dir>/full/<id>.fcset`), then the compact published set, then the
/// manifest and its signature. Reads the pairs three times; memory is the
/// two output files.
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
    // Pass 1: count, collect the masks, check them against the catalogue.
    let allowed = breach.mask();
    let mut seen = std::collections::BTreeSet::new();
    let mut full_entries = 0u64;
    for item in sorted.pairs().map_err(read_err)? {
        let (_, m) = item.map_err(read_err)?;
        full_entries += 1;
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
    let masks = setfile::mask_table(seen)?;
    let bits = bits.unwrap_or_else(|| setfile::default_bits(full_entries));
    if !(setfile::MIN_BITS..=64).contains(&bits) {
        return Err(PublishError::Invalid(format!(
            "a set keeps 48 to 64 fingerprint bits, not {bits}"
        )));
    }
    // Pass 2: entries after truncation; pass 3: both files.
    let entries = setfile::count_compact(bits, &masks, sorted.pairs().map_err(read_err)?)?;
    let mut full = Vec::new();
    setfile::write_full_sorted(
        &mut full,
        breach.code,
        &masks,
        full_entries,
        sorted.pairs().map_err(read_err)?,
    )?;
    let mut bytes = Vec::new();
    let stats = setfile::write_compact_sorted(
        &mut bytes,
        breach.code,
        bits,
        &masks,
        entries,
        sorted.pairs().map_err(read_err)?,
    )?;
    let v1 = dir.join("v1");
    let full_path = full_set_path(&v1, &breach.id);
    if let Some(parent) = full_path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    atomic_write(&full_path, &full)?;
    drop(full);
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
    manifest.range.pad_lines = compute_pad_lines(&range_sets, manifest.range.prefix_hex_chars);
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

/// The sets the range API is answered from, by breach code: each
/// breach's full copy (`<dir>/full/<id>.fcset`, see [`FULL_DIR`]) or, for
/// a publication built before full copies existed, its published set when
/// that keeps whole 64-bit lookups. `v1` is the publication's `v1/`.
pub fn open_range_sets(
    v1: &Path,
    manifest: &Manifest,
) -> Result<Vec<(u16, SetFile)>, PublishError> {
    let open = |p: &Path| {
        SetFile::open_for_scan(p).map_err(|e| match e {
            SetError::Io(source) => PublishError::Io {
                path: p.display().to_string(),
                source,
            },
            other => PublishError::Set(other),
        })
    };
    let mut out = Vec::new();
    for b in &manifest.breaches {
        let Some(info) = &b.set else { continue };
        let full = full_set_path(v1, &b.breach.id);
        let set = if full.exists() {
            let set = open(&full)?;
            if set.code() != b.breach.code || !set.has_full_lookups() {
                return Err(PublishError::Invalid(format!(
                    "{} is not the full copy of breach `{}` (code {}, {} bits)",
                    full.display(),
                    b.breach.id,
                    set.code(),
                    set.fingerprint_bits()
                )));
            }
            set
        } else {
            let published = v1.join(&info.path);
            let set = open(&published)?;
            if !set.has_full_lookups() {
                return Err(PublishError::Invalid(format!(
                    "the range API needs whole lookups: {} keeps {} bits and its full copy {} is missing \
                     (re-run `fuitecheck-publish add` for breach `{}` where the publication was built)",
                    published.display(),
                    set.fingerprint_bits(),
                    full.display(),
                    b.breach.id
                )));
            }
            set
        };
        out.push((b.breach.code, set));
    }
    Ok(out)
}

/// Whether `full` (a full copy) is the source of `published` (the
/// published set's bytes): re-encoding it at the published width must give
/// the very same bytes. O(n); the server runs it at load so that online and
/// offline checks can never disagree.
pub fn full_copy_matches(
    full: &SetFile,
    published: &SetFile,
    published_bytes: &[u8],
) -> Result<bool, PublishError> {
    if !full.has_full_lookups() || full.code() != published.code() {
        return Ok(false);
    }
    let pairs = || full.iter_entries().map(Ok);
    let bits = published.fingerprint_bits();
    let mut out = Vec::with_capacity(published_bytes.len());
    if published.version() == setfile::VERSION_COMPACT {
        let n = setfile::count_compact(bits, full.masks(), pairs())?;
        setfile::write_compact_sorted(&mut out, full.code(), bits, full.masks(), n, pairs())?;
    } else {
        let pairs: Vec<_> = full.iter_entries().collect();
        setfile::write_set(&mut out, full.code(), (bits / 8) as u8, pairs)?;
    }
    Ok(out == published_bytes)
}

/// The largest bucket over every prefix: (fingerprint, breach) lines per
/// `p`-character prefix, at least 1.
fn compute_pad_lines(range_sets: &[(u16, SetFile)], p: u8) -> u32 {
    let p = u32::from(p);
    let mut counts = vec![0u32; 1usize << (4 * p)];
    for (_, set) in range_sets {
        for l in set.iter_lookups() {
            counts[(l.0 >> (64 - 4 * p)) as usize] += 1;
        }
    }
    counts.iter().copied().max().unwrap_or(0).max(1)
}

/// Prefix lengths up to which the manifest carries bucket digests (256
/// entries at P = 2; 4 096 at P = 3 would make the manifest ~140 KB).
pub const BUCKET_DIGESTS_MAX_P: u8 = 2;

/// The [`RangeParams::bucket_digests`] of a publication whose range
/// parameters are final: every range response built (on every core) and
/// hashed. `None` above [`BUCKET_DIGESTS_MAX_P`].
pub fn bucket_digests(
    manifest: &Manifest,
    range_sets: &[(u16, SetFile)],
) -> Result<Option<Vec<String>>, PublishError> {
    let p = manifest.range.prefix_hex_chars;
    if p > BUCKET_DIGESTS_MAX_P {
        return Ok(None);
    }
    let n = 1u32 << (4 * u32::from(p));
    let digests: Result<Vec<String>, String> = (0..n)
        .into_par_iter()
        .map(|v| {
            fuitecheck_core::range::build_response(manifest, range_sets, v)
                .map(|b| fuitecheck_core::range::bucket_digest(&b))
        })
        .collect();
    digests.map(Some).map_err(PublishError::Invalid)
}
