//! The publisher's full copy of a breach (`<dir>/full/<id>.fcfull`): every
//! whole 64-bit lookup with its record's categories **and the bucket of
//! the record's NIR**, from which the range API is answered
//! (`docs/protocol.md` §5, §7).
//!
//! The published set files keep 48 or 49 bits of each lookup and no
//! bucket: the NIR bucket cannot be recovered from a lookup, so `add` and
//! `merge` record it here, where the NIR is still known. The file is never
//! published (it lets anyone who has it tell which bucket a fingerprint
//! belongs to, which the range API reveals anyway, and holds whole
//! lookups).
//!
//! Format, version 1 (integers little-endian, lookups big-endian):
//!
//! ```text
//! 0    8      magic "FUITEFUL"
//! 8    2      version (1)
//! 10   2      breach code (1–65535)
//! 12   2      M, distinct masks (1–65535)
//! 14   2      reserved, zero
//! 16   8      N, entries
//! 24   8      reserved, zero
//! 32   4·M    mask table: distinct masks, strictly ascending, no reserved bits
//! ..   257·8  bucket starts: start[b] = index of the first entry of bucket
//!             byte b (b = 0 … 255), start[256] = N; non-decreasing
//! ..   10·N   entries: lookup (8, big-endian), mask index (2)
//! ```
//!
//! The bucket byte is the NIR's bucket at P = 2
//! ([`NirBucket::byte`]); at P = 1 bucket `v` is bytes `16v … 16v + 15`,
//! so one file serves either P. Entries are ordered by (bucket byte,
//! lookup), lookups strictly increasing within a bucket: a (bucket,
//! lookup) pair is stored once with the union of its records' masks
//! (SPEC §8). The output depends only on the multiset of input
//! (bucket, lookup, mask) triples.

use std::collections::BinaryHeap;
use std::io::{self, Write};
use std::path::Path;

use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::category::CategoryMask;
use fuitecheck_core::fingerprint::Lookup;
use fuitecheck_core::range::RangeLine;

/// File magic.
pub const MAGIC: &[u8; 8] = b"FUITEFUL";
/// Format version.
pub const VERSION: u16 = 1;
/// File name extension of full copies.
pub const EXTENSION: &str = "fcfull";
const HEADER_LEN: usize = 32;
/// Bucket bytes (the bucket at P = 2).
pub const BUCKETS: usize = 256;
const STARTS_LEN: usize = (BUCKETS + 1) * 8;
/// Bytes per entry.
pub const ENTRY_LEN: usize = 10;

/// A full copy that cannot be used or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FullCopyError {
    /// Reading or writing failed.
    #[error("full copy: {0}")]
    Io(#[from] io::Error),
    /// Not a full copy, or a damaged one.
    #[error("corrupt full copy: {0}")]
    Corrupt(String),
    /// What the writer was given is not sorted and merged, or says
    /// something else than its announced counts.
    #[error("cannot write the full copy: {0}")]
    BadInput(String),
}

enum Backing {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Backing {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Self::Mapped(m) => m,
            Self::Owned(v) => v,
        }
    }
}

/// A verified full copy.
pub struct FullCopy {
    data: Backing,
    code: u16,
    masks: Vec<CategoryMask>,
    starts: Vec<usize>,
    entries_at: usize,
}

impl std::fmt::Debug for FullCopy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullCopy")
            .field("code", &self.code)
            .field("entries", &self.len())
            .field("masks", &self.masks.len())
            .finish()
    }
}

fn corrupt(reason: impl Into<String>) -> FullCopyError {
    FullCopyError::Corrupt(reason.into())
}

impl FullCopy {
    /// Map a file and verify it whole (header, table, order, indexes):
    /// O(N), once, when a publication is built, served or exported.
    pub fn open(path: &Path) -> Result<Self, FullCopyError> {
        let file = std::fs::File::open(path)?;
        // SAFETY: read-only map of a file that the publisher tool only ever
        // replaces by atomic rename, never rewrites in place.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        #[cfg(unix)]
        {
            // Advice only.
            let _ = map.advise(memmap2::Advice::Sequential);
        }
        Self::from_backing(Backing::Mapped(map))
    }

