//! `fuitecheck-publish notice` (SPEC §9) on the embedded demo
//! publication: the art. 34 communication in French and English, its
//! formats, and its exit statuses (0 written, 1 invalid input listed on
//! stderr with nothing written, 2 any other failure).
// A test reports failure by panicking: unwrap/expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/publication")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notice.toml")
}

fn notice(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fuitecheck-publish"))
        .arg("notice")
        .args(args)
        .output()
        .expect("run fuitecheck-publish notice")
}

#[test]
fn writes_the_notice_in_french_then_english() {
    let dir = demo_dir();
    let fix = fixture();
    let out = notice(&[
        "--dir",
        dir.to_str().unwrap(),
        "--breach",
        "demo-tiers-payant-fictif",
        "--details",
        fix.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let demo_key = fuitecheck_core::signature::TrustedKey::demo().key_id;
    for needle in [
        "Le 4 décembre 2026",
        "1. Ce qui s'est passé",
        "3. Les conséquences probables pour vous",
        "4. Les mesures que nous avons prises",
        "7. Nous contacter",
        "dpo@mutuelle-fictive.invalid",
        "https://fuitecheck.mutuelle-fictive.invalid/",
        demo_key.as_str(),
        "publication de démonstration",
        "1. What happened",
        "3. The likely consequences for you",
        "Our data protection officer",
    ] {
        assert!(text.contains(needle), "{needle:?} missing in\n{text}");
    }
    assert!(text.find("1. Ce qui s'est passé") < text.find("1. What happened"));
}

#[test]
fn formats_and_output_file() {
    let dir = demo_dir();
    let fix = fixture();
    let tmp = tempfile::tempdir().unwrap();
    for (format, magic) in [
        ("html", &b"<!DOCTYPE html>"[..]),
        ("pdf", &b"%PDF"[..]),
        ("txt", &b"Mutuelle"[..]),
    ] {
        let path = tmp.path().join(format!("notice.{format}"));
        let out = notice(&[
            "--dir",
            dir.to_str().unwrap(),
            "--breach",
            "demo-laboratoire-fictif",
            "--details",
            fix.to_str().unwrap(),
            "--format",
            format,
            "--lang",
            "fr",
            "--record-categories",
            "identity,nir,medical_results",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(magic), "{format}");
        if format == "txt" {
            let t = String::from_utf8(bytes).unwrap();
            assert!(t.contains("D'après nos dossiers"));
            assert!(!t.contains("What happened"));
            assert!(!t.contains("Groupe sanguin"), "record categories only");
        }
    }
}

#[test]
fn missing_details_are_listed_with_exit_1_and_nothing_written() {
    let dir = demo_dir();
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.toml");
    std::fs::write(&empty, "# nothing yet\n").unwrap();
    let target = tmp.path().join("notice.txt");
    let out = notice(&[
        "--dir",
        dir.to_str().unwrap(),
        "--breach",
        "demo-tiers-payant-fictif",
        "--details",
        empty.to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`publication_url` is missing"), "{err}");
    assert!(err.contains("`measures_taken` is missing"), "{err}");
    assert!(!err.contains("`dpo_email`"), "the catalogue has it: {err}");
    assert!(!target.exists());

    // A category the breach did not expose, an unknown breach: exit 1.
    let fix = fixture();
    let out = notice(&[
        "--dir",
        dir.to_str().unwrap(),
        "--breach",
        "demo-tiers-payant-fictif",
        "--details",
        fix.to_str().unwrap(),
        "--record-categories",
        "blood_group",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`blood_group` is not among"));
    let out = notice(&[
        "--dir",
        dir.to_str().unwrap(),
        "--breach",
        "no-such-breach",
        "--details",
        fix.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("demo-laboratoire-fictif"));

    // Not a publication at all: exit 2.
    let out = notice(&[
        "--dir",
        tmp.path().to_str().unwrap(),
        "--breach",
        "x",
        "--details",
        fix.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}
