//! The tamper matrix (issue 7): flip bytes of every file of a small
//! publication — the manifest, its signature, each set file — and of range
//! responses (in memory and over HTTP through a plain static host), and
//! check what the app does with each altered copy.
//!
//! - Manifest, signature, set files: every byte is flipped (the files are
//!   small), in three ways (one on the manifest); every altered copy is
//!   refused with an error, offline (`OfflinePublication::open_dir`) and,
//!   for the manifest and signature, online (`fetch_manifest`). The only
//!   exceptions are the text of minisign's untrusted comment (first line
//!   after `untrusted comment: `) and anything after the signature's four
//!   lines, unauthenticated by minisign's design and never used.
//! - Range responses: SPEC v1.1 §7.2 makes a digest of every bucket
//!   (`range.bucket_digests`) part of the signed manifest, so every
//!   altered answer is refused. What the strict parse alone would catch
//!   (a client that skipped the digest) is measured too: every flip that
//!   breaks the format, the order, the size or the manifest's codes and
//!   masks; a hex digit turned into another can still pass, and changes
//!   the hits only inside the person's own line (see docs/testing.md).
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{name, nir, test_kdf};

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use fuitecheck_client::online::{self, ClientOptions, RangeSource};
use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::catalogue::Catalogue;
use fuitecheck_core::category::{Category, CategoryMask};
use fuitecheck_core::check::{self, Identity, Source};
use fuitecheck_core::fingerprint::{KdfParams, Lookup};
use fuitecheck_core::manifest::Manifest;
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::range;
use fuitecheck_core::signature::{TrustStore, TrustedKey};
use fuitecheck_publish::full::FullCopy;
use fuitecheck_publish::publish::{self, InitOptions, Record};
use fuitecheck_publish::signing::{self as signature, SigningKey};

/// Three ways to alter a byte: its lowest bit, its highest bit, all bits.
const FLIPS: [u8; 3] = [0x01, 0x80, 0xFF];

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    trust: TrustStore,
}

/// The two demo breaches with a few fictional people, the cheap test KDF,
/// a fresh key (trusted), P = 2.
fn build() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pub");
    let (sk, pk) = signature::generate_keypair(None).unwrap();
    let signer = SigningKey::from_text(&sk, None).unwrap();
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_text(&pk, "test").unwrap());
    publish::init(
        &dir,
        &InitOptions {
            publisher: "Mutuelle Exemple".into(),
            demo: true,
            kdf: test_kdf(),
            prefix_hex_chars: 2,
            generated_at: "2026-11-22T10:00:00Z".into(),
            expires: None,
        },
    )
    .unwrap();
    let cat = Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let ident: CategoryMask = [Category::Identity, Category::Nir].into_iter().collect();
    let lab = vec![
        Record::new(nir("1850578006084"), [name("Lefèvre")], ident),
        Record::new(
            nir("2930275056001"),
            [name("N'Diaye"), name("Martin")],
            ident.union([Category::MedicalNotes].into_iter().collect()),
        ),
        Record::new(nir("253072B073004"), [name("Le Gall-Dupont")], ident),
    ];
    let tp = vec![
        Record::new(nir("1850578006084"), [name("LEFEVRE")], ident),
        Record::new(nir("171019913504204"), [name("Müller-Straße")], ident),
    ];
    for (id, mut recs) in [
        ("demo-laboratoire-fictif", lab),
        ("demo-tiers-payant-fictif", tp),
    ] {
        // Forty more fictional people, so that each set file has a few
        // hundred bytes to alter.
        for i in 0..40u32 {
            let body = format!(
                "{}{:02}{:02}75{:03}{:03}",
                1 + i % 2,
                60 + i % 30,
                1 + i % 12,
                100 + i,
                1 + i + id.len() as u32
            );
            let surname: String = format!("x{i}")
                .bytes()
                .map(|d| (d.to_ascii_uppercase() + 17) as char)
                .collect();
            recs.push(Record::new(nir(&body), [name(&surname)], ident));
        }
        let pairs = publish::fingerprint_records(&test_kdf(), &recs, &|_| {}).unwrap();
        publish::put_breach(
            &dir,
            cat.get(id).unwrap(),
            pairs,
            &signer,
            "2026-11-22T10:00:00Z",
        )
        .unwrap();
    }
    Fixture {
        _tmp: tmp,
        dir,
        trust,
    }
}

