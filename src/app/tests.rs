//! GUI tests through AccessKit queries (egui_kittest, no GPU, no display).
//!
//! Every `run()` also checks that each input widget has an accessible name.

use std::collections::BTreeMap;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use super::FuiteCheckApp;
use super::state::{Screen, Services, Settings, SourceChoice};
use super::stay::Credentials;
use fuitecheck_core::demo::{self, DemoIdentity};

type H = Harness<'static, FuiteCheckApp>;

/// A fixed day: no test depends on the wall clock.
fn test_today() -> jiff::civil::Date {
    jiff::civil::date(2026, 3, 5)
}

/// Services that keep nothing: no credential store, no case-file path.
fn no_services() -> Services {
    Services {
        credentials: Credentials::unavailable("no credential store".to_owned()),
        dossier_path: None,
        today: test_today,
    }
}

fn harness(settings: Settings) -> H {
    harness_with(FuiteCheckApp::new(settings, no_services()))
}

/// Run `app` the way eframe does: `logic`, then the frame; start-up is the
/// explicit step it is in `run_native`.
fn harness_with(app: FuiteCheckApp) -> H {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 900.0))
        .with_max_steps(64)
        .build_ui_state(
            |ui, app: &mut FuiteCheckApp| {
                app.logic(ui.ctx());
                app.ui_root(ui);
            },
            app,
        );
    let ctx = h.ctx.clone();
    h.state_mut().start(&ctx);
    wait_idle(&mut h);
    h
}

/// An app whose credential store is a fresh in-memory mock, and whose case
/// file goes to `dir`.
fn app_with_mock_store(
    store: &std::sync::Arc<keyring_core::CredentialStore>,
    dir: &std::path::Path,
) -> FuiteCheckApp {
    FuiteCheckApp::new(
        Settings::default(),
        Services {
            credentials: Credentials::with_store(store.clone()),
            dossier_path: Some(dir.join("dossier.fcd")),
            today: test_today,
        },
    )
}

fn mock_store() -> std::sync::Arc<keyring_core::CredentialStore> {
    keyring_core::mock::Store::new().expect("mock store")
}

/// Step until no background work is left (bounded), then settle.
fn wait_idle(h: &mut H) {
    for _ in 0..1500 {
        h.step();
        if !h.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!h.state().is_busy(), "background work did not finish");
    h.run();
}

/// Whether some node shows `needle` (in its label or its value).
fn shows(h: &H, needle: &str) -> bool {
    h.query_all_by(|n| {
        n.label().is_some_and(|l| l.contains(needle))
            || n.value().is_some_and(|v| v.contains(needle))
    })
    .next()
    .is_some()
}

fn assert_shows(h: &H, needle: &str) {
    assert!(shows(h, needle), "expected to see {needle:?}");
}

/// Click a widget the way a screen reader or keyboard user does (an
/// AccessKit action), which also reaches widgets scrolled out of view.
fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run();
}

fn type_into(h: &mut H, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run();
}

fn go_to_identity(h: &mut H) {
    click(h, "Vérifier dans une liste");
    assert_eq!(h.state().runtime().screen, Screen::Identity);
}

fn fill_identity(h: &mut H, nir: &str, birth: &str, usage: Option<&str>) {
    type_into(h, "Numéro de sécurité sociale (NIR)", nir);
    type_into(h, "Nom de naissance", birth);
    if let Some(u) = usage {
        type_into(h, "Nom d'usage (facultatif)", u);
    }
}

fn check_button_enabled(h: &H) -> bool {
    !h.get_by_role_and_label(Role::Button, "Vérifier")
        .accesskit_node()
        .is_disabled()
}

/// Type a demo identity, run the check and wait for the results.
fn run_demo_check(h: &mut H, person: &DemoIdentity) {
    go_to_identity(h);
    let nir = person.nir();
    fill_identity(h, nir.as_str(), person.birth_name, person.usage_name);
    assert!(check_button_enabled(h), "valid input must enable the check");
    h.get_by_role_and_label(Role::Button, "Vérifier").click();
    h.step();
    wait_idle(h);
    assert_eq!(h.state().runtime().screen, Screen::Results);
}

/// An in-memory eframe storage, to inspect what `save` writes.
#[derive(Default)]
struct MemStorage(BTreeMap<String, String>);

impl eframe::Storage for MemStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn home_shows_demo_publication_and_privacy_promise() {
    let h = harness(Settings::default());
    assert_shows(&h, "Votre vie privée");
    assert_shows(
        &h,
        "Publiée par : FuiteCheck — publication de démonstration",
    );
    assert_shows(&h, "DONNÉES DE DÉMONSTRATION");
    assert_shows(&h, "Fuites couvertes : 2");
    // The demo sets keep 48 bits: the false-match odds are stated
    // (~300 + ~370 entries / 2^48 ≈ 1 in 420 billion).
    assert_shows(&h, "Empreintes abrégées");
    assert_shows(&h, "milliards d'y être trouvée par erreur");
}

#[test]
fn nir_typo_shows_precise_french_error_and_keeps_button_disabled() {
    let mut h = harness(Settings::default());
    go_to_identity(&mut h);
    // Le Goff's NIR with the last digit wrong (key 03 → 04).
    fill_identity(&mut h, "2 91 07 56 260 012 04", "Le Goff", None);
    assert_shows(&h, "La clé (les deux derniers chiffres) ne correspond pas");
    assert!(!check_button_enabled(&h));

    // A letter where a digit is expected.
    h.get_by_role_and_label(Role::Button, "Effacer").click();
    h.run();
    type_into(&mut h, "Numéro de sécurité sociale (NIR)", "18X");
    assert_shows(&h, "Caractère « X » invalide en position 3");
    assert!(!check_button_enabled(&h));
}

