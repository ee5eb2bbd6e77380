//! Sharded publisher builds.
//!
//! At the default cost a fingerprint takes ~0.2 s of one core: 36 million
//! of them (the Viamedis/Almerys scale) are ~2,000 core-hours, so a large
//! publisher spreads the work over many machines. `fuitecheck-publish add
//! --shard I/N --out F` fingerprints slice `I` of `N` of the input rows
//! (row `r` belongs to slice `r mod N`) and writes a *shard file*: the
//! slice's sorted (bucket, lookup, mask) triples — the bucket being that
//! of the record's NIR, which the range API needs — and its ingest report. `merge`
//! checks that it holds every slice exactly once, built with the same
//! breach and KDF, merges them and builds the breach exactly as a single
//! `add` would: the set files and manifest are byte-identical.
//!
//! Shard file (all integers little-endian):
//!
//! ```text
//! 0   8  magic "FUITESHD"
//! 8   2  version (2; version 1 carried no bucket and is refused)
//! 10  2  breach code
//! 12  4  slice index I
//! 16  4  slice count N
//! 20  32 SHA-256 of the KDF parameters (see kdf_digest)
//! 52  4  report length R
//! 56  8  pair count C
//! 64  R  the slice's ingest report (JSON)
//! ..  C × 13 pairs: NIR bucket byte (1, the bucket at P = 2), lookup
//!        (8, big-endian), mask (4), sorted by (bucket, lookup), merged
//! ```
//!
//! A shard file holds fingerprints and buckets, not names or NIRs; it is
//! as sensitive as the range API (which publishes the same values, each
//! under its bucket) but should still travel only between the publisher's
//! own machines.

use std::io::{BufWriter, Read as _, Write as _};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::ingest::{IngestReport, Shard};
use crate::runs::{self, RunFile, Sorted};
use fuitecheck_core::fingerprint::KdfParams;
use fuitecheck_core::oprf::OprfPublicKey;

/// Shard file magic.
pub const MAGIC: &[u8; 8] = b"FUITESHD";
/// Shard file version.
pub const VERSION: u16 = 2;
const FIXED_LEN: usize = 64;

/// A shard file that cannot be used, or a set of shards that does not
/// make a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// Not a shard file, or a damaged one.
    #[error("{path}: {reason}")]
    Bad {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The shards do not belong together or some are missing.
    #[error("{0}")]
    Mismatch(String),
}

/// What a shard file says about itself.
#[derive(Debug, Clone)]
pub struct ShardInfo {
    /// Where it is.
    pub path: PathBuf,
    /// Breach code.
    pub code: u16,
    /// Which slice.
    pub shard: Shard,
    /// [`kdf_digest`] of the parameters it was built with.
    pub kdf_digest: [u8; 32],
    /// The slice's ingest report.
    pub report: IngestReport,
    /// Number of pairs.
    pub pairs: u64,
    body_offset: u64,
}

/// A digest binding the KDF parameters (cost and salt): shards built
/// against different manifests cannot be merged.
pub fn kdf_digest(kdf: &KdfParams) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"fuitecheck/v1/shard-kdf");
    h.update(kdf.memory_kib.to_le_bytes());
    h.update(kdf.iterations.to_le_bytes());
    h.update(kdf.parallelism.to_le_bytes());
    h.update((kdf.salt.len() as u64).to_le_bytes());
    h.update(&kdf.salt);
    h.finalize().into()
}

/// [`kdf_digest`], also binding the OPRF public key of an OPRF publication
/// (SPEC §11): slices computed with another key, or without one, cannot be
/// merged into it. Without a key it is [`kdf_digest`] itself.
pub fn lookup_digest(kdf: &KdfParams, oprf: Option<&OprfPublicKey>) -> [u8; 32] {
    let base = kdf_digest(kdf);
    match oprf {
        None => base,
        Some(pk) => {
            let mut h = Sha256::new();
            h.update(b"fuitecheck/v1/shard-oprf");
            h.update(base);
            h.update(pk.as_bytes());
            h.finalize().into()
        }
    }
}

/// Write a shard file atomically (temporary file in the same directory,
/// then rename). Returns the number of pairs.
pub fn write(
    path: &Path,
    code: u16,
    shard: Shard,
    kdf: &KdfParams,
    oprf: Option<&OprfPublicKey>,
    report: &IngestReport,
    sorted: &Sorted,
) -> Result<u64, ShardError> {
    let io = |source| ShardError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let json = serde_json::to_vec(report).map_err(|e| io(std::io::Error::other(e)))?;
    let mut count = 0u64;
    for p in sorted.pairs().map_err(io)? {
        p.map_err(io)?;
        count += 1;
    }
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let mut out = BufWriter::new(tmp.as_file());
    let mut head = Vec::with_capacity(FIXED_LEN);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&code.to_le_bytes());
    head.extend_from_slice(&shard.index.to_le_bytes());
    head.extend_from_slice(&shard.count.to_le_bytes());
    head.extend_from_slice(&lookup_digest(kdf, oprf));
    head.extend_from_slice(&(json.len() as u32).to_le_bytes());
    head.extend_from_slice(&count.to_le_bytes());
    out.write_all(&head).map_err(io)?;
    out.write_all(&json).map_err(io)?;
    let mut pairs = Vec::new();
    for p in sorted.pairs().map_err(io)? {
        pairs.push(p.map_err(io)?);
        if pairs.len() == 4096 {
            runs::write_records(&mut out, pairs.drain(..)).map_err(io)?;
        }
    }
    runs::write_records(&mut out, pairs).map_err(io)?;
    out.flush().map_err(io)?;
    drop(out);
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(count)
}

