//! How screens talk to the app. A screen draws from a read-only [`Ctx`]
//! and its own state, and returns the [`Command`]s the person asked for;
//! [`super::FuiteCheckApp`] applies them after the frame (starting tasks,
//! changing settings, switching screens). A screen never starts a thread
//! nor changes the settings or the runtime state itself.

use egui::Ui;

use fuitecheck_core::catalogue::Lang;
use fuitecheck_rights::EventKind;

use super::state::{ActTarget, Runtime, Screen, Settings, SourceChoice, ThemeChoice, UserKey};
use super::worker::ExportWhat;

/// What a screen reads while it draws.
pub struct Ctx<'a> {
    /// The persisted settings.
    pub settings: &'a Settings,
    /// The runtime state (source, tasks, outcome, case file, kept keys).
    pub runtime: &'a Runtime,
    /// The interface language (`settings.lang`).
    pub lang: Lang,
}

/// One screen: its own state, drawn into a plain [`Ui`] (so
/// `egui_kittest` can drive it), returning what the person asked for.
pub trait View {
    /// Draw the screen.
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command>;
}

/// A change of the persisted settings.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingChange {
    /// Interface language.
    Lang(Lang),
    /// Theme.
    Theme(ThemeChoice),
    /// Text scale.
    TextScale(f32),
    /// Which source to use (the screen also sends [`Command::LoadSource`]).
    Source(SourceChoice),
    /// Range API base URL.
    OnlineUrl(String),
    /// Address of the publication to download.
    DownloadUrl(String),
    /// Clear the identity fields once a check has finished.
    ClearAfterCheck(bool),
    /// Stop trusting the key file at this index of `trusted_keys`.
    RemoveTrustedKey(usize),
}

/// What a screen asks the app to do (applied after the frame is drawn).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Command {
    /// Show a screen.
    Navigate(Screen),
    /// Change a setting.
    Set(SettingChange),
    /// Close the notice at the top of the screen.
    DismissNotice,
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
    /// Add this key (the user confirmed its key id and publisher).
    ConfirmKey(Box<UserKey>),
    /// Erase identity, results, answers and settings.
    EraseAll,
    /// Download (or update) the publication at `settings.download_url`.
    StartDownload,
    /// Stop the download (resumed next time).
    CancelDownload,
    /// Ask where to save, then write a file.
    Export(Box<ExportRequest>),
    /// Record an event in the case file (saved at once when it is kept).
    RecordEvent {
        /// The breach the case is about.
        breach_id: String,
        /// When it happened.
        day: jiff::civil::Date,
        /// What happened.
        kind: EventKind,
    },
    /// Save the case file (opt-in), encrypted.
    SaveDossier,
    /// Delete the saved case file and its key, and empty it in memory.
    EraseDossier,
    /// Tick or untick the consent to keep the last check's keys.
    SetKeysConsent(bool),
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