    /// A full copy held in memory.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Self, FullCopyError> {
        Self::from_backing(Backing::Owned(bytes))
    }

    fn from_backing(data: Backing) -> Result<Self, FullCopyError> {
        let d: &[u8] = &data;
        if d.len() < HEADER_LEN || &d[..8] != MAGIC {
            return Err(corrupt("not a FuiteCheck full copy (bad magic)"));
        }
        let u16_at = |o: usize| u16::from_le_bytes([d[o], d[o + 1]]);
        let u64_at = |o: usize| u64::from_le_bytes(crate::runs::array(&d[o..]));
        let version = u16_at(8);
        if version != VERSION {
            return Err(corrupt(format!("unsupported version {version}")));
        }
        let code = u16_at(10);
        if code == 0 {
            return Err(corrupt("breach code 0"));
        }
        let m = usize::from(u16_at(12));
        if m == 0 {
            return Err(corrupt("empty mask table"));
        }
        if u16_at(14) != 0 || u64_at(24) != 0 {
            return Err(corrupt("reserved header bytes are not zero"));
        }
        let n = u64_at(16);
        let entries_at = HEADER_LEN + 4 * m + STARTS_LEN;
        let expected = n
            .checked_mul(ENTRY_LEN as u64)
            .and_then(|b| b.checked_add(entries_at as u64));
        if expected != Some(d.len() as u64) {
            return Err(corrupt(format!(
                "length {} does not match its header",
                d.len()
            )));
        }
        let n = n as usize;
        let mut masks = Vec::with_capacity(m);
        for i in 0..m {
            let o = HEADER_LEN + 4 * i;
            let bits = u32::from_le_bytes(crate::runs::array(&d[o..]));
            let mask =
                CategoryMask::from_bits(bits).map_err(|_| corrupt("a mask has reserved bits"))?;
            if masks.last().is_some_and(|&last| last >= mask) {
                return Err(corrupt("the mask table is not strictly ascending"));
            }
            masks.push(mask);
        }
        let table = HEADER_LEN + 4 * m;
        let starts: Vec<usize> = (0..=BUCKETS)
            .map(|b| u64_at(table + 8 * b) as usize)
            .collect();
        if starts[0] != 0 || starts[BUCKETS] != n || starts.windows(2).any(|w| w[0] > w[1]) {
            return Err(corrupt("the bucket table is inconsistent"));
        }
        let copy = Self {
            data,
            code,
            masks,
            starts,
            entries_at,
        };
        for b in 0..BUCKETS {
            let mut prev: Option<u64> = None;
            for i in copy.starts[b]..copy.starts[b + 1] {
                let l = copy.lookup_at(i);
                if prev.is_some_and(|p| p >= l) {
                    return Err(corrupt(format!(
                        "entries of bucket {b:02X} are not strictly increasing"
                    )));
                }
                prev = Some(l);
                if usize::from(copy.index_at(i)) >= m {
                    return Err(corrupt("a mask index is outside the table"));
                }
            }
        }
        Ok(copy)
    }

    fn lookup_at(&self, i: usize) -> u64 {
        let o = self.entries_at + ENTRY_LEN * i;
        u64::from_be_bytes(crate::runs::array(&self.data[o..]))
    }

    fn index_at(&self, i: usize) -> u16 {
        let o = self.entries_at + ENTRY_LEN * i + 8;
        u16::from_le_bytes([self.data[o], self.data[o + 1]])
    }

    fn entry(&self, i: usize) -> (Lookup, CategoryMask) {
        (
            Lookup(self.lookup_at(i)),
            self.masks[usize::from(self.index_at(i))],
        )
    }

    /// The breach code.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// Entries: distinct (bucket, lookup) pairs.
    pub fn len(&self) -> usize {
        self.starts[BUCKETS]
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The mask table.
    pub fn masks(&self) -> &[CategoryMask] {
        &self.masks
    }

    /// Size in bytes.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    /// The bucket bytes of bucket number `v` at `p` hex characters.
    fn bytes_of(v: u32, p: u8) -> std::ops::Range<usize> {
        let v = v as usize;
        match p {
            1 => (16 * v).min(BUCKETS)..(16 * v + 16).min(BUCKETS),
            _ => v.min(BUCKETS)..(v + 1).min(BUCKETS),
        }
    }

    /// Entries whose NIR is in bucket number `v` at `p` hex characters.
    pub fn bucket_len(&self, v: u32, p: u8) -> usize {
        let r = Self::bytes_of(v, p);
        self.starts[r.end] - self.starts[r.start]
    }

    /// The range lines of bucket number `v` at `p` hex characters (in file
    /// order; [`fuitecheck_core::range::build_response`] sorts them).
    pub fn lines(&self, v: u32, p: u8) -> impl Iterator<Item = RangeLine> + '_ {
        let r = Self::bytes_of(v, p);
        (self.starts[r.start]..self.starts[r.end]).map(move |i| {
            let (lookup, mask) = self.entry(i);
            RangeLine {
                lookup,
                code: self.code,
                mask,
            }
        })
    }

    /// Every entry in file order: (bucket, lookup, mask).
    pub fn entries(&self) -> impl Iterator<Item = (NirBucket, Lookup, CategoryMask)> + '_ {
        (0..BUCKETS).flat_map(move |b| {
            (self.starts[b]..self.starts[b + 1]).map(move |i| {
                let (l, m) = self.entry(i);
                (NirBucket::from_byte(b as u8), l, m)
            })
        })
    }

    /// Every lookup once, ascending, with the union of its masks across
    /// buckets: what the published set is made of (a merge of the 256
    /// sorted buckets).
    pub fn by_lookup(&self) -> ByLookup<'_> {
        let mut heads = BinaryHeap::with_capacity(BUCKETS);
        let mut pos = Vec::with_capacity(BUCKETS);
        for b in 0..BUCKETS {
            pos.push(self.starts[b]);
            if self.starts[b] < self.starts[b + 1] {
                heads.push(std::cmp::Reverse((self.lookup_at(self.starts[b]), b)));
            }
        }
        ByLookup {
            copy: self,
            pos,
            heads,
        }
    }
}