fn people() -> Vec<Identity> {
    [
        ("1850578006084", "Lefevre", None),
        ("2930275056001", "Dupont", Some("Martin")),
        ("253072B073004", "Le Gall-Dupont", None),
        ("171019913504204", "Muller-Strasse", None),
        ("2880227229077", "Garnier", None),
    ]
    .into_iter()
    .map(|(n, b, u)| Identity {
        nir: nir(n),
        birth_name: name(b),
        usage_name: u.map(name),
    })
    .collect()
}

/// Every verdict of a source for [`people`], as comparable text.
fn verdicts(source: &dyn Source) -> Vec<String> {
    people()
        .iter()
        .map(|id| {
            let r = check::check(id, source, &|_| {}, &AtomicBool::new(false)).unwrap();
            format!("{:?}", r.matches)
        })
        .collect()
}

/// Byte offsets of `file` that are authenticated (all but the untrusted
/// comment's text in a `.minisig`).
fn authenticated(file: &str, bytes: &[u8]) -> Vec<usize> {
    let free = if file.ends_with(".minisig") {
        let end = bytes.iter().position(|&b| b == b'\n').unwrap();
        "untrusted comment: ".len()..end
    } else {
        0..0
    };
    (0..bytes.len()).filter(|o| !free.contains(o)).collect()
}

const FILES: [&str; 4] = [
    "manifest.json",
    "manifest.json.minisig",
    "sets/demo-laboratoire-fictif.fcset",
    "sets/demo-tiers-payant-fictif.fcset",
];

#[test]
fn every_byte_of_every_file_is_refused_offline() {
    let f = build();
    let v1 = f.dir.join("v1");
    let good = verdicts(&OfflinePublication::open_dir(&f.dir, &f.trust).unwrap());
    let mut tried = 0usize;
    for file in FILES {
        let path = v1.join(file);
        let original = std::fs::read(&path).unwrap();
        let offsets = authenticated(file, &original);
        assert!(offsets.len() >= 100, "{file}: {} bytes only", offsets.len());
        for &o in &offsets {
            // Three ways per byte on small files, one (in turn) on the
            // manifest: thousands of copies either way.
            let ways: &[u8] = if original.len() < 1000 {
                &FLIPS
            } else {
                std::slice::from_ref(&FLIPS[o % FLIPS.len()])
            };
            for &x in ways {
                let mut b = original.clone();
                b[o] ^= x;
                std::fs::write(&path, &b).unwrap();
                match OfflinePublication::open_dir(&f.dir, &f.trust) {
                    Err(e) => assert!(!e.to_string().is_empty()),
                    Ok(_) => panic!(
                        "{file} with byte {o} xor {x:#04x} ({:?} -> {:?}) was accepted",
                        original[o] as char, b[o] as char
                    ),
                }
                tried += 1;
            }
        }
        // Truncated, extended, emptied.
        for (what, b) in [
            // (A signature file's final line end is not authenticated.)
            (
                "truncated",
                &original[..original.trim_ascii_end().len() - 1],
            ),
            (
                "extended",
                &[
                    &original[..original.len() / 2],
                    b"x",
                    &original[original.len() / 2..],
                ]
                .concat()[..],
            ),
            ("emptied", &[][..]),
        ] {
            std::fs::write(&path, b).unwrap();
            assert!(
                OfflinePublication::open_dir(&f.dir, &f.trust).is_err(),
                "{file} {what} was accepted"
            );
        }
        std::fs::write(&path, &original).unwrap();
    }
    // Untouched again: same verdicts as before.
    let p = OfflinePublication::open_dir(&f.dir, &f.trust).unwrap();
    assert_eq!(verdicts(&p), good);
    eprintln!("offline tamper matrix: {tried} altered files, all refused");
}

