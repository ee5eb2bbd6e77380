//! Interoperability with the stock `minisign` tool (skipped, with a
//! message, when it is not installed): our signatures verify with
//! `minisign -V`, keys made by `minisign -G` work with `add`, and manifests
//! signed by `minisign -S` (pre-hashed by default) verify in the app.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::{TrustStore, TrustedKey};

fn have_minisign() -> bool {
    let ok = Command::new("minisign")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED: the stock `minisign` tool is not installed (apt-get install minisign)");
    }
    ok
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn publish() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fuitecheck-publish"));
    c.env("FUITECHECK_KEY_PASSWORD", "s3cret");
    c
}

/// init + add one fixture breach with `key`.
fn build(dir: &Path, key: &Path) {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
    let cat = dir.join("catalogue.json");
    std::fs::write(&cat, fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let pubdir = dir.join("pub");
    run(publish().args(["init", "--dir"]).arg(&pubdir).args([
        "--publisher",
        "Mutuelle Exemple",
        "--demo",
        "--kdf-memory-kib",
        "64",
        "--kdf-iterations",
        "1",
    ]));
    run(publish()
        .args(["add", "--dir"])
        .arg(&pubdir)
        .arg("--catalogue")
        .arg(&cat)
        .args(["--breach", "demo-tiers-payant-fictif", "--input"])
        .arg(format!("{fixtures}/tiers.csv"))
        .arg("--mapping")
        .arg(format!("{fixtures}/tiers.toml"))
        .arg("--key")
        .arg(key));
}

#[test]
fn our_signatures_verify_with_stock_minisign() {
    if !have_minisign() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("publisher");
    run(publish().args(["keygen", "--out"]).arg(&key));
    build(tmp.path(), &key.with_extension("key"));
    let v1 = tmp.path().join("pub/v1");
    run(Command::new("minisign")
        .arg("-V")
        .arg("-p")
        .arg(key.with_extension("pub"))
        .arg("-m")
        .arg(v1.join("manifest.json")));
}

#[test]
fn stock_minisign_keys_and_signatures_work_with_us() {
    if !have_minisign() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (pk, sk) = (tmp.path().join("mk.pub"), tmp.path().join("mk.key"));
    // -W: no password (the stock tool would otherwise prompt on a tty).
    run(Command::new("minisign")
        .args(["-G", "-W", "-p"])
        .arg(&pk)
        .arg("-s")
        .arg(&sk));
    build(tmp.path(), &sk);
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_file(&pk).unwrap());
    let dir = tmp.path().join("pub");
    assert!(OfflinePublication::open_dir(&dir, &trust).is_ok());

    // Re-sign the manifest with the stock tool (pre-hashed by default):
    // the app accepts it, and refuses it once the manifest changes.
    let manifest = dir.join("v1/manifest.json");
    std::fs::remove_file(dir.join("v1/manifest.json.minisig")).unwrap();
    run(Command::new("minisign")
        .args(["-S", "-s"])
        .arg(&sk)
        .arg("-m")
        .arg(&manifest)
        .args(["-t", "signed with the stock minisign tool"]));
    assert!(OfflinePublication::open_dir(&dir, &trust).is_ok());
    let mut bytes = std::fs::read(&manifest).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 1;
    std::fs::write(&manifest, bytes).unwrap();
    assert!(OfflinePublication::open_dir(&dir, &trust).is_err());
}
