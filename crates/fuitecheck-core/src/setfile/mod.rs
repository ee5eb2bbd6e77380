//! The offline set file (`.fcset`), format versions 1 and 2.
//!
//! The normative description is `docs/set-format.md`. Both versions share
//! a 32-byte header and a mask table; integers are little-endian except
//! version-1 fingerprints, which are big-endian so that byte order is
//! numeric order:
//!
//! ```text
//! 0   8  magic "FUITESET"
//! 8   2  format version (1 or 2)
//! 10  1  v1: fingerprint bytes F (6–8)      v2: fingerprint bits B (48–64)
//! 11  1  v1: mask-index bytes I (1 or 2)    v2: mask-index bits W = ⌈log₂ M⌉
//! 12  2  breach code
//! 14  2  mask count M (1..=65535)
//! 16  8  entry count N
//! 24  8  v1: reserved, zero                 v2: L, select shift (9), 6 zero bytes
//! 32  4M mask table: distinct masks, strictly ascending
//! ..     v1: N × (F + I) fixed-size entries, sorted
//!        v2: Elias–Fano body (see `compact.rs`)
//! ```
//!
//! Version 1 is looked up by binary search over fixed-size entries
//! (O(log n) page touches); version 2, the compact encoding publishers
//! ship, by a sampled select over an Elias–Fano bit-vector (a handful of
//! page touches, ~3.5 bytes per entry at 33 M entries).

mod compact;

use std::fs::File;
use std::io::{self, Write};
use std::ops::Deref;
use std::path::Path;

use crate::category::{CategoryMask, ReservedBits};
use crate::fingerprint::Lookup;

/// The file magic.
pub const MAGIC: &[u8; 8] = b"FUITESET";
/// The fixed-size format (binary search).
pub const VERSION_FIXED: u16 = 1;
/// The compact (Elias–Fano) format.
pub const VERSION_COMPACT: u16 = 2;
/// The newest format version this module reads.
pub const VERSION: u16 = VERSION_COMPACT;
/// Header length in bytes.
pub const HEADER_LEN: usize = 32;
/// Fingerprint bytes of a version-1 file that keeps whole lookups.
pub const DEFAULT_FP_BYTES: u8 = 8;
/// Fewest fingerprint bits a set file may store (SPEC §3).
pub const MIN_BITS: u32 = 48;
/// A published set keeps enough bits that a check's false-match rate per
/// fingerprint stays below 2^-`FALSE_MATCH_LOG2` (about 1 in 16.8 million).
pub const FALSE_MATCH_LOG2: u32 = 24;

/// The fingerprint bits a publisher stores by default for `entries`
/// entries: the fewest (at least 48) that keep `entries / 2^bits` at or
/// below 2^-24. 48 bits up to 16.7 M entries, 49 at 33 M, 64 at most.
pub fn default_bits(entries: u64) -> u32 {
    (compact::ceil_log2(entries) + FALSE_MATCH_LOG2).clamp(MIN_BITS, 64)
}

/// A set file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetError {
    /// Reading failed.
    #[error("cannot read set file: {0}")]
    Io(#[from] io::Error),
    /// Not a FuiteCheck set file.
    #[error("not a FuiteCheck set file (bad magic)")]
    BadMagic,
    /// A newer format.
    #[error("unsupported set file version {0} (this app reads versions 1 and {VERSION})")]
    UnsupportedVersion(u16),
    /// Header fields out of range or inconsistent.
    #[error("corrupt set file header: {0}")]
    BadHeader(String),
    /// The file is not as long as its header says.
    #[error("set file length {actual} does not match its header ({expected} bytes expected)")]
    BadLength {
        /// Length required by the header.
        expected: u64,
        /// Actual length.
        actual: u64,
    },
    /// Entries out of order or pointing outside the mask table.
    #[error("corrupt set file entries: {0}")]
    BadEntries(String),
    /// A mask with reserved bits.
    #[error("corrupt set file mask table: {0}")]
    BadMask(#[from] ReservedBits),
    /// Too many distinct masks to write.
    #[error("too many distinct category masks ({0}, at most 65535)")]
    TooManyMasks(usize),
}

enum Backing {
    Mapped(memmap2::Mmap),
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

impl Deref for Backing {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Self::Mapped(m) => m,
            Self::Static(s) => s,
            Self::Owned(v) => v,
        }
    }
}

/// How the entries are stored.
enum Layout {
    /// Version 1: `entries` fixed-size entries from `offset`.
    Fixed {
        fp_bytes: usize,
        index_bytes: usize,
        offset: usize,
    },
    /// Version 2: Elias–Fano.
    Compact(compact::Compact),
}

/// A read-only set file.
pub struct SetFile {
    data: Backing,
    layout: Layout,
    code: u16,
    masks: Vec<CategoryMask>,
    entries: usize,
}

impl std::fmt::Debug for SetFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetFile")
            .field("version", &self.version())
            .field("code", &self.code)
            .field("entries", &self.entries)
            .field("fingerprint_bits", &self.fingerprint_bits())
            .field("masks", &self.masks.len())
            .finish()
    }
}

fn u16_at(d: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([d[o], d[o + 1]])
}