/// The decoder's typed warnings reach the identity screen in the text
/// layer's words (the same the CLI prints).
#[test]
fn nir_warnings_are_worded_by_the_text_layer() {
    let mut h = harness(Settings::default());
    go_to_identity(&mut h);
    let nir = fuitecheck_core::nir::Nir::parse_allow_body("8851578006084").unwrap();
    type_into(&mut h, "Numéro de sécurité sociale (NIR)", nir.as_str());
    let info = nir.decode();
    assert_eq!(info.warnings.len(), 2);
    // Masked, what the number says (warnings included) stays hidden.
    assert!(!shows(&h, "Mois 15 : valeur non documentée"));
    click(&mut h, "Afficher le numéro");
    for w in &info.warnings {
        assert_shows(
            &h,
            &crate::text::nir_warning(w, fuitecheck_core::catalogue::Lang::Fr),
        );
    }
    assert_shows(&h, "Mois 15 : valeur non documentée");
}

#[test]
fn valid_nir_is_grouped_and_decoded() {
    let mut h = harness(Settings::default());
    go_to_identity(&mut h);
    type_into(
        &mut h,
        "Numéro de sécurité sociale (NIR)",
        "291075626001203",
    );
    assert_eq!(
        h.state().screens().identity.form.nir.as_str(),
        "2 91 07 56 260 012 03"
    );
    // Masked, the field says the number is valid, not what it reveals.
    assert_shows(&h, "Numéro valide. Affichez-le pour voir ce qu'il indique");
    assert!(!shows(&h, "Morbihan"));
    assert!(!shows(&h, "juillet 1991"));
    click(&mut h, "Afficher le numéro");
    assert_shows(
        &h,
        "Ce numéro correspond à : Femme, née en juillet 1991, Morbihan",
    );
    // No birth name yet: the button stays disabled.
    assert!(!check_button_enabled(&h));
}

#[test]
fn journey_lab_breach_with_health_data() {
    let mut h = harness(Settings::default());
    run_demo_check(&mut h, &demo::IDENTITIES[0]);
    assert_shows(
        &h,
        "Selon la liste publiée par FuiteCheck — publication de démonstration (personnes fictives), vous faites partie des personnes concernées par cette fuite.",
    );
    assert_shows(
        &h,
        "DÉMONSTRATION — fuite fictive d'un laboratoire d'analyses",
    );
    assert_shows(&h, "Résultat de démonstration");
    assert_shows(&h, "Cette fuite touche des informations de santé");
    assert_shows(&h, "Vos données qui figuraient dans cette fuite");
    assert_shows(&h, "hameçonnages ciblés très crédibles au nom d'Ameli");
    // Act on it: the "Agir" screen opens with the breach pre-selected.
    click(&mut h, "Agir pour cette fuite");
    assert_eq!(h.state().runtime().screen, Screen::Act);
    assert_shows(&h, "1. Interroger l'organisme responsable");
    assert_shows(&h, "dpo@laboratoire-fictif.invalid");
}

#[test]
fn journey_tiers_payant_only() {
    let mut h = harness(Settings::default());
    run_demo_check(&mut h, &demo::IDENTITIES[1]);
    assert_shows(
        &h,
        "DÉMONSTRATION — attaque fictive d'un opérateur de tiers payant",
    );
    assert!(!shows(
        &h,
        "DÉMONSTRATION — fuite fictive d'un laboratoire d'analyses"
    ));
}

#[test]
fn journey_both_breaches() {
    let mut h = harness(Settings::default());
    run_demo_check(&mut h, &demo::IDENTITIES[2]);
    assert_shows(
        &h,
        "vous faites partie des personnes concernées par 2 fuite(s)",
    );
    assert_shows(
        &h,
        "DÉMONSTRATION — fuite fictive d'un laboratoire d'analyses",
    );
    assert_shows(
        &h,
        "DÉMONSTRATION — attaque fictive d'un opérateur de tiers payant",
    );
}

#[test]
fn journey_usage_name_only() {
    let mut h = harness(Settings::default());
    run_demo_check(&mut h, &demo::IDENTITIES[3]);
    assert_shows(&h, "Retrouvé(e) avec votre nom d'usage.");
    assert!(!shows(&h, "Retrouvé(e) avec votre nom de naissance."));
}

#[test]
fn journey_no_match_is_honest() {
    let mut h = harness(Settings::default());
    run_demo_check(&mut h, &demo::IDENTITIES[4]);
    assert_shows(&h, "Vous ne figurez pas dans la liste publiée par");
    assert_shows(
        &h,
        "ce n'est pas la preuve que vos données n'ont jamais fuité",
    );
    assert!(!shows(&h, "vous faites partie des personnes concernées"));
}

