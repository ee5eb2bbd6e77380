//! Issue 3 end to end on loopback: fixture CSVs (fictional people, awkward
//! cases) → `fuitecheck-publish init/add` → served by `serve` and by a plain
//! static host of the `export-static` tree → online and offline checks give
//! identical verdicts; download, interrupted download resumed; tampering
//! with the manifest, signature, a set file or a range response refused.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use fuitecheck_client::online::RangeSource;
use fuitecheck_core::check::{self, Identity, Source};
use fuitecheck_core::freshness::SequenceStore;
use fuitecheck_core::nir::Nir;
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::{TrustStore, TrustedKey};
use fuitecheck_core::surname::Surname;

mod common;
use common::static_host;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn publish(args: &[&str]) -> std::process::Output {
    common::publish_ok(args, &[])
}

struct Publication {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    key_pub: PathBuf,
    trust: TrustStore,
}

fn catalogue(dir: &Path) -> PathBuf {
    let path = dir.join("catalogue.json");
    std::fs::write(&path, fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    path
}

/// Build the fixture publication with the real CLI (cheap test KDF).
/// `keygen` and `init` (test KDF) in `tmp`: (publication dir, key path
/// without extension, catalogue).
fn init_publication(tmp: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let dir = tmp.join("pub");
    let key = tmp.join("publisher");
    publish(&["keygen", "--out", key.to_str().unwrap()]);
    publish(&[
        "init",
        "--dir",
        dir.to_str().unwrap(),
        "--publisher",
        "Mutuelle Exemple (fictive)",
        "--demo",
        "--kdf-memory-kib",
        "64",
        "--kdf-iterations",
        "1",
        "--salt",
        "00112233445566778899aabbccddeeff",
    ]);
    (dir, key, catalogue(tmp))
}

/// `add` a breach from a fixture CSV and mapping.
fn add_fixture(
    dir: &Path,
    cat: &Path,
    key: &Path,
    breach: &str,
    csv: &str,
    map: &str,
    report: &Path,
) {
    publish(&[
        "add",
        "--dir",
        dir.to_str().unwrap(),
        "--catalogue",
        cat.to_str().unwrap(),
        "--breach",
        breach,
        "--input",
        &format!("{FIXTURES}/{csv}"),
        "--mapping",
        &format!("{FIXTURES}/{map}"),
        "--key",
        key.with_extension("key").to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
}

fn build() -> Publication {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, key, cat) = init_publication(tmp.path());
    let report = tmp.path().join("report.json");
    for (breach, csv, map) in [
        ("demo-laboratoire-fictif", "lab.csv", "lab.toml"),
        ("demo-tiers-payant-fictif", "tiers.csv", "tiers.toml"),
    ] {
        add_fixture(&dir, &cat, &key, breach, csv, map, &report);
        if breach == "demo-laboratoire-fictif" {
            let r: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
            assert_eq!(r["rows"], 9);
            assert_eq!(r["records"], 4);
            assert_eq!(r["fingerprints"], 5);
            let by: &serde_json::Map<_, _> = r["skipped_by_reason"].as_object().unwrap();
            assert_eq!(by["nir_bad_key"], 1);
            assert_eq!(by["nir_bad_length"], 1);
            assert_eq!(by["empty_surname"], 1);
            assert_eq!(by["nir_bad_character"], 1);
            assert_eq!(by["wrong_column_count"], 1);
            let lines: Vec<u64> = r["skipped"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["line"].as_u64().unwrap())
                .collect();
            assert_eq!(lines, vec![6, 7, 8, 9, 10]);
            // The report never holds a value from the file.
            let text = std::fs::read_to_string(&report).unwrap();
            for secret in ["Faux", "Court", "Lettre", "Moreau", "185057800608492"] {
                assert!(!text.contains(secret), "report leaks {secret}");
            }
        }
    }
    let key_pub = key.with_extension("pub");
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_file(&key_pub).unwrap());
    Publication {
        _tmp: tmp,
        dir,
        key_pub,
        trust,
    }
}

/// Serve `dir` with `fuitecheck-publish serve`'s library on a thread; the
/// server stops when the returned sender is dropped.
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

fn ident(nir: &str, birth: &str, usage: Option<&str>) -> Identity {
    Identity {
        nir: Nir::parse(nir).unwrap(),
        birth_name: Surname::parse(birth).unwrap(),
        usage_name: usage.map(|u| Surname::parse(u).unwrap()),
    }
}

fn people() -> Vec<Identity> {
    vec![
        ident("185057800608491", "Lefèvre", None),
        ident("293027505600111", "Dupont", Some("Martin")),
        ident("253072B07300470", "LE GALL DUPONT", None),
        ident("171019913504204", "Muller Strasse", None),
        ident("288022722907769", "Dubois", Some("Garnier")),
        ident("264034523410119", "Lefèvre", None),
        ident("185057800608491", "Lefevres", None),
    ]
}

fn verdicts(source: &dyn Source) -> Vec<serde_json::Value> {
    people()
        .iter()
        .map(|id| {
            let r = check::check(id, source, &|_| {}, &AtomicBool::new(false)).unwrap();
            serde_json::to_value(&r.matches).unwrap()
        })
        .collect()
}

#[test]
fn offline_online_and_static_agree() {
    let p = build();
    let offline = OfflinePublication::open_dir(&p.dir, &p.trust).unwrap();
    let want = verdicts(&offline);
    // Expected, from the fixtures.
    let breaches = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|m| format!("{}/{}", m["code"], m["variant"].as_str().unwrap()))
            .collect()
    };
    assert_eq!(breaches(&want[0]), ["901/birth_name", "902/birth_name"]);
    assert_eq!(breaches(&want[1]), ["901/usage_name"]);
    assert_eq!(breaches(&want[2]), ["901/birth_name"]);
    assert_eq!(breaches(&want[3]), ["901/birth_name"]);
    assert_eq!(breaches(&want[4]), ["902/usage_name"]);
    assert!(breaches(&want[5]).is_empty());
    assert!(breaches(&want[6]).is_empty());
    // Per-record categories: the phone only for the record that had one.
    assert!(
        want[0][0]["categories"]
            .as_array()
            .unwrap()
            .contains(&"phone".into())
    );
    assert!(
        !want[2][0]["categories"]
            .as_array()
            .unwrap()
            .contains(&"phone".into())
    );
    assert!(
        want[1][0]["categories"]
            .as_array()
            .unwrap()
            .contains(&"medical_notes".into())
    );

    let (addr, _stop) = serve(&p.dir);
    let online = RangeSource::connect(&format!("http://{addr}/"), &p.trust).unwrap();
    assert_eq!(verdicts(&online), want, "online via serve");
    assert_eq!(
        online.info().kind,
        fuitecheck_core::check::SourceKind::Online
    );

    fuitecheck_publish::serve::export_static(&p.dir).unwrap();
    let host = static_host(p.dir.clone());
    let addr = host.addr;
    let online = RangeSource::connect(&format!("http://{addr}"), &p.trust).unwrap();
    assert_eq!(verdicts(&online), want, "online via a static host");

    // The CLI agrees, exit 0, JSON source kind online.
    let state = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .env("FUITECHECK_STATE_DIR", state.path())
        .args([
            "check",
            "--nir",
            "185057800608491",
            "--surname",
            "Lefèvre",
            "--api",
            &format!("http://{addr}"),
            "--trust",
            p.key_pub.to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"]["kind"], "online");
    assert_eq!(v["matches"], want[0]);
}

#[test]
fn online_failures_are_one_line_exit_2() {
    let p = build();
    fuitecheck_publish::serve::export_static(&p.dir).unwrap();
    let run = |url: &str, trust: bool| {
        let mut args = vec![
            "check".to_owned(),
            "--nir".into(),
            "185057800608491".into(),
            "--surname".into(),
            "Lefèvre".into(),
            "--api".into(),
            url.to_owned(),
        ];
        if trust {
            args.extend(["--trust".into(), p.key_pub.to_str().unwrap().to_owned()]);
        }
        let state = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
            .env("FUITECHECK_STATE_DIR", state.path())
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        err
    };
    // Nobody listening.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    run(&format!("http://{free}/"), true);
    // Plain HTTP to a non-loopback host is refused before any connection.
    assert!(run("http://example.org/", true).contains("HTTPS"));
    // Untrusted publisher key.
    let host = static_host(p.dir.clone());
    let addr = host.addr;
    assert!(run(&format!("http://{addr}/"), false).contains("trusted"));

    // Tampered range response: the check fails rather than answering.
    let v1 = p.dir.join("v1");
    // The bucket of the person's NIR, not of any fingerprint.
    let bucket = fuitecheck_core::bucket::NirBucket::of(&Nir::parse("185057800608491").unwrap());
    assert_eq!(bucket.text(2), "15");
    let range_file = v1.join("range").join(bucket.text(2));
    let original = std::fs::read(&range_file).unwrap();
    let line = fuitecheck_core::range::LINE_LEN;
    for (i, tampered) in [
        original[..original.len() - line].to_vec(),
        [original.clone(), original[..line].to_vec()].concat(),
        {
            let mut t = original.clone();
            t[3] = b'x';
            t
        },
        {
            let mut t = original.clone();
            t[line - 1] = b' ';
            t
        },
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(&range_file, &tampered).unwrap();
        let err = run(&format!("http://{addr}/"), true);
        assert!(
            err.contains("invalid") || err.contains("range"),
            "case {i}: {err}"
        );
    }
    std::fs::write(&range_file, &original).unwrap();

    // Tampered manifest: refused.
    let manifest = v1.join("manifest.json");
    let m = std::fs::read(&manifest).unwrap();
    let mut t = m.clone();
    let i = t.len() / 2;
    t[i] ^= 1;
    std::fs::write(&manifest, &t).unwrap();
    assert!(run(&format!("http://{addr}/"), true).contains("signature"));
    std::fs::write(&manifest, &m).unwrap();
}

/// The person's own files in a download folder (`download --to DIR`),
/// some with names close to ours; returns their paths (each file holds
/// its own path).
fn place_own_files(to: &Path) -> Vec<String> {
    let theirs = vec![
        "pub-vacances/photo.jpg".to_owned(),
        "pub-notes.txt".to_owned(),
        "pub-0123456789ABCDEF/mine.txt".to_owned(),
        "pub-0123456789abcde/mine.txt".to_owned(),
        ".staging-mine/a.txt".to_owned(),
        "partial/notes.txt".to_owned(),
        "partial/abc.part".to_owned(),
        format!("partial/{}.part.bak", "0".repeat(64)),
    ];
    for f in &theirs {
        let path = to.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, f).unwrap();
    }
    // A file (not a directory) with a version's name is not ours either.
    std::fs::write(to.join("pub-00000000000000aa"), "mine").unwrap();
    theirs
}

