//! CSV ingest (`ingest::ingest`) with a cheap KDF (Argon2id m=8, t=1, p=1)
//! over arbitrary bytes: never panics, and the report adds up. The mapping
//! is one of the test fixtures' (chosen by the first byte) or, for the
//! rest, fuzzed TOML.
#![no_main]

use fuitecheck_core::catalogue::Catalogue;
use fuitecheck_core::fingerprint::KdfParams;
use fuitecheck_publish::ingest::{self, Mapping};
use libfuzzer_sys::fuzz_target;

const LAB: &str = include_str!("../../tests/fixtures/lab.toml");
const TIERS: &str = include_str!("../../tests/fixtures/tiers.toml");
const NUMBERED: &str = r#"
delimiter = "	"
header = false
[columns]
nir = 1
birth_name = 2
usage_name = 3
[categories]
phone = [4]
[always]
categories = ["identity"]
"#;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let (mapping, csv) = match which % 4 {
        0 => (LAB.to_owned(), rest),
        1 => (TIERS.to_owned(), rest),
        2 => (NUMBERED.to_owned(), rest),
        _ => {
            // Fuzzed mapping: up to the first NUL, then the CSV.
            let cut = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let Ok(t) = std::str::from_utf8(&rest[..cut]) else {
                return;
            };
            (t.to_owned(), rest.get(cut + 1..).unwrap_or_default())
        }
    };
    let Ok(mapping) = Mapping::from_toml(&mapping) else {
        return;
    };
    let catalogue = Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let breach = catalogue.get(fuitecheck_core::demo::LAB).unwrap();
    let kdf = KdfParams {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
        salt: vec![0x5a; 16],
    };
    if let Ok((pairs, report)) = ingest::ingest(csv, &mapping, breach, &kdf, &|_| {}) {
        assert!(report.records <= report.rows);
        assert_eq!(report.records + report.skipped_total(), report.rows);
        assert!(pairs.len() as u64 >= report.records);
        let allowed = breach.mask();
        assert!(pairs.iter().all(|(_, m)| m.is_subset(allowed)));
        let _ = report.to_text();
    }
});
