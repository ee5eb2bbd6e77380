//! Interoperability with the stock `minisign` tool: our signatures verify
//! with `minisign -V`, keys made by `minisign -G -W` work with `add`,
//! manifests signed by `minisign -S` (pre-hashed by default) verify in the
//! app, and legacy (`-l`) signatures are refused.
//!
//! Every run checks this against known answers made once with the stock
//! tool (`tests/fixtures/minisign`, commands in its README), so nothing is
//! skipped when the tool is absent. The `#[ignore]`d tests run the tool
//! itself, when it is installed: `cargo test -p fuitecheck-publish --test
//! minisign_interop -- --ignored`.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::{TrustStore, TrustedKey};
use fuitecheck_publish::signing::SigningKey;

/// The stock tool, for the `#[ignore]`d tests (which fail, saying so,
/// without it: they only run when asked for).
fn require_minisign() {
    let ok = Command::new("minisign")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "the stock `minisign` tool is not installed (apt-get install minisign); \
         the known-answer tests check the same without it"
    );
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/minisign");

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(FIXTURES).join(name)
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn stock_trust() -> TrustStore {
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_file(&fixture("stock.pub")).unwrap());
    trust
}

#[test]
fn a_stock_pre_hashed_signature_verifies_and_binds_the_message() {
    let trust = stock_trust();
    let message = std::fs::read(fixture("message.json")).unwrap();
    let sig = fixture_text("message.json.minisig");
    let key = trust.verify(&message, &sig).unwrap();
    assert!(!key.demo);
    let mut altered = message.clone();
    altered[10] ^= 1;
    assert!(trust.verify(&altered, &sig).is_err());
}

#[test]
fn a_stock_legacy_signature_is_refused() {
    let trust = stock_trust();
    let message = std::fs::read(fixture("message.json")).unwrap();
    assert!(
        trust
            .verify(&message, &fixture_text("message.json.legacy.minisig"))
            .is_err()
    );
}

/// What we sign, the stock tool accepts: `message.json.fuitecheck.minisig`
/// was made by our signer with the stock key and accepted by `minisign -V`
/// (README); a signature made now has the same shape — pre-hashed (`ED`),
/// the key's id, our trusted comment — and verifies like it. (Our signer
/// adds random noise to Ed25519, so signatures differ from run to run.)
#[test]
fn our_signatures_have_the_shape_the_stock_tool_accepted() {
    let trust = stock_trust();
    let message = std::fs::read(fixture("message.json")).unwrap();
    let accepted = fixture_text("message.json.fuitecheck.minisig");
    trust.verify(&message, &accepted).unwrap();
    let key = SigningKey::from_file(&fixture("stock.key"), None).unwrap();
    let ours = key
        .sign(&message, "known answer, signed by fuitecheck-publish")
        .unwrap();
    trust.verify(&message, &ours).unwrap();
    let decode =
        |sig: &str| fuitecheck_core::signature::decode_base64(sig.lines().nth(1).unwrap()).unwrap();
    let (now, then) = (decode(&ours), decode(&accepted));
    assert_eq!(now.len(), 74, "algorithm, key id, signature");
    assert_eq!(&now[..2], b"ED", "pre-hashed");
    assert_eq!(now[..10], then[..10], "same algorithm and key id");
    assert_eq!(
        ours.lines().nth(2),
        accepted.lines().nth(2),
        "same trusted comment"
    );
    assert_eq!(ours.lines().count(), 4);
}

/// A `minisign -G -W` key (no password, all-zero checksum) signs a
/// publication through `add`; the app opens it trusting the stock `.pub`.
#[test]
fn a_stock_unencrypted_key_builds_a_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let sk = tmp.path().join("stock.key");
    std::fs::copy(fixture("stock.key"), &sk).unwrap();
    build(tmp.path(), &sk);
    let dir = tmp.path().join("pub");
    assert!(OfflinePublication::open_dir(&dir, &stock_trust()).is_ok());
    assert!(OfflinePublication::open_dir(&dir, &TrustStore::shipped()).is_err());
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
#[ignore = "runs the stock minisign tool; the known-answer tests cover it without"]
fn our_signatures_verify_with_stock_minisign() {
    require_minisign();
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
#[ignore = "runs the stock minisign tool; the known-answer tests cover it without"]
fn stock_minisign_keys_and_signatures_work_with_us() {
    require_minisign();
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
