//! Applying what the screens asked for ([`Command`]s), after the frame:
//! changing settings, switching screens, starting and cancelling tasks.

use fuitecheck_core::check::SourceKind;
use fuitecheck_rights::Dossier;

use super::FuiteCheckApp;
use super::assess::AssessScreen;
use super::command::{Command, ExportRequest, SettingChange};
use super::erase;
use super::identity;
use super::state::{DossierDone, PendingKey, Screen, SourceChoice, SourceState, UserKey};
use super::status::{CheckFailure, Reason, Status};
use super::stay;
use super::task::Task;
use super::worker::{self, CheckRun, DialogPurpose, DialogRun, DownloadRun};

impl FuiteCheckApp {
    /// Apply the commands of one frame, in order.
    pub(super) fn apply(&mut self, commands: Vec<Command>, ctx: &egui::Context) {
        for command in commands {
            self.apply_one(command, ctx);
        }
    }

    fn apply_one(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Navigate(screen) => self.navigate(screen),
            Command::Set(change) => self.apply_setting(change),
            Command::DismissNotice => self.runtime.notice = None,
            Command::StartCheck => self.start_check(ctx),
            Command::CancelCheck => {
                if let Some(run) = self.runtime.check.take() {
                    run.cancel();
                }
                self.runtime.notice = Some(Status::CheckCancelled);
                self.runtime.screen = Screen::Identity;
            }
            Command::ClearIdentity => {
                identity::clear_identity(ctx, &mut self.screens.identity.form);
                self.runtime.stay.drop_pending();
                self.runtime.notice = Some(Status::IdentityCleared);
            }
            Command::OpenAct(target) => {
                self.screens.act.target = Some(*target);
                self.runtime.screen = Screen::Act;
            }
            Command::LoadSource => self.load_source(ctx),
            Command::CancelLoad => {
                // The thread finishes on its own; its result is dropped.
                self.runtime.source = SourceState::None;
            }
            Command::PickPublicationDir => self.open_dialog(DialogPurpose::PublicationDir, ctx),
            Command::PickTrustedKey => self.open_dialog(DialogPurpose::TrustedKey, ctx),
            Command::ConfirmKey(key) => {
                let mut key = *key;
                key.publisher = key.publisher.trim().to_owned();
                if !self.settings.trusted_keys.iter().any(|k| k.key == key.key) {
                    self.settings.trusted_keys.push(key);
                }
                if self.settings.source != SourceChoice::EmbeddedDemo {
                    self.load_source(ctx);
                }
            }
            Command::EraseAll => self.erase_all(ctx),
            Command::StartDownload => self.start_download(ctx),
            Command::CancelDownload => {
                if let Some(run) = &self.runtime.download {
                    run.cancel();
                }
            }
            Command::Export(request) => self.export(*request, ctx),
            Command::RecordEvent {
                breach_id,
                day,
                kind,
            } => {
                self.runtime
                    .dossier
                    .dossier
                    .record(&breach_id, day, kind, "");
                if self.runtime.dossier.keep {
                    self.save_dossier(ctx);
                }
            }
            Command::SaveDossier => self.save_dossier(ctx),
            Command::EraseDossier => self.erase_dossier(ctx),
            Command::SetKeysConsent(consent) => self.runtime.stay.consent = consent,
            Command::StoreKeys => self.store_keys(ctx),
            Command::Recheck => self.recheck(ctx),
            Command::ForgetKeys => self.forget_keys(ctx),
        }
    }

    fn apply_setting(&mut self, change: SettingChange) {
        let s = &mut self.settings;
        match change {
            SettingChange::Lang(lang) => s.lang = lang,
            SettingChange::Theme(theme) => s.theme = theme,
            SettingChange::TextScale(scale) => s.text_scale = scale,
            SettingChange::Source(source) => s.source = source,
            SettingChange::OnlineUrl(url) => s.online_url = url,
            SettingChange::DownloadUrl(url) => s.download_url = url,
            SettingChange::ClearAfterCheck(clear) => s.clear_after_check = clear,
            SettingChange::RemoveTrustedKey(i) => {
                if i < s.trusted_keys.len() {
                    s.trusted_keys.remove(i);
                }
            }
        }
    }

    fn navigate(&mut self, screen: Screen) {
        // While a check runs, "Vérifier" shows its progress.
        self.runtime.screen = if screen == Screen::Identity && self.runtime.is_checking() {
            Screen::Verify
        } else {
            screen
        };
    }

    fn start_check(&mut self, ctx: &egui::Context) {
        if self.runtime.is_checking() {
            return;
        }
        let Some(active) = self.runtime.source.ready() else {
            return;
        };
        let Some(identity) = self.screens.identity.form.identity() else {
            return;
        };
        match CheckRun::spawn(identity, active.source.clone(), ctx) {
            Ok(run) => {
                self.runtime.check = Some(run);
                self.runtime.notice = None;
                self.runtime.screen = Screen::Verify;
            }
            Err(e) => {
                self.runtime.notice =
                    Some(Status::CheckFailed(CheckFailure::Thread(e.to_string())));
            }
        }
    }

    /// Load the source chosen in the settings, on a background thread.
    pub(super) fn load_source(&mut self, ctx: &egui::Context) {
        let s = &self.settings;
        let (task, what) = match s.source {
            SourceChoice::EmbeddedDemo => (worker::load_embedded_demo(ctx), String::new()),
            SourceChoice::Directory => match &s.publication_dir {
                Some(dir) => (
                    worker::load_dir(dir.clone(), s.trust_store(), s.sequences.clone(), ctx),
                    dir.display().to_string(),
                ),
                None => {
                    self.runtime.source = SourceState::None;
                    return;
                }
            },
            SourceChoice::Online => {
                let url = s.online_url.trim().to_owned();
                if url.is_empty() {
                    self.runtime.source = SourceState::None;
                    return;
                }
                (
                    worker::load_online(url.clone(), s.trust_store(), s.sequences.clone(), ctx),
                    url,
                )
            }
        };
        self.runtime.source = match task {
            Ok(task) => SourceState::Loading { task, what },
            Err(e) => SourceState::Failed(Reason::Error(e.to_string())),
        };
    }

    /// Read a `.pub` file the user picked, once, into key material shown
    /// for confirmation (key id, and the publisher it is added for).
    pub(super) fn read_key(&mut self, path: &std::path::Path) {
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
                    .runtime
                    .source
                    .ready()
                    .map(|a| a.summary.publisher.clone())
                    .unwrap_or_default();
                self.screens.settings.pending_key = Some(PendingKey {
                    key: UserKey {
                        key: key.to_text(),
                        key_id: key.key_id.clone(),
                        publisher,
                    },
                    path: path.to_path_buf(),
                });
            }
            Err(reason) => {
                self.runtime.notice = Some(Status::KeyRefused(Reason::Error(reason)));
            }
        }
    }

    fn open_dialog(&mut self, purpose: DialogPurpose, ctx: &egui::Context) {
        if self.runtime.dialog.is_some() {
            return;
        }
        let start = self.settings.publication_dir.clone();
        if let Ok(run) = DialogRun::open(purpose, start.as_deref(), ctx) {
            self.runtime.dialog = Some(run);
        }
    }

    /// "Effacer toutes mes données".
    fn erase_all(&mut self, ctx: &egui::Context) {
        if let Some(run) = self.runtime.check.take() {
            run.cancel();
        }
        identity::clear_identity(ctx, &mut self.screens.identity.form);
        self.runtime.outcome = None;
        self.screens.assess = AssessScreen::default();
        let act = &mut self.screens.act;
        act.target = None;
        act.form.clear();
        act.status = None;
        self.screens.settings.confirm_erase = false;
        self.screens.settings.download_status = None;
        self.runtime.stay.drop_pending();
        self.runtime.stay.status = None;
        if let Some(run) = self.runtime.download.take() {
            run.cancel();
        }
        // The case file (whatever state it is in: a load or save in flight
        // has its result dropped) and every entry of the credential store,
        // on a worker thread; the notice says "erased" once that is done.
        let r = &mut self.runtime;
        r.dossier.dossier = Dossier::new();
        r.dossier.keep = false;
        r.dossier.task = None;
        r.dossier.status = None;
        r.stay.stored = None;
        r.stay.task = None;
        let credentials = r.credentials.clone();
        let path = r.dossier_path.clone();
        let gate = r.gate.clone();
        gate.begin_erasure();
        r.notice = None;
        match Task::spawn("fuitecheck-erase", ctx, move |_| {
            erase::erase_stored(&gate, &credentials, path.as_deref())
        }) {
            Ok(task) => r.erasing = Some(task),
            Err(e) => r.notice = Some(Status::EraseFailed(Reason::Error(e.to_string()))),
        }
        let forget_trust = std::mem::take(&mut self.screens.settings.erase_forget_trust);
        self.settings = self.settings.after_erase(forget_trust);
        self.load_source(ctx);
    }

    /// Start downloading `settings.download_url` into its default folder.
    fn start_download(&mut self, ctx: &egui::Context) {
        if self.runtime.download.is_some() {
            return;
        }
        let status = &mut self.screens.settings.download_status;
        let url = self.settings.download_url.trim().to_owned();
        if fuitecheck_client::online::parse_base_url(&url).is_err() {
            *status = Some(Status::DownloadBadUrl);
            return;
        }
        let Some(dir) = fuitecheck_client::download::default_dir(&url) else {
            *status = Some(Status::DownloadNoDir);
            return;
        };
        *status = None;
        match DownloadRun::spawn(
            url,
            dir,
            self.settings.trust_store(),
            self.settings.sequences.clone(),
            ctx,
        ) {
            Ok(run) => self.runtime.download = Some(run),
            Err(e) => {
                *status = Some(Status::DownloadFailed(
                    super::status::DownloadFailure::Other(e.to_string()),
                ));
            }
        }
    }

    /// Ask where to save, then write (one export at a time).
    fn export(&mut self, request: ExportRequest, ctx: &egui::Context) {
        if self.runtime.export.is_some() {
            return;
        }
        match worker::export(&request.file_name, request.what, ctx) {
            Ok(task) => {
                self.runtime.export = Some(task);
                self.screens.act.status = None;
            }
            Err(e) => {
                self.screens.act.status = Some(Status::ExportFailed(Reason::Error(e.to_string())));
            }
        }
    }

    /// Open the saved case file, if there is one (worker thread).
    pub(super) fn load_dossier(&mut self, ctx: &egui::Context) {
        let Some(store) = self.runtime.dossier_store() else {
            return;
        };
        if !store.exists() || self.runtime.dossier.task.is_some() {
            return;
        }
        let gate = self.runtime.gate.clone();
        if let Ok(task) = Task::spawn("fuitecheck-dossier", ctx, move |_| {
            let _io = gate.read();
            DossierDone::Loaded(Dossier::load(&store).map_err(|e| e.to_string()))
        }) {
            self.runtime.dossier.task = Some(task);
        }
    }

    /// Save the case file, encrypted (the person asked to keep it).
    fn save_dossier(&mut self, ctx: &egui::Context) {
        let Some(store) = self.runtime.dossier_store() else {
            return;
        };
        if self.runtime.dossier.task.is_some() {
            return;
        }
        let dossier = self.runtime.dossier.dossier.clone();
        let gate = self.runtime.gate.clone();
        let ticket = gate.ticket();
        if let Ok(task) = Task::spawn("fuitecheck-dossier", ctx, move |_| {
            let Some(_io) = gate.write(ticket) else {
                return DossierDone::Saved(Err("erased meanwhile".to_owned()));
            };
            DossierDone::Saved(dossier.save(&store).map_err(|e| e.to_string()))
        }) {
            self.runtime.dossier.task = Some(task);
        }
    }

    /// Forget the case file: in memory at once, on disk and in the
    /// keychain on a worker thread.
    fn erase_dossier(&mut self, ctx: &egui::Context) {
        let d = &mut self.runtime.dossier;
        d.dossier = Dossier::new();
        let was_kept = std::mem::take(&mut d.keep);
        d.status = None;
        let Some(store) = self.runtime.dossier_store() else {
            return;
        };
        if !was_kept && !store.exists() {
            return;
        }
        // A save in flight would race the erase: its result is dropped.
        self.runtime.dossier.task = None;
        let gate = self.runtime.gate.clone();
        if let Ok(task) = Task::spawn("fuitecheck-dossier", ctx, move |_| {
            let _io = gate.read();
            DossierDone::Erased(Dossier::erase(&store).map_err(|e| e.to_string()))
        }) {
            self.runtime.dossier.task = Some(task);
        }
    }

    /// When a source is ready: are keys stored for it? For an offline
    /// publication, re-check with them at once (nothing leaves the
    /// computer); an online one is re-checked only on request.
    pub(super) fn probe_stored_keys(&mut self, ctx: &egui::Context) {
        let Some(active) = self.runtime.source.ready() else {
            return;
        };
        if !self.runtime.credentials.available() || self.runtime.stay.task.is_some() {
            return;
        }
        let entry = active.summary.keys_entry();
        let offline = active.summary.kind == SourceKind::Offline;
        let source = active.source.clone();
        let credentials = self.runtime.credentials.clone();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx, move |_| {
            let exists = credentials.load_keys(&entry).map(|k| k.is_some());
            let recheck = match exists {
                Ok(true) if offline => {
                    stay::recheck(&credentials, &entry, source.as_ref()).transpose()
                }
                _ => None,
            };
            stay::StayDone::Probed {
                entry,
                exists,
                recheck,
            }
        }) {
            self.runtime.stay.task = Some(task);
        }
    }

    /// Keep the last check's keys (the person consented).
    fn store_keys(&mut self, ctx: &egui::Context) {
        let stay = &mut self.runtime.stay;
        if stay.task.is_some() || !stay.consent {
            return;
        }
        let Some(pending) = stay.pending.take() else {
            return;
        };
        let credentials = self.runtime.credentials.clone();
        let gate = self.runtime.gate.clone();
        let ticket = gate.ticket();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx, move |_| {
            let Some(_io) = gate.write(ticket) else {
                return stay::StayDone::Stored(pending.entry, Err("erased meanwhile".to_owned()));
            };
            let result = credentials.store_keys(&pending.entry, &pending.keys);
            stay::StayDone::Stored(pending.entry, result)
        }) {
            self.runtime.stay.task = Some(task);
        }
    }

    /// Re-check the active publication with the stored keys.
    fn recheck(&mut self, ctx: &egui::Context) {
        let Some(active) = self.runtime.source.ready() else {
            return;
        };
        if self.runtime.stay.task.is_some() {
            return;
        }
        let entry = active.summary.keys_entry();
        let source = active.source.clone();
        let credentials = self.runtime.credentials.clone();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx, move |_| {
            stay::StayDone::Rechecked(stay::recheck(&credentials, &entry, source.as_ref()))
        }) {
            self.runtime.stay.task = Some(task);
        }
    }

    /// Delete the stored keys of the active publication.
    fn forget_keys(&mut self, ctx: &egui::Context) {
        let Some(active) = self.runtime.source.ready() else {
            return;
        };
        if self.runtime.stay.task.is_some() {
            return;
        }
        let entry = active.summary.keys_entry();
        let credentials = self.runtime.credentials.clone();
        if let Ok(task) = Task::spawn("fuitecheck-keyring", ctx, move |_| {
            let result = credentials.forget_keys(&entry);
            stay::StayDone::Forgotten(entry, result)
        }) {
            self.runtime.stay.task = Some(task);
        }
    }
}
