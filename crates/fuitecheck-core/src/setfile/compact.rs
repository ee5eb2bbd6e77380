//! Format version 2: the compact (Elias–Fano) encoding of a set file.
//!
//! The normative description is `docs/set-format.md`. The sorted
//! fingerprints `x_0 ≤ x_1 ≤ … < 2^B` (the first `B` bits of each lookup,
//! 48 ≤ B ≤ 64) are split into `L` low bits, stored verbatim, and a high
//! part `x_i >> L`, stored in unary: bit `(x_i >> L) + i` of the high
//! bit-vector is set. With `L = B − ⌈log₂ N⌉` that costs `L + ~2` bits per
//! entry, within a few percent of the information-theoretic bound. A
//! sampled `select₀` index (the position of every 512th zero) makes a
//! lookup touch a handful of words: a few pages of a memory-mapped file,
//! with no decoding at open time.
//!
//! Every section is a whole number of little-endian 64-bit words; bit `k`
//! of a section is bit `k % 64` of word `k / 64`. Unused bits of the last
//! word are zero.

/// `log₂` of the select sampling step.
pub(super) const SELECT_SHIFT: u8 = 9;
const SELECT_STEP: u64 = 1 << SELECT_SHIFT;

/// ⌈log₂ n⌉ (0 for n ≤ 1).
pub(super) fn ceil_log2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        64 - (n - 1).leading_zeros()
    }
}

/// The number of low bits for `n` values of `bits` bits: `B − ⌈log₂ N⌉`,
/// at least 0; `B` for an empty set.
pub(super) fn low_bits_for(bits: u32, n: u64) -> u32 {
    if n == 0 {
        bits
    } else {
        bits.saturating_sub(ceil_log2(n))
    }
}

/// Mask-index bits for `m` distinct masks: ⌈log₂ M⌉.
pub(super) fn index_bits_for(m: usize) -> u32 {
    ceil_log2(m as u64)
}

fn words(nbits: u128) -> Option<usize> {
    usize::try_from(nbits.div_ceil(64)).ok()
}

/// Where the sections of a version-2 body lie, all offsets in bytes from
/// the start of the file.
#[derive(Debug, Clone)]
pub(super) struct Compact {
    pub(super) bits: u32,
    pub(super) low_bits: u32,
    pub(super) index_bits: u32,
    pub(super) n: usize,
    low_off: usize,
    pub(super) high_off: usize,
    /// Length of the high bit-vector in bits: N + number of buckets.
    high_len: u64,
    /// Number of buckets (zeros of the high bit-vector): (2^B − 1 >> L) + 1.
    buckets: u64,
    sel_off: usize,
    sel_count: usize,
    pub(super) idx_off: usize,
    /// Total file length.
    pub(super) total: u64,
}

impl Compact {
    /// Lay out a body after `start` bytes of header and mask table, or say
    /// why the numbers are impossible.
    pub(super) fn layout(start: usize, bits: u32, index_bits: u32, n: u64) -> Result<Self, String> {
        let low_bits = low_bits_for(bits, n);
        let max = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        let buckets = u128::from(if low_bits == 64 { 0 } else { max >> low_bits }) + 1;
        let high_len = u128::from(n) + buckets;
        let too_big = || format!("{n} entries cannot be laid out");
        let low_w = words(u128::from(n) * u128::from(low_bits)).ok_or_else(too_big)?;
        let high_w = words(high_len).ok_or_else(too_big)?;
        let sel_count =
            usize::try_from(buckets.div_ceil(u128::from(SELECT_STEP))).map_err(|_| too_big())?;
        let idx_w = words(u128::from(n) * u128::from(index_bits)).ok_or_else(too_big)?;
        let total = start as u128
            + 8 * (low_w as u128 + high_w as u128 + sel_count as u128 + idx_w as u128);
        let n = usize::try_from(n).map_err(|_| too_big())?;
        let low_off = start;
        let high_off = low_off + 8 * low_w;
        let sel_off = high_off + 8 * high_w;
        let idx_off = sel_off + 8 * sel_count;
        Ok(Self {
            bits,
            low_bits,
            index_bits,
            n,
            low_off,
            high_off,
            high_len: u64::try_from(high_len).map_err(|_| too_big())?,
            buckets: buckets as u64,
            sel_off,
            sel_count,
            idx_off,
            total: u64::try_from(total).map_err(|_| too_big())?,
        })
    }