/// Every file of [`place_own_files`] is still there, unchanged; the only
/// version names left are the active version and that file.
fn assert_own_files_kept(to: &Path, theirs: &[String]) {
    for f in theirs {
        assert_eq!(&std::fs::read_to_string(to.join(f)).unwrap(), f, "{f} kept");
    }
    assert_eq!(
        std::fs::read_to_string(to.join("pub-00000000000000aa")).unwrap(),
        "mine"
    );
    let versions: Vec<String> = std::fs::read_dir(to)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| fuitecheck_client::download::is_version_name(n))
        .collect();
    assert_eq!(
        versions.len(),
        2,
        "the active version and the file: {versions:?}"
    );
}

#[test]
fn download_resume_update_and_tamper() {
    let p = build();
    let (addr, _stop) = serve(&p.dir);
    let url = format!("http://{addr}/");
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("downloaded");
    let theirs = place_own_files(&to);
    let no_cancel = AtomicBool::new(false);
    let r = fresh_download(&url, &to, &p.trust, &no_cancel).unwrap();
    assert_eq!(r.downloaded.len(), 2);
    assert!(!r.already_current);
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    let want = verdicts(&OfflinePublication::open_dir(&p.dir, &p.trust).unwrap());
    assert_eq!(verdicts(&offline), want);

    // Again: nothing to do.
    let r = fresh_download(&url, &to, &p.trust, &no_cancel).unwrap();
    assert!(r.already_current);

    // The publisher rebuilds one breach (re-run add with a new record):
    // only that set and the manifest travel; an interrupted download of
    // it resumes with a Range request.
    let csv = tmp.path().join("tiers2.csv");
    std::fs::write(
        &csv,
        format!(
            "{}291075626001203,Le Goff\n",
            std::fs::read_to_string(format!("{FIXTURES}/tiers.csv")).unwrap()
        ),
    )
    .unwrap();
    let cat = catalogue(tmp.path());
    publish(&[
        "add",
        "--dir",
        p.dir.to_str().unwrap(),
        "--catalogue",
        cat.to_str().unwrap(),
        "--breach",
        "demo-tiers-payant-fictif",
        "--input",
        csv.to_str().unwrap(),
        "--mapping",
        &format!("{FIXTURES}/tiers.toml"),
        "--key",
        p.key_pub.with_extension("key").to_str().unwrap(),
    ]);
    drop(_stop);
    let (addr, _stop) = serve(&p.dir);
    let url = format!("http://{addr}/");
    let manifest = fuitecheck_publish::publish::load_manifest(&p.dir).unwrap();
    let info = manifest
        .breach("demo-tiers-payant-fictif")
        .unwrap()
        .set
        .clone()
        .unwrap();
    let full = std::fs::read(p.dir.join("v1").join(&info.path)).unwrap();
    std::fs::create_dir_all(to.join("partial")).unwrap();
    let half = full.len() / 2;
    std::fs::write(
        to.join("partial").join(format!("{}.part", info.sha256)),
        &full[..half],
    )
    .unwrap();
    let r = fresh_download(&url, &to, &p.trust, &no_cancel).unwrap();
    assert_eq!(r.downloaded, vec![info.path.clone()]);
    assert_eq!(r.reused.len(), 1, "the unchanged set is reused");
    let manifest_len = std::fs::read(p.dir.join("v1/manifest.json")).unwrap().len();
    let sig_len = std::fs::read(p.dir.join("v1/manifest.json.minisig"))
        .unwrap()
        .len();
    assert_eq!(
        r.bytes_transferred,
        (manifest_len + sig_len + full.len() - half) as u64,
        "only the manifest, its signature and the missing half travel"
    );
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    let le_goff = ident("291075626001203", "Le Goff", None);
    let m = check::check(&le_goff, &offline, &|_| {}, &no_cancel).unwrap();
    assert_eq!(m.matches.len(), 1);

    // A corrupt partial file (wrong bytes) is caught by the hash and
    // discarded; the previous publication stays usable.
    let previous = fuitecheck_client::download::active_dir(&to).unwrap();
    let csv3 = tmp.path().join("tiers3.csv");
    std::fs::write(&csv3, "no_secu,nom\n178117511304559,Moreau\n").unwrap();
    publish(&[
        "add",
        "--dir",
        p.dir.to_str().unwrap(),
        "--catalogue",
        cat.to_str().unwrap(),
        "--breach",
        "demo-tiers-payant-fictif",
        "--input",
        csv3.to_str().unwrap(),
        "--mapping",
        &format!("{FIXTURES}/tiers.toml"),
        "--key",
        p.key_pub.with_extension("key").to_str().unwrap(),
    ]);
    drop(_stop);
    let (addr, _stop) = serve(&p.dir);
    let url = format!("http://{addr}/");
    let manifest = fuitecheck_publish::publish::load_manifest(&p.dir).unwrap();
    let info = manifest
        .breach("demo-tiers-payant-fictif")
        .unwrap()
        .set
        .clone()
        .unwrap();
    let mut junk = std::fs::read(p.dir.join("v1").join(&info.path)).unwrap();
    junk.truncate(junk.len() - 3);
    junk[40] ^= 0xFF;
    std::fs::write(
        to.join("partial").join(format!("{}.part", info.sha256)),
        &junk,
    )
    .unwrap();
    let e = fresh_download(&url, &to, &p.trust, &no_cancel).unwrap_err();
    assert!(e.to_string().contains("SHA-256"), "{e}");
    assert_eq!(
        fuitecheck_client::download::active_dir(&to).unwrap(),
        previous
    );
    assert!(OfflinePublication::open_dir(&to, &p.trust).is_ok());
    // And a clean retry succeeds.
    let r = fresh_download(&url, &to, &p.trust, &no_cancel).unwrap();
    assert_eq!(r.downloaded.len(), 1);
    // Three updates later, only our own older versions are gone.
    assert_own_files_kept(&to, &theirs);
}

