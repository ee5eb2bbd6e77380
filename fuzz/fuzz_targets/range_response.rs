//! Range-response parsing (`range::parse_response`, SPEC §7): never panics,
//! hits only ever come from well-formed lines, and a response that parses
//! has exactly `pad_lines` lines.
#![no_main]

use arbitrary::Arbitrary;
use fuitecheck_core::fingerprint::Lookup;
use fuitecheck_core::range;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    p: u8,
    pad_lines: u16,
    lookup: u64,
    body: Vec<u8>,
}

fuzz_target!(|input: Input| {
    // The manifest only ever allows P in 1..=4.
    let p = input.p % 4 + 1;
    let pad = u32::from(input.pad_lines);
    match range::parse_response(&input.body, p, pad, Lookup(input.lookup)) {
        Ok(hits) => {
            let lines = input.body.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(lines, pad as usize);
            assert!(hits.len() <= lines);
            assert!(hits.iter().all(|h| h.code != 0));
            let suffix = Lookup(input.lookup).suffix_hex(p);
            let text = std::str::from_utf8(&input.body).unwrap();
            for h in &hits {
                let line = format!("{suffix}:{:04X}:{:08X}", h.code, h.mask.bits());
                assert!(text.contains(&line), "hit {line} not in the body");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    // The same bytes under every other P.
    for q in 1..=4u8 {
        let _ = range::parse_response(&input.body, q, pad, Lookup(input.lookup));
    }
});
