//! SPEC v1.1 interoperability, both ways (issue 13):
//!
//! - an **independent client**, written here from SPEC and
//!   `docs/protocol.md` alone (SHA-256, hex, serde_json and a raw TCP
//!   socket; none of our range, bucket or manifest code), gets byte-exact,
//!   digest-matching answers from `serve` and from an `export-static` tree
//!   on a plain static host, for every bucket;
//! - **our client** gets the right verdicts, with exactly one range request
//!   per check and no set file, from an independent v1.1 publication built
//!   here (hand-written manifest, its own padding, signed with the stock
//!   `minisign` tool) and served by a plain static file server.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

use sha2::{Digest as _, Sha256};

const SALT: &str = "00112233445566778899aabbccddeeff";

// ---------------------------------------------------------------------------
// The independent client (SPEC v1.1 §7 and docs/protocol.md §5, §7)
// ---------------------------------------------------------------------------

/// SPEC §7.1: the first P = 2 uppercase hex characters of
/// SHA-256("fuitecheck/v1/bucket" || 0x00 || NIR15).
fn ind_bucket(nir15: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"fuitecheck/v1/bucket");
    h.update([0u8]);
    h.update(nir15.as_bytes());
    hex::encode_upper(&h.finalize()[..1])
}

/// SPEC §7.2: lowercase hex of the first 16 bytes of SHA-256 of the body
/// with `\n` line ends.
fn ind_digest(body: &[u8]) -> String {
    let text = String::from_utf8(body.to_vec())
        .unwrap()
        .replace("\r\n", "\n");
    hex::encode(&Sha256::digest(text.as_bytes())[..16])
}

/// SPEC §7.2: every line `LOOKUP:CODE:MASK`, 16 + 4 + 8 uppercase hex,
/// sorted by (lookup, code), exactly `pad` lines.
fn ind_parse(body: &[u8], pad: usize) -> Vec<(String, u16, u32)> {
    let text = std::str::from_utf8(body).unwrap();
    assert!(text.ends_with('\n'));
    let upper = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c))
    };
    let lines: Vec<(String, u16, u32)> = text
        .split_terminator('\n')
        .map(|l| {
            assert_eq!(l.len(), 30, "{l:?}");
            let (lookup, rest) = l.split_at(16);
            assert!(
                upper(lookup) && upper(&rest[1..5]) && upper(&rest[6..]),
                "{l:?}"
            );
            assert_eq!((&rest[..1], &rest[5..6]), (":", ":"), "{l:?}");
            (
                lookup.to_owned(),
                u16::from_str_radix(&rest[1..5], 16).unwrap(),
                u32::from_str_radix(&rest[6..], 16).unwrap(),
            )
        })
        .collect();
    assert_eq!(lines.len(), pad);
    let keys: Vec<(String, u16)> = lines.iter().map(|(l, c, _)| (l.clone(), *c)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "sorted");
    lines
}

/// `docs/protocol.md` §7.3, FuiteCheck's padding: bucket `v`'s body from
/// its real lines (lookup, code, mask).
fn ind_fuitecheck_body(v: u32, pad: usize, real: &[(u64, u16, u32)]) -> Vec<u8> {
    let salt = hex::decode(SALT).unwrap();
    let mut lines = real.to_vec();
    for j in 0..(pad - real.len()) as u64 {
        let mut h = Sha256::new();
        h.update(b"fuitecheck/v1/pad");
        h.update(&salt);
        h.update(v.to_be_bytes());
        h.update(j.to_be_bytes());
        let d = h.finalize();
        lines.push((u64::from_be_bytes(d[..8].try_into().unwrap()), 0, 0));
    }
    lines.sort();
    lines
        .iter()
        .map(|(l, c, m)| format!("{l:016X}:{c:04X}:{m:08X}\n"))
        .collect::<String>()
        .into_bytes()
}

/// A plain HTTP/1.1 GET over a TCP socket: (status, body).
fn ind_get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw[end + 4..].to_vec();
    if let Some(len) = head.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("content-length:")
            .map(|v| v.trim().to_owned())
    }) {
        assert_eq!(body.len(), len.parse::<usize>().unwrap(), "{path}");
    }
    (status, body)
}

// ---------------------------------------------------------------------------
// The independent client against our `serve` and `export-static`
// ---------------------------------------------------------------------------