impl SetFile {
    /// Memory-map a file and check its header. Nothing else is read: a
    /// lookup right after `open` touches only the pages it needs. The map
    /// is advised random access, so that each page fault reads one page
    /// rather than the device's readahead window (8 MiB on some virtual
    /// disks): a cold lookup reads a handful of pages.
    ///
    /// For files the caller owns and nobody else writes (the publisher's
    /// own files, benchmarks): a map follows in-place writes and faults
    /// (SIGBUS) on pages a truncation removed. The app opens publications
    /// with [`crate::publication::read_verified`] and
    /// [`SetFile::from_vec`] instead: read once, verify what it uses.
    pub fn open(path: &Path) -> Result<Self, SetError> {
        Self::open_advised(path, false)
    }

    /// [`SetFile::open`] for reading the whole file in order (publisher
    /// side: building range answers, checking full copies): sequential
    /// readahead.
    pub fn open_for_scan(path: &Path) -> Result<Self, SetError> {
        Self::open_advised(path, true)
    }

    fn open_advised(path: &Path, sequential: bool) -> Result<Self, SetError> {
        let file = File::open(path)?;
        // SAFETY: the map is read-only, and only used on files the caller
        // owns (see `open`): they are replaced by atomic rename, never
        // rewritten or truncated in place, so the mapped inode does not
        // change under us. Publications from elsewhere are read into
        // memory instead (`publication::read_verified`).
        let map = unsafe { memmap2::Mmap::map(&file)? };
        #[cfg(unix)]
        {
            // Advice only; a kernel that refuses it reads as before.
            let advice = if sequential {
                memmap2::Advice::Sequential
            } else {
                memmap2::Advice::Random
            };
            let _ = map.advise(advice);
        }
        #[cfg(not(unix))]
        let _ = sequential;
        Self::from_backing(Backing::Mapped(map))
    }

    /// A set file embedded in the binary.
    pub fn from_static(bytes: &'static [u8]) -> Result<Self, SetError> {
        Self::from_backing(Backing::Static(bytes))
    }

