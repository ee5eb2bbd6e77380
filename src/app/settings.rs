//! Paramètres: language, display, data source (with what each mode
//! reveals), and "erase all my data".

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::Lang;

use super::command::{Command, Ctx, SettingChange, View};
use super::i18n::{T, fill};
use super::state::{PendingKey, SourceChoice, SourceState, ThemeChoice};
use super::status::Status;
use super::widgets;
use crate::text;

/// The settings screen. The settings themselves are the app's: the screen
/// draws them from [`Ctx`] and sends [`SettingChange`]s.
#[derive(Debug, Default)]
pub struct SettingsScreen {
    /// The "erase everything" confirmation is shown.
    pub confirm_erase: bool,
    /// "Erase everything" also forgets the trust material (trusted keys,
    /// remembered sequences).
    pub erase_forget_trust: bool,
    /// How the last download ended.
    pub download_status: Option<Status>,
    /// A key read from a file, shown for confirmation before it is added.
    pub pending_key: Option<PendingKey>,
}

impl View for SettingsScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let lang = ctx.lang;
        let mut commands = Vec::new();
        widgets::title(ui, T::SettingsTitle.tr(lang));
        if widgets::notice_ui(ui, ctx.runtime.notice.as_ref(), lang) {
            commands.push(Command::DismissNotice);
        }
        commands.extend(self.key_confirmation_ui(ui.ctx(), lang));
        widgets::card(ui, |ui| language_ui(ui, ctx, &mut commands));
        ui.add_space(widgets::SECTION_GAP);

        widgets::card(ui, |ui| display_ui(ui, ctx, &mut commands));
        ui.add_space(widgets::SECTION_GAP);

        widgets::card(ui, |ui| self.source_ui(ui, ctx, &mut commands));
        ui.add_space(widgets::SECTION_GAP);

        widgets::card(ui, |ui| commands.extend(super::stay::card_ui(ui, ctx)));
        ui.add_space(widgets::SECTION_GAP);

        widgets::card(ui, |ui| self.erase_ui(ui, lang, &mut commands));
        commands
    }
}

/// A radio button bound to a copy of a setting: `Some(value)` when the
/// person picked it.
fn radio<V: PartialEq + Copy>(ui: &mut Ui, current: V, value: V, label: &str) -> Option<V> {
    ui.radio(current == value, label)
        .clicked()
        .then_some(value)
        .filter(|v| *v != current)
}

/// The interface language.
fn language_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let settings = ctx.settings;
    ui.label(RichText::new(T::SetLanguage.tr(lang)).strong());
    ui.horizontal(|ui| {
        for (value, key) in [(Lang::Fr, T::LangFrench), (Lang::En, T::LangEnglish)] {
            if let Some(l) = radio(ui, settings.lang, value, key.tr(lang)) {
                commands.push(Command::Set(SettingChange::Lang(l)));
            }
        }
    });
}

/// Theme and text size.
fn display_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let settings = ctx.settings;
    ui.label(RichText::new(T::SetDisplay.tr(lang)).strong());
    ui.horizontal(|ui| {
        ui.label(T::SetTheme.tr(lang));
        for (value, key) in [
            (ThemeChoice::System, T::ThemeSystem),
            (ThemeChoice::Light, T::ThemeLight),
            (ThemeChoice::Dark, T::ThemeDark),
        ] {
            if let Some(theme) = radio(ui, settings.theme, value, key.tr(lang)) {
                commands.push(Command::Set(SettingChange::Theme(theme)));
            }
        }
    });
    let mut scale = settings.text_scale;
    if ui
        .add(
            egui::Slider::new(&mut scale, 0.8..=2.0)
                .step_by(0.1)
                .text(T::SetTextSize.tr(lang)),
        )
        .changed()
    {
        commands.push(Command::Set(SettingChange::TextScale(scale)));
    }
}