#[test]
fn cancel_stops_the_check_and_keeps_nothing() {
    let mut h = harness(Settings::default());
    go_to_identity(&mut h);
    let person = &demo::IDENTITIES[0];
    fill_identity(&mut h, person.nir().as_str(), person.birth_name, None);
    h.get_by_role_and_label(Role::Button, "Vérifier").click();
    h.run_steps(2);
    assert_eq!(h.state().runtime().screen, Screen::Verify);
    assert!(h.state().runtime().is_checking());
    assert_shows(&h, "Empreinte pour votre nom de naissance");
    h.get_by_label("Annuler").click();
    h.run_steps(2);
    assert!(!h.state().runtime().is_checking());
    // Wait past the time the check would have taken: no result appears.
    std::thread::sleep(Duration::from_millis(600));
    h.run();
    assert_eq!(h.state().runtime().screen, Screen::Identity);
    assert!(h.state().runtime().outcome.is_none());
    assert_shows(&h, "Vérification annulée");
}

#[test]
fn assessment_gives_a_verdict_without_nir() {
    let mut h = harness(Settings::default());
    click(&mut h, "Suis-je concerné ?");
    let breach = h.state().runtime().catalogue.breaches[0].clone();
    h.get_all_by_label("Répondre aux questions")
        .next()
        .expect("a questions header")
        .click();
    h.run();
    let q0 = breach.assessment[0].text.fr.clone();
    h.get_by_label(&format!("{q0} — Oui")).click();
    h.run();
    assert_shows(&h, "Vous êtes peut-être concerné(e)");
    assert_shows(&h, "Prochaine étape : demandez à l'organisme");
    assert!(h.query_by_label("Voir comment agir").is_some());
    h.get_by_label(&format!("{q0} — Non")).click();
    h.run();
    // The real lab breach: "mostly" these départements, so "no" alone
    // rules nobody out (SPEC v1.1 §5)...
    assert_shows(&h, "Impossible de se prononcer avec ces réponses");
    // ...but no laboratory test at all in the period does.
    let q1 = breach.assessment[1].text.fr.clone();
    h.get_by_label(&format!("{q1} — Non")).click();
    h.run();
    assert_shows(&h, "Vous n'êtes probablement pas concerné(e)");
    assert!(h.query_by_label("Voir comment agir").is_none());
}

#[test]
fn language_switch_translates_the_interface() {
    let mut h = harness(Settings::default());
    click(&mut h, "English");
    assert_shows(&h, "Am I concerned?");
    assert_shows(&h, "Your privacy");
    assert_eq!(
        h.state().settings().lang,
        fuitecheck_core::catalogue::Lang::En
    );
    h.get_by_label("Check a published list").click();
    h.run();
    type_into(
        &mut h,
        "Social security number (NIR)",
        "2 91 07 56 260 012 04",
    );
    assert_shows(&h, "The key (last two digits) does not match");
}

#[test]
fn source_switch_to_a_folder_refuses_an_invalid_publication() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        publication_dir: Some(dir.path().to_path_buf()),
        ..Settings::default()
    };
    let mut h = harness(settings);
    click(&mut h, "Paramètres");
    click(
        &mut h,
        "Publication téléchargée (un dossier sur cet ordinateur)",
    );
    wait_idle(&mut h);
    assert_eq!(h.state().settings().source, SourceChoice::Directory);
    assert_shows(&h, "Publication refusée");
    click(&mut h, "Démonstration intégrée (personnes fictives)");
    wait_idle(&mut h);
    assert_shows(&h, "Publication vérifiée");
}

/// After a full journey, what eframe would save holds no NIR, no name and
/// no result; egui's own memory is not persisted at all.
#[test]
fn saved_state_never_holds_identity() {
    let mut h = harness(Settings::default());
    let person = &demo::IDENTITIES[3];
    run_demo_check(&mut h, person);
    // Fill the drafting form and the case file too.
    click(&mut h, "Agir pour cette fuite");
    type_into(&mut h, "Nom et prénom *", "Roseline Exemplaire");
    type_into(&mut h, "Adresse postale *", "12 impasse des Tilleuls");
    type_into(
        &mut h,
        "Adresse e-mail (pour la réponse, facultatif)",
        "roseline@example.invalid",
    );
    click(&mut h, "Demande envoyée");
    assert_shows(&h, "Roseline Exemplaire");
    let mut storage = MemStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    assert!(!eframe::App::persist_egui_memory(h.state()));
    assert!(!storage.0.is_empty());
    let nir = person.nir();
    let grouped = nir.grouped();
    let saved = storage.0.values().cloned().collect::<Vec<_>>().join("\n");
    let upper = saved.to_uppercase();
    for secret in [
        nir.as_str(),
        grouped.as_str(),
        &nir.as_str()[..13],
        "DUBOIS",
        "GARNIER",
        demo::TIERS_PAYANT,
        "Roseline",
        "Tilleuls",
        "example.invalid",
        "dossier",
    ] {
        assert!(
            !upper.contains(&secret.to_uppercase()),
            "saved state leaks {secret:?}"
        );
    }
}

#[test]
fn clear_wipes_the_fields() {
    let mut h = harness(Settings::default());
    go_to_identity(&mut h);
    fill_identity(&mut h, "2 91 07 56 260 012 03", "Le Goff", Some("Martin"));
    assert!(!h.state().screens().identity.form.is_empty());
    h.get_by_role_and_label(Role::Button, "Effacer").click();
    h.run();
    assert!(h.state().screens().identity.form.is_empty());
    assert_shows(&h, "Vos informations ont été effacées.");
}

#[test]
fn clear_after_check_option_wipes_the_identity() {
    let settings = Settings {
        clear_after_check: true,
        ..Settings::default()
    };
    let mut h = harness(settings);
    run_demo_check(&mut h, &demo::IDENTITIES[1]);
    assert!(h.state().screens().identity.form.is_empty());
}