/// [`FullCopy::by_lookup`].
pub struct ByLookup<'a> {
    copy: &'a FullCopy,
    pos: Vec<usize>,
    heads: BinaryHeap<std::cmp::Reverse<(u64, usize)>>,
}

impl ByLookup<'_> {
    fn take(&mut self, b: usize) -> CategoryMask {
        let i = self.pos[b];
        let mask = self.copy.masks[usize::from(self.copy.index_at(i))];
        self.pos[b] = i + 1;
        if i + 1 < self.copy.starts[b + 1] {
            self.heads
                .push(std::cmp::Reverse((self.copy.lookup_at(i + 1), b)));
        }
        mask
    }
}

impl Iterator for ByLookup<'_> {
    type Item = (Lookup, CategoryMask);

    fn next(&mut self) -> Option<Self::Item> {
        let std::cmp::Reverse((l, b)) = self.heads.pop()?;
        let mut mask = self.take(b);
        while let Some(&std::cmp::Reverse((l2, b2))) = self.heads.peek() {
            if l2 != l {
                break;
            }
            self.heads.pop();
            mask = mask.union(self.take(b2));
        }
        Some((Lookup(l), mask))
    }
}

/// Write a full copy from a stream sorted by (bucket, lookup), each pair
/// once (as [`crate::runs::Sorted::pairs`] gives it). `masks` is the
/// stream's mask table ([`fuitecheck_core::setfile::mask_table`]) and
/// `counts[b]` the number of entries of bucket byte `b`. Returns the
/// bytes written.
pub fn write<W: Write>(
    out: &mut W,
    code: u16,
    masks: &[CategoryMask],
    counts: &[u64; BUCKETS],
    entries: impl Iterator<Item = io::Result<(NirBucket, Lookup, CategoryMask)>>,
) -> Result<u64, FullCopyError> {
    let bad = |r: &str| FullCopyError::BadInput(r.to_owned());
    if code == 0 {
        return Err(bad("breach code 0"));
    }
    if masks.is_empty() || masks.len() > usize::from(u16::MAX) {
        return Err(bad("the mask table must hold 1 to 65535 masks"));
    }
    let n: u64 = counts.iter().sum();
    let mut head = Vec::with_capacity(HEADER_LEN + 4 * masks.len() + STARTS_LEN);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&code.to_le_bytes());
    head.extend_from_slice(&(masks.len() as u16).to_le_bytes());
    head.extend_from_slice(&[0; 2]);
    head.extend_from_slice(&n.to_le_bytes());
    head.extend_from_slice(&[0; 8]);
    for m in masks {
        head.extend_from_slice(&m.bits().to_le_bytes());
    }
    let mut start = 0u64;
    for c in counts {
        head.extend_from_slice(&start.to_le_bytes());
        start += c;
    }
    head.extend_from_slice(&n.to_le_bytes());
    out.write_all(&head)?;
    let mut seen = [0u64; BUCKETS];
    let mut prev: Option<(NirBucket, Lookup)> = None;
    let mut buf = Vec::with_capacity(64 * 1024);
    for item in entries {
        let (b, l, m) = item?;
        if prev.is_some_and(|p| p >= (b, l)) {
            return Err(bad("entries are not sorted by (bucket, lookup) and merged"));
        }
        prev = Some((b, l));
        let idx = masks
            .binary_search(&m)
            .map_err(|_| bad("a mask is missing from the table"))?;
        seen[usize::from(b.byte())] += 1;
        buf.extend_from_slice(&l.0.to_be_bytes());
        buf.extend_from_slice(&(idx as u16).to_le_bytes());
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    if &seen != counts {
        return Err(bad("the entries do not match the announced bucket counts"));
    }
    Ok(head.len() as u64 + n * ENTRY_LEN as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(b: u32) -> CategoryMask {
        CategoryMask::from_bits(b).unwrap()
    }

    fn build(items: &[(u8, u64, u32)]) -> Vec<u8> {
        let mut items: Vec<_> = items
            .iter()
            .map(|&(b, l, k)| (NirBucket::from_byte(b), Lookup(l), m(k)))
            .collect();
        items.sort();
        let masks = fuitecheck_core::setfile::mask_table(items.iter().map(|&(_, _, k)| k)).unwrap();
        let mut counts = [0u64; BUCKETS];
        for (b, _, _) in &items {
            counts[usize::from(b.byte())] += 1;
        }
        let mut out = Vec::new();
        let n = write(&mut out, 7, &masks, &counts, items.into_iter().map(Ok)).unwrap();
        assert_eq!(n as usize, out.len());
        out
    }

    #[test]
    fn round_trip_buckets_and_merge_by_lookup() {
        let bytes = build(&[
            (0x15, 0xD87D_1BC8_D86F_C802, 7),
            (0x15, 0x0000_0000_0000_0001, 1),
            (0x1F, 0x8000_0000_0000_0000, 2),
            (0xAF, 0x0000_0000_0000_0002, 1),
            // The same lookup in another bucket (two NIRs): one entry per
            // bucket, one lookup with the union of masks in the set.
            (0xFF, 0xD87D_1BC8_D86F_C802, 8),
        ]);
        let c = FullCopy::from_vec(bytes).unwrap();
        assert_eq!((c.code(), c.len()), (7, 5));
        assert_eq!(c.bucket_len(0x15, 2), 2);
        assert_eq!(c.bucket_len(0x1, 1), 3);
        assert_eq!(c.bucket_len(0xF, 1), 1);
        assert_eq!(c.bucket_len(0x16, 2), 0);
        let lines: Vec<_> = c.lines(0x15, 2).map(|l| l.lookup.0).collect();
        assert_eq!(lines, [1, 0xD87D_1BC8_D86F_C802]);
        let merged: Vec<_> = c.by_lookup().map(|(l, k)| (l.0, k.bits())).collect();
        assert_eq!(
            merged,
            [
                (1, 1),
                (2, 1),
                (0x8000_0000_0000_0000, 2),
                (0xD87D_1BC8_D86F_C802, 15)
            ]
        );
        assert_eq!(c.entries().count(), 5);
    }

    #[test]
    fn damage_and_bad_input_are_refused() {
        let good = build(&[(1, 5, 1), (1, 9, 2), (2, 3, 1)]);
        assert!(FullCopy::from_vec(good.clone()).is_ok());
        for cut in [0, 7, 31, good.len() - 1] {
            assert!(FullCopy::from_vec(good[..cut].to_vec()).is_err(), "{cut}");
        }
        let mut swapped = good.clone();
        let at = good.len() - 3 * ENTRY_LEN;
        let (a, b) = (at, at + ENTRY_LEN);
        let first: Vec<u8> = swapped[a..b].to_vec();
        let second: Vec<u8> = swapped[b..b + ENTRY_LEN].to_vec();
        swapped[a..b].copy_from_slice(&second);
        swapped[b..b + ENTRY_LEN].copy_from_slice(&first);
        assert!(FullCopy::from_vec(swapped).is_err());
        let mut index = good.clone();
        let last = index.len() - 2;
        index[last] = 9;
        assert!(FullCopy::from_vec(index).is_err());
        // Unsorted input to the writer.
        let masks = vec![m(1)];
        let mut counts = [0u64; BUCKETS];
        counts[1] = 2;
        let items = [
            (NirBucket::from_byte(1), Lookup(9), m(1)),
            (NirBucket::from_byte(1), Lookup(5), m(1)),
        ];
        assert!(
            write(
                &mut Vec::new(),
                7,
                &masks,
                &counts,
                items.into_iter().map(Ok)
            )
            .is_err()
        );
        // Counts that disagree with the entries.
        counts[1] = 1;
        assert!(
            write(
                &mut Vec::new(),
                7,
                &masks,
                &counts,
                items[1..].iter().copied().map(Ok)
            )
            .is_ok()
        );
        counts[1] = 3;
        assert!(
            write(
                &mut Vec::new(),
                7,
                &masks,
                &counts,
                items[1..].iter().copied().map(Ok)
            )
            .is_err()
        );
    }
}
