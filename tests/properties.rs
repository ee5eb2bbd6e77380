//! Property tests: the parsers the fuzz targets in `fuzz/` exercise, run
//! briefly on every `cargo test` so that CI keeps guarding them (issue 7).
//!
//! - no parser panics on arbitrary input, nor on byte-level mutations of
//!   real files (demo manifest, signature, set files, fixture CSVs);
//! - a set file written from (lookup, mask) pairs gives every pair back;
//! - range responses built from random sets parse back to the same hits;
//! - a manifest survives `to_json_pretty` → `from_json` unchanged.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use fuitecheck_core::catalogue::{Catalogue, Lang};
use fuitecheck_core::category::{Category, CategoryMask};
use fuitecheck_core::check::Hit;
use fuitecheck_core::fingerprint::{KdfParams, Lookup};
use fuitecheck_core::manifest::{Manifest, SetInfo};
use fuitecheck_core::nir::Nir;
use fuitecheck_core::range;
use fuitecheck_core::setfile::{self, HEADER_LEN, MAGIC, SetFile, VERSION_COMPACT, VERSION_FIXED};
use fuitecheck_core::signature::TrustStore;
use fuitecheck_core::surname::Surname;
use fuitecheck_publish::ingest::{self, Mapping};
use proptest::prelude::*;

const LAB_TOML: &str = include_str!("fixtures/lab.toml");
const TIERS_TOML: &str = include_str!("fixtures/tiers.toml");
const LAB_CSV: &[u8] = include_bytes!("fixtures/lab.csv");
const TIERS_CSV: &[u8] = include_bytes!("fixtures/tiers.csv");
const SHARD_SEED: &[u8] = include_bytes!("../fuzz/corpus/shard/seed-lab-whole.fcshard");
const LAB_SET: &[u8] =
    include_bytes!("../assets/demo/publication/v1/sets/demo-laboratoire-fictif.fcset");

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Shrinking can take long on big inputs; a failure is reported
        // with its seed anyway.
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

/// A valid category mask (reserved bits clear), never empty.
fn mask() -> impl Strategy<Value = CategoryMask> {
    prop::sample::subsequence(Category::ALL.to_vec(), 1..=Category::ALL.len())
        .prop_map(|cats| cats.into_iter().collect())
}

/// `data` with `flips` (offset, xor) applied: a mutation of a real file.
fn mutate(data: &[u8], flips: &[(usize, u8)]) -> Vec<u8> {
    let mut v = data.to_vec();
    if !v.is_empty() {
        for &(o, x) in flips {
            let i = o % v.len();
            v[i] ^= x.max(1);
        }
    }
    v
}

fn flips() -> impl Strategy<Value = Vec<(usize, u8)>> {
    prop::collection::vec((any::<usize>(), any::<u8>()), 1..8)
}

/// An RFC 3339 UTC time between 1970 and 2100, as the publisher writes it.
fn utc_time() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800).prop_map(|s| {
        jiff::Timestamp::from_second(s)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    })
}

fn demo_manifest() -> Manifest {
    Manifest::from_json(fuitecheck_core::demo::EMBEDDED_MANIFEST).unwrap()
}