/// Read once, verify what you use (issue 16): a set file truncated in
/// place, or rewritten in place, after the publication was opened changes
/// no verdict and does not crash the process (a memory map of the file
/// would fault with SIGBUS on the truncated pages and follow the
/// rewritten ones).
#[test]
fn set_files_truncated_or_rewritten_after_opening_change_nothing() {
    let f = build();
    let v1 = f.dir.join("v1");
    let p = OfflinePublication::open_dir(&f.dir, &f.trust).unwrap();
    let good = verdicts(&p);
    assert!(
        good.iter().any(|v| v != "[]"),
        "someone is listed: {good:?}"
    );
    for file in &FILES[2..] {
        let path = v1.join(file);
        let len = std::fs::metadata(&path).unwrap().len();
        // The same inode: truncated, then filled with other bytes.
        let handle = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        handle.set_len(0).unwrap();
        assert_eq!(verdicts(&p), good, "{file} truncated");
        handle.set_len(len).unwrap();
        std::fs::write(&path, vec![0xA5u8; usize::try_from(len).unwrap()]).unwrap();
        assert_eq!(verdicts(&p), good, "{file} rewritten");
    }
    // Reopened, the altered files are refused.
    assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_err());
}

/// The untrusted comment, and anything after the four lines, are the parts
/// of a `.minisig` that nobody authenticates: altering them changes nothing
/// (by minisign's design, not a weakness: the app never shows or uses
/// them).
#[test]
fn the_untrusted_comment_is_the_only_free_text() {
    let f = build();
    let path = f.dir.join("v1/manifest.json.minisig");
    let original = std::fs::read_to_string(&path).unwrap();
    let (first, rest) = original.split_once('\n').unwrap();
    assert!(first.starts_with("untrusted comment: "));
    std::fs::write(&path, format!("untrusted comment: anything at all\n{rest}")).unwrap();
    assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_ok());
    // As with the stock minisign tool, what follows the fourth line is
    // not read either.
    std::fs::write(&path, format!("{original}more text\n")).unwrap();
    assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_ok());
    // But the comment line itself must be there.
    std::fs::write(&path, rest).unwrap();
    assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_err());
}

/// The manifest and signature as an online client fetches them, altered on
/// a plain static host: `fetch_manifest` (what `RangeSource::connect` and
/// the downloader run first) refuses every copy.
#[test]
fn altered_manifest_or_signature_is_refused_online() {
    let f = build();
    let host = common::static_host(f.dir.clone());
    let opts = ClientOptions {
        attempts: 1,
        ..ClientOptions::default()
    };
    // One client for all requests (building one loads the TLS roots).
    let client = online::http_client_with(&opts).unwrap();
    let base = online::parse_base_url(&host.url()).unwrap();
    let fetch = || online::fetch_manifest_with(&client, &base, &f.trust, &opts);
    assert!(fetch().is_ok());
    let mut tried = 0;
    for file in ["manifest.json", "manifest.json.minisig"] {
        let path = f.dir.join("v1").join(file);
        let original = std::fs::read(&path).unwrap();
        let offsets = authenticated(file, &original);
        // Every byte of the signature; ≥ 300 spread over the manifest.
        let step = (offsets.len() / 400).max(1);
        for (i, &o) in offsets.iter().enumerate().step_by(step) {
            let mut b = original.clone();
            b[o] ^= FLIPS[i % FLIPS.len()];
            std::fs::write(&path, &b).unwrap();
            let e = fetch().expect_err(&format!("{file} with byte {o} altered was accepted"));
            assert!(!e.to_string().is_empty());
            tried += 1;
        }
        std::fs::write(&path, &original).unwrap();
    }
    assert!(tried >= 600, "{tried}");
    assert!(fetch().is_ok());
    assert!(RangeSource::connect_with(&host.url(), &f.trust, opts).is_ok());
}

/// Which bytes of a range body a flip may change and still give a
/// well-formed response: hex digits (outside the `:` and line ends).
fn is_digit_position(body: &[u8], o: usize) -> bool {
    body[o].is_ascii_hexdigit()
}

fn upper_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'A'..=b'F').contains(&b)
}

struct RangeOutcome {
    tried: usize,
    refused: usize,
    accepted_same: usize,
    accepted_changed: usize,
}

