//! Manifest parsing (`Manifest::from_json`) on arbitrary bytes: never
//! panics; an accepted manifest round-trips through `to_json_pretty`; and
//! the trust store never accepts these bytes with the shipped demo
//! signature (it signs other bytes).
#![no_main]

use fuitecheck_core::manifest::Manifest;
use fuitecheck_core::signature::TrustStore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Manifest::from_json(data) {
        let again = Manifest::from_json(m.to_json_pretty().as_bytes()).expect("round trip");
        assert_eq!(again, m);
    }
    if data != fuitecheck_core::demo::EMBEDDED_MANIFEST {
        let trust = TrustStore::shipped();
        assert!(
            trust
                .verify(data, fuitecheck_core::demo::EMBEDDED_SIGNATURE)
                .is_err()
        );
    }
});
