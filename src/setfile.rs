//! The offline set file (`.fcset`), format version 1.
//!
//! The normative description is `docs/set-format.md`; in short, all
//! integers little-endian except fingerprints, which are big-endian so that
//! byte order is numeric order:
//!
//! ```text
//! 0   8  magic "FUITESET"
//! 8   2  format version (1)
//! 10  1  fingerprint bytes F (6, 7 or 8: the first F bytes of the lookup)
//! 11  1  mask-index bytes I (1 when at most 256 masks, else 2)
//! 12  2  breach code
//! 14  2  mask count M (1..=65535)
//! 16  8  entry count N
//! 24  8  reserved, zero
//! 32  4M mask table: distinct masks, strictly ascending
//! ..  N × (F + I) entries: fingerprint prefix, then mask index,
//!        sorted by (fingerprint, index)
//! ```
//!
//! A lookup is a binary search over the fixed-size entries: O(log n), a few
//! dozen page touches on a memory-mapped file.

use std::fs::File;
use std::io::{self, Write};
use std::ops::Deref;
use std::path::Path;

use crate::category::{CategoryMask, ReservedBits};
use crate::fingerprint::Lookup;

/// The file magic.
pub const MAGIC: &[u8; 8] = b"FUITESET";
/// The format version this module reads and writes.
pub const VERSION: u16 = 1;
/// Header length in bytes.
pub const HEADER_LEN: usize = 32;
/// Default fingerprint bytes stored per entry (all 64 bits).
pub const DEFAULT_FP_BYTES: u8 = 8;

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
    #[error("unsupported set file version {0} (this app reads version {VERSION})")]
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

/// A read-only set file.
pub struct SetFile {
    data: Backing,
    fp_bytes: usize,
    index_bytes: usize,
    code: u16,
    masks: Vec<CategoryMask>,
    entries: usize,
    entries_offset: usize,
}

impl std::fmt::Debug for SetFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetFile")
            .field("code", &self.code)
            .field("entries", &self.entries)
            .field("fp_bytes", &self.fp_bytes)
            .field("masks", &self.masks.len())
            .finish()
    }
}

fn u16_at(d: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([d[o], d[o + 1]])
}

impl SetFile {
    /// Memory-map a file and check its header.
    pub fn open(path: &Path) -> Result<Self, SetError> {
        let file = File::open(path)?;
        // SAFETY: the map is read-only. A publication's files are replaced
        // by atomic rename, never rewritten in place, so the mapped inode
        // does not change under us.
        let map = unsafe { memmap2::Mmap::map(&file)? };
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
        if version != VERSION {
            return Err(SetError::UnsupportedVersion(version));
        }
        let fp_bytes = usize::from(d[10]);
        let index_bytes = usize::from(d[11]);
        let code = u16_at(d, 12);
        let mask_count = usize::from(u16_at(d, 14));
        let mut n = [0u8; 8];
        n.copy_from_slice(&d[16..24]);
        let entries = u64::from_le_bytes(n);
        let bad = |s: String| Err(SetError::BadHeader(s));
        if !(6..=8).contains(&fp_bytes) {
            return bad(format!(
                "fingerprint width {fp_bytes} bytes (6 to 8 allowed)"
            ));
        }
        if code == 0 {
            return bad("breach code 0".to_owned());
        }
        if mask_count == 0 {
            return bad("empty mask table".to_owned());
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
        let entries_offset = HEADER_LEN + 4 * mask_count;
        let expected = (entries_offset as u64)
            .saturating_add(entries.saturating_mul((fp_bytes + index_bytes) as u64));
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
            fp_bytes,
            index_bytes,
            code,
            masks,
            // The length check above proves this fits in memory.
            entries: entries as usize,
            entries_offset,
            data,
        })
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
        8 * self.fp_bytes as u32
    }

    /// The distinct masks.
    pub fn masks(&self) -> &[CategoryMask] {
        &self.masks
    }

    /// Expected number of false matches for one lookup: entries / 2^bits.
    pub fn false_match_rate(&self) -> f64 {
        self.entries as f64 / 2f64.powi(self.fingerprint_bits() as i32)
    }

    fn entry_len(&self) -> usize {
        self.fp_bytes + self.index_bytes
    }

    fn entry(&self, i: usize) -> (&[u8], usize) {
        let o = self.entries_offset + i * self.entry_len();
        let e = &self.data[o..o + self.entry_len()];
        let (fp, idx) = e.split_at(self.fp_bytes);
        let idx = match idx {
            [a] => usize::from(*a),
            [a, b] => usize::from(u16::from_le_bytes([*a, *b])),
            _ => usize::MAX,
        };
        (fp, idx)
    }

    /// Check every entry: sorted by (fingerprint, index), no duplicate, and
    /// every index inside the mask table. O(n); run once when a
    /// publication is verified.
    pub fn validate_entries(&self) -> Result<(), SetError> {
        let mut prev: Option<(&[u8], usize)> = None;
        for i in 0..self.entries {
            let e = self.entry(i);
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

    /// Every entry as (lookup, mask), in order. With fingerprints shorter
    /// than 64 bits the missing low bits read as zero.
    pub fn iter_entries(&self) -> impl Iterator<Item = (Lookup, CategoryMask)> + '_ {
        self.iter_entries_from(0)
    }

    /// Every lookup value, in order (see [`SetFile::iter_entries`]).
    pub fn iter_lookups(&self) -> impl Iterator<Item = Lookup> + '_ {
        self.iter_entries().map(|(l, _)| l)
    }

    /// Index of the first entry whose fingerprint is at or after the
    /// first `F` bytes of `lookup` (binary search, O(log n)).
    pub fn first_at_or_after(&self, lookup: Lookup) -> usize {
        let key = lookup.0.to_be_bytes();
        let key = &key[..self.fp_bytes];
        let (mut lo, mut hi) = (0usize, self.entries);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.entry(mid).0 < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Entries from index `start` on (see [`SetFile::iter_entries`]).
    pub fn iter_entries_from(
        &self,
        start: usize,
    ) -> impl Iterator<Item = (Lookup, CategoryMask)> + '_ {
        (start.min(self.entries)..self.entries).map(move |i| {
            let (fp, idx) = self.entry(i);
            let mut b = [0u8; 8];
            b[..fp.len()].copy_from_slice(fp);
            let mask = self.masks.get(idx).copied().unwrap_or_default();
            (Lookup(u64::from_be_bytes(b)), mask)
        })
    }

    /// Every mask stored for this lookup value (usually none or one; more
    /// when truncated fingerprints of different people coincide).
    pub fn lookup(&self, lookup: Lookup) -> Vec<CategoryMask> {
        let key = lookup.0.to_be_bytes();
        let key = &key[..self.fp_bytes];
        let mut out = Vec::new();
        let mut i = self.first_at_or_after(lookup);
        while i < self.entries {
            let (fp, idx) = self.entry(i);
            if fp != key {
                break;
            }
            if let Some(&m) = self.masks.get(idx) {
                out.push(m);
            }
            i += 1;
        }
        out
    }
}