#[test]
fn settings_json_round_trips_and_tolerates_unknown_fields() {
    let s = Settings {
        lang: fuitecheck_core::catalogue::Lang::En,
        ..Settings::default()
    };
    assert_eq!(Settings::from_json(&s.to_json()), s);
    let old = Settings::from_json(r#"{"lang":"En","future_field":1}"#);
    assert_eq!(old.lang, fuitecheck_core::catalogue::Lang::En);
    assert_eq!(Settings::from_json("not json"), Settings::default());
}

#[test]
fn online_source_reports_an_unreachable_service() {
    let settings = Settings {
        source: SourceChoice::Online,
        // A closed loopback port: refused at once, no real network.
        online_url: "http://127.0.0.1:9/".to_owned(),
        ..Settings::default()
    };
    let mut h = harness(settings);
    assert!(h.state().runtime().source.ready().is_none());
    click(&mut h, "Paramètres");
    assert_shows(&h, "Publication refusée");
    assert!(
        h.query_by_label("Adresse du service de l'organisme")
            .is_some()
    );
}

/// From a result, "Agir" shows the ordered steps and a guided access
/// request, prefilled from the breach, with a live preview; the case file
/// records the request and shows the next deadline; without a credential
/// store, saving says why it is unavailable.
#[test]
fn act_screen_drafts_the_access_request_and_follows_the_case() {
    let mut h = harness(Settings::default());
    run_demo_check(&mut h, &demo::IDENTITIES[0]);
    click(&mut h, "Agir pour cette fuite");
    assert_shows(&h, "Vos démarches, dans l'ordre");
    assert_shows(&h, "2. Vous protéger dès maintenant");
    assert_shows(&h, "Aperçu : ");
    assert_shows(&h, "article 15");
    assert_shows(&h, "À compléter");
    type_into(&mut h, "Nom et prénom *", "Camille Exemple");
    type_into(&mut h, "Adresse postale *", "1 rue des Lilas");
    assert_shows(&h, "Camille Exemple");
    assert!(h.query_by_label("Nom et prénom").is_some());
    assert!(h.query_by_label("Enregistrer en PDF").is_some());
    assert!(h.query_by_label("Enregistrer en texte").is_some());
    assert!(h.query_by_label("Copier").is_some());
    assert!(h.query_by_label("Envoyer par e-mail").is_some());
    assert_shows(&h, "recommandé avec avis de réception");
    // Other kinds have their own fields.
    click(&mut h, "Déréférencement");
    assert!(
        h.query_by_label("Adresses (URL) des pages où vos données apparaissent, une par ligne *")
            .is_some()
    );
    click(&mut h, "Demande d'accès à l'organisme");
    click(
        &mut h,
        "Demander aussi l'effacement de mes données (article 17)",
    );
    assert_shows(&h, "article 17");
    // The case file.
    assert_shows(&h, "Aucun délai en cours.");
    click(&mut h, "Demande envoyée");
    assert_shows(&h, "Prochaine échéance : ");
    assert_shows(&h, "Ensuite : ");
    assert!(h.query_by_label("Exporter les rappels (.ics)").is_some());
    assert_shows(
        &h,
        "Conservation impossible : le trousseau du système n'est pas disponible",
    );
    assert!(!h.state().runtime().dossier.keep);
}

/// Exports are written atomically to the chosen path.
#[test]
fn exports_write_pdf_and_text() {
    use super::worker::{ExportWhat, write_export};
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = fuitecheck_core::catalogue::Catalogue::embedded();
    let breach = &catalogue.breaches[0];
    let d = fuitecheck_rights::draft(
        fuitecheck_rights::DraftKind::Access,
        breach,
        &fuitecheck_rights::UserDetails::default(),
        fuitecheck_core::catalogue::Lang::Fr,
    );
    let pdf = dir.path().join("lettre.pdf");
    write_export(&pdf, &ExportWhat::Pdf(Box::new(d.clone()))).expect("pdf");
    assert!(std::fs::read(&pdf).expect("read").starts_with(b"%PDF"));
    let txt = dir.path().join("lettre.txt");
    write_export(&txt, &ExportWhat::Text(d.to_text())).expect("text");
    assert!(
        std::fs::read_to_string(&txt)
            .expect("read")
            .contains("article 15")
    );
}

/// With a credential store, the case file is saved only when asked,
/// encrypted, reopened at the next start, and erased (file and key).
#[test]
fn dossier_is_saved_encrypted_only_on_request_and_erased() {
    let store = mock_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dossier.fcd");
    let mut h = harness_with(app_with_mock_store(&store, dir.path()));
    click(&mut h, "Agir");
    let title = h.state().runtime().catalogue.breaches[0].title.fr.clone();
    click(&mut h, &format!("Préparer mes démarches : {title}"));
    click(&mut h, "Demande envoyée");
    assert!(!path.exists(), "nothing is saved without consent");
    click(&mut h, "Conserver mon dossier (chiffré)");
    wait_idle(&mut h);
    assert!(path.exists());
    assert_shows(&h, "Dossier enregistré, chiffré.");
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.starts_with(b"FCDOSSIER1"));
    assert!(!String::from_utf8_lossy(&bytes).contains("access_request_sent"));
    // Reopened at the next start.
    let h2 = harness_with(app_with_mock_store(&store, dir.path()));
    assert!(h2.state().runtime().dossier.keep);
    assert_eq!(h2.state().runtime().dossier.dossier.cases.len(), 1);
    drop(h2);
    click(&mut h, "Effacer mon dossier");
    wait_idle(&mut h);
    assert!(!path.exists());
    assert_shows(&h, "Dossier effacé (fichier et clé).");
    assert!(h.state().runtime().dossier.dossier.cases.is_empty());
}

