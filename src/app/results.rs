//! Résultats: what the publisher's list says, per breach, with the
//! categories of the person's record, the concrete risk of each and what to
//! do now. A match is reported on the publisher's authority, never the
//! app's (SPEC §1, §5).

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_core::category::Category;
use fuitecheck_core::check::{SourceKind, Variant};

use super::command::{Command, Ctx, View};
use super::i18n::{self, T, fill};
use super::state::{ActTarget, CheckOutcome, Screen};
use super::widgets;
use crate::text;

/// The results screen: it draws the last outcome (runtime state) and holds
/// nothing of its own.
#[derive(Debug, Default)]
pub struct ResultsScreen;

impl View for ResultsScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let lang = ctx.lang;
        widgets::title(ui, T::ResultsTitle.tr(lang));
        let Some(outcome) = &ctx.runtime.outcome else {
            ui.label(T::ResultsNone.tr(lang));
            return Vec::new();
        };
        let mut commands = outcome_ui(ui, outcome, lang);
        ui.add_space(8.0);
        widgets::card(ui, |ui| commands.extend(super::stay::card_ui(ui, ctx)));
        ui.add_space(8.0);
        if ui.button(T::ResultsNewCheck.tr(lang)).clicked() {
            commands.push(Command::Navigate(Screen::Identity));
        }
        commands
    }
}

/// The source line, the headline, one card per matched breach (or the
/// honest no-match card), and what could not be checked.
fn outcome_ui(ui: &mut Ui, outcome: &CheckOutcome, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let s = &outcome.summary;
    let demo = s.demo || outcome.report.source.demo;
    if demo {
        widgets::demo_badge(ui, lang);
        ui.add_space(6.0);
    }
    let kind = match outcome.report.source.kind {
        SourceKind::Offline => T::KindOffline.tr(lang),
        SourceKind::Online => T::KindOnline.tr(lang),
    };
    ui.label(
        RichText::new(fill(
            lang,
            T::ResultsSourceLine,
            &[("publisher", &s.publisher), ("kind", kind)],
        ))
        .weak(),
    );
    widgets::provenance_ui(ui, s, lang);
    ui.add_space(8.0);

    let matched = outcome.matched();
    if matched.is_empty() {
        no_match_ui(ui, outcome, lang);
    } else {
        let headline = if matched.len() == 1 {
            fill(lang, T::ResultsMatchOne, &[("publisher", &s.publisher)])
        } else {
            fill(
                lang,
                T::ResultsMatchHeadline,
                &[
                    ("publisher", &s.publisher),
                    ("n", &matched.len().to_string()),
                ],
            )
        };
        ui.label(RichText::new(headline).size(18.0).strong());
        ui.add_space(widgets::SECTION_GAP);
        for (breach, categories, variants) in &matched {
            if let Some(target) = match_card_ui(ui, breach, categories, variants, demo, lang) {
                commands.push(Command::OpenAct(Box::new(target)));
            }
            ui.add_space(widgets::SECTION_GAP);
        }
    }
    if !outcome.report.unchecked.is_empty() {
        ui.label(fill(
            lang,
            T::ResultsUnchecked,
            &[("list", &outcome.report.unchecked.join(", "))],
        ));
    }
    commands
}

/// One matched breach: facts, the person's categories with risk and
/// advice, sources, and the way to act.
fn match_card_ui(
    ui: &mut Ui,
    breach: &Breach,
    categories: &[Category],
    variants: &[Variant],
    demo: bool,
    lang: Lang,
) -> Option<ActTarget> {
    let mut act = false;
    widgets::card(ui, |ui| {
        if demo {
            widgets::demo_badge(ui, lang);
            ui.label(RichText::new(T::ResultsDemoNote.tr(lang)).weak());
            ui.add_space(4.0);
        }
        widgets::breach_facts_ui(ui, breach, lang, false);
        for v in variants {
            ui.label(
                RichText::new(fill(
                    lang,
                    T::ResultsMatchVariant,
                    &[("variant", text::variant_label(*v, lang))],
                ))
                .weak(),
            );
        }
        ui.add_space(8.0);
        if breach.sensitive {
            // Exposed passwords do call for action now: never say
            // "nothing to do in a hurry" then.
            let care = if categories.contains(&Category::Credentials)
                || breach.categories.contains(&Category::Credentials)
            {
                T::ResultsSensitiveCareCredentials
            } else {
                T::ResultsSensitiveCare
            };
            widgets::note(ui, |ui| {
                ui.label(care.tr(lang));
            });
            ui.add_space(6.0);
        }
        ui.label(
            RichText::new(T::ResultsYourData.tr(lang))
                .strong()
                .size(16.0),
        );
        ui.label(T::ResultsYourDataNote.tr(lang));
        ui.add_space(4.0);
        for c in categories {
            category_ui(ui, *c, lang);
        }
        ui.add_space(4.0);
        ui.label(RichText::new(T::ResultsAdviceSources.tr(lang)).weak());
        for (name, url) in i18n::ADVICE_SOURCES {
            ui.hyperlink_to(*name, *url);
        }
        ui.add_space(6.0);
        ui.label(RichText::new(T::NextStep.tr(lang)).strong());
        ui.label(fill(
            lang,
            T::WhoToAsk,
            &[("who", &widgets::who_to_ask(breach, lang))],
        ));
        act = ui
            .add(egui::Button::new(
                RichText::new(T::ResultsAct.tr(lang)).strong(),
            ))
            .clicked();
    });
    act.then(|| ActTarget {
        breach: breach.clone(),
        matched_categories: Some(categories.to_vec()),
    })
}

/// A leaked category: icon, label, risk, what to do.
fn category_ui(ui: &mut Ui, c: Category, lang: Lang) {
    ui.horizontal_top(|ui| {
        ui.add_sized(
            [28.0, 24.0],
            egui::Label::new(RichText::new(i18n::category_icon(c)).size(20.0)),
        );
        ui.vertical(|ui| {
            ui.label(RichText::new(text::category_label(c, lang)).strong());
            ui.label(fill(
                lang,
                T::ResultsRisk,
                &[("text", i18n::category_risk(c, lang))],
            ));
            ui.label(fill(
                lang,
                T::ResultsTodo,
                &[("text", i18n::category_action(c, lang))],
            ));
        });
    });
    ui.add_space(6.0);
}

/// Nothing matched: what that means, and what it does not.
fn no_match_ui(ui: &mut Ui, outcome: &CheckOutcome, lang: Lang) {
    let s = &outcome.summary;
    widgets::card(ui, |ui| {
        ui.label(
            RichText::new(fill(
                lang,
                T::ResultsNoMatchHeadline,
                &[("publisher", &s.publisher)],
            ))
            .size(18.0)
            .strong(),
        );
        ui.add_space(6.0);
        ui.label(T::ResultsNoMatchMeans.tr(lang));
        for b in &s.breaches {
            if !outcome.report.unchecked.contains(&b.id) {
                ui.label(format!("  • {}", b.title.get(lang)));
            }
        }
        ui.add_space(6.0);
        ui.label(T::ResultsNoMatchNotMeans.tr(lang));
        ui.add_space(6.0);
        ui.label(RichText::new(T::ResultsNoMatchTypo.tr(lang)).weak());
    });
}
