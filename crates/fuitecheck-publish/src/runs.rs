//! Sorting (bucket, lookup, mask) triples within a memory budget: sorted
//! runs spilled to disk and merged (an external merge sort).
//!
//! A publisher's 33 million records give ~36 million pairs; sorting them in
//! memory would be fine on a large machine, but the build must stay within
//! a fixed budget whatever the input size. [`RunSorter`] keeps at most
//! `budget` pairs in memory, spills each full buffer as a sorted, merged
//! run file, and [`Sorted::pairs`] merges the runs (a k-way heap merge),
//! yielding each (bucket, lookup) once with the union of its masks (SPEC
//! §8). The bucket is that of the record's NIR ([`NirBucket`]), which the
//! range API needs and a lookup cannot give back. The same merge
//! assembles the shards of a distributed build (`shard.rs`).
//!
//! Run format: 13-byte records, the bucket byte, the lookup big-endian,
//! then the mask little-endian, sorted by (bucket, lookup), no pair twice.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::category::CategoryMask;
use fuitecheck_core::fingerprint::Lookup;

/// Bytes per pair in a run.
pub const RECORD_LEN: usize = 13;

/// One fingerprint of a record: the bucket of the record's NIR, the
/// lookup and the record's categories. Sorted and merged by (bucket,
/// lookup).
pub type Pair = (NirBucket, Lookup, CategoryMask);

/// A stream of sorted, merged pairs read back from memory or run files.
pub type PairStream<'a> = Box<dyn Iterator<Item = io::Result<Pair>> + 'a>;

/// Pairs held in memory before a run is spilled: 16 M pairs, 256 MiB.
pub const DEFAULT_BUDGET: usize = 16 << 20;

/// Sort `pairs` by (bucket, lookup) and merge identical ones (union of
/// masks), in place.
pub fn sort_merge(pairs: &mut Vec<Pair>) {
    pairs.sort_unstable_by_key(|p| (p.0, p.1));
    let mut w = 0usize;
    for r in 0..pairs.len() {
        if w > 0 && (pairs[w - 1].0, pairs[w - 1].1) == (pairs[r].0, pairs[r].1) {
            pairs[w - 1].2 = pairs[w - 1].2.union(pairs[r].2);
        } else {
            pairs[w] = pairs[r];
            w += 1;
        }
    }
    pairs.truncate(w);
}

/// Write sorted, merged pairs as run records.
pub fn write_records<W: Write>(
    out: &mut W,
    pairs: impl IntoIterator<Item = Pair>,
) -> io::Result<u64> {
    let mut n = 0u64;
    for (b, l, m) in pairs {
        let mut rec = [0u8; RECORD_LEN];
        rec[0] = b.byte();
        rec[1..9].copy_from_slice(&l.0.to_be_bytes());
        rec[9..].copy_from_slice(&m.bits().to_le_bytes());
        out.write_all(&rec)?;
        n += 1;
    }
    Ok(n)
}

/// Collects pairs within a memory budget.
pub struct RunSorter {
    dir: tempfile::TempDir,
    budget: usize,
    buf: Vec<Pair>,
    runs: Vec<PathBuf>,
}

impl std::fmt::Debug for RunSorter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunSorter")
            .field("budget", &self.budget)
            .field("buffered", &self.buf.len())
            .field("runs", &self.runs.len())
            .finish()
    }
}

impl RunSorter {
    /// Spill runs into a fresh temporary directory under `parent` (removed
    /// when the result is dropped), keeping at most `budget` pairs in
    /// memory.
    pub fn new(parent: &Path, budget: usize) -> io::Result<Self> {
        std::fs::create_dir_all(parent)?;
        Ok(Self {
            dir: tempfile::Builder::new()
                .prefix(".fuitecheck-sort-")
                .tempdir_in(parent)?,
            budget: budget.max(1),
            buf: Vec::new(),
            runs: Vec::new(),
        })
    }