    fn word(d: &[u8], off: usize, w: usize) -> u64 {
        let o = off + 8 * w;
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[o..o + 8]);
        u64::from_le_bytes(b)
    }

    /// `width` bits from bit `bit` of the section at `off`.
    fn bits_at(d: &[u8], off: usize, bit: u64, width: u32) -> u64 {
        if width == 0 {
            return 0;
        }
        let w = (bit / 64) as usize;
        let s = (bit % 64) as u32;
        let mut v = Self::word(d, off, w) >> s;
        if s + width > 64 {
            v |= Self::word(d, off, w + 1) << (64 - s);
        }
        if width == 64 {
            v
        } else {
            v & ((1u64 << width) - 1)
        }
    }

    fn high_bit(&self, d: &[u8], pos: u64) -> bool {
        Self::word(d, self.high_off, (pos / 64) as usize) >> (pos % 64) & 1 == 1
    }

    fn low(&self, d: &[u8], i: usize) -> u64 {
        Self::bits_at(
            d,
            self.low_off,
            i as u64 * u64::from(self.low_bits),
            self.low_bits,
        )
    }

    pub(super) fn index(&self, d: &[u8], i: usize) -> usize {
        Self::bits_at(
            d,
            self.idx_off,
            i as u64 * u64::from(self.index_bits),
            self.index_bits,
        ) as usize
    }

    /// The stored fingerprint of entry `i`, given its bucket.
    fn value(&self, d: &[u8], bucket: u64, i: usize) -> u64 {
        if self.low_bits == 64 {
            self.low(d, i)
        } else {
            bucket << self.low_bits | self.low(d, i)
        }
    }

    /// Position of zero number `k` (0-based) of the high bit-vector, or
    /// `None` when the vector has fewer zeros (only in a corrupt file).
    fn select0(&self, d: &[u8], k: u64) -> Option<u64> {
        let j = (k >> SELECT_SHIFT) as usize;
        if j >= self.sel_count {
            return None;
        }
        let mut pos = Self::word(d, self.sel_off, j);
        // A sample outside the bit-vector: only in a corrupt file.
        if pos >= self.high_len {
            return None;
        }
        let mut r = k - ((j as u64) << SELECT_SHIFT);
        if r == 0 {
            return Some(pos);
        }
        // Skip r more zeros after `pos`.
        pos += 1;
        let nwords = self.high_len.div_ceil(64);
        while pos < self.high_len {
            let w = pos / 64;
            if w >= nwords {
                return None;
            }
            let mut zeros = !Self::word(d, self.high_off, w as usize) >> (pos % 64) << (pos % 64);
            if w == nwords - 1 && !self.high_len.is_multiple_of(64) {
                zeros &= (1u64 << (self.high_len % 64)) - 1;
            }
            let c = u64::from(zeros.count_ones());
            if c >= r {
                for _ in 1..r {
                    zeros &= zeros - 1;
                }
                return Some(w * 64 + u64::from(zeros.trailing_zeros()));
            }
            r -= c;
            pos = (w + 1) * 64;
        }
        None
    }

    /// The high bit-vector position and entry index where bucket `h`
    /// starts.
    fn bucket_start(&self, d: &[u8], h: u64) -> Option<(u64, usize)> {
        let pos = if h == 0 {
            0
        } else {
            self.select0(d, h - 1)? + 1
        };
        let i = pos.checked_sub(h)?;
        Some((pos, usize::try_from(i).ok()?.min(self.n)))
    }

    fn split(&self, key: u64) -> (u64, u64) {
        let x = if self.bits == 64 {
            key
        } else {
            key >> (64 - self.bits)
        };
        if self.low_bits == 64 {
            (0, x)
        } else {
            (x >> self.low_bits, x & ((1u64 << self.low_bits) - 1))
        }
    }

    /// A cursor at the first entry whose fingerprint is ≥ the first `B`
    /// bits of `key`.
    pub(super) fn seek(&self, d: &[u8], key: u64) -> Cursor {
        let (h, lo) = self.split(key);
        let Some((mut pos, mut i)) = self.bucket_start(d, h) else {
            return Cursor::end(self);
        };
        while i < self.n && pos < self.high_len && self.high_bit(d, pos) {
            if self.low(d, i) >= lo {
                break;
            }
            pos += 1;
            i += 1;
        }
        Cursor { pos, i, bucket: h }
    }

    /// Every mask index stored for `key` (first `B` bits equal).
    pub(super) fn lookup(&self, d: &[u8], key: u64) -> Vec<usize> {
        let (h, lo) = self.split(key);
        let mut out = Vec::new();
        let Some((mut pos, mut i)) = self.bucket_start(d, h) else {
            return out;
        };
        while i < self.n && pos < self.high_len && self.high_bit(d, pos) {
            let l = self.low(d, i);
            if l > lo {
                break;
            }
            if l == lo {
                out.push(self.index(d, i));
            }
            pos += 1;
            i += 1;
        }
        out
    }

    /// The next entry at `c`: (fingerprint as a left-aligned 64-bit
    /// lookup, mask index), advancing the cursor.
    pub(super) fn next(&self, d: &[u8], c: &mut Cursor) -> Option<(u64, usize)> {
        if c.i >= self.n {
            return None;
        }
        // Skip the zeros (bucket ends) before the next one.
        loop {
            if c.pos >= self.high_len {
                c.i = self.n;
                return None;
            }
            let w = Self::word(d, self.high_off, (c.pos / 64) as usize) >> (c.pos % 64);
            if w == 0 {
                let skip = 64 - c.pos % 64;
                c.bucket += skip;
                c.pos += skip;
                continue;
            }
            let tz = u64::from(w.trailing_zeros());
            c.bucket += tz;
            c.pos += tz;
            break;
        }
        if c.pos >= self.high_len {
            c.i = self.n;
            return None;
        }
        let x = self.value(d, c.bucket, c.i);
        let lookup = if self.bits == 64 {
            x
        } else {
            x << (64 - self.bits)
        };
        let idx = self.index(d, c.i);
        c.pos += 1;
        c.i += 1;
        Some((lookup, idx))
    }

    /// Check the whole body: exactly N ones, every bucket below the
    /// largest, entries strictly increasing by (fingerprint, index),
    /// indexes inside a table of `masks`, the select samples right, and
    /// every unused bit zero. O(N).
    pub(super) fn validate(&self, d: &[u8], masks: usize) -> Result<(), String> {
        let mut zeros = 0u64;
        let mut i = 0usize;
        let mut prev: Option<(u64, usize)> = None;
        for pos in 0..self.high_len {
            if self.high_bit(d, pos) {
                if i >= self.n {
                    return Err("more entries than the header says".to_owned());
                }
                if zeros >= self.buckets {
                    return Err(format!("entry {i} lies beyond the largest bucket"));
                }
                let e = (self.value(d, zeros, i), self.index(d, i));
                if e.1 >= masks {
                    return Err(format!("entry {i} points outside the mask table"));
                }
                if prev.is_some_and(|p| p >= e) {
                    return Err(format!("entry {i} is out of order or repeated"));
                }
                prev = Some(e);
                i += 1;
            } else {
                if zeros.is_multiple_of(SELECT_STEP) {
                    let j = (zeros >> SELECT_SHIFT) as usize;
                    if Self::word(d, self.sel_off, j) != pos {
                        return Err(format!("select sample {j} is wrong"));
                    }
                }
                zeros += 1;
            }
        }
        if i != self.n || zeros != self.buckets {
            return Err(format!("{i} entries found, the header says {}", self.n));
        }
        let tail_clear = |off: usize, nbits: u64| {
            let rem = nbits % 64;
            rem == 0 || Self::word(d, off, (nbits / 64) as usize) >> rem == 0
        };
        if !tail_clear(self.low_off, self.n as u64 * u64::from(self.low_bits))
            || !tail_clear(self.high_off, self.high_len)
            || !tail_clear(self.idx_off, self.n as u64 * u64::from(self.index_bits))
        {
            return Err("unused bits are not zero".to_owned());
        }
        Ok(())
    }
}

