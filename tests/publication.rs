//! Publications end to end: build, verify, check, refuse tampering; the
//! embedded demo publication is reproducible; a check writes nothing.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{name, nir, test_kdf};

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use fuitecheck_core::catalogue::Catalogue;
use fuitecheck_core::category::{Category, CategoryMask};
use fuitecheck_core::check::{self, Identity, Variant};
use fuitecheck_core::publication::{OfflinePublication, PublicationError};
use fuitecheck_core::signature::{TrustStore, TrustedKey};
use fuitecheck_publish::publish::{self, InitOptions, Record};
use fuitecheck_publish::signing::{self as signature, SigningKey};

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    trust: TrustStore,
}

/// A small publication of the two demo breaches with the cheap test KDF.
fn build(demo: bool) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pub");
    let (sk, pk) = signature::generate_keypair(None).unwrap();
    let signer = SigningKey::from_text(&sk, None).unwrap();
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_text(&pk, "test").unwrap());
    let mut kdf = test_kdf();
    if !demo {
        kdf.memory_kib = 19456;
        kdf.iterations = 2;
    }
    publish::init(
        &dir,
        &InitOptions {
            publisher: "Mutuelle Exemple".into(),
            demo,
            kdf: kdf.clone(),
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
    ];
    let tp = vec![Record::new(nir("1850578006084"), [name("LEFEVRE")], ident)];
    for (id, recs) in [
        ("demo-laboratoire-fictif", lab),
        ("demo-tiers-payant-fictif", tp),
    ] {
        let pairs = publish::fingerprint_records(&kdf, &recs, &|_| {}).unwrap();
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

fn identity(n: &str, birth: &str, usage: Option<&str>) -> Identity {
    Identity {
        nir: nir(n),
        birth_name: name(birth),
        usage_name: usage.map(name),
    }
}

#[test]
fn build_open_and_check() {
    let f = build(true);
    let p = OfflinePublication::open_dir(&f.dir, &f.trust).unwrap();
    assert!(p.is_demo());
    let run = |id: &Identity| {
        check::check(id, &p, &|_| {}, &AtomicBool::new(false))
            .unwrap()
            .matches
    };
    let m = run(&identity("1850578006084", "Lefevre", None));
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].breach, "demo-laboratoire-fictif");
    assert_eq!(m[0].categories, vec![Category::Identity, Category::Nir]);
    let m = run(&identity("2930275056001", "Dupont", Some("Martin")));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].variant, Variant::UsageName);
    assert!(m[0].categories.contains(&Category::MedicalNotes));
    assert!(run(&identity("2930275056001", "Martine", None)).is_empty());
    // The manifest's pad_lines covers the largest bucket.
    assert!(p.manifest().range.pad_lines >= 1);
}

#[test]
fn real_publication_needs_a_trusted_key_and_the_floor() {
    let f = build(false);
    let p = OfflinePublication::open_dir(&f.dir, &f.trust).unwrap();
    assert!(!p.is_demo());
    let e = OfflinePublication::open_dir(&f.dir, &TrustStore::shipped()).unwrap_err();
    assert!(matches!(e, PublicationError::Signature(_)), "{e}");
}

#[test]
fn rebuilding_a_breach_is_deterministic() {
    let a = build(true);
    let b = build(true);
    for f in [
        "sets/demo-laboratoire-fictif.fcset",
        "sets/demo-tiers-payant-fictif.fcset",
    ] {
        assert_eq!(
            std::fs::read(a.dir.join("v1").join(f)).unwrap(),
            std::fs::read(b.dir.join("v1").join(f)).unwrap()
        );
    }
}

fn flip(path: &Path, offset: usize) {
    let mut b = std::fs::read(path).unwrap();
    let i = offset % b.len();
    b[i] ^= 0x01;
    std::fs::write(path, b).unwrap();
}

#[test]
fn tampering_is_refused() {
    let f = build(true);
    let v1 = f.dir.join("v1");
    let files = [
        "manifest.json",
        "manifest.json.minisig",
        "sets/demo-laboratoire-fictif.fcset",
        "sets/demo-tiers-payant-fictif.fcset",
    ];
    for file in files {
        let path = v1.join(file);
        let original = std::fs::read(&path).unwrap();
        // Sample offsets across the whole file.
        let step = (original.len() / 40).max(1);
        // The text of minisign's untrusted comment is unauthenticated by
        // design (it is never used); every other byte counts.
        let free = if file.ends_with(".minisig") {
            let end = original.iter().position(|&b| b == b'\n').unwrap();
            "untrusted comment: ".len()..end
        } else {
            0..0
        };
        for offset in (0..original.len())
            .step_by(step)
            .filter(|o| !free.contains(o))
        {
            flip(&path, offset);
            let r = OfflinePublication::open_dir(&f.dir, &f.trust);
            assert!(r.is_err(), "{file} with byte {offset} flipped was accepted");
            std::fs::write(&path, &original).unwrap();
        }
        // Truncated and removed.
        std::fs::write(&path, &original[..original.len() / 2]).unwrap();
        assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_err());
        std::fs::remove_file(&path).unwrap();
        assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_err());
        std::fs::write(&path, &original).unwrap();
    }
    assert!(OfflinePublication::open_dir(&f.dir, &f.trust).is_ok());
}

/// The committed demo publication is exactly what the generator writes
/// (the signature aside: minisign adds random noise), and it verifies.
#[test]
fn embedded_demo_is_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    let signer = fuitecheck_publish::demo::signing_key().unwrap();
    fuitecheck_publish::demo::generate(tmp.path(), &signer, &|_| {}).unwrap();
    let v1 = tmp.path().join("v1");
    assert_eq!(
        std::fs::read(v1.join("manifest.json")).unwrap(),
        fuitecheck_core::demo::EMBEDDED_MANIFEST
    );
    for set in ["demo-laboratoire-fictif", "demo-tiers-payant-fictif"] {
        let rel = format!("sets/{set}.fcset");
        assert_eq!(
            std::fs::read(v1.join(&rel)).unwrap(),
            fuitecheck_core::demo::embedded_set(&rel).unwrap(),
            "{set}"
        );
        // The publisher's full copy, committed beside the publication.
        let full = format!("full/{set}.fcfull");
        let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/demo/publication")
            .join(&full);
        assert_eq!(
            std::fs::read(tmp.path().join(&full)).unwrap(),
            std::fs::read(committed).unwrap(),
            "{full}"
        );
    }
    let p = OfflinePublication::open_dir(tmp.path(), &TrustStore::shipped()).unwrap();
    assert!(p.is_demo());
    let demo = OfflinePublication::embedded_demo().unwrap();
    assert!(demo.is_demo());
    assert_eq!(demo.manifest().kdf.memory_kib, 65536);
    assert_eq!(demo.manifest().kdf.iterations, 3);
}

/// A check run as a process writes no file anywhere it could (home, config,
/// data, cache, temp): the NIR and name stay in memory.
#[test]
fn a_check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for d in ["home", "config", "data", "cache", "tmp", "runtime"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let id = &fuitecheck_core::demo::IDENTITIES[2];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .args([
            "check",
            "--nir",
            id.nir().as_str(),
            "--surname",
            id.birth_name,
        ])
        .env("HOME", root.join("home"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("XDG_RUNTIME_DIR", root.join("runtime"))
        .env("TMPDIR", root.join("tmp"))
        .current_dir(root.join("home"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut written = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                written.push(p);
            }
        }
    }
    assert!(written.is_empty(), "a check wrote {written:?}");
}