/// Flip every byte of the range bodies of our people's buckets, three
/// ways, and parse each as the client does (`parse_response_for`: every
/// line checked against the signed manifest, and the body against its
/// bucket digest). With `digests` false, the digest is set to the altered
/// body's own: what the strict parse alone catches.
fn range_matrix(
    manifest: &Manifest,
    sets: &[(u16, FullCopy)],
    lookups: &[(NirBucket, Lookup)],
    digests: bool,
) -> RangeOutcome {
    let p = manifest.range.prefix_hex_chars;
    let pad = manifest.range.pad_lines;
    let mut out = RangeOutcome {
        tried: 0,
        refused: 0,
        accepted_same: 0,
        accepted_changed: 0,
    };
    let line = range::LINE_LEN;
    let mut bare = manifest.clone();
    for &(bucket, l) in lookups {
        let v = bucket.number(p);
        let body = publish::range_body(manifest, sets, v).unwrap();
        let good = range::parse_response_for(&body, manifest, v, &[l]).unwrap();
        let ours = l.to_hex();
        for o in 0..body.len() {
            for x in FLIPS {
                let mut b = body.clone();
                b[o] ^= x;
                out.tried += 1;
                let parsed = if digests {
                    range::parse_response_for(&b, manifest, v, &[l])
                } else {
                    bare.range.bucket_digests[v as usize] = range::bucket_digest(&b);
                    range::parse_response_for(&b, &bare, v, &[l])
                };
                match parsed {
                    Err(e) => {
                        assert!(!e.to_string().is_empty());
                        out.refused += 1;
                    }
                    Ok(hits) => {
                        // Only a hex digit turned into another uppercase
                        // hex digit can pass the strict parser.
                        assert!(
                            is_digit_position(&body, o) && upper_hex(b[o]),
                            "byte {o} {:?} -> {:?} accepted",
                            body[o] as char,
                            b[o] as char
                        );
                        if hits == good {
                            out.accepted_same += 1;
                        } else {
                            // A different verdict needs the person's own
                            // line altered (lookup or mask) or a line made
                            // to carry their lookup: what the signed
                            // digest closes.
                            let start = o - o % line;
                            let before = &body[start..start + 16];
                            let after = &b[start..start + 16];
                            assert!(
                                before == ours.as_bytes() || after == ours.as_bytes(),
                                "a flip at byte {o}, outside the person's line, changed the verdict"
                            );
                            out.accepted_changed += 1;
                        }
                    }
                }
            }
        }
        // Truncated, extended, a line dropped or repeated: refused.
        for b in [
            &body[..body.len() - 1],
            &body[..body.len() - line],
            &[body.as_slice(), &body[body.len() - line..]].concat()[..],
            &[&body[..line], body.as_slice()].concat()[..],
        ] {
            assert!(range::parse_response(b, pad, &[l]).is_err());
        }
    }
    out
}

/// Every variant's lookup of [`people`], with the person's NIR bucket.
fn lookups(kdf: &KdfParams) -> Vec<(NirBucket, Lookup)> {
    let mut v = Vec::new();
    for id in people() {
        for (_, s) in id.variants() {
            v.push((id.bucket(), kdf.lookup(&id.nir, s).unwrap()));
        }
    }
    v
}

#[test]
fn range_responses_in_memory() {
    let f = build();
    let manifest = publish::load_manifest(&f.dir).unwrap();
    let sets = publish::open_range_sets(&f.dir.join("v1"), &manifest).unwrap();
    let ids = lookups(&manifest.kdf);
    // The manifest signs every bucket's digest: every alteration is
    // refused.
    let o = range_matrix(&manifest, &sets, &ids, true);
    eprintln!(
        "range tamper matrix (bucket digests): {} altered responses, {} refused",
        o.tried, o.refused
    );
    assert!(o.tried >= 300);
    assert_eq!(o.refused, o.tried, "every alteration refused");
    // Without the digest check: the strict parse alone.
    let o = range_matrix(&manifest, &sets, &ids, false);
    eprintln!(
        "range tamper matrix (digest check skipped): {} altered responses, {} refused, {} \
         accepted with the same hits, {} accepted with other hits (all in the person's own line)",
        o.tried, o.refused, o.accepted_same, o.accepted_changed
    );
    // Most flips break the format or the manifest's codes and masks.
    assert!(o.refused * 2 > o.tried, "{} of {}", o.refused, o.tried);
    // The people's own lines are in these responses: some flips of them
    // do change the verdict (what the digest is for).
    assert!(o.accepted_changed > 0);
}

