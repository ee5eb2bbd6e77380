//! Drafts: every kind renders for every breach, cites its articles, exports.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]
// See: issue 5 (rights and guided drafting).

use fuitecheck_core::catalogue::{Breach, Catalogue, Lang};
use fuitecheck_rights::{self as rights, DraftKind, Recipient, UserDetails, draft};
use jiff::civil::date;

fn all_breaches() -> Vec<Breach> {
    let mut v = Catalogue::embedded().breaches;
    v.extend(
        Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
            .unwrap()
            .breaches,
    );
    v
}

fn full_user(matched: bool) -> UserDetails {
    UserDetails {
        full_name: "Camille Lefèvre-Dupré".into(),
        postal_address: "12 rue de l'Église\n35000 Rennes".into(),
        email: Some("camille@example.org".into()),
        place: Some("Rennes".into()),
        letter_date: Some(date(2026, 3, 2)),
        matched,
        client_ref: Some("ADH-42".into()),
        recipient: Some(Recipient {
            name: "Mutuelle Œcuménique des Îles".into(),
            postal_address: Some("3 place du Général\n75001 Paris".into()),
            email: Some("dpo@mutuelle.example".into()),
        }),
        recipient_siren: Some("123 456 789".into()),
        request_date: Some(date(2026, 1, 29)),
        request_received: Some(date(2026, 1, 31)),
        answer_date: None,
        answer_problem: Some("la liste des destinataires manque".into()),
        urls: vec![
            "https://exemple.invalid/fuite/page?x=1&y=%C3%A9".into(),
            "https://exemple.invalid/deux".into(),
        ],
        url_shows: vec![
            rights::UrlShows {
                health: true,
                nir: true,
            },
            rights::UrlShows::default(),
        ],
        recommande: true,
        extension_date: None,
        erasure: true,
        objection: true,
        objection_reason: None,
        misuse_facts: Some("des SMS frauduleux au nom de l'Assurance Maladie".into()),
        identity_theft: true,
        harm: Some("une inquiétude réelle et des démarches répétées.".into()),
        amount_eur: Some("500".into()),
        court_city: Some("Rennes".into()),
        categories: Vec::new(),
    }
}

#[test]
fn every_kind_renders_for_every_breach_without_placeholders() {
    for b in &all_breaches() {
        for &kind in DraftKind::ALL {
            for lang in [Lang::Fr, Lang::En] {
                for matched in [false, true] {
                    let d = draft(kind, b, &full_user(matched), lang);
                    let ctx = format!("{} {:?} {lang:?} matched={matched}", b.id, kind);
                    assert!(!d.body.is_empty(), "{ctx}");
                    assert!(!d.title.is_empty(), "{ctx}");
                    assert!(
                        !d.body.contains('{') && !d.body.contains('}'),
                        "{ctx}: {}",
                        d.body
                    );
                    assert!(!d.body.contains(rights::draft::BLANK), "{ctx}: {}", d.body);
                    assert!(d.missing.is_empty(), "{ctx}: {:?}", d.missing);
                    assert!(d.body.contains("Camille Lefèvre-Dupré"), "{ctx}");
                    assert!(d.body.contains(&b.title.fr), "{ctx}");
                    // Each draft cites the articles it relies on.
                    assert!(!d.cites.is_empty(), "{ctx}");
                    for c in &d.cites {
                        if c.label.starts_with("Enquête") {
                            continue;
                        }
                        assert!(
                            d.body.contains(&c.label),
                            "{ctx}: body does not cite {}",
                            c.label
                        );
                        assert!(c.url.starts_with("http"), "{ctx}");
                    }
                    for n in &d.notes {
                        assert!(!n.sources.is_empty(), "{ctx}: note {} has no source", n.id);
                    }
                    assert!(
                        !d.send_hint.is_empty() && !d.recommande_hint.is_empty(),
                        "{ctx}"
                    );
                    let text = d.to_text();
                    assert!(text.contains(&d.body), "{ctx}");
                }
            }
        }
    }
}

#[test]
fn letters_are_french_and_explanations_follow_the_language() {
    let cat = Catalogue::embedded();
    let b = cat.get("viamedis-almerys-2024").unwrap();
    let fr = draft(DraftKind::Access, b, &full_user(false), Lang::Fr);
    let en = draft(DraftKind::Access, b, &full_user(false), Lang::En);
    assert_eq!(fr.body, en.body);
    assert_ne!(fr.title, en.title);
    assert!(en.body.contains("Madame, Monsieur"));
    assert!(en.to_text().contains("Good to know"));
}

