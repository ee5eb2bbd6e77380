//! Catalogue parsing (`Catalogue::from_json`): never panics; an accepted
//! catalogue serializes to text that parses back to the same catalogue.
#![no_main]

use fuitecheck_core::catalogue::Catalogue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = Catalogue::from_json(text) {
        let again = Catalogue::from_json(&c.to_json_pretty()).expect("round trip");
        assert_eq!(again, c);
    }
});
