//! Every user-visible string of the desktop app's own screens, in French
//! and English. Words for library values (NIR errors and warnings, labels,
//! numbers, dates) are not here but in [`crate::text`], shared with the CLI.
//!
//! The table is a macro invocation that requires both languages for each
//! key: a missing translation is a compile error, not a runtime surprise.
//! View code never holds a literal; it asks for a [`T`] key (and fills
//! `{placeholders}` with [`fill`]). We chose this typed table over fluent or
//! rust-i18n because the app has two languages and no plural rules beyond
//! what a sentence can avoid, and because the compiler then guarantees
//! completeness (decision recorded here, see issue 4 §5).

use fuitecheck_core::catalogue::Lang;
use fuitecheck_core::category::Category;

macro_rules! texts {
    ($( $key:ident => $fr:expr, $en:expr ; )*) => {
        /// A key of the string table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T {
            $(
                #[allow(missing_docs)]
                $key,
            )*
        }

        impl T {
            /// Every key, for completeness tests.
            pub const ALL: &'static [T] = &[$(T::$key,)*];

            /// The text in `lang`.
            pub fn tr(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (T::$key, Lang::Fr) => $fr,
                        (T::$key, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

/// Replace each `{name}` of a translated text by its value.
pub fn fill(lang: Lang, key: T, values: &[(&str, &str)]) -> String {
    let mut s = key.tr(lang).to_owned();
    for (name, value) in values {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

texts! {
    AppName => "FuiteCheck", "FuiteCheck";
    // Navigation.
    NavHome => "Accueil", "Home";
    NavAssess => "Suis-je concerné ?", "Am I concerned?";
    NavIdentity => "Vérifier dans une liste", "Check a published list";
    NavResults => "Résultats", "Results";
    NavAct => "Agir", "Take action";
    NavSettings => "Paramètres", "Settings";
    LangFrench => "Français", "Français";
    LangEnglish => "English", "English";
    LangSwitchHint => "Langue de l'interface", "Interface language";
    DemoBadge => "DONNÉES DE DÉMONSTRATION — personnes fictives", "DEMONSTRATION DATA — fictional people";

    // Accueil.
    HomeTitle => "Savoir si une fuite de données de santé vous concerne, et quoi faire",
        "Find out whether a health-data breach concerns you, and what to do";
    HomeDoesTitle => "Ce que fait FuiteCheck", "What FuiteCheck does";
    HomeDoes1 => "Il présente les fuites de données de santé connues en France, avec leurs sources, et vous aide à savoir si vous êtes peut-être concerné(e).",
        "It presents known French health-data breaches, with their sources, and helps you tell whether you may be concerned.";
    HomeDoes2 => "Si l'organisme responsable a publié la liste des personnes concernées, il vérifie sur votre ordinateur si vous y figurez.",
        "If the organisation responsible published the list of people affected, it checks on your computer whether you are in it.";
    HomeDoes3 => "Quand la liste publiée vous mentionne, il vous montre les données que l'organisme y indique pour vous, ce que cela risque et quoi faire maintenant.",
        "When the published list names you, it shows the data the organisation lists for you there, what that risks and what to do now.";
    HomeDoesNotTitle => "Ce qu'il ne fait pas", "What it does not do";
    HomeDoesNot1 => "Il ne consulte jamais de fichier volé : seules les listes publiées par les organismes responsables sont utilisées.",
        "It never looks at stolen files: only lists published by the organisations responsible are used.";
    HomeDoesNot2 => "Il ne peut pas affirmer que vos données n'ont pas fuité : seul l'organisme peut vous le confirmer.",
        "It cannot say that your data did not leak: only the organisation can confirm it.";
    HomePrivacyTitle => "Votre vie privée", "Your privacy";
    HomePrivacy => "Votre numéro de sécurité sociale et votre nom ne quittent jamais votre ordinateur et ne sont jamais enregistrés. Ils restent en mémoire le temps de la vérification, puis sont effacés (sauf si vous choisissez, dans « Vos informations », de les garder à l'écran jusqu'à la fermeture de l'application).",
        "Your social security number and your name never leave your computer and are never saved. They stay in memory for the check, then are erased (unless you choose, under \"Your details\", to keep them on screen until you close the app).";
    HomeSourceTitle => "Liste utilisée pour la vérification", "List used for the check";
    HomeSourcePublisher => "Publiée par : {publisher}", "Published by: {publisher}";
    HomeSourceDate => "Date de la publication : {date}", "Publication date: {date}";
    HomeSourceBreaches => "Fuites couvertes : {n}", "Breaches covered: {n}";
    HomeSourceLocation => "Emplacement : {location}", "Location: {location}";
    HomeSourceFalseMatch => "Empreintes abrégées : une personne absente de la liste a environ 1 risque sur {n} d'y être trouvée par erreur, pour chaque nom vérifié.",
        "Shortened fingerprints: a person who is not on the list has about 1 chance in {n} of being found by mistake, for each name checked.";
    HomeSourceDemo => "Ceci est une publication de démonstration : les personnes qu'elle contient sont fictives. Elle sert à essayer l'application.",
        "This is a demonstration publication: the people in it are fictional. It is there to try the app.";
    HomeSourceCurrentDemo => "La démonstration n'a pas de mise à jour.", "The demonstration has no updates.";
    HomeSourceCurrentDir => "Signature et fichiers vérifiés à l'ouverture. La recherche automatique de mises à jour arrivera avec le téléchargement des publications.",
        "Signature and files verified when opened. Automatic update checks will come with publication downloads.";
    HomeSourceNone => "Aucune liste n'est chargée. Vous pouvez tout de même évaluer si vous êtes concerné(e).",
        "No list is loaded. You can still assess whether you may be concerned.";
    HomeSourceLoading => "Ouverture et vérification de la publication…", "Opening and verifying the publication…";
    HomeStartAssess => "Suis-je concerné ? (sans numéro de sécurité sociale)", "Am I concerned? (no social security number needed)";
    HomeStartCheck => "Vérifier dans la liste publiée", "Check the published list";

    // Suis-je concerné ?
    AssessTitle => "Suis-je concerné ?", "Am I concerned?";
    AssessIntro => "Voici les fuites connues qui touchent des numéros de sécurité sociale ou des données de santé. Pour chacune, répondez à quelques questions : l'application ne peut pas savoir si vos données ont fuité, mais elle vous dit si vous êtes peut-être concerné(e) et à qui le demander.",
        "Here are the known breaches involving social security numbers or health data. For each, answer a few questions: the app cannot know whether your data leaked, but it tells you whether you may be concerned and whom to ask.";
    Organisation => "Organisme : {org}", "Organisation: {org}";
    BreachDates => "Fuite : {breach} · rendue publique le {disclosed}", "Breach: {breach} · made public on {disclosed}";
    PeopleAffected => "Personnes touchées (chiffre annoncé) : {n}", "People affected (as reported): {n}";
    WhoIsConcerned => "Qui est concerné : {who}", "Who is concerned: {who}";
    ExposedData => "Données exposées", "Data exposed";
    NotExposedData => "Selon les informations publiées, ne seraient pas concernées : {list}", "According to published information, reportedly not exposed: {list}";
    SensitiveBadge => "Données de santé", "Health data";
    SanctionLine => "Sanction : {authority} {reference} du {date}", "Sanction: {authority} {reference} of {date}";
    SanctionAmount => " — {amount} €", " — €{amount}";
    Sources => "Sources", "Sources";
    WhatHappened => "Ce qui s'est passé, et les sources", "What happened, and the sources";
    AnswerQuestions => "Répondre aux questions", "Answer the questions";
    AnswerYes => "Oui", "Yes";
    AnswerNo => "Non", "No";
    AnswerUnknown => "Je ne sais pas", "I don't know";
    VerdictTitle => "Résultat de l'évaluation", "Assessment result";
    VerdictNoAnswer => "Répondez aux questions ci-dessus pour obtenir une évaluation.", "Answer the questions above to get an assessment.";
    VerdictWhy => "Pourquoi :", "Why:";
    VerdictCaveat => "Ceci n'est pas une certitude : seul l'organisme peut vous dire si vos données faisaient partie de la fuite.",
        "This is not a certainty: only the organisation can tell you whether your data were in the breach.";
    NextStep => "Prochaine étape : demandez à l'organisme si vos données figuraient dans la fuite, et lesquelles (droit d'accès, article 15 du RGPD).",
        "Next step: ask the organisation whether your data were in the breach, and which (right of access, GDPR article 15).";
    WhoToAsk => "À qui vous adresser : {who}", "Whom to ask: {who}";
    Close => "Fermer", "Close";
    NextStepButton => "Voir comment agir", "See how to act";
    ResetAnswers => "Effacer mes réponses", "Clear my answers";

    // Vos informations.
    IdTitle => "Vos informations", "Your details";
    IdIntro => "Tapez votre numéro de sécurité sociale et votre nom tels qu'ils figurent sur votre carte Vitale ou votre attestation.",
        "Type your social security number and your name as they appear on your carte Vitale or your certificate.";
    IdNoSource => "Aucune liste publiée n'est chargée : choisissez une source dans les paramètres.", "No published list is loaded: choose a source in the settings.";
    IdNirLabel => "Numéro de sécurité sociale (NIR)", "Social security number (NIR)";
    IdNirHint => "ex. 2 85 05 78 006 084 91", "e.g. 2 85 05 78 006 084 91";
    IdShow => "Afficher le numéro", "Show the number";
    IdHide => "Masquer le numéro", "Hide the number";
    IdNirProgress => "{n} caractères sur 15", "{n} of 15 characters";
    IdNirDecoded => "Ce numéro correspond à : {summary}", "This number reads as: {summary}";
    IdNirValidMasked => "Numéro valide. Affichez-le pour voir ce qu'il indique (sexe, mois, année et lieu de naissance).", "Valid number. Show it to see what it says (sex, month, year and place of birth).";
    IdNirDecodedCheck => "Si ce n'est pas vous, vérifiez chaque chiffre.", "If this is not you, check each digit.";
    IdBirthName => "Nom de naissance", "Birth name";
    IdBirthNameHint => "ex. Dupont", "e.g. Dupont";
    IdUsageName => "Nom d'usage (facultatif)", "Usage name (optional)";
    IdUsageNameHint => "ex. nom d'époux ou d'épouse", "e.g. spouse's name";
    IdUsageNote => "Si vous portez un autre nom (par exemple celui de votre conjoint), l'organisme a pu vous enregistrer sous ce nom : les deux sont vérifiés.",
        "If you use another name (for example your spouse's), the organisation may have recorded you under it: both are checked.";
    IdWhyTitle => "Pourquoi nous demandons ces informations, et ce qu'elles deviennent", "Why we ask for this, and what happens to it";
    IdWhy1 => "L'organisme a transformé chaque personne concernée en une empreinte calculée à partir du numéro et du nom ; l'application calcule la vôtre de la même façon pour la comparer.",
        "The organisation turned each affected person into a fingerprint computed from the number and the name; the app computes yours the same way to compare.";
    IdWhy2 => "Le calcul se fait sur votre ordinateur. Ni le numéro ni le nom ne sont envoyés, enregistrés ou écrits dans un journal.",
        "The computation runs on your computer. Neither the number nor the name is sent, saved or logged.";
    IdWhy3 => "Le bouton « Effacer » les retire de la mémoire ; ils sont aussi effacés quand vous fermez l'application.",
        "The \"Clear\" button removes them from memory; they are also erased when you close the app.";
    IdClearAfter => "Effacer mes informations après la vérification", "Clear my details after the check";
    IdCheck => "Vérifier", "Check";
    IdCheckDisabled => "Complétez le numéro et le nom de naissance pour lancer la vérification.", "Complete the number and the birth name to start the check.";
    IdClear => "Effacer", "Clear";
    IdDemoTitle => "Essayer avec une personne fictive de la démonstration", "Try with a fictional person from the demonstration";
    IdDemoFill => "Remplir : {name}", "Fill in: {name}";
    IdDemoInLists => "figure dans {n} liste(s) de démonstration", "is in {n} demonstration list(s)";
    IdDemoUsage => "(nom d'usage {usage})", "(usage name {usage})";
    NoticeCancelled => "Vérification annulée. Rien n'a été conservé.", "Check cancelled. Nothing was kept.";
    NoticeFailed => "La vérification n'a pas pu aboutir : {reason}", "The check could not complete: {reason}";
    NoticeCleared => "Vos informations ont été effacées.", "Your details were cleared.";
    BirthNameRequired => "Le nom de naissance est nécessaire.", "The birth name is required.";

    // Vérification.
    VerifyTitle => "Vérification en cours", "Checking";
    VerifyIntro => "Le calcul de l'empreinte est volontairement lent, pour protéger les listes publiées. Cela prend quelques secondes.",
        "Computing the fingerprint is deliberately slow, to protect the published lists. It takes a few seconds.";
    VerifyVariantPending => "Empreinte pour votre {variant} : en cours…", "Fingerprint for your {variant}: computing…";
    VerifyVariantDone => "Empreinte pour votre {variant} : prête", "Fingerprint for your {variant}: ready";
    VerifyLookingUp => "Comparaison avec la liste publiée…", "Comparing with the published list…";
    VerifyProgress => "Progression de la vérification", "Check progress";
    VerifyCancel => "Annuler", "Cancel";

    // Résultats.
    ResultsTitle => "Résultats", "Results";
    ResultsNone => "Aucune vérification n'a encore été faite.", "No check has been run yet.";
    ResultsSourceLine => "Liste consultée : {publisher} ({kind})", "List consulted: {publisher} ({kind})";
    KindOffline => "sur votre ordinateur, rien n'a été envoyé", "on your computer, nothing was sent";
    KindOnline => "en ligne, seul le compartiment de votre numéro (8 bits) a été envoyé", "online, only your number's bucket (8 bits) was sent";
    ResultsMatchHeadline => "Selon la liste publiée par {publisher}, vous faites partie des personnes concernées par {n} fuite(s).",
        "According to the list published by {publisher}, you are among the people affected by {n} breach(es).";
    ResultsMatchOne => "Selon la liste publiée par {publisher}, vous faites partie des personnes concernées par cette fuite.",
        "According to the list published by {publisher}, you are among the people affected by this breach.";
    ResultsMatchVariant => "Retrouvé(e) avec votre {variant}.", "Found with your {variant}.";
    ResultsYourData => "Vos données qui figuraient dans cette fuite", "Your data that were in this breach";
    ResultsYourDataNote => "D'après la liste publiée, le dossier vous concernant contenait les catégories suivantes. Pour chacune : le risque concret, et quoi faire maintenant.",
        "According to the published list, your record contained the following categories. For each: the concrete risk, and what to do now.";
    ResultsRisk => "Risque : {text}", "Risk: {text}";
    ResultsTodo => "À faire : {text}", "To do: {text}";
    ResultsSensitiveCare => "Cette fuite touche des informations de santé. Le fait que ces catégories figurent dans votre dossier ne dit pas ce qu'il contenait exactement ; l'organisme peut vous le dire. Prenez le temps qu'il vous faut : vous n'avez rien à faire dans l'urgence, à part vous méfier des messages inattendus.",
        "This breach involves health information. That these categories were in your record does not say exactly what it contained; the organisation can tell you. Take the time you need: nothing has to be done in a hurry, apart from being wary of unexpected messages.";
    ResultsSensitiveCareCredentials => "Cette fuite touche des informations de santé. Le fait que ces catégories figurent dans votre dossier ne dit pas ce qu'il contenait exactement ; l'organisme peut vous le dire. Elle a aussi exposé des identifiants ou mots de passe : changez sans attendre le mot de passe de ce compte et de tout compte où vous utilisiez le même, et activez la double authentification là où c'est possible.",
        "This breach involves health information. That these categories were in your record does not say exactly what it contained; the organisation can tell you. It also exposed logins or passwords: change that account's password now, and that of every account where you used the same one, and turn on two-step verification where you can.";
    ResultsAdviceSources => "Conseils d'après la CNIL et Cybermalveillance.gouv.fr :", "Advice based on the CNIL and Cybermalveillance.gouv.fr:";
    ResultsNoMatchHeadline => "Vous ne figurez pas dans la liste publiée par {publisher}.", "You are not in the list published by {publisher}.";
    ResultsNoMatchMeans => "Ce que cela veut dire : l'organisme qui a publié cette liste ne vous y a pas inscrit(e), pour les fuites suivantes :",
        "What this means: the organisation that published this list did not include you in it, for these breaches:";
    ResultsNoMatchNotMeans => "Ce que cela ne veut pas dire : ce n'est pas la preuve que vos données n'ont jamais fuité. Seules ces listes ont été consultées ; d'autres fuites n'ont pas de liste publiée, et une liste peut être incomplète. En cas de doute, interrogez l'organisme (droit d'accès, article 15 du RGPD).",
        "What this does not mean: it is not proof that your data never leaked. Only these lists were consulted; other breaches have no published list, and a list may be incomplete. When in doubt, ask the organisation (right of access, GDPR article 15).";
    ResultsNoMatchTypo => "Vérifiez aussi que le numéro et le nom étaient bien exacts, et essayez votre autre nom si vous en portez un.",
        "Also check that the number and name were exactly right, and try your other name if you use one.";
    ResultsUnchecked => "Fuites que cette source n'a pas pu vérifier : {list}", "Breaches this source could not check: {list}";
    ResultsDemoNote => "Résultat de démonstration : cette liste contient des personnes fictives.", "Demonstration result: this list contains fictional people.";
    ResultsAct => "Agir pour cette fuite", "Act on this breach";
    ResultsNewCheck => "Nouvelle vérification", "New check";

    // Agir.
    ActTitle => "Agir", "Take action";
    ActChoose => "Choisissez une fuite depuis vos résultats ou depuis « Suis-je concerné ? ».", "Pick a breach from your results or from \"Am I concerned?\".";
    ActBreach => "Fuite : {title}", "Breach: {title}";
    ActYourData => "Vos données dans cette fuite : {list}", "Your data in this breach: {list}";
    ActWhoTitle => "À qui écrire", "Whom to write to";
    ActDpo => "Délégué à la protection des données : {email}", "Data protection officer: {email}";
    ActPrepareFor => "Préparer mes démarches : {title}", "Prepare my steps: {title}";
    ActStepsTitle => "Vos démarches, dans l'ordre", "Your steps, in order";
    ActWhen => "Quand : {text}", "When: {text}";
    ActDeadline => "Délai : {text}", "Deadline: {text}";
    ActLegalBasis => "Base légale :", "Legal basis:";
    ActOfficialLinks => "Pages officielles :", "Official pages:";
    ActSourceN => "source {n}", "source {n}";
    ActPrepare => "Préparer : {kind}", "Prepare: {kind}";
    KindAccess => "Demande d'accès à l'organisme", "Access request to the organisation";
    KindCnil => "Plainte à la CNIL", "Complaint to the CNIL";
    KindDereference => "Déréférencement", "Delisting";
    KindPolice => "Plainte au procureur", "Complaint to the prosecutor";
    KindCompensation => "Demande d'indemnisation", "Compensation claim";
    KindCollective => "Action collective (association)", "Collective action (association)";
    ActDraftTitle => "Préparer un courrier", "Prepare a letter";
    ActDraftPrivacy => "Ce que vous tapez ici reste en mémoire : rien n'est enregistré, sauf le fichier que vous choisissez d'exporter.",
        "What you type here stays in memory: nothing is saved, except the file you choose to export.";
    ActPreview => "Aperçu : {title}", "Preview: {title}";
    ActMissing => "À compléter (« …… » dans la lettre) : {list}", "Still to fill in (\"……\" in the letter): {list}";
    ActRecipientHint => "À qui l'envoyer : {text}", "Whom to send it to: {text}";
    ActSendTitle => "Comment l'envoyer", "How to send it";
    ActSavePdf => "Enregistrer en PDF", "Save as PDF";
    ActSaveText => "Enregistrer en texte", "Save as text";
    ActCopy => "Copier", "Copy";
    ActCopied => "La lettre est copiée : collez-la dans un formulaire ou un courriel.", "The letter is copied: paste it into a form or an e-mail.";
    ActMail => "Envoyer par e-mail", "Send by e-mail";
    ActGoodToKnow => "À savoir (avec les sources)", "Good to know (with sources)";
    ExportSaved => "Fichier enregistré : {path}", "File saved: {path}";
    ExportFailed => "Le fichier n'a pas pu être enregistré : {reason}", "The file could not be saved: {reason}";
    DateHint => "JJ/MM/AAAA", "DD/MM/YYYY";
    DateInvalid => "Date illisible : tapez-la comme 05/03/2026.", "Unreadable date: type it like 05/03/2026.";
    FormYou => "Vous", "You";
    FormName => "Nom et prénom", "Full name";
    FormNameHint => "ex. Camille Exemple", "e.g. Camille Exemple";
    FormAddress => "Adresse postale", "Postal address";
    FormAddressHint => "1 rue des Lilas\n35000 Rennes", "1 rue des Lilas\n35000 Rennes";
    FormEmail => "Adresse e-mail (pour la réponse, facultatif)", "E-mail address (for the answer, optional)";
    FormPlace => "Ville où vous signez (facultatif)", "Town where you sign (optional)";
    FormPlaceHint => "ex. Rennes", "e.g. Rennes";
    FormClientRef => "Numéro de patient, d'adhérent ou de dossier (facultatif)", "Patient, member or file number (optional)";
    FormErasure => "Demander aussi l'effacement de mes données (article 17)", "Also ask for my data to be erased (article 17)";
    FormObjection => "M'opposer aussi au traitement (article 21)", "Also object to the processing (article 21)";
    FormObjectionReason => "Votre situation particulière (motif de l'opposition)", "Your particular situation (grounds for objecting)";
    FormRequestDate => "Date d'envoi de votre demande d'accès", "Date you sent your access request";
    FormReceived => "Date de réception (avis de réception, facultatif)", "Date received (acknowledgement of receipt, optional)";
    FormAnswerDate => "Date de la réponse, s'il y en a eu une", "Date of the answer, if any";
    FormAnswerProblem => "Ce qui manque ou est inexact dans la réponse", "What is missing or wrong in the answer";
    FormSiren => "Numéro SIREN de l'organisme (facultatif)", "The organisation's SIREN number (optional)";
    FormUrls => "Adresses (URL) des pages où vos données apparaissent, une par ligne", "Addresses (URLs) of the pages showing your data, one per line";
    FormCourt => "Ville du tribunal judiciaire (votre domicile)", "Town of the tribunal judiciaire (where you live)";
    FormMisuse => "Ce que vous avez constaté (prélèvements, messages, appels…)", "What you noticed (debits, messages, calls…)";
    FormIdentityTheft => "Quelqu'un a utilisé mon identité", "Someone used my identity";
    FormRecommande => "J'enverrai cette lettre en recommandé avec avis de réception (la lettre le mentionne alors)", "I will send this letter by registered post with acknowledgement of receipt (the letter then says so)";
    FormExtensionDate => "Date à laquelle l'organisme a annoncé une prolongation du délai (facultatif)", "Date the organisation announced an extension (optional)";
    FormUrlHealth => "montre des données sur ma santé", "shows data about my health";
    FormUrlNir => "montre mon numéro de sécurité sociale", "shows my social security number";
    FormUrlTicks => "Pour chaque page, cochez seulement ce qu'elle montre vraiment :", "For each page, tick only what it really shows:";
    FormHarm => "Le préjudice subi, avec vos mots", "The harm suffered, in your own words";
    FormAmount => "Montant demandé en euros (facultatif : l'application n'en propose pas)", "Amount claimed in euros (optional: the app does not suggest one)";
    FormAmountHint => "ex. 500", "e.g. 500";
    FormRecipient => "Destinataire (si ce n'est pas celui indiqué)", "Recipient (if not the one shown)";
    FormAssociation => "L'association à qui écrire", "The association to write to";
    FormRecipientDefault => "Par défaut : {name}", "Default: {name}";
    FormRecipientName => "Nom de l'organisme", "Name of the organisation";
    FormRecipientAddress => "Adresse de l'organisme", "Address of the organisation";
    FormRecipientEmail => "E-mail de l'organisme ou de son délégué à la protection des données", "E-mail of the organisation or its data protection officer";
    FormRequiredNote => "* nécessaire pour compléter la lettre.", "* needed to complete the letter.";
    DossierTitle => "Votre dossier de suivi", "Your case file";
    DossierIntro => "Notez ce que vous avez fait : l'application calcule les délais et vous dit quoi faire ensuite.", "Note what you did: the app works out the deadlines and tells you what to do next.";
    DossierEmpty => "Rien de noté pour cette fuite.", "Nothing noted for this breach.";
    DossierDate => "Date", "Date";
    DossierReceived => "Reçue par l'organisme le (avis de réception, facultatif)", "Received by the organisation on (acknowledgement, optional)";
    DossierSent => "Demande envoyée", "Request sent";
    DossierExtension => "Prolongation annoncée", "Extension announced";
    DossierAnswer => "Réponse reçue", "Answer received";
    DossierCnil => "Plainte CNIL déposée", "CNIL complaint lodged";
    DossierPlainte => "Plainte déposée", "Police complaint filed";
    DossierAnswerComplete => "La réponse est complète et satisfaisante", "The answer is complete and satisfactory";
    DossierNext => "Prochaine échéance : {date} — {label}", "Next deadline: {date} — {label}";
    DossierPassed => "Échéance passée le {date} — {label}", "Deadline passed on {date} — {label}";
    DossierNextStep => "Ensuite : {text}", "Then: {text}";
    DossierApproximate => "Date approximative : sans la date de l'avis de réception, le délai est compté à partir de l'envoi plus 3 jours ouvrables. Saisissez la date de l'avis de réception pour un calcul exact.", "Approximate date: without the date on the acknowledgement of receipt, the period is counted from sending plus 3 working days. Enter the receipt date for an exact count.";
    DossierNoDeadline => "Aucun délai en cours.", "No deadline running.";
    DossierIcs => "Exporter les rappels (.ics)", "Export reminders (.ics)";
    DossierSaveTitle => "Conserver le dossier sur cet ordinateur (facultatif)", "Keep the case file on this computer (optional)";
    DossierSaveExplain => "Sans votre accord, le dossier reste en mémoire et disparaît à la fermeture. Si vous le conservez, il est chiffré ; sa clé est gardée dans le trousseau du système. « Effacer mon dossier » supprime le fichier et la clé.",
        "Without your consent the case file stays in memory and is gone when you close the app. If you keep it, it is encrypted; its key is kept in the system keyring. \"Erase my case file\" deletes the file and the key.";
    DossierUnavailable => "Conservation impossible : le trousseau du système n'est pas disponible ({reason}). Le dossier reste en mémoire ; exportez vos rappels en .ics pour les garder.",
        "Cannot keep it: the system keyring is not available ({reason}). The case file stays in memory; export your reminders as .ics to keep them.";
    DossierKept => "Dossier conservé (chiffré) ; chaque modification est enregistrée.", "Case file kept (encrypted); every change is saved.";
    DossierSave => "Conserver mon dossier (chiffré)", "Keep my case file (encrypted)";
    DossierErase => "Effacer mon dossier", "Erase my case file";
    DossierSavedMsg => "Dossier enregistré, chiffré.", "Case file saved, encrypted.";
    DossierFailed => "Le dossier n'a pas pu être traité : {reason}", "The case file could not be handled: {reason}";
    DossierErasedMsg => "Dossier effacé (fichier et clé).", "Case file erased (file and key).";
    DossierLoadedMsg => "Votre dossier enregistré a été rouvert.", "Your saved case file was reopened.";
    EventSent => "demande envoyée", "request sent";
    EventSentReceived => "demande envoyée, reçue le {date}", "request sent, received on {date}";
    EventExtension => "prolongation annoncée par l'organisme", "extension announced by the organisation";
    EventAnswerComplete => "réponse reçue (complète)", "answer received (complete)";
    EventAnswerIncomplete => "réponse reçue (incomplète)", "answer received (incomplete)";
    EventCnil => "plainte déposée auprès de la CNIL", "complaint lodged with the CNIL";
    EventPlainte => "plainte déposée", "police complaint filed";
    EventOther => "autre démarche", "other step";

    // Paramètres.
    SettingsTitle => "Paramètres", "Settings";
    SetLanguage => "Langue", "Language";
    SetDisplay => "Affichage", "Display";
    SetTheme => "Thème", "Theme";
    ThemeSystem => "Comme le système", "Follow the system";
    ThemeLight => "Clair", "Light";
    ThemeDark => "Sombre", "Dark";
    SetTextSize => "Taille du texte", "Text size";
    SetSource => "Source des listes publiées", "Source of published lists";
    SourceDemo => "Démonstration intégrée (personnes fictives)", "Built-in demonstration (fictional people)";
    SourceDemoReveals => "Rien ne quitte votre ordinateur. Sert uniquement à essayer l'application.", "Nothing leaves your computer. Only for trying the app.";
    SourceDir => "Publication téléchargée (un dossier sur cet ordinateur)", "Downloaded publication (a folder on this computer)";
    SourceDirReveals => "Rien ne quitte votre ordinateur : la comparaison se fait avec les fichiers téléchargés. C'est le mode le plus protecteur.",
        "Nothing leaves your computer: the comparison uses the downloaded files. This is the most protective mode.";
    SourceOnline => "Service en ligne de l'organisme", "The organisation's online service";
    SourceOnlineReveals => "L'application envoie une seule demande par vérification : le « compartiment » de votre numéro de sécurité sociale, 2 caractères calculés à partir du numéro seul (8 bits, commun à une personne sur 256), le même quels que soient vos noms et la publication. Votre numéro et vos noms ne sont jamais envoyés : la réponse est comparée sur votre ordinateur. Le serveur voit aussi votre adresse IP et l'heure ; à quelqu'un qui connaît déjà votre nom, votre mois et votre lieu de naissance, ces 8 bits laissent environ 4 numéros possibles sur 1 000. Le mode hors ligne (dossier téléchargé) ne révèle rien.",
        "The app sends one request per check: the bucket of your social security number, 2 characters computed from the number alone (8 bits, shared by one person in 256), the same whatever your names and whatever the publication. Your number and names are never sent: the answer is compared on your computer. The server also sees your IP address and the time; to someone who already knows your name, birth month and birthplace, these 8 bits leave about 4 possible numbers out of 1,000. The offline mode (downloaded folder) reveals nothing.";
    SourceOnlineUrl => "Adresse du service de l'organisme", "Address of the organisation's service";
    SourceConnect => "Se connecter et vérifier", "Connect and verify";
    SourceChooseDir => "Choisir le dossier de la publication…", "Choose the publication folder…";
    SourceDirNone => "Aucun dossier choisi.", "No folder chosen.";
    SourceDirPath => "Dossier : {path}", "Folder: {path}";
    SourceKeys => "Clés de confiance ajoutées", "Trusted keys added";
    SourceKeysNote => "La signature de chaque publication est vérifiée. Seules les clés livrées avec l'application sont acceptées, plus celles que vous ajoutez ici (fichier .pub fourni par l'organisme).",
        "Each publication's signature is verified. Only the keys shipped with the app are accepted, plus the ones you add here (.pub file from the organisation).";
    SourceAddKey => "Ajouter une clé (.pub)…", "Add a key (.pub)…";
    SourceRemoveKey => "Retirer la clé {key_id} ({publisher})", "Remove key {key_id} ({publisher})";
    SourceKeyEntry => "Clé {key_id} — ajoutée pour {publisher}", "Key {key_id} — added for {publisher}";
    SourceKeyInvalid => "Clé refusée : {reason}", "Key refused: {reason}";
    KeyConfirmTitle => "Ajouter cette clé de confiance ?", "Add this trusted key?";
    KeyConfirmId => "Identifiant de la clé : {key_id}", "Key id: {key_id}";
    KeyConfirmFile => "Lue dans le fichier : {path}", "Read from the file: {path}";
    KeyConfirmPublisher => "Organisme pour lequel vous l'ajoutez", "Organisation you add it for";
    KeyConfirmNote => "N'ajoutez une clé que si elle vient de l'organisme lui-même (son site officiel, un courrier). Toute liste signée par cette clé sera acceptée comme publiée par lui. L'application garde la clé elle-même : remplacer le fichier ensuite ne change rien.",
        "Only add a key that comes from the organisation itself (its official site, a letter). Any list signed with it will be accepted as published by it. The app keeps the key itself: replacing the file afterwards changes nothing.";
    KeyConfirmAdd => "Ajouter la clé", "Add the key";
    KeyConfirmCancel => "Ne pas ajouter", "Do not add";
    SourceProvenance => "Liste {provenance}", "List {provenance}";
    SourceReload => "Ouvrir et vérifier", "Open and verify";
    SourceLoadFailed => "Publication refusée : {reason}", "Publication refused: {reason}";
    SourceLoaded => "Publication vérifiée : {publisher}", "Publication verified: {publisher}";
    SourceCancelLoad => "Annuler l'ouverture", "Cancel opening";
    DialogOpen => "Une fenêtre de choix de fichier est ouverte…", "A file chooser is open…";
    DlTitle => "Télécharger une publication", "Download a publication";
    DlNote => "Téléchargez la publication de l'organisme pour vérifier hors ligne : rien ne quitte ensuite votre ordinateur. La signature et chaque fichier sont vérifiés ; un téléchargement interrompu reprend là où il s'est arrêté. Relancez-le pour mettre à jour : seuls les fichiers modifiés sont transférés.",
        "Download the organisation's publication to check offline: nothing leaves your computer afterwards. The signature and every file are verified; an interrupted download resumes where it stopped. Run it again to update: only changed files are transferred.";
    DlUrl => "Adresse de la publication", "Publication address";
    DlStart => "Télécharger pour vérifier hors ligne", "Download to check offline";
    DlCancel => "Annuler le téléchargement", "Cancel the download";
    DlConnecting => "Connexion et vérification de la signature…", "Connecting and verifying the signature…";
    DlProgress => "{done} sur {total}", "{done} of {total}";
    DlProgressLabel => "Progression du téléchargement", "Download progress";
    DlDone => "Publication téléchargée et vérifiée ({size} reçus). Elle est maintenant utilisée.", "Publication downloaded and verified ({size} received). It is now in use.";
    DlCurrent => "La publication est déjà à jour.", "The publication is already up to date.";
    DlCancelled => "Téléchargement interrompu : il reprendra là où il s'est arrêté la prochaine fois.", "Download interrupted: it will resume where it stopped next time.";
    DlErrNetwork => "Le serveur de la publication est injoignable. Vérifiez l'adresse et votre connexion. ({reason})", "The publication's server cannot be reached. Check the address and your connection. ({reason})";
    DlErrSignature => "Publication refusée : sa signature ou son contenu ne se vérifie pas. Elle n'a pas été utilisée. ({reason})", "Publication refused: its signature or content does not verify. It was not used. ({reason})";
    DlErrDisk => "Écriture impossible sur le disque (espace plein ou dossier protégé ?). ({reason})", "Cannot write to disk (disk full or protected folder?). ({reason})";
    DlErrOther => "Le téléchargement a échoué : {reason}", "The download failed: {reason}";
    DlNoDir => "Impossible de trouver un dossier de données pour cet utilisateur.", "Cannot find a data folder for this user.";
    DlBadUrl => "Adresse invalide : elle doit commencer par https:// (ou http:// sur cet ordinateur).", "Invalid address: it must start with https:// (or http:// on this computer).";
    SetErase => "Effacer toutes mes données", "Erase all my data";
    SetEraseNote => "Efface les informations saisies, les résultats, vos réponses, votre dossier (fichier et clé), les empreintes gardées dans le trousseau pour toutes les publications, et remet les paramètres à zéro.", "Erases typed details, results, your answers, your case file (file and key), the fingerprints kept in the keyring for every publication, and resets the settings.";
    SetEraseConfirm => "Oui, tout effacer", "Yes, erase everything";
    SetEraseCancel => "Non, garder", "No, keep";
    SetErased => "Toutes vos données ont été effacées.", "All your data were erased.";
    SetEraseFailed => "Tout n'a pas pu être effacé : {reason}. Réessayez ; si le trousseau du système est verrouillé, déverrouillez-le d'abord.", "Not everything could be erased: {reason}. Try again; if the system keyring is locked, unlock it first.";
    SetEraseTrust => "Oublier aussi les clés de confiance et les numéros de publication mémorisés (protection contre le retour à une ancienne publication)", "Also forget the trusted keys and the remembered publication numbers (protection against going back to an older publication)";
    StayInformedTitle => "Rester informé(e)", "Stay informed";
    StayExplain => "Avec votre accord, après une vérification, l'application garde dans le trousseau du système vos empreintes pour cette publication. Quand l'organisme la met à jour, elle vous re-vérifie sans vous redemander votre numéro.",
        "With your consent, after a check, the app keeps your fingerprints for this publication in the system keyring. When the organisation updates it, the app re-checks you without asking for your number again.";
    StayWhatIsKept => "Seules les empreintes sont gardées, jamais votre numéro ni votre nom. Elles permettent de vous retrouver dans cette liste : elles restent dans le trousseau et ne valent que pour les publications de cet organisme avec les mêmes paramètres. Vous pouvez les oublier à tout moment.",
        "Only the fingerprints are kept, never your number or your name. They can find you in this list: they stay in the keyring and only work for this organisation's publications with the same parameters. You can forget them at any time.";
    StayUnavailable => "Indisponible : le trousseau du système n'est pas accessible ({reason}). Rien n'est gardé ; le reste de l'application fonctionne normalement.",
        "Unavailable: the system keyring cannot be reached ({reason}). Nothing is kept; the rest of the app works normally.";
    StayNoSource => "Chargez d'abord une publication.", "Load a publication first.";
    StayStored => "Vos empreintes pour cette publication sont gardées dans le trousseau.", "Your fingerprints for this publication are kept in the keyring.";
    StayRecheck => "Re-vérifier", "Re-check";
    StayForget => "Oublier mes empreintes", "Forget my fingerprints";
    StayConsent => "J'accepte que l'application garde mes empreintes (pas mon numéro) dans le trousseau du système", "I agree that the app keeps my fingerprints (not my number) in the system keyring";
    StayKeep => "Garder mes empreintes", "Keep my fingerprints";
    StayCheckFirst => "Faites d'abord une vérification : vous pourrez ensuite choisir de garder vos empreintes.", "Run a check first: you can then choose to keep your fingerprints.";
    StayWorking => "Accès au trousseau…", "Accessing the keyring…";
    StayStoredMsg => "Empreintes gardées dans le trousseau.", "Fingerprints kept in the keyring.";
    StayForgottenMsg => "Empreintes oubliées : le trousseau ne contient plus rien pour cette publication.", "Fingerprints forgotten: the keyring holds nothing for this publication any more.";
    StayFailed => "Le trousseau n'a pas répondu : {reason}", "The keyring did not answer: {reason}";
    StayRecheckNone => "Aucune empreinte gardée pour cette publication (nouveaux paramètres ?) : refaites une vérification.", "No fingerprints kept for this publication (new parameters?): run a check again.";
    StayAutoRecheck => "Vos empreintes gardées ont été re-vérifiées avec la publication actuelle : {result}", "Your kept fingerprints were re-checked against the current publication: {result}";
    StayMatches => "selon les listes publiées, vous faites partie des personnes concernées par {n} fuite(s).", "according to the published lists, you are among the people affected by {n} breach(es).";
    StayNoMatch => "aucune correspondance.", "no match.";

    // Errors.
    ErrKdf => "le calcul de l'empreinte a échoué", "computing the fingerprint failed";
    ErrSource => "la source n'a pas répondu correctement", "the source did not answer properly";
    ErrThread => "impossible de lancer le calcul", "cannot start the computation";
    WorkerStopped => "le traitement en arrière-plan s'est arrêté de façon inattendue", "the background task stopped unexpectedly";
}

/// Sources of the per-category advice (DOMAIN.md §5.1).
pub const ADVICE_SOURCES: &[(&str, &str)] = &[
    (
        "CNIL — Fuite ou vol de données : conseils",
        "https://www.cnil.fr/fr/conseils-fuite-vol-donnees",
    ),
    (
        "Cybermalveillance.gouv.fr — Que faire en cas de fuite de données personnelles ?",
        "https://cybermalveillance.gouv.fr/tous-nos-contenus/fiches-reflexes/que-faire-en-cas-de-fuite-de-donnees-personnelles",
    ),
    ("17Cyber", "https://17cyber.gouv.fr"),
];

/// Official pages for the "Agir" screen (DOMAIN.md §2–§5).
pub const ACT_LINKS: &[(&str, &str)] = &[
    (
        "CNIL — Le droit d'accès",
        "https://www.cnil.fr/fr/le-droit-dacces",
    ),
    (
        "CNIL — Modèles de courrier",
        "https://www.cnil.fr/fr/modeles/courrier",
    ),
    (
        "CNIL — Adresser une plainte",
        "https://www.cnil.fr/fr/adresser-une-plainte",
    ),
    ("17Cyber", "https://17cyber.gouv.fr"),
];

/// A small icon for a category (decorative: the label carries the meaning).
pub fn category_icon(c: Category) -> &'static str {
    match c {
        Category::Identity => "👤",
        Category::BirthDate => "📅",
        Category::Nir => "🔢",
        Category::PostalAddress => "🏠",
        Category::Phone => "📞",
        Category::Email => "📧",
        Category::HealthInsurer => "🏥",
        Category::InsuranceContract => "📄",
        Category::Physician => "⚕",
        Category::MedicalResults => "🔬",
        Category::MedicalNotes => "💊",
        Category::BloodGroup => "💉",
        Category::BankDetails => "💳",
        Category::Credentials => "🔑",
        Category::Family => "👪",
        Category::Employer => "🏢",
        Category::IdentityDocument => "🆔",
    }
}

/// One sentence on the concrete risk of a leaked category (CNIL,
/// Cybermalveillance; DOMAIN.md §5.1). The text is data shared with the
/// publisher's art. 34 notice: `assets/rights/risks.toml`, with sources.
pub fn category_risk(c: Category, lang: Lang) -> &'static str {
    fuitecheck_rights::risks::category_risk(c, lang)
}

/// One sentence on what to do now about a leaked category
/// (`assets/rights/risks.toml`).
pub fn category_action(c: Category, lang: Lang) -> &'static str {
    fuitecheck_rights::risks::category_action(c, lang)
}

/// The language a locale name asks for (`fr_FR.UTF-8`, `en-GB`, `fr`,
/// Windows' `fr-CA`): `None` for any other language, `C` or `POSIX`.
pub fn lang_from_locale(locale: &str) -> Option<Lang> {
    let language = locale
        .split(['_', '-', '.', '@'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match language.as_str() {
        "fr" => Some(Lang::Fr),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The interface language of a first run: the system locale's when it is
/// French or English, French otherwise (the app's public is in France).
/// Unix: `LC_ALL`, then `LC_MESSAGES`, then `LANG` (POSIX precedence, the
/// first one set and not empty decides); Windows: the user's default
/// locale (`GetUserDefaultLocaleName`).
pub fn system_lang() -> Lang {
    system_locale()
        .as_deref()
        .and_then(lang_from_locale)
        .unwrap_or(Lang::Fr)
}

#[cfg(not(windows))]
fn system_locale() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
}

#[cfg(windows)]
fn system_locale() -> Option<String> {
    use windows_sys::Win32::Globalization::GetUserDefaultLocaleName;
    // LOCALE_NAME_MAX_LENGTH, terminating NUL included.
    let mut buffer = [0u16; 85];
    // SAFETY: the buffer is valid for writes of its length, which is
    // what the call is told; it writes at most that many UTF-16 units.
    let written = unsafe { GetUserDefaultLocaleName(buffer.as_mut_ptr(), buffer.len() as i32) };
    let len = usize::try_from(written).ok()?.checked_sub(1)?;
    String::from_utf16(buffer.get(..len)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_pick_the_language() {
        assert_eq!(lang_from_locale("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(lang_from_locale("fr-CA"), Some(Lang::Fr));
        assert_eq!(lang_from_locale("en_GB.UTF-8@euro"), Some(Lang::En));
        assert_eq!(lang_from_locale("EN-us"), Some(Lang::En));
        assert_eq!(lang_from_locale("de_DE.UTF-8"), None);
        assert_eq!(lang_from_locale("C"), None);
        assert_eq!(lang_from_locale("POSIX"), None);
        assert_eq!(lang_from_locale(""), None);
    }

    /// Every key has a non-empty text in both languages, and placeholders
    /// agree between the two.
    #[test]
    fn every_key_is_translated() {
        for key in T::ALL {
            let fr = key.tr(Lang::Fr);
            let en = key.tr(Lang::En);
            assert!(!fr.trim().is_empty(), "{key:?} has no French text");
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
            let holes = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split('}').next().map(str::to_owned))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(holes(fr), holes(en), "{key:?}: placeholders differ");
        }
        for c in Category::ALL {
            for lang in [Lang::Fr, Lang::En] {
                assert!(!category_risk(*c, lang).is_empty());
                assert!(!category_action(*c, lang).is_empty());
            }
        }
    }

    #[test]
    fn fill_placeholders() {
        assert_eq!(
            fill(Lang::Fr, T::IdNirProgress, &[("n", "7")]),
            "7 caractères sur 15"
        );
    }
}
