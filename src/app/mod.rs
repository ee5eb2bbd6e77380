//! The desktop app (eframe/egui): check, understand, act.
//!
//! Layout: [`state`] holds the model (persisted [`Settings`] apart from the
//! runtime [`state::AppState`]); one module per screen draws it and sends
//! [`state::Command`]s back; [`worker`] runs slow work on named threads;
//! [`i18n`] holds every string in French and English.
//!
//! Privacy: the NIR and names live only in `Zeroizing` buffers of
//! [`state::IdentityForm`]; [`FuiteCheckApp::save`](eframe::App::save)
//! writes the settings alone, and egui's own memory (which would hold text
//! field state) is not persisted.

mod act;
mod assess;
pub mod erase;
mod home;
pub mod i18n;
mod identity;
mod results;
mod settings;
pub mod state;
pub mod stay;
mod verify;
mod widgets;
mod worker;

#[cfg(test)]
mod tests;

use eframe::egui;
use egui::{RichText, Ui};

use std::path::PathBuf;

use fuitecheck_client::download::DownloadError;
use fuitecheck_core::check::{CheckError, CheckReport, SourceKind, Variant};
use fuitecheck_rights::{Dossier, DossierStore};

use self::i18n::{T, fill};
pub use self::state::Settings;
use self::state::{
    AppState, CheckOutcome, Command, DossierDone, Notice, SETTINGS_KEY, Screen, SourceChoice,
    SourceState, ThemeChoice,
};
use self::stay::{Credentials, PendingKeys, StayDone};
use self::worker::{
    CheckEnd, CheckJob, DialogJob, DialogPurpose, DownloadEnd, DownloadJob, LoadJob, Task,
};
use crate::text;

/// The window icon (the 256 px PNG of the Linux packaging).
const ICON_PNG: &[u8] =
    include_bytes!("../../packaging/linux/icons/hicolor/256x256/apps/fr.fuitecheck.FuiteCheck.png");

/// The window icon, decoded to RGBA.
pub fn window_icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(ICON_PNG).ok()
}