/// A position in the entry sequence.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cursor {
    pos: u64,
    pub(super) i: usize,
    bucket: u64,
}

impl Cursor {
    pub(super) fn start() -> Self {
        Self {
            pos: 0,
            i: 0,
            bucket: 0,
        }
    }

    fn end(c: &Compact) -> Self {
        Self {
            pos: c.high_len,
            i: c.n,
            bucket: c.buckets,
        }
    }
}

/// Append `width` bits of `v` to a word vector at bit `at`.
fn put_bits(words: &mut [u64], at: u64, width: u32, v: u64) {
    if width == 0 {
        return;
    }
    let w = (at / 64) as usize;
    let s = (at % 64) as u32;
    words[w] |= v << s;
    if s + width > 64 {
        words[w + 1] |= v >> (64 - s);
    }
}

/// Encodes sorted, strictly increasing `(fingerprint, index)` entries
/// (fingerprints right-aligned, `< 2^bits`) into a version-2 body, one at a
/// time. Memory: the body itself (~3.5 bytes per entry).
pub(super) struct Builder {
    c: Compact,
    low: Vec<u64>,
    high: Vec<u64>,
    sel: Vec<u64>,
    idx: Vec<u64>,
    /// Entries pushed.
    i: u64,
    /// The next zero number whose position the select index records.
    next_sample: u64,
    last: Option<(u64, u16)>,
}