/// "Rester informé(e)": with consent, only the keys go to the credential
/// store (under the publication's key id and salt); the next start
/// re-checks with them; "Re-vérifier" shows the results; "Oublier" deletes
/// them.
#[test]
fn stay_informed_keeps_keys_with_consent_and_rechecks() {
    let store = mock_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_with(app_with_mock_store(&store, dir.path()));
    let person = &demo::IDENTITIES[2];
    run_demo_check(&mut h, person);
    let entry = h
        .state()
        .runtime()
        .source
        .ready()
        .expect("source")
        .summary
        .keys_entry();
    assert!(entry.starts_with("keys-"));
    let keep = "Garder mes empreintes";
    assert!(
        h.get_by_label(keep).accesskit_node().is_disabled(),
        "no storing before consent"
    );
    click(
        &mut h,
        "J'accepte que l'application garde mes empreintes (pas mon numéro) dans le trousseau du système",
    );
    click(&mut h, keep);
    wait_idle(&mut h);
    assert_shows(&h, "Empreintes gardées dans le trousseau.");
    let secret = store
        .build(super::stay::SERVICE, &entry, None)
        .expect("entry")
        .get_secret()
        .expect("stored");
    // The version byte, one record per name, and the NIR's bucket.
    assert_eq!(secret.len(), 1 + 33 * person.usage_name.map_or(2, |_| 3));
    assert_eq!(secret[0], super::stay::STORED_KEYS_VERSION);
    let nir = person.nir();
    assert!(!String::from_utf8_lossy(&secret).contains(nir.as_str()));
    assert!(h.state().runtime().stay.pending.is_none());

    // A new start re-checks the (offline) publication with the kept keys.
    let mut h2 = harness_with(app_with_mock_store(&store, dir.path()));
    assert_shows(&h2, "Vos empreintes gardées ont été re-vérifiées");
    assert_shows(
        &h2,
        "selon les listes publiées, vous faites partie des personnes concernées par 2 fuite(s).",
    );
    assert!(h2.state().runtime().outcome.is_some());
    click(&mut h2, "Paramètres");
    click(&mut h2, "Re-vérifier");
    wait_idle(&mut h2);
    assert_eq!(h2.state().runtime().screen, Screen::Results);
    assert_shows(
        &h2,
        "vous faites partie des personnes concernées par 2 fuite(s)",
    );
    click(&mut h2, "Paramètres");
    click(&mut h2, "Oublier mes empreintes");
    wait_idle(&mut h2);
    assert_shows(&h2, "Empreintes oubliées");
    assert!(
        store
            .build(super::stay::SERVICE, &entry, None)
            .expect("entry")
            .get_secret()
            .is_err()
    );
}

/// Headless Linux has no Secret Service: the feature says so, and the rest
/// works.
#[test]
fn stay_informed_says_when_the_keyring_is_unavailable() {
    let app = FuiteCheckApp::new(
        Settings::default(),
        Services {
            credentials: Credentials::unavailable("no session bus".to_owned()),
            ..no_services()
        },
    );
    let mut h = harness_with(app);
    click(&mut h, "Paramètres");
    assert_shows(
        &h,
        "Indisponible : le trousseau du système n'est pas accessible (no session bus)",
    );
    run_demo_check(&mut h, &demo::IDENTITIES[1]);
    assert!(h.query_by_label("Garder mes empreintes").is_none());
}

/// A download from an unreachable server fails with a plain French
/// message, and the current source stays.
#[test]
fn download_reports_an_unreachable_server() {
    let mut h = harness(Settings::default());
    click(&mut h, "Paramètres");
    type_into(&mut h, "Adresse de la publication", "http://127.0.0.1:9/");
    h.get_by_label("Télécharger pour vérifier hors ligne")
        .click_accesskit();
    h.step();
    wait_idle(&mut h);
    assert_shows(&h, "Le serveur de la publication est injoignable.");
    assert_eq!(h.state().settings().source, SourceChoice::EmbeddedDemo);
    assert!(h.state().runtime().source.ready().is_some());
}

/// Stored keys round-trip through the credential-store encoding.
#[test]
fn keys_encoding_round_trips() {
    use fuitecheck_core::check::Variant;
    use fuitecheck_core::fingerprint::Key;
    let keys = super::worker::Keys {
        bucket: fuitecheck_core::bucket::NirBucket::from_byte(0x15),
        variants: vec![
            (Variant::BirthName, Key::from_bytes([7; 32])),
            (Variant::UsageName, Key::from_bytes([9; 32])),
        ],
    };
    let bytes = super::stay::encode(&keys);
    let back = super::stay::decode(&bytes).expect("decodes");
    assert_eq!(back.variants.len(), 2);
    assert_eq!(back.variants[1].0, Variant::UsageName);
    assert_eq!(back.variants[1].1.as_bytes(), &[9; 32]);
    assert_eq!(back.bucket.byte(), 0x15);
    assert!(super::stay::decode(&bytes[..40]).is_none());
    // Keys without their bucket record are not read.
    assert!(super::stay::decode(&bytes[..66]).is_none());
}