#[test]
fn access_letter_content() {
    let cat = Catalogue::embedded();
    let b = cat.get("laboratoires-dedalus-2021").unwrap();
    let d = draft(DraftKind::Access, b, &full_user(false), Lang::Fr);
    for needle in [
        "article 15",
        "article 34",
        "article 17",
        "article 21",
        "article 12, paragraphe 3",
        "délai d'un mois",
        "prolongé de deux mois",
        "gratuite",
        "Référence : ADH-42",
        "camille@example.org",
        "numéro de sécurité sociale (NIR)",
        "À Rennes, le 2 mars 2026",
        "Lettre recommandée avec avis de réception",
        "Je pense pouvoir être concerné(e)",
    ] {
        assert!(d.body.contains(needle), "missing {needle:?} in\n{}", d.body);
    }
    // Optional parts go away when not asked for.
    let mut u = full_user(true);
    u.erasure = false;
    u.objection = false;
    let d = draft(DraftKind::Access, b, &u, Lang::Fr);
    assert!(!d.body.contains("article 17") && !d.body.contains("article 21"));
    assert!(d.body.contains("je figure parmi les personnes touchées"));
    // The Dedalus note says to write to the laboratory.
    assert!(d.notes.iter().any(|n| n.id == "controller_is_lab"));
}

#[test]
fn recipient_comes_from_the_catalogue_or_is_asked_for() {
    let demo = Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let b = demo.get(fuitecheck_core::demo::LAB).unwrap();
    let user = UserDetails {
        full_name: "Camille".into(),
        postal_address: "1 rue A\n00000 B".into(),
        ..Default::default()
    };
    let d = draft(DraftKind::Access, b, &user, Lang::Fr);
    let r = d.recipient.as_ref().unwrap();
    assert!(r.name.contains("Laboratoire Fictif"));
    assert!(d.body.contains("1 rue de l'Exemple"));
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    let mailto = d.mailto().unwrap();
    assert!(mailto.starts_with("mailto:dpo@laboratoire-fictif.invalid?subject="));
    assert!(mailto.contains("%0D%0A"), "line breaks are CRLF-encoded");
    assert!(!mailto.contains(' ') && !mailto.contains('\n'));
    assert!(mailto.contains("%C3%A9"), "UTF-8 is percent-encoded");

    // Real catalogue: Viamedis has no single controller -> ask, with a hint.
    let cat = Catalogue::embedded();
    let v = cat.get("viamedis-almerys-2024").unwrap();
    let d = draft(DraftKind::Access, v, &user, Lang::En);
    assert!(d.recipient.is_none());
    assert!(d.recipient_hint.as_deref().unwrap().contains("insurer"));
    assert!(d.missing.contains(&rights::Field::RecipientName));
    assert!(d.body.contains(rights::draft::BLANK));
    assert!(d.mailto().is_none());
    // No mailto for drafts that do not go to the organisation.
    let demo_user = full_user(true);
    assert!(
        draft(DraftKind::Police, b, &demo_user, Lang::Fr)
            .mailto()
            .is_none()
    );
    assert!(
        draft(DraftKind::Dereference, b, &demo_user, Lang::Fr)
            .mailto()
            .is_none()
    );
}

