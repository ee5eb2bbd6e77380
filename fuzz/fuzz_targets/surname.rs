//! Surname canonicalization: never panics; the result is non-empty
//! `A`–`Z` and canonicalizing it again changes nothing.
#![no_main]

use fuitecheck_core::surname::Surname;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = Surname::parse(&text) {
        let c = s.as_str();
        assert!(!c.is_empty());
        assert!(c.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
        assert_eq!(Surname::parse(c).unwrap().as_str(), c);
        assert_eq!(Surname::parse(&c.to_lowercase()).unwrap().as_str(), c);
    }
});
