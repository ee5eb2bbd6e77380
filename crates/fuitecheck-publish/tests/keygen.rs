//! `keygen` never writes an unprotected secret key by accident (issue 16):
//! without a terminal and without FUITECHECK_KEY_PASSWORD it refuses, and
//! says how to go on, unless `--unencrypted` is given.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use fuitecheck_publish::signing::SigningKey;

/// `keygen --out PREFIX ARGS…`, stdin not a terminal, no password in the
/// environment unless `password` is given.
fn keygen(prefix: &Path, args: &[&str], password: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fuitecheck-publish"));
    c.arg("keygen").arg("--out").arg(prefix).args(args);
    c.env_remove("FUITECHECK_KEY_PASSWORD");
    if let Some(p) = password {
        c.env("FUITECHECK_KEY_PASSWORD", p);
    }
    c.stdin(Stdio::null()).output().unwrap()
}

#[test]
fn without_terminal_or_password_keygen_refuses_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("publisher");
    let out = keygen(&prefix, &[], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in ["no terminal", "FUITECHECK_KEY_PASSWORD", "--unencrypted"] {
        assert!(err.contains(needle), "{needle:?} missing from: {err}");
    }
    assert!(
        !prefix.with_extension("key").exists(),
        "no secret key written"
    );
    assert!(
        !prefix.with_extension("pub").exists(),
        "no public key written"
    );
}

#[test]
fn unencrypted_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("publisher");
    let out = keygen(&prefix, &["--unencrypted"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sk = std::fs::read_to_string(prefix.with_extension("key")).unwrap();
    assert!(!SigningKey::is_encrypted(&sk));
}

#[test]
fn a_password_from_the_environment_encrypts_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("publisher");
    let out = keygen(&prefix, &[], Some("correct horse"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sk = std::fs::read_to_string(prefix.with_extension("key")).unwrap();
    assert!(SigningKey::is_encrypted(&sk));
}

#[test]
fn unencrypted_and_a_password_contradict_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = tmp.path().join("publisher");
    let out = keygen(&prefix, &["--unencrypted"], Some("correct horse"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("contradict"));
    assert!(!prefix.with_extension("key").exists());
}