/// Records of SPEC §10's people (m = 64 vectors' salt and cost): NIR,
/// surnames, breach code, mask.
const RECORDS: [(&str, &[&str], u16, u32); 4] = [
    ("185057800608491", &["Lefèvre"], 2, 7),
    ("293027505600111", &["N'Diaye", "Martin"], 2, 7),
    ("253072B07300470", &["Le Gall-Dupont"], 3, 1),
    ("185057800608491", &["Lefèvre"], 3, 5),
];

/// Our publisher's publication of [`RECORDS`]: two breaches, codes 2 and
/// 3, P = 2.
fn our_publication(dir: &Path) {
    use fuitecheck_core::category::CategoryMask;
    use fuitecheck_publish::publish::{self, InitOptions, Record};
    let (sk, _) = fuitecheck_publish::signing::generate_keypair(None).unwrap();
    let signer = fuitecheck_publish::signing::SigningKey::from_text(&sk, None).unwrap();
    publish::init(
        dir,
        &InitOptions {
            publisher: "Mutuelle Exemple".into(),
            demo: true,
            kdf: common::test_kdf(),
            prefix_hex_chars: 2,
            generated_at: "2026-11-22T10:00:00Z".into(),
            expires: None,
        },
    )
    .unwrap();
    let cat =
        fuitecheck_core::catalogue::Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
            .unwrap();
    for (code, id) in [
        (2u16, fuitecheck_core::demo::LAB),
        (3, fuitecheck_core::demo::TIERS_PAYANT),
    ] {
        let mut breach = cat.get(id).unwrap().clone();
        breach.code = code;
        let recs: Vec<Record> = RECORDS
            .iter()
            .filter(|r| r.2 == code)
            .map(|&(nir, names, _, mask)| {
                Record::new(
                    common::nir(nir),
                    names.iter().map(|n| common::name(n)),
                    CategoryMask::from_bits(mask).unwrap(),
                )
            })
            .collect();
        let pairs = publish::fingerprint_records(&common::test_kdf(), &recs, &|_| {}).unwrap();
        publish::put_breach(dir, &breach, pairs, &signer, "2026-11-22T10:00:00Z").unwrap();
    }
}

fn serve(dir: &Path) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let server =
        fuitecheck_publish::serve::Server::bind(dir, "127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = server.local_addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(server.run(async {
            let _ = rx.await;
        }))
        .unwrap();
    });
    (addr, tx)
}

#[test]
fn an_independent_client_gets_exact_answers_from_serve_and_export_static() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pub");
    our_publication(&dir);
    fuitecheck_publish::serve::export_static(&dir).unwrap();
    let (addr, _stop) = serve(&dir);
    let host = common::static_host(dir.clone());

    let (status, manifest) = ind_get(addr, "/v1/manifest.json");
    assert_eq!(status, 200);
    let m: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    assert_eq!(m["range"]["scheme"], "nir-bucket");
    assert_eq!(m["range"]["prefix_hex_chars"], 2);
    assert_eq!(m["kdf"]["salt"], SALT);
    let pad = m["range"]["pad_lines"].as_u64().unwrap() as usize;
    let digests: Vec<&str> = m["range"]["bucket_digests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(digests.len(), 256);

    // What each bucket must hold: every (fingerprint, breach) of the
    // records whose NIR is in it. Lookups: SPEC §10's table where it has
    // them, the KDF (checked against that table in core) for the rest.
    let kdf = common::test_kdf();
    let mut real: std::collections::BTreeMap<String, Vec<(u64, u16, u32)>> = Default::default();
    for (nir, names, code, mask) in RECORDS {
        for n in names {
            let l = kdf.lookup(&common::nir(nir), &common::name(n)).unwrap();
            real.entry(ind_bucket(nir))
                .or_default()
                .push((l.0, code, mask));
        }
    }
    assert_eq!(
        pad,
        real.values().map(Vec::len).max().unwrap(),
        "pad_lines is the largest bucket"
    );
    assert_eq!(ind_bucket("185057800608491"), "15");
    let bucket_15 = &real["15"];
    assert!(bucket_15.contains(&(0xD87D_1BC8_D86F_C802, 2, 7)));

    for v in 0..256u32 {
        let b = format!("{v:02X}");
        let (status, served) = ind_get(addr, &format!("/v1/range/{b}"));
        assert_eq!(status, 200, "{b}");
        let exported = std::fs::read(dir.join("v1/range").join(&b)).unwrap();
        assert_eq!(served, exported, "serve and export-static differ for {b}");
        let (status, hosted) = ind_get(host.addr, &format!("/v1/range/{b}"));
        assert_eq!(status, 200);
        assert_eq!(hosted, served);
        assert_eq!(ind_digest(&served), digests[v as usize], "digest of {b}");
        ind_parse(&served, pad);
        let mut want = real.get(&b).cloned().unwrap_or_default();
        want.sort();
        assert_eq!(
            String::from_utf8(served).unwrap(),
            String::from_utf8(ind_fuitecheck_body(v, pad, &want)).unwrap(),
            "bucket {b} is not what docs/protocol.md §7.3 gives"
        );
    }
    // The person's verdict, read by the independent client: SPEC §10's
    // line in bucket 15.
    let (_, body) = ind_get(addr, "/v1/range/15");
    let lines = ind_parse(&body, pad);
    assert!(lines.contains(&("D87D1BC8D86FC802".to_owned(), 2, 7)));
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("D87D1BC8D86FC802:0002:00000007\n"));
    // Lower-case buckets are accepted by `serve`; wrong lengths are not.
    assert_eq!(ind_get(addr, "/v1/range/df").0, 200);
    assert_eq!(ind_get(addr, "/v1/range/D").0, 400);
    assert_eq!(ind_get(addr, "/v1/range/D87").0, 400);
}

