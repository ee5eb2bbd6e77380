//! The citizen CLI contract of SPEC §9, run as a real process.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output, Stdio};

use fuitecheck_core::demo::IDENTITIES;

mod common;

/// A state directory (the rollback store) of this test process, so that
/// no test writes the user's own: kept until the process ends.
fn shared_state() -> &'static std::path::Path {
    static STATE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    STATE.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

fn fuitecheck(args: &[&str]) -> Output {
    fuitecheck_in(shared_state(), args)
}

/// Run the CLI with its state (rollback store) in `state`.
fn fuitecheck_in(state: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .args(args)
        .env("FUITECHECK_STATE_DIR", state)
        .stdin(Stdio::null())
        .output()
        .expect("run fuitecheck")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn nir_valid_json() {
    let out = fuitecheck(&["nir", "2.53.07.2A.073.004.43", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["canonical"], "253072A07300443");
    assert_eq!(v["error"], serde_json::Value::Null);
    assert_eq!(v["sex"], "female");
    assert_eq!(v["birthplace"]["code"], "2A");
}

#[test]
fn nir_json_warnings_are_stable_ids_with_french_texts() {
    let nir = fuitecheck_core::nir::Nir::parse_allow_body("8851578006084").unwrap();
    let out = fuitecheck(&["nir", nir.as_str(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(
        v["warnings"],
        serde_json::json!(["provisional_number", "undocumented_month"])
    );
    let texts = v["warning_texts"].as_array().unwrap();
    assert_eq!(texts.len(), 2);
    assert!(
        texts[0]
            .as_str()
            .unwrap()
            .starts_with("Premier chiffre 7 ou 8")
    );
    assert!(texts[1].as_str().unwrap().starts_with("Mois 15 :"));

    let out = fuitecheck(&["nir", nir.as_str()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Attention : Mois 15 : valeur non documentée"),
        "{text}"
    );

    let plain = fuitecheck(&["nir", "2.53.07.2A.073.004.43", "--json"]);
    assert_eq!(json(&plain)["warnings"], serde_json::json!([]));
}

#[test]
fn nir_invalid_json_exits_1() {
    for bad in ["185057800608492", "253072C07300443", "18505780060849"] {
        let out = fuitecheck(&["nir", bad, "--json"]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let v = json(&out);
        assert_eq!(v["valid"], false);
        assert_eq!(v["canonical"], serde_json::Value::Null);
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
}

#[test]
fn nir_text_error_is_one_line_in_french() {
    let out = fuitecheck(&["nir", "18505780060849"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("14 caractères"), "{err}");
}

#[test]
fn breaches_json_is_the_catalogue_format() {
    let out = fuitecheck(&["breaches", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let c = fuitecheck_core::catalogue::Catalogue::from_json(&text).expect("valid SPEC §5 JSON");
    assert!(c.get("viamedis-almerys-2024").is_some());
    assert!(c.get("laboratoires-dedalus-2021").is_some());
}

#[test]
fn assess_json() {
    let out = fuitecheck(&[
        "assess",
        "--breach",
        "viamedis-almerys-2024",
        "--answer",
        "complementaire_debut_2024=yes",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["breach"], "viamedis-almerys-2024");
    assert_eq!(v["verdict"], "possibly");
    assert_eq!(v["reasons"].as_array().unwrap().len(), 1);

    let out = fuitecheck(&[
        "assess",
        "--breach",
        "viamedis-almerys-2024",
        "--answer",
        "complementaire_debut_2024=no",
        "--answer",
        "message_complementaire=yes",
        "--json",
    ]);
    // SPEC v1.1 §5: a letter from the organisation outweighs "no".
    assert_eq!(json(&out)["verdict"], "possibly");

    let out = fuitecheck(&[
        "assess",
        "--breach",
        "viamedis-almerys-2024",
        "--answer",
        "complementaire_debut_2024=no",
        "--json",
    ]);
    assert_eq!(json(&out)["verdict"], "unlikely");

    let out = fuitecheck(&["assess", "--breach", "viamedis-almerys-2024", "--json"]);
    assert_eq!(json(&out)["verdict"], "unknown");

    let out = fuitecheck(&["assess", "--breach", "nope", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let out = fuitecheck(&[
        "assess",
        "--breach",
        "viamedis-almerys-2024",
        "--answer",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

/// Every README demo identity gives its documented verdict.
#[test]
fn check_demo_identities() {
    for id in IDENTITIES {
        let nir = id.nir();
        let mut args = vec![
            "check",
            "--nir",
            nir.as_str(),
            "--surname",
            id.birth_name,
            "--json",
        ];
        if let Some(u) = id.usage_name {
            args.extend(["--usage-name", u]);
        }
        let out = fuitecheck(&args);
        assert_eq!(out.status.code(), Some(0), "{}", id.label);
        let v = json(&out);
        assert_eq!(v["source"]["kind"], "offline");
        assert_eq!(v["source"]["demo"], true);
        let mut got: Vec<String> = v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["breach"].as_str().unwrap().to_owned())
            .collect();
        got.dedup();
        let want: Vec<String> = id.in_breaches.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(got, want, "{}", id.label);
        if id.usage_name.is_some() {
            for m in v["matches"].as_array().unwrap() {
                assert_eq!(m["variant"], "usage_name", "{}", id.label);
            }
        }
    }
}

#[test]
fn check_exit_codes() {
    let out = fuitecheck(&["check", "--nir", "185057800608492", "--surname", "X"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
    let out = fuitecheck(&["check", "--nir", "185057800608491", "--surname", "1234"]);
    assert_eq!(out.status.code(), Some(1));
    let out = fuitecheck(&[
        "check",
        "--nir",
        "185057800608491",
        "--surname",
        "Lefèvre",
        "--publication",
        "/nonexistent/publication",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn check_reads_nir_from_stdin() {
    use std::io::Write as _;
    let id = &IDENTITIES[1];
    let mut child = Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .args(["check", "--nir", "-", "--surname", id.birth_name, "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{}", id.nir().as_str()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["matches"][0]["breach"], id.in_breaches[0]);
}

/// `--surname -` and `--usage-name -` read standard input like `--nir -`,
/// one line each in that order, so that no part of the identity shows in
/// the process list; `--help` says why.
#[test]
fn check_reads_names_from_stdin_too() {
    use std::io::Write as _;
    let id = IDENTITIES.iter().find(|i| i.usage_name.is_some()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .args([
            "check",
            "--nir",
            "-",
            "--surname",
            "-",
            "--usage-name",
            "-",
            "--json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    write!(
        child.stdin.take().unwrap(),
        "{}\r\n{}\n{}\n",
        id.nir().as_str(),
        id.birth_name,
        id.usage_name.unwrap()
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let found: Vec<_> = json(&out)["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["breach"].as_str().unwrap().to_owned())
        .collect();
    for b in id.in_breaches {
        assert!(found.iter().any(|f| f == b), "{b} not in {found:?}");
    }
    let help = Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("process list"), "{help}");
    assert!(help.contains("`-` reads it from standard"), "{help}");
}

#[test]
fn draft_and_guide() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("lettre.pdf");
    let out = fuitecheck(&[
        "draft",
        "access",
        "--breach",
        "laboratoires-dedalus-2021",
        "--name",
        "Camille Exemple",
        "--address",
        "3 rue Fictive\\n00000 Démoville",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    let out = fuitecheck(&[
        "draft",
        "access",
        "--breach",
        "demo-tiers-payant-fictif",
        "--name",
        "Camille Exemple",
        "--address",
        "3 rue Fictive",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("article 15"), "{text}");
    assert!(text.contains("Mutuelle Fictive de Démonstration"), "{text}");

    let out = fuitecheck(&[
        "draft",
        "nope",
        "--breach",
        "x",
        "--name",
        "a",
        "--address",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(1));

    let out = fuitecheck(&["guide", "--breach", "viamedis-almerys-2024"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("RGPD art. 15") && text.contains("1."),
        "{text}"
    );
    let out = fuitecheck(&[
        "guide",
        "--breach",
        "viamedis-almerys-2024",
        "--categories",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

/// A small signed publication (one demo breach, test KDF, our own key),
/// whose manifest text is then rewritten by `edit` and signed again with
/// the same key, as a hostile publisher would: (temp dir, publication
/// dir, public key file).
fn signed_publication(
    edit: impl Fn(&str) -> String,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    use fuitecheck_core::category::{Category, CategoryMask};
    use fuitecheck_publish::publish::{self, InitOptions, Record};
    use fuitecheck_publish::signing::{self, SigningKey};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pub");
    let (sk, pk) = signing::generate_keypair(None).unwrap();
    let signer = SigningKey::from_text(&sk, None).unwrap();
    let pk_path = tmp.path().join("publisher.pub");
    std::fs::write(&pk_path, pk).unwrap();
    publish::init(
        &dir,
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
    let id = &IDENTITIES[0];
    let mask: CategoryMask = [Category::Identity, Category::Nir].into_iter().collect();
    let records = vec![Record::new(id.nir(), [common::name(id.birth_name)], mask)];
    let pairs = publish::fingerprint_records(&common::test_kdf(), &records, &|_| {}).unwrap();
    publish::put_breach(
        &dir,
        cat.get(id.in_breaches[0]).unwrap(),
        pairs,
        &signer,
        "2026-11-22T10:00:00Z",
    )
    .unwrap();
    let v1 = dir.join("v1");
    let text = std::fs::read_to_string(v1.join("manifest.json")).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    let sig = signer
        .sign(edited.as_bytes(), "fuitecheck manifest")
        .unwrap();
    std::fs::write(v1.join("manifest.json"), edited).unwrap();
    std::fs::write(v1.join("manifest.json.minisig"), sig).unwrap();
    (tmp, dir, pk_path)
}

fn check_publication(dir: &std::path::Path, key: &std::path::Path) -> Output {
    let id = &IDENTITIES[0];
    fuitecheck(&[
        "check",
        "--nir",
        id.nir().as_str(),
        "--surname",
        id.birth_name,
        "--publication",
        dir.to_str().unwrap(),
        "--trust",
        key.to_str().unwrap(),
    ])
}

/// The unedited fixture is accepted, so the refusals below are the edits'.
#[test]
fn check_signed_publication_fixture_is_accepted() {
    let (_tmp, dir, key) = signed_publication(|t| t.replace("Mutuelle Exemple", "Mutuelle Autre"));
    let out = check_publication(&dir, &key);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("Mutuelle Autre")
    );
}

/// SPEC §6: a signed manifest whose publisher name carries terminal escape
/// codes (here trying to erase the demonstration banner) or a bidi override
/// is refused: exit 2, one line on stderr naming the field and the code
/// point, and no control character reaches the terminal.
#[test]
fn check_refuses_control_and_bidi_characters_in_a_signed_manifest() {
    for (hostile, codepoint) in [
        (r"Mutuelle\u001b[2K\u001b[1A", "U+001B"),
        (r"Mutuelle \u202eelpmexE", "U+202E"),
    ] {
        let (_tmp, dir, key) =
            signed_publication(|t| t.replace("\"Mutuelle Exemple\"", &format!("\"{hostile}\"")));
        let out = check_publication(&dir, &key);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{hostile}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("publisher") && err.contains(codepoint),
            "{err}"
        );
        assert!(
            !err.chars()
                .chain(String::from_utf8_lossy(&out.stdout).chars())
                .any(|c| c != '\n' && fuitecheck_core::text::is_forbidden(c, true)),
            "{err:?}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// SPEC §6: a bucket longer than 2 hex characters is refused, even when
/// signed: exit 2, one clear line naming the field.
#[test]
fn check_refuses_prefix_hex_chars_3() {
    let (_tmp, dir, key) =
        signed_publication(|t| t.replace("\"prefix_hex_chars\": 2", "\"prefix_hex_chars\": 3"));
    let out = check_publication(&dir, &key);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("range.prefix_hex_chars") && err.contains("3 is outside 1–2"),
        "{err}"
    );
}

/// The publisher refuses to start a publication clients would refuse: a
/// bucket of 3+ hex characters, or control characters in its name.
#[test]
fn publish_init_refuses_what_clients_refuse() {
    let tmp = tempfile::tempdir().unwrap();
    let name = ["--publisher", "Mutuelle Exemple"];
    for (i, (extra, want)) in [
        (vec!["--prefix-hex-chars", "3"], "range.prefix_hex_chars"),
        (vec!["--prefix-hex-chars", "4"], "range.prefix_hex_chars"),
        (vec!["--kdf-iterations", "17"], "kdf.iterations"),
        (vec!["--publisher", "M\u{1b}[2K"], "U+001B"),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = tmp.path().join(format!("pub{i}"));
        let mut args = vec![
            "init",
            "--dir",
            dir.to_str().unwrap(),
            "--demo",
            "--kdf-memory-kib",
            "64",
        ];
        if !extra.contains(&"--kdf-iterations") {
            args.extend(["--kdf-iterations", "1"]);
        }
        if !extra.contains(&"--publisher") {
            args.extend(name);
        }
        args.extend(extra.iter().copied());
        let out = common::publish_raw(&args, &[]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{extra:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{err:?}");
        assert!(!dir.join("v1/manifest.json").exists());
    }
}

// ---------------------------------------------------------------------------
// Trust and freshness (SPEC §6)
// ---------------------------------------------------------------------------

/// A real (non-demo-key) publication with one breach, kept with its key so
/// that it can be signed again: (temp dir, publication dir, public key
/// file, signing key).
fn keyed_publication() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    fuitecheck_publish::signing::SigningKey,
) {
    use fuitecheck_core::category::{Category, CategoryMask};
    use fuitecheck_publish::publish::{self, InitOptions, Record};
    use fuitecheck_publish::signing::{self, SigningKey};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pub");
    let (sk, pk) = signing::generate_keypair(None).unwrap();
    let signer = SigningKey::from_text(&sk, None).unwrap();
    let pk_path = tmp.path().join("publisher.pub");
    std::fs::write(&pk_path, pk).unwrap();
    publish::init(
        &dir,
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
    let id = &IDENTITIES[0];
    let mask: CategoryMask = [Category::Identity, Category::Nir].into_iter().collect();
    let records = vec![Record::new(id.nir(), [common::name(id.birth_name)], mask)];
    let pairs = publish::fingerprint_records(&common::test_kdf(), &records, &|_| {}).unwrap();
    publish::put_breach(
        &dir,
        cat.get(id.in_breaches[0]).unwrap(),
        pairs,
        &signer,
        "2026-11-22T10:00:00Z",
    )
    .unwrap();
    (tmp, dir, pk_path, signer)
}

/// A copy of a publication's `v1/` (manifest, signature, set files).
fn snapshot(dir: &std::path::Path, to: &std::path::Path) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    copy(&dir.join("v1"), &to.join("v1"));
}

fn sequence_of(dir: &std::path::Path) -> u64 {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("v1/manifest.json")).unwrap()).unwrap();
    m["sequence"].as_u64().unwrap()
}

fn check_json_in(state: &std::path::Path, dir: &std::path::Path, key: &std::path::Path) -> Output {
    let id = &IDENTITIES[0];
    fuitecheck_in(
        state,
        &[
            "check",
            "--nir",
            id.nir().as_str(),
            "--surname",
            id.birth_name,
            "--publication",
            dir.to_str().unwrap(),
            "--trust",
            key.to_str().unwrap(),
            "--json",
        ],
    )
}

fn stored_sequences(state: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(state.join("sequences.json")).unwrap()).unwrap()
}

/// The publisher writes sequence 0 at `init`, and every signing raises it
/// by one: each `add`, and `sign`.
#[test]
fn every_signing_raises_the_sequence() {
    let (tmp, dir, _key, signer) = keyed_publication();
    assert_eq!(sequence_of(&dir), 1, "init (0) then one add");
    let fresh = tmp.path().join("fresh");
    let init = |expires: &str| {
        common::publish_raw(
            &[
                "init",
                "--dir",
                fresh.to_str().unwrap(),
                "--publisher",
                "X",
                "--demo",
                "--kdf-memory-kib",
                "64",
                "--kdf-iterations",
                "1",
                "--expires",
                expires,
            ],
            &[],
        )
    };
    let out = init("demain");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expires"));
    assert!(!fresh.join("v1/manifest.json").exists());
    let out = init("2099-01-01T00:00:00Z");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sequence_of(&fresh), 0, "init writes sequence 0");
    let seq =
        fuitecheck_publish::publish::resign(&dir, &signer, "2026-11-23T10:00:00Z", None).unwrap();
    assert_eq!((seq, sequence_of(&dir)), (2, 2));
    // The publisher's CLI too (any key of the publisher's signs).
    let other = dir.parent().unwrap().join("other");
    common::publish_ok(&["keygen", "--out", other.to_str().unwrap()], &[]);
    let other_key = dir.parent().unwrap().join("other.key");
    let sign = |extra: &[&str]| {
        let mut args = vec![
            "sign",
            "--dir",
            dir.to_str().unwrap(),
            "--key",
            other_key.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        common::publish_raw(&args, &[])
    };
    let out = sign(&["--expires", "2099-01-01T00:00:00Z"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sequence_of(&dir), 3);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("v1/manifest.json")).unwrap()).unwrap();
    assert_eq!(m["expires"], "2099-01-01T00:00:00Z");
    // An expiry that is not a UTC time, or not after generated_at, is
    // refused and nothing is signed.
    for bad in [
        "2099-01-01",
        "2099-01-01T00:00:00+02:00",
        "2001-01-01T00:00:00Z",
    ] {
        let out = sign(&["--expires", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("expires"),
            "{bad}"
        );
        assert_eq!(sequence_of(&dir), 3, "{bad}: nothing signed");
    }
    let out = sign(&["--no-expires"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("v1/manifest.json")).unwrap()).unwrap();
    assert_eq!((m.get("expires"), sequence_of(&dir)), (None, 4));
}

/// SPEC §6 rollback: once sequence 2 was accepted, sequence 1 from the
/// same key is refused with SPEC's sentence (exit 2, one line, no
/// verdict); sequence 2 again is accepted. A newer manifest that fails a
/// check (a bad signature, a set file that differs) does not raise the
/// remembered value.
#[test]
fn replayed_older_manifest_is_refused() {
    let (tmp, dir, key, signer) = keyed_publication();
    let state = tmp.path().join("state");
    let old = tmp.path().join("old");
    snapshot(&dir, &old);
    fuitecheck_publish::publish::resign(&dir, &signer, "2026-11-23T10:00:00Z", None).unwrap();
    assert_eq!((sequence_of(&old), sequence_of(&dir)), (1, 2));

    // The old one first: accepted, remembered.
    let out = check_json_in(&state, &old, &key);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = check_json_in(&state, &dir, &key);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["source"]["sequence"], 2);
    let key_id = fuitecheck_core::signature::TrustedKey::from_file(&key)
        .unwrap()
        .key_id;
    assert_eq!(v["source"]["key_id"], key_id.as_str());
    assert_eq!(v["source"]["generated_at"], "2026-11-23T10:00:00Z");
    assert!(v["source"]["age_seconds"].is_u64());
    assert_eq!(v["source"]["expired"], false);
    let stored = stored_sequences(&state);
    assert_eq!(stored["sequences"].as_object().unwrap().len(), 1);
    assert_eq!(
        stored["sequences"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap(),
        2
    );

    // Replay of sequence 1: refused.
    let out = check_json_in(&state, &old, &key);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "une version plus ancienne de cette liste que celle déjà vue — rejeu possible ; \
             réessayez plus tard ou téléchargez-la à nouveau"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no verdict");

    // Equal: accepted.
    let out = check_json_in(&state, &dir, &key);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A newer manifest whose set file differs from it: refused, and the
    // store stays at 2.
    let tampered = tmp.path().join("tampered");
    snapshot(&dir, &tampered);
    fuitecheck_publish::publish::resign(&tampered, &signer, "2026-11-24T10:00:00Z", None).unwrap();
    assert_eq!(sequence_of(&tampered), 3);
    let set = std::fs::read_dir(tampered.join("v1/sets"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&set).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&set, bytes).unwrap();
    let out = check_json_in(&state, &tampered, &key);
    assert_eq!(out.status.code(), Some(2));
    // A newer manifest whose signature does not verify: refused too.
    let forged = tmp.path().join("forged");
    snapshot(&dir, &forged);
    let text = std::fs::read_to_string(forged.join("v1/manifest.json")).unwrap();
    std::fs::write(
        forged.join("v1/manifest.json"),
        text.replace("\"sequence\": 2", "\"sequence\": 9"),
    )
    .unwrap();
    let out = check_json_in(&state, &forged, &key);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stored_sequences(&state)["sequences"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap(),
        2,
        "only a publication that passed every check raises the store"
    );
    let out = check_json_in(&state, &dir, &key);
    assert_eq!(out.status.code(), Some(0), "sequence 2 is still accepted");
}

/// SPEC §6 `expires`: past it, the check still runs and says so (stderr,
/// the text report and `"expired": true`).
#[test]
fn expired_manifest_is_checked_and_flagged() {
    let (tmp, dir, key, signer) = keyed_publication();
    let state = tmp.path().join("state");
    fuitecheck_publish::publish::resign(
        &dir,
        &signer,
        "2020-01-01T00:00:00Z",
        Some(Some("2020-06-01T00:00:00Z".into())),
    )
    .unwrap();
    let out = check_json_in(&state, &dir, &key);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("Cette liste a expiré le 1er"), "{err}");
    let v = json(&out);
    assert_eq!(v["source"]["expired"], true);
    assert_eq!(v["source"]["expires"], "2020-06-01T00:00:00Z");
    // Not yet expired.
    fuitecheck_publish::publish::resign(
        &dir,
        &signer,
        "2026-11-22T10:00:00Z",
        Some(Some("2999-01-01T00:00:00Z".into())),
    )
    .unwrap();
    let out = check_json_in(&state, &dir, &key);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["source"]["expired"], false);
}

/// SPEC §6: the demo key vouches for the embedded demo only. The same
/// publication read from a directory is refused (exit 2, one line, SPEC's
/// reason) unless the demo public key is passed with --trust; it is then
/// labelled demonstration, with the demo key id.
#[test]
fn demo_signed_directory_needs_explicit_trust() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = tmp.path().join("copy");
    snapshot(&root.join("assets/demo/publication"), &copy);
    let id = &IDENTITIES[0];
    let nir = id.nir();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--nir",
            nir.as_str(),
            "--surname",
            id.birth_name,
            "--publication",
            copy.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        fuitecheck_in(&state, &args)
    };
    let out = run(&[]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("signée avec la clé publique de démonstration : n'importe qui peut fabriquer une telle liste"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no verdict");

    // The demo key passed explicitly (from a copy of its file: it is
    // recognised by its bytes).
    let demo_pub = tmp.path().join("demo.pub");
    std::fs::copy(root.join("assets/demo/demo.pub"), &demo_pub).unwrap();
    let demo_id = fuitecheck_core::signature::TrustedKey::demo().key_id;
    let out = run(&["--trust", demo_pub.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["source"]["demo"], true);
    assert_eq!(v["source"]["key_id"], demo_id.as_str());
    assert!(!v["matches"].as_array().unwrap().is_empty());
    let out = run(&["--trust", demo_pub.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("[DÉMONSTRATION"), "{text}");
    assert!(
        text.contains(&format!("signée par la clé {demo_id}")),
        "{text}"
    );
    assert!(text.contains("· démonstration"), "{text}");

    // The embedded demo itself needs nothing, and is never remembered.
    let out = fuitecheck_in(
        &state,
        &[
            "check",
            "--nir",
            id.nir().as_str(),
            "--surname",
            id.birth_name,
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["source"]["key_id"], demo_id.as_str());
    let stored = stored_sequences(&state);
    assert_eq!(
        stored["sequences"].as_object().unwrap().len(),
        1,
        "only the explicitly trusted directory: {stored}"
    );
}

/// The same refusal online: a demo-signed publication at a URL.
#[test]
fn demo_signed_url_needs_explicit_trust() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let host = common::static_host(root.join("assets/demo/publication"));
    let tmp = tempfile::tempdir().unwrap();
    let id = &IDENTITIES[0];
    let out = fuitecheck_in(
        tmp.path(),
        &[
            "check",
            "--nir",
            id.nir().as_str(),
            "--surname",
            id.birth_name,
            "--api",
            &host.url(),
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("clé publique de démonstration"), "{err}");
    assert!(out.stdout.is_empty());
}

/// `download` applies the trust rules to the signed manifest before it
/// fetches anything: a demo-signed URL without explicit trust is refused
/// and the target folder gets no version, no `current`, no partial file.
#[test]
fn download_refuses_a_demo_signed_url_before_fetching_anything() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let host = common::static_host(root.join("assets/demo/publication"));
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("pub");
    let out = fuitecheck_in(
        tmp.path(),
        &[
            "download",
            "--api",
            &host.url(),
            "--to",
            to.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("clé publique de démonstration"), "{err}");
    let written: Vec<_> = std::fs::read_dir(&to)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "nothing written: {written:?}");
}
