//! `docs/protocol-vectors.json` (SPEC v1.1 §10 as data, plus FuiteCheck's
//! padding): NIR buckets, the v1.1 range line and two complete bucket
//! bodies with their digests, reproduced by `bucket` and `range`.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fuitecheck_core::bucket::{NirBucket, bucket};
use fuitecheck_core::category::CategoryMask;
use fuitecheck_core::fingerprint::{KdfParams, Lookup};
use fuitecheck_core::manifest::Manifest;
use fuitecheck_core::nir::Nir;
use fuitecheck_core::range::{self, RangeLine};
use fuitecheck_core::surname::Surname;
use serde_json::Value;

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/protocol-vectors.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

#[test]
fn buckets() {
    let v = vectors();
    let rows = v["spec"]["buckets"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for row in rows {
        let nir = Nir::parse(str_of(row, "nir15")).unwrap();
        let b = NirBucket::of(&nir);
        assert_eq!(b.text(2), str_of(row, "bucket"));
        assert_eq!(b.text(1), &str_of(row, "first4")[..1]);
        assert_eq!(
            bucket(&nir, 2),
            u32::from_str_radix(str_of(row, "bucket"), 16).unwrap()
        );
    }
}

#[test]
fn range_line() {
    let v = vectors();
    let r = &v["spec"]["range_line"];
    let kdf = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        salt: hex::decode(str_of(&v["spec"], "salt_hex")).unwrap(),
    };
    let nir = Nir::parse(str_of(r, "nir15")).unwrap();
    let lookup = kdf
        .lookup(&nir, &Surname::parse(str_of(r, "surname")).unwrap())
        .unwrap();
    assert_eq!(lookup.to_hex(), str_of(r, "lookup"));
    assert_eq!(NirBucket::of(&nir).text(2), str_of(r, "bucket"));
    let line = str_of(r, "line");
    assert_eq!(line.len(), r["line_bytes"].as_u64().unwrap() as usize);
    assert_eq!(line.len(), range::LINE_LEN);
    let hits = range::parse_response(line.as_bytes(), 1, &[lookup]).unwrap();
    assert_eq!(hits[0].len(), 1);
    assert_eq!(u64::from(hits[0][0].code), r["code"].as_u64().unwrap());
    assert_eq!(
        u64::from(hits[0][0].mask.bits()),
        r["mask"].as_u64().unwrap()
    );
}

/// A manifest with the vectors' salt, P = 2 and `pad_lines` (only these
/// and the breach codes matter to a range body).
fn manifest(salt_hex: &str, pad_lines: u32) -> Manifest {
    let mut m = Manifest::from_json(fuitecheck_core::demo::EMBEDDED_MANIFEST).unwrap();
    m.kdf.salt = hex::decode(salt_hex).unwrap();
    m.range.prefix_hex_chars = 2;
    m.range.pad_lines = pad_lines;
    m
}

#[test]
fn padding_lookups() {
    let v = vectors();
    let f = &v["fuitecheck"];
    let salt = hex::decode(str_of(f, "salt_hex")).unwrap();
    for row in f["padding_lookups"].as_array().unwrap() {
        let bucket = u32::from_str_radix(str_of(row, "bucket"), 16).unwrap();
        let j = row["i"].as_u64().unwrap();
        assert_eq!(
            range::pad_lookup(&salt, bucket, j).to_hex(),
            str_of(row, "lookup")
        );
    }
}

/// The two complete bodies of a one-record publication: built byte for
/// byte, their digests, and the person's hit read back from bucket 15.
#[test]
fn bucket_bodies() {
    let v = vectors();
    let f = &v["fuitecheck"];
    let m = manifest(str_of(f, "salt_hex"), 4);
    let person = Lookup(0xD87D_1BC8_D86F_C802);
    let rows = f["bucket_bodies"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        let bucket = u32::from_str_radix(str_of(row, "bucket"), 16).unwrap();
        let real: Vec<RangeLine> = if bucket == 0x15 {
            vec![RangeLine {
                lookup: person,
                code: 2,
                mask: CategoryMask::from_bits(7).unwrap(),
            }]
        } else {
            Vec::new()
        };
        let body = range::build_response(&m, bucket, real).unwrap();
        assert_eq!(std::str::from_utf8(&body).unwrap(), str_of(row, "body"));
        assert_eq!(range::bucket_digest(&body), str_of(row, "digest"));
        // With CRLF line ends the digest is the same.
        let crlf = str_of(row, "body").replace('\n', "\r\n");
        assert_eq!(range::bucket_digest(crlf.as_bytes()), str_of(row, "digest"));
        let hits = range::parse_response(&body, 4, &[person]).unwrap();
        assert_eq!(hits[0].len(), usize::from(bucket == 0x15));
    }
    // A bucket holding more lines than pad_lines is refused.
    let one = manifest(str_of(f, "salt_hex"), 1);
    let two = (0..2).map(|i| RangeLine {
        lookup: Lookup(i),
        code: 2,
        mask: CategoryMask::from_bits(7).unwrap(),
    });
    assert!(range::build_response(&one, 0x15, two).is_err());
}