    /// A set file held in memory.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Self, SetError> {
        Self::from_backing(Backing::Owned(bytes))
    }

    fn from_backing(data: Backing) -> Result<Self, SetError> {
        let d: &[u8] = &data;
        if d.len() < HEADER_LEN || &d[..8] != MAGIC {
            return Err(SetError::BadMagic);
        }
        let version = u16_at(d, 8);
        if version != VERSION_FIXED && version != VERSION_COMPACT {
            return Err(SetError::UnsupportedVersion(version));
        }
        let code = u16_at(d, 12);
        let mask_count = usize::from(u16_at(d, 14));
        let mut n = [0u8; 8];
        n.copy_from_slice(&d[16..24]);
        let entries = u64::from_le_bytes(n);
        let bad = |s: String| Err(SetError::BadHeader(s));
        if code == 0 {
            return bad("breach code 0".to_owned());
        }
        if mask_count == 0 {
            return bad("empty mask table".to_owned());
        }
        let body = HEADER_LEN + 4 * mask_count;
        let (layout, expected) = if version == VERSION_FIXED {
            let fp_bytes = usize::from(d[10]);
            let index_bytes = usize::from(d[11]);
            if !(6..=8).contains(&fp_bytes) {
                return bad(format!(
                    "fingerprint width {fp_bytes} bytes (6 to 8 allowed)"
                ));
            }
            let want_index = if mask_count <= 256 { 1 } else { 2 };
            if index_bytes != want_index {
                return bad(format!(
                    "mask index width {index_bytes} for {mask_count} masks (expected {want_index})"
                ));
            }
            if d[24..32].iter().any(|&b| b != 0) {
                return bad("reserved bytes are not zero".to_owned());
            }
            let expected = (body as u64)
                .saturating_add(entries.saturating_mul((fp_bytes + index_bytes) as u64));
            let layout = Layout::Fixed {
                fp_bytes,
                index_bytes,
                offset: body,
            };
            (layout, expected)
        } else {
            let bits = u32::from(d[10]);
            let index_bits = u32::from(d[11]);
            if !(MIN_BITS..=64).contains(&bits) {
                return bad(format!("fingerprint width {bits} bits (48 to 64 allowed)"));
            }
            let want_index = compact::index_bits_for(mask_count);
            if index_bits != want_index {
                return bad(format!(
                    "mask index width {index_bits} bits for {mask_count} masks (expected {want_index})"
                ));
            }
            let want_low = compact::low_bits_for(bits, entries);
            if u32::from(d[24]) != want_low {
                return bad(format!(
                    "{} low bits for {entries} entries of {bits} bits (expected {want_low})",
                    d[24]
                ));
            }
            if d[25] != compact::SELECT_SHIFT {
                return bad(format!("select sampling 2^{} (expected 2^9)", d[25]));
            }
            if d[26..32].iter().any(|&b| b != 0) {
                return bad("reserved bytes are not zero".to_owned());
            }
            let c = compact::Compact::layout(body, bits, index_bits, entries)
                .map_err(SetError::BadHeader)?;
            let total = c.total;
            (Layout::Compact(c), total)
        };
        if expected != d.len() as u64 {
            return Err(SetError::BadLength {
                expected,
                actual: d.len() as u64,
            });
        }
        let mut masks = Vec::with_capacity(mask_count);
        for i in 0..mask_count {
            let o = HEADER_LEN + 4 * i;
            let bits = u32::from_le_bytes([d[o], d[o + 1], d[o + 2], d[o + 3]]);
            let m = CategoryMask::from_bits(bits)?;
            if masks.last().is_some_and(|&last| last >= m) {
                return bad("mask table is not strictly ascending".to_owned());
            }
            masks.push(m);
        }
        Ok(Self {
            layout,
            code,
            masks,
            // The length check above proves this fits in memory.
            entries: entries as usize,
            data,
        })
    }

    /// The format version (1 fixed-size, 2 compact).
    pub fn version(&self) -> u16 {
        match self.layout {
            Layout::Fixed { .. } => VERSION_FIXED,
            Layout::Compact(_) => VERSION_COMPACT,
        }
    }

    /// The breach code this set belongs to.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether the set has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Bits of each lookup stored (48 to 64).
    pub fn fingerprint_bits(&self) -> u32 {
        match &self.layout {
            Layout::Fixed { fp_bytes, .. } => 8 * *fp_bytes as u32,
            Layout::Compact(c) => c.bits,
        }
    }

    /// Whether the file stores whole 64-bit lookups (what the range API
    /// needs).
    pub fn has_full_lookups(&self) -> bool {
        self.fingerprint_bits() == 64
    }

    /// The distinct masks.
    pub fn masks(&self) -> &[CategoryMask] {
        &self.masks
    }

    /// The whole file's size in bytes.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    /// Expected number of false matches for one lookup: entries / 2^bits.
    pub fn false_match_rate(&self) -> f64 {
        self.entries as f64 / 2f64.powi(self.fingerprint_bits() as i32)
    }

    /// Version-1 entry `i`: (fingerprint bytes, mask index).
    fn fixed_entry(&self, i: usize) -> (&[u8], usize) {
        let Layout::Fixed {
            fp_bytes,
            index_bytes,
            offset,
        } = self.layout
        else {
            unreachable!("fixed_entry on a compact set")
        };
        let len = fp_bytes + index_bytes;
        let o = offset + i * len;
        let e = &self.data[o..o + len];
        let (fp, idx) = e.split_at(fp_bytes);
        let idx = match idx {
            [a] => usize::from(*a),
            [a, b] => usize::from(u16::from_le_bytes([*a, *b])),
            _ => usize::MAX,
        };
        (fp, idx)
    }

    fn fixed_lookup(fp: &[u8]) -> Lookup {
        let mut b = [0u8; 8];
        b[..fp.len()].copy_from_slice(fp);
        Lookup(u64::from_be_bytes(b))
    }

    /// Check every entry: sorted by (fingerprint, index), no duplicate, and
    /// every index inside the mask table (version 2: the whole encoding).
    /// O(n); run once when a publication is verified.
    pub fn validate_entries(&self) -> Result<(), SetError> {
        match &self.layout {
            Layout::Compact(c) => c
                .validate(&self.data, self.masks.len())
                .map_err(SetError::BadEntries),
            Layout::Fixed { .. } => {
                let mut prev: Option<(&[u8], usize)> = None;
                for i in 0..self.entries {
                    let e = self.fixed_entry(i);
                    if e.1 >= self.masks.len() {
                        return Err(SetError::BadEntries(format!(
                            "entry {i} points outside the mask table"
                        )));
                    }
                    if prev.is_some_and(|p| p >= e) {
                        return Err(SetError::BadEntries(format!(
                            "entry {i} is out of order or repeated"
                        )));
                    }
                    prev = Some(e);
                }
                Ok(())
            }
        }
    }

    /// Every entry as (lookup, mask), in order. With fingerprints shorter
    /// than 64 bits the missing low bits read as zero.
    pub fn iter_entries(&self) -> Entries<'_> {
        Entries {
            set: self,
            pos: Pos::Fixed(0),
        }
        .start()
    }

    /// Every lookup value, in order (see [`SetFile::iter_entries`]).
    pub fn iter_lookups(&self) -> impl Iterator<Item = Lookup> + '_ {
        self.iter_entries().map(|(l, _)| l)
    }

    /// Index of the first entry whose fingerprint is at or after the
    /// stored bits of `lookup`.
    pub fn first_at_or_after(&self, lookup: Lookup) -> usize {
        match self.seek(lookup) {
            Pos::Fixed(i) => i,
            Pos::Compact(c) => c.i,
        }
    }

    /// Entries from the first whose fingerprint is at or after the stored
    /// bits of `lookup` (version 1: binary search, O(log n); version 2: one
    /// sampled select, O(1) expected).
    pub fn entries_from(&self, lookup: Lookup) -> Entries<'_> {
        Entries {
            set: self,
            pos: self.seek(lookup),
        }
    }

    fn seek(&self, lookup: Lookup) -> Pos {
        match &self.layout {
            Layout::Compact(c) => Pos::Compact(c.seek(&self.data, lookup.0)),
            Layout::Fixed { fp_bytes, .. } => {
                let key = lookup.0.to_be_bytes();
                let key = &key[..*fp_bytes];
                let (mut lo, mut hi) = (0usize, self.entries);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if self.fixed_entry(mid).0 < key {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                Pos::Fixed(lo)
            }
        }
    }

    /// Every mask stored for this lookup value (usually none or one; more
    /// when truncated fingerprints of different people coincide).
    pub fn lookup(&self, lookup: Lookup) -> Vec<CategoryMask> {
        let mask = |i: usize| self.masks.get(i).copied();
        match &self.layout {
            Layout::Compact(c) => c
                .lookup(&self.data, lookup.0)
                .into_iter()
                .filter_map(mask)
                .collect(),
            Layout::Fixed { fp_bytes, .. } => {
                let key = lookup.0.to_be_bytes();
                let key = &key[..*fp_bytes];
                let mut out = Vec::new();
                let mut i = self.first_at_or_after(lookup);
                while i < self.entries {
                    let (fp, idx) = self.fixed_entry(i);
                    if fp != key {
                        break;
                    }
                    out.extend(mask(idx));
                    i += 1;
                }
                out
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Pos {
    Fixed(usize),
    Compact(compact::Cursor),
}

/// An iterator over a set's entries, (lookup, mask) in order: see
/// [`SetFile::iter_entries`] and [`SetFile::entries_from`].
pub struct Entries<'a> {
    set: &'a SetFile,
    pos: Pos,
}

impl Entries<'_> {
    fn start(mut self) -> Self {
        if let Layout::Compact(_) = self.set.layout {
            self.pos = Pos::Compact(compact::Cursor::start());
        }
        self
    }
}

impl Iterator for Entries<'_> {
    type Item = (Lookup, CategoryMask);

    fn next(&mut self) -> Option<Self::Item> {
        let set = self.set;
        let (lookup, idx) = match (&mut self.pos, &set.layout) {
            (Pos::Fixed(i), Layout::Fixed { .. }) => {
                if *i >= set.entries {
                    return None;
                }
                let (fp, idx) = set.fixed_entry(*i);
                *i += 1;
                (SetFile::fixed_lookup(fp), idx)
            }
            (Pos::Compact(cur), Layout::Compact(c)) => {
                let (l, idx) = c.next(&set.data, cur)?;
                (Lookup(l), idx)
            }
            _ => return None,
        };
        Some((lookup, set.masks.get(idx).copied().unwrap_or_default()))
    }
}

/// Merged entries as (lookup, mask index), and the mask table.
type Prepared = (Vec<(u64, u16)>, Vec<CategoryMask>);

/// Sort pairs, merge identical full lookups (union of masks, SPEC §8) and
/// build the mask table.
fn prepare(mut pairs: Vec<(Lookup, CategoryMask)>) -> Result<Prepared, SetError> {
    pairs.sort_unstable();
    let mut merged: Vec<(Lookup, CategoryMask)> = Vec::with_capacity(pairs.len());
    for (l, m) in pairs {
        match merged.last_mut() {
            Some((last, mask)) if *last == l => *mask = mask.union(m),
            _ => merged.push((l, m)),
        }
    }
    let masks = mask_table(merged.iter().map(|p| p.1))?;
    let entries = merged
        .iter()
        .map(|(l, m)| (l.0, masks.binary_search(m).unwrap_or(0) as u16))
        .collect();
    Ok((entries, masks))
}

fn header(
    version: u16,
    width: u8,
    index: u8,
    code: u16,
    masks: &[CategoryMask],
    n: u64,
    extra: [u8; 8],
) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN + 4 * masks.len());
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&version.to_le_bytes());
    h.push(width);
    h.push(index);
    h.extend_from_slice(&code.to_le_bytes());
    h.extend_from_slice(&(masks.len() as u16).to_le_bytes());
    h.extend_from_slice(&n.to_le_bytes());
    h.extend_from_slice(&extra);
    for m in masks {
        h.extend_from_slice(&m.bits().to_le_bytes());
    }
    h
}