    /// Add pairs, spilling a run whenever the buffer is full.
    pub fn extend(&mut self, pairs: impl IntoIterator<Item = Pair>) -> io::Result<()> {
        for p in pairs {
            self.buf.push(p);
            if self.buf.len() >= self.budget {
                self.spill()?;
            }
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        sort_merge(&mut self.buf);
        let path = self.dir.path().join(format!("run-{:05}", self.runs.len()));
        let mut out = BufWriter::new(File::create(&path)?);
        write_records(&mut out, self.buf.drain(..))?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        self.runs.push(path);
        Ok(())
    }

    /// Runs spilled so far.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Done adding: the sorted result (in memory when it never spilled).
    pub fn finish(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            sort_merge(&mut self.buf);
            return Ok(Sorted {
                memory: self.buf,
                runs: Vec::new(),
                _dir: Some(self.dir),
            });
        }
        if !self.buf.is_empty() {
            self.spill()?;
        }
        let runs = self
            .runs
            .iter()
            .map(|p| RunFile::whole(p.clone()))
            .collect();
        Ok(Sorted {
            memory: Vec::new(),
            runs,
            _dir: Some(self.dir),
        })
    }
}

/// A run inside a file: `count` records from byte `offset`.
#[derive(Debug, Clone)]
pub struct RunFile {
    /// The file.
    pub path: PathBuf,
    /// Where the records start.
    pub offset: u64,
    /// How many records (None: to the end of the file).
    pub count: Option<u64>,
}

impl RunFile {
    /// A whole file of records.
    pub fn whole(path: PathBuf) -> Self {
        Self {
            path,
            offset: 0,
            count: None,
        }
    }
}

/// Sorted, merged pairs, re-readable as many times as needed.
#[derive(Debug)]
pub struct Sorted {
    memory: Vec<Pair>,
    runs: Vec<RunFile>,
    _dir: Option<tempfile::TempDir>,
}

impl Sorted {
    /// Sorted runs in files (e.g. the shards of a distributed build).
    pub fn from_runs(runs: Vec<RunFile>) -> Self {
        Self {
            memory: Vec::new(),
            runs,
            _dir: None,
        }
    }

    /// Already sorted and merged pairs in memory.
    pub fn from_memory(mut pairs: Vec<Pair>) -> Self {
        sort_merge(&mut pairs);
        Self {
            memory: pairs,
            runs: Vec::new(),
            _dir: None,
        }
    }

    /// Every (bucket, lookup) once, ascending, with the union of its masks.
    pub fn pairs(&self) -> io::Result<PairStream<'_>> {
        if self.runs.is_empty() {
            return Ok(Box::new(self.memory.iter().map(|&p| Ok(p))));
        }
        let mut readers = Vec::with_capacity(self.runs.len());
        for r in &self.runs {
            readers.push(RunReader::open(r)?);
        }
        Ok(Box::new(Merge::new(readers)?))
    }
}

struct RunReader {
    inner: BufReader<File>,
    left: Option<u64>,
    path: PathBuf,
    last: Option<(NirBucket, Lookup)>,
}

impl RunReader {
    fn open(r: &RunFile) -> io::Result<Self> {
        let mut f = File::open(&r.path)?;
        f.seek(SeekFrom::Start(r.offset))?;
        Ok(Self {
            inner: BufReader::with_capacity(256 * 1024, f),
            left: r.count,
            path: r.path.clone(),
            last: None,
        })
    }

