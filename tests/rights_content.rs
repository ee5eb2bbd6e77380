//! The rights data files: every statement sourced, FR and EN aligned,
//! letters well-formed; the guidance model built from them.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]
// See: issue 5 (rights and guided drafting).

use std::collections::BTreeSet;

use fuitecheck_core::catalogue::{Catalogue, Lang};
use fuitecheck_core::category::Category;
use fuitecheck_rights::content::{DRAFTS_EN, DRAFTS_FR, GUIDANCE_EN, GUIDANCE_FR, LETTERS_FR};
use fuitecheck_rights::{self as rights, StepId};
use toml::Value;

fn parse(s: &str) -> Value {
    toml::from_str(s).expect("valid TOML")
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Keys whose values must be identical in both languages.
const SAME_VALUE: &[&str] = &[
    "id",
    "url",
    "sources",
    "categories",
    "verify",
    "deadline_rule",
    "draft",
    "breach",
    "kind",
    "recommande_sources",
];

/// Walk FR and EN together: same keys, same array lengths, same values for
/// ids, URLs and sources.
fn same_shape(fr: &Value, en: &Value, path: &str) {
    match (fr, en) {
        (Value::Table(a), Value::Table(b)) => {
            let ka: Vec<&String> = a.keys().collect();
            let kb: Vec<&String> = b.keys().collect();
            assert_eq!(ka, kb, "keys differ at {path}");
            for (k, v) in a {
                let p = format!("{path}.{k}");
                if SAME_VALUE.contains(&k.as_str()) {
                    assert_eq!(v, &b[k], "value differs at {p}");
                }
                same_shape(v, &b[k], &p);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "lengths differ at {path}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                same_shape(x, y, &format!("{path}[{i}]"));
            }
        }
        (x, y) => assert_eq!(
            std::mem::discriminant(x),
            std::mem::discriminant(y),
            "types differ at {path}"
        ),
    }
}

/// Every table with a `text` (a statement or note) or a `label` +
/// `next_step` (a deadline) carries at least one http(s) source; statements
/// flagged `verify` say so in their text; every `url` is http(s).
fn every_statement_sourced(v: &Value, path: &str, lang: &str, count: &mut usize) {
    match v {
        Value::Table(t) => {
            if t.contains_key("text") || t.contains_key("next_step") {
                *count += 1;
                let sources = t
                    .get("sources")
                    .and_then(Value::as_array)
                    .unwrap_or_else(|| panic!("{path} has no sources"));
                assert!(!sources.is_empty(), "{path}: empty sources");
                for s in sources {
                    assert!(is_url(s.as_str().unwrap_or("")), "{path}: bad source {s}");
                }
                if t.get("verify").and_then(Value::as_bool) == Some(true) {
                    let text = t["text"].as_str().unwrap_or("").to_lowercase();
                    let says = match lang {
                        "fr" => text.contains("vérifi") || text.contains("confirmer"),
                        _ => {
                            text.contains("check")
                                || text.contains("confirm")
                                || text.contains("verified")
                        }
                    };
                    assert!(says, "{path}: flagged verify but does not say so");
                }
            }
            if let Some(u) = t.get("url") {
                assert!(is_url(u.as_str().unwrap_or("")), "{path}: bad url");
            }
            for (k, x) in t {
                every_statement_sourced(x, &format!("{path}.{k}"), lang, count);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                every_statement_sourced(x, &format!("{path}[{i}]"), lang, count);
            }
        }
        _ => {}
    }
}

#[test]
fn data_files_parse() {
    rights::content::validate().unwrap();
}

#[test]
fn french_and_english_have_the_same_keys() {
    same_shape(&parse(GUIDANCE_FR), &parse(GUIDANCE_EN), "guidance");
    same_shape(&parse(DRAFTS_FR), &parse(DRAFTS_EN), "drafts");
}

#[test]
fn every_statement_has_a_source() {
    for (name, text, lang) in [
        ("guidance.fr", GUIDANCE_FR, "fr"),
        ("guidance.en", GUIDANCE_EN, "en"),
        ("drafts.fr", DRAFTS_FR, "fr"),
        ("drafts.en", DRAFTS_EN, "en"),
    ] {
        let mut count = 0;
        every_statement_sourced(&parse(text), name, lang, &mut count);
        assert!(count > 20, "{name}: only {count} statements seen");
    }
    // Letters: every cited text has a source, every inquiry too.
    let letters = parse(LETTERS_FR);
    for (kind, t) in letters.as_table().unwrap() {
        if kind == "inquiries" {
            let mut n = 0;
            every_statement_sourced(t, "inquiries", "fr", &mut n);
            assert!(n >= 2);
            continue;
        }
        let cites = t["cites"].as_array().unwrap();
        assert!(!cites.is_empty(), "{kind} cites nothing");
        for c in cites {
            assert!(is_url(c["url"].as_str().unwrap()), "{kind}");
        }
    }
}

#[test]
fn letters_use_only_known_conditions_and_no_english() {
    let known = rights::draft::known_conditions();
    let letters = parse(LETTERS_FR);
    for (kind, t) in letters.as_table().unwrap() {
        let Some(sections) = t.get("sections").and_then(Value::as_array) else {
            continue;
        };
        for s in sections {
            if let Some(w) = s.get("when") {
                assert!(
                    known.contains(&w.as_str().unwrap()),
                    "{kind}: unknown condition {w}"
                );
            }
        }
    }
}

#[test]
fn steps_cover_the_issue_in_order() {
    let cat = Catalogue::embedded();
    let b = cat.get("laboratoires-dedalus-2021").unwrap();
    for lang in [Lang::Fr, Lang::En] {
        let steps = rights::guidance(&[b], &[], lang);
        let ids: Vec<StepId> = steps.iter().map(|s| s.id).collect();
        assert_eq!(ids, StepId::ALL, "{lang:?}");
        for (i, s) in steps.iter().enumerate() {
            assert_eq!(s.number, i + 1);
            assert!(!s.title.is_empty() && !s.summary.is_empty() && !s.deadline.is_empty());
            for st in &s.statements {
                assert!(!st.sources.is_empty(), "{:?}/{}", s.id, st.id);
            }
            for l in s.legal_basis.iter().chain(&s.links) {
                assert!(is_url(&l.url));
            }
        }
        let basis: BTreeSet<String> = steps
            .iter()
            .flat_map(|s| s.legal_basis.iter().map(|l| l.label.clone()))
            .collect();
        let art = |n: &str| basis.iter().any(|l| l.contains(&format!("art. {n}")));
        for n in [
            "15", "17", "21", "34", "12(3)", "77", "79", "80", "82", "323-3",
        ] {
            assert!(art(n), "{lang:?}: no legal basis for art. {n}: {basis:?}");
        }
        let ask = &steps[0];
        assert_eq!(
            ask.deadline_rule,
            Some(rights::DeadlineRule::ControllerAnswer)
        );
        assert_eq!(ask.draft, Some(rights::DraftKind::Access));
    }
}

#[test]
fn statements_follow_the_categories() {
    let cat = Catalogue::embedded();
    let lab = cat.get("laboratoires-dedalus-2021").unwrap();
    let pole = cat.get("pole-emploi-majorel-2023").unwrap();
    let protect = |b, cats: &[Category]| {
        rights::guidance(&[b], cats, Lang::Fr)
            .into_iter()
            .find(|s| s.id == StepId::Protect)
            .unwrap()
            .statements
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    // Credentials leaked in the lab breach: password advice shown.
    assert!(protect(lab, &[]).contains(&"passwords".to_owned()));
    // Pôle emploi: name and NIR only -> no password advice, NIR advice kept.
    let p = protect(pole, &[]);
    assert!(!p.contains(&"passwords".to_owned()));
    assert!(p.contains(&"nir_unchangeable".to_owned()));
    // A match's own categories win over the breach's.
    assert!(!protect(lab, &[Category::Identity]).contains(&"passwords".to_owned()));
    // Hospital-records caveat only with medical categories.
    let erasure = |b| {
        rights::guidance(&[b], &[], Lang::En)
            .into_iter()
            .find(|s| s.id == StepId::ErasureObjection)
            .unwrap()
            .statements
            .iter()
            .any(|s| s.id == "hospital_records")
    };
    assert!(erasure(cat.get("ch-sud-francilien-2022").unwrap()));
    assert!(!erasure(pole));
}

#[test]
fn nothing_unverified_is_stated_as_fact() {
    // Claims DOMAIN.md marks UNVERIFIED, or says not to make, must not appear
    // as plain statements anywhere in the data.
    for text in [GUIDANCE_FR, GUIDANCE_EN, DRAFTS_FR, DRAFTS_EN, LETTERS_FR] {
        let lower = text.to_lowercase();
        for banned in [
            "150 000", // 323-3 penalty: current amount unverified
            "5 ans d'emprisonnement",
            "6 décembre 2019", // Conseil d'État date unverified
            "c-136/17",        // content not read
            "viamedis a été sanctionn",
            "peut être changé après",
        ] {
            assert!(!lower.contains(banned), "found {banned:?}");
        }
    }
}