/// Build a version-1 (fixed-size) set file from (lookup, mask) pairs for
/// one breach, keeping the first `fp_bytes` bytes of each lookup.
///
/// Identical lookups are stored once with the union of their masks (SPEC
/// §8); the output is fully determined by the input multiset, so the same
/// records always give byte-identical files.
pub fn write_set<W: Write>(
    out: &mut W,
    code: u16,
    fp_bytes: u8,
    pairs: Vec<(Lookup, CategoryMask)>,
) -> Result<SetStats, SetError> {
    if code == 0 || !(6..=8).contains(&fp_bytes) {
        return Err(SetError::BadHeader(format!(
            "cannot write code {code} with {fp_bytes}-byte fingerprints"
        )));
    }
    let (merged, masks) = prepare(pairs)?;
    let index_bytes: u8 = if masks.len() <= 256 { 1 } else { 2 };
    let fp = usize::from(fp_bytes);
    let mut entries: Vec<([u8; 8], u16)> = merged
        .iter()
        .map(|&(l, idx)| (l.to_be_bytes(), idx))
        .collect();
    // Truncation keeps byte order; only (prefix, index) duplicates of
    // different people that truncate alike need removing.
    for e in &mut entries {
        e.0[fp..].fill(0);
    }
    entries.sort_unstable();
    entries.dedup();

    let header = header(
        VERSION_FIXED,
        fp_bytes,
        index_bytes,
        code,
        &masks,
        entries.len() as u64,
        [0; 8],
    );
    out.write_all(&header)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    for (bytes, idx) in &entries {
        buf.extend_from_slice(&bytes[..fp]);
        if index_bytes == 1 {
            buf.push(*idx as u8);
        } else {
            buf.extend_from_slice(&idx.to_le_bytes());
        }
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    Ok(SetStats {
        entries: entries.len() as u64,
        bytes: (header.len() + entries.len() * (fp + usize::from(index_bytes))) as u64,
    })
}

/// Build a version-2 (compact, Elias–Fano) set file keeping the first
/// `bits` bits (48–64) of each lookup; see [`default_bits`]. Same merging
/// and determinism as [`write_set`].
pub fn write_compact<W: Write>(
    out: &mut W,
    code: u16,
    bits: u32,
    pairs: Vec<(Lookup, CategoryMask)>,
) -> Result<SetStats, SetError> {
    check_width(code, bits)?;
    let (merged, masks) = prepare(pairs)?;
    let stream = || {
        merged
            .iter()
            .map(|&(l, i)| Ok((Lookup(l), masks[usize::from(i)])))
    };
    let n = count_compact(bits, &masks, stream())?;
    write_compact_sorted(out, code, bits, &masks, n, stream())
}

fn check_width(code: u16, bits: u32) -> Result<(), SetError> {
    if code == 0 || !(MIN_BITS..=64).contains(&bits) {
        return Err(SetError::BadHeader(format!(
            "cannot write code {code} with {bits}-bit fingerprints"
        )));
    }
    Ok(())
}

/// The mask table for these masks: distinct, ascending, never empty.
pub fn mask_table(
    masks: impl IntoIterator<Item = CategoryMask>,
) -> Result<Vec<CategoryMask>, SetError> {
    let mut t: Vec<CategoryMask> = masks.into_iter().collect();
    t.sort_unstable();
    t.dedup();
    if t.is_empty() {
        t.push(CategoryMask::EMPTY);
    }
    if t.len() > usize::from(u16::MAX) {
        return Err(SetError::TooManyMasks(t.len()));
    }
    Ok(t)
}

/// A sorted, merged stream of (lookup, mask): lookups strictly increasing
/// (identical lookups already merged), as [`write_set`] would store them.
/// Items are `io::Result` so that the stream can come from files.
pub trait SortedPairs: Iterator<Item = io::Result<(Lookup, CategoryMask)>> {}
impl<I: Iterator<Item = io::Result<(Lookup, CategoryMask)>>> SortedPairs for I {}

/// Checks that a stream is sorted and merged, and gives each pair its
/// mask's index in the table.
struct Indexer<'a> {
    masks: &'a [CategoryMask],
    prev: Option<Lookup>,
}