#[test]
fn cnil_complaint_has_chronology_attachments_and_prerequisites() {
    let cat = Catalogue::embedded();
    let b = cat.get("viamedis-almerys-2024").unwrap();
    let d = draft(DraftKind::Cnil, b, &full_user(false), Lang::Fr);
    assert!(d.body.contains("Chronologie"));
    assert!(
        d.body
            .contains("29 janvier 2026 : envoi de ma demande d'accès")
    );
    // Received 31 January: one month later is 28 February 2026, a
    // Saturday, so the period ends on Monday 2 March (Reg. 1182/71). The
    // letter is dated 2 March: the deadline has not expired yet.
    assert!(d.body.contains("expire le 2 mars 2026"), "{}", d.body);
    assert!(!d.body.contains("a expiré"), "{}", d.body);
    assert!(d.body.contains("aucune réponse"));
    // First-person attachments, the avis de réception since it is known.
    assert!(
        d.body
            .contains("- La copie de ma demande d'accès à l'organisme")
    );
    assert!(d.body.contains("- L'avis de réception de ma demande"));
    assert!(!d.body.contains("votre demande"), "{}", d.body);
    // The day after: expired.
    let mut u = full_user(false);
    u.letter_date = Some(date(2026, 3, 3));
    let late = draft(DraftKind::Cnil, b, &u, Lang::Fr);
    assert!(
        late.body.contains("a expiré le 2 mars 2026"),
        "{}",
        late.body
    );
    // An extension announced within the first month: three months.
    u.extension_date = Some(date(2026, 2, 20));
    let ext = draft(DraftKind::Cnil, b, &u, Lang::Fr);
    assert!(
        ext.body.contains("prolongation de deux mois"),
        "{}",
        ext.body
    );
    assert!(ext.body.contains("expire le 30 avril 2026"), "{}", ext.body);
    assert!(
        ext.body
            .contains("Le message de l'organisme annonçant une prolongation")
    );
    // Announced after the first month: it does not extend the deadline.
    u.extension_date = Some(date(2026, 3, 3));
    u.letter_date = Some(date(2026, 3, 4));
    let lt = draft(DraftKind::Cnil, b, &u, Lang::Fr);
    assert!(
        lt.body.contains("plus d'un mois après la réception"),
        "{}",
        lt.body
    );
    assert!(lt.body.contains("a expiré le 2 mars 2026"), "{}", lt.body);
    // No avis de réception: estimated, and said so.
    let mut u = full_user(false);
    u.request_received = None;
    let est = draft(DraftKind::Cnil, b, &u, Lang::Fr);
    assert!(est.body.contains("sont estimées"), "{}", est.body);
    assert!(est.body.contains("date estimée"), "{}", est.body);
    assert!(!est.body.contains("L'avis de réception de ma demande"));
    assert!(d.body.contains("SIREN de l'organisme : 123 456 789"));
    assert!(d.body.contains("Pièces jointes"));
    assert!(!d.attachments.is_empty() && !d.prerequisites.is_empty());
    assert!(d.links.iter().any(|l| l.url.contains("cnil.fr")));
    let mut u = full_user(false);
    u.answer_date = Some(date(2026, 2, 20));
    let d = draft(DraftKind::Cnil, b, &u, Lang::En);
    assert!(d.body.contains("20 février 2026"));
    assert!(d.body.contains("la liste des destinataires manque"));
}

#[test]
fn police_letter_names_offences_and_channels() {
    let cat = Catalogue::embedded();
    let b = cat.get("viamedis-almerys-2024").unwrap();
    let d = draft(DraftKind::Police, b, &full_user(false), Lang::Fr);
    for needle in [
        "Procureur de la République",
        "Tribunal judiciaire de Rennes",
        "plainte contre X",
        "323-3",
        "226-18",
        "recel",
        "usurpation d'identité",
        "parquet de Paris",
        "Lettre recommandée avec avis de réception",
        "Le 29 janvier 2026, j'ai interrogé l'organisme",
        "la fuite a porté notamment sur",
    ] {
        assert!(d.body.contains(needle), "missing {needle:?}");
    }
    // Only verified article numbers (226-4-1 and 321-1 were not).
    assert!(!d.body.contains("321-1") && !d.body.contains("226-4-1"));
    // Without a court chosen, Paris, whose prosecutor investigates.
    let mut u = full_user(false);
    u.court_city = None;
    u.recommande = false;
    u.request_date = None;
    let dp = draft(DraftKind::Police, b, &u, Lang::Fr);
    assert!(
        dp.body.contains("Tribunal judiciaire de Paris"),
        "{}",
        dp.body
    );
    assert!(!dp.body.contains("Lettre recommandée"));
    assert!(!dp.body.contains("j'ai interrogé"), "{}", dp.body);
    // No known inquiry: the person must name the court.
    let pole = cat.get("pole-emploi-majorel-2023").unwrap();
    let dp = draft(DraftKind::Police, pole, &u, Lang::Fr);
    assert!(dp.missing.contains(&rights::Field::CourtCity));
    let chsf = cat.get("ch-sud-francilien-2022").unwrap();
    let dp = draft(DraftKind::Police, chsf, &u, Lang::Fr);
    assert!(dp.body.contains("Tribunal judiciaire de Paris"));
    assert!(d.notes.iter().any(|n| n.text.contains("THESEE")));
    assert!(
        d.notes
            .iter()
            .any(|n| n.text.contains("BL2C_lettre_plainte"))
    );
    let mut u = full_user(false);
    u.identity_theft = false;
    let d = draft(DraftKind::Police, b, &u, Lang::Fr);
    assert!(!d.body.contains("usurpation d'identité"));
}