/// The window icon decodes to RGBA.
#[test]
fn window_icon_decodes() {
    let icon = super::window_icon().expect("icon");
    assert_eq!((icon.width, icon.height), (256, 256));
    assert_eq!(icon.rgba.len(), 256 * 256 * 4);
}

/// Whether the widget with this accessible label has the keyboard focus.
fn focused(h: &H, label: &str) -> bool {
    h.query_all_by_label(label)
        .any(|n| n.accesskit_node().is_focused())
}

/// Press Tab until `label` has the focus (bounded).
fn tab_to(h: &mut H, label: &str) {
    for _ in 0..60 {
        if focused(h, label) {
            return;
        }
        h.key_press(egui::Key::Tab);
        h.run();
    }
    panic!("Tab never reached {label:?}");
}

fn type_keys(h: &mut H, text: &str) {
    h.event(egui::Event::Text(text.to_owned()));
    h.run();
}

/// The identity form can be reached, filled and submitted with the
/// keyboard alone: Tab, typing, Enter.
#[test]
fn keyboard_only_check() {
    let mut h = harness(Settings::default());
    tab_to(&mut h, "Vérifier dans une liste");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().runtime().screen, Screen::Identity);
    let person = &demo::IDENTITIES[1];
    tab_to(&mut h, "Numéro de sécurité sociale (NIR)");
    type_keys(&mut h, person.nir().as_str());
    tab_to(&mut h, "Nom de naissance");
    type_keys(&mut h, person.birth_name);
    assert!(check_button_enabled(&h));
    h.key_press(egui::Key::Enter);
    h.step();
    wait_idle(&mut h);
    assert_eq!(h.state().runtime().screen, Screen::Results);
    assert_shows(
        &h,
        "DÉMONSTRATION — attaque fictive d'un opérateur de tiers payant",
    );
}

/// A message already on screen follows a language switch: statuses are
/// stored as values and worded when drawn.
#[test]
fn language_switch_rewords_a_message_on_screen() {
    let mut h = harness(Settings::default());
    go_to_identity(&mut h);
    fill_identity(&mut h, "2 91 07 56 260 012 03", "Le Goff", None);
    h.get_by_role_and_label(Role::Button, "Effacer").click();
    h.run();
    assert_shows(&h, "Vos informations ont été effacées.");
    click(&mut h, "English");
    assert_shows(&h, "Your details were cleared.");
    assert!(!shows(&h, "Vos informations ont été effacées."));
}

/// A screen is drawn on its own, from a runtime built without any I/O
/// (no keyring, no data directory, nothing loaded), and answers with
/// commands instead of acting.
#[test]
fn a_screen_is_drawn_alone_and_returns_commands() {
    use super::assess::AssessScreen;
    use super::command::{Command, Ctx, View as _};
    use super::state::Runtime;

    let settings = Settings::default();
    let runtime = Runtime::new(&no_services());
    let breach = runtime.catalogue.breaches[0].clone();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 900.0))
        .build_ui_state(
            move |ui, (screen, sent): &mut (AssessScreen, Vec<Command>)| {
                let ctx = Ctx {
                    settings: &settings,
                    runtime: &runtime,
                    lang: settings.lang,
                };
                egui::ScrollArea::vertical().show(ui, |ui| sent.extend(screen.ui(ui, &ctx)));
            },
            (AssessScreen::default(), Vec::new()),
        );
    h.run();
    h.get_all_by_label("Répondre aux questions")
        .next()
        .expect("a questions header")
        .click();
    h.run();
    let q0 = breach.assessment[0].text.fr.clone();
    h.get_by_label(&format!("{q0} — Oui")).click();
    h.run();
    assert_shows_in(&h, "Vous êtes peut-être concerné(e)");
    assert!(h.state().1.is_empty(), "answering sends nothing");
    h.get_by_label("Voir comment agir").click_accesskit();
    h.run();
    assert!(
        h.state()
            .1
            .iter()
            .any(|c| matches!(c, Command::OpenAct(t) if t.breach.id == breach.id)),
        "{:?}",
        h.state().1
    );
}

/// [`assert_shows`] for a harness of any state.
fn assert_shows_in<S>(h: &Harness<'_, S>, needle: &str) {
    let found = h
        .query_all_by(|n| {
            n.label().is_some_and(|l| l.contains(needle))
                || n.value().is_some_and(|v| v.contains(needle))
        })
        .next()
        .is_some();
    assert!(found, "expected to see {needle:?}");
}

/// Every entry of the mock credential store that holds a secret (its
/// search matches substrings: an empty service matches all; it also lists
/// entries built but never written).
fn all_entries(store: &std::sync::Arc<keyring_core::CredentialStore>) -> usize {
    store
        .search(&std::collections::HashMap::from([("service", "")]))
        .expect("search")
        .iter()
        .filter(|e| e.get_secret().is_ok())
        .count()
}

