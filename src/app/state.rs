//! The app's model: persisted settings, runtime state, and the commands
//! views send back. Views draw from it and mutate it; they never start
//! threads themselves (see [`Command`]).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize as _, Zeroizing};

use fuitecheck_core::catalogue::{Answer, Breach, Catalogue, Lang};
use fuitecheck_core::category::Category;
use fuitecheck_core::check::{CheckReport, Identity, Source, SourceKind, Variant};
use fuitecheck_core::freshness::{Admission, SequenceStore};
use fuitecheck_core::nir::{Nir, NirError, NirInfo};
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::surname::{Surname, SurnameError};

use super::stay::{Credentials, StayState};
use super::worker::{CheckJob, DialogJob, DownloadJob, ExportWhat, LoadJob, Task};

/// Key under which [`Settings`] are stored by eframe.
pub const SETTINGS_KEY: &str = "fuitecheck-settings";

/// Light, dark, or the system's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// Where published lists come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceChoice {
    /// The demo publication embedded in the binary.
    #[default]
    EmbeddedDemo,
    /// A publication directory on disk.
    Directory,
    /// The publisher's range API (`online_url`).
    Online,
}

/// What is saved between runs. Never an identity, a result or an answer:
/// only preferences and the location of a publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Interface language.
    pub lang: Lang,
    /// Theme.
    pub theme: ThemeChoice,
    /// Text scale (egui zoom factor).
    pub text_scale: f32,
    /// Which source to use.
    pub source: SourceChoice,
    /// The publication directory, for [`SourceChoice::Directory`].
    pub publication_dir: Option<PathBuf>,
    /// Public keys the user chose to trust, as key material (never a path:
    /// the file may change afterwards).
    pub trusted_keys: Vec<UserKey>,
    /// Highest `sequence` accepted per publisher key (rollback, SPEC §6):
    /// not personal data.
    pub sequences: SequenceStore,
    /// Range API base URL, for [`SourceChoice::Online`].
    pub online_url: String,
    /// Clear the identity fields once a check has finished.
    pub clear_after_check: bool,
    /// Address of the publication last downloaded (to update it).
    pub download_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::Fr,
            theme: ThemeChoice::System,
            text_scale: 1.0,
            source: SourceChoice::EmbeddedDemo,
            publication_dir: None,
            trusted_keys: Vec::new(),
            sequences: SequenceStore::new(),
            online_url: String::new(),
            clear_after_check: true,
            download_url: String::new(),
        }
    }
}

/// A public key the user added, with what they confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserKey {
    /// The minisign public key (`.pub` text), as read when it was added.
    pub key: String,
    /// Its key id, as minisign prints it.
    pub key_id: String,
    /// The publisher the user added it for.
    pub publisher: String,
}

/// A key read from a file, waiting for the user's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingKey {
    /// What will be stored.
    pub key: UserKey,
    /// The file it was read from (shown only).
    pub path: PathBuf,
}

impl Settings {
    /// The trust store: the shipped keys plus the user's. A stored key that
    /// no longer parses is skipped (it cannot verify anything).
    pub fn trust_store(&self) -> fuitecheck_core::signature::TrustStore {
        let mut store = fuitecheck_core::signature::TrustStore::shipped();
        for k in &self.trusted_keys {
            if let Ok(key) = fuitecheck_core::signature::TrustedKey::from_text(&k.key, &k.key_id) {
                store.add(key);
            }
        }
        store
    }

