//! The desktop app (eframe/egui): check, understand, act.
//!
//! Layout (see `docs/architecture.md`, "The app"):
//! - [`FuiteCheckApp`] owns three things kept apart: the persisted
//!   [`Settings`], the [`Runtime`] state (source, running tasks, last
//!   outcome, case file, kept keys) and the [`Screens`], one struct per
//!   screen holding only that screen's state.
//! - Each screen implements [`command::View`]: it draws from a read-only
//!   [`command::Ctx`] and returns [`command::Command`]s, which the app
//!   applies after the frame ([`apply`]).
//! - Slow work is a [`task::Task`] (spawn, progress, cancel, typed result);
//!   the jobs are in [`worker`]. Tasks are polled in `App::logic`
//!   ([`FuiteCheckApp::logic`], [`poll`]), never while drawing.
//! - What a task or command has to say is a [`status::Status`], worded
//!   when drawn; the app's own words are in [`i18n`], the words for
//!   library values in [`crate::text`].
//! - [`FuiteCheckApp::new`] does no I/O: start-up work (credential store,
//!   data directory: [`Services::system`]; loading the publication and the
//!   case file: [`FuiteCheckApp::start`]) is explicit, so tests build the
//!   app with a mock store and a temporary directory.
//!
//! Privacy: the NIR and names live only in `Zeroizing` buffers of
//! [`identity::IdentityForm`]; [`FuiteCheckApp::save`](eframe::App::save)
//! writes the settings alone, and egui's own memory (which would hold text
//! field state) is not persisted.

pub mod act;
mod apply;
pub mod assess;
pub mod command;
pub mod dossier;
pub mod draft;
pub mod erase;
pub mod home;
pub mod i18n;
pub mod identity;
mod poll;
pub mod results;
pub mod settings;
pub mod state;
pub mod status;
pub mod stay;
pub mod task;
pub mod verify;
pub mod widgets;
pub mod worker;

#[cfg(test)]
mod tests;

use eframe::egui;
use egui::{RichText, Ui};

