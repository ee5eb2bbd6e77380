//! The art. 34 notice (`fuitecheck-publish notice`): a snapshot for every
//! breach of the catalogue and of the demo publication (French then
//! English), the elements art. 34(2) requires, DOMAIN.md §8's review rules,
//! and the refusal of missing controller details.
//!
//! Snapshots live in `tests/snapshots/notice__*.snap`; review changes with
//! `cargo insta review` (or `INSTA_UPDATE=always` and the diff).
// A test reports failure by panicking: unwrap/expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fuitecheck_core::catalogue::{Breach, Catalogue, Lang};
use fuitecheck_core::category::Category;
use fuitecheck_rights::notice::{
    self, Block, Format, Notice, NoticeDetails, NoticeError, Problem, PublicationInfo, SectionId,
    Source,
};
use jiff::civil::date;

const DETAILS: &str = r#"
controller = "Organisme Exemple"
date = "2026-12-04"
discovered = "2026-11-20"
cnil_notified = "2026-11-22"
dpo_email = "dpo@organisme-exemple.fr"
dpo_postal_address = "Délégué à la protection des données\n1 place de l'Exemple\n75001 Paris"
publication_url = "https://fuitecheck.organisme-exemple.fr/"
public_key_url = "https://www.organisme-exemple.fr/fuitecheck.pub"

[contact]
fr = "une ligne d'écoute gratuite au 0 800 000 000, du lundi au vendredi de 9 h à 18 h"
en = "a free helpline on +33 800 000 000, Monday to Friday, 9 am to 6 pm"

[measures_taken]
fr = ["Nous avons coupé l'accès utilisé par l'attaquant et changé tous les mots de passe des comptes de service.", "Nous avons déposé plainte auprès du procureur de la République."]
en = ["We closed the access the attacker used and changed every service-account password.", "We filed a criminal complaint with the public prosecutor."]

[measures_proposed]
fr = ["Une ligne d'écoute dédiée pour répondre à vos questions."]
en = ["A dedicated helpline to answer your questions."]
"#;

fn details() -> NoticeDetails {
    NoticeDetails::from_toml(DETAILS).unwrap()
}

fn publication() -> PublicationInfo {
    PublicationInfo {
        publisher: "Organisme Exemple".into(),
        key_id: "0123456789ABCDEF".into(),
        demo: false,
    }
}

fn demo_breaches() -> Vec<Breach> {
    Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
        .unwrap()
        .breaches
}

fn all_breaches() -> Vec<Breach> {
    let mut v = Catalogue::embedded().breaches;
    v.extend(demo_breaches());
    assert!(v.len() >= 14);
    v
}

fn both(b: &Breach) -> Vec<Notice> {
    notice::build(
        b,
        &publication(),
        &details(),
        &[Lang::Fr, Lang::En],
        date(2026, 12, 1),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", b.id))
}

fn text(n: &Notice) -> String {
    n.to_text()
}

#[test]
fn templates_are_valid() {
    notice::validate().unwrap();
}

#[test]
fn a_notice_for_every_breach() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for b in all_breaches() {
            let out = String::from_utf8(notice::render(&both(&b), Format::Txt)).unwrap();
            insta::assert_snapshot!(format!("notice__{}", b.id), out);
        }
    });
}

