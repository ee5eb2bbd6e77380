//! The set-file reader on arbitrary bytes (`SetFile::from_vec`,
//! `validate_entries`, `lookup`, iteration): never panics, never reads out
//! of bounds.
#![no_main]

use fuitecheck_core::fingerprint::Lookup;
use fuitecheck_core::setfile::SetFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(set) = SetFile::from_vec(data.to_vec()) else {
        return;
    };
    let _ = format!("{set:?}");
    let _ = set.false_match_rate();
    let _ = (
        set.code(),
        set.len(),
        set.fingerprint_bits(),
        set.masks().len(),
    );
    let valid = set.validate_entries().is_ok();
    // Probe a few values whatever the validation said: the reader must
    // stay in bounds even on entries it would refuse.
    for probe in [0u64, u64::MAX, 0x8000_0000_0000_0000, 0xD87D_1BC8_D86F_C802] {
        let _ = set.lookup(Lookup(probe));
        let _ = set.first_at_or_after(Lookup(probe));
    }
    let entries: Vec<_> = set.iter_entries().take(10_000).collect();
    if valid {
        // Every stored entry is found again by lookup.
        for (l, m) in entries.iter().take(64) {
            assert!(set.lookup(*l).contains(m), "entry {l:?} not found");
        }
        assert!(entries.windows(2).all(|w| w[0].0 <= w[1].0));
    }
});