/// Incremental update (issue 8): when the publisher adds a breach, a
/// client that is up to date downloads the new manifest, its signature and
/// the new breach's set file — nothing else.
#[test]
fn adding_a_breach_transfers_only_its_set_and_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, key, cat) = init_publication(tmp.path());
    let report = tmp.path().join("report.json");
    let add = |breach: &str, csv: &str, map: &str| {
        add_fixture(&dir, &cat, &key, breach, csv, map, &report);
    };
    add("demo-laboratoire-fictif", "lab.csv", "lab.toml");
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_file(&key.with_extension("pub")).unwrap());
    let to = tmp.path().join("client");
    let no_cancel = AtomicBool::new(false);
    // Serve the publication as it is now and download it as the app does.
    let fetch = || {
        let (addr, _stop) = serve(&dir);
        fuitecheck_client::download::download(
            &format!("http://{addr}/"),
            &to,
            &trust,
            &SequenceStore::new(),
            &|_| {},
            &no_cancel,
        )
        .unwrap()
    };
    let first = fetch();
    assert_eq!(
        first.downloaded,
        vec!["sets/demo-laboratoire-fictif.fcset".to_owned()]
    );

    add("demo-tiers-payant-fictif", "tiers.csv", "tiers.toml");
    let update = fetch();
    let new_set = "sets/demo-tiers-payant-fictif.fcset";
    assert_eq!(update.downloaded, vec![new_set.to_owned()]);
    assert_eq!(
        update.reused,
        vec!["sets/demo-laboratoire-fictif.fcset".to_owned()]
    );
    let len = |p: &str| std::fs::metadata(dir.join("v1").join(p)).unwrap().len();
    assert_eq!(
        update.bytes_transferred,
        len("manifest.json") + len("manifest.json.minisig") + len(new_set),
        "only the manifest, its signature and the new set travel"
    );
    let offline = OfflinePublication::open_dir(&to, &trust).unwrap();
    let lefevre = ident("185057800608491", "Lefevre", None);
    let r = check::check(&lefevre, &offline, &|_| {}, &no_cancel).unwrap();
    assert!(
        r.matches
            .iter()
            .any(|m| m.breach == "demo-tiers-payant-fictif")
    );
}

/// A download with no sequence seen before.
fn fresh_download(
    url: &str,
    to: &Path,
    trust: &TrustStore,
    cancel: &AtomicBool,
) -> Result<fuitecheck_client::download::DownloadReport, fuitecheck_client::download::DownloadError>
{
    fuitecheck_client::download::download(url, to, trust, &SequenceStore::new(), &|_| {}, cancel)
}
