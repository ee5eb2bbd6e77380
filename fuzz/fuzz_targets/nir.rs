//! NIR parsing (`Nir::parse`, `parse_allow_body`), decoding and grouping:
//! never panics, and what parses is canonical and stable.
#![no_main]

use fuitecheck_core::nir::{self, Nir};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = nir::compact(&text);
    let _ = nir::group_digits(&text);
    for parsed in [Nir::parse(&text), Nir::parse_allow_body(&text)] {
        let Ok(n) = parsed else { continue };
        let canon = n.as_str().to_owned();
        assert_eq!(canon.len(), nir::NIR_LEN);
        // The canonical form parses to itself, and so does its grouping.
        assert_eq!(Nir::parse(&canon).unwrap().as_str(), canon);
        assert_eq!(Nir::parse(&n.grouped()).unwrap().as_str(), canon);
        let info = n.decode();
        assert!(info.warnings.iter().all(|w| !w.id().is_empty()));
        let _ = info.probable_birth_year(2026);
        let _ = info.probable_birth_year(0);
        let _ = info.probable_birth_year(u16::MAX);
        let _ = n.decode().warnings.len();
    }
    if let Ok(n) = Nir::parse(&text) {
        // Anything a citizen's form accepts, the publisher's accepts too.
        assert_eq!(Nir::parse_allow_body(&text).unwrap().as_str(), n.as_str());
    }
});
