//! The publisher's mapping file (`ingest::Mapping::from_toml`): never
//! panics on any text.
#![no_main]

use fuitecheck_publish::ingest::Mapping;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = Mapping::from_toml(text) {
        let _ = format!("{m:?}");
    }
});