// ---------------------------------------------------------------------------
// Our client against an independent publication
// ---------------------------------------------------------------------------

fn run(cmd: &mut Command) {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// SPEC §10's m = 64 lookups: (NIR15, surname, lookup).
const SPEC_LOOKUPS: [(&str, &str, u64); 3] = [
    ("185057800608491", "LEFEVRE", 0xD87D_1BC8_D86F_C802),
    ("293027505600111", "NDIAYE", 0x46A8_C4E6_2405_55C5),
    ("253072B07300470", "LEGALLDUPONT", 0xC67F_D6D5_B987_EF9D),
];

/// A v1.1 publication as another publisher's tool could write it from
/// SPEC: its own padding (not FuiteCheck's), no set files, every bucket
/// file, the digests, a manifest by hand; signed with stock minisign.
/// Returns the public key file.
fn independent_publication(root: &Path) -> std::path::PathBuf {
    let v1 = root.join("v1");
    std::fs::create_dir_all(v1.join("range")).unwrap();
    // LEFEVRE in breach 2 (mask 7), NDIAYE in breach 2 (mask 3) and
    // LEGALLDUPONT in breach 3 (mask 1).
    let listed = [(0usize, 2u16, 7u32), (1, 2, 3), (2, 3, 1)];
    let pad = 3usize;
    let mut digests = Vec::new();
    for v in 0..256u32 {
        let b = format!("{v:02X}");
        let mut lines: Vec<(u64, u16, u32)> = listed
            .iter()
            .filter(|(i, _, _)| ind_bucket(SPEC_LOOKUPS[*i].0) == b)
            .map(|&(i, code, mask)| (SPEC_LOOKUPS[i].2, code, mask))
            .collect();
        let mut j = 0u32;
        while lines.len() < pad {
            let d = Sha256::digest(format!("another publisher's padding {v} {j}").as_bytes());
            lines.push((u64::from_be_bytes(d[..8].try_into().unwrap()), 0, 0));
            j += 1;
        }
        lines.sort();
        let body: String = lines
            .iter()
            .map(|(l, c, m)| format!("{l:016X}:{c:04X}:{m:08X}\n"))
            .collect();
        digests.push(ind_digest(body.as_bytes()));
        std::fs::write(v1.join("range").join(&b), body).unwrap();
    }
    let demo: serde_json::Value =
        serde_json::from_str(fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let mut breaches = Vec::new();
    for (i, (code, id)) in [(2, "autre-a"), (3, "autre-b")].into_iter().enumerate() {
        let mut b = demo["breaches"][i].clone();
        b["id"] = id.into();
        b["code"] = code.into();
        b["categories"] = serde_json::json!(["identity", "birth_date", "nir"]);
        b.as_object_mut().unwrap().remove("reportedly_not_exposed");
        b.as_object_mut().unwrap().remove("assessment");
        breaches.push(b);
    }
    let manifest = serde_json::json!({
        "format": "fuitecheck-manifest/1",
        "publisher": "Autre Éditeur (test)",
        "generated_at": "2026-12-01T00:00:00Z",
        "sequence": 1,
        "demo": true,
        "kdf": {"algorithm": "argon2id", "version": 19, "memory_kib": 64,
                "iterations": 1, "parallelism": 1, "salt": SALT},
        "range": {"scheme": "nir-bucket", "prefix_hex_chars": 2, "pad_lines": pad,
                  "bucket_digests": digests},
        "breaches": breaches,
    });
    std::fs::write(
        v1.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    signed_by_stock_minisign(root)
}

/// The committed stock-minisign signature of the independent manifest,
/// and its public key (`tests/fixtures/interop_v11`, made by the commands
/// in its README). The manifest written above must be byte-identical to
/// the committed one, or the signature would not cover it: after a
/// deliberate change (e.g. to the demo catalogue the breaches are copied
/// from), regenerate with `FUITECHECK_REGEN_INTEROP=1` and the stock tool
/// installed. Returns the public key file.
fn signed_by_stock_minisign(root: &Path) -> std::path::PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interop_v11");
    let manifest = root.join("v1/manifest.json");
    let sig = root.join("v1/manifest.json.minisig");
    if std::env::var_os("FUITECHECK_REGEN_INTEROP").is_some() {
        let sk = root.parent().unwrap().join("other.key");
        run(Command::new("minisign")
            .args(["-G", "-W", "-p"])
            .arg(fixtures.join("other.pub"))
            .arg("-s")
            .arg(&sk));
        run(Command::new("minisign")
            .args(["-S", "-s"])
            .arg(&sk)
            .arg("-m")
            .arg(&manifest)
            .args(["-t", "signed with the stock minisign tool"]));
        std::fs::copy(&manifest, fixtures.join("manifest.json")).unwrap();
        std::fs::copy(&sig, fixtures.join("manifest.json.minisig")).unwrap();
    }
    assert_eq!(
        std::fs::read(&manifest).unwrap(),
        std::fs::read(fixtures.join("manifest.json")).unwrap(),
        "the independent manifest changed: regenerate its stock-minisign \
         signature (FUITECHECK_REGEN_INTEROP=1, see tests/fixtures/interop_v11/README.md)"
    );
    std::fs::copy(fixtures.join("manifest.json.minisig"), &sig).unwrap();
    fixtures.join("other.pub")
}

#[test]
fn our_client_reads_an_independent_publication_with_one_request_per_check() {
    use fuitecheck_client::online::RangeSource;
    use fuitecheck_core::check::{self, Identity, Variant};
    use fuitecheck_core::signature::{TrustStore, TrustedKey};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let pk = independent_publication(&root);
    let host = common::static_host(root.clone());
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_file(&pk).unwrap());
    let source = RangeSource::connect(&host.url(), &trust).unwrap();
    let ident = |n: &str, b: &str, u: Option<&str>| Identity {
        nir: common::nir(n),
        birth_name: common::name(b),
        usage_name: u.map(common::name),
    };
    // (identity, expected matches as (breach, variant)).
    let cases: Vec<(Identity, Vec<(&str, Variant)>)> = vec![
        (
            ident("185057800608491", "Lefèvre", None),
            vec![("autre-a", Variant::BirthName)],
        ),
        (
            ident("293027505600111", "Dupont", Some("N'Diaye")),
            vec![("autre-a", Variant::UsageName)],
        ),
        (
            ident("253072B07300470", "Le Gall Dupont", Some("Martin")),
            vec![("autre-b", Variant::BirthName)],
        ),
        (ident("253072A07300443", "Œuvray", None), vec![]),
    ];
    for (id, want) in cases {
        host.seen.lock().unwrap().clear();
        let r = check::check(&id, &source, &|_| {}, &AtomicBool::new(false)).unwrap();
        let got: Vec<(&str, Variant)> = r
            .matches
            .iter()
            .map(|m| (m.breach.as_str(), m.variant))
            .collect();
        assert_eq!(got, want);
        if let Some(m) = r.matches.first() {
            let mask = match (m.breach.as_str(), m.variant) {
                ("autre-b", _) => 1,
                (_, Variant::UsageName) => 3,
                _ => 7,
            };
            let got: fuitecheck_core::category::CategoryMask =
                m.categories.iter().copied().collect();
            assert_eq!(got.bits(), mask);
        }
        let seen: Vec<String> = host
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.request.clone())
            .collect();
        assert_eq!(
            seen,
            [format!("GET /v1/range/{}", ind_bucket(id.nir.as_str()))],
            "one request, for the NIR's bucket, whatever the names"
        );
    }
}