#[test]
fn dereference_lists_urls_and_forms() {
    let cat = Catalogue::embedded();
    let b = cat.get("laboratoires-dedalus-2021").unwrap();
    let d = draft(DraftKind::Dereference, b, &full_user(false), Lang::Fr);
    assert!(d.body.contains("C-131/12"));
    // Per page, only what the person ticked.
    assert!(d.body.contains(
        "- https://exemple.invalid/fuite/page?x=1&y=%C3%A9 : cette page fait apparaître des données relatives à ma santé et mon numéro de sécurité sociale"
    ));
    assert!(
        d.body.contains("- https://exemple.invalid/deux\n"),
        "{}",
        d.body
    );
    assert!(!d.body.contains("résidant"));
    let mut u = full_user(false);
    u.url_shows.clear();
    let plain = draft(DraftKind::Dereference, b, &u, Lang::Fr);
    assert!(
        !plain
            .body
            .contains("fait apparaître des données relatives à ma santé")
    );
    assert!(!plain.body.contains("fait apparaître mon numéro"));
    assert!(d.links.iter().any(|l| l.url.contains("bing.com")));
    assert!(d.links.iter().any(|l| l.url.contains("google.com")));
    assert!(d.notes.iter().any(|n| n.id == "if_refused"));
    let mut u = full_user(false);
    u.urls.clear();
    let d = draft(DraftKind::Dereference, b, &u, Lang::Fr);
    assert_eq!(d.missing, vec![rights::Field::Urls]);
}

#[test]
fn compensation_cites_the_cjeu_and_estimates_nothing() {
    let cat = Catalogue::embedded();
    let b = cat.get("france-travail-2024").unwrap();
    let mut u = full_user(false);
    u.amount_eur = None;
    let d = draft(DraftKind::Compensation, b, &u, Lang::Fr);
    assert!(
        d.body.contains("C-300/21") && d.body.contains("C-340/21") && d.body.contains("article 82")
    );
    assert!(!d.body.contains("euros"));
    // The claim goes to the legal representative, not the DPO.
    assert!(d.body.contains("À l'attention de son représentant légal"));
    assert!(!d.body.contains("délégué à la protection des données"));
    assert!(d.body.contains("dès lors que cette crainte est fondée"));
    u.harm = None;
    let d = draft(DraftKind::Compensation, b, &u, Lang::Fr);
    assert!(d.missing.contains(&rights::Field::Harm));
    let c = draft(DraftKind::Collective, b, &full_user(false), Lang::En);
    assert!(c.body.contains("article 80"));
}

#[test]
fn pdf_parses_and_contains_the_text() {
    let cat = Catalogue::embedded();
    let b = cat.get("laboratoires-dedalus-2021").unwrap();
    let d = draft(DraftKind::Access, b, &full_user(false), Lang::Fr);
    let pdf = d.to_pdf();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(dir) = std::env::var("FUITECHECK_PDF_OUT") {
        std::fs::write(format!("{dir}/access.pdf"), &pdf).unwrap();
    }
    let doc = lopdf::Document::load_mem(&pdf).expect("the PDF parses");
    let pages = doc.get_pages();
    assert!(!pages.is_empty());
    let numbers: Vec<u32> = pages.keys().copied().collect();
    let text = doc.extract_text(&numbers).expect("text extracts");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Camille Lefèvre-Dupré",
        "12 rue de l'Église",
        "Mutuelle Œcuménique des Îles",
        "article 15",
        "délai d'un mois",
        "À Rennes, le 2 mars 2026",
    ] {
        assert!(flat.contains(needle), "PDF text lacks {needle:?}:\n{flat}");
    }
}

#[test]
fn long_letters_span_pages_and_long_words_wrap() {
    let cat = Catalogue::embedded();
    let b = cat.get("laboratoires-dedalus-2021").unwrap();
    let mut u = full_user(false);
    u.urls = (0..80)
        .map(|i| format!("https://exemple.invalid/{i}/{}", "x".repeat(120)))
        .collect();
    let d = draft(DraftKind::Dereference, b, &u, Lang::Fr);
    let pdf = d.to_pdf();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(doc.get_pages().len() > 1);
}

#[test]
fn guide_text_lists_the_steps_in_order() {
    let cat = Catalogue::embedded();
    let b = cat.get("laboratoires-dedalus-2021").unwrap();
    let steps = rights::guidance(&[b], &[], Lang::Fr);
    let text = rights::steps_to_text(&steps, Lang::Fr);
    let first = text.find("1. Interroger").unwrap();
    let cnil = text.find("Saisir la CNIL").unwrap();
    assert!(first < cnil);
    assert!(text.contains("https://"));
}