    fn next(&mut self) -> io::Result<Option<Pair>> {
        if self.left == Some(0) {
            return Ok(None);
        }
        let mut rec = [0u8; RECORD_LEN];
        let mut got = 0;
        while got < RECORD_LEN {
            match self.inner.read(&mut rec[got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let bad = |what: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {what}", self.path.display()),
            )
        };
        if got == 0 && self.left.is_none() {
            return Ok(None);
        }
        if got < RECORD_LEN {
            return Err(bad("truncated run"));
        }
        let b = NirBucket::from_byte(rec[0]);
        let l = Lookup(u64::from_be_bytes(array(&rec[1..9])));
        let m = CategoryMask::from_bits(u32::from_le_bytes(array(&rec[9..])))
            .map_err(|_| bad("a mask has reserved bits"))?;
        if self.last.is_some_and(|p| p >= (b, l)) {
            return Err(bad("records are not sorted"));
        }
        self.last = Some((b, l));
        if let Some(left) = &mut self.left {
            *left -= 1;
        }
        Ok(Some((b, l, m)))
    }
}

/// The merge order of a pair.
type Key = (NirBucket, Lookup);

struct Merge {
    readers: Vec<RunReader>,
    heads: BinaryHeap<Reverse<(Key, usize, u32)>>,
    failed: bool,
}

impl Merge {
    fn new(mut readers: Vec<RunReader>) -> io::Result<Self> {
        let mut heads = BinaryHeap::with_capacity(readers.len());
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some((b, l, m)) = r.next()? {
                heads.push(Reverse(((b, l), i, m.bits())));
            }
        }
        Ok(Self {
            readers,
            heads,
            failed: false,
        })
    }

    fn advance(&mut self, i: usize) -> io::Result<()> {
        if let Some((b, l, m)) = self.readers[i].next()? {
            self.heads.push(Reverse(((b, l), i, m.bits())));
        }
        Ok(())
    }

    fn step(&mut self) -> io::Result<Option<Pair>> {
        let Some(Reverse((key, i, bits))) = self.heads.pop() else {
            return Ok(None);
        };
        self.advance(i)?;
        let mut mask = bits;
        while let Some(Reverse((key2, j, b))) = self.heads.peek().copied() {
            if key2 != key {
                break;
            }
            self.heads.pop();
            mask |= b;
            self.advance(j)?;
        }
        // Masks were checked when read; a union of valid masks is valid.
        Ok(Some((
            key.0,
            key.1,
            CategoryMask::from_bits(mask).unwrap_or_default(),
        )))
    }
}

impl Iterator for Merge {
    type Item = io::Result<Pair>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.step() {
            Ok(x) => x.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// The first `N` bytes of `b` as an array (`b` is at least `N` long by
/// construction: records have a fixed size).
pub(crate) fn array<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(b: u32) -> CategoryMask {
        CategoryMask::from_bits(b).unwrap()
    }

    #[test]
    fn spilled_runs_merge_like_an_in_memory_sort() {
        let dir = tempfile::tempdir().unwrap();
        let mut x = 12345u64;
        let mut pairs = Vec::new();
        for i in 0..10_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Repeats across runs, so masks must be united.
            let l = if i % 7 == 0 { x % 500 } else { x };
            // A few buckets only, so that the same lookup also occurs in
            // several buckets (kept apart) and within one (merged).
            let b = NirBucket::from_byte((l % 3) as u8 * 0x55 + (i % 2) as u8);
            pairs.push((b, Lookup(l), m(1 << (i % 5))));
        }
        let mut sorter = RunSorter::new(dir.path(), 777).unwrap();
        sorter.extend(pairs.iter().copied()).unwrap();
        assert!(sorter.runs() >= 10);
        let sorted = sorter.finish().unwrap();
        let got: Vec<_> = sorted.pairs().unwrap().map(Result::unwrap).collect();
        let want = Sorted::from_memory(pairs);
        let want: Vec<_> = want.pairs().unwrap().map(Result::unwrap).collect();
        assert_eq!(got, want);
        // Re-readable.
        assert_eq!(sorted.pairs().unwrap().count(), got.len());
        drop(sorted);
        // The spill directory is gone with the result.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn corrupt_runs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("run");
        let mut bytes = Vec::new();
        let b = NirBucket::from_byte(7);
        write_records(&mut bytes, [(b, Lookup(2), m(1)), (b, Lookup(1), m(1))]).unwrap();
        std::fs::write(&p, &bytes).unwrap();
        let s = Sorted::from_runs(vec![RunFile::whole(p.clone())]);
        assert!(s.pairs().unwrap().any(|r| r.is_err()));
        std::fs::write(&p, &bytes[..19]).unwrap();
        let s = Sorted::from_runs(vec![RunFile::whole(p)]);
        assert!(s.pairs().unwrap().any(|r| r.is_err()));
    }
}
