//! Privacy proofs (issue 7 §5): after a complete CLI journey, no file the
//! tool wrote anywhere it may write (home, config, data, cache, runtime,
//! temp, the download directory) holds the NIR or the surname in any common
//! encoding; online mode sends only the manifest requests and 2-hex-character
//! prefixes; core dumps are disabled.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use fuitecheck_core::demo::IDENTITIES;

/// Every form of a secret we look for: as typed, canonical, grouped,
/// upper/lower case, in UTF-8, UTF-16LE and UTF-16BE.
fn needles(secrets: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut forms: Vec<String> = Vec::new();
    for s in secrets {
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        for f in [
            s.to_string(),
            compact.clone(),
            s.to_uppercase(),
            s.to_lowercase(),
            compact.to_uppercase(),
            compact.to_lowercase(),
        ] {
            if !forms.contains(&f) {
                forms.push(f);
            }
        }
    }
    let mut out = Vec::new();
    for f in forms {
        let le: Vec<u8> = f.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = f.encode_utf16().flat_map(u16::to_be_bytes).collect();
        out.push((format!("{f:?} utf-8"), f.clone().into_bytes()));
        out.push((format!("{f:?} utf-16le"), le));
        out.push((format!("{f:?} utf-16be"), be));
    }
    out
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

struct Sandbox {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Sandbox {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        for d in ["home", "config", "data", "cache", "tmp", "runtime"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        Self { _tmp: tmp, root }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        use std::io::Write as _;
        let r = &self.root;
        let mut child = Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
            .args(args)
            .env("HOME", r.join("home"))
            .env("XDG_CONFIG_HOME", r.join("config"))
            .env("XDG_DATA_HOME", r.join("data"))
            .env("XDG_CACHE_HOME", r.join("cache"))
            .env("XDG_RUNTIME_DIR", r.join("runtime"))
            .env("TMPDIR", r.join("tmp"))
            .env("RUST_BACKTRACE", "1")
            .current_dir(r.join("home"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    }
}

/// A writable copy of the demo publication (with the publisher's full
/// copies) and its static range files.
fn demo_copy(into: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/publication");
    let dst = into.join("publication");
    for f in files_under(&src) {
        let to = dst.join(f.strip_prefix(&src).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&f, to).unwrap();
    }
    fuitecheck_publish::serve::export_static(&dst).unwrap();
    dst
}

#[test]
fn a_whole_cli_journey_leaves_no_trace() {
    let sandbox = Sandbox::new();
    let server_dir = tempfile::tempdir().unwrap();
    let host = common::static_host(demo_copy(server_dir.path()));
    let url = host.url();
    let id = &IDENTITIES[3]; // birth name + usage name
    let nir = id.nir();
    let grouped = nir.grouped().to_string();
    let usage = id.usage_name.unwrap();
    let download_dir = sandbox.root.join("data/publication");
    // The demo key vouches for a URL or a directory only when passed
    // explicitly (SPEC §6).
    let demo_pub = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/demo.pub");
    let demo_pub = demo_pub.to_str().unwrap();
    let dl = download_dir.to_str().unwrap();

    let steps: Vec<(Vec<&str>, Option<String>)> = vec![
        (vec!["nir", grouped.as_str()], None),
        (vec!["nir", nir.as_str(), "--json"], None),
        (
            vec![
                "check",
                "--nir",
                grouped.as_str(),
                "--surname",
                id.birth_name,
                "--usage-name",
                usage,
            ],
            None,
        ),
        (
            vec![
                "check",
                "--nir",
                "-",
                "--surname",
                id.birth_name,
                "--usage-name",
                usage,
                "--json",
            ],
            Some(format!("{}\n", nir.as_str())),
        ),
        (
            vec![
                "check",
                "--nir",
                nir.as_str(),
                "--surname",
                id.birth_name,
                "--api",
                &url,
                "--trust",
                demo_pub,
            ],
            None,
        ),
        (
            vec!["download", "--api", &url, "--to", dl, "--trust", demo_pub],
            None,
        ),
        (
            vec![
                "check",
                "--nir",
                nir.as_str(),
                "--surname",
                id.birth_name,
                "--usage-name",
                usage,
                "--publication",
                dl,
                "--trust",
                demo_pub,
            ],
            None,
        ),
        // Invalid input too: errors must not echo the NIR into a file.
        (
            vec![
                "check",
                "--nir",
                "2 88 02 27 229 077 00",
                "--surname",
                id.birth_name,
            ],
            None,
        ),
        (
            vec![
                "assess",
                "--breach",
                "viamedis-almerys-2024",
                "--answer",
                "complementaire_debut_2024=yes",
            ],
            None,
        ),
    ];
    for (args, stdin) in &steps {
        let out = sandbox.run(args, stdin.as_deref());
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let written = files_under(&sandbox.root);
    // The download wrote the publication, the rollback store its public
    // key → sequence pair (SPEC §6: not personal data), and nothing else
    // was written.
    let sequences = sandbox
        .root
        .join("home/.local/state/fuitecheck/sequences.json");
    assert!(written.contains(&sequences), "{written:?}");
    assert!(
        written
            .iter()
            .all(|p| p.starts_with(&download_dir) || *p == sequences),
        "{written:?}"
    );
    assert!(!written.is_empty());
    let secrets = [
        nir.as_str(),
        grouped.as_str(),
        &nir.as_str()[..13],
        id.birth_name,
        usage,
    ];
    for file in &written {
        let bytes = std::fs::read(file).unwrap();
        for (what, needle) in needles(&secrets) {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{} contains {what}",
                file.display()
            );
        }
    }
}

/// SPEC v1.1 §7.3 on a loopback host that counts what it is asked: a
/// check sends the manifest requests and exactly one range request, for
/// the bucket of the person's NIR (2 hex characters, 8 bits), whether the
/// person gave one name or two; no set file is fetched online, and no
/// header carries the NIR or a name.
#[test]
fn online_mode_sends_one_bucket_request_per_check_whatever_the_names() {
    let server_dir = tempfile::tempdir().unwrap();
    let host = common::static_host(demo_copy(server_dir.path()));
    let one_name = IDENTITIES.iter().find(|i| i.usage_name.is_none()).unwrap();
    let two_names = IDENTITIES.iter().find(|i| i.usage_name.is_some()).unwrap();
    for id in [one_name, two_names] {
        host.seen.lock().unwrap().clear();
        let sandbox = Sandbox::new();
        let nir = id.nir();
        let mut args = vec!["check", "--nir", nir.as_str(), "--surname", id.birth_name];
        if let Some(usage) = id.usage_name {
            args.extend(["--usage-name", usage]);
        }
        let url = host.url();
        // A demo-signed URL is used only with the demo key passed (SPEC §6).
        let demo_pub = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/demo.pub");
        let demo_pub = demo_pub.to_str().unwrap();
        args.extend(["--api", &url, "--trust", demo_pub, "--json"]);
        let out = sandbox.run(&args, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bucket = fuitecheck_core::bucket::NirBucket::of(&nir).text(2);
        let seen = host.seen.lock().unwrap().clone();
        let mut range_requests = Vec::new();
        for s in &seen {
            match s.request.as_str() {
                "GET /v1/manifest.json" | "GET /v1/manifest.json.minisig" => {}
                r if r.starts_with("GET /v1/range/") => range_requests.push(r.to_owned()),
                r => panic!("unexpected request {r} (a set file online?)"),
            }
            let mut secrets = vec![nir.as_str(), id.birth_name];
            secrets.extend(id.usage_name);
            for h in &s.headers {
                for (what, needle) in needles(&secrets) {
                    assert!(
                        !h.as_bytes()
                            .windows(needle.len())
                            .any(|w| w == needle.as_slice()),
                        "header {h:?} contains {what}"
                    );
                }
            }
        }
        assert_eq!(
            range_requests,
            [format!("GET /v1/range/{bucket}")],
            "{}: {seen:?}",
            id.label
        );
        // The matches come back as without the network (the names are
        // compared locally).
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let breaches: Vec<&str> = json["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["breach"].as_str().unwrap())
            .collect();
        for b in id.in_breaches {
            assert!(breaches.contains(b), "{}: {breaches:?}", id.label);
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn core_dumps_are_disabled() {
    fuitecheck_core::privacy::harden_process();
    assert!(fuitecheck_core::privacy::core_dumps_disabled());
    let mut lim = libc::rlimit {
        rlim_cur: 1,
        rlim_max: 1,
    };
    // SAFETY: getrlimit writes into a valid rlimit struct.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) }, 0);
    assert_eq!((lim.rlim_cur, lim.rlim_max), (0, 0));
}