/// Range responses altered on the static host (as exported by
/// `export-static`): every byte of the buckets our people fall in, three
/// ways. The online check never panics and, the manifest carrying bucket
/// digests, refuses every altered answer; the same answer with CRLF line
/// ends (SPEC §7) is still accepted.
#[test]
fn range_responses_over_http() {
    let f = build();
    fuitecheck_publish::serve::export_static(&f.dir).unwrap();
    let host = common::static_host(f.dir.clone());
    let opts = ClientOptions {
        attempts: 1,
        ..ClientOptions::default()
    };
    let source = RangeSource::connect_with(&host.url(), &f.trust, opts).unwrap();
    let offline = OfflinePublication::open_dir(&f.dir, &f.trust).unwrap();
    assert_eq!(verdicts(&source), verdicts(&offline));
    let manifest = source.manifest().clone();
    let p = manifest.range.prefix_hex_chars;
    let (mut refused, mut accepted, mut changed) = (0, 0, 0);
    for (bucket, l) in lookups(&manifest.kdf) {
        let path = f.dir.join("v1/range").join(bucket.text(p));
        let original = std::fs::read(&path).unwrap();
        let good = source.lookup(bucket, &[l]).unwrap();
        for o in 0..original.len() {
            for x in FLIPS {
                let mut b = original.clone();
                b[o] ^= x;
                std::fs::write(&path, &b).unwrap();
                match source.lookup(bucket, &[l]) {
                    Err(e) => {
                        assert!(e.to_string().contains("range response"), "{e}");
                        refused += 1;
                    }
                    Ok(hits) => {
                        assert!(is_digit_position(&original, o) && upper_hex(b[o]));
                        accepted += 1;
                        if hits != good {
                            changed += 1;
                        }
                    }
                }
            }
        }
        std::fs::write(&path, &original).unwrap();
        assert_eq!(source.lookup(bucket, &[l]).unwrap(), good);
    }
    assert!(refused + accepted >= 300, "{refused} + {accepted}");
    assert_eq!(accepted, 0, "every altered answer refused");
    assert_eq!(changed, 0);
    // CRLF line ends are the same answer.
    for (bucket, l) in lookups(&manifest.kdf) {
        let path = f.dir.join("v1/range").join(bucket.text(p));
        let original = std::fs::read_to_string(&path).unwrap();
        let good = source.lookup(bucket, &[l]).unwrap();
        std::fs::write(&path, original.replace('\n', "\r\n")).unwrap();
        assert_eq!(source.lookup(bucket, &[l]).unwrap(), good);
        std::fs::write(&path, original).unwrap();
    }
    assert_eq!(verdicts(&source), verdicts(&offline));
    eprintln!(
        "range over HTTP: {} altered answers, {refused} refused, {accepted} accepted \
         (hex digit changed), {changed} of them with other hits",
        refused + accepted
    );
}

/// The test publication exported and on a static host, a connected
/// client, and the range file holding the first test person's lookup.
struct Hosted {
    f: Fixture,
    host: common::StaticHost,
    source: RangeSource,
    manifest: Manifest,
    p: u8,
    bucket: NirBucket,
    l: Lookup,
    path: PathBuf,
    original: String,
}

fn hosted_bucket() -> Hosted {
    let f = build();
    fuitecheck_publish::serve::export_static(&f.dir).unwrap();
    let host = common::static_host(f.dir.clone());
    let source = RangeSource::connect(&host.url(), &f.trust).unwrap();
    let manifest = source.manifest().clone();
    let p = manifest.range.prefix_hex_chars;
    let (bucket, l) = lookups(&manifest.kdf)[0];
    let path = f.dir.join("v1/range").join(bucket.text(p));
    let original = std::fs::read_to_string(&path).unwrap();
    Hosted {
        f,
        host,
        source,
        manifest,
        p,
        bucket,
        l,
        path,
        original,
    }
}