    /// The JSON that is persisted.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read persisted JSON; anything unreadable gives the defaults.
    pub fn from_json(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// The screens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Screen {
    /// Accueil.
    #[default]
    Home,
    /// Suis-je concerné ?
    Assess,
    /// Vos informations.
    Identity,
    /// Vérification.
    Verify,
    /// Résultats.
    Results,
    /// Agir.
    Act,
    /// Paramètres.
    Settings,
}

/// What a view asks the app to do (handled after the frame is drawn).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Command {
    /// Show a screen.
    Navigate(Screen),
    /// Start a check with the typed identity.
    StartCheck,
    /// Cancel the running check.
    CancelCheck,
    /// Clear the identity fields.
    ClearIdentity,
    /// Open the "Agir" screen for a breach.
    OpenAct(Box<ActTarget>),
    /// (Re)load the source chosen in the settings.
    LoadSource,
    /// Stop loading a publication.
    CancelLoad,
    /// Ask the user for a publication directory.
    PickPublicationDir,
    /// Ask the user for a trusted key file.
    PickTrustedKey,
    /// Add the key waiting in [`AppState::pending_key`] (the user
    /// confirmed its key id and publisher).
    ConfirmKey,
    /// Drop the key waiting for confirmation.
    CancelKey,
    /// Erase identity, results, answers and settings.
    EraseAll,
    /// Download (or update) the publication at `settings.download_url`.
    StartDownload,
    /// Stop the download (resumed next time).
    CancelDownload,
    /// Ask where to save, then write a file.
    Export(Box<ExportRequest>),
    /// Save the case file (opt-in), encrypted.
    SaveDossier,
    /// Delete the saved case file and its key, and empty it in memory.
    EraseDossier,
    /// Keep the last check's keys in the OS credential store.
    StoreKeys,
    /// Re-check the active publication with the stored keys.
    Recheck,
    /// Delete the stored keys.
    ForgetKeys,
}

/// A file to export through a save dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    /// Suggested file name.
    pub file_name: String,
    /// What to write.
    pub what: ExportWhat,
}

/// The breach the "Agir" screen is about: what `fuitecheck-rights` drafts
/// the letters from.
#[derive(Debug, Clone, PartialEq)]
pub struct ActTarget {
    /// The breach (from the catalogue or the publication's manifest).
    pub breach: Breach,
    /// The categories of the person's record, when a check found them.
    pub matched_categories: Option<Vec<Category>>,
}

/// The typed identity. Buffers are zeroized on drop and on clear, their
/// capacity is reserved up front so typing does not reallocate (and leave
/// copies behind).
pub struct IdentityForm {
    /// The NIR as displayed (grouped).
    pub nir: Zeroizing<String>,
    /// Nom de naissance.
    pub birth_name: Zeroizing<String>,
    /// Nom d'usage.
    pub usage_name: Zeroizing<String>,
    /// Show the NIR in clear.
    pub show_nir: bool,
    /// The NIR decoded, and the text it was decoded from: decoded again
    /// only when the text changes, not at every frame.
    nir_cache: NirCache,
    /// The fields' memory, locked in RAM and out of core dumps (dropped
    /// last, after the fields have wiped themselves).
    _locks: Vec<fuitecheck_core::privacy::LockedRegion>,
}

/// See [`IdentityForm::nir_decoded`].
struct NirCache {
    text: Zeroizing<String>,
    decoded: Option<Result<NirInfo, NirError>>,
}

/// Bytes reserved per field; [`FIELD_CHARS`] chars of up to 4 bytes fit.
pub const FIELD_CAPACITY: usize = 256;
/// Maximum characters per field.
pub const FIELD_CHARS: usize = 60;

impl Default for IdentityForm {
    fn default() -> Self {
        let field = || Zeroizing::new(String::with_capacity(FIELD_CAPACITY));
        let (nir, birth_name, usage_name, cached) = (field(), field(), field(), field());
        let _locks = [&nir, &birth_name, &usage_name, &cached]
            .iter()
            .map(|f| fuitecheck_core::privacy::LockedRegion::of_string(f, f.capacity()))
            .collect();
        Self {
            nir,
            birth_name,
            usage_name,
            show_nir: false,
            nir_cache: NirCache {
                text: cached,
                decoded: None,
            },
            _locks,
        }
    }
}

impl IdentityForm {
    /// Wipe every field (in place, keeping the reserved capacity).
    pub fn clear(&mut self) {
        for field in [&mut self.nir, &mut self.birth_name, &mut self.usage_name] {
            // Zeroize the bytes, then keep the (now zeroed) allocation.
            let capacity = field.capacity();
            field.zeroize();
            field.reserve(capacity);
        }
        self.show_nir = false;
        self.nir_cache.text.clear();
        self.nir_cache.decoded = None;
    }

