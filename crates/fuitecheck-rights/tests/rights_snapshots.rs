//! Snapshots of every draft (every kind × every catalogue breach × FR/EN)
//! and of the guidance, so that any change to a letter is reviewed; and a
//! check that nothing shown to a citizen carries a placeholder or an
//! "à vérifier".
//!
//! Snapshots live in `tests/snapshots/`. Under CI (`CI=true`) insta never
//! writes a new snapshot: a missing or different one fails the test. To
//! review changes locally: `cargo insta review` (or `INSTA_UPDATE=always`
//! and read the diff).

use fuitecheck_core::catalogue::{Breach, Catalogue, Lang};
use fuitecheck_rights::{self as rights, DraftKind, Recipient, UrlShows, UserDetails, draft};
use jiff::civil::date;

/// A person who was not found in a publication, who sent an access
/// request by registered post (received two days later) and got no answer.
fn person(b: &Breach) -> UserDetails {
    UserDetails {
        full_name: "Camille Martin".into(),
        postal_address: "8 rue des Lilas\n56000 Vannes".into(),
        email: Some("camille.martin@example.org".into()),
        place: Some("Vannes".into()),
        letter_date: Some(date(2026, 12, 1)),
        matched: false,
        recipient: b.controller.is_none().then(|| Recipient {
            name: "Organisme Exemple".into(),
            postal_address: Some("1 place de l'Exemple\n75001 Paris".into()),
            email: None,
        }),
        request_date: Some(date(2026, 10, 12)),
        request_received: Some(date(2026, 10, 14)),
        urls: vec!["https://exemple.invalid/page".into()],
        url_shows: vec![UrlShows {
            health: false,
            nir: true,
        }],
        recommande: true,
        harm: Some("une inquiétude réelle et des démarches répétées.".into()),
        ..Default::default()
    }
}

fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

#[test]
fn every_draft_for_every_breach() {
    let cat = Catalogue::embedded();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for b in &cat.breaches {
            for &kind in DraftKind::ALL {
                for lang in [Lang::Fr, Lang::En] {
                    let d = draft(kind, b, &person(b), lang);
                    let name = format!("{}__{}__{}", b.id, kind.key(), lang_key(lang));
                    insta::assert_snapshot!(name, d.to_text());
                }
            }
        }
    });
}

#[test]
fn guidance_for_every_breach() {
    let cat = Catalogue::embedded();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for b in &cat.breaches {
            for lang in [Lang::Fr, Lang::En] {
                let steps = rights::guidance(&[b], &[], lang);
                let name = format!("{}__guidance__{}", b.id, lang_key(lang));
                insta::assert_snapshot!(name, rights::guidance::steps_to_text(&steps, lang));
            }
        }
    });
}

/// Every text a citizen can read: letters with their explanations, the
/// guidance, and the catalogue's own texts.
fn citizen_texts() -> Vec<(String, String)> {
    let cat = Catalogue::embedded();
    let mut out = Vec::new();
    for b in &cat.breaches {
        for lang in [Lang::Fr, Lang::En] {
            for &kind in DraftKind::ALL {
                for matched in [false, true] {
                    let mut u = person(b);
                    u.matched = matched;
                    let d = draft(kind, b, &u, lang);
                    out.push((format!("{} {:?} {lang:?}", b.id, kind), d.to_text()));
                    // A person who gave nothing yet: blanks, never markers.
                    let empty = draft(kind, b, &UserDetails::default(), lang);
                    out.push((
                        format!("{} {:?} {lang:?} empty", b.id, kind),
                        empty.to_text(),
                    ));
                }
            }
            let steps = rights::guidance(&[b], &[], lang);
            out.push((
                format!("{} guidance {lang:?}", b.id),
                rights::guidance::steps_to_text(&steps, lang),
            ));
            let mut text = format!("{}\n{}\n", b.title.get(lang), b.description.get(lang));
            for t in [&b.who_is_concerned, &b.who_to_ask].into_iter().flatten() {
                text.push_str(t.get(lang));
            }
            for q in &b.assessment {
                text.push_str(q.text.get(lang));
            }
            out.push((format!("{} catalogue {lang:?}", b.id), text));
        }
    }
    out
}

#[test]
fn no_citizen_text_has_markers_or_unverified_flags() {
    let texts = citizen_texts();
    assert!(texts.len() > 500, "{}", texts.len());
    for (ctx, text) in &texts {
        let lower = text.to_lowercase();
        for banned in [
            "à vérifier",
            "a verifier",
            "à faire confirmer",
            "to be checked",
            "unverified",
            "todo",
            "fixme",
            "{",
            "}",
        ] {
            assert!(
                !lower.contains(banned),
                "{ctx}: contains {banned:?}:\n{text}"
            );
        }
    }
}