impl SettingsScreen {
    /// The confirmation a key needs before it is added: its key id and the
    /// publisher it is added for, both shown (SPEC §6).
    fn key_confirmation_ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<Command> {
        let pending = self.pending_key.as_mut()?;
        let mut confirm = false;
        let mut cancel = false;
        let modal =
            egui::Modal::new(egui::Id::unique("fuitecheck-key-confirmation")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading(T::KeyConfirmTitle.tr(lang));
                ui.label(
                    RichText::new(fill(
                        lang,
                        T::KeyConfirmId,
                        &[("key_id", &pending.key.key_id)],
                    ))
                    .strong(),
                );
                ui.label(
                    RichText::new(fill(
                        lang,
                        T::KeyConfirmFile,
                        &[("path", &pending.path.display().to_string())],
                    ))
                    .weak(),
                );
                let label = ui.label(T::KeyConfirmPublisher.tr(lang));
                ui.add(egui::TextEdit::singleline(&mut pending.key.publisher).desired_width(360.0))
                    .labelled_by(label.id);
                ui.label(RichText::new(T::KeyConfirmNote.tr(lang)).weak());
                ui.horizontal(|ui| {
                    let can_add = !pending.key.publisher.trim().is_empty();
                    confirm = ui
                        .add_enabled(can_add, egui::Button::new(T::KeyConfirmAdd.tr(lang)))
                        .clicked();
                    cancel = ui.button(T::KeyConfirmCancel.tr(lang)).clicked();
                });
            });
        if confirm {
            let key = self.pending_key.take()?.key;
            return Some(Command::ConfirmKey(Box::new(key)));
        }
        if cancel || modal.should_close() {
            self.pending_key = None;
        }
        None
    }

    /// "Effacer toutes mes données", with its confirmation.
    fn erase_ui(&mut self, ui: &mut Ui, lang: Lang, commands: &mut Vec<Command>) {
        ui.label(RichText::new(T::SetErase.tr(lang)).strong());
        ui.label(T::SetEraseNote.tr(lang));
        if self.confirm_erase {
            ui.checkbox(&mut self.erase_forget_trust, T::SetEraseTrust.tr(lang));
            ui.horizontal(|ui| {
                if ui
                    .button(
                        RichText::new(T::SetEraseConfirm.tr(lang)).color(widgets::error_color(ui)),
                    )
                    .clicked()
                {
                    commands.push(Command::EraseAll);
                }
                if ui.button(T::SetEraseCancel.tr(lang)).clicked() {
                    self.confirm_erase = false;
                }
            });
        } else if ui.button(T::SetErase.tr(lang)).clicked() {
            self.confirm_erase = true;
        }
    }

    /// The data source, its options, and what each mode reveals.
    fn source_ui(&self, ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
        let lang = ctx.lang;
        let settings = ctx.settings;
        ui.label(RichText::new(T::SetSource.tr(lang)).strong());
        let mut chosen = None;

        chosen = chosen.or(radio(
            ui,
            settings.source,
            SourceChoice::EmbeddedDemo,
            T::SourceDemo.tr(lang),
        ));
        ui.indent("demo-reveals", |ui| {
            ui.label(RichText::new(T::SourceDemoReveals.tr(lang)).weak());
        });

        chosen = chosen.or(radio(
            ui,
            settings.source,
            SourceChoice::Directory,
            T::SourceDir.tr(lang),
        ));
        ui.indent("dir-reveals", |ui| {
            ui.label(RichText::new(T::SourceDirReveals.tr(lang)).weak());
            if settings.source == SourceChoice::Directory {
                dir_options_ui(ui, ctx, commands);
            }
        });

        chosen = chosen.or(radio(
            ui,
            settings.source,
            SourceChoice::Online,
            T::SourceOnline.tr(lang),
        ));
        ui.indent("online-reveals", |ui| {
            ui.label(RichText::new(T::SourceOnlineReveals.tr(lang)).weak());
            if settings.source == SourceChoice::Online {
                online_options_ui(ui, ctx, commands);
            }
        });
        ui.add_space(8.0);
        self.download_ui(ui, ctx, commands);

        if let Some(source) = chosen {
            commands.push(Command::Set(SettingChange::Source(source)));
            commands.push(Command::LoadSource);
        }
        ui.add_space(6.0);
        source_state_ui(ui, &ctx.runtime.source, lang, commands);
    }

    /// Download or update a publication, with progress and cancel.
    fn download_ui(&self, ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
        let lang = ctx.lang;
        ui.label(RichText::new(T::DlTitle.tr(lang)).strong());
        ui.label(RichText::new(T::DlNote.tr(lang)).weak());
        let label = ui.label(T::DlUrl.tr(lang));
        let running = ctx.runtime.download.is_some();
        ui.horizontal_wrapped(|ui| {
            let mut url = ctx.settings.download_url.clone();
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut url)
                        .hint_text("https://")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            if response.changed() {
                commands.push(Command::Set(SettingChange::DownloadUrl(url.clone())));
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let can_start = !running && !url.trim().is_empty();
            if ui
                .add_enabled(can_start, egui::Button::new(T::DlStart.tr(lang)))
                .clicked()
                || (enter && can_start)
            {
                commands.push(Command::StartDownload);
            }
        });
        if let Some(job) = &ctx.runtime.download {
            download_progress_ui(ui, job, lang, commands);
        }
        widgets::status_line(ui, self.download_status.as_ref(), lang);
    }
}