/// Art. 34(2): the nature of the breach, the DPO's contact, the likely
/// consequences and the measures taken or proposed, in each language, each
/// section sourced.
#[test]
fn every_element_of_article_34_2_is_present() {
    for b in all_breaches() {
        for n in both(&b) {
            let ids: Vec<SectionId> = n.sections.iter().map(|s| s.id).collect();
            assert_eq!(ids, SectionId::ALL, "{}", b.id);
            let section = |id| n.sections.iter().find(|s| s.id == id).unwrap();
            let body = |id| {
                section(id)
                    .blocks
                    .iter()
                    .map(|bl| match bl {
                        Block::Para(p) => p.clone(),
                        Block::List(l) => l.join("\n"),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            // Nature: the catalogue's account and its dates.
            let nature = body(SectionId::Nature);
            assert!(nature.contains(b.description.get(n.lang)), "{}", b.id);
            assert!(nature.contains(&b.organisation));
            // DPO contact.
            assert!(body(SectionId::Contact).contains("dpo@organisme-exemple.fr"));
            // Likely consequences: one item per category, with its risk.
            let consequences = body(SectionId::Consequences);
            for c in &b.categories {
                let risk = fuitecheck_rights::risks::category_risk(*c, n.lang);
                assert!(!risk.is_empty());
                assert!(consequences.contains(risk), "{} {c}", b.id);
            }
            // Measures taken (the controller's) and proposed, and the
            // person's own protective measures.
            let d = details();
            let taken = d.measures_taken.as_ref().unwrap();
            let first = match n.lang {
                Lang::Fr => &taken.fr[0],
                Lang::En => &taken.en[0],
            };
            assert!(body(SectionId::MeasuresTaken).contains(first.as_str()));
            let protect = body(SectionId::Protect);
            for c in &b.categories {
                assert!(protect.contains(fuitecheck_rights::risks::category_action(*c, n.lang)));
            }
            // Checking privately, and the rights.
            let check = body(SectionId::Check);
            assert!(check.contains("https://fuitecheck.organisme-exemple.fr/"));
            assert!(check.contains("0123456789ABCDEF"));
            let rights = body(SectionId::Rights);
            assert!(rights.contains("15") && rights.contains("77") && rights.contains("CNIL"));
            // Every section and the opening are sourced; art. 34 is cited.
            assert!(n.sections.iter().all(|s| !s.sources.is_empty()));
            assert!(n.intro.contains("34"));
            assert!(
                n.intro_sources
                    .contains(&Source::Url(notice::GDPR_URL.to_owned()))
            );
        }
    }
}

/// DOMAIN.md §8: no placeholder or "à vérifier"; legal statements cite
/// official texts; "not exposed" only in the conditional; no claim that
/// the CNIL can confirm or compensate, or that the NIR can be changed.
#[test]
fn notices_pass_the_legal_review_rules() {
    let official = [
        "https://eur-lex.europa.eu/",
        "https://www.cnil.fr/",
        "https://www.legifrance.gouv.fr/",
        "https://www.service-public.fr/",
    ];
    for b in all_breaches() {
        for n in both(&b) {
            let t = text(&n);
            let lower = t.to_lowercase();
            for bad in [
                "{",
                "}",
                "à vérifier",
                "to be checked",
                "todo",
                "xxx",
                "[à",
                "unverified",
            ] {
                assert!(!lower.contains(bad), "{}: `{bad}` in\n{t}", b.id);
            }
            for s in n
                .sections
                .iter()
                .filter(|s| s.id == SectionId::Rights)
                .flat_map(|s| &s.sources)
                .chain(&n.intro_sources)
            {
                let Source::Url(u) = s else {
                    panic!("{}: a legal statement sourced by {s:?}", b.id)
                };
                assert!(official.iter().any(|o| u.starts_with(o)), "{u}");
            }
            if !b.reportedly_not_exposed.is_empty() {
                match n.lang {
                    Lang::Fr => assert!(t.contains("n'auraient pas été touchées"), "{}", b.id),
                    Lang::En => assert!(t.contains("reportedly not affected"), "{}", b.id),
                }
            }
            for bad in [
                "la cnil peut confirmer",
                "the cnil can confirm",
                "la cnil peut obtenir",
                "the cnil can obtain",
                "la cnil vous indemnise",
                "peut être changé",
                "can be changed",
            ] {
                assert!(!lower.contains(bad), "{}: `{bad}`", b.id);
            }
            if b.categories.contains(&Category::Nir) {
                assert!(
                    lower.contains("ne peut pas être changé")
                        || lower.contains("cannot be changed")
                );
            }
            // Every URL cited is listed once in the references.
            let refs = n.references();
            let mut sorted = refs.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), refs.len());
            for (i, r) in refs.iter().enumerate() {
                assert!(t.contains(&format!("[{}] {r}", i + 1)));
            }
        }
    }
}

fn problems(e: NoticeError) -> Vec<String> {
    match e {
        NoticeError::Incomplete(p) => p.iter().map(Problem::to_string).collect(),
        other => panic!("expected Incomplete, got {other}"),
    }
}

#[test]
fn missing_controller_details_are_listed_and_nothing_is_written() {
    let cat = Catalogue::embedded();
    // Viamedis/Almerys: no controller in the catalogue (two operators and
    // many insurers), so the details must name it and its DPO.
    let b = cat.get("viamedis-almerys-2024").unwrap();
    assert!(b.controller.is_none());
    let empty = NoticeDetails::default();
    let e = notice::build(
        b,
        &publication(),
        &empty,
        &[Lang::Fr, Lang::En],
        date(2026, 12, 1),
    )
    .unwrap_err();
    let shown = e.to_string();
    let p = problems(e);
    assert_eq!(p.len(), 4, "{p:?}");
    for field in [
        "`controller`",
        "`dpo_email`",
        "`publication_url`",
        "`measures_taken`",
    ] {
        assert!(p.iter().any(|x| x.starts_with(field)), "{field} in {p:?}");
        assert!(shown.contains(field));
    }

    // The demo laboratory has a controller and a DPO e-mail in the
    // catalogue: only what the catalogue cannot know is asked.
    let demo = demo_breaches();
    let lab = demo
        .iter()
        .find(|b| b.id == "demo-laboratoire-fictif")
        .unwrap();
    let p = problems(
        notice::build(lab, &publication(), &empty, &[Lang::Fr], date(2026, 12, 1)).unwrap_err(),
    );
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with("`publication_url`") && p[1].starts_with("`measures_taken`"));

    // A list given in French only, for a notice in both languages.
    let mut d = details();
    d.measures_taken.as_mut().unwrap().en.clear();
    d.contact.as_mut().unwrap().en = None;
    let p = problems(
        notice::build(
            lab,
            &publication(),
            &d,
            &[Lang::Fr, Lang::En],
            date(2026, 12, 1),
        )
        .unwrap_err(),
    );
    assert_eq!(
        p,
        [
            "`contact.en` is missing (the notice is asked in that language)",
            "`measures_taken.en` is missing (the notice is asked in that language)"
        ]
    );
    // ... which is enough for a French-only notice.
    assert!(notice::build(lab, &publication(), &d, &[Lang::Fr], date(2026, 12, 1)).is_ok());

    // Placeholders, bad addresses and dates, unknown categories: refused.
    let mut d = details();
    d.measures_taken.as_mut().unwrap().fr[0] = "TODO: décrire les mesures".into();
    d.publication_url = Some("http://insecure.example/".into());
    d.dpo_email = Some("pas une adresse".into());
    d.date = Some("4 décembre".into());
    d.record_categories = Some(vec![
        "nir".into(),
        "bank_details".into(),
        "shoe_size".into(),
    ]);
    let p = problems(
        notice::build(
            lab,
            &publication(),
            &d,
            &[Lang::Fr, Lang::En],
            date(2026, 12, 1),
        )
        .unwrap_err(),
    );
    let joined = p.join("\n");
    for needle in [
        "`measures_taken`: looks like a placeholder",
        "`publication_url`: must be an https:// address",
        "`dpo_email`: `pas une adresse` is not an e-mail address",
        "`date`: `4 décembre` is not a date",
        "`bank_details` is not among the breach's categories",
        "`shoe_size` is not a category id",
    ] {
        assert!(joined.contains(needle), "{needle} in\n{joined}");
    }

    // Unknown fields in the details file are refused (typos).
    assert!(matches!(
        NoticeDetails::from_toml("controler = \"X\""),
        Err(NoticeError::Details(_))
    ));
}