/// Read and check a shard file's header and report.
pub fn read_info(path: &Path) -> Result<ShardInfo, ShardError> {
    let p = path.display().to_string();
    let io = |source| ShardError::Io {
        path: p.clone(),
        source,
    };
    let bad = |reason: String| ShardError::Bad {
        path: p.clone(),
        reason,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    let mut head = [0u8; FIXED_LEN];
    f.read_exact(&mut head)
        .map_err(|_| bad("not a shard file (too short)".to_owned()))?;
    if &head[..8] != MAGIC {
        return Err(bad("not a shard file (bad magic)".to_owned()));
    }
    let u16_at = |o: usize| u16::from_le_bytes([head[o], head[o + 1]]);
    let u32_at = |o: usize| u32::from_le_bytes(crate::runs::array(&head[o..]));
    let version = u16_at(8);
    if version != VERSION {
        return Err(bad(format!("unsupported shard file version {version}")));
    }
    let code = u16_at(10);
    let shard = Shard {
        index: u32_at(12),
        count: u32_at(16),
    };
    if shard.count == 0 || shard.index >= shard.count {
        return Err(bad(format!(
            "impossible slice {}/{}",
            shard.index, shard.count
        )));
    }
    let mut kdf = [0u8; 32];
    kdf.copy_from_slice(&head[20..52]);
    let report_len = u64::from(u32_at(52));
    let pairs = u64::from_le_bytes(crate::runs::array(&head[56..]));
    let body_offset = FIXED_LEN as u64 + report_len;
    let expected = pairs
        .checked_mul(runs::RECORD_LEN as u64)
        .and_then(|b| b.checked_add(body_offset));
    if expected != Some(len) {
        return Err(bad(format!(
            "length {len} does not match its header (incomplete copy?)"
        )));
    }
    let mut json = vec![0u8; report_len as usize];
    f.read_exact(&mut json).map_err(io)?;
    let report: IngestReport =
        serde_json::from_slice(&json).map_err(|e| bad(format!("unreadable report: {e}")))?;
    Ok(ShardInfo {
        path: path.to_path_buf(),
        code,
        shard,
        kdf_digest: kdf,
        report,
        pairs,
        body_offset,
    })
}

/// Check that `paths` are every slice of one build of breach `code` with
/// `kdf`, exactly once: the merged pairs and the whole report.
pub fn assemble(
    paths: &[PathBuf],
    code: u16,
    kdf: &KdfParams,
    oprf: Option<&OprfPublicKey>,
) -> Result<(Sorted, IngestReport), ShardError> {
    let infos = paths
        .iter()
        .map(|p| read_info(p))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = infos.first() else {
        return Err(ShardError::Mismatch("no shard file given".to_owned()));
    };
    let n = first.shard.count;
    let digest = lookup_digest(kdf, oprf);
    // Slice index → file; never sized by N, which comes from the file.
    let mut seen: std::collections::BTreeMap<u32, &Path> = std::collections::BTreeMap::new();
    for s in &infos {
        let name = s.path.display();
        if s.code != code {
            return Err(ShardError::Mismatch(format!(
                "{name} was built for breach code {}, not {code}",
                s.code
            )));
        }
        if s.kdf_digest != digest {
            return Err(ShardError::Mismatch(format!(
                "{name} was built with other KDF parameters, salt or OPRF key than this publication's manifest"
            )));
        }
        if s.shard.count != n {
            return Err(ShardError::Mismatch(format!(
                "{name} is slice {}/{}, others are out of {n}",
                s.shard.index, s.shard.count
            )));
        }
        if let Some(other) = seen.insert(s.shard.index, &s.path) {
            return Err(ShardError::Mismatch(format!(
                "slice {}/{n} given twice: {} and {name}",
                s.shard.index,
                other.display()
            )));
        }
    }
    if seen.len() as u64 != u64::from(n) {
        // The first few missing indexes (at most len + 10 steps).
        let missing: Vec<String> = (0..n)
            .filter(|i| !seen.contains_key(i))
            .take(10)
            .map(|i| format!("{i}/{n}"))
            .collect();
        let more = u64::from(n) - seen.len() as u64 - missing.len() as u64;
        return Err(ShardError::Mismatch(format!(
            "missing slice(s): {}{}",
            missing.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )));
    }
    let mut report = IngestReport::default();
    let mut sorted_infos: Vec<&ShardInfo> = infos.iter().collect();
    sorted_infos.sort_by_key(|s| s.shard.index);
    for s in &sorted_infos {
        report.absorb(&s.report);
    }
    let runs = sorted_infos
        .iter()
        .map(|s| RunFile {
            path: s.path.clone(),
            offset: s.body_offset,
            count: Some(s.pairs),
        })
        .collect();
    Ok((Sorted::from_runs(runs), report))
}