/// "Effacer toutes mes données" (issue 16): after a check whose keys were
/// kept, with keys of two other publications in the store (one written by
/// an older release, in no index) and a case file that failed to load,
/// nothing remains: no entry of the credential store, no case file.
#[test]
fn erase_all_leaves_nothing_in_the_store_or_on_disk() {
    let store = mock_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dossier.fcd");
    let credentials = Credentials::with_store(store.clone());
    let other = super::worker::Keys {
        bucket: fuitecheck_core::bucket::NirBucket::from_byte(7),
        variants: vec![(
            fuitecheck_core::check::Variant::BirthName,
            fuitecheck_core::fingerprint::Key::from_bytes([7; 32]),
        )],
    };
    credentials
        .store_keys("keys-0123456789ABCDEF-aa", &other)
        .expect("keys");
    store
        .build(super::stay::SERVICE, "keys-FEDCBA9876543210-bb", None)
        .expect("entry")
        .set_secret(&[0; 33])
        .expect("old keys");
    // A case file whose key is gone: it cannot load.
    std::fs::write(&path, b"FCDOSSIER1\nnot a sealed case file at all").expect("write");
    let mut h = harness_with(app_with_mock_store(&store, dir.path()));
    assert!(
        !h.state().runtime().dossier.keep,
        "the case file did not load"
    );
    run_demo_check(&mut h, &demo::IDENTITIES[2]);
    click(
        &mut h,
        "J'accepte que l'application garde mes empreintes (pas mon numéro) dans le trousseau du système",
    );
    click(&mut h, "Garder mes empreintes");
    wait_idle(&mut h);
    assert_shows(&h, "Empreintes gardées dans le trousseau.");
    // Two fingerprint entries of other publications, this one's, the index.
    assert_eq!(all_entries(&store), 4);

    click(&mut h, "Paramètres");
    h.get_by_role_and_label(Role::Button, "Effacer toutes mes données")
        .click_accesskit();
    h.run();
    click(&mut h, "Oui, tout effacer");
    wait_idle(&mut h);
    assert_shows(&h, "Toutes vos données ont été effacées.");
    assert_eq!(all_entries(&store), 0, "the credential store is empty");
    assert!(!path.exists(), "the case file is gone");
}

/// A case file still loading (its read held up) when "Effacer toutes mes
/// données" is pressed is erased too, file and key; a save planned before
/// the erasure does not happen after it.
#[test]
fn erase_all_removes_a_case_file_still_loading() {
    let store = mock_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dossier.fcd");
    fuitecheck_rights::DossierStore::with_credential_store(&path, store.clone())
        .save(&fuitecheck_rights::Dossier::new())
        .expect("saved");
    assert_eq!(all_entries(&store), 1, "the case file's key");
    let app = app_with_mock_store(&store, dir.path());
    let gate = app.runtime().gate.clone();
    let held = gate.read();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 900.0))
        .with_max_steps(64)
        .build_ui_state(
            |ui, app: &mut FuiteCheckApp| {
                app.logic(ui.ctx());
                app.ui_root(ui);
            },
            app,
        );
    let ctx = h.ctx.clone();
    h.state_mut().start(&ctx);
    for _ in 0..5 {
        h.step();
    }
    assert!(h.state().runtime().dossier.task.is_some(), "still loading");
    // A save planned now, before the erasure (it waits for the gate).
    let planned = gate.ticket();
    h.get_by_label("Paramètres").click_accesskit();
    for _ in 0..5 {
        h.step();
    }
    h.get_by_role_and_label(Role::Button, "Effacer toutes mes données")
        .click_accesskit();
    for _ in 0..5 {
        h.step();
    }
    h.get_by_label("Oui, tout effacer").click_accesskit();
    for _ in 0..5 {
        h.step();
    }
    assert!(
        h.state().runtime().erasing.is_some(),
        "erasing, behind the load"
    );
    drop(held);
    wait_idle(&mut h);
    assert_shows(&h, "Toutes vos données ont été effacées.");
    assert!(!path.exists(), "the case file is gone");
    assert_eq!(all_entries(&store), 0, "its key is gone");
    assert!(gate.write(planned).is_none(), "the planned save is off");
    assert!(!h.state().runtime().dossier.keep);
}

/// The settings are replaced as a whole (fields added later included);
/// the trusted keys stay unless the person ticks the option.
#[test]
fn erase_resets_every_setting_and_keeps_trust_unless_asked() {
    let mut s = Settings {
        online_url: "https://exemple.fr/".to_owned(),
        download_url: "https://exemple.fr/".to_owned(),
        publication_dir: Some("/tmp/pub".into()),
        trusted_keys: vec![super::state::UserKey {
            key: "untrusted comment: minisign public key 0123456789ABCDEF\nRWQ…\n".to_owned(),
            key_id: "0123456789ABCDEF".to_owned(),
            publisher: "Laboratoire Exemple (fictif)".to_owned(),
        }],
        clear_after_check: false,
        ..Settings::default()
    };
    s.source = SourceChoice::Online;
    s.sequences = serde_json::from_str(&format!(
        r#"{{"sequences": {{"{}": 12}}}}"#,
        hex::encode([7u8; 32])
    ))
    .expect("store");
    let kept = s.after_erase(false);
    assert_eq!(kept.trusted_keys, s.trusted_keys);
    assert_eq!(kept.sequences, s.sequences);
    assert_eq!(
        Settings {
            trusted_keys: Vec::new(),
            sequences: Default::default(),
            ..kept
        },
        Settings::default()
    );
    assert_eq!(s.after_erase(true), Settings::default());
}

