//! The app's model, apart from its screens: the persisted [`Settings`],
//! the [`Runtime`] state that lives only while the app runs (the source,
//! the running tasks, the last outcome, the case file, the kept keys), and
//! the [`Services`] the app is built with. Screens read both through
//! [`super::command::Ctx`] and change them only by returning
//! [`super::command::Command`]s.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use fuitecheck_core::catalogue::{Breach, Catalogue, Lang};
use fuitecheck_core::category::Category;
use fuitecheck_core::check::{CheckReport, Source, SourceKind, Variant};
use fuitecheck_core::freshness::{Admission, SequenceStore};
use fuitecheck_core::publication::OfflinePublication;

use super::status::{Reason, Status};
use super::stay::{Credentials, StayState};
use super::task::{NoProgress, Task};
use super::worker::{CheckRun, DialogRun, DownloadRun, ExportTask, LoadTask};

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

    /// The settings of a first run (nothing saved yet): the defaults, in
    /// the system locale's language ([`super::i18n::system_lang`]).
    pub fn first_run() -> Self {
        Self {
            lang: super::i18n::system_lang(),
            ..Self::default()
        }
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

/// The breach the "Agir" screen is about: what `fuitecheck-rights` drafts
/// the letters from.
#[derive(Debug, Clone, PartialEq)]
pub struct ActTarget {
    /// The breach (from the catalogue or the publication's manifest).
    pub breach: Breach,
    /// The categories of the person's record, when a check found them.
    pub matched_categories: Option<Vec<Category>>,
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
    Loading {
        /// The task.
        task: LoadTask,
        /// What is being opened (directory or URL; empty for the demo).
        what: String,
    },
    /// Ready.
    Ready(ActiveSource),
    /// Refused, with the reason.
    Failed(Reason),
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

/// The case file and where it stands.
pub struct DossierState {
    /// The case file (memory; saved only when `keep`).
    pub dossier: fuitecheck_rights::Dossier,
    /// The person chose to keep it on this computer.
    pub keep: bool,
    /// A running load, save or erase.
    pub task: Option<Task<NoProgress, DossierDone>>,
    /// How the last one went.
    pub status: Option<Status>,
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

/// What the app is built with: where it may keep things and what time it
/// is. [`Services::system`] does the start-up I/O (credential store, data
/// directory); tests pass a mock store, a temporary path and a fixed date,
/// so no screen ever touches the real keyring or data directory.
pub struct Services {
    /// The OS credential store, if there is one.
    pub credentials: Credentials,
    /// Where the case file is saved (when the person asks).
    pub dossier_path: Option<PathBuf>,
    /// Today's date (read each frame by `App::logic`, for deadlines and
    /// the NIR's two-digit year).
    pub today: fn() -> jiff::civil::Date,
}

impl Services {
    /// The real services: the OS credential store (installed here), the
    /// case file's default path, the system clock.
    pub fn system() -> Self {
        // Headless Linux, with no session bus, fails at once: the features
        // that need the store say so and the rest of the app works.
        let credentials = match super::use_os_credential_store() {
            Ok(()) => Credentials::from_default(),
            Err(e) => Credentials::unavailable(e.to_string()),
        };
        Self {
            credentials,
            dossier_path: fuitecheck_rights::DossierStore::default_path(),
            today: fuitecheck_rights::deadline::today,
        }
    }

    /// No credential store, no case-file path, the system clock: an app
    /// that keeps nothing (for embedding and tests).
    pub fn none() -> Self {
        Self {
            credentials: Credentials::unavailable("no credential store".to_owned()),
            dossier_path: None,
            today: fuitecheck_rights::deadline::today,
        }
    }
}

/// Everything that lives only while the app runs, apart from the
/// screens' own state. Built without I/O; [`super::FuiteCheckApp::start`]
/// starts loading.
pub struct Runtime {
    /// The screen shown.
    pub screen: Screen,
    /// The embedded catalogue of real breaches.
    pub catalogue: Catalogue,
    /// The source of published lists.
    pub source: SourceState,
    /// The running check.
    pub check: Option<CheckRun>,
    /// The last outcome.
    pub outcome: Option<CheckOutcome>,
    /// A message shown at the top of a screen.
    pub notice: Option<Status>,
    /// Today (kept current by `App::logic`).
    pub today: jiff::civil::Date,
    /// The OS credential store, if there is one.
    pub credentials: Credentials,
    /// Where the case file is saved (when the person asks).
    pub dossier_path: Option<PathBuf>,
    /// An open file dialog.
    pub dialog: Option<DialogRun>,
    /// A running download.
    pub download: Option<DownloadRun>,
    /// A running export (save dialog, then write).
    pub export: Option<ExportTask>,
    /// The case file.
    pub dossier: DossierState,
    /// "Rester informé(e)".
    pub stay: StayState,
    /// The erasure of what is stored (case file, credential store).
    pub erasing: Option<Task<NoProgress, Result<(), String>>>,
    /// Orders stored-data work against erasure.
    pub gate: Arc<super::erase::Gate>,
}

impl Runtime {
    /// The runtime state of a new app: nothing loaded, nothing running.
    pub fn new(services: &Services) -> Self {
        Self {
            screen: Screen::Home,
            catalogue: Catalogue::embedded(),
            source: SourceState::None,
            check: None,
            outcome: None,
            notice: None,
            today: (services.today)(),
            credentials: services.credentials.clone(),
            dossier_path: services.dossier_path.clone(),
            dialog: None,
            download: None,
            export: None,
            dossier: DossierState {
                dossier: fuitecheck_rights::Dossier::new(),
                keep: false,
                task: None,
                status: None,
            },
            stay: StayState::default(),
            erasing: None,
            gate: Arc::default(),
        }
    }

    /// Whether a check is running.
    pub fn is_checking(&self) -> bool {
        self.check.is_some()
    }

    /// The year used to read the NIR's two-digit year.
    pub fn current_year(&self) -> u16 {
        u16::try_from(self.today.year()).unwrap_or(2026)
    }

    /// The case file's store, when there is a credential store and a path.
    pub fn dossier_store(&self) -> Option<fuitecheck_rights::DossierStore> {
        let store = self.credentials.store()?;
        let path = self.dossier_path.clone()?;
        Some(fuitecheck_rights::DossierStore::with_credential_store(
            path, store,
        ))
    }
}