// ---------------------------------------------------------------------------
// Never panic
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn nir_never_panics(s in any::<String>(), digits in "[0-9AaBb .\\-]{0,24}") {
        for text in [&s, &digits] {
            for n in [Nir::parse(text), Nir::parse_allow_body(text)].into_iter().flatten() {
                let info = n.decode();
                for lang in [Lang::Fr, Lang::En] {
                    let _ = fuitecheck::text::nir_summary(&info, lang, 2026);
                    for w in &info.warnings {
                        prop_assert!(!fuitecheck::text::nir_warning(w, lang).is_empty());
                    }
                }
                prop_assert_eq!(Nir::parse(n.as_str()).unwrap(), n.clone());
                prop_assert_eq!(Nir::parse(&n.grouped()).unwrap(), n.clone());
            }
        }
    }

    #[test]
    fn surname_never_panics_and_is_idempotent(s in any::<String>()) {
        if let Ok(n) = Surname::parse(&s) {
            prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_uppercase()));
            prop_assert_eq!(Surname::parse(n.as_str()).unwrap(), n.clone());
        }
    }

    #[test]
    fn range_parser_never_panics(
        body in prop::collection::vec(any::<u8>(), 0..200),
        pad in 0u32..8,
        lookup in any::<u64>(),
    ) {
        let _ = range::parse_response(&body, pad, &[Lookup(lookup)]);
    }

    #[test]
    fn range_parser_never_panics_on_near_lines(
        lines in prop::collection::vec("[0-9A-Fa-f:\\r]{10,32}", 0..6),
        lookup in any::<u64>(),
    ) {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let _ = range::parse_response(body.as_bytes(), lines.len() as u32, &[Lookup(lookup)]);
    }

    #[test]
    fn setfile_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        probe_set(bytes);
    }

    #[test]
    fn setfile_reader_never_panics_on_mutations(f in flips()) {
        probe_set(mutate(LAB_SET, &f));
    }

    /// A well-formed header whose widths and counts lie.
    #[test]
    fn setfile_reader_never_panics_on_lying_headers(
        fp in prop_oneof![6u8..=8, any::<u8>()],
        idx in prop_oneof![Just(1u8), Just(2u8), any::<u8>()],
        code in any::<u16>(),
        mask_count in prop_oneof![1u16..4, any::<u16>()],
        masks in prop::collection::vec(0u32..0x2_0000, 0..6),
        entries in prop_oneof![0u64..64, any::<u64>()],
        body in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut masks = masks;
        masks.sort_unstable();
        masks.dedup();
        let mut file = Vec::new();
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&VERSION_FIXED.to_le_bytes());
        file.extend_from_slice(&[fp, idx]);
        file.extend_from_slice(&code.to_le_bytes());
        file.extend_from_slice(&mask_count.to_le_bytes());
        file.extend_from_slice(&entries.to_le_bytes());
        file.extend_from_slice(&[0; 8]);
        for m in &masks {
            file.extend_from_slice(&m.to_le_bytes());
        }
        file.extend_from_slice(&body);
        let len = file.len();
        if let Some(set) = probe_set(file) {
            let entry_len = usize::from(fp) + usize::from(idx);
            prop_assert_eq!(HEADER_LEN + 4 * set.masks().len() + set.len() * entry_len, len);
        }
    }

    /// A version-2 header, honest or lying about its widths and counts,
    /// over an arbitrary body.
    #[test]
    fn compact_setfile_reader_never_panics_on_lying_headers(
        bits in prop_oneof![48u8..=64, any::<u8>()],
        idx in prop_oneof![0u8..3, any::<u8>()],
        low in prop_oneof![Just(None), any::<u8>().prop_map(Some)],
        mask_count in prop_oneof![1u16..4, any::<u16>()],
        entries in prop_oneof![0u64..64, any::<u64>()],
        body in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut file = Vec::new();
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&VERSION_COMPACT.to_le_bytes());
        file.extend_from_slice(&[bits, idx]);
        file.extend_from_slice(&7u16.to_le_bytes());
        file.extend_from_slice(&mask_count.to_le_bytes());
        file.extend_from_slice(&entries.to_le_bytes());
        let log = if entries <= 1 { 0 } else { 64 - (entries - 1).leading_zeros() };
        let honest = if entries == 0 { u32::from(bits) } else { u32::from(bits).saturating_sub(log) };
        file.push(low.unwrap_or(honest as u8));
        file.extend_from_slice(&[9, 0, 0, 0, 0, 0, 0]);
        for i in 0..u32::from(mask_count.min(4)) {
            file.extend_from_slice(&(i + 1).to_le_bytes());
        }
        file.extend_from_slice(&body);
        let len = file.len();
        if let Some(set) = probe_set(file) {
            prop_assert_eq!(set.byte_len(), len);
            let _ = set.entries_from(Lookup(0x8000_0000_0000_0000)).take(10).count();
        }
    }

    /// Shard files (distributed builds): reading, checking and merging
    /// never panics on altered or arbitrary bytes, and whatever the merge
    /// yields is strictly increasing.
    #[test]
    fn shard_reader_never_panics(f in flips(), junk in prop::collection::vec(any::<u8>(), 0..200)) {
        let dir = tempfile::tempdir().unwrap();
        let kdf = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1, salt: vec![0x5a; 16] };
        for (i, bytes) in [mutate(SHARD_SEED, &f), junk].into_iter().enumerate() {
            let path = dir.path().join(format!("s{i}"));
            std::fs::write(&path, &bytes).unwrap();
            let Ok(info) = fuitecheck_publish::shard::read_info(&path) else { continue };
            let Ok((sorted, _)) = fuitecheck_publish::shard::assemble(&[path], info.code, &kdf, None) else { continue };
            let Ok(pairs) = sorted.pairs() else { continue };
            let mut prev = None;
            for p in pairs {
                let Ok((b, l, _)) = p else { break };
                let l = (b, l);
                prop_assert!(prev.is_none_or(|q| q < l));
                prev = Some(l);
            }
        }
    }

    #[test]
    fn manifest_parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = Manifest::from_json(&bytes);
        let _ = Catalogue::from_json(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn manifest_parser_never_panics_on_mutations(f in flips()) {
        let bytes = mutate(fuitecheck_core::demo::EMBEDDED_MANIFEST, &f);
        if let Ok(m) = Manifest::from_json(&bytes) {
            prop_assert_eq!(Manifest::from_json(m.to_json_pretty().as_bytes()).unwrap(), m);
        }
        // The demo signature covers other bytes: never accepted.
        prop_assert!(
            TrustStore::shipped()
                .verify(&bytes, fuitecheck_core::demo::EMBEDDED_SIGNATURE)
                .is_err()
        );
    }

    #[test]
    fn catalogue_parser_never_panics_on_mutations(f in flips()) {
        let bytes = mutate(fuitecheck_core::demo::DEMO_BREACHES.as_bytes(), &f);
        if let Ok(text) = std::str::from_utf8(&bytes)
            && let Ok(c) = Catalogue::from_json(text)
        {
            prop_assert_eq!(Catalogue::from_json(&c.to_json_pretty()).unwrap(), c);
        }
    }

    #[test]
    fn signature_check_never_panics(s in any::<String>(), f in flips()) {
        let trust = TrustStore::shipped();
        let manifest = fuitecheck_core::demo::EMBEDDED_MANIFEST;
        let _ = trust.verify(manifest, &s);
        let _ = trust.verify(manifest, &format!("untrusted comment: {s}"));
        // A mutated signature verifies only if the mutation hit the
        // unauthenticated comment line.
        let sig = fuitecheck_core::demo::EMBEDDED_SIGNATURE;
        let bad = mutate(sig.as_bytes(), &f);
        if let Ok(text) = std::str::from_utf8(&bad)
            && trust.verify(manifest, text).is_ok()
        {
            let first = sig.find('\n').unwrap();
            let changed: Vec<usize> = (0..sig.len())
                .filter(|&i| bad[i] != sig.as_bytes()[i])
                .collect();
            prop_assert!(
                changed
                    .iter()
                    .all(|&i| i >= "untrusted comment: ".len() && i < first),
                "a signature altered at {:?} verified",
                changed
            );
        }
    }

    #[test]
    fn mapping_parser_never_panics(s in any::<String>(), f in flips()) {
        let _ = Mapping::from_toml(&s);
        let bytes = mutate(LAB_TOML.as_bytes(), &f);
        let _ = Mapping::from_toml(&String::from_utf8_lossy(&bytes));
    }
}