impl<'a> Indexer<'a> {
    fn new(masks: &'a [CategoryMask]) -> Self {
        Self { masks, prev: None }
    }

    fn index(&mut self, (l, m): (Lookup, CategoryMask)) -> Result<(Lookup, u16), SetError> {
        if self.prev.is_some_and(|p| p >= l) {
            return Err(SetError::BadEntries(
                "input lookups are not sorted and merged".to_owned(),
            ));
        }
        self.prev = Some(l);
        let idx = self
            .masks
            .binary_search(&m)
            .map_err(|_| SetError::BadEntries("a mask is missing from the table".to_owned()))?;
        Ok((l, idx as u16))
    }
}

/// Feed `f` the (fingerprint, mask index) entries a `bits`-bit compact file
/// stores for `pairs`: truncated, in order, without duplicates.
fn for_each_truncated(
    bits: u32,
    masks: &[CategoryMask],
    pairs: impl SortedPairs,
    mut f: impl FnMut(u64, u16) -> Result<(), SetError>,
) -> Result<(), SetError> {
    let cut = |l: u64| if bits == 64 { l } else { l >> (64 - bits) };
    let mut group: Option<u64> = None;
    let mut idxs: Vec<u16> = Vec::new();
    let mut indexer = Indexer::new(masks);
    let mut flush = |x: u64, idxs: &mut Vec<u16>| -> Result<(), SetError> {
        idxs.sort_unstable();
        idxs.dedup();
        for &i in idxs.iter() {
            f(x, i)?;
        }
        idxs.clear();
        Ok(())
    };
    for item in pairs {
        let (l, idx) = indexer.index(item?)?;
        let x = cut(l.0);
        if let Some(g) = group.filter(|&g| g != x) {
            flush(g, &mut idxs)?;
        }
        group = Some(x);
        idxs.push(idx);
    }
    if let Some(g) = group {
        flush(g, &mut idxs)?;
    }
    Ok(())
}