impl Builder {
    /// A builder for exactly `n` entries.
    pub(super) fn new(bits: u32, index_bits: u32, n: u64) -> Result<Self, String> {
        let c = Compact::layout(0, bits, index_bits, n)?;
        Ok(Self {
            low: vec![0u64; (c.high_off - c.low_off) / 8],
            high: vec![0u64; (c.sel_off - c.high_off) / 8],
            sel: Vec::with_capacity(c.sel_count),
            idx: vec![0u64; (c.total as usize - c.idx_off) / 8],
            c,
            i: 0,
            next_sample: 0,
            last: None,
        })
    }

    /// Append one entry; entries must come strictly increasing.
    pub(super) fn push(&mut self, x: u64, m: u16) -> Result<(), String> {
        if self.i >= self.c.n as u64 {
            return Err("more entries than announced".to_owned());
        }
        if self.last.is_some_and(|l| l >= (x, m)) {
            return Err("entries are not strictly increasing".to_owned());
        }
        let l = self.c.low_bits;
        let (bucket, lo) = if l == 64 {
            (0, x)
        } else {
            (x >> l, x & ((1u64 << l) - 1))
        };
        if bucket >= self.c.buckets {
            return Err(format!(
                "fingerprint {x:#x} is wider than {} bits",
                self.c.bits
            ));
        }
        // Zero number k sits at k + (entries whose bucket is ≤ k): every
        // sample below this entry's bucket is now final.
        while self.next_sample < bucket {
            self.sel.push(self.next_sample + self.i);
            self.next_sample += SELECT_STEP;
        }
        put_bits(&mut self.low, self.i * u64::from(l), l, lo);
        let p = bucket + self.i;
        self.high[(p / 64) as usize] |= 1 << (p % 64);
        put_bits(
            &mut self.idx,
            self.i * u64::from(self.c.index_bits),
            self.c.index_bits,
            u64::from(m),
        );
        self.i += 1;
        self.last = Some((x, m));
        Ok(())
    }

    /// The body, once every announced entry was pushed.
    pub(super) fn finish(mut self, out: &mut Vec<u8>) -> Result<(), String> {
        if self.i != self.c.n as u64 {
            return Err(format!("{} entries pushed, {} announced", self.i, self.c.n));
        }
        while self.next_sample < self.c.buckets {
            self.sel.push(self.next_sample + self.i);
            self.next_sample += SELECT_STEP;
        }
        out.reserve(self.c.total as usize);
        for w in self
            .low
            .iter()
            .chain(&self.high)
            .chain(&self.sel)
            .chain(&self.idx)
        {
            out.extend_from_slice(&w.to_le_bytes());
        }
        Ok(())
    }
}
