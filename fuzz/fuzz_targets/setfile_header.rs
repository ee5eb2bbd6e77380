//! The set-file reader on files with a well-formed header whose counts and
//! widths lie: the magic and version are right, the rest (fingerprint and
//! index widths, mask count, entry count, mask table, entries, trailing
//! bytes) comes from the fuzzer, so the header checks are reached and
//! passed far more often than with raw bytes. Never panics; a file the
//! reader accepts has exactly the length its header announces.
#![no_main]

use arbitrary::Arbitrary;
use fuitecheck::fingerprint::Lookup;
use fuitecheck::setfile::{HEADER_LEN, MAGIC, SetFile, VERSION};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// 6..=8 most of the time, anything otherwise.
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
    let fp = if input.fp_bytes < 200 {
        6 + input.fp_bytes % 3
    } else {
        input.fp_bytes
    };
    let m = input.mask_count;
    let idx = if input.honest_index {
        if m <= 256 { 1 } else { 2 }
    } else {
        input.index_bytes
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
    let real = if entry_len == 0 {
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
    file.extend_from_slice(&VERSION.to_le_bytes());
    file.push(fp);
    file.push(idx);
    file.extend_from_slice(&input.code.to_le_bytes());
    file.extend_from_slice(&m.to_le_bytes());
    file.extend_from_slice(&n.to_le_bytes());
    let reserved = if input.reserved % 8 == 0 {
        input.reserved
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
    let expected = HEADER_LEN + 4 * set.masks().len() + set.len() * entry_len;
    assert_eq!(expected, len);
    let valid = set.validate_entries().is_ok();
    for &p in input.probes.iter().take(16) {
        let found = set.lookup(Lookup(p));
        if valid {
            assert!(found.iter().all(|m| set.masks().contains(m)));
        }
    }
    let _ = set.iter_entries().take(1000).count();
});