/// Build a set file from (lookup, mask) pairs for one breach.
///
/// Identical lookups are stored once with the union of their masks (SPEC
/// §8); the output is fully determined by the input multiset, so the same
/// records always give byte-identical files.
pub fn write_set<W: Write>(
    out: &mut W,
    code: u16,
    fp_bytes: u8,
    mut pairs: Vec<(Lookup, CategoryMask)>,
) -> Result<SetStats, SetError> {
    if code == 0 || !(6..=8).contains(&fp_bytes) {
        return Err(SetError::BadHeader(format!(
            "cannot write code {code} with {fp_bytes}-byte fingerprints"
        )));
    }
    pairs.sort_unstable();
    // Union masks of identical full lookups.
    let mut merged: Vec<(Lookup, CategoryMask)> = Vec::with_capacity(pairs.len());
    for (l, m) in pairs {
        match merged.last_mut() {
            Some((last, mask)) if *last == l => *mask = mask.union(m),
            _ => merged.push((l, m)),
        }
    }
    let mut masks: Vec<CategoryMask> = merged.iter().map(|p| p.1).collect();
    masks.sort_unstable();
    masks.dedup();
    if masks.is_empty() {
        // An empty set still has a well-formed (one-mask) table.
        masks.push(CategoryMask::EMPTY);
    }
    if masks.len() > usize::from(u16::MAX) {
        return Err(SetError::TooManyMasks(masks.len()));
    }
    let index_bytes: u8 = if masks.len() <= 256 { 1 } else { 2 };
    let fp = usize::from(fp_bytes);
    let mut entries: Vec<([u8; 8], u16)> = merged
        .iter()
        .map(|(l, m)| {
            let idx = masks.binary_search(m).unwrap_or(0) as u16;
            (l.0.to_be_bytes(), idx)
        })
        .collect();
    // Truncation keeps byte order; only (prefix, index) duplicates of
    // different people that truncate alike need removing.
    for e in &mut entries {
        e.0[fp..].fill(0);
    }
    entries.sort_unstable();
    entries.dedup();

    let mut header = Vec::with_capacity(HEADER_LEN + 4 * masks.len());
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&VERSION.to_le_bytes());
    header.push(fp_bytes);
    header.push(index_bytes);
    header.extend_from_slice(&code.to_le_bytes());
    header.extend_from_slice(&(masks.len() as u16).to_le_bytes());
    header.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    header.extend_from_slice(&[0u8; 8]);
    for m in &masks {
        header.extend_from_slice(&m.bits().to_le_bytes());
    }
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

/// What [`write_set`] wrote.
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
            bad(&|v| v[8] = 2),
            Err(SetError::UnsupportedVersion(2))
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
}