use self::act::ActScreen;
use self::assess::AssessScreen;
use self::command::{Command, Ctx, View as _};
use self::home::HomeScreen;
use self::i18n::T;
use self::identity::IdentityScreen;
use self::results::ResultsScreen;
use self::settings::SettingsScreen;
pub use self::state::{Runtime, Services, Settings};
use self::state::{SETTINGS_KEY, Screen, ThemeChoice};
use self::verify::VerifyScreen;

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
    eframe::run_native(
        "FuiteCheck",
        options,
        Box::new(|cc| {
            // Start-up, step by step: the saved settings (a first run
            // speaks the system's language), the OS services, then loading.
            let settings = cc
                .storage
                .and_then(|s| s.get_string(SETTINGS_KEY))
                .map(|text| Settings::from_json(&text))
                .unwrap_or_else(Settings::first_run);
            let mut app = FuiteCheckApp::new(settings, Services::system());
            app.start(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    )
}

/// One struct per screen, each holding only that screen's state.
pub struct Screens {
    /// Accueil.
    pub home: HomeScreen,
    /// Suis-je concerné ?
    pub assess: AssessScreen,
    /// Vos informations.
    pub identity: IdentityScreen,
    /// Vérification.
    pub verify: VerifyScreen,
    /// Résultats.
    pub results: ResultsScreen,
    /// Agir.
    pub act: ActScreen,
    /// Paramètres.
    pub settings: SettingsScreen,
}

impl Screens {
    /// Every screen empty; the case file's event date is `today`.
    pub fn new(today: jiff::civil::Date) -> Self {
        Self {
            home: HomeScreen,
            assess: AssessScreen::default(),
            identity: IdentityScreen::default(),
            verify: VerifyScreen,
            results: ResultsScreen,
            act: ActScreen::new(today),
            settings: SettingsScreen::default(),
        }
    }
}

/// The application: persisted settings, runtime state, screens.
pub struct FuiteCheckApp {
    settings: Settings,
    runtime: Runtime,
    screens: Screens,
    /// The clock (from [`Services`]).
    today: fn() -> jiff::civil::Date,
    /// The (theme, scale) last applied to the context.
    applied_style: Option<(ThemeChoice, f32)>,
    /// The first frame was traced.
    drawn: bool,
}

impl FuiteCheckApp {
    /// Build the app: no I/O, nothing started (see [`Self::start`]).
    pub fn new(settings: Settings, services: Services) -> Self {
        let runtime = Runtime::new(&services);
        let screens = Screens::new(runtime.today);
        Self {
            settings,
            runtime,
            screens,
            today: services.today,
            applied_style: None,
            drawn: false,
        }
    }

    /// The start-up work, once: the style, then loading the chosen source
    /// and the saved case file (each on a background thread).
    pub fn start(&mut self, ctx: &egui::Context) {
        setup_style(ctx);
        self.load_source(ctx);
        self.load_dossier(ctx);
    }

    /// The persisted settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The runtime state (read-only, for tests and embedding).
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The screens' state (read-only, for tests and embedding).
    pub fn screens(&self) -> &Screens {
        &self.screens
    }

    /// Whether slow work is still under way (check, loading, dialog…).
    pub fn is_busy(&self) -> bool {
        let r = &self.runtime;
        r.check.is_some()
            || matches!(r.source, state::SourceState::Loading { .. })
            || r.dialog.is_some()
            || r.download.is_some()
            || r.export.is_some()
            || r.dossier.task.is_some()
            || r.stay.task.is_some()
            || r.erasing.is_some()
    }

    /// Draw the whole app into `ui` and apply what the person asked for:
    /// usable from eframe and from `egui_kittest` alike (call
    /// [`Self::logic`] before it, as eframe does).
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
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

        let mut commands = Vec::new();
        egui::Panel::left("fuitecheck-nav")
            .resizable(false)
            .exact_size(210.0)
            .show(ui, |ui| commands = self.nav_ui(ui));

        let screen = self.runtime.screen;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(("screen", screen as u8))
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(ui.available_width().min(860.0));
                    commands.extend(self.screen_ui(ui));
                    ui.add_space(24.0);
                });
        });

        self.apply(commands, &ctx);
    }

    /// The screen shown, drawn from its own state and the read-only context.
    fn screen_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let ctx = Ctx {
            settings: &self.settings,
            runtime: &self.runtime,
            lang: self.settings.lang,
        };
        let s = &mut self.screens;
        match self.runtime.screen {
            Screen::Home => s.home.ui(ui, &ctx),
            Screen::Assess => s.assess.ui(ui, &ctx),
            Screen::Identity => s.identity.ui(ui, &ctx),
            Screen::Verify => s.verify.ui(ui, &ctx),
            Screen::Results => s.results.ui(ui, &ctx),
            Screen::Act => s.act.ui(ui, &ctx),
            Screen::Settings => s.settings.ui(ui, &ctx),
        }
    }

    /// The navigation column.
    fn nav_ui(&self, ui: &mut Ui) -> Vec<Command> {
        let lang = self.settings.lang;
        let mut commands = Vec::new();
        ui.add_space(8.0);
        let checking = self.runtime.is_checking();
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
            (
                Screen::Results,
                T::NavResults,
                self.runtime.outcome.is_some(),
            ),
            (Screen::Act, T::NavAct, true),
            (Screen::Settings, T::NavSettings, true),
        ];
        for (screen, key, enabled) in entries {
            let current = self.runtime.screen == screen
                || (key == T::NavIdentity && self.runtime.screen == Screen::Verify);
            let button = egui::Button::selectable(current, RichText::new(key.tr(lang)).size(16.0))
                .min_size(egui::vec2(ui.available_width(), 32.0));
            if ui.add_enabled(enabled, button).clicked() {
                commands.push(Command::Navigate(screen));
            }
        }
        if let Some(active) = self.runtime.source.ready()
            && active.summary.demo
        {
            ui.add_space(16.0);
            widgets::demo_badge(ui, lang);
        }
        commands
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
    /// Poll the background tasks, before any drawing.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        FuiteCheckApp::logic(self, ctx);
    }

    /// Draw the app.
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
        if !self.drawn {
            self.drawn = true;
            trace_startup("first frame laid out");
        }
    }

    /// Persist the settings only: never the identity, results or answers.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(SETTINGS_KEY, self.settings.to_json());
    }

    /// Wipe the identity before the process ends.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(run) = self.runtime.check.take() {
            run.cancel();
        }
        self.screens.identity.form.clear();
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
