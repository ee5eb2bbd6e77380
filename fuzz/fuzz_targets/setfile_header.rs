//! The set-file reader on files with a well-formed header whose counts and
//! widths lie: the magic and version are right, the rest (fingerprint and
//! index widths, mask count, entry count, mask table, entries, trailing
//! bytes) comes from the fuzzer, so the header checks are reached and
//! passed far more often than with raw bytes. Never panics; a file the
//! reader accepts has exactly the length its header announces.
#![no_main]

use arbitrary::Arbitrary;
use fuitecheck_core::fingerprint::Lookup;
use fuitecheck_core::setfile::{HEADER_LEN, MAGIC, SetFile, VERSION_COMPACT, VERSION_FIXED};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Version 2 (compact, Elias–Fano) instead of version 1.
    compact: bool,
    /// 6..=8 most of the time (version 2: 48..=64), anything otherwise.
    fp_bytes: u8,
    /// Whether to keep the index width consistent with the mask count.
    honest_index: bool,
    index_bytes: u8,
    code: u16,
    mask_count: u16,
    /// How the entry count relates to the body: exact, or a lie.
    entries: Count,
    reserved: u64,
    masks: Vec<u32>,
    body: Vec<u8>,
    probes: Vec<u64>,
}

#[derive(Debug, Arbitrary)]
enum Count {
    Exact,
    Plus(u8),
    Minus(u8),
    Huge(u64),
}

fuzz_target!(|input: Input| {
    let ceil_log2 = |n: u64| if n <= 1 { 0 } else { 64 - (n - 1).leading_zeros() };
    let fp = match (input.compact, input.fp_bytes < 200) {
        (false, true) => 6 + input.fp_bytes % 3,
        (true, true) => 48 + input.fp_bytes % 17,
        (_, false) => input.fp_bytes,
    };
    let m = input.mask_count;
    let idx = match (input.compact, input.honest_index) {
        (false, true) => {
            if m <= 256 { 1 } else { 2 }
        }
        (true, true) => ceil_log2(u64::from(m)) as u8,
        (_, false) => input.index_bytes,
    };
    // Mask table: as many as the header says when the fuzzer gave enough,
    // sorted ascending half of the time so that the table check passes.
    let mut masks: Vec<u32> = input.masks.iter().take(usize::from(m)).copied().collect();
    if input.code % 2 == 0 {
        masks.sort_unstable();
        masks.dedup();
        for v in &mut masks {
            *v &= 0x1_FFFF;
        }
        masks.dedup();
    }
    let entry_len = usize::from(fp) + usize::from(idx);
    let real = if input.compact {
        // Roughly what a version-2 body of this size holds.
        input.body.len() / 4
    } else if entry_len == 0 {
        0
    } else {
        input.body.len() / entry_len
    };
    let n: u64 = match input.entries {
        Count::Exact => real as u64,
        Count::Plus(k) => real as u64 + u64::from(k),
        Count::Minus(k) => (real as u64).saturating_sub(u64::from(k)),
        Count::Huge(v) => v,
    };
    let mut file = Vec::with_capacity(HEADER_LEN + 4 * masks.len() + input.body.len());
    file.extend_from_slice(MAGIC);
    let version = if input.compact { VERSION_COMPACT } else { VERSION_FIXED };
    file.extend_from_slice(&version.to_le_bytes());
    file.push(fp);
    file.push(idx);
    file.extend_from_slice(&input.code.to_le_bytes());
    file.extend_from_slice(&m.to_le_bytes());
    file.extend_from_slice(&n.to_le_bytes());
    let reserved = if input.reserved % 8 == 0 {
        input.reserved
    } else if input.compact {
        // The honest low-bit count and select shift.
        let low = if n == 0 { u32::from(fp) } else { u32::from(fp).saturating_sub(ceil_log2(n)) };
        u64::from(low) | 9 << 8
    } else {
        0
    };
    file.extend_from_slice(&reserved.to_le_bytes());
    for v in &masks {
        file.extend_from_slice(&v.to_le_bytes());
    }
    file.extend_from_slice(&input.body);
    let len = file.len();
    let Ok(set) = SetFile::from_vec(file) else {
        return;
    };
    // Accepted: the header told the truth about the length.
    if !input.compact {
        let expected = HEADER_LEN + 4 * set.masks().len() + set.len() * entry_len;
        assert_eq!(expected, len);
    }
    assert_eq!(set.byte_len(), len);
    let valid = set.validate_entries().is_ok();
    for &p in input.probes.iter().take(16) {
        let found = set.lookup(Lookup(p));
        if valid {
            assert!(found.iter().all(|m| set.masks().contains(m)));
        }
    }
    let _ = set.iter_entries().take(1000).count();
    if let Some(&p) = input.probes.first() {
        let _ = set.entries_from(Lookup(p)).take(100).count();
        let _ = set.first_at_or_after(Lookup(p));
    }
});