    /// The NIR parsed and decoded (`None` when the field is empty),
    /// decoded again only when its text changed since the last call.
    pub fn nir_decoded(&mut self) -> Option<&Result<NirInfo, NirError>> {
        if self.nir.trim().is_empty() {
            self.nir_cache.text.clear();
            self.nir_cache.decoded = None;
            return None;
        }
        if self.nir_cache.decoded.is_none() || *self.nir_cache.text != *self.nir {
            // Within the reserved (locked) capacity: the field is bounded
            // to the same size.
            self.nir_cache.text.clear();
            self.nir_cache.text.push_str(&self.nir);
            self.nir_cache.decoded = Some(Nir::parse(&self.nir).map(|n| n.decode()));
        }
        self.nir_cache.decoded.as_ref()
    }

    /// Whether every field is empty.
    pub fn is_empty(&self) -> bool {
        self.nir.is_empty() && self.birth_name.is_empty() && self.usage_name.is_empty()
    }

    /// The NIR, parsed.
    pub fn nir(&self) -> Result<Nir, NirError> {
        Nir::parse(&self.nir)
    }

    /// The birth name, parsed (`None` when empty).
    pub fn birth_name(&self) -> Option<Result<Surname, SurnameError>> {
        (!self.birth_name.trim().is_empty()).then(|| Surname::parse(&self.birth_name))
    }

    /// The usage name, parsed (`None` when empty).
    pub fn usage_name(&self) -> Option<Result<Surname, SurnameError>> {
        (!self.usage_name.trim().is_empty()).then(|| Surname::parse(&self.usage_name))
    }

    /// The identity, when every field is valid.
    pub fn identity(&self) -> Option<Identity> {
        let nir = self.nir().ok()?;
        let birth_name = self.birth_name()?.ok()?;
        let usage_name = match self.usage_name() {
            None => None,
            Some(r) => Some(r.ok()?),
        };
        Some(Identity {
            nir,
            birth_name,
            usage_name,
        })
    }
}

/// The loaded source and what to say about it.
#[derive(Clone)]
pub struct ActiveSource {
    /// The source the check engine uses.
    pub source: Arc<dyn Source>,
    /// What to show about it.
    pub summary: SourceSummary,
}

/// A source, described for the user.
#[derive(Debug, Clone)]
pub struct SourceSummary {
    /// Offline or online.
    pub kind: SourceKind,
    /// Directory, URL or "embedded demo".
    pub location: String,
    /// The manifest's publisher.
    pub publisher: String,
    /// `generated_at` of the manifest.
    pub generated_at: String,
    /// Demonstration data.
    pub demo: bool,
    /// The breaches it covers.
    pub breaches: Vec<Breach>,
    /// Id of the key that signed the manifest.
    pub key_id: String,
    /// Trust and freshness (sequence, age, expiry), once admitted.
    pub admission: Option<Box<Admission>>,
    /// The KDF salt, in hex (stored keys are valid for this salt only).
    pub salt_hex: String,
    /// Offline: expected false matches per name checked, when the sets
    /// keep fewer than 64 bits (online answers compare all 64).
    pub false_match_rate: Option<f64>,
}

impl SourceSummary {
    /// The credential-store entry for keys derived for this publication:
    /// publisher key id and salt (and so the KDF) together.
    pub fn keys_entry(&self) -> String {
        format!("keys-{}-{}", self.key_id, self.salt_hex)
    }
}

impl ActiveSource {
    /// Wrap a verified offline publication.
    pub fn offline(publication: OfflinePublication) -> Self {
        let info = fuitecheck_core::check::Source::info(&publication);
        let manifest = publication.manifest();
        let summary = SourceSummary {
            kind: info.kind,
            location: info.location,
            publisher: manifest.publisher.clone(),
            generated_at: manifest.generated_at.clone(),
            demo: publication.is_demo() || info.demo,
            breaches: manifest.breaches.iter().map(|b| b.breach.clone()).collect(),
            key_id: publication.signer().key_id.clone(),
            admission: None,
            salt_hex: hex::encode(&manifest.kdf.salt),
            false_match_rate: Some(publication.false_match_rate()).filter(|&r| r > 1e-15),
        };
        Self {
            source: Arc::new(publication),
            summary,
        }
    }
}

