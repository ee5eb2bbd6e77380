//! Accueil: what the app does and does not do, the privacy promise, and
//! the active publication.

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::Lang;

use super::i18n::{T, fill};
use super::state::{AppState, Command, Screen, Settings, SourceState};
use super::widgets;
use crate::text;

/// Draw the home screen.
pub fn ui(ui: &mut Ui, state: &mut AppState, settings: &Settings) {
    let lang = settings.lang;
    widgets::title(ui, T::HomeTitle.tr(lang));
    if matches!(state.notice, Some(super::state::Notice::Info(..))) {
        widgets::notice_ui(ui, &mut state.notice, lang);
    }

    widgets::card(ui, |ui| {
        ui.label(RichText::new(T::HomeDoesTitle.tr(lang)).strong());
        for key in [T::HomeDoes1, T::HomeDoes2, T::HomeDoes3] {
            ui.label(format!("• {}", key.tr(lang)));
        }
        ui.add_space(6.0);
        ui.label(RichText::new(T::HomeDoesNotTitle.tr(lang)).strong());
        for key in [T::HomeDoesNot1, T::HomeDoesNot2] {
            ui.label(format!("• {}", key.tr(lang)));
        }
    });
    ui.add_space(widgets::SECTION_GAP);
    ui.horizontal_wrapped(|ui| {
        if ui
            .add(egui::Button::new(
                RichText::new(T::HomeStartAssess.tr(lang)).strong(),
            ))
            .clicked()
        {
            state.send(Command::Navigate(Screen::Assess));
        }
        let ready = state.source.ready().is_some();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(RichText::new(T::HomeStartCheck.tr(lang)).strong()),
            )
            .clicked()
        {
            state.send(Command::Navigate(Screen::Identity));
        }
    });
    ui.add_space(widgets::SECTION_GAP);

    widgets::note(ui, |ui| {
        ui.label(RichText::new(format!("🔒 {}", T::HomePrivacyTitle.tr(lang))).strong());
        ui.label(T::HomePrivacy.tr(lang));
    });
    ui.add_space(widgets::SECTION_GAP);
    widgets::card(ui, |ui| source_ui(ui, &state.source, lang));
}

/// Which publication is active, and whether it is current.
fn source_ui(ui: &mut Ui, source: &SourceState, lang: Lang) {
    ui.label(RichText::new(T::HomeSourceTitle.tr(lang)).strong());
    match source {
        SourceState::None => {
            ui.label(T::HomeSourceNone.tr(lang));
        }
        SourceState::Loading(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(T::HomeSourceLoading.tr(lang));
            });
        }
        SourceState::Failed(reason) => {
            ui.label(
                RichText::new(fill(lang, T::SourceLoadFailed, &[("reason", reason)]))
                    .color(widgets::error_color(ui)),
            );
            ui.label(T::HomeSourceNone.tr(lang));
        }
        SourceState::Ready(active) => {
            let s = &active.summary;
            if s.demo {
                widgets::demo_badge(ui, lang);
            }
            ui.label(fill(
                lang,
                T::HomeSourcePublisher,
                &[("publisher", &s.publisher)],
            ));
            ui.label(fill(
                lang,
                T::HomeSourceDate,
                &[("date", &text::format_catalogue_date(&s.generated_at, lang))],
            ));
            widgets::provenance_ui(ui, s, lang);
            ui.label(fill(
                lang,
                T::HomeSourceBreaches,
                &[("n", &s.breaches.len().to_string())],
            ));
            for b in &s.breaches {
                ui.label(format!("  • {}", b.title.get(lang)));
            }
            if let Some(rate) = s.false_match_rate {
                ui.label(
                    RichText::new(fill(
                        lang,
                        T::HomeSourceFalseMatch,
                        &[("n", &text::format_odds(1.0 / rate, lang))],
                    ))
                    .weak(),
                );
            }
            if s.demo {
                ui.label(T::HomeSourceDemo.tr(lang));
                ui.label(RichText::new(T::HomeSourceCurrentDemo.tr(lang)).weak());
            } else {
                ui.label(fill(
                    lang,
                    T::HomeSourceLocation,
                    &[("location", &text::source_location(&s.location, lang))],
                ));
                ui.label(RichText::new(T::HomeSourceCurrentDir.tr(lang)).weak());
            }
        }
    }
}