/// A CDN still holding a bucket of the previous publication (same size,
/// other bytes): the client notices the digest mismatch, asks once more
/// bypassing caches and gets the right answer; if the fresh copy is wrong
/// too, the answer is refused.
#[test]
fn a_stale_cached_bucket_is_fetched_again_then_refused_if_still_wrong() {
    let Hosted {
        f,
        host,
        source,
        manifest,
        p,
        bucket,
        l,
        path,
        original,
    } = hosted_bucket();
    let good = OfflinePublication::open_dir(&f.dir, &f.trust)
        .unwrap()
        .lookup(bucket, &[l])
        .unwrap();
    assert!(!good[0].is_empty());
    // The old copy: well-formed, same size, one of the person's lines
    // with fewer categories (a subset the breach declares).
    let ours = l.to_hex();
    let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
    let at = lines.iter().position(|x| x.starts_with(&ours)).unwrap();
    let mask = if lines[at].ends_with("00000001") {
        "00000004"
    } else {
        "00000001"
    };
    lines[at].replace_range(22.., mask);
    let stale = lines.join("\n") + "\n";
    assert_eq!(stale.len(), original.len());
    // Well-formed: only its digest tells it apart.
    let v = bucket.number(p);
    let mut bare = manifest.clone();
    bare.range.bucket_digests[v as usize] = range::bucket_digest(stale.as_bytes());
    assert!(range::parse_response_for(stale.as_bytes(), &bare, v, &[l]).is_ok());
    assert!(range::parse_response_for(stale.as_bytes(), &manifest, v, &[l]).is_err());
    let stale_path = path.with_extension("stale");
    std::fs::write(&stale_path, &stale).unwrap();
    let before = host.seen.lock().unwrap().len();
    assert_eq!(source.lookup(bucket, &[l]).unwrap(), good);
    let asked: Vec<_> = host.seen.lock().unwrap()[before..].to_vec();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        asked[1]
            .headers
            .iter()
            .any(|h| h == "cache-control: no-cache")
    );
    // The origin itself serves the wrong bytes: refused, one line.
    std::fs::write(&path, &stale).unwrap();
    let e = source.lookup(bucket, &[l]).unwrap_err();
    assert!(e.to_string().contains("does not match the digest"), "{e}");
    std::fs::write(&path, &original).unwrap();
    std::fs::remove_file(&stale_path).unwrap();
}

/// A range answer naming a breach the manifest does not list, or giving a
/// breach categories it does not declare, is refused rather than dropped
/// or clipped (as a set file would be).
#[test]
fn range_lines_must_match_the_manifest() {
    let Hosted {
        f: _f,
        host: _host,
        source,
        manifest: _manifest,
        p: _,
        bucket,
        l,
        path,
        original,
    } = hosted_bucket();
    let suffix = l.to_hex();
    let ours: Vec<&str> = original
        .lines()
        .filter(|x| x.starts_with(&suffix))
        .collect();
    assert_eq!(ours.len(), 2, "in both breaches");
    let code = &ours[0][suffix.len() + 1..suffix.len() + 5];
    // An unknown code (the lines stay sorted: same suffix, code FFFF last).
    let unknown = original.replacen(ours[1], &format!("{suffix}:FFFF:00000003"), 1);
    std::fs::write(&path, unknown).unwrap();
    let e = source.lookup(bucket, &[l]).unwrap_err();
    assert!(e.to_string().contains("does not list"), "{e}");
    // A category the breach does not declare (bit 16).
    let extra = original.replacen(ours[0], &format!("{suffix}:{code}:00010003"), 1);
    std::fs::write(&path, extra).unwrap();
    let e = source.lookup(bucket, &[l]).unwrap_err();
    assert!(e.to_string().contains("with those categories"), "{e}");
    std::fs::write(&path, original).unwrap();
    assert_eq!(source.lookup(bucket, &[l]).unwrap()[0].len(), 2);
}