/// How many entries a `bits`-bit compact file holds for `pairs`.
pub fn count_compact(
    bits: u32,
    masks: &[CategoryMask],
    pairs: impl SortedPairs,
) -> Result<u64, SetError> {
    let mut n = 0u64;
    for_each_truncated(bits, masks, pairs, |_, _| {
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Write a version-2 file from a sorted, merged stream, in one pass;
/// `masks` from [`mask_table`], `n` from [`count_compact`]. Memory: the
/// output (~3.5 bytes per entry).
pub fn write_compact_sorted<W: Write>(
    out: &mut W,
    code: u16,
    bits: u32,
    masks: &[CategoryMask],
    n: u64,
    pairs: impl SortedPairs,
) -> Result<SetStats, SetError> {
    check_width(code, bits)?;
    let index_bits = compact::index_bits_for(masks.len());
    let low = compact::low_bits_for(bits, n);
    let mut builder = compact::Builder::new(bits, index_bits, n).map_err(SetError::BadHeader)?;
    for_each_truncated(bits, masks, pairs, |x, i| {
        builder.push(x, i).map_err(SetError::BadEntries)
    })?;
    let mut extra = [0u8; 8];
    extra[0] = low as u8;
    extra[1] = compact::SELECT_SHIFT;
    let mut file = header(
        VERSION_COMPACT,
        bits as u8,
        index_bits as u8,
        code,
        masks,
        n,
        extra,
    );
    builder.finish(&mut file).map_err(SetError::BadEntries)?;
    out.write_all(&file)?;
    Ok(SetStats {
        entries: n,
        bytes: file.len() as u64,
    })
}

/// Write a version-1 file keeping whole 64-bit lookups from a sorted,
/// merged stream of exactly `n` pairs, in one pass (streaming: constant
/// memory). This is the publisher's full copy, from which the range API
/// is answered.
pub fn write_full_sorted<W: Write>(
    out: &mut W,
    code: u16,
    masks: &[CategoryMask],
    n: u64,
    pairs: impl SortedPairs,
) -> Result<SetStats, SetError> {
    if code == 0 {
        return Err(SetError::BadHeader("cannot write code 0".to_owned()));
    }
    let index_bytes: u8 = if masks.len() <= 256 { 1 } else { 2 };
    let h = header(VERSION_FIXED, 8, index_bytes, code, masks, n, [0; 8]);
    out.write_all(&h)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut count = 0u64;
    let mut indexer = Indexer::new(masks);
    for item in pairs {
        let (l, idx) = indexer.index(item?)?;
        buf.extend_from_slice(&l.0.to_be_bytes());
        if index_bytes == 1 {
            buf.push(idx as u8);
        } else {
            buf.extend_from_slice(&idx.to_le_bytes());
        }
        count += 1;
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    if count != n {
        return Err(SetError::BadEntries(format!(
            "{count} pairs, {n} announced"
        )));
    }
    Ok(SetStats {
        entries: n,
        bytes: h.len() as u64 + n * (8 + u64::from(index_bytes)),
    })
}

/// What [`write_set`] and [`write_compact`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetStats {
    /// Entries stored.
    pub entries: u64,
    /// Bytes written.
    pub bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(b: u32) -> CategoryMask {
        CategoryMask::from_bits(b).unwrap()
    }

    fn build(fp: u8, pairs: &[(u64, u32)]) -> SetFile {
        let mut out = Vec::new();
        let pairs = pairs.iter().map(|&(l, m)| (Lookup(l), mask(m))).collect();
        write_set(&mut out, 9, fp, pairs).unwrap();
        let s = SetFile::from_vec(out).unwrap();
        s.validate_entries().unwrap();
        s
    }

    #[test]
    fn round_trip_and_union() {
        let s = build(
            8,
            &[(5, 1), (3, 2), (5, 4), (0xFFFF_FFFF_FFFF_FFFF, 7), (0, 1)],
        );
        assert_eq!(s.code(), 9);
        assert_eq!(s.len(), 4);
        assert_eq!(s.lookup(Lookup(5)), vec![mask(5)]);
        assert_eq!(s.lookup(Lookup(3)), vec![mask(2)]);
        assert_eq!(s.lookup(Lookup(0)), vec![mask(1)]);
        assert_eq!(s.lookup(Lookup(u64::MAX)), vec![mask(7)]);
        assert!(s.lookup(Lookup(4)).is_empty());
        assert!(s.lookup(Lookup(6)).is_empty());
    }

    #[test]
    fn truncated_fingerprints_return_every_match() {
        let a = 0x1122_3344_5566_0001;
        let b = 0x1122_3344_5566_0002;
        let s = build(6, &[(a, 1), (b, 2), (0x1122_3344_5567_0000, 4)]);
        assert_eq!(s.fingerprint_bits(), 48);
        assert_eq!(s.lookup(Lookup(a)), vec![mask(1), mask(2)]);
        assert_eq!(s.lookup(Lookup(0x1122_3344_5566_FFFF)).len(), 2);
        assert_eq!(s.lookup(Lookup(0x1122_3344_5567_0000)), vec![mask(4)]);
    }

    #[test]
    fn many_masks_use_two_byte_index() {
        let pairs: Vec<(u64, u32)> = (0..300u64).map(|i| (i * 7919, i as u32 + 1)).collect();
        let s = build(8, &pairs);
        assert_eq!(s.masks().len(), 300);
        for &(l, m) in &pairs {
            assert_eq!(s.lookup(Lookup(l)), vec![mask(m)]);
        }
    }

    #[test]
    fn empty_set_is_well_formed() {
        let s = build(8, &[]);
        assert!(s.is_empty());
        assert!(s.lookup(Lookup(1)).is_empty());
    }

    #[test]
    fn deterministic_whatever_the_input_order() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let p: Vec<_> = (0..100u64)
            .map(|i| (Lookup(i * 31), mask(1 << (i % 5))))
            .collect();
        let mut q = p.clone();
        q.reverse();
        write_set(&mut a, 1, 8, p).unwrap();
        write_set(&mut b, 1, 8, q).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn refuses_corruption() {
        let mut good = Vec::new();
        write_set(
            &mut good,
            3,
            8,
            vec![(Lookup(1), mask(1)), (Lookup(2), mask(2))],
        )
        .unwrap();
        let bad = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut v = good.clone();
            f(&mut v);
            SetFile::from_vec(v).and_then(|s| s.validate_entries())
        };
        assert!(matches!(bad(&|v| v[0] = b'X'), Err(SetError::BadMagic)));
        assert!(matches!(
            bad(&|v| v[8] = 3),
            Err(SetError::UnsupportedVersion(3))
        ));
        assert!(matches!(bad(&|v| v[10] = 9), Err(SetError::BadHeader(_))));
        assert!(matches!(
            bad(&|v| v.truncate(v.len() - 1)),
            Err(SetError::BadLength { .. })
        ));
        assert!(matches!(
            bad(&|v| v.push(0)),
            Err(SetError::BadLength { .. })
        ));
        // Lying entry count.
        assert!(matches!(
            bad(&|v| v[16] = 200),
            Err(SetError::BadLength { .. })
        ));
        assert!(matches!(
            bad(&|v| v[23] = 0xFF),
            Err(SetError::BadLength { .. })
        ));
        // Mask with reserved bits, masks out of order.
        assert!(matches!(bad(&|v| v[34] = 0xFF), Err(SetError::BadMask(_))));
        assert!(matches!(bad(&|v| v[32] = 9), Err(SetError::BadHeader(_))));
        // Index outside the table; entries out of order.
        let n = good.len();
        assert!(matches!(
            bad(&|v| v[n - 1] = 5),
            Err(SetError::BadEntries(_))
        ));
        assert!(matches!(
            bad(&|v| v[n - 2] = 0),
            Err(SetError::BadEntries(_))
        ));
        assert!(matches!(bad(&|v| v.truncate(10)), Err(SetError::BadMagic)));
    }

    /// A deterministic pseudo-random stream (SplitMix64).
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    fn compact(bits: u32, pairs: &[(u64, u32)]) -> SetFile {
        let mut out = Vec::new();
        let pairs = pairs.iter().map(|&(l, m)| (Lookup(l), mask(m))).collect();
        let stats = write_compact(&mut out, 9, bits, pairs).unwrap();
        assert_eq!(stats.bytes, out.len() as u64);
        let s = SetFile::from_vec(out).unwrap();
        assert_eq!(s.version(), VERSION_COMPACT);
        s.validate_entries().unwrap();
        s
    }

    /// The compact set answers exactly what a sorted list of truncated
    /// fingerprints answers, at every width and on edge values.
    #[test]
    fn compact_matches_an_oracle() {
        let mut next = rng(7);
        for &(bits, n) in &[
            (48, 0),
            (48, 1),
            (64, 1),
            (64, 2),
            (48, 1000),
            (49, 3000),
            (56, 257),
            (64, 5000),
        ] {
            let mut pairs: Vec<(u64, u32)> = (0..n).map(|_| (next(), 1 << (next() % 5))).collect();
            pairs.push((0, 1));
            pairs.push((u64::MAX, 2));
            // Neighbours that collide once truncated.
            let base = next();
            pairs.push((base, 4));
            pairs.push((base ^ 1, 8));
            let s = compact(bits, &pairs);
            let cut = |l: u64| {
                if bits == 64 {
                    l
                } else {
                    l >> (64 - bits) << (64 - bits)
                }
            };
            let mut oracle: Vec<(u64, u32)> = Vec::new();
            let mut sorted = pairs.clone();
            sorted.sort_unstable();
            for (l, m) in sorted {
                match oracle.last_mut() {
                    Some(last) if last.0 == l => last.1 |= m,
                    _ => oracle.push((l, m)),
                }
            }
            let mut truncated: Vec<(u64, u32)> = oracle.iter().map(|&(l, m)| (cut(l), m)).collect();
            truncated.sort_unstable();
            truncated.dedup();
            let got: Vec<(u64, u32)> = s.iter_entries().map(|(l, m)| (l.0, m.bits())).collect();
            assert_eq!(got, truncated, "bits {bits} n {n}");
            assert_eq!(s.len(), truncated.len());
            for &(l, _) in &pairs {
                let want: Vec<u32> = truncated
                    .iter()
                    .filter(|e| e.0 == cut(l))
                    .map(|e| e.1)
                    .collect();
                let have: Vec<u32> = s.lookup(Lookup(l)).iter().map(|m| m.bits()).collect();
                assert_eq!(have, want, "lookup {l:x}");
                // entries_from starts at the first entry at or after l.
                let first = s.entries_from(Lookup(l)).next().map(|(x, _)| x.0);
                assert_eq!(first, truncated.iter().find(|e| e.0 >= cut(l)).map(|e| e.0));
            }
            for _ in 0..500 {
                let probe = next();
                let want = truncated.iter().filter(|e| e.0 == cut(probe)).count();
                assert_eq!(s.lookup(Lookup(probe)).len(), want);
                let first = s.entries_from(Lookup(probe)).next().map(|(x, _)| x.0);
                assert_eq!(
                    first,
                    truncated.iter().find(|e| e.0 >= cut(probe)).map(|e| e.0)
                );
                let idx = s.first_at_or_after(Lookup(probe));
                assert_eq!(idx, truncated.iter().filter(|e| e.0 < cut(probe)).count());
            }
        }
    }

    #[test]
    fn compact_is_small_and_deterministic() {
        let mut next = rng(11);
        let n = 200_000;
        let pairs: Vec<(Lookup, CategoryMask)> = (0..n)
            .map(|_| (Lookup(next()), mask(1 | (1 << (next() % 8)))))
            .collect();
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut rev = pairs.clone();
        rev.reverse();
        write_compact(&mut a, 3, default_bits(n), pairs).unwrap();
        write_compact(&mut b, 3, default_bits(n), rev).unwrap();
        assert_eq!(a, b);
        // 48 bits, L = 30, 8 masks: 30 + ~2.2 + 3 bits ≈ 4.4 bytes.
        let per_entry = a.len() as f64 / n as f64;
        assert!(per_entry < 4.5, "{per_entry} bytes per entry");
    }

    #[test]
    fn default_bits_keep_false_matches_rare() {
        assert_eq!(default_bits(0), 48);
        assert_eq!(default_bits(1_000), 48);
        assert_eq!(default_bits(1 << 24), 48);
        assert_eq!(default_bits(33_000_000), 49);
        assert_eq!(default_bits(u64::MAX), 64);
    }

    #[test]
    fn compact_refuses_corruption() {
        let mut next = rng(3);
        let pairs: Vec<(u64, u32)> = (0..2000).map(|_| (next(), 1 << (next() % 3))).collect();
        let good = {
            let mut out = Vec::new();
            let p = pairs.iter().map(|&(l, m)| (Lookup(l), mask(m))).collect();
            write_compact(&mut out, 5, 48, p).unwrap();
            out
        };
        let check = |v: Vec<u8>| SetFile::from_vec(v).and_then(|s| s.validate_entries());
        // A flip in the high bit-vector or the select samples is always
        // refused (it changes the count of ones or a sample); elsewhere a
        // flip may give another well-formed file (the manifest's SHA-256
        // catches those), but reading never panics.
        let c = compact::Compact::layout(32 + 4 * 3, 48, 2, 2000).unwrap();
        for pos in (32 + 4 * 3..good.len()).step_by(7) {
            for bit in [0, 3, 7] {
                let mut v = good.clone();
                v[pos] ^= 1 << bit;
                match check(v.clone()) {
                    Err(_) => {}
                    Ok(()) => {
                        assert!(
                            !(c.high_off..c.idx_off).contains(&pos),
                            "flip at {pos} bit {bit} accepted"
                        );
                        let s = SetFile::from_vec(v).unwrap();
                        let _ = s.iter_entries().count();
                    }
                }
            }
        }
        // Header fields.
        let bad = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut v = good.clone();
            f(&mut v);
            check(v)
        };
        assert!(matches!(bad(&|v| v[10] = 47), Err(SetError::BadHeader(_))));
        assert!(matches!(bad(&|v| v[11] = 3), Err(SetError::BadHeader(_))));
        assert!(matches!(bad(&|v| v[24] += 1), Err(SetError::BadHeader(_))));
        assert!(matches!(bad(&|v| v[25] = 8), Err(SetError::BadHeader(_))));
        assert!(matches!(bad(&|v| v[30] = 1), Err(SetError::BadHeader(_))));
        assert!(matches!(
            bad(&|v| v[16] = 0xFF),
            Err(SetError::BadHeader(_) | SetError::BadLength { .. })
        ));
        assert!(matches!(
            bad(&|v| v[23] = 0xFF),
            Err(SetError::BadHeader(_) | SetError::BadLength { .. })
        ));
        assert!(matches!(
            bad(&|v| {
                v.pop();
            }),
            Err(SetError::BadLength { .. })
        ));
        // Lookups on an unvalidated corrupt file never panic.
        for pos in (32 + 4 * 3..good.len()).step_by(13) {
            let mut v = good.clone();
            v[pos] = !v[pos];
            if let Ok(s) = SetFile::from_vec(v) {
                for &(l, _) in pairs.iter().take(50) {
                    let _ = s.lookup(Lookup(l));
                    let _ = s.entries_from(Lookup(l)).take(3).count();
                }
            }
        }
    }
}
