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
mod home;
pub mod i18n;
mod identity;
mod results;
mod settings;
pub mod state;
mod verify;
mod widgets;
mod worker;

#[cfg(test)]
mod tests;

use eframe::egui;
use egui::{RichText, Ui};

use crate::check::CheckError;

use self::i18n::T;
pub use self::state::Settings;
use self::state::{
    AppState, CheckOutcome, Command, Notice, SETTINGS_KEY, Screen, SourceChoice, SourceState,
    ThemeChoice,
};
use self::worker::{CheckEnd, CheckJob, DialogJob, DialogPurpose, LoadJob};

/// Open the window and run until it is closed.
pub fn run_native() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("FuiteCheck")
            .with_app_id("fuitecheck")
            .with_inner_size([1000.0, 760.0])
            .with_min_inner_size([640.0, 480.0]),
        ..Default::default()
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
            Ok(Box::new(FuiteCheckApp::new(settings)))
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
    }

    /// Draw the whole app into `ui`: usable from eframe and from
    /// `egui_kittest` alike.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.started {
            self.started = true;
            setup_style(&ctx);
            self.load_source(&ctx);
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
                        crate::catalogue::Lang::En,
                        T::LangEnglish.tr(lang),
                    )
                    .on_hover_text(T::LangSwitchHint.tr(lang));
                    ui.selectable_value(
                        &mut self.settings.lang,
                        crate::catalogue::Lang::Fr,
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
                CheckEnd::Report(report) => {
                    if let Some(active) = state.source.ready() {
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
        }
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
                    DialogPurpose::TrustedKey => {
                        if !self.settings.trusted_keys.contains(&path) {
                            self.settings.trusted_keys.push(path);
                        }
                        if self.settings.publication_dir.is_some() {
                            self.state.send(Command::LoadSource);
                        }
                    }
                }
            }
        }
    }

    /// Run the commands the views sent during this frame.
    fn handle_commands(&mut self, ctx: &egui::Context) {
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

    /// Load the source chosen in the settings, on a background thread.
    fn load_source(&mut self, ctx: &egui::Context) {
        let job = match self.settings.source {
            SourceChoice::EmbeddedDemo => LoadJob::embedded_demo(ctx.clone()),
            SourceChoice::Directory => match &self.settings.publication_dir {
                Some(dir) => {
                    LoadJob::open_dir(dir.clone(), self.settings.trusted_keys.clone(), ctx.clone())
                }
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
                LoadJob::online(url, self.settings.trusted_keys.clone(), ctx.clone())
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
        self.settings = Settings::default();
        self.load_source(ctx);
        self.state.notice = Some(Notice::Erased);
    }
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
        self.ui_root(ui);
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
