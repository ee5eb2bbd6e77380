//! Accueil: what the app does and does not do, the privacy promise, and
//! the active publication.

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::Lang;

use super::command::{Command, Ctx, View};
use super::i18n::{T, fill};
use super::state::{Screen, SourceState};
use super::status::Status;
use super::widgets;
use crate::text;

/// The home screen. It holds no state of its own.
#[derive(Debug, Default)]
pub struct HomeScreen;

impl View for HomeScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let mut commands = Vec::new();
        let lang = ctx.lang;
        widgets::title(ui, T::HomeTitle.tr(lang));
        // Only what a background task found at start (the automatic
        // re-check) is worth a notice here.
        let notice = ctx.runtime.notice.as_ref();
        if matches!(notice, Some(Status::Rechecked { .. })) && widgets::notice_ui(ui, notice, lang)
        {
            commands.push(Command::DismissNotice);
        }
        intro_ui(ui, ctx, &mut commands);
        commands
    }
}

/// What the app does, the two ways in, the privacy promise, the source.
fn intro_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
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
            commands.push(Command::Navigate(Screen::Assess));
        }
        let ready = ctx.runtime.source.ready().is_some();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(RichText::new(T::HomeStartCheck.tr(lang)).strong()),
            )
            .clicked()
        {
            commands.push(Command::Navigate(Screen::Identity));
        }
    });
    ui.add_space(widgets::SECTION_GAP);

    widgets::note(ui, |ui| {
        ui.label(RichText::new(format!("🔒 {}", T::HomePrivacyTitle.tr(lang))).strong());
        ui.label(T::HomePrivacy.tr(lang));
    });
    ui.add_space(widgets::SECTION_GAP);
    widgets::card(ui, |ui| source_ui(ui, &ctx.runtime.source, lang));
}

/// Which publication is active, and whether it is current.
fn source_ui(ui: &mut Ui, source: &SourceState, lang: Lang) {
    ui.label(RichText::new(T::HomeSourceTitle.tr(lang)).strong());
    match source {
        SourceState::None => {
            ui.label(T::HomeSourceNone.tr(lang));
        }
        SourceState::Loading { .. } => widgets::busy_line(ui, T::HomeSourceLoading.tr(lang)),
        SourceState::Failed(reason) => {
            widgets::error_line(
                ui,
                &fill(lang, T::SourceLoadFailed, &[("reason", &reason.text(lang))]),
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