#[test]
fn per_record_categories_narrow_the_notice() {
    let demo = demo_breaches();
    let lab = demo
        .iter()
        .find(|b| b.id == "demo-laboratoire-fictif")
        .unwrap();
    let mut d = details();
    d.record_categories = Some(vec![
        "identity".into(),
        "nir".into(),
        "medical_results".into(),
    ]);
    let n = &notice::build(lab, &publication(), &d, &[Lang::Fr], date(2026, 12, 1)).unwrap()[0];
    let t = text(n);
    assert!(t.contains("D'après nos dossiers, les données vous concernant"));
    assert!(t.contains(Category::MedicalResults.label_fr()));
    assert!(!t.contains(Category::BloodGroup.label_fr()), "{t}");
    assert!(!t.contains(fuitecheck_rights::risks::category_risk(
        Category::Credentials,
        Lang::Fr
    )));
    let data = n.sections.iter().find(|s| s.id == SectionId::Data).unwrap();
    assert!(data.sources.contains(&Source::Controller));
}

#[test]
fn html_is_escaped_and_pdf_renders() {
    let demo = demo_breaches();
    let b = &demo[1];
    let mut d = details();
    d.measures_taken.as_mut().unwrap().fr[0] = "Accès <script> fermé & journalisé".into();
    let notices = notice::build(
        b,
        &publication(),
        &d,
        &[Lang::Fr, Lang::En],
        date(2026, 12, 1),
    )
    .unwrap();
    let html = String::from_utf8(notice::render(&notices, Format::Html)).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Accès &lt;script&gt; fermé &amp; journalisé"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("<article lang=\"fr\">") && html.contains("<article lang=\"en\">"));
    let pdf = notice::render(&notices, Format::Pdf);
    assert!(pdf.starts_with(b"%PDF"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(doc.get_pages().len() >= 2);
}