/// When the process started, for the opt-in startup trace.
static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// With `FUITECHECK_TRACE_STARTUP` set, print how long after start-up an
/// event happened (first frame, publication ready) on stderr. Measures
/// only; nothing personal is ever printed.
fn trace_startup(event: &str) {
    if std::env::var_os("FUITECHECK_TRACE_STARTUP").is_some()
        && let Some(start) = PROCESS_START.get()
    {
        eprintln!(
            "fuitecheck: {event} after {:.1} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// Open the window and run until it is closed.
pub fn run_native() -> eframe::Result {
    PROCESS_START.get_or_init(std::time::Instant::now);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("FuiteCheck")
            .with_app_id("fr.fuitecheck.FuiteCheck")
            .with_inner_size([1000.0, 760.0])
            .with_min_inner_size([640.0, 480.0]),
        ..Default::default()
    };
    let options = eframe::NativeOptions {
        viewport: match window_icon() {
            Some(icon) => options.viewport.with_icon(icon),
            None => options.viewport,
        },
        ..options
    };
    // The OS credential store (Secret Service on Linux, Credential Manager
    // on Windows). Headless Linux, with no session bus, fails at once: the
    // features that need it say so and the rest of the app works.
    let credentials = match use_os_credential_store() {
        Ok(()) => Credentials::from_default(),
        Err(e) => Credentials::unavailable(e.to_string()),
    };
    eframe::run_native(
        "FuiteCheck",
        options,
        Box::new(|cc| {
            let settings = cc
                .storage
                .and_then(|s| s.get_string(SETTINGS_KEY))
                .map(|text| Settings::from_json(&text))
                .unwrap_or_default();
            Ok(Box::new(FuiteCheckApp::with_services(
                settings,
                credentials,
                DossierStore::default_path(),
            )))
        }),
    )
}

/// The application: persisted settings plus runtime state.
pub struct FuiteCheckApp {
    settings: Settings,
    state: AppState,
    /// The (theme, scale) last applied to the context.
    applied_style: Option<(ThemeChoice, f32)>,
    /// The first frame has set up the style and started loading.
    started: bool,
}

impl FuiteCheckApp {
    /// Create the app; the first frame sets the style up and starts
    /// loading the chosen source (on a background thread).
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            state: AppState::default(),
            applied_style: None,
            started: false,
        }
    }

    /// Create the app with a given credential store and case-file path
    /// (tests pass a mock store and a temporary path).
    pub fn with_services(
        settings: Settings,
        credentials: Credentials,
        dossier_path: Option<PathBuf>,
    ) -> Self {
        let mut app = Self::new(settings);
        app.state.credentials = credentials;
        app.state.dossier_path = dossier_path;
        app
    }

    /// The case file's store, when there is a credential store and a path.
    fn dossier_store(&self) -> Option<DossierStore> {
        let store = self.state.credentials.store()?;
        let path = self.state.dossier_path.clone()?;
        Some(DossierStore::with_credential_store(path, store))
    }

    /// The persisted settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The runtime state (read-only, for tests and embedding).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Whether slow work is still under way (check, loading, dialog).
    pub fn is_busy(&self) -> bool {
        self.state.check.is_some()
            || matches!(self.state.source, SourceState::Loading(_))
            || self.state.dialog.is_some()
            || self.state.download.is_some()
            || self.state.drafting.export.is_some()
            || self.state.dossier.task.is_some()
            || self.state.stay.task.is_some()
            || self.state.erasing.is_some()
    }

    /// Draw the whole app into `ui`: usable from eframe and from
    /// `egui_kittest` alike.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.started {
            self.started = true;
            setup_style(&ctx);
            self.load_source(&ctx);
            self.load_dossier(&ctx);
        }
        self.poll_jobs(&ctx);
        self.apply_style(&ctx);
        let lang = self.settings.lang;

        egui::Panel::top("fuitecheck-top").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("🛡 {}", T::AppName.tr(lang)))
                        .size(20.0)
                        .strong(),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.selectable_value(
                        &mut self.settings.lang,
                        fuitecheck_core::catalogue::Lang::En,
                        T::LangEnglish.tr(lang),
                    )
                    .on_hover_text(T::LangSwitchHint.tr(lang));
                    ui.selectable_value(
                        &mut self.settings.lang,
                        fuitecheck_core::catalogue::Lang::Fr,
                        T::LangFrench.tr(lang),
                    )
                    .on_hover_text(T::LangSwitchHint.tr(lang));
                });
            });
            ui.add_space(4.0);
        });

        egui::Panel::left("fuitecheck-nav")
            .resizable(false)
            .exact_size(210.0)
            .show(ui, |ui| self.nav_ui(ui));

        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(("screen", self.state.screen as u8))
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(ui.available_width().min(860.0));
                    let Self {
                        settings, state, ..
                    } = self;
                    match state.screen {
                        Screen::Home => home::ui(ui, state, settings),
                        Screen::Assess => assess::ui(ui, state, settings),
                        Screen::Identity => identity::ui(ui, state, settings),
                        Screen::Verify => verify::ui(ui, state, settings),
                        Screen::Results => results::ui(ui, state, settings),
                        Screen::Act => act::ui(ui, state, settings),
                        Screen::Settings => settings::ui(ui, state, settings),
                    }
                    ui.add_space(24.0);
                });
        });

        self.handle_commands(&ctx);
    }

    /// The navigation column.
    fn nav_ui(&mut self, ui: &mut Ui) {
        let lang = self.settings.lang;
        ui.add_space(8.0);
        let checking = self.state.is_checking();
        let entries = [
            (Screen::Home, T::NavHome, true),
            (Screen::Assess, T::NavAssess, true),
            (
                if checking {
                    Screen::Verify
                } else {
                    Screen::Identity
                },
                T::NavIdentity,
                true,
            ),
            (Screen::Results, T::NavResults, self.state.outcome.is_some()),
            (Screen::Act, T::NavAct, true),
            (Screen::Settings, T::NavSettings, true),
        ];
        for (screen, key, enabled) in entries {
            let current = self.state.screen == screen
                || (key == T::NavIdentity && self.state.screen == Screen::Verify);
            let button = egui::Button::selectable(current, RichText::new(key.tr(lang)).size(16.0))
                .min_size(egui::vec2(ui.available_width(), 32.0));
            if ui.add_enabled(enabled, button).clicked() {
                self.state.send(Command::Navigate(screen));
            }
        }
        if let Some(active) = self.state.source.ready()
            && active.summary.demo
        {
            ui.add_space(16.0);
            widgets::demo_badge(ui, lang);
        }
    }

    /// Theme and text size follow the settings.
    fn apply_style(&mut self, ctx: &egui::Context) {
        let wanted = (
            self.settings.theme,
            self.settings.text_scale.clamp(0.8, 2.0),
        );
        if self.applied_style == Some(wanted) {
            return;
        }
        ctx.set_theme(match wanted.0 {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
        ctx.set_zoom_factor(wanted.1);
        self.applied_style = Some(wanted);
    }

    /// Drain the background jobs' channels (never blocks).
    fn poll_jobs(&mut self, ctx: &egui::Context) {
        let state = &mut self.state;
        if let Some(job) = &mut state.check
            && let Some(end) = job.poll()
        {
            let variants = job.variants.clone();
            state.check = None;
            match end {
                CheckEnd::Report(report, keys) => {
                    if let Some(active) = state.source.ready() {
                        // Every check passed: only now may the remembered
                        // sequence rise (SPEC §6).
                        if let Some(admission) = &active.summary.admission {
                            self.settings.sequences.record(admission);
                        }
                        state.stay.pending =
                            Some(PendingKeys::new(active.summary.keys_entry(), keys));
                        state.stay.consent = false;
                        state.outcome = Some(CheckOutcome {
                            report,
                            summary: active.summary.clone(),
                            variants,
                        });
                        state.screen = Screen::Results;
                    }
                    if self.settings.clear_after_check {
                        clear_identity(ctx, state);
                    }
                }
                CheckEnd::Error(CheckError::Cancelled) => {
                    state.notice = Some(Notice::Cancelled);
                    state.screen = Screen::Identity;
                }
                CheckEnd::Error(e) => {
                    let reason = match &e {
                        CheckError::Kdf(_) => T::ErrKdf,
                        _ => T::ErrSource,
                    };
                    state.notice = Some(Notice::Failed(format!(
                        "{} ({e:#})",
                        reason.tr(self.settings.lang)
                    )));
                    state.screen = Screen::Identity;
                }
            }
        }
        if let SourceState::Loading(job) = &mut state.source
            && let Some(result) = job.poll()
        {
            state.source = match result {
                Ok(active) => SourceState::Ready(active),
                Err(reason) => SourceState::Failed(reason),
            };
            trace_startup("publication ready");
            self.probe_stored_keys(ctx);
        }
        self.poll_tasks(ctx);
        let state = &mut self.state;
        if let Some(job) = &mut state.dialog
            && let Some(choice) = job.poll()
        {
            let purpose = job.purpose;
            state.dialog = None;
            if let Some(path) = choice {
                match purpose {
                    DialogPurpose::PublicationDir => {
                        self.settings.publication_dir = Some(path);
                        self.state.send(Command::LoadSource);
                    }
                    DialogPurpose::TrustedKey => self.read_key(&path),
                }
            }
        }
    }

    /// Run the commands the views sent during this frame.
    fn handle_commands(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let commands = std::mem::take(&mut self.state.commands);
        for command in commands {
            match command {
                Command::Navigate(screen) => self.navigate(screen),
                Command::StartCheck => self.start_check(ctx),
                Command::CancelCheck => {
                    if let Some(job) = self.state.check.take() {
                        job.cancel();
                    }
                    self.state.notice = Some(Notice::Cancelled);
                    self.state.screen = Screen::Identity;
                }
                Command::ClearIdentity => {
                    clear_identity(ctx, &mut self.state);
                    self.state.stay.drop_pending();
                    self.state.notice = Some(Notice::Cleared);
                }
                Command::OpenAct(target) => {
                    self.state.act = Some(*target);
                    self.state.screen = Screen::Act;
                }
                Command::LoadSource => self.load_source(ctx),
                Command::CancelLoad => {
                    // The thread finishes on its own; its result is dropped.
                    self.state.source = SourceState::None;
                }
                Command::ConfirmKey => {
                    if let Some(pending) = self.state.pending_key.take() {
                        let mut key = pending.key;
                        key.publisher = key.publisher.trim().to_owned();
                        if !self.settings.trusted_keys.iter().any(|k| k.key == key.key) {
                            self.settings.trusted_keys.push(key);
                        }
                        if self.settings.source != SourceChoice::EmbeddedDemo {
                            self.state.send(Command::LoadSource);
                        }
                    }
                }
                Command::CancelKey => self.state.pending_key = None,
                Command::PickPublicationDir | Command::PickTrustedKey => {
                    let purpose = if command == Command::PickPublicationDir {
                        DialogPurpose::PublicationDir
                    } else {
                        DialogPurpose::TrustedKey
                    };
                    if self.state.dialog.is_none() {
                        let start = self.settings.publication_dir.clone();
                        if let Ok(job) = DialogJob::open(purpose, start.as_deref(), ctx.clone()) {
                            self.state.dialog = Some(job);
                        }
                    }
                }
                Command::EraseAll => self.erase_all(ctx),
                Command::StartDownload => self.start_download(ctx),
                Command::CancelDownload => {
                    if let Some(job) = &self.state.download {
                        job.cancel();
                    }
                }
                Command::Export(request) => {
                    if self.state.drafting.export.is_none() {
                        let request = *request;
                        match worker::export_task(request.file_name, request.what, ctx.clone()) {
                            Ok(task) => {
                                self.state.drafting.export = Some(task);
                                self.state.drafting.message = None;
                            }
                            Err(e) => {
                                self.state.drafting.message = Some((
                                    false,
                                    fill(lang, T::ExportFailed, &[("reason", &e.to_string())]),
                                ));
                            }
                        }
                    }
                }
                Command::SaveDossier => self.save_dossier(ctx),
                Command::EraseDossier => self.erase_dossier(ctx),
                Command::StoreKeys => self.store_keys(ctx),
                Command::Recheck => self.recheck(ctx),
                Command::ForgetKeys => self.forget_keys(ctx),
            }
        }
    }

    fn navigate(&mut self, screen: Screen) {
        // While a check runs, "Vérifier" shows its progress.
        self.state.screen = if screen == Screen::Identity && self.state.is_checking() {
            Screen::Verify
        } else {
            screen
        };
    }

    fn start_check(&mut self, ctx: &egui::Context) {
        if self.state.is_checking() {
            return;
        }
        let Some(active) = self.state.source.ready() else {
            return;
        };
        let Some(identity) = self.state.identity.identity() else {
            return;
        };
        let source = active.source.clone();
        match CheckJob::spawn(identity, source, ctx.clone()) {
            Ok(job) => {
                self.state.check = Some(job);
                self.state.notice = None;
                self.state.screen = Screen::Verify;
            }
            Err(e) => {
                self.state.notice = Some(Notice::Failed(format!(
                    "{} ({e})",
                    T::ErrThread.tr(self.settings.lang)
                )));
            }
        }
    }

    /// Read a `.pub` file the user picked, once, into key material shown
    /// for confirmation (key id, and the publisher it is added for).
    fn read_key(&mut self, path: &std::path::Path) {
        let lang = self.settings.lang;
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                fuitecheck_core::signature::TrustedKey::from_text(
                    &text,
                    &path.display().to_string(),
                )
                .map_err(|e| e.to_string())
            });
        match parsed {
            Ok(key) => {
                let publisher = self
                    .state
                    .source
                    .ready()
                    .map(|a| a.summary.publisher.clone())
                    .unwrap_or_default();
                self.state.pending_key = Some(state::PendingKey {
                    key: state::UserKey {
                        key: key.to_text(),
                        key_id: key.key_id.clone(),
                        publisher,
                    },
                    path: path.to_path_buf(),
                });
            }
            Err(reason) => {
                self.state.notice = Some(Notice::Failed(fill(
                    lang,
                    T::SourceKeyInvalid,
                    &[("reason", &reason)],
                )));
            }
        }
    }

    /// Load the source chosen in the settings, on a background thread.
    fn load_source(&mut self, ctx: &egui::Context) {
        let job = match self.settings.source {
            SourceChoice::EmbeddedDemo => LoadJob::embedded_demo(ctx.clone()),
            SourceChoice::Directory => match &self.settings.publication_dir {
                Some(dir) => LoadJob::open_dir(
                    dir.clone(),
                    self.settings.trust_store(),
                    self.settings.sequences.clone(),
                    self.settings.lang,
                    ctx.clone(),
                ),
                None => {
                    self.state.source = SourceState::None;
                    return;
                }
            },
            SourceChoice::Online => {
                let url = self.settings.online_url.trim().to_owned();
                if url.is_empty() {
                    self.state.source = SourceState::None;
                    return;
                }
                LoadJob::online(
                    url,
                    self.settings.trust_store(),
                    self.settings.sequences.clone(),
                    self.settings.lang,
                    ctx.clone(),
                )
            }
        };
        self.state.source = match job {
            Ok(job) => SourceState::Loading(job),
            Err(e) => SourceState::Failed(e.to_string()),
        };
    }

    /// "Effacer toutes mes données".
    fn erase_all(&mut self, ctx: &egui::Context) {
        if let Some(job) = self.state.check.take() {
            job.cancel();
        }
        clear_identity(ctx, &mut self.state);
        self.state.outcome = None;
        self.state.assess = Default::default();
        self.state.act = None;
        self.state.confirm_erase = false;
        self.state.drafting.form.clear();
        self.state.drafting.message = None;
        self.state.stay.drop_pending();
        self.state.stay.message = None;
        if let Some(job) = self.state.download.take() {
            job.cancel();
        }
        self.state.download_message = None;
        // The case file (whatever state it is in: a load or save in flight
        // has its result dropped) and every entry of the credential store,
        // on a worker thread; the notice says "erased" once that is done.
        self.state.dossier.dossier = Dossier::new();
        self.state.dossier.keep = false;
        self.state.dossier.task = None;
        self.state.dossier.message = None;
        self.state.stay.stored = None;
        self.state.stay.task = None;
        let credentials = self.state.credentials.clone();
        let path = self.state.dossier_path.clone();
        let gate = self.state.gate.clone();
        gate.begin_erasure();
        self.state.notice = None;
        match Task::spawn("fuitecheck-erase", ctx.clone(), move || {
            erase::erase_stored(&gate, &credentials, path.as_deref())
        }) {
            Ok(task) => self.state.erasing = Some(task),
            Err(e) => self.state.notice = Some(Notice::EraseFailed(e.to_string())),
        }
        self.settings = self
            .settings
            .after_erase(std::mem::take(&mut self.state.erase_forget_trust));
        self.load_source(ctx);
    }

    /// Start downloading `settings.download_url` into its default folder.
    fn start_download(&mut self, ctx: &egui::Context) {
        if self.state.download.is_some() {
            return;
        }
        let lang = self.settings.lang;
        let url = self.settings.download_url.trim().to_owned();
        if fuitecheck_client::online::parse_base_url(&url).is_err() {
            self.state.download_message = Some((false, T::DlBadUrl.tr(lang).to_owned()));
            return;
        }
        let Some(dir) = fuitecheck_client::download::default_dir(&url) else {
            self.state.download_message = Some((false, T::DlNoDir.tr(lang).to_owned()));
            return;
        };
        self.state.download_message = None;
        match DownloadJob::spawn(
            url,
            dir,
            self.settings.trust_store(),
            self.settings.sequences.clone(),
            ctx.clone(),
        ) {
            Ok(job) => self.state.download = Some(job),
            Err(e) => {
                self.state.download_message = Some((
                    false,
                    fill(lang, T::DlErrOther, &[("reason", &e.to_string())]),
                ));
            }
        }
    }

    /// Drain the other background tasks (download, export, case file,
    /// credential store).
    fn poll_tasks(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let state = &mut self.state;
        if let Some(job) = &mut state.download
            && let Some(end) = job.poll()
        {
            let dir = job.dir.clone();
            state.download = None;
            match end {
                DownloadEnd::Done(report) => {
                    let text = if report.already_current {
                        T::DlCurrent.tr(lang).to_owned()
                    } else {
                        fill(
                            lang,
                            T::DlDone,
                            &[("size", &text::format_bytes(report.bytes_transferred, lang))],
                        )
                    };
                    state.download_message = Some((true, text));
                    // Switch to the downloaded folder; `LoadJob` follows its
                    // `current` pointer, so later updates are picked up.
                    self.settings.source = SourceChoice::Directory;
                    self.settings.publication_dir = Some(dir);
                    state.send(Command::LoadSource);
                }
                DownloadEnd::Error(e) => {
                    state.download_message = Some((false, download_error(&e, lang)));
                }
            }
        }
        if let Some(task) = &mut state.drafting.export
            && let Some(result) = task.poll()
        {
            state.drafting.export = None;
            state.drafting.message = match result.and_then(|r| r) {
                Ok(Some(path)) => Some((
                    true,
                    fill(
                        lang,
                        T::ExportSaved,
                        &[("path", &path.display().to_string())],
                    ),
                )),
                Ok(None) => None,
                Err(reason) => Some((false, fill(lang, T::ExportFailed, &[("reason", &reason)]))),
            };
        }
        if let Some(task) = &mut state.erasing
            && let Some(result) = task.poll()
        {
            state.erasing = None;
            state.notice = Some(match result.and_then(|r| r) {
                Ok(()) => Notice::Erased,
                Err(reason) => Notice::EraseFailed(reason),
            });
        }
        if let Some(task) = &mut state.dossier.task
            && let Some(result) = task.poll()
        {
            state.dossier.task = None;
            let failed = |reason: String| {
                Some((false, fill(lang, T::DossierFailed, &[("reason", &reason)])))
            };
            state.dossier.message = match result {
                Ok(DossierDone::Loaded(Ok(Some(dossier)))) => {
                    state.dossier.dossier = dossier;
                    state.dossier.keep = true;
                    Some((true, T::DossierLoadedMsg.tr(lang).to_owned()))
                }
                Ok(DossierDone::Loaded(Ok(None))) => None,
                Ok(DossierDone::Saved(Ok(()))) => {
                    state.dossier.keep = true;
                    Some((true, T::DossierSavedMsg.tr(lang).to_owned()))
                }
                Ok(DossierDone::Erased(Ok(()))) => {
                    Some((true, T::DossierErasedMsg.tr(lang).to_owned()))
                }
                Ok(
                    DossierDone::Loaded(Err(reason))
                    | DossierDone::Saved(Err(reason))
                    | DossierDone::Erased(Err(reason)),
                )
                | Err(reason) => failed(reason),
            };
        }
        if let Some(task) = &mut state.stay.task
            && let Some(result) = task.poll()
        {
            state.stay.task = None;
            let failed =
                |reason: &str| Some((false, fill(lang, T::StayFailed, &[("reason", reason)])));
            match result {
                Ok(StayDone::Probed {
                    entry,
                    exists,
                    recheck,
                }) => {
                    match exists {
                        Ok(exists) => state.stay.stored = Some((entry, exists)),
                        Err(reason) => state.stay.message = failed(&reason),
                    }
                    if let Some(Ok((report, variants))) = recheck {
                        let n = count_breaches(&report);
                        let result = if n == 0 {
                            T::StayNoMatch.tr(lang).to_owned()
                        } else {
                            fill(lang, T::StayMatches, &[("n", &n.to_string())])
                        };
                        let text = fill(lang, T::StayAutoRecheck, &[("result", &result)]);
                        state.notice = Some(Notice::Info(true, text.clone()));
                        state.stay.message = Some((true, text));
                        if state.outcome.is_none() && n > 0 {
                            set_outcome(state, report, variants);
                        }
                    }
                }
                Ok(StayDone::Stored(entry, Ok(()))) => {
                    state.stay.stored = Some((entry, true));
                    state.stay.drop_pending();
                    state.stay.message = Some((true, T::StayStoredMsg.tr(lang).to_owned()));
                }
                Ok(StayDone::Forgotten(entry, Ok(()))) => {
                    state.stay.stored = Some((entry, false));
                    state.stay.message = Some((true, T::StayForgottenMsg.tr(lang).to_owned()));
                }
                Ok(StayDone::Rechecked(Ok(Some((report, variants))))) => {
                    let n = count_breaches(&report);
                    let result = if n == 0 {
                        T::StayNoMatch.tr(lang).to_owned()
                    } else {
                        fill(lang, T::StayMatches, &[("n", &n.to_string())])
                    };
                    state.stay.message =
                        Some((true, fill(lang, T::StayAutoRecheck, &[("result", &result)])));
                    set_outcome(state, report, variants);
                    state.screen = Screen::Results;
                }
                Ok(StayDone::Rechecked(Ok(None))) => {
                    if let Some((_, stored)) = &mut state.stay.stored {
                        *stored = false;
                    }
                    state.stay.message = Some((false, T::StayRecheckNone.tr(lang).to_owned()));
                }
                Ok(
                    StayDone::Stored(_, Err(reason))
                    | StayDone::Forgotten(_, Err(reason))
                    | StayDone::Rechecked(Err(reason)),
                )
                | Err(reason) => state.stay.message = failed(&reason),
            }
        }
        let _ = ctx;
    }

    /// Open the saved case file, if there is one (worker thread).
    fn load_dossier(&mut self, ctx: &egui::Context) {
        let Some(store) = self.dossier_store() else {
            return;
        };
        if !store.exists() || self.state.dossier.task.is_some() {
            return;
        }
        let gate = self.state.gate.clone();
        if let Ok(task) = Task::spawn("fuitecheck-dossier", ctx.clone(), move || {
            let _io = gate.read();
            DossierDone::Loaded(Dossier::load(&store).map_err(|e| e.to_string()))
        }) {
            self.state.dossier.task = Some(task);
        }
    }

    /// Save the case file, encrypted (the person asked to keep it).
    fn save_dossier(&mut self, ctx: &egui::Context) {
        let Some(store) = self.dossier_store() else {
            return;
        };
        if self.state.dossier.task.is_some() {
            return;
        }
        let dossier = self.state.dossier.dossier.clone();
        let gate = self.state.gate.clone();
        let ticket = gate.ticket();
        if let Ok(task) = Task::spawn("fuitecheck-dossier", ctx.clone(), move || {
            let Some(_io) = gate.write(ticket) else {
                return DossierDone::Saved(Err("erased meanwhile".to_owned()));
            };
            DossierDone::Saved(dossier.save(&store).map_err(|e| e.to_string()))
        }) {
            self.state.dossier.task = Some(task);
        }
    }

    /// Forget the case file: in memory at once, on disk and in the
    /// keychain on a worker thread.
    fn erase_dossier(&mut self, ctx: &egui::Context) {
        self.state.dossier.dossier = Dossier::new();
        let was_kept = std::mem::take(&mut self.state.dossier.keep);
        self.state.dossier.message = None;
        let Some(store) = self.dossier_store() else {
            return;
        };
        if !was_kept && !store.exists() {
            return;
        }
        // A save in flight would race the erase: its result is dropped.
        self.state.dossier.task = None;
        let gate = self.state.gate.clone();
        if let Ok(task) = Task::spawn("fuitecheck-dossier", ctx.clone(), move || {
            let _io = gate.read();
            DossierDone::Erased(Dossier::erase(&store).map_err(|e| e.to_string()))
        }) {
            self.state.dossier.task = Some(task);
        }
    }

    /// When a source is ready: are keys stored for it? For an offline
    /// publication, re-check with them at once (nothing leaves the
    /// computer); an online one is re-checked only on request.
    fn probe_stored_keys(&mut self, ctx: &egui::Context) {
        let Some(active) = self.state.source.ready() else {
            return;
        };
        if !self.state.credentials.available() || self.state.stay.task.is_some() {
            return;
        }
        let entry = active.summary.keys_entry();
        let offline = active.summary.kind == SourceKind::Offline;
        let source = active.source.clone();
        let credentials = self.state.credentials.clone();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx.clone(), move || {
            let exists = credentials.load_keys(&entry).map(|k| k.is_some());
            let recheck = match exists {
                Ok(true) if offline => {
                    stay::recheck(&credentials, &entry, source.as_ref()).transpose()
                }
                _ => None,
            };
            StayDone::Probed {
                entry,
                exists,
                recheck,
            }
        }) {
            self.state.stay.task = Some(task);
        }
    }

    /// Keep the last check's keys (the person consented).
    fn store_keys(&mut self, ctx: &egui::Context) {
        if self.state.stay.task.is_some() || !self.state.stay.consent {
            return;
        }
        let Some(pending) = self.state.stay.pending.take() else {
            return;
        };
        let credentials = self.state.credentials.clone();
        let gate = self.state.gate.clone();
        let ticket = gate.ticket();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx.clone(), move || {
            let Some(_io) = gate.write(ticket) else {
                return StayDone::Stored(pending.entry, Err("erased meanwhile".to_owned()));
            };
            let result = credentials.store_keys(&pending.entry, &pending.keys);
            StayDone::Stored(pending.entry, result)
        }) {
            self.state.stay.task = Some(task);
        }
    }

    /// Re-check the active publication with the stored keys.
    fn recheck(&mut self, ctx: &egui::Context) {
        let Some(active) = self.state.source.ready() else {
            return;
        };
        if self.state.stay.task.is_some() {
            return;
        }
        let entry = active.summary.keys_entry();
        let source = active.source.clone();
        let credentials = self.state.credentials.clone();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx.clone(), move || {
            StayDone::Rechecked(stay::recheck(&credentials, &entry, source.as_ref()))
        }) {
            self.state.stay.task = Some(task);
        }
    }

    /// Delete the stored keys of the active publication.
    fn forget_keys(&mut self, ctx: &egui::Context) {
        let Some(active) = self.state.source.ready() else {
            return;
        };
        if self.state.stay.task.is_some() {
            return;
        }
        let entry = active.summary.keys_entry();
        let credentials = self.state.credentials.clone();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx.clone(), move || {
            let result = credentials.forget_keys(&entry);
            StayDone::Forgotten(entry, result)
        }) {
            self.state.stay.task = Some(task);
        }
    }
}

