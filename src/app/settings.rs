//! Paramètres: language, display, data source (with what each mode
//! reveals), and "erase all my data".

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::Lang;

use super::i18n::{T, fill};
use super::state::{AppState, Command, Settings, SourceChoice, SourceState, ThemeChoice};
use super::widgets;
use crate::text;

/// Draw the settings screen.
pub fn ui(ui: &mut Ui, state: &mut AppState, settings: &mut Settings) {
    let lang = settings.lang;
    widgets::title(ui, T::SettingsTitle.tr(lang));
    widgets::notice_ui(ui, &mut state.notice, lang);
    key_confirmation_ui(ui.ctx(), state, lang);

    widgets::card(ui, |ui| {
        ui.label(RichText::new(T::SetLanguage.tr(lang)).strong());
        ui.horizontal(|ui| {
            ui.radio_value(&mut settings.lang, Lang::Fr, T::LangFrench.tr(lang));
            ui.radio_value(&mut settings.lang, Lang::En, T::LangEnglish.tr(lang));
        });
    });
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| {
        ui.label(RichText::new(T::SetDisplay.tr(lang)).strong());
        ui.horizontal(|ui| {
            ui.label(T::SetTheme.tr(lang));
            ui.radio_value(
                &mut settings.theme,
                ThemeChoice::System,
                T::ThemeSystem.tr(lang),
            );
            ui.radio_value(
                &mut settings.theme,
                ThemeChoice::Light,
                T::ThemeLight.tr(lang),
            );
            ui.radio_value(
                &mut settings.theme,
                ThemeChoice::Dark,
                T::ThemeDark.tr(lang),
            );
        });
        ui.add(
            egui::Slider::new(&mut settings.text_scale, 0.8..=2.0)
                .step_by(0.1)
                .text(T::SetTextSize.tr(lang)),
        );
    });
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| source_ui(ui, state, settings));
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| super::stay::card_ui(ui, state, lang));
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| {
        ui.label(RichText::new(T::SetErase.tr(lang)).strong());
        ui.label(T::SetEraseNote.tr(lang));
        if state.confirm_erase {
            ui.checkbox(&mut state.erase_forget_trust, T::SetEraseTrust.tr(lang));
            ui.horizontal(|ui| {
                if ui
                    .button(
                        RichText::new(T::SetEraseConfirm.tr(lang)).color(widgets::error_color(ui)),
                    )
                    .clicked()
                {
                    state.send(Command::EraseAll);
                }
                if ui.button(T::SetEraseCancel.tr(lang)).clicked() {
                    state.confirm_erase = false;
                }
            });
        } else if ui.button(T::SetErase.tr(lang)).clicked() {
            state.confirm_erase = true;
        }
    });
}

/// The data source, its options, and what each mode reveals.
fn source_ui(ui: &mut Ui, state: &mut AppState, settings: &mut Settings) {
    let lang = settings.lang;
    ui.label(RichText::new(T::SetSource.tr(lang)).strong());
    let before = settings.source;

    ui.radio_value(
        &mut settings.source,
        SourceChoice::EmbeddedDemo,
        T::SourceDemo.tr(lang),
    );
    ui.indent("demo-reveals", |ui| {
        ui.label(RichText::new(T::SourceDemoReveals.tr(lang)).weak());
    });

    ui.radio_value(
        &mut settings.source,
        SourceChoice::Directory,
        T::SourceDir.tr(lang),
    );
    ui.indent("dir-reveals", |ui| {
        ui.label(RichText::new(T::SourceDirReveals.tr(lang)).weak());
        if settings.source == SourceChoice::Directory {
            dir_options_ui(ui, state, settings);
        }
    });

    ui.radio_value(
        &mut settings.source,
        SourceChoice::Online,
        T::SourceOnline.tr(lang),
    );
    ui.indent("online-reveals", |ui| {
        ui.label(RichText::new(T::SourceOnlineReveals.tr(lang)).weak());
        if settings.source == SourceChoice::Online {
            let label = ui.label(T::SourceOnlineUrl.tr(lang));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut settings.online_url)
                        .hint_text("https://")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !settings.online_url.trim().is_empty(),
                        egui::Button::new(T::SourceConnect.tr(lang)),
                    )
                    .clicked()
                {
                    state.send(Command::LoadSource);
                }
            });
            keys_ui(ui, state, settings);
        }
    });
    ui.add_space(8.0);
    download_ui(ui, state, settings);

    if settings.source != before {
        state.send(Command::LoadSource);
    }
    ui.add_space(6.0);
    match &state.source {
        SourceState::Loading(job) => {
            let mut cancel = false;
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("{} {}", T::HomeSourceLoading.tr(lang), job.what));
                cancel = ui.button(T::SourceCancelLoad.tr(lang)).clicked();
            });
            if cancel {
                state.send(Command::CancelLoad);
            }
        }
        SourceState::Failed(reason) => {
            ui.label(
                RichText::new(fill(lang, T::SourceLoadFailed, &[("reason", reason)]))
                    .color(widgets::error_color(ui)),
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
fn dir_options_ui(ui: &mut Ui, state: &mut AppState, settings: &mut Settings) {
    let lang = settings.lang;
    let dialog_open = state.dialog.is_some();
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
            state.send(Command::PickPublicationDir);
        }
        if ui
            .add_enabled(
                settings.publication_dir.is_some() && !dialog_open,
                egui::Button::new(T::SourceReload.tr(lang)),
            )
            .clicked()
        {
            state.send(Command::LoadSource);
        }
    });
    ui.add_space(4.0);
    keys_ui(ui, state, settings);
}