impl ActiveSource {
    /// With what [`fuitecheck_core::freshness::admit`] found.
    pub fn admitted(mut self, admission: Admission) -> Self {
        self.summary.admission = Some(Box::new(admission));
        self
    }

    /// Wrap a connected range-API source (manifest fetched and verified).
    pub fn online(source: fuitecheck_client::online::RangeSource) -> Self {
        let key_id = source.signer().key_id.clone();
        let info = fuitecheck_core::check::Source::info(&source);
        let manifest = fuitecheck_core::check::Source::manifest(&source);
        let summary = SourceSummary {
            kind: info.kind,
            location: info.location.clone(),
            publisher: manifest.publisher.clone(),
            generated_at: manifest.generated_at.clone(),
            demo: info.demo,
            breaches: manifest.breaches.iter().map(|b| b.breach.clone()).collect(),
            key_id,
            admission: None,
            salt_hex: hex::encode(&manifest.kdf.salt),
            false_match_rate: None,
        };
        Self {
            source: Arc::new(source),
            summary,
        }
    }
}

/// Where the source stands.
#[derive(Default)]
pub enum SourceState {
    /// Nothing loaded.
    #[default]
    None,
    /// Being opened and verified on a background thread.
    Loading(LoadJob),
    /// Ready.
    Ready(ActiveSource),
    /// Refused, with the reason.
    Failed(String),
}

impl SourceState {
    /// The ready source, if any.
    pub fn ready(&self) -> Option<&ActiveSource> {
        match self {
            Self::Ready(s) => Some(s),
            _ => None,
        }
    }
}

/// A finished check, ready to show.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The engine's report.
    pub report: CheckReport,
    /// The source, as it was when checked.
    pub summary: SourceSummary,
    /// The variants that were checked.
    pub variants: Vec<Variant>,
}

impl CheckOutcome {
    /// The matched breaches, each with the union of its categories and
    /// the variants that matched, in report order.
    pub fn matched(&self) -> Vec<(Breach, Vec<Category>, Vec<Variant>)> {
        let mut out: Vec<(Breach, Vec<Category>, Vec<Variant>)> = Vec::new();
        for m in &self.report.matches {
            if let Some(entry) = out.iter_mut().find(|(b, _, _)| b.id == m.breach) {
                for c in &m.categories {
                    if !entry.1.contains(c) {
                        entry.1.push(*c);
                    }
                }
                entry.1.sort();
                entry.2.push(m.variant);
            } else if let Some(b) = self.summary.breaches.iter().find(|b| b.id == m.breach) {
                out.push((b.clone(), m.categories.clone(), vec![m.variant]));
            }
        }
        out
    }
}

/// A transient message shown at the top of a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The check was cancelled.
    Cancelled,
    /// The check failed.
    Failed(String),
    /// The identity was cleared.
    Cleared,
    /// Everything was erased.
    Erased,
    /// The erasure of what is stored failed (why).
    EraseFailed(String),
    /// A message of a background task (ok, text).
    Info(bool, String),
}

/// Answers to the self-assessment, per breach id then question id.
#[derive(Debug, Clone, Default)]
pub struct AssessState {
    /// Answers given.
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
}

