//! Sharded and memory-bounded builds give byte-identical publications
//! (issue 8): `add --shard I/N` × N then `merge`, and `add` with a tiny
//! sort budget (many spilled runs), against a plain `add` of the same CSV.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const BREACH: &str = "demo-laboratoire-fictif";

mod common;

/// Same timestamp in every manifest, so that builds compare byte for byte.
const FIXED_TIME: &[(&str, &str)] = &[("SOURCE_DATE_EPOCH", "1790000000")];

fn run(args: &[&str]) -> Output {
    common::publish_raw(args, FIXED_TIME)
}

fn ok(args: &[&str]) -> Output {
    common::publish_ok(args, FIXED_TIME)
}

struct Env {
    tmp: tempfile::TempDir,
    key: PathBuf,
    cat: PathBuf,
}

impl Env {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let key = tmp.path().join("publisher");
        ok(&["keygen", "--out", key.to_str().unwrap()]);
        let cat = tmp.path().join("catalogue.json");
        std::fs::write(&cat, fuitecheck_core::demo::DEMO_BREACHES).unwrap();
        Self { tmp, key, cat }
    }

    fn init(&self, name: &str) -> PathBuf {
        let dir = self.tmp.path().join(name);
        ok(&[
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
            "00112233445566778899aabbccddeeff",
        ]);
        dir
    }

    fn key(&self) -> String {
        format!("{}.key", self.key.display())
    }

    fn add_args<'a>(&'a self, dir: &'a str, extra: &[&'a str]) -> Vec<String> {
        let mut a: Vec<String> = [
            "add",
            "--dir",
            dir,
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
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Every file a build wrote, except the signature (minisign signatures
/// carry random noise) and the sort's temporary directories (none left).
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

#[test]
fn sharded_and_spilled_builds_are_byte_identical() {
    let env = Env::new();
    let key = env.key();

    let single = env.init("single");
    let s = single.to_str().unwrap();
    let single_report = env.tmp.path().join("single.json");
    ok(&strs(&env.add_args(
        s,
        &["--key", &key, "--report", single_report.to_str().unwrap()],
    )));

    // Tiny sort budget: dozens of spilled runs, merged.
    let spilled = env.init("spilled");
    let sp = spilled.to_str().unwrap();
    ok(&strs(
        &env.add_args(sp, &["--key", &key, "--sort-budget", "7"]),
    ));

    // Three slices, built separately (in any order), then merged.
    let sharded = env.init("sharded");
    let sh = sharded.to_str().unwrap();
    let mut shards = Vec::new();
    for i in [2, 0, 1] {
        let out = env.tmp.path().join(format!("slice-{i}.fcshard"));
        let spec = format!("{i}/3");
        ok(&strs(&env.add_args(
            sh,
            &["--shard", &spec, "--out", out.to_str().unwrap()],
        )));
        shards.push(out);
    }
    // Building a slice touches nothing in the publication.
    assert!(!sharded.join("v1/sets").read_dir().unwrap().any(|_| true));
    let merged_report = env.tmp.path().join("merged.json");
    let mut merge = vec![
        "merge",
        "--dir",
        sh,
        "--catalogue",
        env.cat.to_str().unwrap(),
        "--breach",
        BREACH,
        "--key",
        &key,
        "--report",
        merged_report.to_str().unwrap(),
    ];
    merge.extend(shards.iter().map(|p| p.to_str().unwrap()));
    ok(&merge);

    let want = tree(&single);
    assert!(
        want.iter()
            .any(|(p, _)| p.ends_with("sets/demo-laboratoire-fictif.fcset"))
    );
    assert!(want.iter().any(|(p, _)| p.starts_with("full")));
    assert_eq!(tree(&spilled), want, "spilled build differs");
    assert_eq!(tree(&sharded), want, "sharded build differs");
    // The merged report is the single run's report, skipped lines included.
    assert_eq!(
        std::fs::read(&merged_report).unwrap(),
        std::fs::read(&single_report).unwrap()
    );

    // Incomplete, duplicated or foreign slices are refused, one line each.
    let refused = |files: &[&Path], dir: &str| {
        let mut a = vec![
            "merge".to_owned(),
            "--dir".to_owned(),
            dir.to_owned(),
            "--catalogue".to_owned(),
            env.cat.to_str().unwrap().to_owned(),
            "--breach".to_owned(),
            BREACH.to_owned(),
            "--key".to_owned(),
            key.clone(),
        ];
        a.extend(files.iter().map(|p| p.to_str().unwrap().to_owned()));
        let out = run(&strs(&a));
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = refused(&[&shards[0], &shards[1]], sh);
    assert!(err.contains("missing slice(s): 1/3"), "{err}");
    let err = refused(&[&shards[0], &shards[1], &shards[2], &shards[0]], sh);
    assert!(err.contains("given twice"), "{err}");
    // A truncated copy (interrupted transfer).
    let cut = env.tmp.path().join("cut.fcshard");
    let bytes = std::fs::read(&shards[2]).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 5]).unwrap();
    let err = refused(&[&shards[0], &cut, &shards[1]], sh);
    assert!(err.contains("does not match its header"), "{err}");
    // Built against another salt.
    let other = env.tmp.path().join("other");
    ok(&[
        "init",
        "--dir",
        other.to_str().unwrap(),
        "--publisher",
        "X",
        "--demo",
        "--kdf-memory-kib",
        "64",
        "--kdf-iterations",
        "1",
    ]);
    let err = refused(
        &[&shards[0], &shards[1], &shards[2]],
        other.to_str().unwrap(),
    );
    assert!(
        err.contains("other KDF parameters, salt or OPRF key"),
        "{err}"
    );
    // --shard needs --out, and a well-formed I/N.
    let out = run(&strs(&env.add_args(sh, &["--shard", "3/3", "--out", "x"])));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 2"));
}