/// How many breaches a report matched.
fn count_breaches(report: &CheckReport) -> usize {
    let mut ids: Vec<&str> = report.matches.iter().map(|m| m.breach.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// Show a report (from stored keys) as the current outcome.
fn set_outcome(state: &mut AppState, report: CheckReport, variants: Vec<Variant>) {
    if let Some(active) = state.source.ready() {
        state.outcome = Some(CheckOutcome {
            report,
            summary: active.summary.clone(),
            variants,
        });
    }
}

/// A download failure, in plain words.
fn download_error(e: &DownloadError, lang: fuitecheck_core::catalogue::Lang) -> String {
    use fuitecheck_core::check::SourceError;
    let reason = format!("{e:#}");
    let key = match e {
        DownloadError::Cancelled => return T::DlCancelled.tr(lang).to_owned(),
        // Refused before anything was replaced: the trust rule's own words.
        DownloadError::Refused(e) => return crate::text::trust_error(e, lang),
        DownloadError::Source(SourceError::Network(_)) => T::DlErrNetwork,
        DownloadError::Source(SourceError::Invalid(_))
        | DownloadError::Mismatch { .. }
        | DownloadError::Verify(_) => T::DlErrSignature,
        DownloadError::Io { .. } => T::DlErrDisk,
        _ => T::DlErrOther,
    };
    fill(lang, key, &[("reason", &reason)])
}

/// Wipe the identity fields and the text fields' undo history.
fn clear_identity(ctx: &egui::Context, state: &mut AppState) {
    state.identity.clear();
    for id in identity::field_ids() {
        if let Some(mut s) = egui::TextEdit::load_state(ctx, id) {
            s.clear_undoer();
            egui::TextEdit::store_state(ctx, id, s);
        }
    }
}

/// Readable sizes and spacing.
fn setup_style(ctx: &egui::Context) {
    use egui::{FontFamily, FontId, TextStyle};
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(24.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.5, FontFamily::Proportional)),
            (
                TextStyle::Monospace,
                FontId::new(16.0, FontFamily::Monospace),
            ),
            (
                TextStyle::Button,
                FontId::new(15.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.5, FontFamily::Proportional),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
    });
    // Contrast well above WCAG AA (4.5:1) for body and secondary text.
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = egui::Color32::from_gray(220);
        style.visuals.weak_text_color = Some(egui::Color32::from_gray(175));
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = egui::Color32::from_gray(30);
        style.visuals.weak_text_color = Some(egui::Color32::from_gray(80));
    });
}

impl eframe::App for FuiteCheckApp {
    /// Draw the app.
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let first = !self.started;
        self.ui_root(ui);
        if first {
            trace_startup("first frame laid out");
        }
    }

    /// Persist the settings only: never the identity, results or answers.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(SETTINGS_KEY, self.settings.to_json());
    }

    /// Wipe the identity before the process ends.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(job) = self.state.check.take() {
            job.cancel();
        }
        self.state.identity.clear();
    }

    /// egui's memory holds text-field state; it is not worth the risk.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Install the OS credential store (Secret Service on Linux, Credential
/// Manager on Windows) as `keyring-core`'s default. Call once at start; on
/// failure (no session bus…) the app says that saving is unavailable and
/// carries on.
fn use_os_credential_store() -> Result<(), fuitecheck_rights::DossierError> {
    #[cfg(windows)]
    let store = windows_native_keyring_store::Store::new()
        .map_err(|e| fuitecheck_rights::DossierError::Keyring(e.to_string()))?;
    #[cfg(not(windows))]
    let store = zbus_secret_service_keyring_store::Store::new()
        .map_err(|e| fuitecheck_rights::DossierError::Keyring(e.to_string()))?;
    keyring_core::set_default_store(store);
    Ok(())
}