/// Everything that lives only while the app runs.
pub struct AppState {
    /// The screen shown.
    pub screen: Screen,
    /// The embedded catalogue of real breaches.
    pub catalogue: Catalogue,
    /// The source of published lists.
    pub source: SourceState,
    /// The typed identity.
    pub identity: IdentityForm,
    /// The running check.
    pub check: Option<CheckJob>,
    /// The last outcome.
    pub outcome: Option<CheckOutcome>,
    /// A message to show.
    pub notice: Option<Notice>,
    /// Self-assessment answers.
    pub assess: AssessState,
    /// The breach the "Agir" screen is about.
    pub act: Option<ActTarget>,
    /// An open file dialog.
    pub dialog: Option<DialogJob>,
    /// The "erase everything" confirmation is shown.
    pub confirm_erase: bool,
    /// "Erase everything" also forgets the trust material (trusted keys,
    /// remembered sequences).
    pub erase_forget_trust: bool,
    /// The erasure of what is stored (case file, credential store).
    pub erasing: Option<super::worker::Task<Result<(), String>>>,
    /// Orders stored-data work against erasure.
    pub gate: std::sync::Arc<super::erase::Gate>,
    /// Commands from views, handled after the frame.
    pub commands: Vec<Command>,
    /// The year used to read the NIR's two-digit year.
    pub current_year: u16,
    /// The guided drafting of the "Agir" screen.
    pub drafting: DraftingState,
    /// The case file.
    pub dossier: DossierState,
    /// "Rester informé(e)".
    pub stay: StayState,
    /// The OS credential store, if there is one.
    pub credentials: Credentials,
    /// Where the case file is saved (when the user asks).
    pub dossier_path: Option<PathBuf>,
    /// A running download.
    pub download: Option<DownloadJob>,
    /// How the last download ended (ok, text).
    pub download_message: Option<(bool, String)>,
    /// A key read from a file, shown for confirmation before it is added.
    pub pending_key: Option<PendingKey>,
}

impl Default for AppState {
    fn default() -> Self {
        let year = jiff::Zoned::now().year();
        Self {
            screen: Screen::Home,
            catalogue: Catalogue::embedded(),
            source: SourceState::None,
            identity: IdentityForm::default(),
            check: None,
            outcome: None,
            notice: None,
            assess: AssessState::default(),
            act: None,
            dialog: None,
            confirm_erase: false,
            erase_forget_trust: false,
            erasing: None,
            gate: std::sync::Arc::default(),
            commands: Vec::new(),
            current_year: u16::try_from(year).unwrap_or(2026),
            drafting: DraftingState::default(),
            dossier: DossierState::default(),
            stay: StayState::default(),
            credentials: Credentials::from_default(),
            dossier_path: fuitecheck_rights::DossierStore::default_path(),
            download: None,
            download_message: None,
            pending_key: None,
        }
    }
}

impl AppState {
    /// Queue a command.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Whether a check is running.
    pub fn is_checking(&self) -> bool {
        self.check.is_some()
    }
}

/// What the person types to fill the drafts. Memory only: never in the
/// saved settings; wiped by "effacer toutes mes données".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftForm {
    /// Nom et prénom.
    pub full_name: String,
    /// Adresse postale (several lines).
    pub postal_address: String,
    /// E-mail.
    pub email: String,
    /// Town written before the date.
    pub place: String,
    /// Patient, member or file number.
    pub client_ref: String,
    /// Recipient override: name.
    pub recipient_name: String,
    /// Recipient override: postal address.
    pub recipient_address: String,
    /// Recipient override: e-mail.
    pub recipient_email: String,
    /// SIREN of the organisation (CNIL complaint).
    pub recipient_siren: String,
    /// Date the access request was sent (JJ/MM/AAAA).
    pub request_date: String,
    /// Date on the avis de réception.
    pub request_received: String,
    /// Date of the answer.
    pub answer_date: String,
    /// What is wrong with the answer.
    pub answer_problem: String,
    /// URLs to delist, one per line.
    pub urls: String,
    /// What each non-empty line of `urls` shows, as ticked (same order).
    pub url_shows: Vec<fuitecheck_rights::UrlShows>,
    /// The letter will go by lettre recommandée avec avis de réception.
    pub recommande: bool,
    /// Date the organisation announced an extension (JJ/MM/AAAA).
    pub extension_date: String,
    /// Add an erasure request (art. 17).
    pub erasure: bool,
    /// Add an objection (art. 21).
    pub objection: bool,
    /// The particular situation behind the objection.
    pub objection_reason: String,
    /// Misuse observed.
    pub misuse_facts: String,
    /// Identity theft.
    pub identity_theft: bool,
    /// Harm suffered.
    pub harm: String,
    /// Amount claimed.
    pub amount_eur: String,
    /// Town of the tribunal judiciaire.
    pub court_city: String,
}