proptest! {
    // Each case runs the (cheap) KDF on every usable row.
    #![proptest_config(config(64))]

    #[test]
    fn ingest_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        f in flips(),
        which in 0usize..2,
    ) {
        let (toml, csv) = [(LAB_TOML, LAB_CSV), (TIERS_TOML, TIERS_CSV)][which];
        let mapping = Mapping::from_toml(toml).unwrap();
        for input in [bytes.clone(), mutate(csv, &f)] {
            check_ingest(&mapping, &input)?;
        }
    }
}

fn probe_set(bytes: Vec<u8>) -> Option<SetFile> {
    let set = SetFile::from_vec(bytes).ok()?;
    let valid = set.validate_entries().is_ok();
    for probe in [0, u64::MAX, 0x8000_0000_0000_0000, 0xD87D_1BC8_D86F_C802] {
        let found = set.lookup(Lookup(probe));
        if valid {
            assert!(found.iter().all(|m| set.masks().contains(m)));
        }
    }
    let _ = set.iter_entries().count();
    let _ = set.false_match_rate();
    Some(set)
}

fn cheap_kdf() -> KdfParams {
    KdfParams {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
        salt: vec![0x5a; 16],
    }
}

fn check_ingest(mapping: &Mapping, input: &[u8]) -> Result<(), TestCaseError> {
    let cat = Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let breach = cat.get(fuitecheck_core::demo::LAB).unwrap();
    if let Ok((pairs, report)) = ingest::ingest(input, mapping, breach, &cheap_kdf(), &|_| {}) {
        prop_assert_eq!(report.records + report.skipped_total(), report.rows);
        prop_assert!(pairs.len() as u64 >= report.records);
        prop_assert!(pairs.iter().all(|(_, _, m)| m.is_subset(breach.mask())));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

/// What a set of pairs should answer: lookup → union of its masks.
fn expected(pairs: &[(Lookup, CategoryMask)]) -> BTreeMap<Lookup, CategoryMask> {
    let mut want: BTreeMap<Lookup, CategoryMask> = BTreeMap::new();
    for &(l, m) in pairs {
        let e = want.entry(l).or_insert(CategoryMask::EMPTY);
        *e = e.union(m);
    }
    want
}

fn write(code: u16, fp: u8, pairs: &[(Lookup, CategoryMask)]) -> SetFile {
    let mut out = Vec::new();
    setfile::write_set(&mut out, code, fp, pairs.to_vec()).unwrap();
    let set = SetFile::from_vec(out).unwrap();
    set.validate_entries().unwrap();
    set
}

fn pairs(max: usize) -> impl Strategy<Value = Vec<(Lookup, CategoryMask)>> {
    // Some lookups share a prefix or repeat, so merging and buckets are
    // exercised, not only distinct random values.
    let lookup = prop_oneof![
        any::<u64>(),
        (0u64..4, any::<u16>()).prop_map(|(hi, lo)| (hi << 60) | u64::from(lo)),
    ];
    prop::collection::vec((lookup.prop_map(Lookup), mask()), 0..max)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn setfile_write_read_returns_every_pair(
        pairs in pairs(300),
        code in 1u16..,
        fp in 6u8..=8,
        absent in any::<u64>(),
    ) {
        let set = write(code, fp, &pairs);
        let want = expected(&pairs);
        prop_assert_eq!(set.code(), code);
        for (&l, &m) in &want {
            let found = set.lookup(l);
            if fp == 8 {
                prop_assert_eq!(found, vec![m]);
            } else {
                // Truncated fingerprints may coincide: the union of this
                // lookup's masks is among the answers.
                prop_assert!(found.contains(&m));
            }
        }
        if fp == 8 {
            prop_assert_eq!(set.len(), want.len());
            let back: Vec<_> = set.iter_entries().collect();
            prop_assert_eq!(back, want.iter().map(|(&l, &m)| (l, m)).collect::<Vec<_>>());
            if !want.contains_key(&Lookup(absent)) {
                prop_assert!(set.lookup(Lookup(absent)).is_empty());
            }
        }
    }

    /// Version 2 answers like version 1 at every width: the union of a
    /// lookup's masks is among its answers, and with 64 bits exactly.
    #[test]
    fn compact_write_read_returns_every_pair(
        pairs in pairs(300),
        code in 1u16..,
        bits in prop_oneof![Just(48u32), 48u32..=64, Just(64u32)],
        absent in any::<u64>(),
    ) {
        let mut out = Vec::new();
        setfile::write_compact(&mut out, code, bits, pairs.clone()).unwrap();
        let set = SetFile::from_vec(out).unwrap();
        set.validate_entries().unwrap();
        prop_assert_eq!(set.code(), code);
        prop_assert_eq!(set.fingerprint_bits(), bits);
        let want = expected(&pairs);
        for (&l, &m) in &want {
            let found = set.lookup(l);
            if bits == 64 {
                prop_assert_eq!(found, vec![m]);
            } else {
                prop_assert!(found.contains(&m));
            }
        }
        if bits == 64 {
            let back: Vec<_> = set.iter_entries().collect();
            prop_assert_eq!(back, want.iter().map(|(&l, &m)| (l, m)).collect::<Vec<_>>());
            if !want.contains_key(&Lookup(absent)) {
                prop_assert!(set.lookup(Lookup(absent)).is_empty());
            }
        }
    }

    /// Range answers: whatever lines a bucket holds (one per (lookup,
    /// breach), here put in bucket `lookup mod 16^P`), the body has
    /// exactly `pad_lines` 31-byte lines and the strict parser gives back
    /// the hits of every lookup, all 64 bits compared.
    #[test]
    fn range_build_then_parse_returns_the_hits(
        sets in prop::collection::vec(pairs(120), 1..4),
        p in 1u8..=2,
        extra_pad in 0u32..4,
        absent in any::<u64>(),
    ) {
        let mut manifest = demo_manifest();
        let n = u64::from(range::bucket_count(p));
        let bucket_of = |l: Lookup| (l.0 % n) as u32;
        let mut lines: BTreeMap<u32, Vec<range::RangeLine>> = BTreeMap::new();
        for (i, s) in sets.iter().enumerate() {
            for (&lookup, &mask) in &expected(s) {
                lines.entry(bucket_of(lookup)).or_default().push(range::RangeLine {
                    lookup,
                    code: i as u16 + 1,
                    mask,
                });
            }
        }
        let pad = lines.values().map(|v| v.len() as u32).max().unwrap_or(0).max(1) + extra_pad;
        manifest.range.prefix_hex_chars = p;
        manifest.range.pad_lines = pad;
        let mut probes: Vec<Lookup> = sets.iter().flatten().map(|&(l, _)| l).collect();
        probes.push(Lookup(absent));
        for l in probes {
            let v = bucket_of(l);
            let real = lines.get(&v).cloned().unwrap_or_default();
            let body = range::build_response(&manifest, v, real).unwrap();
            prop_assert_eq!(body.len(), pad as usize * range::LINE_LEN);
            let mut hits = range::parse_response(&body, pad, &[l]).unwrap().remove(0);
            hits.sort_by_key(|h| h.code);
            let want: Vec<Hit> = sets
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    expected(s).get(&l).map(|&mask| Hit { code: i as u16 + 1, mask })
                })
                .collect();
            prop_assert_eq!(hits, want);
            // CRLF line ends read the same.
            let crlf = String::from_utf8(body).unwrap().replace('\n', "\r\n");
            prop_assert_eq!(
                range::parse_response(crlf.as_bytes(), pad, &[l]).unwrap()[0].len(),
                want_len(&sets, l)
            );
        }
    }

    /// SPEC §6: a forbidden character anywhere in the publisher's name is
    /// refused, naming the field and the code point.
    #[test]
    fn manifest_with_a_forbidden_character_is_refused(
        before in allowed_string(),
        after in allowed_string(),
        c in prop_oneof![
            0u32..=0x1f, 0x7fu32..=0x9f, 0x2028u32..=0x2029, 0x202au32..=0x202e, 0x2066u32..=0x2069
        ],
    ) {
        let c = char::from_u32(c).unwrap();
        let mut m = demo_manifest();
        m.publisher = format!("{before}{c}{after}");
        let e = Manifest::from_json(m.to_json_pretty().as_bytes()).unwrap_err();
        prop_assert_eq!(
            e.to_string(),
            format!("invalid manifest: publisher: U+{:04X} not allowed", u32::from(c))
        );
    }

    /// The manifest's own RFC 3339 reader agrees with jiff's on every
    /// second from 1970 to 2100, fractions and `+00:00` included.
    #[test]
    fn parse_utc_agrees_with_jiff(s in 0i64..4_102_444_800, frac in "(\\.[0-9]{1,9})?", plus in any::<bool>()) {
        let t = jiff::Timestamp::from_second(s).unwrap();
        let text = format!(
            "{}{frac}{}",
            t.strftime("%Y-%m-%dT%H:%M:%S"),
            if plus { "+00:00" } else { "Z" }
        );
        prop_assert_eq!(fuitecheck_core::manifest::parse_utc(&text), Some(s));
    }

    #[test]
    fn manifest_json_round_trip(
        publisher in allowed_string(),
        generated_at in utc_time(),
        sequence in 0u64..=fuitecheck_core::manifest::MAX_SEQUENCE,
        expires in prop::option::of(utc_time()),
        salt in prop::collection::vec(any::<u8>(), 16..48),
        p in 1u8..=2,
        pad in 1u32..=fuitecheck_core::manifest::MAX_PAD_LINES,
        sets in prop::collection::vec(
            prop::option::of(("[a-z0-9_-]{1,20}", "[0-9a-f]{64}", any::<u64>(), any::<u64>())),
            2,
        ),
        memory_kib in 8u32..=1024,
        iterations in 1u32..=8,
    ) {
        let mut m = demo_manifest();
        m.publisher = publisher;
        m.generated_at = generated_at;
        m.sequence = sequence;
        m.expires = expires;
        m.kdf.salt = salt;
        m.kdf.memory_kib = memory_kib;
        m.kdf.iterations = iterations;
        m.range.prefix_hex_chars = p;
        m.range.pad_lines = pad;
        // One (made-up) digest per bucket, as the publisher writes.
        m.range.bucket_digests =
            (0..range::bucket_count(p)).map(|i| format!("{i:032x}")).collect();
        for (b, s) in m.breaches.iter_mut().zip(sets) {
            b.set = s.map(|(name, sha256, bytes, entries)| SetInfo {
                path: format!("sets/{name}.fcset"),
                sha256,
                bytes,
                entries,
            });
        }
        let text = m.to_json_pretty();
        let back = Manifest::from_json(text.as_bytes()).unwrap();
        prop_assert_eq!(&back, &m);
        // And it is a fixed point.
        prop_assert_eq!(back.to_json_pretty(), text);
    }
}