/// The keys the user added to the trust store.
fn keys_ui(ui: &mut Ui, state: &mut AppState, settings: &mut Settings) {
    let lang = settings.lang;
    let dialog_open = state.dialog.is_some();
    ui.label(RichText::new(T::SourceKeys.tr(lang)).strong());
    ui.label(RichText::new(T::SourceKeysNote.tr(lang)).weak());
    let mut remove = None;
    for (i, key) in settings.trusted_keys.iter().enumerate() {
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
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        settings.trusted_keys.remove(i);
    }
    if ui
        .add_enabled(!dialog_open, egui::Button::new(T::SourceAddKey.tr(lang)))
        .clicked()
    {
        state.send(Command::PickTrustedKey);
    }
    if dialog_open {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(T::DialogOpen.tr(lang));
        });
    }
}

/// The confirmation a key needs before it is added: its key id and the
/// publisher it is added for, both shown (SPEC §6).
fn key_confirmation_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    lang: fuitecheck_core::catalogue::Lang,
) {
    let Some(pending) = &mut state.pending_key else {
        return;
    };
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("fuitecheck-key-confirmation")).show(ctx, |ui| {
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
            if ui
                .add_enabled(can_add, egui::Button::new(T::KeyConfirmAdd.tr(lang)))
                .clicked()
            {
                answer = Some(Command::ConfirmKey);
            }
            if ui.button(T::KeyConfirmCancel.tr(lang)).clicked() {
                answer = Some(Command::CancelKey);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(Command::CancelKey);
    }
    if let Some(command) = answer {
        state.send(command);
    }
}

/// Download or update a publication, with progress and cancel.
fn download_ui(ui: &mut Ui, state: &mut AppState, settings: &mut Settings) {
    let lang = settings.lang;
    ui.label(RichText::new(T::DlTitle.tr(lang)).strong());
    ui.label(RichText::new(T::DlNote.tr(lang)).weak());
    let label = ui.label(T::DlUrl.tr(lang));
    let running = state.download.is_some();
    ui.horizontal_wrapped(|ui| {
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut settings.download_url)
                    .hint_text("https://")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let can_start = !running && !settings.download_url.trim().is_empty();
        if ui
            .add_enabled(can_start, egui::Button::new(T::DlStart.tr(lang)))
            .clicked()
            || (enter && can_start)
        {
            state.send(Command::StartDownload);
        }
    });
    if let Some(job) = &state.download {
        let mut cancel = false;
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
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(T::DlConnecting.tr(lang));
            });
        }
        ui.horizontal(|ui| {
            cancel = ui
                .add_enabled(!job.cancelling(), egui::Button::new(T::DlCancel.tr(lang)))
                .clicked();
        });
        if cancel {
            state.send(Command::CancelDownload);
        }
    }
    if let Some((ok, text)) = &state.download_message {
        let color = if *ok {
            widgets::ok_color(ui)
        } else {
            widgets::error_color(ui)
        };
        ui.label(RichText::new(text).color(color));
    }
}
