//! Range-response parsing (`range::parse_response`, SPEC v1.1 §7): never
//! panics, hits only ever come from well-formed lines carrying the whole
//! lookup, and a response that parses has exactly `pad_lines` lines.
#![no_main]

use arbitrary::Arbitrary;
use fuitecheck_core::fingerprint::Lookup;
use fuitecheck_core::range;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    pad_lines: u16,
    lookups: Vec<u64>,
    body: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let pad = u32::from(input.pad_lines);
    let lookups: Vec<Lookup> = input.lookups.iter().take(4).map(|&l| Lookup(l)).collect();
    match range::parse_response(&input.body, pad, &lookups) {
        Ok(hits) => {
            let lines = input.body.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(lines, pad as usize);
            assert_eq!(hits.len(), lookups.len());
            let text = std::str::from_utf8(&input.body).unwrap();
            for (l, hits) in lookups.iter().zip(&hits) {
                assert!(hits.len() <= lines);
                for h in hits {
                    assert_ne!(h.code, 0);
                    let line = format!("{}:{:04X}:{:08X}", l.to_hex(), h.code, h.mask.bits());
                    assert!(text.contains(&line), "hit {line} not in the body");
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