/// Any string without the characters SPEC §6 forbids in a one-line field.
fn allowed_string() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| {
        s.chars()
            .filter(|&c| !fuitecheck_core::text::is_forbidden(c, false))
            .collect()
    })
}

fn want_len(sets: &[Vec<(Lookup, CategoryMask)>], l: Lookup) -> usize {
    sets.iter()
        .filter(|s| s.iter().any(|&(x, _)| x == l))
        .count()
}

/// The committed shard seed (the lab fixture as slice 0/1, test KDF) is
/// well-formed and merges, so the property above reaches the merge.
#[test]
fn shard_seed_is_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed");
    std::fs::write(&path, SHARD_SEED).unwrap();
    let info = fuitecheck_publish::shard::read_info(&path).unwrap();
    assert_eq!((info.shard.index, info.shard.count, info.pairs), (0, 1, 5));
    let kdf = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        salt: vec![0x5a; 16],
    };
    let (sorted, report) =
        fuitecheck_publish::shard::assemble(std::slice::from_ref(&path), info.code, &kdf, None)
            .unwrap();
    assert_eq!(report.fingerprints, 5);
    assert_eq!(sorted.pairs().unwrap().filter(Result::is_ok).count(), 5);
}

/// Inputs the fuzzers found crashing, kept as seeds and replayed here.
#[test]
fn setfile_fuzz_regressions_do_not_panic() {
    // A compact set whose select sample is u64::MAX: `select0` added 1 to
    // it (overflow) before checking it against the bit-vector's length.
    probe_set(include_bytes!("../fuzz/corpus/setfile/seed-regression-select0-overflow").to_vec());
}
