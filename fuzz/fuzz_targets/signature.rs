//! Signature checking (`TrustStore::verify`) on arbitrary signature text:
//! never panics, and never accepts a signature over the embedded demo
//! manifest other than a genuine one (minisign signatures are
//! deterministic Ed25519, so only the shipped signature's authenticated
//! lines can verify).
#![no_main]

use ct_codecs::Decoder as _;
use fuitecheck_core::signature::TrustStore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let trust = TrustStore::shipped();
    let manifest = fuitecheck_core::demo::EMBEDDED_MANIFEST;
    if trust.verify(manifest, &text).is_ok() {
        // Only the authenticated part matters: the signature line, the
        // trusted comment and the global signature must be the shipped
        // ones (compared decoded, so that harmless re-encodings pass).
        let auth = |s: &str| -> Vec<Vec<u8>> {
            s.lines()
                .skip(1)
                .take(3)
                .map(|l| {
                    let l = l.trim();
                    match l.strip_prefix("trusted comment: ") {
                        Some(c) => c.as_bytes().to_vec(),
                        None => ct_codecs::Base64::decode_to_vec(l, None)
                            .unwrap_or_else(|_| l.as_bytes().to_vec()),
                    }
                })
                .collect()
        };
        assert_eq!(
            auth(&text),
            auth(fuitecheck_core::demo::EMBEDDED_SIGNATURE),
            "a forged signature verified"
        );
    }
    // Arbitrary data with an arbitrary signature.
    let (a, b) = data.split_at(data.len() / 2);
    let _ = trust.verify(a, &String::from_utf8_lossy(b));
});
