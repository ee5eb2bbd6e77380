//! OPRF publications on the publisher's side (SPEC §11, issue 15):
//! `oprf-keygen`, `init --oprf-key`, `add`/`merge --oprf-key` (sharded
//! builds byte-identical to one `add`), and the point of it all — a listed
//! person's ordinary (§3) lookup appears nowhere in the publication's files.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
const BREACH: &str = "demo-laboratoire-fictif";
const SALT: &str = "00112233445566778899aabbccddeeff";

/// Same timestamp in every manifest, so that builds compare byte for byte.
const FIXED_TIME: &[(&str, &str)] = &[("SOURCE_DATE_EPOCH", "1790000000")];

const BIN: &str = env!("CARGO_BIN_EXE_fuitecheck-publish");

/// Run the tool without a terminal; secret keys use the password
/// "correct horse".
fn run(args: &[&str]) -> Output {
    std::process::Command::new(BIN)
        .args(args)
        .env("FUITECHECK_KEY_PASSWORD", "correct horse")
        .envs(FIXED_TIME.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "fuitecheck-publish {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn refused(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// SPEC §10's test key, written as `oprf-keygen` writes an unsealed key.
fn spec_key_file(path: &Path) {
    let key =
        fuitecheck_core::oprf::OprfSecretKey::derive(&[0x5A; 32], b"fuitecheck/v1 test oprf key")
            .unwrap();
    let text = fuitecheck_publish::oprf_key::to_text(&key, None).unwrap();
    std::fs::write(path, text.as_bytes()).unwrap();
}

struct Env {
    tmp: tempfile::TempDir,
    key: String,
    oprf: PathBuf,
    cat: PathBuf,
}

impl Env {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let key = tmp.path().join("publisher");
        ok(&["keygen", "--out", key.to_str().unwrap()]);
        let cat = tmp.path().join("catalogue.json");
        std::fs::write(&cat, fuitecheck_core::demo::DEMO_BREACHES).unwrap();
        let oprf = tmp.path().join("spec.oprf");
        spec_key_file(&oprf);
        Self {
            key: format!("{}.key", key.display()),
            tmp,
            oprf,
            cat,
        }
    }

    fn init(&self, name: &str, oprf: bool) -> PathBuf {
        let dir = self.tmp.path().join(name);
        let mut a = vec![
            "init",
            "--dir",
            dir.to_str().unwrap(),
            "--publisher",
            "Laboratoire Exemple (fictif)",
            "--demo",
            "--kdf-memory-kib",
            "64",
            "--kdf-iterations",
            "1",
            "--salt",
            SALT,
        ];
        if oprf {
            a.extend(["--oprf-key", self.oprf.to_str().unwrap()]);
        }
        ok(&a);
        dir
    }

    fn add(&self, dir: &Path, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = [
            "add",
            "--dir",
            dir.to_str().unwrap(),
            "--catalogue",
            self.cat.to_str().unwrap(),
            "--breach",
            BREACH,
            "--input",
            &format!("{FIXTURES}/lab.csv"),
            "--mapping",
            &format!("{FIXTURES}/lab.toml"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    fn merge(&self, dir: &Path, extra: &[&str], shards: &[PathBuf]) -> Vec<String> {
        let mut a: Vec<String> = [
            "merge",
            "--dir",
            dir.to_str().unwrap(),
            "--catalogue",
            self.cat.to_str().unwrap(),
            "--breach",
            BREACH,
            "--key",
            &self.key,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a.extend(shards.iter().map(|p| p.to_str().unwrap().to_owned()));
        a
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Every file of a build, except the (randomised) signatures.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with(".minisig") {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Files (of `files`) holding the first 6 bytes (48 bits, the shortest a
/// set file stores) of `lookup`, raw in either byte order or as hex text in
/// either case.
fn holders(files: &[(String, Vec<u8>)], lookup: u64) -> Vec<String> {
    let be = lookup.to_be_bytes();
    let le = lookup.to_le_bytes();
    let needles: Vec<Vec<u8>> = vec![
        be[..6].to_vec(),
        le[2..].to_vec(),
        hex::encode_upper(&be[..6]).into_bytes(),
        hex::encode(&be[..6]).into_bytes(),
    ];
    files
        .iter()
        .filter(|(_, bytes)| {
            needles
                .iter()
                .any(|n| bytes.windows(n.len()).any(|w| w == n.as_slice()))
        })
        .map(|(p, _)| p.clone())
        .collect()
}

#[test]
fn oprf_keygen_writes_a_private_key_and_prints_its_public_half() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("publisher");
    // No terminal and no password: refused, as keygen.
    let no_password = std::process::Command::new(BIN)
        .args(["oprf-keygen", "--out", out.to_str().unwrap()])
        .env_remove("FUITECHECK_KEY_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!no_password.status.success());
    let err = String::from_utf8_lossy(&no_password.stderr);
    assert!(
        err.contains("FUITECHECK_KEY_PASSWORD") && err.contains("--unencrypted"),
        "{err}"
    );
    assert!(!out.with_extension("oprf").exists());

    // With the password of the environment: sealed, 0600, public key printed.
    let printed = ok(&["oprf-keygen", "--out", out.to_str().unwrap()]);
    let path = out.with_extension("oprf");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(fuitecheck_publish::oprf_key::is_sealed(&text));
    let public = String::from_utf8(printed.stdout).unwrap();
    assert_eq!(
        public.trim(),
        fuitecheck_publish::oprf_key::public_key(&text)
            .unwrap()
            .to_hex()
    );
    let key = fuitecheck_publish::oprf_key::from_text(&text, Some("correct horse")).unwrap();
    assert_eq!(key.public_key().to_hex(), public.trim());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never overwritten by accident.
    let err = refused(&["oprf-keygen", "--out", out.to_str().unwrap()]);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn oprf_publication_hides_ordinary_lookups_and_shards_stay_identical() {
    let env = Env::new();
    let oprf = env.oprf.to_str().unwrap();

    let single = env.init("single", true);
    let manifest = fuitecheck_core::manifest::Manifest::from_json(
        &std::fs::read(single.join("v1/manifest.json")).unwrap(),
    )
    .unwrap();
    let params = manifest.oprf.unwrap();
    assert_eq!(
        params.public_key.to_hex(),
        "82e033620e668c96ddaa6a6e14751c966ac73d273c90985ec1f1441b7d56132c"
    );
    assert_eq!(params.endpoint, "v1/oprf");
    assert_eq!(params.batch, 2);

    // The key is required, and must be this publication's.
    let err = refused(&strs(&env.add(&single, &["--key", &env.key])));
    assert!(err.contains("--oprf-key is required"), "{err}");
    let other = env.tmp.path().join("other.oprf");
    std::fs::write(
        &other,
        fuitecheck_publish::oprf_key::to_text(
            &fuitecheck_core::oprf::OprfSecretKey::generate().unwrap(),
            None,
        )
        .unwrap()
        .as_bytes(),
    )
    .unwrap();
    let err = refused(&strs(&env.add(
        &single,
        &["--key", &env.key, "--oprf-key", other.to_str().unwrap()],
    )));
    assert!(err.contains("not this publication's OPRF key"), "{err}");
    ok(&strs(
        &env.add(&single, &["--key", &env.key, "--oprf-key", oprf]),
    ));

    // Three slices then merge: byte for byte the one-machine build.
    let sharded = env.init("sharded", true);
    let mut shards = Vec::new();
    for i in [2, 0, 1] {
        let out = env.tmp.path().join(format!("slice-{i}.fcshard"));
        let spec = format!("{i}/3");
        ok(&strs(&env.add(
            &sharded,
            &[
                "--shard",
                &spec,
                "--out",
                out.to_str().unwrap(),
                "--oprf-key",
                oprf,
            ],
        )));
        shards.push(out);
    }
    let err = refused(&strs(&env.merge(&sharded, &[], &shards)));
    assert!(err.contains("--oprf-key is required"), "{err}");
    ok(&strs(&env.merge(&sharded, &["--oprf-key", oprf], &shards)));
    let files = tree(&single);
    assert!(files.iter().any(|(p, _)| p.ends_with(".fcset")));
    assert_eq!(tree(&sharded), files, "sharded OPRF build differs");

    // An ordinary publication of the same CSV and salt: its slices cannot
    // be merged into the OPRF one (their digest binds the OPRF key), and
    // --oprf-key is refused for it.
    let plain = env.init("plain", false);
    let plain_slice = env.tmp.path().join("plain.fcshard");
    ok(&strs(&env.add(
        &plain,
        &["--shard", "0/1", "--out", plain_slice.to_str().unwrap()],
    )));
    let again = env.init("again", true);
    let err = refused(&strs(&env.merge(
        &again,
        &["--oprf-key", oprf],
        std::slice::from_ref(&plain_slice),
    )));
    assert!(err.contains("OPRF key than this publication"), "{err}");
    let err = refused(&strs(
        &env.add(&plain, &["--key", &env.key, "--oprf-key", oprf]),
    ));
    assert!(err.contains("not an OPRF publication"), "{err}");
    ok(&strs(&env.add(&plain, &["--key", &env.key])));

    // export-static writes the static parts and says what they lack.
    let export = ok(&["export-static", "--dir", single.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&export.stderr);
    assert!(
        said.contains("OPRF publication") && said.contains("v1/oprf"),
        "{said}"
    );
    let export = ok(&["export-static", "--dir", plain.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&export.stderr).contains("OPRF"));
    let files = tree(&single);

    // SPEC §10: 185057800608491 / LEFEVRE is listed (first row of lab.csv).
    // Its ordinary lookup is in the ordinary publication and nowhere in the
    // OPRF one; its OPRF lookup is (the search does find lookups).
    let ordinary = 0xD87D_1BC8_D86F_C802;
    let oprf_lookup = 0x6037_FE04_B404_7328;
    assert!(!holders(&tree(&plain), ordinary).is_empty());
    assert_eq!(holders(&files, ordinary), Vec::<String>::new());
    assert!(!holders(&files, oprf_lookup).is_empty());
    assert!(holders(&tree(&plain), oprf_lookup).is_empty());
}