/// The range API's address and keys.
fn online_options_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let label = ui.label(T::SourceOnlineUrl.tr(lang));
    ui.horizontal(|ui| {
        let mut url = ctx.settings.online_url.clone();
        if ui
            .add(
                egui::TextEdit::singleline(&mut url)
                    .hint_text("https://")
                    .desired_width(360.0),
            )
            .labelled_by(label.id)
            .changed()
        {
            commands.push(Command::Set(SettingChange::OnlineUrl(url.clone())));
        }
        if ui
            .add_enabled(
                !url.trim().is_empty(),
                egui::Button::new(T::SourceConnect.tr(lang)),
            )
            .clicked()
        {
            commands.push(Command::LoadSource);
        }
    });
    keys_ui(ui, ctx, commands);
}

/// Where the source stands: loading (with cancel), refused, verified.
fn source_state_ui(ui: &mut Ui, source: &SourceState, lang: Lang, commands: &mut Vec<Command>) {
    match source {
        SourceState::Loading { what, .. } => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("{} {what}", T::HomeSourceLoading.tr(lang)));
                if ui.button(T::SourceCancelLoad.tr(lang)).clicked() {
                    commands.push(Command::CancelLoad);
                }
            });
        }
        SourceState::Failed(reason) => {
            widgets::error_line(
                ui,
                &fill(lang, T::SourceLoadFailed, &[("reason", &reason.text(lang))]),
            );
        }
        SourceState::Ready(active) => {
            ui.label(
                RichText::new(format!(
                    "✔ {}",
                    fill(
                        lang,
                        T::SourceLoaded,
                        &[("publisher", &active.summary.publisher)]
                    )
                ))
                .color(widgets::ok_color(ui)),
            );
            widgets::provenance_ui(ui, &active.summary, lang);
        }
        SourceState::None => {}
    }
}

/// Folder and trusted keys of a downloaded publication.
fn dir_options_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let settings = ctx.settings;
    let dialog_open = ctx.runtime.dialog.is_some();
    match &settings.publication_dir {
        Some(dir) => ui.label(fill(
            lang,
            T::SourceDirPath,
            &[("path", &dir.display().to_string())],
        )),
        None => ui.label(T::SourceDirNone.tr(lang)),
    };
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!dialog_open, egui::Button::new(T::SourceChooseDir.tr(lang)))
            .clicked()
        {
            commands.push(Command::PickPublicationDir);
        }
        if ui
            .add_enabled(
                settings.publication_dir.is_some() && !dialog_open,
                egui::Button::new(T::SourceReload.tr(lang)),
            )
            .clicked()
        {
            commands.push(Command::LoadSource);
        }
    });
    ui.add_space(4.0);
    keys_ui(ui, ctx, commands);
}

/// The keys the user added to the trust store.
fn keys_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let dialog_open = ctx.runtime.dialog.is_some();
    ui.label(RichText::new(T::SourceKeys.tr(lang)).strong());
    ui.label(RichText::new(T::SourceKeysNote.tr(lang)).weak());
    for (i, key) in ctx.settings.trusted_keys.iter().enumerate() {
        ui.horizontal(|ui| {
            let values = [
                ("key_id", key.key_id.as_str()),
                ("publisher", key.publisher.as_str()),
            ];
            ui.label(fill(lang, T::SourceKeyEntry, &values));
            if ui
                .small_button("✖")
                .accessible_name(fill(lang, T::SourceRemoveKey, &values))
                .clicked()
            {
                commands.push(Command::Set(SettingChange::RemoveTrustedKey(i)));
            }
        });
    }
    if ui
        .add_enabled(!dialog_open, egui::Button::new(T::SourceAddKey.tr(lang)))
        .clicked()
    {
        commands.push(Command::PickTrustedKey);
    }
    if dialog_open {
        widgets::busy_line(ui, T::DialogOpen.tr(lang));
    }
}

/// The running download: bytes so far, or connecting; cancel.
fn download_progress_ui(
    ui: &mut Ui,
    job: &super::worker::DownloadRun,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    if job.verified {
        let (done, total) = job.bytes();
        let fraction = if total == 0 {
            1.0
        } else {
            (done as f32 / total as f32).clamp(0.0, 1.0)
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .text(fill(
                    lang,
                    T::DlProgress,
                    &[
                        ("done", &text::format_bytes(done, lang)),
                        ("total", &text::format_bytes(total, lang)),
                    ],
                ))
                .desired_width(ui.available_width().min(480.0)),
        )
        .accessible_name(T::DlProgressLabel.tr(lang));
    } else {
        widgets::busy_line(ui, T::DlConnecting.tr(lang));
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!job.cancelling(), egui::Button::new(T::DlCancel.tr(lang)))
            .clicked()
        {
            commands.push(Command::CancelDownload);
        }
    });
}
