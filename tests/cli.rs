//! The citizen CLI contract of SPEC §9, run as a real process.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output, Stdio};

use fuitecheck_core::demo::IDENTITIES;

mod common;

fn fuitecheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fuitecheck"))
        .args(args)
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