/// The stored-keys encoding starts with its version; entries an earlier
/// release wrote (no version byte) still read; another version does not.
#[test]
fn stored_keys_carry_a_version_byte() {
    use super::stay::{STORED_KEYS_VERSION, decode, encode};
    use super::worker::Keys;
    let keys = Keys {
        bucket: fuitecheck_core::bucket::NirBucket::from_byte(0x2a),
        variants: vec![(
            fuitecheck_core::check::Variant::UsageName,
            fuitecheck_core::fingerprint::Key::from_bytes([9; 32]),
        )],
    };
    let bytes = encode(&keys);
    assert_eq!(bytes.len(), 1 + 2 * 33);
    assert_eq!(bytes[0], STORED_KEYS_VERSION);
    let back = decode(&bytes).expect("decoded");
    assert_eq!(back.variants.len(), 1);
    assert_eq!(back.variants[0].1.as_bytes(), &[9; 32]);
    assert_eq!(back.bucket.byte(), 0x2a);
    assert!(decode(&bytes[1..]).is_none(), "no version byte");
    let mut other = bytes.to_vec();
    other[0] = STORED_KEYS_VERSION + 1;
    assert!(decode(&other).is_none());
}

/// A copy of the embedded demo publication in a directory of its own.
fn demo_copy(to: &std::path::Path) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read_dir") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&root.join("assets/demo/publication/v1"), &to.join("v1"));
}

/// SPEC §6: a folder signed with the public demo key is refused with a
/// French reason (no verdict); the user adds the demo key only after a
/// confirmation showing its key id and the publisher it is added for; the
/// folder is then verified and labelled demonstration, with the signing key
/// id. The key is stored as key material: replacing the file afterwards
/// changes nothing.
#[test]
fn adding_a_key_needs_confirmation_and_stores_the_key_itself() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pub");
    demo_copy(&dir);
    let settings = Settings {
        source: SourceChoice::Directory,
        publication_dir: Some(dir.clone()),
        ..Settings::default()
    };
    let mut h = harness(settings);
    click(&mut h, "Paramètres");
    assert_shows(
        &h,
        "signée avec la clé publique de démonstration : n'importe qui peut fabriquer une telle liste",
    );
    assert!(
        h.state().runtime().source.ready().is_none(),
        "refused, never used"
    );

    // Cancel first: nothing is added.
    let key_file = tmp.path().join("organisme.pub");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/demo.pub"),
        &key_file,
    )
    .expect("copy key");
    let demo_id = fuitecheck_core::signature::TrustedKey::demo().key_id;
    h.state_mut().read_key(&key_file);
    h.run();
    assert_shows(&h, "Ajouter cette clé de confiance ?");
    assert_shows(&h, &format!("Identifiant de la clé : {demo_id}"));
    click(&mut h, "Ne pas ajouter");
    assert!(h.state().settings().trusted_keys.is_empty());
    assert!(!shows(&h, "Ajouter cette clé de confiance ?"));

    // Then confirm, naming the publisher: not before it is named.
    h.state_mut().read_key(&key_file);
    h.run();
    assert!(
        h.get_by_role_and_label(Role::Button, "Ajouter la clé")
            .accesskit_node()
            .is_disabled(),
        "a key is added for a named publisher"
    );
    type_into(
        &mut h,
        "Organisme pour lequel vous l'ajoutez",
        "Laboratoire Fictif",
    );
    click(&mut h, "Ajouter la clé");
    wait_idle(&mut h);
    let keys = &h.state().settings().trusted_keys;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].key_id, demo_id);
    assert_eq!(keys[0].publisher, "Laboratoire Fictif");
    assert_shows(
        &h,
        &format!("Clé {demo_id} — ajoutée pour Laboratoire Fictif"),
    );
    assert_shows(&h, "Publication vérifiée");
    assert_shows(&h, &format!("signée par la clé {demo_id}"));
    assert_shows(&h, "· démonstration");
    assert!(
        h.state()
            .runtime()
            .source
            .ready()
            .is_some_and(|a| a.summary.demo)
    );

    // Swap the file for another key: the stored key is unchanged and
    // still verifies the folder.
    let (_, other) = fuitecheck_publish::signing::generate_keypair(None).expect("keypair");
    std::fs::write(&key_file, other).expect("swap");
    click(&mut h, "Ouvrir et vérifier");
    wait_idle(&mut h);
    assert_eq!(h.state().settings().trusted_keys[0].key_id, demo_id);
    let store = h.state().settings().trust_store();
    assert!(store.demo_trusted_explicitly());
    assert_shows(&h, "Publication vérifiée");
}

/// SPEC §6 rollback in the app: a folder older than one already accepted
/// for the same key is refused with a French reason, never a verdict.
#[test]
fn an_older_list_than_one_seen_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pub");
    demo_copy(&dir);
    let demo = fuitecheck_core::signature::TrustedKey::demo();
    let seen: fuitecheck_core::freshness::SequenceStore = serde_json::from_str(&format!(
        r#"{{"sequences": {{"{}": 1000}}}}"#,
        hex::encode(demo.public_key())
    ))
    .expect("store");
    let settings = Settings {
        source: SourceChoice::Directory,
        publication_dir: Some(dir),
        trusted_keys: vec![super::state::UserKey {
            key: demo.to_text(),
            key_id: demo.key_id.clone(),
            publisher: "Démonstration".to_owned(),
        }],
        sequences: seen,
        ..Settings::default()
    };
    let mut h = harness(settings);
    click(&mut h, "Paramètres");
    assert_shows(
        &h,
        "une version plus ancienne de cette liste que celle déjà vue — rejeu possible",
    );
    assert!(h.state().runtime().source.ready().is_none());
    // The embedded demo is exempt.
    click(&mut h, "Démonstration intégrée (personnes fictives)");
    wait_idle(&mut h);
    assert_shows(&h, "Publication vérifiée");
}