/// Parse a date typed as `JJ/MM/AAAA` (or `AAAA-MM-JJ`). `None` when
/// empty; `Some(Err(()))` when unreadable.
pub fn parse_date(text: &str) -> Option<Result<jiff::civil::Date, ()>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(d) = t.parse::<jiff::civil::Date>() {
        return Some(Ok(d));
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).map(str::trim).collect();
    let parsed = match parts.as_slice() {
        [d, m, y] if y.len() == 4 => match (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) {
            (Ok(y), Ok(m), Ok(d)) => jiff::civil::Date::new(y, m, d).map_err(|_| ()),
            _ => Err(()),
        },
        _ => Err(()),
    };
    Some(parsed)
}

/// `2026-03-05` → `05/03/2026`.
pub fn date_to_field(d: jiff::civil::Date) -> String {
    d.strftime("%d/%m/%Y").to_string()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl DraftForm {
    /// The details handed to `rights::draft`.
    pub fn user_details(&self, target: &ActTarget) -> fuitecheck_rights::UserDetails {
        let date = |s: &str| parse_date(s).and_then(Result::ok);
        let recipient = opt(&self.recipient_name).map(|name| fuitecheck_rights::Recipient {
            name,
            postal_address: opt(&self.recipient_address),
            email: opt(&self.recipient_email),
        });
        fuitecheck_rights::UserDetails {
            full_name: self.full_name.trim().to_owned(),
            postal_address: self.postal_address.trim().to_owned(),
            email: opt(&self.email),
            place: opt(&self.place),
            letter_date: None,
            matched: target.matched_categories.is_some(),
            client_ref: opt(&self.client_ref),
            recipient,
            recipient_siren: opt(&self.recipient_siren),
            request_date: date(&self.request_date),
            request_received: date(&self.request_received),
            answer_date: date(&self.answer_date),
            answer_problem: opt(&self.answer_problem),
            urls: self
                .urls
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            url_shows: self.url_shows.clone(),
            recommande: self.recommande,
            extension_date: date(&self.extension_date),
            erasure: self.erasure,
            objection: self.objection,
            objection_reason: opt(&self.objection_reason),
            misuse_facts: opt(&self.misuse_facts),
            identity_theft: self.identity_theft,
            harm: opt(&self.harm),
            amount_eur: opt(&self.amount_eur),
            court_city: opt(&self.court_city),
            categories: target.matched_categories.clone().unwrap_or_default(),
        }
    }

    /// Wipe every field.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// The "Agir" screen's drafting state.
pub struct DraftingState {
    /// The draft being prepared.
    pub kind: fuitecheck_rights::DraftKind,
    /// What the person typed.
    pub form: DraftForm,
    /// A running export (save dialog, then write).
    pub export: Option<Task<Result<Option<PathBuf>, String>>>,
    /// How the last export or copy went (ok, text).
    pub message: Option<(bool, String)>,
}

impl Default for DraftingState {
    fn default() -> Self {
        Self {
            kind: fuitecheck_rights::DraftKind::Access,
            form: DraftForm::default(),
            export: None,
            message: None,
        }
    }
}

/// What a case-file task did.
pub enum DossierDone {
    /// Loaded at start (`None`: nothing saved).
    Loaded(Result<Option<fuitecheck_rights::Dossier>, String>),
    /// Saved.
    Saved(Result<(), String>),
    /// Erased (file and key).
    Erased(Result<(), String>),
}

/// The case file and where it stands.
pub struct DossierState {
    /// The case file (memory; saved only when `keep`).
    pub dossier: fuitecheck_rights::Dossier,
    /// The person chose to keep it on this computer.
    pub keep: bool,
    /// A running load, save or erase.
    pub task: Option<Task<DossierDone>>,
    /// How the last one went (ok, text).
    pub message: Option<(bool, String)>,
    /// The date typed for the next event (JJ/MM/AAAA).
    pub event_date: String,
    /// The avis de réception date typed.
    pub received_date: String,
    /// The answer received was complete.
    pub answer_complete: bool,
}

impl Default for DossierState {
    fn default() -> Self {
        Self {
            dossier: fuitecheck_rights::Dossier::new(),
            keep: false,
            task: None,
            message: None,
            event_date: date_to_field(fuitecheck_rights::deadline::today()),
            received_date: String::new(),
            answer_complete: false,
        }
    }
}
